"""Swin Transformer V2, Christoph Reich's re-implementation ("cr"): the V2 ideas with its own choices
for the position bias and the norms. Checkpoint-compatible with timm's ``swin_transformer_v2_cr`` module.

Paper: Liu et al., "Swin Transformer V2: Scaling Up Capacity and Resolution", 2022 (arXiv:2111.09883);
code layout after https://github.com/ChristophReich1996/Swin-Transformer-V2.

Against the Microsoft V2 (``swin_transformer_v2.py``):

* the position bias MLP (``meta_mlp``, 2 -> 384 -> heads, dropout 0.125 inside) reads offsets as
  ``sign(d) * ln(1 + |d|)``, not normalised by the window, and its output is used as is (no sigmoid);
* the qkv projection has a plain bias; the logit scale is one value per head;
* ``norm3``: an extra LayerNorm after some blocks: every ``extra_norm_period``-th block of a stage,
  the last block of every stage with ``extra_norm_stage`` (the ``_ns`` variants), and always the
  last block of the network (there is no separate final norm);
* stages take and return NCHW maps (blocks work on NHWC inside), so ``forward_features`` is NCHW;
* the window is ``grid // window_ratio`` (8) unless given, so it follows the image size.

Windows, shift masks and patch merging (norm then reduction) are V1's (``swin_transformer.py``).

Layout: attention, block, stage, network, then ``SWINV2_CRS``, weight metadata, registration.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import  calculate_drop_path_rates,ClassifierHead, Mlp, PatchEmbed, factory_kwargs, get_norm_layer, to_2tuple

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .swin_transformer import PatchMerging, SwinTransformerBlock

__all__ = ["SwinTransformerV2Cr", "SwinTransformerV2CrBlock", "SwinTransformerV2CrStage", "WindowMultiHeadAttention"]

LayerFn = Callable[..., nn.Module]
Size = Tuple[int, int]

_MAX_LOGIT_SCALE = math.log(1.0 / 0.01)


def log_relative_offsets(window: Size) -> torch.Tensor:
    """(N*N, 2) offsets (dy, dx) between every pair of window positions, as sign(d) * ln(1 + |d|)."""
    coords = torch.stack(torch.meshgrid(torch.arange(window[0]), torch.arange(window[1]), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0).reshape(-1, 2).float()
    return torch.sign(rel) * torch.log1p(rel.abs())


class WindowMultiHeadAttention(nn.Module):
    """Scaled cosine self-attention within a window plus the ``meta_mlp`` position bias."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        window_size: Union[int, Size],
        drop_attn: float = 0.0,
        drop_proj: float = 0.0,
        meta_hidden_dim: int = 384,
        sequential_attn: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        """``sequential_attn`` is accepted for compatibility; attention is computed in one pass (same result)."""
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        self.in_features = dim
        self.window_size = to_2tuple(window_size)
        self.num_heads = num_heads
        self.sequential_attn = sequential_attn
        self.qkv = nn.Linear(dim, dim * 3, bias=True, **dd)
        self.attn_drop = nn.Dropout(drop_attn)
        self.proj = nn.Linear(dim, dim, bias=True, **dd)
        self.proj_drop = nn.Dropout(drop_proj)
        self.meta_mlp = Mlp(2, hidden_features=meta_hidden_dim, out_features=num_heads, act_layer=nn.ReLU,
                            drop=(0.125, 0.0), **dd)
        self.logit_scale = nn.Parameter(torch.full((num_heads,), math.log(10.0), **dd))
        self._make_pair_wise_buffers(device)

    def _make_pair_wise_buffers(self, device: Any = None) -> None:
        self.register_buffer("relative_coordinates_log", log_relative_offsets(self.window_size).to(device),
                             persistent=False)

    def set_window_size(self, window_size: Union[int, Size]) -> None:
        window_size = to_2tuple(window_size)
        if window_size != self.window_size:
            self.window_size = window_size
            self._make_pair_wise_buffers(self.relative_coordinates_log.device)

    def position_bias(self) -> torch.Tensor:
        """(1, heads, N, N)."""
        n = self.window_size[0] * self.window_size[1]
        bias = self.meta_mlp(self.relative_coordinates_log)  # (N*N, heads)
        return bias.transpose(1, 0).reshape(-1, n, n).unsqueeze(0)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """x: (num_windows*B, N, C); mask: (num_windows, N, N) of 0 / -100 or None."""
        batch_windows, n, channels = x.shape
        q, k, v = self.qkv(x).reshape(batch_windows, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        scale = torch.clamp(self.logit_scale.reshape(1, self.num_heads, 1, 1), max=_MAX_LOGIT_SCALE).exp()
        q = F.normalize(q, dim=-1) * scale  # cos(q, k) * scale as one matmul inside the attention
        k = F.normalize(k, dim=-1)
        bias = self.position_bias()
        if mask is not None:
            num_win = mask.shape[0]
            bias = (bias.unsqueeze(0) + mask.unsqueeze(1).unsqueeze(0)).expand(
                batch_windows // num_win, -1, -1, -1, -1).reshape(-1, self.num_heads, n, n)
        x = F.scaled_dot_product_attention(
            q, k, v, attn_mask=bias.to(q.dtype), dropout_p=self.attn_drop.p if self.training else 0.0, scale=1.0)
        x = x.transpose(1, 2).reshape(batch_windows, n, channels)
        return self.proj_drop(self.proj(x))


class SwinTransformerV2CrBlock(SwinTransformerBlock):
    """V1's block (shifted windows, padding, masks: inherited) with res-post-norm,
    ``x + norm1(attn(x))``, ``x + norm2(mlp(x))``, then the optional ``norm3``. NHWC in and out."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        feat_size: Size,
        window_size: Size,
        shift_size: Size = (0, 0),
        always_partition: bool = False,
        dynamic_mask: bool = False,
        mlp_ratio: float = 4.0,
        init_values: Optional[float] = 0,
        proj_drop: float = 0.0,
        drop_attn: float = 0.0,
        drop_path: float = 0.0,
        extra_norm: bool = False,
        sequential_attn: bool = False,
        norm_layer: LayerFn = nn.LayerNorm,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__(
            dim, feat_size, num_heads=num_heads, window_size=window_size, shift_size=shift_size,
            always_partition=always_partition, dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio, proj_drop=proj_drop,
            attn_drop=drop_attn, drop_path=drop_path, norm_layer=norm_layer, device=device, dtype=dtype)
        self.init_values = init_values
        # replaces V1's table-biased attention (same slot, so the module order is unchanged)
        self.attn = WindowMultiHeadAttention(
            dim, num_heads=num_heads, window_size=self.window_size, drop_attn=drop_attn, drop_proj=proj_drop,
            sequential_attn=sequential_attn, device=device, dtype=dtype)
        self.norm3 = norm_layer(dim, device=device, dtype=dtype) if extra_norm else nn.Identity()
        self.init_weights()

    @property
    def feat_size(self) -> Size:
        return self.input_resolution

    def init_weights(self) -> None:
        """``init_values`` (when set) is the post-norms' initial gain: 0 starts each branch at zero."""
        if self.init_values is not None:
            nn.init.constant_(self.norm1.weight, self.init_values)
            nn.init.constant_(self.norm2.weight, self.init_values)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, height, width, channels = x.shape
        x = x + self.drop_path1(self.norm1(self._attn(x)))
        x = x.reshape(batch, -1, channels)
        x = x + self.drop_path2(self.norm2(self.mlp(x)))
        return self.norm3(x.reshape(batch, height, width, channels))


class SwinTransformerV2CrStage(nn.Module):
    """Optional patch merging (V1's), then ``depth`` blocks alternating plain and shifted windows.
    Takes and returns NCHW."""

    def __init__(
        self,
        embed_dim: int,
        depth: int,
        downscale: bool,
        num_heads: int,
        feat_size: Size,
        window_size: Size,
        always_partition: bool = False,
        dynamic_mask: bool = False,
        mlp_ratio: float = 4.0,
        init_values: Optional[float] = 0.0,
        proj_drop: float = 0.0,
        drop_attn: float = 0.0,
        drop_path: Union[List[float], float] = 0.0,
        norm_layer: LayerFn = nn.LayerNorm,
        extra_norm_period: int = 0,
        extra_norm_stage: bool = False,
        sequential_attn: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.downscale = downscale
        self.grad_checkpointing = False
        self.feat_size = tuple(s // 2 for s in feat_size) if downscale else tuple(feat_size)
        if downscale:
            self.downsample = PatchMerging(embed_dim, 2 * embed_dim, norm_layer=norm_layer, **dd)
            embed_dim *= 2
        else:
            self.downsample = nn.Identity()
        window_size = to_2tuple(window_size)
        shift_size = tuple(w // 2 for w in window_size)
        drop_paths = drop_path if isinstance(drop_path, (list, tuple)) else [drop_path] * depth

        def extra_norm(i: int) -> bool:
            periodic = bool(extra_norm_period) and (i + 1) % extra_norm_period == 0
            return periodic or (extra_norm_stage and i == depth - 1)

        self.blocks = nn.Sequential(*[
            SwinTransformerV2CrBlock(
                embed_dim, num_heads=num_heads, feat_size=self.feat_size, window_size=window_size,
                shift_size=(0, 0) if i % 2 == 0 else shift_size, always_partition=always_partition,
                dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio, init_values=init_values, proj_drop=proj_drop,
                drop_attn=drop_attn, drop_path=drop_paths[i], extra_norm=extra_norm(i),
                sequential_attn=sequential_attn, norm_layer=norm_layer, **dd)
            for i in range(depth)
        ])

    def set_input_size(self, feat_size: Size, window_size: Size, always_partition: Optional[bool] = None) -> None:
        self.feat_size = tuple(s // 2 for s in feat_size) if self.downscale else tuple(feat_size)
        for block in self.blocks:
            block.set_input_size(self.feat_size, window_size, always_partition)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x.permute(0, 2, 3, 1))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            x = self.blocks(x)
        return x.permute(0, 3, 1, 2)


class PatchEmbedNchw(PatchEmbed):
    """Patch embedding normalised over channels (on NHWC) and returned NCHW, the layout the stages take."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, output_fmt="NHWC", **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x).permute(0, 3, 1, 2)


class SwinTransformerV2Cr(nn.Module):
    """Swin Transformer V2 (cr), configured by arguments.

    ``window_size``: one size, or one per stage; None = ``grid // window_ratio``. ``init_values``:
    the initial gain of the residual post-norms (None keeps 1). ``extra_norm_period`` /
    ``extra_norm_stage``: where ``norm3`` goes (see the module docstring).
    """

    def __init__(
        self,
        img_size: Union[int, Size] = (224, 224),
        patch_size: int = 4,
        window_size: Optional[Union[int, Size, Sequence[int]]] = None,
        window_ratio: int = 8,
        always_partition: bool = False,
        strict_img_size: bool = True,
        dynamic_img_size: bool = False,
        in_chans: int = 3,
        num_classes: int = 1000,
        embed_dim: int = 96,
        depths: Sequence[int] = (2, 2, 6, 2),
        num_heads: Sequence[int] = (3, 6, 12, 24),
        mlp_ratio: float = 4.0,
        init_values: Optional[float] = 0.0,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: Union[str, LayerFn] = nn.LayerNorm,
        extra_norm_period: int = 0,
        extra_norm_stage: bool = False,
        sequential_attn: bool = False,
        global_pool: str = "avg",
        weight_init: str = "reset",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if global_pool not in ("", "avg", "max", "avgmax", "catavgmax"):
            raise ValueError(f"global_pool must be '', 'avg', 'max', 'avgmax' or 'catavgmax', got {global_pool!r}")
        if len(depths) != len(num_heads):
            raise ValueError(f"depths and num_heads need one entry per stage, got {len(depths)} and {len(num_heads)}")
        if weight_init not in ("", "reset", "skip"):
            raise ValueError(f"weight_init must be 'reset' (PyTorch's default init) or 'skip', got {weight_init!r}")
        norm_layer = get_norm_layer(norm_layer) if isinstance(norm_layer, str) else norm_layer
        num_stages = len(depths)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.patch_size = patch_size
        self.img_size = to_2tuple(img_size)
        self.dynamic_img_size = dynamic_img_size
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_features = self.head_hidden_size = int(embed_dim * 2 ** (num_stages - 1))
        self.feature_info: List[Dict[str, Any]] = []

        self.patch_embed = PatchEmbedNchw(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim, norm_layer=norm_layer,
            strict_img_size=strict_img_size and not dynamic_img_size, **dd)
        grid = self.patch_embed.grid_size
        # the window follows the image size through this ratio (also when set_input_size changes it)
        if window_size is None:
            self.window_sizes = [tuple(g // window_ratio for g in grid)] * num_stages
            self.window_ratio = [window_ratio] * num_stages
        else:
            self.window_sizes = _stage_windows(window_size, num_stages)
            self.window_ratio = [grid[0] // w[0] for w in self.window_sizes]
        self.window_size = self.window_sizes[0]
        dynamic = dynamic_img_size or not strict_img_size

        # on the CPU even under a meta-device context: the rates are read out as floats
        dpr = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        stages, dim, feat_size = [], embed_dim, grid
        for i in range(num_stages):
            stages.append(SwinTransformerV2CrStage(
                dim, depth=depths[i], downscale=i > 0, num_heads=num_heads[i], feat_size=feat_size,
                window_size=self.window_sizes[i], always_partition=always_partition, dynamic_mask=dynamic,
                mlp_ratio=mlp_ratio, init_values=init_values, proj_drop=proj_drop_rate, drop_attn=attn_drop_rate,
                drop_path=dpr[i], norm_layer=norm_layer, extra_norm_period=extra_norm_period,
                extra_norm_stage=extra_norm_stage or i == num_stages - 1,  # the last one is the final norm
                sequential_attn=sequential_attn, **dd))
            feat_size = stages[-1].feat_size
            dim = dim * 2 if i > 0 else dim
            self.feature_info.append(dict(num_chs=dim, reduction=patch_size * 2 ** i, module=f"stages.{i}"))
        self.stages = nn.Sequential(*stages)
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        # 'reset': the layers keep PyTorch's default init; the blocks set their post-norm gains themselves

    def set_input_size(
        self,
        img_size: Optional[Union[int, Size]] = None,
        window_size: Optional[Union[int, Size, Sequence[int]]] = None,
        window_ratio: Optional[Union[int, Sequence[int]]] = None,
        always_partition: Optional[bool] = None,
    ) -> None:
        """A new input size and/or window; without ``window_size`` the window is ``grid // window_ratio``
        (the ratio given, else the one the model was built with). Only buffers change."""
        num_stages = len(self.stages)
        if img_size is not None:
            self.patch_embed.set_input_size(img_size=img_size)
            self.img_size = to_2tuple(img_size)
        grid = self.patch_embed.grid_size
        if window_ratio is not None:
            per_stage = isinstance(window_ratio, (list, tuple))
            self.window_ratio = list(window_ratio) if per_stage else [window_ratio] * num_stages
        if window_size is not None:
            self.window_sizes = _stage_windows(window_size, num_stages)
        else:
            self.window_sizes = [tuple(g // r for g in grid) for r in self.window_ratio]
        self.window_size = self.window_sizes[0]
        feat_size = grid
        for stage, window in zip(self.stages, self.window_sizes):
            stage.set_input_size(feat_size, window, always_partition)
            feat_size = stage.feat_size

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^patch_embed", blocks=r"^stages\.(\d+)" if coarse else [
            (r"^stages\.(\d+).downsample", (0,)),
            (r"^stages\.(\d+)\.\w+\.(\d+)", None),
        ])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for stage in self.stages:
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
        """Stage outputs at ``indices`` (NCHW). ``norm`` changes nothing: the last block's ``norm3`` is
        the network's final norm and is part of the last stage."""
        if output_fmt != "NCHW":
            raise ValueError(f"output_fmt must be 'NCHW', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        intermediates = []
        x = self.patch_embed(x)
        stages = self.stages if not stop_early else self.stages[:max_index + 1]
        for i, stage in enumerate(stages):
            x = stage(x)
            if i in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        self.stages = self.stages[:max_index + 1]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(self.patch_embed(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=True) if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def _stage_windows(window_size: Union[int, Size, Sequence[int]], num_stages: int) -> List[Size]:
    """A single int or pair is one window for every stage; a longer sequence is one per stage."""
    if isinstance(window_size, int) or len(window_size) == 2 and num_stages != 2:
        return [to_2tuple(window_size)] * num_stages
    if len(window_size) != num_stages:
        raise ValueError(f"need one window size per stage ({num_stages}), got {tuple(window_size)}")
    return [to_2tuple(w) for w in window_size]


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: SwinTransformerV2Cr) -> Dict[str, torch.Tensor]:
    """Adapt a checkpoint: drop buffers (rebuilt from the window size); the original code's
    checkpoints store a temperature ``tau`` per head (logit scale = ln(1 / tau)) and a bare ``head``."""
    state_dict = state_dict.get("model", state_dict)
    state_dict = state_dict.get("state_dict", state_dict)
    native = "head.fc.weight" in state_dict
    out = {}
    for key, value in state_dict.items():
        if "relative_coordinates_log" in key or "attn_mask" in key:
            continue
        if not native:
            if key.endswith("attn.tau"):
                key, value = key[:-len("tau")] + "logit_scale", torch.log(1.0 / value)
            elif key.startswith("head."):
                key = "head.fc." + key[len("head."):]
        out[key] = value
    return out


# --- variants ---------------------------------------------------------------------------------------

_T = dict(embed_dim=96, depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24))
_S = dict(embed_dim=96, depths=(2, 2, 18, 2), num_heads=(3, 6, 12, 24))
_B = dict(embed_dim=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32))
_L = dict(embed_dim=192, depths=(2, 2, 18, 2), num_heads=(6, 12, 24, 48))
_H = dict(embed_dim=352, depths=(2, 2, 18, 2), extra_norm_period=6)
_G = dict(embed_dim=512, depths=(2, 2, 42, 2), num_heads=(16, 32, 64, 128), extra_norm_period=6)
_NS = dict(extra_norm_stage=True)
_384 = dict(img_size=(384, 384))

SWINV2_CRS: Dict[str, Dict[str, Any]] = {
    "swinv2_cr_tiny_384": dict(**_T, **_384),
    "swinv2_cr_tiny_224": dict(**_T),
    "swinv2_cr_tiny_ns_224": dict(**_T, **_NS),
    "swinv2_cr_small_384": dict(**_S, **_384),
    "swinv2_cr_small_224": dict(**_S),
    "swinv2_cr_small_ns_224": dict(**_S, **_NS),
    "swinv2_cr_small_ns_256": dict(**_S, **_NS, img_size=(256, 256)),
    "swinv2_cr_base_384": dict(**_B, **_384),
    "swinv2_cr_base_224": dict(**_B),
    "swinv2_cr_base_ns_224": dict(**_B, **_NS),
    "swinv2_cr_large_384": dict(**_L, **_384),
    "swinv2_cr_large_224": dict(**_L),
    "swinv2_cr_huge_384": dict(**_H, num_heads=(11, 22, 44, 88), **_384),
    "swinv2_cr_huge_224": dict(**_H, num_heads=(8, 16, 32, 64)),
    "swinv2_cr_giant_384": dict(**_G, **_384),
    "swinv2_cr_giant_224": dict(**_G),
}


# --- weight metadata --------------------------------------------------------------------------------

_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-weights-swinv2/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.9,
        interpolation="bicubic", fixed_input_size=True, first_conv="patch_embed.proj", classifier="head.fc",
        license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


_AT_384 = dict(input_size=(3, 384, 384), pool_size=(12, 12), crop_pct=1.0)

SWINV2_CR_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "swinv2_cr_tiny_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_tiny_224.untrained": _cfg(),
    "swinv2_cr_tiny_ns_224.sw_in1k": _cfg(_TIMM_RELEASES + "swin_v2_cr_tiny_ns_224-ba8166c6.pth", hf_hub_id="timm/"),
    "swinv2_cr_small_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_small_224.sw_in1k": _cfg(_TIMM_RELEASES + "swin_v2_cr_small_224-0813c165.pth", hf_hub_id="timm/"),
    "swinv2_cr_small_ns_224.sw_in1k": _cfg(
        _TIMM_RELEASES + "swin_v2_cr_small_ns_224_iv-2ce90f8e.pth", hf_hub_id="timm/"),
    "swinv2_cr_small_ns_256.untrained": _cfg(input_size=(3, 256, 256), pool_size=(8, 8), crop_pct=1.0),
    "swinv2_cr_base_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_base_224.untrained": _cfg(),
    "swinv2_cr_base_ns_224.untrained": _cfg(),
    "swinv2_cr_large_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_large_224.untrained": _cfg(),
    "swinv2_cr_huge_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_huge_224.untrained": _cfg(),
    "swinv2_cr_giant_384.untrained": _cfg(**_AT_384),
    "swinv2_cr_giant_224.untrained": _cfg(),
}

default_cfgs = generate_default_cfgs(SWINV2_CR_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_swinv2_cr(variant: str, pretrained: bool = False, **kwargs: Any) -> SwinTransformerV2Cr:
    depths = kwargs.get("depths", (1, 1, 1, 1))
    return build_model_with_cfg(
        SwinTransformerV2Cr, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(flatten_sequential=True, out_indices=tuple(range(len(depths)))), **kwargs)


register_variants(SWINV2_CRS, _create_swinv2_cr, globals())
