"""The evaluation transform a set of weights expects, built from its ``PretrainedCfg``.

A stop-gap for ``imagemodels demo`` until ``imagemodels.data`` has the full transform factory;
then this file should go and the demo should call that instead.

The recipe (the ecosystem's usual eval transform): resize so the crop covers ``crop_pct`` of the
resized image (shorter side to ``size / crop_pct``, with the weights' interpolation), center crop to
``size``, scale to [0, 1] and normalize with the weights' mean and std.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Tuple, Union

__all__ = ["ImageError", "load_image", "eval_transform_params", "preprocess"]


class ImageError(ValueError):
    """An image path that does not exist or does not hold a readable image."""


def load_image(path: Union[str, Path]):
    """Open ``path`` as an RGB ``PIL.Image``, with an error that names the file when it cannot."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.exists():
        raise ImageError(f"image not found: {path}")
    if path.is_dir():
        raise ImageError(f"expected an image file, got a folder: {path}")
    try:
        with Image.open(path) as img:
            return img.convert("RGB")
    except (UnidentifiedImageError, OSError) as err:
        raise ImageError(f"cannot read {path} as an image ({err})") from None


def eval_transform_params(cfg) -> Tuple[Tuple[int, int], Tuple[int, int], str]:
    """``(resize_to, crop_size, interpolation)`` for a ``PretrainedCfg``.

    ``resize_to`` is ``(h, w)``: the image is scaled, keeping its aspect ratio, to the smallest size
    that covers it (for a square crop: shorter side to that length), then center cropped.
    ``crop_mode='squash'`` resizes to exactly ``resize_to`` instead, distorting the aspect ratio.
    """
    crop = tuple(int(s) for s in cfg.input_size[-2:])
    crop_pct = cfg.crop_pct or 1.0
    if not 0.0 < crop_pct <= 1.0:
        raise ValueError(f"crop_pct must be in (0, 1], got {crop_pct}")
    resize = tuple(math.floor(s / crop_pct) for s in crop)
    return resize, crop, cfg.interpolation or "bicubic"


def _cover(height: int, width: int, target: Tuple[int, int]) -> list:
    """The smallest size with the image's aspect ratio that covers ``target`` (h, w)."""
    scale = max(target[0] / height, target[1] / width)
    return [round(height * scale), round(width * scale)]


def preprocess(img, cfg) -> "torch.Tensor":
    """A PIL image -> a normalized ``(1, C, H, W)`` float tensor, as the weights of ``cfg`` expect."""
    import torch
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms.v2 import functional as F

    resize, crop, interpolation = eval_transform_params(cfg)
    try:
        mode = InterpolationMode(interpolation)
    except ValueError:
        known = ", ".join(m.value for m in InterpolationMode)
        raise ValueError(f"interpolation must be one of {known}, got {interpolation!r}") from None

    crop_mode = getattr(cfg, "crop_mode", "center") or "center"
    if crop_mode == "squash":
        img = F.resize(img, list(resize), interpolation=mode, antialias=True)
    elif crop_mode != "center":
        raise ValueError(f"crop_mode must be 'center' or 'squash' here, got {crop_mode!r}")
    elif resize[0] == resize[1]:
        img = F.resize(img, [resize[0]], interpolation=mode, antialias=True)  # shorter side
    else:
        img = F.resize(img, _cover(img.height, img.width, resize), interpolation=mode, antialias=True)
    img = F.center_crop(img, list(crop))

    x = F.to_dtype(F.to_image(img), torch.float32, scale=True)
    x = F.normalize(x, mean=list(cfg.mean), std=list(cfg.std))
    return x.unsqueeze(0)
