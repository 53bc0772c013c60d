"""Relative position bias for windowed / global attention (BEiT, Swin-style tables).

A table holds one learned bias per head for every relative offset (dy, dx) inside a ``(Wh, Ww)``
window; ``gen_relative_position_index`` maps each (query, key) pair of the window to its table row.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .weight_init import trunc_normal_

__all__ = [
    "gen_relative_position_index", "resize_rel_pos_bias_table", "resize_rel_pos_bias_table_simple",
    "resize_rel_pos_bias_table_levit", "RelPosBias", "RelPosBiasTf",
]


def gen_relative_position_index(
    q_size: Tuple[int, int], k_size: Optional[Tuple[int, int]] = None, class_token: bool = False, device: Any = None,
) -> torch.Tensor:
    """``(N, N)`` table indices for the N = Wh*Ww positions (row-major) of window ``q_size``; with
    ``class_token`` the index is ``(N+1, N+1)`` and three extra rows follow the window offsets:
    token->cls, cls->token, cls->cls. Keys must share the query window (``k_size`` None or equal)."""
    if k_size is not None and tuple(k_size) != tuple(q_size):
        raise ValueError(f"different query and key windows are not supported, got q_size={q_size}, k_size={k_size}")
    win_h, win_w = q_size
    rows, cols = torch.arange(win_h, device=device), torch.arange(win_w, device=device)
    coords = torch.stack(torch.meshgrid(rows, cols, indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)  # (N, N, 2) offsets
    index = (rel[..., 0] + win_h - 1) * (2 * win_w - 1) + (rel[..., 1] + win_w - 1)
    if not class_token:
        return index
    num_offsets = (2 * win_h - 1) * (2 * win_w - 1)
    num = win_h * win_w + 1
    full = torch.zeros(num, num, dtype=index.dtype, device=index.device)
    full[1:, 1:] = index
    full[0, :] = num_offsets        # cls attends to a token
    full[:, 0] = num_offsets + 1    # a token attends to cls
    full[0, 0] = num_offsets + 2    # cls to cls
    return full


def _geometric_coords(src_size: int, dst_size: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """BEiT's resampling grid: source offsets spaced as a geometric progression whose half-width matches
    the destination's, so near offsets keep their resolution and far ones are stretched."""
    half = src_size // 2

    def progression_sum(ratio: float) -> float:
        return (1.0 - ratio ** half) / (1.0 - ratio)

    left, right = 1.01, 1.5
    while right - left > 1e-6:
        ratio = (left + right) / 2.0
        if progression_sum(ratio) > dst_size // 2:
            right = ratio
        else:
            left = ratio
    dis, cur = [], 1.0
    for i in range(half):
        dis.append(cur)
        cur += ratio ** (i + 1)
    src = torch.tensor([-d for d in reversed(dis)] + [0.0] + dis, dtype=torch.float64)
    t = dst_size // 2.0
    dst = torch.arange(-t, t + 0.1, 1.0, dtype=torch.float64)
    return src, dst


def _linear_weights(src: torch.Tensor, dst: torch.Tensor) -> torch.Tensor:
    """``(len(dst), len(src))`` matrix of piecewise-linear interpolation (extrapolating at the ends)."""
    idx = torch.searchsorted(src, dst, right=False).clamp(1, len(src) - 1)
    x0, x1 = src[idx - 1], src[idx]
    w1 = (dst - x0) / (x1 - x0)
    weights = torch.zeros(len(dst), len(src), dtype=torch.float64)
    rows = torch.arange(len(dst))
    weights[rows, idx - 1] = 1.0 - w1
    weights[rows, idx] += w1
    return weights


def resize_rel_pos_bias_table(
    table: torch.Tensor, new_window_size: Tuple[int, int], new_bias_shape: Tuple[int, ...],
) -> torch.Tensor:
    """Resize a ``(num_offsets [+ extra], heads)`` table to another window: the offset grid
    ``(2Wh-1, 2Ww-1)`` is resampled per head on BEiT's geometric grid with (bi)linear interpolation;
    extra (class-token) rows are kept."""
    new_rows = new_bias_shape[0]
    new_grid = (2 * new_window_size[0] - 1, 2 * new_window_size[1] - 1)
    num_extra = new_rows - new_grid[0] * new_grid[1]
    old_rows = table.shape[0] - num_extra
    old_side = int(round(old_rows ** 0.5))
    if old_side * old_side != old_rows:
        raise ValueError(f"cannot infer the window of a {tuple(table.shape)} relative position table")
    if table.shape[0] == new_rows and old_side == new_grid[0]:
        return table
    grid, extra = table[:old_rows], table[old_rows:]
    heads = table.shape[1]
    src_y, dst_y = _geometric_coords(old_side, new_grid[0])
    src_x, dst_x = _geometric_coords(old_side, new_grid[1])
    wy, wx = _linear_weights(src_y, dst_y), _linear_weights(src_x, dst_x)
    z = grid.double().reshape(old_side, old_side, heads).permute(2, 0, 1)  # (heads, H, W)
    z = wy @ z @ wx.T
    grid = z.permute(1, 2, 0).reshape(-1, heads).to(table.dtype)
    return torch.cat([grid, extra], dim=0)


