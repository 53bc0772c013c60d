"""Relative position bias for windowed / global attention (BEiT, Swin-style tables).

A table holds one learned bias per head for every relative offset (dy, dx) inside a ``(Wh, Ww)``
window; ``gen_relative_position_index`` maps each (query, key) pair of the window to its table row.
"""
from __future__ import annotations

from typing import Tuple

import torch
import torch.nn.functional as F

__all__ = ["gen_relative_position_index", "resize_rel_pos_bias_table"]


def gen_relative_position_index(window_size: Tuple[int, int], class_token: bool = False) -> torch.Tensor:
    """``(N, N)`` table indices for the N = Wh*Ww positions (row-major); with ``class_token`` the index is
    ``(N+1, N+1)`` and three extra rows follow the window offsets: token->cls, cls->token, cls->cls."""
    win_h, win_w = window_size
    coords = torch.stack(torch.meshgrid(torch.arange(win_h), torch.arange(win_w), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)  # (N, N, 2) offsets
    index = (rel[..., 0] + win_h - 1) * (2 * win_w - 1) + (rel[..., 1] + win_w - 1)
    if not class_token:
        return index
    num_offsets = (2 * win_h - 1) * (2 * win_w - 1)
    num = win_h * win_w + 1
    full = torch.zeros(num, num, dtype=index.dtype)
    full[1:, 1:] = index
    full[0, :] = num_offsets        # cls attends to a token
    full[:, 0] = num_offsets + 1    # a token attends to cls
    full[0, 0] = num_offsets + 2    # cls to cls
    return full


def resize_rel_pos_bias_table(
    table: torch.Tensor, new_window_size: Tuple[int, int], new_bias_shape: Tuple[int, ...],
) -> torch.Tensor:
    """Resize a ``(num_offsets [+ extra], heads)`` table to another window: the offset grid
    ``(2Wh-1, 2Ww-1)`` is interpolated bicubically per head; extra (class-token) rows are kept."""
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
    dtype = table.dtype
    grid = grid.float().reshape(1, old_side, old_side, heads).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=new_grid, mode="bicubic", align_corners=False)
    grid = grid.permute(0, 2, 3, 1).reshape(-1, heads).to(dtype)
    return torch.cat([grid, extra], dim=0)
