"""``create_transform``: the train / no-aug train / eval pipelines from a handful of keywords.

Eval (crop_pct, crop_mode):
  - ``center``: resize the shorter edge to ``size / crop_pct`` (keeping the aspect ratio), center crop ``size``;
  - ``squash``: resize both edges to ``size / crop_pct`` (aspect ratio not kept), center crop ``size``;
  - ``border``: resize the longer edge to ``size / crop_pct``, pad with the mean colour, center crop ``size``.
Train: a random resized crop (or a keep-ratio crop), flips, then auto-augment or colour jitter,
grayscale, blur, normalise, random erasing. With ``use_prefetcher`` the pipeline stops at a ``uint8``
tensor: the loader normalises (and erases) on the device.
"""
from __future__ import annotations

import math
from typing import Optional, Tuple, Union

import torch
from torchvision import transforms

from .constants import DEFAULT_CROP_PCT, IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
from .transforms import (
    CenterCropOrPad,
    MaybePILToTensor,
    MaybeToTensor,
    RandomCropOrPad,
    RandomResizedCropAndInterpolation,
    ResizeKeepRatio,
    TrimBorder,
    str_to_interp_mode,
)

__all__ = ["create_transform", "transforms_imagenet_eval", "transforms_imagenet_train", "transforms_noaug_train"]

_CROP_MODES = ("center", "squash", "border")
_TRAIN_CROP_MODES = ("rrc", "rkrc", "rkrr")


def _to_tensor_tail(mean, std, use_prefetcher: bool, normalize: bool) -> list:
    if use_prefetcher or not normalize:
        # the prefetcher normalises on the device; without normalisation keep the uint8 values
        return [MaybePILToTensor()]
    return [MaybeToTensor(), transforms.Normalize(mean=torch.tensor(mean), std=torch.tensor(std))]


def _unsupported(**flags):
    on = [name for name, value in flags.items() if value]
    if on:
        raise NotImplementedError(f"{', '.join(on)} is not supported by imagemodels yet")


def transforms_noaug_train(
    img_size=224,
    interpolation: str = "bilinear",
    mean=IMAGENET_DEFAULT_MEAN,
    std=IMAGENET_DEFAULT_STD,
    use_prefetcher: bool = False,
    normalize: bool = True,
):
    """Training without augmentation: resize the shorter edge to ``img_size``, center crop."""
    if interpolation == "random":
        interpolation = "bilinear"  # no randomness without augmentation
    tfl = [transforms.Resize(img_size, interpolation=str_to_interp_mode(interpolation)), transforms.CenterCrop(img_size)]
    return transforms.Compose(tfl + _to_tensor_tail(mean, std, use_prefetcher, normalize))


