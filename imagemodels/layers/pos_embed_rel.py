"""Relative position bias for windowed / global attention (BEiT, Swin-style tables).

A table holds one learned bias per head for every relative offset (dy, dx) inside a ``(Wh, Ww)``
window; ``gen_relative_position_index`` maps each (query, key) pair of the window to its table row.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

import torch

__all__ = ["gen_relative_position_index", "resize_rel_pos_bias_table"]


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
