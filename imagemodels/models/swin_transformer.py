"""Swin Transformer: self-attention inside local windows, shifted by half a window in every other
block so information crosses window borders; patch merging halves the resolution between stages.
Checkpoint-compatible with timm's ``swin_transformer`` module.

Papers:

* Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", 2021 (arXiv:2103.14030)
* Chen et al., "AutoFormerV2: Searching the Search Space of Vision Transformer" (the S3 window sizes), 2021
  (arXiv:2111.14725)

Tokens stay NHWC throughout. Each window's attention adds a learned bias looked up by the relative
offset of the two positions; the table is resampled on load when the window size changes
(``checkpoint_filter_fn``). A stage whose map fits in one window neither shifts nor splits it.

Layout: windows and attention, blocks and the network, then ``SWINS``, then weight metadata, then
registration.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    calculate_drop_path_rates,
    ClassifierHead, DropPath, Mlp, PatchEmbed, add_into, can_overwrite, factory_kwargs, get_norm_layer, to_2tuple,
    trunc_normal_,
)
from imagemodels.layers.window import resize_rel_pos_bias_table, window_partition, window_reverse

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["SwinTransformer", "SwinTransformerBlock", "SwinTransformerStage", "WindowAttention", "PatchMerging"]

LayerFn = Callable[..., nn.Module]
Size = Tuple[int, int]


def get_relative_position_index(win_h: int, win_w: int) -> torch.Tensor:
    """(N, N) index into the (2*win_h-1)*(2*win_w-1) bias table for every pair of window positions."""
    coords = torch.stack(torch.meshgrid(torch.arange(win_h), torch.arange(win_w), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)  # (N, N, 2): offsets, may be negative
    rel[:, :, 0] += win_h - 1
    rel[:, :, 1] += win_w - 1
    rel[:, :, 0] *= 2 * win_w - 1
    return rel.sum(-1)


class WindowAttention(nn.Module):
    """Multi-head self-attention over the tokens of one window, plus the relative position bias."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        head_dim: Optional[int] = None,
        window_size: Union[int, Size] = 7,
        qkv_bias: bool = True,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.window_size = to_2tuple(window_size)
        self.num_heads = num_heads
        head_dim = head_dim or dim // num_heads
        attn_dim = head_dim * num_heads
        self.scale = head_dim ** -0.5
        win_h, win_w = self.window_size
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * win_h - 1) * (2 * win_w - 1), num_heads, **dd))
        self.register_buffer("relative_position_index", get_relative_position_index(win_h, win_w), persistent=False)
        self.qkv = nn.Linear(dim, attn_dim * 3, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(attn_dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        trunc_normal_(self.relative_position_bias_table, std=0.02)

    def set_window_size(self, window_size: Union[int, Size]) -> None:
        """Change the window: the bias table is resampled to the new size."""
        window_size = to_2tuple(window_size)
        if window_size == self.window_size:
            return
        old = self.window_size
        self.window_size = window_size
        win_h, win_w = window_size
        with torch.no_grad():
            new_shape = ((2 * win_h - 1) * (2 * win_w - 1), self.num_heads)
            table = resize_rel_pos_bias_table(self.relative_position_bias_table, window_size, new_shape, old)
            self.relative_position_bias_table = nn.Parameter(table)
        self.register_buffer("relative_position_index", get_relative_position_index(win_h, win_w).to(
            self.relative_position_index.device), persistent=False)

    def _position_bias(self) -> torch.Tensor:
        n = self.window_size[0] * self.window_size[1]
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)].view(n, n, -1)
        return bias.permute(2, 0, 1).contiguous().unsqueeze(0)  # (1, heads, N, N)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """x: (num_windows*B, N, C); mask: (num_windows, N, N) of 0 / -100 or None."""
        batch_windows, n, _ = x.shape
        q, k, v = self.qkv(x).reshape(batch_windows, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        bias = self._position_bias()
        if mask is not None:
            num_win = mask.shape[0]
            bias = (bias.expand(batch_windows // num_win, -1, -1, -1).reshape(batch_windows // num_win, 1, self.num_heads, n, n)
                    + mask.unsqueeze(1).unsqueeze(0)).reshape(-1, self.num_heads, n, n)
        x = F.scaled_dot_product_attention(
            q, k, v, attn_mask=bias, dropout_p=self.attn_drop.p if self.training else 0.0)
        x = x.transpose(1, 2).reshape(batch_windows, n, -1)
        return self.proj_drop(self.proj(x))


def _per_stage(value: Union[int, Sequence[Any]], num_stages: int, what: str, pairs: bool) -> List[Size]:
    """One (h, w) per stage from an int, an (h, w) pair (where ``pairs``), or a sequence of one per stage."""
    if isinstance(value, int):
        return [(value, value)] * num_stages
    value = list(value)
    if pairs and len(value) == 2 and all(isinstance(v, int) for v in value) and num_stages != 2:
        return [tuple(value)] * num_stages
    if len(value) != num_stages:
        raise ValueError(f"{what}={value!r}: give one value for every stage or one per stage ({num_stages} stages)")
    return [to_2tuple(v) for v in value]


def _window_and_shift(resolution: Size, window: Size, shift: Size, always_partition: bool) -> Tuple[Size, Size]:
    """A map no larger than the window is one window, unshifted (unless ``always_partition``)."""
    if always_partition:
        return window, shift
    new_window = tuple(r if r <= w else w for r, w in zip(resolution, window))
    new_shift = tuple(0 if r <= w else s for r, w, s in zip(resolution, new_window, shift))
    return new_window, new_shift


def shifted_window_mask(height: int, width: int, window: Size, shift: Size, device: Any = None) -> torch.Tensor:
    """(num_windows, N, N): -100 between tokens that came from different regions before the cyclic
    shift (they share a window only because of the wrap-around), 0 elsewhere. ``height``/``width`` are
    the padded map size."""
    img = torch.zeros((1, height, width, 1), device=device)
    region = 0
    for hs in ((0, -window[0]), (-window[0], -shift[0]), (-shift[0], None)):
        for ws in ((0, -window[1]), (-window[1], -shift[1]), (-shift[1], None)):
            img[:, hs[0]:hs[1], ws[0]:ws[1], :] = region
            region += 1
    windows = window_partition(img, window).reshape(-1, window[0] * window[1])
    mask = windows.unsqueeze(1) - windows.unsqueeze(2)
    return mask.masked_fill(mask != 0, -100.0).masked_fill(mask == 0, 0.0)


class SwinTransformerBlock(nn.Module):
    """norm -> (shifted) window attention -> residual; norm -> MLP -> residual. Input and output NHWC."""

    def __init__(
        self,
        dim: int,
        input_resolution: Union[int, Size],
        num_heads: int = 4,
        head_dim: Optional[int] = None,
        window_size: Union[int, Size] = 7,
        shift_size: Union[int, Size] = 0,
        always_partition: bool = False,
        dynamic_mask: bool = False,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = nn.LayerNorm,
        device: Any = None,
        dtype: Any = None,
    ):
        """``dynamic_mask``: build the shift mask for each input's size (any size), not once for ``input_resolution``."""
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.input_resolution = to_2tuple(input_resolution)
        self.target_window, self.target_shift = to_2tuple(window_size), to_2tuple(shift_size)
        self.always_partition = always_partition
        self.dynamic_mask = dynamic_mask
        self.window_size, self.shift_size = _window_and_shift(
            self.input_resolution, self.target_window, self.target_shift, always_partition)
        self.norm1 = norm_layer(dim, **dd)
        self.attn = WindowAttention(
            dim, num_heads=num_heads, head_dim=head_dim, window_size=self.window_size, qkv_bias=qkv_bias,
            attn_drop=attn_drop, proj_drop=proj_drop, **dd)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop, **dd)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.register_buffer("attn_mask", None if dynamic_mask else self._static_mask(), persistent=False)

    def _static_mask(self) -> Optional[torch.Tensor]:
        if not any(self.shift_size):
            return None
        pad_h = -(-self.input_resolution[0] // self.window_size[0]) * self.window_size[0]
        pad_w = -(-self.input_resolution[1] // self.window_size[1]) * self.window_size[1]
        return shifted_window_mask(pad_h, pad_w, self.window_size, self.shift_size)

    def set_input_size(self, feat_size: Size, window_size: Size, always_partition: Optional[bool] = None) -> None:
        """New map size and/or window: recompute window, shift and mask, resample the bias table."""
        self.input_resolution = to_2tuple(feat_size)
        self.target_window = to_2tuple(window_size)
        self.target_shift = tuple(w // 2 for w in self.target_window) if any(self.target_shift) else (0, 0)
        if always_partition is not None:
            self.always_partition = always_partition
        self.window_size, self.shift_size = _window_and_shift(
            self.input_resolution, self.target_window, self.target_shift, self.always_partition)
        self.attn.set_window_size(self.window_size)
        self.register_buffer("attn_mask", None if self.dynamic_mask else self._static_mask(), persistent=False)

    def _attn(self, x: torch.Tensor) -> torch.Tensor:
        _, height, width, channels = x.shape
        shifted = any(self.shift_size)
        if shifted:
            x = torch.roll(x, shifts=(-self.shift_size[0], -self.shift_size[1]), dims=(1, 2))
        # pad to whole windows (bottom / right); the padding is cut off again below
        pad_h = (self.window_size[0] - height % self.window_size[0]) % self.window_size[0]
        pad_w = (self.window_size[1] - width % self.window_size[1]) % self.window_size[1]
        x = F.pad(x, (0, 0, 0, pad_w, 0, pad_h))
        padded_h, padded_w = height + pad_h, width + pad_w
        windows = window_partition(x, self.window_size).reshape(-1, self.window_size[0] * self.window_size[1], channels)
        if self.dynamic_mask and shifted:
            mask = shifted_window_mask(padded_h, padded_w, self.window_size, self.shift_size, device=x.device).to(x.dtype)
        else:
            mask = self.attn_mask
        windows = self.attn(windows, mask=mask)
        x = window_reverse(windows.view(-1, self.window_size[0], self.window_size[1], channels), self.window_size,
                           padded_h, padded_w)
        x = x[:, :height, :width, :].contiguous()
        if shifted:
            x = torch.roll(x, shifts=self.shift_size, dims=(1, 2))
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, height, width, channels = x.shape
        if can_overwrite(x, self):  # inference: each residual sum lands in its branch's fresh output
            x = add_into(self.drop_path1(self._attn(self.norm1(x))), x)
            x = x.reshape(batch, -1, channels)
            x = add_into(self.drop_path2(self.mlp(self.norm2(x))), x)
            return x.reshape(batch, height, width, channels)
        x = x + self.drop_path1(self._attn(self.norm1(x)))
        x = x.reshape(batch, -1, channels)
        x = x + self.drop_path2(self.mlp(self.norm2(x)))
        return x.reshape(batch, height, width, channels)


def _merged(resolution: Size) -> Size:
    """The map size after PatchMerging, which pads an odd side by one: halved, rounded up."""
    return tuple((r + 1) // 2 for r in resolution)


class PatchMerging(nn.Module):
    """Halve the resolution: concatenate each 2x2 neighbourhood's channels (4C), norm, linear to ``out_dim``."""

    def __init__(self, dim: int, out_dim: Optional[int] = None, norm_layer: LayerFn = nn.LayerNorm,
                 device: Any = None, dtype: Any = None):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.out_dim = out_dim or 2 * dim
        self.norm = norm_layer(4 * dim, **dd)
        self.reduction = nn.Linear(4 * dim, self.out_dim, bias=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, height, width, channels = x.shape
        x = F.pad(x, (0, 0, 0, width % 2, 0, height % 2))  # odd sizes: pad one row / column
        _, height, width, _ = x.shape
        # channel order (h, w) offsets (0,0), (1,0), (0,1), (1,1), as the original concatenation
        x = x.reshape(batch, height // 2, 2, width // 2, 2, channels).permute(0, 1, 3, 4, 2, 5).flatten(3)
        return self.reduction(self.norm(x))


class SwinTransformerStage(nn.Module):
    """Optional patch merging, then ``depth`` blocks alternating plain and shifted windows."""

    def __init__(
        self,
        dim: int,
        out_dim: int,
        input_resolution: Size,
        depth: int,
        downsample: bool = True,
        num_heads: int = 4,
        head_dim: Optional[int] = None,
        window_size: Union[int, Size] = 7,
        always_partition: bool = False,
        dynamic_mask: bool = False,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: Union[List[float], float] = 0.0,
        norm_layer: LayerFn = nn.LayerNorm,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.input_resolution = input_resolution
        self.output_resolution = _merged(input_resolution) if downsample else input_resolution
        self.grad_checkpointing = False
        window_size = to_2tuple(window_size)
        shift_size = tuple(w // 2 for w in window_size)
        self.downsample = PatchMerging(dim, out_dim, norm_layer=norm_layer, **dd) if downsample else nn.Identity()
        drop_paths = drop_path if isinstance(drop_path, (list, tuple)) else [drop_path] * depth
        self.blocks = nn.Sequential(*[
            SwinTransformerBlock(
                out_dim, self.output_resolution, num_heads=num_heads, head_dim=head_dim, window_size=window_size,
                shift_size=0 if i % 2 == 0 else shift_size, always_partition=always_partition,
                dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop,
                attn_drop=attn_drop, drop_path=drop_paths[i], norm_layer=norm_layer, **dd)
            for i in range(depth)
        ])

    def set_input_size(self, feat_size: Size, window_size: Size, always_partition: Optional[bool] = None) -> None:
        self.input_resolution = feat_size
        self.output_resolution = _merged(feat_size) if isinstance(self.downsample, PatchMerging) else feat_size
        for block in self.blocks:
            block.set_input_size(self.output_resolution, window_size, always_partition)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


class SwinTransformer(nn.Module):
    """Swin Transformer, configured by arguments.

    ``window_size``: one size, or one per stage (S3). ``strict_img_size=False`` accepts any input size
    (maps are padded to whole windows, masks built per input). ``always_partition`` keeps the window
    and shift even where the map is smaller than the window.
    """

    def __init__(
        self,
        img_size: Union[int, Size] = 224,
        patch_size: int = 4,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        embed_dim: int = 96,
        depths: Sequence[int] = (2, 2, 6, 2),
        num_heads: Sequence[int] = (3, 6, 12, 24),
        head_dim: Optional[int] = None,
        window_size: Union[int, Size, Sequence[int]] = 7,
        always_partition: bool = False,
        strict_img_size: bool = True,
        dynamic_img_size: bool = False,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.1,
        embed_layer: LayerFn = PatchEmbed,
        norm_layer: Union[str, LayerFn] = nn.LayerNorm,
        weight_init: str = "",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if global_pool not in ("", "avg", "max", "avgmax", "catavgmax"):
            raise ValueError(f"global_pool must be '', 'avg', 'max', 'avgmax' or 'catavgmax', got {global_pool!r}")
        if len(depths) != len(num_heads):
            raise ValueError(f"depths and num_heads need one entry per stage, got {len(depths)} and {len(num_heads)}")
        norm_layer = get_norm_layer(norm_layer) if isinstance(norm_layer, str) else norm_layer
        num_stages = len(depths)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.output_fmt = "NHWC"
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_features = self.head_hidden_size = int(embed_dim * 2 ** (num_stages - 1))
        self.feature_info: List[Dict[str, Any]] = []
        # a single int or pair is one window for every stage; a longer sequence is one per stage
        window_sizes = _per_stage(window_size, num_stages, "window_size", pairs=True)
        self.window_sizes = window_sizes

        self.patch_embed = embed_layer(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim, norm_layer=norm_layer,
            strict_img_size=strict_img_size, output_fmt="NHWC", **dd)
        grid = self.patch_embed.grid_size
        # set_input_size with no window scales these windows by the new grid over this one
        self._window_base = (tuple(grid), list(window_sizes))
        dpr = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        dims = [int(embed_dim * 2 ** i) for i in range(num_stages)]
        stages, in_dim, scale, resolution = [], dims[0], 1, tuple(grid)
        for i in range(num_stages):
            stages.append(SwinTransformerStage(
                in_dim, dims[i], input_resolution=resolution, depth=depths[i],
                downsample=i > 0, num_heads=num_heads[i], head_dim=head_dim, window_size=window_sizes[i],
                always_partition=always_partition, dynamic_mask=not strict_img_size, mlp_ratio=mlp_ratio,
                qkv_bias=qkv_bias, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, drop_path=dpr[i],
                norm_layer=norm_layer, **dd))
            in_dim, resolution = dims[i], stages[-1].output_resolution
            if i > 0:
                scale *= 2
            self.feature_info.append(dict(num_chs=dims[i], reduction=patch_size * scale, module=f"layers.{i}"))
        self.layers = nn.Sequential(*stages)
        self.norm = norm_layer(self.num_features, **dd)
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate,
                                   input_fmt="NHWC", **dd)
        if weight_init != "skip":
            self.init_weights()

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {n for n, _ in self.named_parameters() if "relative_position_bias_table" in n}

    def set_input_size(
        self,
        img_size: Optional[Union[int, Size]] = None,
        patch_size: Optional[Union[int, Size]] = None,
        window_size: Optional[Union[int, Size, Sequence[Union[int, Size]]]] = None,
        window_ratio: Optional[Union[int, Sequence[int]]] = None,
        always_partition: Optional[bool] = None,
    ) -> None:
        """A new input size, patch size and/or window size; bias tables and masks follow.

        ``window_size``: one (int or (h, w)) for every stage, or one per stage. ``window_ratio``: each
        stage's window is the new patch grid (before any downsampling) divided by it; an int, or one per
        stage (so two values are two stages). With neither, each stage's window keeps its ratio to the
        patch grid of the model as built (or as last given a window), rounded down, at least 1.
        """
        num_stages = len(self.layers)
        if img_size is not None or patch_size is not None:
            self.patch_embed.set_input_size(img_size=img_size, patch_size=patch_size)
        grid = self.patch_embed.grid_size
        if window_size is not None:
            self.window_sizes = _per_stage(window_size, num_stages, "window_size", pairs=True)
        elif window_ratio is not None:
            ratios = _per_stage(window_ratio, num_stages, "window_ratio", pairs=False)
            self.window_sizes = [(max(1, grid[0] // r[0]), max(1, grid[1] // r[1])) for r in ratios]
        if window_size is not None or window_ratio is not None:
            self._window_base = (tuple(grid), list(self.window_sizes))
        else:
            base_grid, base_windows = self._window_base
            self.window_sizes = [tuple(max(1, w * g // b) for w, g, b in zip(win, grid, base_grid))
                                 for win in base_windows]
        resolution = tuple(grid)
        for i, stage in enumerate(self.layers):
            stage.set_input_size(resolution, self.window_sizes[i], always_partition)
            resolution = stage.output_resolution

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^patch_embed", blocks=r"^layers\.(\d+)" if coarse else [
            (r"^layers\.(\d+).downsample", (0,)),
            (r"^layers\.(\d+)\.\w+\.(\d+)", None),
            (r"^norm", (99999,)),
        ])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for stage in self.layers:
            stage.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = global_pool
        self.head.reset(num_classes, pool_type=global_pool)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Stage outputs at ``indices`` as NCHW maps; ``norm`` applies the final norm to the last stage's."""
        if output_fmt != "NCHW":
            raise ValueError(f"output_fmt must be 'NCHW' (features_only gives NHWC maps), got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.layers), indices)
        last_idx = len(self.layers) - 1
        intermediates = []
        x = self.patch_embed(x)
        stages = self.layers if not stop_early else self.layers[:max_index + 1]
        for i, stage in enumerate(stages):
            x = stage(x)
            if i in take_indices:
                y = self.norm(x) if norm and i == last_idx else x
                intermediates.append(y.permute(0, 3, 1, 2).contiguous())
        if intermediates_only:
            return intermediates
        return self.norm(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.layers), indices)
        self.layers = self.layers[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.layers(self.patch_embed(x)))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=True) if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: SwinTransformer) -> Dict[str, torch.Tensor]:
    """Adapt a checkpoint to ``model``: drop the buffers older checkpoints saved, and resample each
    relative position bias table to the model's window size."""
    state_dict = state_dict.get("model", state_dict)
    state_dict = state_dict.get("state_dict", state_dict)
    own = model.state_dict()
    out = {}
    for key, value in state_dict.items():
        if "relative_position_index" in key or "attn_mask" in key:
            continue  # recomputed from the window size
        if key.endswith("relative_position_bias_table") and key in own and value.shape != own[key].shape:
            module = model.get_submodule(key.rsplit(".", 1)[0])
            value = resize_rel_pos_bias_table(value, module.window_size, tuple(own[key].shape))
        out[key] = value
    return out


# --- variants ---------------------------------------------------------------------------------------

_T = dict(patch_size=4, embed_dim=96, num_heads=(3, 6, 12, 24))
_B = dict(patch_size=4, embed_dim=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32))
_L = dict(patch_size=4, embed_dim=192, depths=(2, 2, 18, 2), num_heads=(6, 12, 24, 48))

SWINS: Dict[str, Dict[str, Any]] = {
    "swin_tiny_patch4_window7_224": dict(window_size=7, depths=(2, 2, 6, 2), **_T),
    "swin_small_patch4_window7_224": dict(window_size=7, depths=(2, 2, 18, 2), **_T),
    "swin_base_patch4_window7_224": dict(window_size=7, **_B),
    "swin_base_patch4_window12_384": dict(img_size=384, window_size=12, **_B),
    "swin_large_patch4_window7_224": dict(window_size=7, **_L),
    "swin_large_patch4_window12_384": dict(img_size=384, window_size=12, **_L),
    "swin_s3_tiny_224": dict(window_size=(7, 7, 14, 7), depths=(2, 2, 6, 2), **_T),
    "swin_s3_small_224": dict(window_size=(14, 14, 14, 7), depths=(2, 2, 18, 2), **_T),
    "swin_s3_base_224": dict(window_size=(7, 7, 14, 7), depths=(2, 2, 30, 2), **_T),
}


# --- weight metadata --------------------------------------------------------------------------------

_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.9,
        interpolation="bicubic", fixed_input_size=True, first_conv="patch_embed.proj", classifier="head.fc",
        license="mit",
    )
    cfg.update(kwargs)
    _, height, width = cfg["input_size"]
    cfg.setdefault("pool_size", (height // 32, width // 32))
    return cfg


SWIN_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "swin_base_patch4_window7_224.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window7_224_22kto1k.pth"),
    "swin_base_patch4_window7_224.ms_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window7_224.pth"),
    "swin_base_patch4_window7_224.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window7_224_22k.pth",
        num_classes=21841),
    "swin_base_patch4_window12_384.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window12_384_22kto1k.pth",
        input_size=(3, 384, 384), crop_pct=1.0),
    "swin_base_patch4_window12_384.ms_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window12_384.pth",
        input_size=(3, 384, 384), crop_pct=1.0),
    "swin_base_patch4_window12_384.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_base_patch4_window12_384_22k.pth",
        num_classes=21841, input_size=(3, 384, 384), crop_pct=1.0),
    "swin_large_patch4_window7_224.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_large_patch4_window7_224_22kto1k.pth"),
    "swin_large_patch4_window7_224.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_large_patch4_window7_224_22k.pth",
        num_classes=21841),
    "swin_large_patch4_window12_384.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_large_patch4_window12_384_22kto1k.pth",
        input_size=(3, 384, 384), crop_pct=1.0),
    "swin_large_patch4_window12_384.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_large_patch4_window12_384_22k.pth",
        num_classes=21841, input_size=(3, 384, 384), crop_pct=1.0),
    "swin_s3_base_224.ms_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-weights/s3_b-a1e95db4.pth"),
    "swin_s3_small_224.ms_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-weights/s3_s-3bb4c69d.pth"),
    "swin_s3_tiny_224.ms_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-weights/s3_t-1d53f6a8.pth"),
    "swin_small_patch4_window7_224.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.8/swin_small_patch4_window7_224_22kto1k_finetune.pth"),
    "swin_small_patch4_window7_224.ms_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_small_patch4_window7_224.pth"),
    "swin_small_patch4_window7_224.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.8/swin_small_patch4_window7_224_22k.pth",
        num_classes=21841),
    "swin_tiny_patch4_window7_224.ms_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.0/swin_tiny_patch4_window7_224.pth"),
    "swin_tiny_patch4_window7_224.ms_in22k_ft_in1k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.8/swin_tiny_patch4_window7_224_22kto1k_finetune.pth"),
    "swin_tiny_patch4_window7_224.ms_in22k": _cfg(
        url="https://github.com/SwinTransformer/storage/releases/download/v1.0.8/swin_tiny_patch4_window7_224_22k.pth",
        num_classes=21841),
}

default_cfgs = generate_default_cfgs(SWIN_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_swin(variant: str, pretrained: bool = False, **kwargs: Any) -> SwinTransformer:
    depths = kwargs.get("depths", (1, 1, 3, 1))
    return build_model_with_cfg(
        SwinTransformer, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(flatten_sequential=True, out_indices=tuple(range(len(depths)))), **kwargs)


register_variants(SWINS, _create_swin, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "swin_base_patch4_window7_224_in22k": "swin_base_patch4_window7_224.ms_in22k",
    "swin_base_patch4_window12_384_in22k": "swin_base_patch4_window12_384.ms_in22k",
    "swin_large_patch4_window7_224_in22k": "swin_large_patch4_window7_224.ms_in22k",
    "swin_large_patch4_window12_384_in22k": "swin_large_patch4_window12_384.ms_in22k",
})