def resize_rel_pos_bias_table_simple(
    rel_pos_bias: torch.Tensor, new_window_size: Tuple[int, int], new_bias_shape: Tuple[int, ...],
) -> torch.Tensor:
    """Resize a relative position table by plain bicubic interpolation of its offset grid.

    A ``(heads, 2Wh-1, 2Ww-1)`` table is resized as an image; a ``(num_offsets [+ extra], heads)`` table
    is taken as a square offset grid (its extra prefix-token rows are kept as they are).
    """
    dst = (2 * new_window_size[0] - 1, 2 * new_window_size[1] - 1)
    if rel_pos_bias.ndim == 3:
        if tuple(rel_pos_bias.shape[-2:]) == dst:
            return rel_pos_bias
        return F.interpolate(rel_pos_bias.unsqueeze(0), size=dst, mode="bicubic", align_corners=False).squeeze(0)
    if rel_pos_bias.ndim != 2:
        raise ValueError(f"expected a (heads, H, W) or (offsets, heads) table, got shape {tuple(rel_pos_bias.shape)}")
    num_extra = new_bias_shape[0] - dst[0] * dst[1]
    old_rows = rel_pos_bias.shape[0] - num_extra
    side = int(old_rows ** 0.5)
    if side * side != old_rows:
        raise ValueError(f"cannot infer a square offset grid from {old_rows} rows of a (offsets, heads) table")
    if (side, side) == dst:
        return rel_pos_bias
    grid, extra = rel_pos_bias[:old_rows], rel_pos_bias[old_rows:]
    heads = grid.shape[1]
    grid = grid.transpose(0, 1).reshape(1, heads, side, side)
    grid = F.interpolate(grid, size=dst, mode="bicubic", align_corners=False)
    grid = grid.reshape(heads, -1).transpose(0, 1)
    return torch.cat([grid, extra], dim=0) if num_extra > 0 else grid


def resize_rel_pos_bias_table_levit(
    position_bias_table: torch.Tensor, new_size, interpolation: str = "bicubic", antialias: bool = True,
) -> torch.Tensor:
    """Resize a LeViT / TinyViT ``(L, heads)`` attention-bias table (L a square) to ``new_size`` =
    ``(L', heads)`` by interpolating its ``sqrt(L) x sqrt(L)`` grid (TinyViT's recipe)."""
    old_len, old_heads = position_bias_table.shape
    new_len, new_heads = new_size
    if old_heads != new_heads:
        raise ValueError(f"the table has {old_heads} heads but new_size asks for {new_heads}")
    if old_len == new_len:
        return position_bias_table
    old_side, new_side = int(old_len ** 0.5), int(new_len ** 0.5)
    if old_side * old_side != old_len or new_side * new_side != new_len:
        raise ValueError(f"LeViT bias tables are square grids; got {old_len} -> {new_len} rows")
    grid = position_bias_table.permute(1, 0).reshape(1, old_heads, old_side, old_side)
    grid = F.interpolate(grid, size=(new_side, new_side), mode=interpolation, antialias=antialias)
    return grid.reshape(new_heads, new_len).permute(1, 0)


