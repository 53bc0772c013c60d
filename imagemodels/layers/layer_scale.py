"""Per-channel learnable residual scaling (CaiT's LayerScale)."""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["LayerScale", "LayerScale2d"]


class LayerScale(nn.Module):
    """``x * gamma`` over the last dim; ``gamma`` starts at ``init_values`` so deep residual branches start small.

    Touvron et al., "Going deeper with Image Transformers", 2021 (arXiv:2103.17239).
    """

    def __init__(self, dim: int, init_values: float = 1e-5, inplace: bool = False, device=None, dtype=None):
        super().__init__()
        self.init_values = init_values
        self.inplace = inplace
        self.gamma = nn.Parameter(torch.empty(dim, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.constant_(self.gamma, self.init_values)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mul_(self.gamma) if self.inplace else x * self.gamma


class LayerScale2d(nn.Module):
    """LayerScale for NCHW tensors (``gamma`` broadcast over H and W)."""

    def __init__(self, dim: int, init_values: float = 1e-5, inplace: bool = False, device=None, dtype=None):
        super().__init__()
        self.init_values = init_values
        self.inplace = inplace
        self.gamma = nn.Parameter(torch.empty(dim, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.constant_(self.gamma, self.init_values)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gamma = self.gamma.view(1, -1, 1, 1)
        return x.mul_(gamma) if self.inplace else x * gamma
