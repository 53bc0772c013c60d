"""Rotary position embeddings (RoPE) for 2-D token grids.

A rotary embedding turns each (even, odd) or (first-half, second-half) pair of query / key channels
by an angle that depends on the token's position, so q.k depends on the positions' difference only.
For images the channels are split between the two axes: half rotate with the row, half with the column.

* :class:`RotaryEmbeddingCat`: EVA-02 / RoPE-ViT / Perception Encoder axial RoPE. Frequencies
  ``temperature ** -(i / (dim / 4))``, integer grid positions (optionally rescaled to a reference grid,
  so a model fine-tuned at a larger size keeps the pre-training frequencies), channels interleaved
  in pairs. Su et al., "RoFormer", 2021 (arXiv:2104.09864); Fang et al., "EVA-02", 2023 (arXiv:2303.11331).
* :class:`RotaryEmbeddingDinoV3`: DINOv3 RoPE, coordinates normalised to [-1, 1] per axis, periods
  ``temperature ** (i / (dim / 4))``, channels rotated in halves. Simeoni et al., "DINOv3", 2025
  (arXiv:2508.10104).
* :class:`RotaryEmbeddingMixed`: RoPE-Mixed, learned per-block, per-head 2-D frequencies.
  Heo et al., "Rotary Position Embedding for Vision Transformer", 2024 (arXiv:2403.13298).

Every ``get_embed`` returns ``cat([sin, cos], -1)`` laid out for :func:`apply_rot_embed_cat`.
"""
from __future__ import annotations

import math
from typing import Optional, Tuple

import torch
from torch import nn

__all__ = [
    "RotaryEmbeddingCat", "RotaryEmbeddingDinoV3", "RotaryEmbeddingMixed", "apply_rot_embed_cat",
    "rot_interleaved", "rot_half", "rope_bands", "gather_rope",
]


def rot_interleaved(x: torch.Tensor) -> torch.Tensor:
    """(x0, x1, x2, x3, ...) -> (-x1, x0, -x3, x2, ...): a 90 degree turn of each adjacent pair."""
    return torch.stack([-x[..., 1::2], x[..., 0::2]], dim=-1).reshape(x.shape)


def rot_half(x: torch.Tensor) -> torch.Tensor:
    """(a, b) -> (-b, a) over the two halves of the last dimension."""
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


def apply_rot_embed_cat(x: torch.Tensor, emb: torch.Tensor, half: bool = False) -> torch.Tensor:
    """Rotate ``x`` (..., N, dim) by ``emb`` = cat([sin, cos]) (..., N, 2 * dim), broadcasting leading dims."""
    sin, cos = emb.to(x.dtype).chunk(2, dim=-1)
    return x * cos + (rot_half(x) if half else rot_interleaved(x)) * sin