class RelPosBias(nn.Module):
    """Learned relative position bias (Swin / BEiT): one ``(num_offsets [+ 3], heads)`` table indexed to
    a ``(1, heads, N, N)`` bias added to the attention logits. ``prefix_tokens`` (0 or 1) adds the three
    class-token rows (token->cls, cls->token, cls->cls)."""

    def __init__(
        self, window_size: Tuple[int, int], num_heads: int, prefix_tokens: int = 0, device=None, dtype=None,
    ) -> None:
        super().__init__()
        if prefix_tokens > 1:
            raise ValueError(f"RelPosBias supports at most one prefix (class) token, got {prefix_tokens}")
        self.window_size = tuple(window_size)
        self.window_area = self.window_size[0] * self.window_size[1]
        self.prefix_tokens = prefix_tokens
        num_tokens = self.window_area + prefix_tokens
        self.bias_shape = (num_tokens, num_tokens, num_heads)
        num_rows = (2 * self.window_size[0] - 1) * (2 * self.window_size[1] - 1) + 3 * prefix_tokens
        self.relative_position_bias_table = nn.Parameter(torch.zeros(num_rows, num_heads, device=device, dtype=dtype))
        self.register_buffer("relative_position_index", self._index(device), persistent=False)
        self.reset_parameters()

    def _index(self, device=None) -> torch.Tensor:
        return gen_relative_position_index(self.window_size, class_token=self.prefix_tokens > 0).view(-1).to(device)

    def reset_parameters(self) -> None:
        trunc_normal_(self.relative_position_bias_table, std=0.02)

    def init_non_persistent_buffers(self) -> None:
        self.relative_position_index = self._index(self.relative_position_bias_table.device)

    def set_window_size(self, window_size: Tuple[int, int]) -> None:
        """Move to another window: the table is resampled (BEiT's geometric grid), the index rebuilt."""
        window_size = tuple(window_size)
        if window_size == self.window_size:
            return
        num_rows = (2 * window_size[0] - 1) * (2 * window_size[1] - 1) + 3 * self.prefix_tokens
        heads = self.relative_position_bias_table.shape[1]
        with torch.no_grad():
            table = resize_rel_pos_bias_table(self.relative_position_bias_table, window_size, (num_rows, heads))
        self.relative_position_bias_table = nn.Parameter(table)
        self.window_size = window_size
        self.window_area = window_size[0] * window_size[1]
        num_tokens = self.window_area + self.prefix_tokens
        self.bias_shape = (num_tokens, num_tokens, heads)
        self.init_non_persistent_buffers()

    def get_bias(self) -> torch.Tensor:
        """``(1, heads, N, N)``."""
        bias = self.relative_position_bias_table[self.relative_position_index]
        return bias.view(self.bias_shape).permute(2, 0, 1).unsqueeze(0).contiguous()

    def forward(self, attn: torch.Tensor, shared_rel_pos: Optional[torch.Tensor] = None) -> torch.Tensor:
        return attn + self.get_bias()


def _offset_lookup(length: int, device=None) -> torch.Tensor:
    """One-hot ``(L, L, 2L-1)``: entry (i, j) selects offset ``j - i`` (shifted to be >= 0)."""
    pos = torch.arange(length, device=device)
    offset = pos[None, :] - pos[:, None] + length - 1
    return F.one_hot(offset, 2 * length - 1).float()


class RelPosBiasTf(nn.Module):
    """Relative position bias as in the TensorFlow MaxViT: a ``(heads, 2Wh-1, 2Ww-1)`` table expanded to
    ``(heads, N, N)`` through one-hot height / width lookups (einsums instead of a gather)."""

    def __init__(
        self, window_size: Tuple[int, int], num_heads: int, prefix_tokens: int = 0, device=None, dtype=None,
    ) -> None:
        super().__init__()
        if prefix_tokens:
            raise ValueError("RelPosBiasTf has no prefix (class) token rows; use RelPosBias")
        self.window_size = tuple(window_size)
        self.window_area = self.window_size[0] * self.window_size[1]
        self.num_heads = num_heads
        self.bias_shape = (num_heads, 2 * self.window_size[0] - 1, 2 * self.window_size[1] - 1)
        self.relative_position_bias_table = nn.Parameter(torch.zeros(self.bias_shape, device=device, dtype=dtype))
        self.register_buffer("height_lookup", _offset_lookup(self.window_size[0], device), persistent=False)
        self.register_buffer("width_lookup", _offset_lookup(self.window_size[1], device), persistent=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.normal_(self.relative_position_bias_table, std=0.02)

    def init_non_persistent_buffers(self) -> None:
        device = self.relative_position_bias_table.device
        self.height_lookup = _offset_lookup(self.window_size[0], device)
        self.width_lookup = _offset_lookup(self.window_size[1], device)

    def set_window_size(self, window_size: Tuple[int, int]) -> None:
        """Move to another window: the table is resampled on BEiT's geometric grid (square windows), the
        lookups rebuilt."""
        window_size = tuple(window_size)
        if window_size == self.window_size:
            return
        heads = self.num_heads
        dst = (2 * window_size[0] - 1, 2 * window_size[1] - 1)
        with torch.no_grad():
            flat = self.relative_position_bias_table.flatten(1).transpose(0, 1)  # (offsets, heads)
            flat = resize_rel_pos_bias_table(flat, window_size, (dst[0] * dst[1], heads))
            table = flat.transpose(0, 1).reshape(heads, *dst).contiguous()
        self.relative_position_bias_table = nn.Parameter(table)
        self.window_size = window_size
        self.window_area = window_size[0] * window_size[1]
        self.bias_shape = tuple(table.shape)
        self.init_non_persistent_buffers()

    def get_bias(self) -> torch.Tensor:
        """``(heads, N, N)`` (no batch axis, as the reference returns it)."""
        table = self.relative_position_bias_table
        bias = torch.einsum("nhw,ixh->nixw", table, self.height_lookup.to(table.dtype))
        bias = torch.einsum("nixw,jyw->nijxy", bias, self.width_lookup.to(table.dtype))
        return bias.reshape(self.num_heads, self.window_area, self.window_area)

    def forward(self, attn: torch.Tensor, shared_rel_pos: Optional[torch.Tensor] = None) -> torch.Tensor:
        return attn + self.get_bias()
