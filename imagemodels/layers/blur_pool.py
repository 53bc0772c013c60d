"""Anti-aliased downsampling: low-pass (blur) before subsampling, and the ``create_aa`` helper.

Zhang, "Making Convolutional Networks Shift-Invariant Again", 2019 (arXiv:1904.11486).
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import factory_kwargs
from .padding import get_padding

__all__ = ["BlurPool2d", "create_aa", "get_aa_layer"]


def _binomial_filter(filt_size: int) -> torch.Tensor:
    """Row ``filt_size - 1`` of Pascal's triangle, normalized: (1, 2, 1) / 4 for size 3."""
    n = filt_size - 1
    return torch.tensor([math.comb(n, k) for k in range(filt_size)], dtype=torch.float32) / 2 ** n


class BlurPool2d(nn.Module):
    """Depthwise binomial blur with stride: downsampling that aliases less than strided conv/pool.

    ``channels`` fixes the filter's depth up front; without it the filter is expanded to the input
    at run time. The filter is a non-persistent buffer, so it never appears in a state dict.
    """

    def __init__(
        self, channels: Optional[int] = None, filt_size: int = 3, stride: int = 2, pad_mode: str = "reflect",
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        if filt_size <= 1:
            raise ValueError(f"BlurPool2d filt_size must be > 1, got {filt_size}")
        self.channels = channels
        self.filt_size = filt_size
        self.stride = stride
        self.pad_mode = pad_mode
        self.padding = [get_padding(filt_size, stride, dilation=1)] * 4
        coeffs = _binomial_filter(filt_size)
        filt = (coeffs[:, None] * coeffs[None, :])[None, None, :, :]
        if channels is not None:
            filt = filt.repeat(channels, 1, 1, 1)
        self.register_buffer("filt", filt.to(**factory_kwargs(device, dtype)), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.pad(x, self.padding, mode=self.pad_mode)
        channels = x.shape[1]
        weight = self.filt if self.channels is not None else self.filt.expand(channels, 1, self.filt_size, self.filt_size)
        return F.conv2d(x, weight.to(x.dtype), stride=self.stride, groups=channels)


_AA_LAYERS = {
    "avg": nn.AvgPool2d,
    "avgpool": nn.AvgPool2d,
    "blur": BlurPool2d,
    "blurpool": BlurPool2d,
    "blurpc": functools.partial(BlurPool2d, pad_mode="constant"),
}


def get_aa_layer(aa_layer: Union[str, Callable[..., nn.Module]]) -> Callable[..., nn.Module]:
    """The anti-aliasing class for a name ('avg', 'blur', 'blurpc'); classes pass through."""
    if not isinstance(aa_layer, str):
        return aa_layer
    key = aa_layer.lower()
    if key not in _AA_LAYERS:
        raise ValueError(f"unknown anti-aliasing layer '{aa_layer}'; known: {', '.join(sorted(_AA_LAYERS))}")
    return _AA_LAYERS[key]


def create_aa(
    aa_layer: Union[str, Callable[..., nn.Module], Type[nn.Module], None],
    channels: Optional[int] = None,
    stride: int = 2,
    enable: bool = True,
    noop: Optional[Type[nn.Module]] = nn.Identity,
    device: Any = None,
    dtype: Any = None,
) -> Optional[nn.Module]:
    """The anti-aliasing downsample for ``stride``; ``noop()`` (or None) when disabled or not asked for.

    Pooling classes (``nn.AvgPool2d``) get ``kernel_size=stride``; filter layers get ``channels``.
    """
    if not aa_layer or not enable:
        return noop() if noop is not None else None
    aa_layer = get_aa_layer(aa_layer)
    if isinstance(aa_layer, type) and issubclass(aa_layer, nn.AvgPool2d):
        return aa_layer(kernel_size=stride, stride=stride)
    return aa_layer(channels=channels, stride=stride, **factory_kwargs(device, dtype))
