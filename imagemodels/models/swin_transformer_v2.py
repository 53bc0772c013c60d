"""Swin Transformer V2: Swin's shifted windows with three changes that let it scale in size and
resolution. Checkpoint-compatible with timm's ``swin_transformer_v2`` module.

Paper: Liu et al., "Swin Transformer V2: Scaling Up Capacity and Resolution", 2022 (arXiv:2111.09883).

The changes against V1 (``swin_transformer.py``, whose windows, shift masks and block plumbing are
reused here):

* res-post-norm: each residual branch is normalised at its output, ``x + norm(attn(x))``;
* scaled cosine attention: ``cos(q, k) * exp(logit_scale)`` per head, the scale clamped at 100;
* log-spaced continuous position bias: a small MLP maps each relative offset, log-scaled, to a bias
  per head. Nothing depends on the window size but two buffers, so a checkpoint loads into any
  window size unchanged; ``pretrained_window_size`` keeps the offsets normalised as in training.

Layout: attention, block, patch merging, stage, network, then ``SWINV2S``, weight metadata, registration.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    calculate_drop_path_rates,
    ClassifierHead, PatchEmbed, factory_kwargs, get_act_layer, get_norm_layer, resample_patch_embed, to_2tuple,
)

from ._builder import build_model_with_cfg
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants
from .swin_transformer import SwinTransformer, SwinTransformerBlock, get_relative_position_index

__all__ = ["SwinTransformerV2", "SwinTransformerV2Block", "SwinTransformerV2Stage", "WindowAttention", "PatchMerging"]

LayerFn = Callable[..., nn.Module]
Size = Tuple[int, int]

# the cosine-similarity logits are scaled by at most 1 / 0.01
_MAX_LOGIT_SCALE = math.log(1.0 / 0.01)


def log_relative_coords(window: Size, pretrained_window: Size = (0, 0)) -> torch.Tensor:
    """(1, 2*Wh-1, 2*Ww-1, 2) relative offsets of a window, normalised to [-1, 1] by the pretrained
    window (or this one), stretched to [-8, 8] and log-spaced: sign(t) * log2(1 + |t|) / log2(8)."""
    coords = torch.stack(torch.meshgrid(
        torch.arange(-(window[0] - 1), window[0], dtype=torch.float32),
        torch.arange(-(window[1] - 1), window[1], dtype=torch.float32), indexing="ij"), dim=-1)
    norm = [p - 1 if p > 0 else w - 1 for p, w in zip(pretrained_window, window)]
    coords = coords / torch.tensor(norm, dtype=torch.float32) * 8.0
    return (torch.sign(coords) * torch.log2(coords.abs() + 1.0) / math.log2(8)).unsqueeze(0)


class WindowAttention(nn.Module):
    """Scaled cosine self-attention within a window, plus the continuous position bias.

    The qkv projection has its own q and v biases and no k bias (``k_bias`` is a zero buffer), as
    the original weights were trained.
    """

    def __init__(
        self,
        dim: int,
        window_size: Union[int, Size],
        num_heads: int,
        qkv_bias: bool = True,
        qkv_bias_separate: bool = False,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        pretrained_window_size: Union[int, Size] = (0, 0),
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.window_size = to_2tuple(window_size)
        self.pretrained_window_size = to_2tuple(pretrained_window_size)
        self.num_heads = num_heads
        self.qkv_bias_separate = qkv_bias_separate
        self.logit_scale = nn.Parameter(torch.full((num_heads, 1, 1), math.log(10.0), **dd))
        # continuous position bias: relative offset (2) -> bias per head
        self.cpb_mlp = nn.Sequential(
            nn.Linear(2, 512, bias=True, **dd), nn.ReLU(inplace=True), nn.Linear(512, num_heads, bias=False, **dd))
        self.qkv = nn.Linear(dim, dim * 3, bias=False, **dd)
        if qkv_bias:
            self.q_bias = nn.Parameter(torch.zeros(dim, **dd))
            self.register_buffer("k_bias", torch.zeros(dim, **dd), persistent=False)
            self.v_bias = nn.Parameter(torch.zeros(dim, **dd))
        else:
            self.q_bias = self.k_bias = self.v_bias = None
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        self._make_pair_wise_buffers(device)

    def _make_pair_wise_buffers(self, device: Any = None) -> None:
        win_h, win_w = self.window_size
        self.register_buffer("relative_coords_table", log_relative_coords(
            self.window_size, self.pretrained_window_size).to(device), persistent=False)
        self.register_buffer("relative_position_index", get_relative_position_index(win_h, win_w).to(device),
                             persistent=False)

    def set_window_size(self, window_size: Union[int, Size]) -> None:
        """Change the window: only the offset buffers change, the bias MLP is size-free."""
        window_size = to_2tuple(window_size)
        if window_size != self.window_size:
            self.window_size = window_size
            self._make_pair_wise_buffers(self.relative_position_index.device)

    def position_bias(self) -> torch.Tensor:
        """(heads, N, N) bias in (0, 16)."""
        n = self.window_size[0] * self.window_size[1]
        table = self.cpb_mlp(self.relative_coords_table).view(-1, self.num_heads)
        bias = table[self.relative_position_index.view(-1)].view(n, n, -1).permute(2, 0, 1)
        return 16 * torch.sigmoid(bias)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """x: (num_windows*B, N, C); mask: (num_windows, N, N) of 0 / -100 or None."""
        batch_windows, n, channels = x.shape
        if self.q_bias is None:
            qkv = self.qkv(x)
        else:
            bias = torch.cat((self.q_bias, self.k_bias, self.v_bias))
            qkv = self.qkv(x) + bias if self.qkv_bias_separate else F.linear(x, self.qkv.weight, bias)
        q, k, v = qkv.reshape(batch_windows, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        scale = torch.clamp(self.logit_scale, max=_MAX_LOGIT_SCALE).exp()
        q = F.normalize(q, dim=-1) * scale  # cos(q, k) * scale, as one matmul inside the attention
        k = F.normalize(k, dim=-1)
        bias = self.position_bias().unsqueeze(0)
        if mask is not None:
            num_win = mask.shape[0]
            bias = (bias.unsqueeze(0) + mask.unsqueeze(1).unsqueeze(0)).expand(
                batch_windows // num_win, -1, -1, -1, -1).reshape(-1, self.num_heads, n, n)
        x = F.scaled_dot_product_attention(
            q, k, v, attn_mask=bias.to(q.dtype), dropout_p=self.attn_drop.p if self.training else 0.0, scale=1.0)
        x = x.transpose(1, 2).reshape(batch_windows, n, channels)
        return self.proj_drop(self.proj(x))


class SwinTransformerV2Block(SwinTransformerBlock):
    """V1's block (shifted windows, padding, masks: inherited) with V2's cosine attention and
    res-post-norm: ``x + norm1(attn(x))``, ``x + norm2(mlp(x))``. Input and output NHWC."""

    def __init__(
        self,
        dim: int,
        input_resolution: Union[int, Size],
        num_heads: int,
        window_size: Union[int, Size] = 7,
        shift_size: Union[int, Size] = 0,
        always_partition: bool = False,
        dynamic_mask: bool = False,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: LayerFn = nn.LayerNorm,
        pretrained_window_size: Union[int, Size] = 0,
        device: Any = None,
        dtype: Any = None,
    ):
        act_layer = get_act_layer(act_layer) if isinstance(act_layer, str) else act_layer
        super().__init__(
            dim, input_resolution, num_heads=num_heads, window_size=window_size, shift_size=shift_size,
            always_partition=always_partition, dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias,
            proj_drop=proj_drop, attn_drop=attn_drop, drop_path=drop_path, act_layer=act_layer,
            norm_layer=norm_layer, device=device, dtype=dtype)
        self.mlp_ratio = mlp_ratio
        # replaces V1's table-biased attention (same slot, so the module order is unchanged)
        self.attn = WindowAttention(
            dim, window_size=self.window_size, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
            proj_drop=proj_drop, pretrained_window_size=pretrained_window_size, device=device, dtype=dtype)
        self.init_respostnorm()

    def init_respostnorm(self) -> None:
        """Residual branches start at zero: the post-norms' gains are zero-initialised."""
        for norm in (self.norm1, self.norm2):
            if getattr(norm, "weight", None) is not None:
                nn.init.zeros_(norm.weight)
            if getattr(norm, "bias", None) is not None:
                nn.init.zeros_(norm.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, height, width, channels = x.shape
        x = x + self.drop_path1(self.norm1(self._attn(x)))
        x = x.reshape(batch, -1, channels)
        x = x + self.drop_path2(self.norm2(self.mlp(x)))
        return x.reshape(batch, height, width, channels)


class PatchMerging(nn.Module):
    """Halve the resolution: each 2x2 neighbourhood's channels (4C) -> linear to ``out_dim`` -> norm
    (V2 normalises after the reduction; V1 before)."""

    def __init__(self, dim: int, out_dim: Optional[int] = None, norm_layer: LayerFn = nn.LayerNorm,
                 device: Any = None, dtype: Any = None):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.out_dim = out_dim or 2 * dim
        self.reduction = nn.Linear(4 * dim, self.out_dim, bias=False, **dd)
        self.norm = norm_layer(self.out_dim, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, height, width, channels = x.shape
        x = F.pad(x, (0, 0, 0, width % 2, 0, height % 2))  # odd sizes: pad one row / column
        _, height, width, _ = x.shape
        # channel order (h, w) offsets (0,0), (1,0), (0,1), (1,1), as V1
        x = x.reshape(batch, height // 2, 2, width // 2, 2, channels).permute(0, 1, 3, 4, 2, 5).flatten(3)
        return self.norm(self.reduction(x))


class SwinTransformerV2Stage(nn.Module):
    """Optional patch merging, then ``depth`` blocks alternating plain and shifted windows."""

    def __init__(
        self,
        dim: int,
        out_dim: int,
        input_resolution: Union[int, Size],
        depth: int,
        num_heads: int,
        window_size: Union[int, Size],
        always_partition: bool = False,
        dynamic_mask: bool = False,
        downsample: bool = False,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: Union[List[float], float] = 0.0,
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: LayerFn = nn.LayerNorm,
        pretrained_window_size: Union[int, Size] = 0,
        output_nchw: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.dim = dim
        self.input_resolution = to_2tuple(input_resolution)
        self.output_resolution = tuple(r // 2 for r in self.input_resolution) if downsample else self.input_resolution
        self.depth = depth
        self.output_nchw = output_nchw
        self.grad_checkpointing = False
        window_size = to_2tuple(window_size)
        shift_size = tuple(w // 2 for w in window_size)
        self.downsample = PatchMerging(dim, out_dim, norm_layer=norm_layer, **dd) if downsample else nn.Identity()
        drop_paths = drop_path if isinstance(drop_path, (list, tuple)) else [drop_path] * depth
        self.blocks = nn.ModuleList([
            SwinTransformerV2Block(
                out_dim, self.output_resolution, num_heads=num_heads, window_size=window_size,
                shift_size=0 if i % 2 == 0 else shift_size, always_partition=always_partition,
                dynamic_mask=dynamic_mask, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop,
                attn_drop=attn_drop, drop_path=drop_paths[i], act_layer=act_layer, norm_layer=norm_layer,
                pretrained_window_size=pretrained_window_size, **dd)
            for i in range(depth)
        ])

    def set_input_size(self, feat_size: Size, window_size: Size, always_partition: Optional[bool] = None) -> None:
        self.input_resolution = to_2tuple(feat_size)
        downsample = isinstance(self.downsample, PatchMerging)
        self.output_resolution = tuple(r // 2 for r in self.input_resolution) if downsample else self.input_resolution
        for block in self.blocks:
            block.set_input_size(self.output_resolution, window_size, always_partition)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        for block in self.blocks:
            x = block(x)
        return x


class SwinTransformerV2(SwinTransformer):
    """Swin Transformer V2, configured by arguments.

    Shares V1's contract methods (forward_features / forward_intermediates / heads / group_matcher):
    the ``patch_embed -> layers -> norm -> head`` layout and NHWC tokens are the same. Only the
    construction differs, so ``__init__`` does not run V1's.

    ``window_size``: one size, or one per stage. ``pretrained_window_sizes``: per stage, the window
    the weights were trained with (0 = this one); it fixes how offsets are normalised.
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
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: Union[str, LayerFn] = nn.LayerNorm,
        pretrained_window_sizes: Sequence[int] = (0, 0, 0, 0),
        weight_init: str = "",
        device: Any = None,
        dtype: Any = None,
    ):
        nn.Module.__init__(self)
        dd = factory_kwargs(device, dtype)
        if global_pool not in ("", "avg", "max", "avgmax", "catavgmax"):
            raise ValueError(f"global_pool must be '', 'avg', 'max', 'avgmax' or 'catavgmax', got {global_pool!r}")
        if len(depths) != len(num_heads):
            raise ValueError(f"depths and num_heads need one entry per stage, got {len(depths)} and {len(num_heads)}")
        norm_layer = get_norm_layer(norm_layer) if isinstance(norm_layer, str) else norm_layer
        act_layer = get_act_layer(act_layer) if isinstance(act_layer, str) else act_layer
        num_stages = len(depths)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.output_fmt = "NHWC"
        self.dynamic_img_size = dynamic_img_size
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_layers = num_stages
        self.embed_dim = embed_dim
        self.num_features = self.head_hidden_size = int(embed_dim * 2 ** (num_stages - 1))
        self.feature_info: List[Dict[str, Any]] = []
        self.window_sizes = _stage_windows(window_size, num_stages)
        pretrained_window_sizes = _stage_windows(pretrained_window_sizes, num_stages)
        # any input size: maps are padded to whole windows and masks built per input
        dynamic = dynamic_img_size or not strict_img_size

        self.patch_embed = PatchEmbed(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim, norm_layer=norm_layer,
            strict_img_size=strict_img_size and not dynamic_img_size, output_fmt="NHWC", **dd)
        grid = self.patch_embed.grid_size
        # on the CPU even under a meta-device context: the rates are read out as floats
        dpr = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        dims = [int(embed_dim * 2 ** i) for i in range(num_stages)]
        stages, in_dim, resolution = [], dims[0], grid
        for i in range(num_stages):
            stages.append(SwinTransformerV2Stage(
                in_dim, dims[i], input_resolution=resolution,
                depth=depths[i], downsample=i > 0, num_heads=num_heads[i], window_size=self.window_sizes[i],
                always_partition=always_partition, dynamic_mask=dynamic, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias,
                proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, drop_path=dpr[i], act_layer=act_layer,
                norm_layer=norm_layer, pretrained_window_size=pretrained_window_sizes[i], **dd))
            in_dim, resolution = dims[i], stages[-1].output_resolution
            self.feature_info.append(dict(num_chs=dims[i], reduction=patch_size * 2 ** i, module=f"layers.{i}"))
        self.layers = nn.Sequential(*stages)
        self.norm = norm_layer(self.num_features, **dd)
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate,
                                   input_fmt="NHWC", **dd)
        if weight_init != "skip":
            self.init_weights()

    def init_weights(self) -> None:
        super().init_weights()
        for module in self.modules():
            if isinstance(module, SwinTransformerV2Block):
                module.init_respostnorm()

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {n for n, _ in self.named_parameters() if "cpb_mlp" in n or "logit_scale" in n}

    def set_input_size(
        self,
        img_size: Optional[Union[int, Size]] = None,
        patch_size: Optional[Union[int, Size]] = None,
        window_size: Optional[Union[int, Size, Sequence[int]]] = None,
        window_ratio: Optional[int] = None,
        always_partition: Optional[bool] = None,
    ) -> None:
        """A new input size, patch size and/or window (``window_ratio``: window = first grid // ratio).
        Only buffers change (and the patch kernel, resampled, for a new patch size)."""
        if img_size is not None or patch_size is not None:
            self.patch_embed.set_input_size(img_size=img_size, patch_size=patch_size)
        grid = self.patch_embed.grid_size
        if window_size is None and window_ratio is not None:
            window_size = tuple(g // window_ratio for g in grid)
        if window_size is not None:
            self.window_sizes = _stage_windows(window_size, len(self.layers))
        resolution = grid
        for i, stage in enumerate(self.layers):
            stage.set_input_size(resolution, self.window_sizes[i], always_partition)
            resolution = stage.output_resolution


def _stage_windows(window_size: Union[int, Size, Sequence[int]], num_stages: int) -> List[Size]:
    """A single int or pair is one window for every stage; a longer sequence is one per stage."""
    if isinstance(window_size, int) or len(window_size) == 2 and num_stages != 2:
        return [to_2tuple(window_size)] * num_stages
    if len(window_size) != num_stages:
        raise ValueError(f"need one window size per stage ({num_stages}), got {tuple(window_size)}")
    return [to_2tuple(w) for w in window_size]


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: SwinTransformerV2) -> Dict[str, torch.Tensor]:
    """Adapt a checkpoint to ``model``: drop the buffers (rebuilt from the window size), resample the
    patch kernel to the model's patch size, and map the original release's layout (patch merging
    at the end of a stage, a bare ``head``) to this one (merging at the start of the next)."""
    state_dict = state_dict.get("model", state_dict)
    state_dict = state_dict.get("state_dict", state_dict)
    native = "head.fc.weight" in state_dict
    out = {}
    for key, value in state_dict.items():
        if any(n in key for n in ("relative_position_index", "relative_coords_table", "attn_mask")):
            continue
        if key == "patch_embed.proj.weight":
            kernel = model.patch_embed.proj.weight.shape[-2:]
            if value.shape[-2:] != kernel:
                value = resample_patch_embed(value, list(kernel))
        if not native:
            key = re.sub(r"layers\.(\d+)\.downsample", lambda m: f"layers.{int(m.group(1)) + 1}.downsample", key)
            key = key.replace("head.", "head.fc.", 1) if key.startswith("head.") else key
        out[key] = value
    return out


# --- variants ---------------------------------------------------------------------------------------

_T = dict(embed_dim=96, depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24))
_S = dict(embed_dim=96, depths=(2, 2, 18, 2), num_heads=(3, 6, 12, 24))
_B = dict(embed_dim=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32))
_L = dict(embed_dim=192, depths=(2, 2, 18, 2), num_heads=(6, 12, 24, 48))
_FROM_192 = dict(pretrained_window_sizes=(12, 12, 12, 6))  # fine-tuned from the window-12, 192px weights

SWINV2S: Dict[str, Dict[str, Any]] = {
    "swinv2_tiny_window16_256": dict(img_size=256, window_size=16, **_T),
    "swinv2_tiny_window8_256": dict(img_size=256, window_size=8, **_T),
    "swinv2_small_window16_256": dict(img_size=256, window_size=16, **_S),
    "swinv2_small_window8_256": dict(img_size=256, window_size=8, **_S),
    "swinv2_base_window16_256": dict(img_size=256, window_size=16, **_B),
    "swinv2_base_window8_256": dict(img_size=256, window_size=8, **_B),
    "swinv2_base_window12_192": dict(img_size=192, window_size=12, **_B),
    "swinv2_base_window12to16_192to256": dict(img_size=256, window_size=16, **_FROM_192, **_B),
    "swinv2_base_window12to24_192to384": dict(img_size=384, window_size=24, **_FROM_192, **_B),
    "swinv2_large_window12_192": dict(img_size=192, window_size=12, **_L),
    "swinv2_large_window12to16_192to256": dict(img_size=256, window_size=16, **_FROM_192, **_L),
    "swinv2_large_window12to24_192to384": dict(img_size=384, window_size=24, **_FROM_192, **_L),
}


# --- weight metadata --------------------------------------------------------------------------------

_MS = "https://github.com/SwinTransformer/storage/releases/download/v2.0.0/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 256, 256), pool_size=(8, 8), crop_pct=0.9,
        interpolation="bicubic", fixed_input_size=True, first_conv="patch_embed.proj", classifier="head.fc",
        license="mit",
    )
    cfg.update(kwargs)
    return cfg


_IN22K_192 = dict(num_classes=21841, input_size=(3, 192, 192), pool_size=(6, 6))
_AT_384 = dict(input_size=(3, 384, 384), pool_size=(12, 12), crop_pct=1.0)

SWINV2_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "swinv2_base_window8_256.ms_in1k": _cfg(_MS + "swinv2_base_patch4_window8_256.pth"),
    "swinv2_base_window12_192.ms_in22k": _cfg(_MS + "swinv2_base_patch4_window12_192_22k.pth", **_IN22K_192),
    "swinv2_base_window12to16_192to256.ms_in22k_ft_in1k": _cfg(
        _MS + "swinv2_base_patch4_window12to16_192to256_22kto1k_ft.pth"),
    "swinv2_base_window12to24_192to384.ms_in22k_ft_in1k": _cfg(
        _MS + "swinv2_base_patch4_window12to24_192to384_22kto1k_ft.pth", **_AT_384),
    "swinv2_base_window16_256.ms_in1k": _cfg(_MS + "swinv2_base_patch4_window16_256.pth"),
    "swinv2_large_window12_192.ms_in22k": _cfg(_MS + "swinv2_large_patch4_window12_192_22k.pth", **_IN22K_192),
    "swinv2_large_window12to16_192to256.ms_in22k_ft_in1k": _cfg(
        _MS + "swinv2_large_patch4_window12to16_192to256_22kto1k_ft.pth"),
    "swinv2_large_window12to24_192to384.ms_in22k_ft_in1k": _cfg(
        _MS + "swinv2_large_patch4_window12to24_192to384_22kto1k_ft.pth", **_AT_384),
    "swinv2_small_window8_256.ms_in1k": _cfg(_MS + "swinv2_small_patch4_window8_256.pth"),
    "swinv2_small_window16_256.ms_in1k": _cfg(_MS + "swinv2_small_patch4_window16_256.pth"),
    "swinv2_tiny_window8_256.ms_in1k": _cfg(_MS + "swinv2_tiny_patch4_window8_256.pth"),
    "swinv2_tiny_window16_256.ms_in1k": _cfg(_MS + "swinv2_tiny_patch4_window16_256.pth"),
}

default_cfgs = generate_default_cfgs(SWINV2_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_swinv2(variant: str, pretrained: bool = False, **kwargs: Any) -> SwinTransformerV2:
    depths = kwargs.get("depths", (1, 1, 1, 1))
    return build_model_with_cfg(
        SwinTransformerV2, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(flatten_sequential=True, out_indices=tuple(range(len(depths)))), **kwargs)


register_variants(SWINV2S, _create_swinv2, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "swinv2_base_window12_192_22k": "swinv2_base_window12_192.ms_in22k",
    "swinv2_base_window12to16_192to256_22kft1k": "swinv2_base_window12to16_192to256.ms_in22k_ft_in1k",
    "swinv2_base_window12to24_192to384_22kft1k": "swinv2_base_window12to24_192to384.ms_in22k_ft_in1k",
    "swinv2_large_window12_192_22k": "swinv2_large_window12_192.ms_in22k",
    "swinv2_large_window12to16_192to256_22kft1k": "swinv2_large_window12to16_192to256.ms_in22k_ft_in1k",
    "swinv2_large_window12to24_192to384_22kft1k": "swinv2_large_window12to24_192to384.ms_in22k_ft_in1k",
})
