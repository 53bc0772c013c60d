"""Relative position bias produced by a small MLP over log-spaced relative offsets.

Instead of a learned table with one entry per offset (BEiT, Swin V1), a two-layer MLP maps each
relative offset (dy, dx) inside a ``(Wh, Ww)`` window to one bias per head (Liu et al., "Swin
Transformer V2", arXiv:2111.09883, continuous position bias). The offsets are log-spaced,
``sign(d) * log(1 + |d|)``, so a model trained at one grid extrapolates to a larger one: the MLP
weights do not depend on the window, only the (non-persistent) coordinate buffers do. ``mode="swin"``
is Swin V2's form: offsets scaled by the (pretrained) window, log2, and a 16 * sigmoid bias.
"""
from __future__ import annotations

import math
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import to_2tuple
from .mlp import Mlp
from .pos_embed_rel import gen_relative_position_index

__all__ = ["RelPosMlp", "gen_relative_log_coords"]


def gen_relative_log_coords(
    window_size: Tuple[int, int], pretrained_window_size: Tuple[int, int] = (0, 0), mode: str = "cr", device=None,
) -> torch.Tensor:
    """``(2Wh-1, 2Ww-1, 2)`` relative offsets, log-spaced. ``'cr'``: ``sign(d) * log(1 + |d|)``.
    ``'swin'`` (Swin V2): offsets scaled to [-8, 8] by the (pretrained) window, then
    ``sign(d) * log2(1 + |d|) / log2(8)``."""
    if mode not in ("cr", "swin"):
        raise ValueError(f"mode must be 'cr' or 'swin', got {mode!r}")
    dy = torch.arange(-(window_size[0] - 1), window_size[0], dtype=torch.float32, device=device)
    dx = torch.arange(-(window_size[1] - 1), window_size[1], dtype=torch.float32, device=device)
    coords = torch.stack(torch.meshgrid(dy, dx, indexing="ij"), dim=-1)
    if mode == "cr":
        return torch.sign(coords) * torch.log1p(coords.abs())
    reference = pretrained_window_size if pretrained_window_size[0] > 0 else window_size
    scale = torch.tensor([max(reference[0] - 1, 1), max(reference[1] - 1, 1)], dtype=torch.float32, device=device)
    coords = coords / scale * 8
    return torch.sign(coords) * torch.log2(1.0 + coords.abs()) / math.log2(8)


class RelPosMlp(nn.Module):
    """Per-head attention bias ``(1, heads, N, N)`` for the ``N = Wh*Ww`` tokens of a window, plus
    ``prefix_tokens`` leading tokens (class token) that get zero bias to and from everything."""

    def __init__(
        self,
        window_size: Tuple[int, int],
        num_heads: int = 8,
        hidden_dim: int = 128,
        prefix_tokens: int = 0,
        mode: str = "cr",
        pretrained_window_size: Tuple[int, int] = (0, 0),
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if mode not in ("cr", "swin"):
            raise ValueError(f"mode must be 'cr' (log-spaced offsets) or 'swin' (Swin V2's scaled log2), got {mode!r}")
        self.mode = mode
        self.num_heads = num_heads
        self.prefix_tokens = prefix_tokens
        self.pretrained_window_size = to_2tuple(pretrained_window_size)
        # Swin V2 squashes the bias into (0, 16) with a sigmoid; its MLP output has no bias
        self.bias_act = nn.Sigmoid() if mode == "swin" else nn.Identity()
        self.bias_gain = 16 if mode == "swin" else None
        # the dropout between the MLP layers is part of the published recipe (p=0.125)
        self.mlp = Mlp(2, hidden_features=hidden_dim, out_features=num_heads, act_layer=nn.ReLU,
                       bias=(True, mode != "swin"), drop=(0.125, 0.0), device=device, dtype=dtype)
        self.set_window_size(window_size)

    def set_window_size(self, window_size: Tuple[int, int]) -> None:
        """Rebuild the coordinate buffers for another window (the MLP weights are unchanged)."""
        self.window_size = to_2tuple(window_size)
        self.window_area = self.window_size[0] * self.window_size[1]
        device = self.mlp.fc1.weight.device
        self.register_buffer(
            "relative_position_index",
            gen_relative_position_index(self.window_size).flatten().to(device), persistent=False)
        coords = gen_relative_log_coords(self.window_size, self.pretrained_window_size, self.mode, device=device)
        self.register_buffer("rel_coords_log", coords, persistent=False)

    def get_bias(self) -> torch.Tensor:
        table = self.mlp(self.rel_coords_log).reshape(-1, self.num_heads)
        bias = table[self.relative_position_index].view(self.window_area, self.window_area, self.num_heads)
        bias = self.bias_act(bias.permute(2, 0, 1))
        if self.bias_gain is not None:
            bias = self.bias_gain * bias
        if self.prefix_tokens:
            bias = F.pad(bias, [self.prefix_tokens, 0, self.prefix_tokens, 0])
        return bias.unsqueeze(0)

    def forward(self, attn: torch.Tensor) -> torch.Tensor:
        """Add the bias to attention logits ``(B, heads, N, N)``."""
        return attn + self.get_bias()
