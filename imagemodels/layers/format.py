"""Tensor layouts (NCHW / NHWC / NCL / NLC) and conversions from the two image layouts.

Transformer families move between an image layout (NCHW from a conv stem, NHWC inside windowed
attention) and a token layout (NLC, tokens first); the enum names the layout a layer emits.
"""
from __future__ import annotations

from enum import Enum
from typing import Tuple, Union

import torch

__all__ = ["Format", "FormatT", "get_spatial_dim", "get_channel_dim", "nchw_to", "nhwc_to"]


class Format(str, Enum):
    NCHW = "NCHW"
    NHWC = "NHWC"
    NCL = "NCL"
    NLC = "NLC"


FormatT = Union[str, Format]


def get_spatial_dim(fmt: FormatT) -> Tuple[int, ...]:
    """The dims holding space: (2, 3) for NCHW, (1, 2) for NHWC, (2,) for NCL, (1,) for NLC."""
    fmt = Format(fmt)
    return {Format.NCHW: (2, 3), Format.NHWC: (1, 2), Format.NCL: (2,), Format.NLC: (1,)}[fmt]


def get_channel_dim(fmt: FormatT) -> int:
    """The dim holding channels."""
    fmt = Format(fmt)
    return {Format.NCHW: 1, Format.NHWC: 3, Format.NCL: 1, Format.NLC: 2}[fmt]


def nchw_to(x: torch.Tensor, fmt: Format) -> torch.Tensor:
    """An NCHW tensor in layout ``fmt`` (the L layouts flatten H and W, row-major)."""
    if fmt == Format.NHWC:
        return x.permute(0, 2, 3, 1)
    if fmt == Format.NLC:
        return x.flatten(2).transpose(1, 2)
    if fmt == Format.NCL:
        return x.flatten(2)
    return x


def nhwc_to(x: torch.Tensor, fmt: Format) -> torch.Tensor:
    """An NHWC tensor in layout ``fmt``."""
    if fmt == Format.NCHW:
        return x.permute(0, 3, 1, 2)
    if fmt == Format.NLC:
        return x.flatten(1, 2)
    if fmt == Format.NCL:
        return x.flatten(1, 2).transpose(1, 2)
    return x
