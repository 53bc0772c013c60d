"""Learned absolute position embeddings: resizing a table to another grid (loading at a new image
size), and adding one to a token sequence with its prefix (class / register) tokens."""
from __future__ import annotations

import math
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F

__all__ = ["add_abs_pos_embed", "resample_abs_pos_embed", "resample_abs_pos_embed_nhwc"]


def _resize_grid(grid: torch.Tensor, new_size: List[int], interpolation: str, antialias: bool,
                 align_corners: Optional[bool] = None) -> torch.Tensor:
    """Interpolate an NCHW grid in float32 (bicubic in half precision is poor) and return it in its dtype."""
    dtype = grid.dtype
    out = F.interpolate(grid.float(), size=list(new_size), mode=interpolation, antialias=antialias,
                        align_corners=align_corners)
    return out.to(dtype)


def resample_abs_pos_embed(
    posemb: torch.Tensor,
    new_size: List[int],
    old_size: Optional[List[int]] = None,
    num_prefix_tokens: int = 1,
    interpolation: str = "bicubic",
    antialias: bool = True,
    verbose: bool = False,
    align_corners: Optional[bool] = None,
) -> torch.Tensor:
    """Resize a ``(1, prefix + H*W, C)`` embedding to ``new_size`` patches; prefix tokens (class,
    registers) are kept as they are. ``old_size`` defaults to a square grid."""
    num_pos = posemb.shape[1]
    num_new = new_size[0] * new_size[1] + num_prefix_tokens
    if num_new == num_pos and (old_size is None or list(old_size) == list(new_size)):
        return posemb
    if old_size is None:
        side = int(math.sqrt(num_pos - num_prefix_tokens))
        old_size = (side, side)
    if num_prefix_tokens:
        prefix, posemb = posemb[:, :num_prefix_tokens], posemb[:, num_prefix_tokens:]
    else:
        prefix = None
    dim = posemb.shape[-1]
    grid = posemb.reshape(1, old_size[0], old_size[1], dim).permute(0, 3, 1, 2)
    grid = _resize_grid(grid, new_size, interpolation, antialias, align_corners)
    posemb = grid.permute(0, 2, 3, 1).reshape(1, -1, dim)
    if prefix is not None:
        posemb = torch.cat([prefix, posemb], dim=1)
    if verbose:
        print(f"resized position embedding: {tuple(old_size)} to {tuple(new_size)}")
    return posemb


def resample_abs_pos_embed_nhwc(
    posemb: torch.Tensor,
    new_size: List[int],
    interpolation: str = "bicubic",
    antialias: bool = True,
    verbose: bool = False,
) -> torch.Tensor:
    """Resize a ``(1, H, W, C)`` embedding to ``new_size``."""
    if posemb.shape[1] == new_size[0] and posemb.shape[2] == new_size[1]:
        return posemb
    old_size = posemb.shape[1:3]
    grid = _resize_grid(posemb.permute(0, 3, 1, 2), new_size, interpolation, antialias)
    if verbose:
        print(f"resized position embedding: {tuple(old_size)} to {tuple(new_size)}")
    return grid.permute(0, 2, 3, 1)


def add_abs_pos_embed(
    x: torch.Tensor,
    pos_embed: Optional[torch.Tensor],
    prefix_tokens: Sequence[Optional[torch.Tensor]] = (),
    grid_size: Optional[Sequence[int]] = None,
    no_embed_class: bool = False,
) -> torch.Tensor:
    """Prepend the prefix tokens to the patch tokens and add the learned absolute position embedding.

    ``x`` is (B, N, C), or (B, H, W, C) from a patch embedding run at a dynamic size; then the table,
    learned for ``grid_size``, is resampled to H x W first. ``prefix_tokens`` are (1, n, C) parameters
    (class, distillation, register tokens, in that order; ``None`` entries are skipped), expanded over
    the batch. ``no_embed_class``: the table covers the patch tokens only and is added before the
    prefix is prepended (the prefix tokens carry no position); otherwise it covers prefix + patches and
    is added after. ``pos_embed=None`` (no learned table) only prepends.
    """
    prefix = [t.expand(x.shape[0], -1, -1) for t in prefix_tokens if t is not None]
    if x.ndim == 4:
        batch, height, width, channels = x.shape
        x = x.reshape(batch, height * width, channels)
        if pos_embed is not None:
            if grid_size is None:
                raise ValueError("a (B, H, W, C) input needs grid_size, the grid the position table was learned for")
            table_prefix = 0 if no_embed_class else sum(t.shape[1] for t in prefix)
            pos_embed = resample_abs_pos_embed(pos_embed, new_size=[height, width], old_size=list(grid_size),
                                               num_prefix_tokens=table_prefix)
    if pos_embed is not None and no_embed_class:
        x = x + pos_embed
    if prefix:
        x = torch.cat(prefix + [x], dim=1)
    if pos_embed is not None and not no_embed_class:
        x = x + pos_embed
    return x
