"""Classify images: paths, folders, globs or PIL images in; top-k (label, probability) out.

The preprocessing is the one the weights were made for (``resolve_data_config`` on the model's
``pretrained_cfg``, overridden by what a training checkpoint's ``args`` recorded and then by the
caller), through the same eval ``create_transform`` that validation uses.
"""
from __future__ import annotations

import contextlib
import glob
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

# ImageError / load_image live with the CLI's demo, which first needed them; they import only PIL
from ..cli.preprocess import ImageError, load_image
from ..data.config import resolve_data_config
from ..data.imagenet_info import class_names_for
from ..data.transforms_factory import create_transform

__all__ = ["Classifier", "find_images", "data_config_for", "IMAGE_SUFFIXES"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff")
_DATA_KEYS = ("input_size", "img_size", "crop_pct", "crop_mode", "mean", "std", "interpolation")
Prediction = List[Tuple[str, float]]


def find_images(inputs: Sequence[Union[str, os.PathLike]]) -> List[Path]:
    """Expand files, folders (searched recursively for image suffixes) and glob patterns, in order.

    A named file is kept whatever its suffix (reading it decides); a folder or pattern that yields
    no image, or a path that does not exist, raises ``ImageError``.
    """
    found: List[Path] = []
    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            images = sorted((p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()),
                            key=lambda p: str(p).lower())
            if not images:
                raise ImageError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in folder {path}")
            found.extend(images)
        elif path.is_file():
            found.append(path)
        elif any(ch in text for ch in "*?["):
            images = sorted(Path(p) for p in glob.glob(text, recursive=True)
                            if Path(p).is_file() and Path(p).suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                raise ImageError(f"no images match {text}")
            found.extend(images)
        else:
            raise ImageError(f"image not found: {text}")
    return found


def data_config_for(model: nn.Module, recorded: Optional[Dict[str, Any]] = None, use_test_size: bool = False,
                    **overrides: Any) -> Dict[str, Any]:
    """The eval data config: the model's weights, then a checkpoint's recorded ``args``, then ``overrides``."""
    args = {k: v for k, v in (recorded or {}).items() if k in _DATA_KEYS and v is not None}
    args.update({k: v for k, v in overrides.items() if v is not None})
    if "input_size" in overrides and overrides["input_size"] is not None:
        args.pop("img_size", None)
    elif "img_size" in overrides and overrides["img_size"] is not None:
        args.pop("input_size", None)
    return resolve_data_config(args, model=model, use_test_size=use_test_size)


class _Images(torch.utils.data.Dataset):
    """Paths -> transformed tensors; an unreadable file comes back as its error message, raised by the
    caller in the main process (a worker's exception would arrive as a multi-line traceback)."""

    def __init__(self, paths: Sequence[Path], transform):
        self.paths, self.transform = list(paths), transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        try:
            return self.transform(load_image(self.paths[i])), ""
        except ImageError as err:
            return torch.zeros(0), str(err)


def _collate(batch):
    errors = [e for _, e in batch if e]
    if errors:
        return None, errors[0]
    return torch.stack([x for x, _ in batch]), ""


class Classifier:
    """A model with its preprocessing and label names: ``Classifier(model)(image) -> [(label, prob)]``.

    ``image`` may be a path, a ``PIL.Image``, a (C, H, W) tensor already preprocessed, or a list of
    them (then one list of predictions per image comes back).
    """

    def __init__(
        self,
        model: nn.Module,
        *,
        data_config: Optional[Dict[str, Any]] = None,
        label_names: Optional[Sequence[str]] = None,
        topk: int = 5,
        device: Union[str, torch.device] = "cpu",
        amp_dtype: Optional[torch.dtype] = None,
        channels_last: bool = False,
    ):
        if topk < 1:
            raise ValueError(f"topk must be at least 1, got {topk}")
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.channels_last = channels_last
        self.amp_dtype = amp_dtype
        self.data_config = dict(data_config) if data_config else resolve_data_config(model=model)
        self.transform = create_transform(**self.data_config, is_training=False)
        self.num_classes = getattr(model, "num_classes", None)
        cfg = getattr(model, "pretrained_cfg", None)
        if label_names is None and self.num_classes:
            label_names = class_names_for(self.num_classes, getattr(cfg, "label_names", None),
                                          getattr(cfg, "label_offset", 0) or 0)
        if label_names is not None and self.num_classes and len(label_names) != self.num_classes:
            raise ValueError(f"{len(label_names)} label names for a head of {self.num_classes} classes")
        self.label_names = list(label_names) if label_names is not None else None
        self.topk = topk

    def label(self, index: int) -> str:
        return self.label_names[index] if self.label_names is not None else str(index)

    @torch.no_grad()
    def classify_batch(self, batch: torch.Tensor, topk: Optional[int] = None) -> List[List[Tuple[str, float, int]]]:
        """Top-k ``(label, probability, index)`` per row of a preprocessed (N, C, H, W) batch."""
        batch = batch.to(self.device)
        if self.channels_last:
            batch = batch.contiguous(memory_format=torch.channels_last)
        autocast = (torch.autocast(device_type=self.device.type, dtype=self.amp_dtype) if self.amp_dtype
                    else contextlib.nullcontext())
        with autocast:
            logits = self.model(batch)
        probs = logits.float().softmax(dim=-1)
        top = probs.topk(min(topk or self.topk, probs.shape[-1]), dim=-1)
        return [
            [(self.label(i), p, i) for p, i in zip(values, indices)]
            for values, indices in zip(top.values.tolist(), top.indices.tolist())
        ]

    def preprocess(self, image) -> torch.Tensor:
        if torch.is_tensor(image):
            return image
        if isinstance(image, (str, os.PathLike)):
            image = load_image(image)
        elif hasattr(image, "convert"):  # a PIL image in any mode
            image = image.convert("RGB")
        else:
            raise TypeError(f"expected a path, a PIL image or a tensor, got {type(image).__name__}")
        return self.transform(image)

    def __call__(self, images, topk: Optional[int] = None):
        single = not isinstance(images, (list, tuple))
        batch = torch.stack([self.preprocess(im) for im in ([images] if single else images)])
        rows = [[(label, prob) for label, prob, _ in row] for row in self.classify_batch(batch, topk)]
        return rows[0] if single else rows

    def classify_paths(self, paths: Sequence[Path], *, batch_size: int = 32, workers: int = 0,
                       progress: Optional[bool] = None) -> Iterator[Tuple[Path, List[Tuple[str, float, int]]]]:
        """``(path, top-k)`` for each path, read in batches by ``workers`` loader processes."""
        from ._progress import iterate

        loader = torch.utils.data.DataLoader(_Images(paths, self.transform), batch_size=batch_size,
                                             num_workers=workers, collate_fn=_collate)
        done = 0
        for batch, error in iterate(loader, total=len(loader), desc="predict", progress=progress):
            if error:
                raise ImageError(error)
            rows = self.classify_batch(batch)
            yield from zip(paths[done:done + len(rows)], rows)
            done += len(rows)
