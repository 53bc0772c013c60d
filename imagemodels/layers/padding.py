"""Padding arithmetic for convolutions and pools."""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn.functional as F

__all__ = ["get_padding", "get_padding_value", "get_same_padding", "is_static_pad", "pad_same"]

IntOrSeq = Union[int, Sequence[int]]


def get_padding(kernel_size: IntOrSeq, stride: IntOrSeq = 1, dilation: IntOrSeq = 1, **_) -> Union[int, List[int]]:
    """Symmetric padding that keeps ``ceil(size / stride)`` outputs for odd kernels."""
    if any(isinstance(v, (tuple, list)) for v in (kernel_size, stride, dilation)):
        n = max(len(v) for v in (kernel_size, stride, dilation) if isinstance(v, (tuple, list)))
        k, s, d = (list(v) if isinstance(v, (tuple, list)) else [v] * n for v in (kernel_size, stride, dilation))
        return [get_padding(k[i], s[i], d[i]) for i in range(n)]
    return ((stride - 1) + dilation * (kernel_size - 1)) // 2


def get_same_padding(size: int, kernel_size: int, stride: int, dilation: int = 1) -> int:
    """Total padding TensorFlow's 'SAME' mode adds along one dimension of length ``size``."""
    return max((math.ceil(size / stride) - 1) * stride + (kernel_size - 1) * dilation + 1 - size, 0)


def pad_same(x: torch.Tensor, kernel_size: Sequence[int], stride: Sequence[int], dilation: Sequence[int] = (1, 1), value: float = 0.0) -> torch.Tensor:
    """Pad ``x`` as TensorFlow 'SAME' does: any odd extra pixel goes to the right / bottom."""
    ih, iw = x.shape[-2:]
    pad_h = get_same_padding(ih, kernel_size[0], stride[0], dilation[0])
    pad_w = get_same_padding(iw, kernel_size[1], stride[1], dilation[1])
    if pad_h or pad_w:
        x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2), value=value)
    return x


def is_static_pad(kernel_size: int, stride: int = 1, dilation: int = 1, **_) -> bool:
    """True when TensorFlow 'SAME' padding does not depend on the input size (stride 1, odd reach)."""
    return stride == 1 and (dilation * (kernel_size - 1)) % 2 == 0


def get_padding_value(padding: Union[str, int, Sequence[int]], kernel_size: int, **kwargs) -> Tuple[Union[int, Sequence[int]], bool]:
    """Resolve a padding spec to ``(padding, dynamic)``.

    ``''`` (the default) means symmetric PyTorch padding, ``'valid'`` none, ``'same'`` TensorFlow's
    'SAME'. When 'SAME' depends on the input size (stride > 1), ``dynamic`` is True and the caller
    must pad at run time (``Conv2dSame``, ``MaxPool2dSame``).
    """
    if not isinstance(padding, str):
        return padding, False
    mode = padding.lower()
    if mode == "valid":
        return 0, False
    if mode == "same":
        if is_static_pad(kernel_size, **kwargs):
            return get_padding(kernel_size, **kwargs), False
        return 0, True
    if mode == "":
        return get_padding(kernel_size, **kwargs), False
    raise ValueError(f"unknown padding '{padding}'; use '' (symmetric), 'same', 'valid' or an int")
