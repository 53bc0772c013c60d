"""Image transforms the transform factory composes, beyond torchvision's own.

Random choices use Python's ``random`` module (not torch's generator) so that a pipeline seeded with
``random.seed`` draws the same crops as the reference library under the same seed.
"""
from __future__ import annotations

import math
import random
from typing import List, Tuple, Union

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

__all__ = [
    "str_to_interp_mode", "interp_mode_to_str", "str_to_pil_interp", "ResizeKeepRatio", "CenterCropOrPad",
    "center_crop_or_pad", "RandomCropOrPad", "TrimBorder", "MaybeToTensor", "MaybePILToTensor", "ToNumpy",
    "ToTensor", "RandomResizedCropAndInterpolation", "RANDOM_INTERPOLATION",
]

_INTERP_NAMES = ("nearest", "bilinear", "bicubic", "box", "hamming", "lanczos")
_PIL_INTERP = {
    "nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
    "box": Image.BOX, "hamming": Image.HAMMING, "lanczos": Image.LANCZOS,
}
# 'random' interpolation picks one of these per image
RANDOM_INTERPOLATION = (InterpolationMode.BILINEAR, InterpolationMode.BICUBIC)


def str_to_interp_mode(mode_str: str) -> InterpolationMode:
    if mode_str not in _INTERP_NAMES:
        raise ValueError(f"interpolation must be one of {', '.join(_INTERP_NAMES)} (or 'random' for training), got {mode_str!r}")
    return InterpolationMode(mode_str)


def interp_mode_to_str(mode: InterpolationMode) -> str:
    return mode.value


def str_to_pil_interp(mode_str: str) -> int:
    if mode_str not in _PIL_INTERP:
        raise ValueError(f"interpolation must be one of {', '.join(_INTERP_NAMES)}, got {mode_str!r}")
    return _PIL_INTERP[mode_str]


def _interp_arg(interpolation) -> Union[InterpolationMode, Tuple[InterpolationMode, ...]]:
    """A name (or 'random'), a mode, or a sequence of either -> a mode or a tuple to choose from."""
    if isinstance(interpolation, InterpolationMode):
        return interpolation
    if interpolation == "random":
        return RANDOM_INTERPOLATION
    if isinstance(interpolation, (tuple, list)):
        return tuple(_interp_arg(i) for i in interpolation)
    return str_to_interp_mode(interpolation)


def _pick(interpolation):
    return random.choice(interpolation) if isinstance(interpolation, tuple) else interpolation


def _pair(size) -> Tuple[int, int]:
    if isinstance(size, (tuple, list)):
        if len(size) == 1:
            return int(size[0]), int(size[0])
        return int(size[0]), int(size[1])
    return int(size), int(size)


def _image_hw(img) -> Tuple[int, int]:
    _, height, width = F.get_dimensions(img)
    return height, width


class ResizeKeepRatio:
    """Resize keeping the aspect ratio, relative to a target ``(h, w)``.

    ``longest`` blends which edge decides the scale: 0 fits the shorter edge ratio (the image covers the
    target), 1 the longer one (the image fits inside it). The random scale / aspect options jitter the
    result, for training crops that keep most of the image.
    """

    def __init__(
        self,
        size,
        longest: float = 0.0,
        interpolation="bilinear",
        random_scale_prob: float = 0.0,
        random_scale_range=(0.85, 1.05),
        random_scale_area: bool = False,
        random_aspect_prob: float = 0.0,
        random_aspect_range=(0.9, 1.11),
    ):
        self.size = _pair(size)
        self.longest = float(longest)
        self.interpolation = _interp_arg(interpolation)
        self.random_scale_prob = random_scale_prob
        self.random_scale_range = random_scale_range
        self.random_scale_area = random_scale_area
        self.random_aspect_prob = random_aspect_prob
        self.random_aspect_range = random_aspect_range

    def target_size(self, img) -> List[int]:
        img_hw = _image_hw(img)
        ratio_h, ratio_w = img_hw[0] / self.size[0], img_hw[1] / self.size[1]
        ratio = max(ratio_h, ratio_w) * self.longest + min(ratio_h, ratio_w) * (1.0 - self.longest)
        factor_h = factor_w = 1.0
        if self.random_scale_prob > 0 and random.random() < self.random_scale_prob:
            factor = random.uniform(*self.random_scale_range)
            if self.random_scale_area:
                # an area factor, as RandomResizedCrop's scale: < 1 zooms in
                factor = 1.0 / math.sqrt(factor)
            factor_h = factor_w = factor
        if self.random_aspect_prob > 0 and random.random() < self.random_aspect_prob:
            lo, hi = (math.log(x) for x in self.random_aspect_range)
            aspect = math.sqrt(math.exp(random.uniform(lo, hi)))
            factor_h, factor_w = factor_h / aspect, factor_w * aspect
        return [round(img_hw[0] * factor_h / ratio), round(img_hw[1] * factor_w / ratio)]

    def __call__(self, img):
        size = self.target_size(img)
        return F.resize(img, size, _pick(self.interpolation))

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size}, longest={self.longest:.3f}, interpolation={self.interpolation})"


