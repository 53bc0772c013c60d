"""Non-overlapping windows over NHWC maps (Swin-style attention) and resampling of the relative
position bias table when the window size changes."""
from __future__ import annotations

import math
from typing import Optional, Sequence, Tuple

import torch

__all__ = ["window_partition", "window_reverse", "resize_rel_pos_bias_table"]


def window_partition(x: torch.Tensor, window_size: Tuple[int, int]) -> torch.Tensor:
    """(B, H, W, C) -> (B * num_windows, win_h, win_w, C); H and W must be multiples of the window."""
    batch, height, width, channels = x.shape
    win_h, win_w = window_size
    x = x.view(batch, height // win_h, win_h, width // win_w, win_w, channels)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, win_h, win_w, channels)


def window_reverse(windows: torch.Tensor, window_size: Tuple[int, int], height: int, width: int) -> torch.Tensor:
    """Inverse of :func:`window_partition`: (B * num_windows, win_h, win_w, C) -> (B, H, W, C)."""
    win_h, win_w = window_size
    channels = windows.shape[-1]
    x = windows.view(-1, height // win_h, width // win_w, win_h, win_w, channels)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, height, width, channels)


def _geometric_coords(src: int, dst: int) -> torch.Tensor:
    """Source grid positions for a table of ``src`` offsets stretched to span ``dst`` offsets.

    The offsets near zero keep unit spacing and the spacing grows geometrically outwards (ratio found
    by bisection), so the fine detail of short-range bias survives the resize (BEiT, arXiv:2106.08254).
    """
    half_src, half_dst = src // 2, dst // 2
    left, right = 1.01, 1.5
    while right - left > 1e-6:
        q = (left + right) / 2.0
        total = (1.0 - q ** half_src) / (1.0 - q)
        if total > half_dst:
            right = q
        else:
            left = q
    dis, cur = [], 1.0
    for i in range(half_src):
        dis.append(cur)
        cur += q ** (i + 1)
    return torch.tensor([-d for d in reversed(dis)] + [0.0] + dis, dtype=torch.float64)


def _interp_linear(coords: torch.Tensor, values: torch.Tensor, at: torch.Tensor, dim: int) -> torch.Tensor:
    """Piecewise-linear interpolation of ``values`` (sampled at ``coords`` along ``dim``) at ``at``,
    extrapolating linearly past the ends."""
    idx = torch.bucketize(at, coords).clamp(1, len(coords) - 1)
    lo, hi = idx - 1, idx
    t = (at - coords[lo]) / (coords[hi] - coords[lo])
    v_lo, v_hi = values.index_select(dim, lo), values.index_select(dim, hi)
    shape = [1] * values.dim()
    shape[dim] = -1
    t = t.view(shape)
    return v_lo + (v_hi - v_lo) * t


def resize_rel_pos_bias_table(
    rel_pos_bias: torch.Tensor,
    new_window_size: Tuple[int, int],
    new_bias_shape: Sequence[int],
    old_window_size: Optional[Tuple[int, int]] = None,
) -> torch.Tensor:
    """Resample a (2*Wh-1)*(2*Ww-1) x heads relative position bias table to ``new_bias_shape``.

    Each head's table is a (2*Wh-1, 2*Ww-1) grid over relative offsets; it is re-sampled at the new
    window's integer offsets on a geometrically stretched copy of the old grid (see
    :func:`_geometric_coords`), linearly between grid points. Extra rows beyond the grid (class-token
    entries in some models) are kept as they are.
    """
    new_h, new_w = 2 * new_window_size[0] - 1, 2 * new_window_size[1] - 1
    num_grid = rel_pos_bias.shape[0]
    if old_window_size is not None:
        old_h, old_w = 2 * old_window_size[0] - 1, 2 * old_window_size[1] - 1
    else:
        old_h = old_w = int(math.isqrt(num_grid))
    extra = rel_pos_bias[old_h * old_w:]
    grid = rel_pos_bias[:old_h * old_w].double().reshape(old_h, old_w, -1)
    if (old_h, old_w) != (new_h, new_w):
        ys, xs = _geometric_coords(old_h, new_h), _geometric_coords(old_w, new_w)
        ty = torch.arange(-(new_h // 2), new_h // 2 + 0.1, 1.0, dtype=torch.float64)
        tx = torch.arange(-(new_w // 2), new_w // 2 + 0.1, 1.0, dtype=torch.float64)
        grid = _interp_linear(ys, grid, ty, 0)
        grid = _interp_linear(xs, grid, tx, 1)
    out = grid.reshape(new_h * new_w, -1).to(rel_pos_bias.dtype)
    if extra.numel():
        out = torch.cat([out, extra], dim=0)
    return out.reshape(tuple(new_bias_shape))
