"""Normalisation constants and preprocessing defaults.

The ImageNet / Inception / CLIP values live with the weight metadata (``models._pretrained``) and are
re-exported here under the names data code expects.
"""
from ..models._pretrained import (
    DEFAULT_CROP_PCT,
    IMAGENET_DEFAULT_MEAN,
    IMAGENET_DEFAULT_STD,
    IMAGENET_INCEPTION_MEAN,
    IMAGENET_INCEPTION_STD,
    OPENAI_CLIP_MEAN,
    OPENAI_CLIP_STD,
)

DEFAULT_CROP_MODE = "center"
IMAGENET_DPN_MEAN = (124 / 255, 117 / 255, 104 / 255)
IMAGENET_DPN_STD = tuple([1 / (0.0167 * 255)] * 3)

__all__ = [
    "DEFAULT_CROP_PCT", "DEFAULT_CROP_MODE", "IMAGENET_DEFAULT_MEAN", "IMAGENET_DEFAULT_STD",
    "IMAGENET_INCEPTION_MEAN", "IMAGENET_INCEPTION_STD", "IMAGENET_DPN_MEAN", "IMAGENET_DPN_STD",
    "OPENAI_CLIP_MEAN", "OPENAI_CLIP_STD",
]