def center_crop_or_pad(img, output_size, fill=0, padding_mode: str = "constant"):
    """Center crop to ``output_size`` (h, w), first padding (split evenly, extra on the right/bottom) any edge that is short."""
    crop_h, crop_w = _pair(output_size)
    img_h, img_w = _image_hw(img)
    if crop_w > img_w or crop_h > img_h:
        pad_w, pad_h = max(crop_w - img_w, 0), max(crop_h - img_h, 0)
        img = F.pad(img, [pad_w // 2, pad_h // 2, (pad_w + 1) // 2, (pad_h + 1) // 2], fill=fill, padding_mode=padding_mode)
        img_h, img_w = _image_hw(img)
    if (img_h, img_w) == (crop_h, crop_w):
        return img
    top = int(round((img_h - crop_h) / 2.0))
    left = int(round((img_w - crop_w) / 2.0))
    return F.crop(img, top, left, crop_h, crop_w)


class CenterCropOrPad(torch.nn.Module):
    def __init__(self, size, fill=0, padding_mode: str = "constant"):
        super().__init__()
        self.size = _pair(size)
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        return center_crop_or_pad(img, self.size, fill=self.fill, padding_mode=self.padding_mode)

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size})"


class RandomCropOrPad(torch.nn.Module):
    """A ``size`` window at a random place: inside the image along an edge that is long enough (a crop), or
    with the image at a random place inside it along one that is short (a pad with ``fill``)."""

    def __init__(self, size, fill=0, padding_mode: str = "constant"):
        super().__init__()
        self.size = _pair(size)
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img, size) -> Tuple[int, int]:
        """Random (top, left) of the window; negative where the window is larger than the image."""
        target_h, target_w = _pair(size)
        img_h, img_w = _image_hw(img)
        return _random_offset(img_h - target_h), _random_offset(img_w - target_w)

    def forward(self, img):
        top, left = self.get_params(img, self.size)
        return crop_or_pad(img, top, left, *self.size, fill=self.fill, padding_mode=self.padding_mode)

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size})"


def _random_offset(margin: int) -> int:
    """Offset along one edge: into the image when it is ``margin`` longer, out of it when shorter."""
    return random.randint(0, margin) if margin >= 0 else -random.randint(0, -margin)


def crop_or_pad(img, top: int, left: int, height: int, width: int, fill=0, padding_mode: str = "constant"):
    """The ``height`` x ``width`` window at (``top``, ``left``); where it reaches past the image (negative
    offsets, or beyond the far edges) the image is padded with ``fill`` / ``padding_mode`` first."""
    img_h, img_w = _image_hw(img)
    pad_left, pad_top = max(-left, 0), max(-top, 0)
    pad_right, pad_bottom = max(left + width - img_w, 0), max(top + height - img_h, 0)
    if pad_left or pad_top or pad_right or pad_bottom:
        img = F.pad(img, [pad_left, pad_top, pad_right, pad_bottom], fill=fill, padding_mode=padding_mode)
    return F.crop(img, top + pad_top, left + pad_left, height, width)