def transforms_imagenet_train(
    img_size=224,
    train_crop_mode: Optional[str] = None,
    scale: Optional[Tuple[float, float]] = None,
    ratio: Optional[Tuple[float, float]] = None,
    hflip: float = 0.5,
    vflip: float = 0.0,
    color_jitter=0.4,
    color_jitter_prob: Optional[float] = None,
    force_color_jitter: bool = False,
    grayscale_prob: float = 0.0,
    gaussian_blur_prob: float = 0.0,
    auto_augment: Optional[str] = None,
    interpolation: str = "random",
    mean=IMAGENET_DEFAULT_MEAN,
    std=IMAGENET_DEFAULT_STD,
    re_prob: float = 0.0,
    re_mode: str = "const",
    re_count: int = 1,
    re_num_splits: int = 0,
    use_prefetcher: bool = False,
    normalize: bool = True,
    separate: bool = False,
    naflex: bool = False,
    patch_size=16,
    max_seq_len: int = 576,
    patchify: bool = False,
    patchify_channels_last: bool = True,
):
    """The training pipeline; ``separate=True`` returns its three stages (crop+flip, colour, tensor) for AugMix-style splits."""
    _unsupported(naflex=naflex, patchify=patchify)
    train_crop_mode = train_crop_mode or "rrc"
    if train_crop_mode not in _TRAIN_CROP_MODES:
        raise ValueError(f"train_crop_mode must be one of {', '.join(_TRAIN_CROP_MODES)}, got {train_crop_mode!r}")

    if train_crop_mode == "rrc":
        primary = [RandomResizedCropAndInterpolation(
            img_size, scale=tuple(scale or (0.08, 1.0)), ratio=tuple(ratio or (3 / 4, 4 / 3)), interpolation=interpolation,
        )]
    else:
        # keep most of the image: jitter the scale (as an area, like RRC) and aspect, then crop/pad
        cropper = CenterCropOrPad if train_crop_mode == "rkrc" else RandomCropOrPad
        primary = [
            ResizeKeepRatio(
                img_size, interpolation=interpolation,
                random_scale_prob=0.5, random_scale_range=tuple(scale or (0.8, 1.0)), random_scale_area=True,
                random_aspect_prob=0.5, random_aspect_range=tuple(ratio or (0.9, 1 / 0.9)),
            ),
            cropper(img_size, padding_mode="reflect"),
        ]
    if hflip > 0:
        primary.append(transforms.RandomHorizontalFlip(p=hflip))
    if vflip > 0:
        primary.append(transforms.RandomVerticalFlip(p=vflip))

    secondary = []
    jitter_allowed = True
    if auto_augment:
        from .auto_augment import augment_transform_from_string  # only when asked for

        # auto-augment policies already change colour; '3a' is designed to run alongside jitter
        jitter_allowed = force_color_jitter or "3a" in auto_augment
        secondary.append(augment_transform_from_string(auto_augment, img_size, mean, interpolation))
    if color_jitter is not None and jitter_allowed:
        if isinstance(color_jitter, (list, tuple)):
            if len(color_jitter) not in (3, 4):
                raise ValueError(f"color_jitter must be a float or 3/4 floats (brightness, contrast, saturation[, hue]), got {color_jitter}")
        else:
            color_jitter = (float(color_jitter),) * 3
        jitter = transforms.ColorJitter(*color_jitter)
        secondary.append(jitter if color_jitter_prob is None else transforms.RandomApply([jitter], p=color_jitter_prob))
    if grayscale_prob:
        secondary.append(transforms.RandomGrayscale(p=grayscale_prob))
    if gaussian_blur_prob:
        secondary.append(transforms.RandomApply([transforms.GaussianBlur(kernel_size=23)], p=gaussian_blur_prob))

    final = _to_tensor_tail(mean, std, use_prefetcher, normalize)
    if re_prob > 0 and not use_prefetcher and normalize:
        from .random_erasing import RandomErasing

        final.append(RandomErasing(re_prob, mode=re_mode, max_count=re_count, num_splits=re_num_splits, device="cpu"))

    if separate:
        return transforms.Compose(primary), transforms.Compose(secondary), transforms.Compose(final)
    return transforms.Compose(primary + secondary + final)


def transforms_imagenet_eval(
    img_size=224,
    crop_pct: Optional[float] = None,
    crop_mode: Optional[str] = None,
    crop_border_pixels: Optional[int] = None,
    interpolation: str = "bilinear",
    mean=IMAGENET_DEFAULT_MEAN,
    std=IMAGENET_DEFAULT_STD,
    use_prefetcher: bool = False,
    normalize: bool = True,
    naflex: bool = False,
    patch_size=16,
    max_seq_len: int = 576,
    patchify: bool = False,
    patchify_channels_last: bool = True,
    patchify_flatten: bool = True,
):
    """The evaluation pipeline (see the module docstring for the crop modes)."""
    _unsupported(naflex=naflex, patchify=patchify)
    crop_pct = crop_pct or DEFAULT_CROP_PCT
    if crop_pct <= 0:
        raise ValueError(f"crop_pct must be > 0, got {crop_pct}")
    crop_mode = crop_mode or "center"
    if crop_mode not in _CROP_MODES:
        raise ValueError(f"crop_mode must be one of {', '.join(_CROP_MODES)}, got {crop_mode!r}")
    if isinstance(img_size, (tuple, list)):
        if len(img_size) != 2:
            raise ValueError(f"img_size must be an int or (height, width), got {img_size}")
        scale_size = tuple(math.floor(s / crop_pct) for s in img_size)
    else:
        scale_size = (math.floor(img_size / crop_pct),) * 2

    tfl = [TrimBorder(crop_border_pixels)] if crop_border_pixels else []
    if crop_mode == "squash":
        tfl += [transforms.Resize(scale_size, interpolation=str_to_interp_mode(interpolation)), transforms.CenterCrop(img_size)]
    elif crop_mode == "border":
        fill = [round(255 * v) for v in mean]
        tfl += [ResizeKeepRatio(scale_size, interpolation=interpolation, longest=1.0), CenterCropOrPad(img_size, fill=fill)]
    else:
        if scale_size[0] == scale_size[1]:
            resize = transforms.Resize(scale_size[0], interpolation=str_to_interp_mode(interpolation))  # shorter edge
        else:
            resize = ResizeKeepRatio(scale_size, interpolation=interpolation)
        tfl += [resize, transforms.CenterCrop(img_size)]
    return transforms.Compose(tfl + _to_tensor_tail(mean, std, use_prefetcher, normalize))


