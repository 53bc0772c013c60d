"""Weight initialisers."""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["trunc_normal_"]


def trunc_normal_(tensor: torch.Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0) -> torch.Tensor:
    """Fill ``tensor`` from N(mean, std) truncated to [a, b] (bounds are absolute, not in stds).

    Thin wrapper over ``torch.nn.init.trunc_normal_`` kept for the ecosystem's import path.
    """
    return nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)