class RandomPad:
    """Pad an image up to ``input_size`` (h, w) with ``fill``, placing it at a random offset; larger
    images are left as they are."""

    def __init__(self, input_size, fill=0):
        self.input_size = input_size
        self.fill = fill

    @staticmethod
    def get_params(img, input_size) -> Tuple[int, int, int, int]:
        """Random (left, top, right, bottom) padding that brings ``img`` to ``input_size``."""
        target_h, target_w = _pair(input_size)
        img_h, img_w = _image_hw(img)
        extra_w, extra_h = max(target_w - img_w, 0), max(target_h - img_h, 0)
        left = random.randint(0, extra_w)
        top = random.randint(0, extra_h)
        return left, top, extra_w - left, extra_h - top

    def __call__(self, img):
        return F.pad(img, list(self.get_params(img, self.input_size)), fill=self.fill)

    def __repr__(self):
        return f"{type(self).__name__}(input_size={self.input_size}, fill={self.fill})"


class TrimBorder(torch.nn.Module):
    """Cut ``border_size`` pixels off every edge."""

    def __init__(self, border_size: int):
        super().__init__()
        self.border_size = int(border_size)

    def forward(self, img):
        height, width = _image_hw(img)
        b = min(self.border_size, (height - 1) // 2, (width - 1) // 2)
        return F.crop(img, b, b, height - 2 * b, width - 2 * b)


class ToNumpy:
    """PIL image -> ``uint8`` array ``(C, H, W)``, for the fast collate that normalises later."""

    def __call__(self, pil_img):
        arr = np.asarray(pil_img, dtype=np.uint8)
        if arr.ndim < 3:
            arr = arr[:, :, None]
        return np.ascontiguousarray(np.moveaxis(arr, 2, 0))


class ToTensor:
    """PIL image -> tensor ``(C, H, W)`` of ``dtype`` with values left at 0..255."""

    def __init__(self, dtype=torch.float32):
        self.dtype = dtype

    def __call__(self, pil_img):
        return torch.from_numpy(ToNumpy()(pil_img)).to(dtype=self.dtype)


class MaybeToTensor:
    """PIL / ndarray -> float tensor in [0, 1]; a tensor passes through untouched."""

    def __call__(self, pic):
        if isinstance(pic, torch.Tensor):
            return pic
        return F.to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MaybePILToTensor:
    """PIL -> ``uint8`` tensor ``(C, H, W)`` (no scaling); a tensor passes through untouched."""

    def __call__(self, pic):
        if isinstance(pic, torch.Tensor):
            return pic
        return F.pil_to_tensor(pic)

    def __repr__(self):
        return f"{type(self).__name__}()"


class RandomResizedCropAndInterpolation:
    """Crop a random area (``scale`` of the image) with a random aspect ratio (log-uniform in ``ratio``), resize to ``size``.

    The Inception-style crop: ten tries to fit the drawn box inside the image, else the largest
    center crop with an aspect ratio inside ``ratio``. ``interpolation='random'`` picks bilinear or
    bicubic per image.
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation="bilinear"):
        self.size = _pair(size)
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError(f"scale and ratio must be (min, max) ranges, got scale={scale} ratio={ratio}")
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.interpolation = _interp_arg(interpolation)

    @staticmethod
    def get_params(img, scale, ratio) -> Tuple[int, int, int, int]:
        """``(top, left, height, width)`` of the crop box."""
        img_h, img_w = _image_hw(img)
        area = img_h * img_w
        log_lo, log_hi = math.log(ratio[0]), math.log(ratio[1])
        for _ in range(10):
            target_area = random.uniform(*scale) * area
            aspect = math.exp(random.uniform(log_lo, log_hi))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if w <= img_w and h <= img_h:
                return random.randint(0, img_h - h), random.randint(0, img_w - w), h, w
        in_ratio = img_w / img_h
        if in_ratio < min(ratio):
            w, h = img_w, int(round(img_w / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = img_h, int(round(img_h * max(ratio)))
        else:
            h, w = img_h, img_w
        return (img_h - h) // 2, (img_w - w) // 2, h, w

    def __call__(self, img):
        top, left, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, top, left, h, w, list(self.size), _pick(self.interpolation))

    def __repr__(self):
        return (f"{type(self).__name__}(size={self.size}, scale={self.scale}, ratio={self.ratio}, "
                f"interpolation={self.interpolation})")