def rope_bands(dim: int, temperature: float = 10000.0) -> torch.Tensor:
    """``dim // 4`` inverse frequencies ``temperature ** -(i / (dim / 4))``, i = 0, 2, 4, ... over dim / 2."""
    return 1.0 / temperature ** (torch.arange(0, dim // 2, 2, dtype=torch.float32) / (dim // 2))


def _grid(shape: Tuple[int, int], device=None) -> Tuple[torch.Tensor, torch.Tensor]:
    """Row-major (row, col) float coordinates of a (H, W) grid, each flattened to H * W."""
    rows = torch.arange(shape[0], dtype=torch.float32, device=device)
    cols = torch.arange(shape[1], dtype=torch.float32, device=device)
    grid_r, grid_c = torch.meshgrid(rows, cols, indexing="ij")
    return grid_r.flatten(), grid_c.flatten()


class RotaryEmbeddingCat(nn.Module):
    """Axial RoPE with fixed frequencies. ``grid_indexing='ij'`` gives the first half of each head's
    channels to the row position, ``'xy'`` to the column. With ``ref_feat_shape`` the positions of a
    (H, W) grid are scaled by ref / (H, W) after adding ``grid_offset`` (the Perception Encoder counts
    patches from 1, its class token sitting at 0)."""

    def __init__(
        self,
        dim: int,
        temperature: float = 10000.0,
        feat_shape: Optional[Tuple[int, int]] = None,
        ref_feat_shape: Optional[Tuple[int, int]] = None,
        grid_offset: float = 0.0,
        grid_indexing: str = "ij",
    ) -> None:
        super().__init__()
        if grid_indexing not in ("ij", "xy"):
            raise ValueError(f"grid_indexing must be 'ij' or 'xy', got {grid_indexing!r}")
        self.dim = dim
        self.temperature = temperature
        self.ref_feat_shape = tuple(ref_feat_shape) if ref_feat_shape is not None else None
        self.grid_offset = grid_offset
        self.grid_indexing = grid_indexing
        self.register_buffer("bands", rope_bands(dim, temperature), persistent=False)
        self.feat_shape = tuple(feat_shape) if feat_shape is not None else None
        self.register_buffer("pos_embed", self._compute(self.feat_shape) if feat_shape is not None else None,
                             persistent=False)

    def _compute(self, shape: Tuple[int, int], device=None) -> torch.Tensor:
        # device None: the default device (meta under ``with torch.device('meta')``)
        rows, cols = _grid(shape, device)
        rows, cols = rows + self.grid_offset, cols + self.grid_offset
        if self.ref_feat_shape is not None:
            rows = rows / shape[0] * self.ref_feat_shape[0]
            cols = cols / shape[1] * self.ref_feat_shape[1]
        bands = rope_bands(self.dim, self.temperature).to(rows.device)
        first, second = (rows, cols) if self.grid_indexing == "ij" else (cols, rows)
        angles = torch.cat([first[:, None] * bands, second[:, None] * bands], dim=-1)
        angles = angles.repeat_interleave(2, dim=-1)  # each angle turns one (even, odd) channel pair
        return torch.cat([angles.sin(), angles.cos()], dim=-1)

    def get_embed(self, shape: Optional[Tuple[int, int]] = None) -> torch.Tensor:
        """``(H * W, 2 * dim)``: the cached grid's embedding, or the one for ``shape``."""
        if shape is None or (self.pos_embed is not None and tuple(shape) == self.feat_shape):
            if self.pos_embed is None:
                raise ValueError("this rotary embedding was built without feat_shape; pass the grid shape")
            return self.pos_embed
        return self._compute(tuple(shape), self.bands.device)

    def update_feat_shape(self, feat_shape: Tuple[int, int]) -> None:
        self.feat_shape = tuple(feat_shape)
        self.pos_embed = self._compute(self.feat_shape, self.bands.device)


class RotaryEmbeddingDinoV3(nn.Module):
    """DINOv3 RoPE: per-axis coordinates ``(i + 0.5) / n * 2 - 1``, angles ``2 pi * coord / period``;
    row angles then column angles, tiled twice for half-rotation. When training with
    ``rescale_coords`` = s, every call scales the coordinates by one log-uniform factor in [1/s, s]."""

    def __init__(self, dim: int, temperature: float = 100.0, rescale_coords: Optional[float] = None) -> None:
        super().__init__()
        self.dim = dim
        self.temperature = temperature
        self.rescale_coords = rescale_coords
        self.register_buffer("periods", self._periods(), persistent=False)

    def _periods(self) -> torch.Tensor:
        num = self.dim // 4
        return self.temperature ** (2 * torch.arange(num, dtype=torch.float32) / (self.dim // 2))

    def get_embed(self, shape: Tuple[int, int]) -> torch.Tensor:
        """``(H * W, 2 * dim)`` for a (H, W) grid."""
        device = self.periods.device
        periods = self._periods().to(device)
        coords = []
        for size in shape:
            coords.append((torch.arange(size, dtype=torch.float32, device=device) + 0.5) / size * 2.0 - 1.0)
        rows, cols = torch.meshgrid(coords[0], coords[1], indexing="ij")
        rows, cols = rows.flatten(), cols.flatten()
        if self.training and self.rescale_coords:
            log_s = math.log(self.rescale_coords)
            scale = torch.empty(1, device=device).uniform_(-log_s, log_s).exp()
            rows, cols = rows * scale, cols * scale
        angles = 2 * math.pi * torch.cat([rows[:, None] / periods, cols[:, None] / periods], dim=-1)
        angles = angles.tile(2)
        return torch.cat([angles.sin(), angles.cos()], dim=-1)


class RotaryEmbeddingMixed(nn.Module):
    """RoPE-Mixed: ``freqs`` (2, depth, heads, head_dim / 2) are learned; the angle of channel pair j of
    a head is ``x * fx_j + y * fy_j``. ``get_embed`` gives (depth, heads, H * W, 2 * head_dim)."""

    def __init__(
        self,
        dim: int,
        depth: int,
        num_heads: int,
        temperature: float = 10.0,
        feat_shape: Optional[Tuple[int, int]] = None,
        grid_indexing: str = "xy",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.dim = dim
        self.depth = depth
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.temperature = temperature
        self.grid_indexing = grid_indexing
        self.freqs = nn.Parameter(self._init_freqs(device, dtype))
        self.feat_shape = tuple(feat_shape) if feat_shape is not None else None
        t_x, t_y = self._coords(self.feat_shape) if feat_shape is not None else (None, None)
        self.register_buffer("t_x", t_x, persistent=False)
        self.register_buffer("t_y", t_y, persistent=False)

    def _init_freqs(self, device, dtype) -> torch.Tensor:
        # the paper's init: per head, axial frequencies turned by a random angle (and its quarter-turn)
        mag = 1.0 / self.temperature ** (torch.arange(0, self.head_dim, 4, dtype=torch.float32)[: self.head_dim // 4] / self.head_dim)
        out = torch.empty(2, self.depth, self.num_heads, self.head_dim // 2)
        for layer in range(self.depth):
            for head in range(self.num_heads):
                angle = torch.rand(1) * 2 * math.pi
                fx = torch.cat([mag * torch.cos(angle), mag * torch.cos(math.pi / 2 + angle)])
                fy = torch.cat([mag * torch.sin(angle), mag * torch.sin(math.pi / 2 + angle)])
                out[0, layer, head], out[1, layer, head] = fx, fy
        return out.to(device=device, dtype=dtype)

    @staticmethod
    def _coords(shape: Tuple[int, int], device=None) -> Tuple[torch.Tensor, torch.Tensor]:
        rows, cols = _grid(shape, device)
        return cols, rows  # x runs along a row (the column index), y down the rows

    def get_embed(self, shape: Optional[Tuple[int, int]] = None) -> torch.Tensor:
        if shape is None or tuple(shape) == self.feat_shape:
            if self.t_x is None:
                raise ValueError("this rotary embedding was built without feat_shape; pass the grid shape")
            t_x, t_y = self.t_x, self.t_y
        else:
            t_x, t_y = self._coords(tuple(shape), self.freqs.device)
        freqs = self.freqs.float()
        angles = t_x[:, None] * freqs[0, :, :, None, :] + t_y[:, None] * freqs[1, :, :, None, :]
        angles = angles.repeat_interleave(2, dim=-1)
        return torch.cat([angles.sin(), angles.cos()], dim=-1)


def gather_rope(rope: torch.Tensor, keep: torch.Tensor, per_block: bool) -> torch.Tensor:
    """The embedding rows of the patch tokens kept by patch dropout (``keep``: (B, N_keep)), with a
    head axis: (B, 1, N_keep, D), or (depth, B, heads, N_keep, D) for per-block embeddings."""
    if per_block:
        return rope[:, :, keep].permute(0, 2, 1, 3, 4)
    return rope[keep].unsqueeze(1)

