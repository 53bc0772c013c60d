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
from typing import List, Optional, Sequence, Tuple

import torch
from torch import nn

__all__ = [
    "RotaryEmbeddingCat", "RotaryEmbeddingDinoV3", "RotaryEmbeddingMixed", "apply_rot_embed_cat",
    "rot_interleaved", "rot_half", "rope_bands", "gather_rope",
    "freq_bands", "pixel_freq_bands", "build_sincos2d_pos_embed", "build_fourier_pos_embed",
    "build_rotary_pos_embed", "apply_rot_embed", "apply_rot_embed_list", "RotaryEmbedding", "FourierEmbed",
    "get_mixed_freqs", "create_rope_embed",
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
        # device None: the default device (meta under ``with torch.device('meta')``); the table is the
        # reference's index-grid rotary embedding with this module's bands, sin and cos concatenated
        bands = rope_bands(self.dim, self.temperature).to(device)
        sin, cos = build_rotary_pos_embed(
            list(shape), bands=bands, dim=self.dim, in_pixels=False, ref_feat_shape=self.ref_feat_shape,
            grid_offset=self.grid_offset, grid_indexing=self.grid_indexing, device=device)
        return torch.cat([sin, cos], dim=-1)

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
        return get_mixed_freqs(self.freqs, t_x, t_y, dtype=torch.float32)


def gather_rope(rope: torch.Tensor, keep: torch.Tensor, per_block: bool) -> torch.Tensor:
    """The embedding rows of the patch tokens kept by patch dropout (``keep``: (B, N_keep)), with a
    head axis: (B, 1, N_keep, D), or (depth, B, heads, N_keep, D) for per-block embeddings."""
    if per_block:
        return rope[:, :, keep].permute(0, 2, 1, 3, 4)
    return rope[keep].unsqueeze(1)



# --- the reference's functional API: frequency bands, grids, sin / cos tables ------------------------------


def freq_bands(
    num_bands: int, temperature: float = 10000.0, step: int = 2, device: Optional[torch.device] = None,
) -> torch.Tensor:
    """Language-model style inverse frequencies ``temperature ** -(i / num_bands)`` for i = 0, step, ..."""
    exponent = torch.arange(0, num_bands, step, dtype=torch.int64, device=device).to(torch.float32) / num_bands
    return 1.0 / temperature ** exponent


def pixel_freq_bands(
    num_bands: int, max_freq: float = 224.0, linear_bands: bool = True, device: Optional[torch.device] = None,
) -> torch.Tensor:
    """Perceiver style frequencies ``pi * f`` for f from 1 to ``max_freq / 2`` (the Nyquist frequency of a
    ``max_freq`` pixel signal on [-1, 1]), spaced linearly or log2-evenly."""
    if linear_bands:
        bands = torch.linspace(1.0, max_freq / 2, num_bands, dtype=torch.float32, device=device)
    else:
        bands = 2 ** torch.linspace(0, math.log(max_freq, 2) - 1, num_bands, dtype=torch.float32, device=device)
    return bands * torch.pi


def build_sincos2d_pos_embed(
    feat_shape: List[int],
    dim: int = 64,
    temperature: float = 10000.0,
    reverse_coord: bool = False,
    interleave_sin_cos: bool = False,
    device: Optional[torch.device] = None,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """Fixed 2-D sin-cos absolute position table ``(H * W, dim)`` (MAE / ViT-22B style): ``dim / 4``
    frequencies per axis; layout ``[sin(y), sin(x), cos(y), cos(x)]`` or, interleaved, ``[sin(y), cos(y),
    sin(x), cos(x)]``. ``reverse_coord`` walks the grid as (W, H) instead of (H, W)."""
    if dim % 4:
        raise ValueError(f"build_sincos2d_pos_embed needs dim divisible by 4 (sin and cos per axis), got {dim}")
    bands = freq_bands(dim // 4, temperature=temperature, step=1, device=device)
    shape = list(feat_shape)[::-1] if reverse_coord else list(feat_shape)
    axes = [torch.arange(s, device=device, dtype=torch.int64).to(torch.float32) for s in shape]
    grid = torch.stack(torch.meshgrid(*axes, indexing="ij")).flatten(1).transpose(0, 1)  # (N, 2)
    angles = grid[:, :, None] * bands  # (N, 2, dim / 4)
    stack_dim = 2 if interleave_sin_cos else 1
    emb = torch.stack([angles.sin(), angles.cos()], dim=stack_dim).flatten(1)
    return emb.to(dtype)


def _log_uniform(scale: float, size: int, device) -> torch.Tensor:
    log_s = math.log(scale)
    return torch.empty(size, device=device).uniform_(-log_s, log_s).exp()


def _augment_coords(
    coords: List[torch.Tensor], shift: Optional[float], jitter: Optional[float], rescale: Optional[float],
) -> List[torch.Tensor]:
    """Training-time coordinate augmentation, one draw shared by every position of a call: a uniform
    per-axis shift in [-shift, shift], a per-axis log-uniform scale in [1/jitter, jitter], a shared
    log-uniform scale in [1/rescale, rescale]."""
    device = coords[0].device
    if shift:
        offsets = torch.empty(len(coords), device=device).uniform_(-shift, shift)
        coords = [c + offsets[i] for i, c in enumerate(coords)]
    if jitter:
        scales = _log_uniform(jitter, len(coords), device)
        coords = [c * scales[i] for i, c in enumerate(coords)]
    if rescale:
        scale = _log_uniform(rescale, 1, device)
        coords = [c * scale for c in coords]
    return coords


def _axis_coords(
    feat_shape: Sequence[int],
    grid_type: str,
    ref_feat_shape: Optional[Sequence[int]],
    grid_offset: float,
    normalize_coords: str,
    device,
) -> List[torch.Tensor]:
    """Per-axis coordinates. 'index': 0..n-1 (+ offset); 'pixel': n points on [-1, 1]; 'centered': cell
    centres (i + 0.5 + offset) mapped to [-1, 1] by the axis length ('separate'), or by the shorter /
    longer side ('min' / 'max'). With ``ref_feat_shape`` the coordinates are rescaled by ref / n (before
    the centred normalisation), so a fine-tuned grid keeps the pre-training coordinate range."""
    if grid_type not in ("index", "pixel", "centered"):
        raise ValueError(f"grid_type must be 'index', 'pixel' or 'centered', got {grid_type!r}")
    if normalize_coords not in ("separate", "min", "max"):
        raise ValueError(f"normalize_coords must be 'separate', 'min' or 'max', got {normalize_coords!r}")
    coords = []
    for i, size in enumerate(feat_shape):
        if grid_type == "pixel":
            c = torch.linspace(-1.0, 1.0, steps=size, device=device, dtype=torch.float32)
        else:
            c = torch.arange(size, device=device, dtype=torch.int64).to(torch.float32) + grid_offset
            if grid_type == "centered":
                c = c + 0.5
        if ref_feat_shape is not None:
            c = c * ref_feat_shape[i] / size
        if grid_type == "centered":
            denom = {"separate": size, "min": min(feat_shape), "max": max(feat_shape)}[normalize_coords]
            c = c / denom * 2.0 - 1.0
        coords.append(c)
    return coords


def build_fourier_pos_embed(
    feat_shape: List[int],
    bands: Optional[torch.Tensor] = None,
    num_bands: int = 64,
    max_res: int = 224,
    temperature: float = 10000.0,
    linear_bands: bool = False,
    include_grid: bool = False,
    in_pixels: bool = True,
    ref_feat_shape: Optional[List[int]] = None,
    grid_offset: float = 0.0,
    grid_indexing: str = "ij",
    device: Optional[torch.device] = None,
    dtype: torch.dtype = torch.float32,
    grid_type: Optional[str] = None,
    normalize_coords: str = "separate",
    shift_coords: Optional[float] = None,
    jitter_coords: Optional[float] = None,
    rescale_coords: Optional[float] = None,
) -> List[torch.Tensor]:
    """``[sin, cos]`` (or ``[grid, sin, cos]`` with ``include_grid``), each ``(*feat_shape, ndim, bands)``:
    every grid coordinate times every frequency. ``in_pixels`` picks pixel bands on a [-1, 1] grid, else
    inverse-frequency bands on an index grid; ``grid_type`` overrides the grid only. With 'xy' indexing
    the first two coordinates are (column, row)."""
    if grid_indexing not in ("ij", "xy"):
        raise ValueError(f"grid_indexing must be 'ij' or 'xy', got {grid_indexing!r}")
    if bands is None:
        if in_pixels:
            bands = pixel_freq_bands(num_bands, float(max_res), linear_bands=linear_bands, device=device)
        else:
            bands = freq_bands(num_bands, temperature=temperature, step=1, device=device)
    elif device is None:
        device = bands.device
    grid_type = grid_type or ("pixel" if in_pixels else "index")
    coords = _axis_coords(feat_shape, grid_type, ref_feat_shape, grid_offset, normalize_coords, device)
    coords = _augment_coords(coords, shift_coords, jitter_coords, rescale_coords)
    grids = list(torch.meshgrid(*coords, indexing="ij"))
    if grid_indexing == "xy" and len(grids) >= 2:
        grids[0], grids[1] = grids[1], grids[0]
    grid = torch.stack(grids, dim=-1).unsqueeze(-1)  # (*feat_shape, ndim, 1)
    pos = grid * bands.to(grid.device, torch.float32)
    out = [pos.sin().to(dtype), pos.cos().to(dtype)]
    return [grid.to(dtype)] + out if include_grid else out


def build_rotary_pos_embed(
    feat_shape: List[int],
    bands: Optional[torch.Tensor] = None,
    dim: int = 64,
    max_res: int = 224,
    temperature: float = 10000.0,
    linear_bands: bool = False,
    in_pixels: bool = True,
    ref_feat_shape: Optional[List[int]] = None,
    grid_offset: float = 0.0,
    grid_indexing: str = "ij",
    rotate_half: bool = False,
    device: Optional[torch.device] = None,
    dtype: torch.dtype = torch.float32,
    grid_type: Optional[str] = None,
    normalize_coords: str = "separate",
    shift_coords: Optional[float] = None,
    jitter_coords: Optional[float] = None,
    rescale_coords: Optional[float] = None,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """``(sin, cos)``, each ``(prod(feat_shape), 2 * ndim * bands)``: the Fourier table laid out for
    :func:`apply_rot_embed`, every angle repeated for its channel pair (interleaved) or the whole angle
    row repeated twice (``rotate_half``)."""
    sin_emb, cos_emb = build_fourier_pos_embed(
        feat_shape, bands=bands, num_bands=dim // 4, max_res=max_res, temperature=temperature,
        linear_bands=linear_bands, in_pixels=in_pixels, ref_feat_shape=ref_feat_shape, grid_offset=grid_offset,
        grid_indexing=grid_indexing, device=device, dtype=dtype, grid_type=grid_type,
        normalize_coords=normalize_coords, shift_coords=shift_coords, jitter_coords=jitter_coords,
        rescale_coords=rescale_coords,
    )
    num_pos = math.prod(feat_shape)
    sin_emb, cos_emb = sin_emb.reshape(num_pos, -1), cos_emb.reshape(num_pos, -1)
    if rotate_half:
        return sin_emb.repeat(1, 2), cos_emb.repeat(1, 2)
    return sin_emb.repeat_interleave(2, -1), cos_emb.repeat_interleave(2, -1)


def apply_rot_embed(x: torch.Tensor, sin_emb: torch.Tensor, cos_emb: torch.Tensor, half: bool = False) -> torch.Tensor:
    """Rotate ``x`` (..., N, dim) by separate sin / cos tables; the result keeps x's dtype (the products
    use ordinary promotion, so a float32 table rotates a half-precision x at float32)."""
    rotated = rot_half(x) if half else rot_interleaved(x)
    return (x * cos_emb + rotated * sin_emb).to(x.dtype)


def apply_rot_embed_list(
    x: List[torch.Tensor], sin_emb: torch.Tensor, cos_emb: torch.Tensor, half: bool = False,
) -> List[torch.Tensor]:
    """:func:`apply_rot_embed` on each tensor of a list (q and k, say)."""
    return [apply_rot_embed(t, sin_emb, cos_emb, half=half) for t in x]


class RotaryEmbedding(nn.Module):
    """Axial RoPE with separate sin / cos tables (``get_embed`` returns a pair, for :func:`apply_rot_embed`).

    Bands are pixel frequencies up to ``max_res`` (``in_pixels``) or inverse frequencies of
    ``temperature``; ``dim / 4`` bands per axis. With ``feat_shape`` the tables are cached
    (non-persistent buffers). ``shift_coords`` / ``jitter_coords`` / ``rescale_coords`` augment
    coordinates in training only, and never the cached tables.
    """

    def __init__(
        self,
        dim: int,
        max_res: int = 224,
        temperature: float = 10000,
        in_pixels: bool = True,
        linear_bands: bool = False,
        feat_shape: Optional[List[int]] = None,
        ref_feat_shape: Optional[List[int]] = None,
        grid_offset: float = 0.0,
        grid_indexing: str = "ij",
        grid_type: Optional[str] = None,
        normalize_coords: str = "separate",
        device=None,
        dtype=None,
        shift_coords: Optional[float] = None,
        jitter_coords: Optional[float] = None,
        rescale_coords: Optional[float] = None,
        rotate_half: bool = False,
    ) -> None:
        super().__init__()
        self.dim = dim
        self.max_res = max_res
        self.temperature = temperature
        self.in_pixels = in_pixels
        self.linear_bands = linear_bands
        self.feat_shape = feat_shape
        self.ref_feat_shape = ref_feat_shape
        self.grid_offset = grid_offset
        self.grid_indexing = grid_indexing
        self.rotate_half = rotate_half
        self.grid_type = grid_type or ("pixel" if in_pixels else "index")
        self.normalize_coords = normalize_coords
        self.shift_coords = shift_coords
        self.jitter_coords = jitter_coords
        self.rescale_coords = rescale_coords
        self.register_buffer("bands", self._bands(device), persistent=False)
        self.register_buffer("pos_embed_sin", None, persistent=False)
        self.register_buffer("pos_embed_cos", None, persistent=False)
        if feat_shape is not None:
            self.pos_embed_sin, self.pos_embed_cos = self._tables(feat_shape, augment=False)

    @property
    def aug_active(self) -> bool:
        """Whether ``get_embed`` would augment coordinates now (training, and some augmentation set)."""
        return self.training and bool(self.shift_coords or self.jitter_coords or self.rescale_coords)

    def _bands(self, device=None) -> torch.Tensor:
        if self.in_pixels:
            return pixel_freq_bands(self.dim // 4, float(self.max_res), linear_bands=self.linear_bands, device=device)
        return freq_bands(self.dim // 4, temperature=self.temperature, step=1, device=device)

    def _tables(self, shape: List[int], augment: bool) -> Tuple[torch.Tensor, torch.Tensor]:
        aug = dict(shift_coords=self.shift_coords, jitter_coords=self.jitter_coords,
                   rescale_coords=self.rescale_coords) if augment else {}
        return build_rotary_pos_embed(
            shape, self.bands, dim=self.dim, ref_feat_shape=self.ref_feat_shape, grid_offset=self.grid_offset,
            grid_indexing=self.grid_indexing, rotate_half=self.rotate_half, grid_type=self.grid_type,
            normalize_coords=self.normalize_coords, device=self.bands.device, **aug,
        )

    def reset_parameters(self) -> None:
        """Recompute the (non-persistent) buffers, e.g. after building on the meta device."""
        self.init_non_persistent_buffers()

    def init_non_persistent_buffers(self) -> None:
        self.bands = self._bands(self.bands.device)
        if self.feat_shape is not None:
            self.pos_embed_sin, self.pos_embed_cos = self._tables(self.feat_shape, augment=False)

    def update_feat_shape(self, feat_shape: List[int]) -> None:
        """Cache the tables of a new grid (after a resolution change)."""
        self.feat_shape = feat_shape
        self.pos_embed_sin, self.pos_embed_cos = self._tables(feat_shape, augment=False)

    def get_embed(
        self, shape: Optional[List[int]] = None, dtype: Optional[torch.dtype] = None,
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(sin, cos)`` for ``shape`` (default: the cached grid), float32 unless ``dtype`` is given."""
        if shape is None or (not self.aug_active and self.pos_embed_sin is not None
                             and list(shape) == list(self.feat_shape)):
            if self.pos_embed_sin is None:
                raise ValueError("this rotary embedding was built without feat_shape; pass the grid shape")
            if not self.aug_active:
                sin, cos = self.pos_embed_sin, self.pos_embed_cos
                return (sin, cos) if dtype is None else (sin.to(dtype), cos.to(dtype))
            shape = self.feat_shape
        sin, cos = self._tables(list(shape), augment=self.aug_active)
        return (sin, cos) if dtype is None else (sin.to(dtype), cos.to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Rotate a channels-first ``(B, dim, *spatial)`` map by its grid's embedding."""
        sin_emb, cos_emb = self.get_embed(list(x.shape[2:]))
        flat = x.flatten(2).transpose(1, 2)
        flat = apply_rot_embed(flat, sin_emb, cos_emb, half=self.rotate_half)
        return flat.transpose(1, 2).reshape(x.shape)


class FourierEmbed(nn.Module):
    """Perceiver-style input encoding: appends to every position of a ``(B, C, *spatial)`` map its [-1, 1]
    grid coordinates (``concat_grid``) and their pixel-frequency sin / cos features. Output is
    ``(B, N, C')`` tokens, or ``(B, C', *spatial)`` with ``keep_spatial``."""

    def __init__(
        self, max_res: int = 224, num_bands: int = 64, concat_grid=True, keep_spatial=False, device=None, dtype=None,
    ) -> None:
        super().__init__()
        self.max_res = max_res
        self.num_bands = num_bands
        self.concat_grid = concat_grid
        self.keep_spatial = keep_spatial
        self.register_buffer("bands", pixel_freq_bands(num_bands, float(max_res), device=device), persistent=False)

    def reset_parameters(self) -> None:
        self.init_non_persistent_buffers()

    def init_non_persistent_buffers(self) -> None:
        self.bands = pixel_freq_bands(self.num_bands, float(self.max_res), device=self.bands.device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, channels = x.shape[:2]
        feat_shape = list(x.shape[2:])
        embeds = build_fourier_pos_embed(feat_shape, self.bands, include_grid=self.concat_grid, dtype=x.dtype,
                                         device=x.device)
        grid = embeds.pop(0) if self.concat_grid else None
        # per position: (axis, band) pairs ordered band-major, sin block then cos block
        emb = torch.cat([e.transpose(-1, -2).flatten(len(feat_shape)) for e in embeds], dim=-1)
        if grid is not None:
            emb = torch.cat([grid.flatten(len(feat_shape)), emb], dim=-1)
        emb = emb.unsqueeze(0).expand(batch, *emb.shape)
        if self.keep_spatial:
            return torch.cat([x, emb.movedim(-1, 1)], dim=1)
        return torch.cat([x.flatten(2).transpose(1, 2), emb.flatten(1, len(feat_shape))], dim=-1)


def get_mixed_freqs(
    freqs: torch.Tensor, t_x: torch.Tensor, t_y: torch.Tensor, dtype: Optional[torch.dtype] = None,
) -> torch.Tensor:
    """RoPE-Mixed table ``(..., N, 2 * head_dim)`` = cat([sin, cos]) of the angles ``x fx + y fy``, from
    learned ``freqs`` (2, ..., head_dim / 2) and positions ``t_x`` / ``t_y`` (N,); computed in float32
    (also under autocast), returned in ``dtype`` (default: the freqs' dtype)."""
    out_dtype = dtype or freqs.dtype
    with torch.autocast(device_type=freqs.device.type, enabled=False):
        f = freqs.float()
        angles = t_x.float()[:, None] * f[0][..., None, :] + t_y.float()[:, None] * f[1][..., None, :]
        angles = angles.repeat_interleave(2, dim=-1)
        out = torch.cat([angles.sin(), angles.cos()], dim=-1)
    return out.to(out_dtype)


class _RotaryEmbeddingCatAny(RotaryEmbedding):
    """:class:`RotaryEmbedding` returning ``cat([sin, cos])``: the 'cat' kind for options (pixel bands,
    centred grids, half rotation, ...) that :class:`RotaryEmbeddingCat` does not model."""

    def get_embed(self, shape: Optional[List[int]] = None) -> torch.Tensor:
        return torch.cat(super().get_embed(shape), dim=-1)


_CAT_KEYS = {"temperature", "feat_shape", "ref_feat_shape", "grid_offset", "grid_indexing"}


def _cat_rope(head_dim: int, kwargs: dict) -> nn.Module:
    """EVA's :class:`RotaryEmbeddingCat` for an index grid (``in_pixels=False``) with the options it knows,
    else the general cat embedding; both give ``cat([sin, cos])`` from ``get_embed``."""
    options = dict(kwargs)
    in_pixels = options.pop("in_pixels", True)
    options = {k: v for k, v in options.items() if v is not None or k not in ("device", "dtype")}
    if not in_pixels and set(options) <= _CAT_KEYS:
        return RotaryEmbeddingCat(dim=head_dim, **options)
    return _RotaryEmbeddingCatAny(dim=head_dim, in_pixels=in_pixels, **options)


def create_rope_embed(rope_type: str = "cat", dim: int = 768, num_heads: int = 12, **kwargs) -> nn.Module:
    """A rotary embedding module by name: 'base' (:class:`RotaryEmbedding`), 'cat'
    (:class:`RotaryEmbeddingCat`), 'mixed' (:class:`RotaryEmbeddingMixed`), 'dinov3'
    (:class:`RotaryEmbeddingDinoV3`). ``dim`` is the model width; the axial kinds get the head width."""
    if rope_type == "base":
        return RotaryEmbedding(dim=dim // num_heads, **kwargs)
    if rope_type == "cat":
        return _cat_rope(dim // num_heads, kwargs)
    if rope_type == "mixed":
        return RotaryEmbeddingMixed(dim=dim, num_heads=num_heads, **kwargs)
    if rope_type == "dinov3":
        return RotaryEmbeddingDinoV3(dim=dim // num_heads, **kwargs)
    raise ValueError(f"unknown rope_type {rope_type!r}; use 'base', 'cat', 'mixed' or 'dinov3'")
