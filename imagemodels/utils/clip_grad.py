"""One entry point for the three gradient-clipping modes a training script can ask for."""
from __future__ import annotations

import torch

from .agc import adaptive_clip_grad

__all__ = ["dispatch_clip_grad", "CLIP_MODES"]

CLIP_MODES = ("norm", "value", "agc")


def dispatch_clip_grad(parameters, value: float, mode: str = "norm", norm_type: float = 2.0):
    """Clip gradients in place. ``mode``: ``'norm'`` (total norm <= value), ``'value'`` (each element in
    ``[-value, value]``) or ``'agc'`` (adaptive clipping with ``clip_factor=value``)."""
    if mode == "norm":
        torch.nn.utils.clip_grad_norm_(parameters, value, norm_type=norm_type)
    elif mode == "value":
        torch.nn.utils.clip_grad_value_(parameters, value)
    elif mode == "agc":
        adaptive_clip_grad(parameters, value, norm_type=norm_type)
    else:
        raise ValueError(f"unknown clip mode {mode!r}; choose one of {', '.join(CLIP_MODES)}")
