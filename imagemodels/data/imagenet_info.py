"""Human-readable class names for the label sets pretrained heads are trained on.

ImageNet-1k's 1000 names (ordered by WordNet id, as every ImageNet-1k checkpoint orders its
outputs) ship as a text file beside this module, so naming a prediction imports nothing.
The file was written once from torchvision's ``ResNet18_Weights.IMAGENET1K_V1.meta['categories']``.
"""
from __future__ import annotations

import abc
import operator
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

__all__ = ["imagenet1k_class_names", "class_names_for", "DatasetInfo", "CustomDatasetInfo", "infer_imagenet_subset"]

_FILE = Path(__file__).with_name("imagenet1k_classes.txt")


@lru_cache(maxsize=1)
def _imagenet1k() -> tuple:
    return tuple(_FILE.read_text(encoding="utf-8").splitlines())


def imagenet1k_class_names() -> List[str]:
    """The 1000 ImageNet-1k class names, index ``i`` naming output ``i``."""
    return list(_imagenet1k())


def class_names_for(num_classes: int, label_names: Optional[Sequence[str]] = None, label_offset: int = 0) -> Optional[List[str]]:
    """Names for a head of ``num_classes`` outputs: ``label_names`` when given, ImageNet-1k's for a
    plain 1000-way head, else None (the caller shows indices). ``label_offset=1`` is a 1001-way head
    whose output 0 is 'background'.
    """
    if label_names:
        return list(label_names)
    if num_classes == 1000 and not label_offset:
        return imagenet1k_class_names()
    if num_classes == 1001 and label_offset == 1:
        return ["background", *_imagenet1k()]
    return None


class DatasetInfo(abc.ABC):
    """What a classifier's output indices mean: label names, and a human description of each."""

    @abc.abstractmethod
    def num_classes(self) -> int: ...

    @abc.abstractmethod
    def label_names(self): ...

    @abc.abstractmethod
    def label_descriptions(self, detailed: bool = False, as_dict: bool = False) -> Union[List[str], Dict[str, str]]: ...

    @abc.abstractmethod
    def index_to_label_name(self, index) -> str: ...

    @abc.abstractmethod
    def index_to_description(self, index: int, detailed: bool = False) -> str: ...

    @abc.abstractmethod
    def label_name_to_description(self, label: str, detailed: bool = False) -> str: ...

    def label_indices(self) -> Tuple[int, ...]:
        """The output indices that have a label name."""
        return tuple(range(self.num_classes()))

    def has_label(self, index) -> bool:
        """Whether output ``index`` has a label name."""
        return 0 <= index < self.num_classes()


def _index(key: Any) -> int:
    try:
        index = operator.index(key) if not isinstance(key, str) else int(key)
    except (TypeError, ValueError):
        raise ValueError(f"label index must be integer-like, got {key!r}") from None
    if index < 0:
        raise ValueError(f"label index must be non-negative, got {index}")
    return index


class CustomDatasetInfo(DatasetInfo):
    """Label names (a list in output order, or an ``{index: name}`` dict for sparse heads) and optional
    ``{name: description}`` for a dataset of your own; descriptions fall back to the names."""

    def __init__(
            self,
            label_names: Union[List[str], Tuple[str, ...], Dict[Union[int, str], str]],
            label_descriptions: Optional[Dict[str, str]] = None,
    ):
        if not isinstance(label_names, (list, tuple, dict)) or not label_names:
            raise ValueError("label_names must be a non-empty list, tuple, or {index: name} dict")
        self._label_names = label_names
        self._label_names_by_index = (
            {_index(k): v for k, v in label_names.items()} if isinstance(label_names, dict) else None)
        if label_descriptions is not None:
            names = label_names.values() if isinstance(label_names, dict) else label_names
            missing = [n for n in names if n not in label_descriptions]
            if missing:
                raise ValueError(f"label_descriptions lacks a description for: {missing}")
        self._label_descriptions = label_descriptions

    def num_classes(self) -> int:
        return len(self._label_names)

    def label_names(self):
        return self._label_names

    def label_descriptions(self, detailed: bool = False, as_dict: bool = False):
        return self._label_descriptions

    def label_indices(self) -> Tuple[int, ...]:
        if self._label_names_by_index is not None:
            return tuple(sorted(self._label_names_by_index))
        return super().label_indices()

    def has_label(self, index) -> bool:
        if self._label_names_by_index is not None:
            return index in self._label_names_by_index
        return super().has_label(index)

    def index_to_label_name(self, index) -> str:
        if self._label_names_by_index is not None:
            return self._label_names_by_index[index]
        if not 0 <= index < len(self._label_names):
            raise IndexError(f"label index {index} is outside 0..{len(self._label_names) - 1}")
        return self._label_names[index]

    def label_name_to_description(self, label: str, detailed: bool = False) -> str:
        if self._label_descriptions is None:
            return label
        return self._label_descriptions[label]

    def index_to_description(self, index: int, detailed: bool = False) -> str:
        return self.label_name_to_description(self.index_to_label_name(index), detailed=detailed)


# Head sizes that identify an ImageNet label set (the ImageNet-21k releases differ by a few classes).
_IMAGENET_SUBSETS_BY_CLASSES = {
    1000: "imagenet-1k", 11821: "imagenet-12k", 21841: "imagenet-22k", 21842: "imagenet-22k-ms",
    21843: "imagenet-21k-goog", 11221: "imagenet-21k-miil",
}


def infer_imagenet_subset(model_or_cfg) -> Optional[str]:
    """The ImageNet label set a model (or its pretrained cfg dict) outputs, from its head size; None when
    the size matches none. A headless model (num_classes 0) is named by its pretrained weights' head."""
    cfg = model_or_cfg if isinstance(model_or_cfg, dict) else getattr(model_or_cfg, "pretrained_cfg", None)
    num_classes = None if isinstance(model_or_cfg, dict) else getattr(model_or_cfg, "num_classes", None)
    if not num_classes and cfg:
        num_classes = cfg.get("num_classes")
    return _IMAGENET_SUBSETS_BY_CLASSES.get(num_classes) if num_classes else None
