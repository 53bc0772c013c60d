"""Human-readable class names for the label sets pretrained heads are trained on.

ImageNet-1k's 1000 names (ordered by WordNet id, as every ImageNet-1k checkpoint orders its
outputs) ship as a text file beside this module, so naming a prediction imports nothing.
The file was written once from torchvision's ``ResNet18_Weights.IMAGENET1K_V1.meta['categories']``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Sequence

__all__ = ["imagenet1k_class_names", "class_names_for"]

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