def create_transform(
    input_size: Union[int, Tuple[int, int], Tuple[int, int, int]] = 224,
    is_training: bool = False,
    no_aug: bool = False,
    train_crop_mode: Optional[str] = None,
    scale: Optional[Tuple[float, float]] = None,
    ratio: Optional[Tuple[float, float]] = None,
    hflip: float = 0.5,
    vflip: float = 0.0,
    color_jitter=0.4,
    color_jitter_prob: Optional[float] = None,
    grayscale_prob: float = 0.0,
    gaussian_blur_prob: float = 0.0,
    auto_augment: Optional[str] = None,
    interpolation: str = "bilinear",
    mean=IMAGENET_DEFAULT_MEAN,
    std=IMAGENET_DEFAULT_STD,
    re_prob: float = 0.0,
    re_mode: str = "const",
    re_count: int = 1,
    re_num_splits: int = 0,
    crop_pct: Optional[float] = None,
    crop_mode: Optional[str] = None,
    crop_border_pixels: Optional[int] = None,
    tf_preprocessing: bool = False,
    use_prefetcher: bool = False,
    normalize: bool = True,
    separate: bool = False,
    naflex: bool = False,
    patch_size=16,
    max_seq_len: int = 576,
    patchify: bool = False,
    patchify_channels_last: bool = True,
    patchify_flatten: bool = True,
):
    """A transform for ``input_size`` (an int, ``(h, w)`` or ``(c, h, w)``): train, no-aug train, or eval."""
    img_size = tuple(input_size[-2:]) if isinstance(input_size, (tuple, list)) else input_size
    if tf_preprocessing and use_prefetcher:
        _unsupported(tf_preprocessing=True)
    if is_training and no_aug:
        if separate:
            raise ValueError("separate=True splits the augmentation stages; it cannot be used with no_aug")
        _unsupported(naflex=naflex)
        return transforms_noaug_train(
            img_size, interpolation=interpolation, mean=mean, std=std, use_prefetcher=use_prefetcher, normalize=normalize,
        )
    if is_training:
        return transforms_imagenet_train(
            img_size, train_crop_mode=train_crop_mode, scale=scale, ratio=ratio, hflip=hflip, vflip=vflip,
            color_jitter=color_jitter, color_jitter_prob=color_jitter_prob, grayscale_prob=grayscale_prob,
            gaussian_blur_prob=gaussian_blur_prob, auto_augment=auto_augment, interpolation=interpolation,
            mean=mean, std=std, re_prob=re_prob, re_mode=re_mode, re_count=re_count, re_num_splits=re_num_splits,
            use_prefetcher=use_prefetcher, normalize=normalize, separate=separate, naflex=naflex, patchify=patchify,
        )
    if separate:
        raise ValueError("separate=True is only for training transforms (is_training=True)")
    return transforms_imagenet_eval(
        img_size, crop_pct=crop_pct, crop_mode=crop_mode, crop_border_pixels=crop_border_pixels,
        interpolation=interpolation, mean=mean, std=std, use_prefetcher=use_prefetcher, normalize=normalize,
        naflex=naflex, patchify=patchify,
    )
