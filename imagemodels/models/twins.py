"""Twins: PCPVT and SVT. Checkpoint-compatible with timm's ``twins`` module.

Paper: Chu et al., "Twins: Revisiting the Design of Spatial Attention in Vision Transformers", 2021
(arXiv:2104.13840).

Four stages of tokens (strides 4 / 8 / 16 / 32), each opened by a patch-merging conv. Position is given
by a depthwise 3x3 conv (PEG) after each stage's first block instead of a learned table. Twins-PCPVT uses global sub-sampled attention everywhere
(keys / values from a strided-conv-reduced map); Twins-SVT alternates locally-grouped attention inside
ws x ws windows with global sub-sampled attention.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    Attention, DropPath, Mlp, PatchEmbed, check_token_pool, pool_tokens, to_2tuple, token_pool_width, trunc_normal_,
    use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["Twins"]

LayerFn = Callable[..., nn.Module]
Size = Tuple[int, int]


class LocallyGroupedAttn(nn.Module):
    """Self-attention inside non-overlapping ``ws`` x ``ws`` windows (the map is zero-padded up to a multiple)."""

    def __init__(self, dim: int, num_heads: int = 8, attn_drop: float = 0.0, proj_drop: float = 0.0, ws: int = 1,
                 device=None, dtype=None):
        super().__init__()
        if ws == 1:
            raise ValueError("ws=1 windows hold a single token; use GlobalSubSampleAttn")
        dd = dict(device=device, dtype=dtype)
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.ws = ws
        self.qkv = nn.Linear(dim, dim * 3, bias=True, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        batch, num_tokens, channels = x.shape
        height, width = size
        ws = self.ws
        x = x.view(batch, height, width, channels)
        pad_b, pad_r = (ws - height % ws) % ws, (ws - width % ws) % ws
        x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        rows, cols = (height + pad_b) // ws, (width + pad_r) // ws
        # (B, rows, ws, cols, ws, C) -> windows (B, rows * cols, ws * ws, C)
        x = x.reshape(batch, rows, ws, cols, ws, channels).transpose(2, 3)
        qkv = self.qkv(x).reshape(batch, rows * cols, ws * ws, 3, self.num_heads, self.head_dim).permute(3, 0, 1, 4, 2, 5)
        q, k, v = qkv.unbind(0)  # (B, windows, heads, ws * ws, head_dim)
        out = scaled_dot_product(q, k, v, fused=self.fused_attn, scale=self.scale,
                                 dropout_p=self.attn_drop.p if self.training else 0.0, attn_drop=self.attn_drop)
        out = out.transpose(2, 3).reshape(batch, rows, cols, ws, ws, channels).transpose(2, 3)
        out = out.reshape(batch, rows * ws, cols * ws, channels)[:, :height, :width]
        out = out.reshape(batch, num_tokens, channels)
        return self.proj_drop(self.proj(out))


class GlobalSubSampleAttn(nn.Module):
    """Every token queries a reduced map: keys / values come from a ``sr_ratio``-strided conv + LayerNorm
    of the tokens (PVT's spatial-reduction attention); ``sr_ratio=1`` is plain attention."""

    def __init__(self, dim: int, num_heads: int = 8, attn_drop: float = 0.0, proj_drop: float = 0.0,
                 sr_ratio: int = 1, device=None, dtype=None):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        dd = dict(device=device, dtype=dtype)
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.q = nn.Linear(dim, dim, bias=True, **dd)
        self.kv = nn.Linear(dim, dim * 2, bias=True, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        self.sr_ratio = sr_ratio
        if sr_ratio > 1:
            self.sr = nn.Conv2d(dim, dim, kernel_size=sr_ratio, stride=sr_ratio, **dd)
            self.norm = nn.LayerNorm(dim, **dd)
        else:
            self.sr = None
            self.norm = None

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        batch, num_tokens, channels = x.shape
        q = self.q(x).reshape(batch, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        if self.sr is not None:
            x = x.transpose(1, 2).reshape(batch, channels, *size)
            x = self.norm(self.sr(x).reshape(batch, channels, -1).transpose(1, 2))
        k, v = self.kv(x).reshape(batch, -1, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = scaled_dot_product(q, k, v, fused=self.fused_attn, scale=self.scale,
                                 dropout_p=self.attn_drop.p if self.training else 0.0, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, num_tokens, channels)
        return self.proj_drop(self.proj(out))


class Block(nn.Module):
    """Pre-norm transformer block; the attention is plain (``ws=None``), global sub-sampled (``ws=1``) or
    locally grouped in ``ws`` x ``ws`` windows."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, proj_drop: float = 0.0,
                 attn_drop: float = 0.0, drop_path: float = 0.0, act_layer: LayerFn = nn.GELU,
                 norm_layer: LayerFn = nn.LayerNorm, sr_ratio: int = 1, ws: Optional[int] = None,
                 device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.norm1 = norm_layer(dim, **dd)
        if ws is None:
            self.attn = Attention(dim, num_heads, qkv_bias=False, attn_drop=attn_drop, proj_drop=proj_drop, **dd)
        elif ws == 1:
            self.attn = GlobalSubSampleAttn(dim, num_heads, attn_drop, proj_drop, sr_ratio, **dd)
        else:
            self.attn = LocallyGroupedAttn(dim, num_heads, attn_drop, proj_drop, ws, **dd)
        self.takes_size = ws is not None
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = Mlp(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop, **dd)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        y = self.norm1(x)
        x = x + self.drop_path1(self.attn(y, size) if self.takes_size else self.attn(y))
        return x + self.drop_path2(self.mlp(self.norm2(x)))


class PosConv(nn.Module):
    """Position encoding generator: a depthwise 3x3 conv over the token map, added back (``stride`` 1)."""

    def __init__(self, in_chans: int, embed_dim: int = 768, stride: int = 1, device=None, dtype=None):
        super().__init__()
        self.proj = nn.Sequential(
            nn.Conv2d(in_chans, embed_dim, 3, stride, 1, bias=True, groups=embed_dim, device=device, dtype=dtype))
        self.stride = stride

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        batch, _, channels = x.shape
        feat = x.transpose(1, 2).reshape(batch, channels, *size)
        x = self.proj(feat)
        if self.stride == 1:
            x = x + feat
        return x.flatten(2).transpose(1, 2)


class Twins(nn.Module):
    """Four stages of (patch-merging conv -> blocks, with a PEG after the first) -> norm -> pool -> head.

    ``wss`` = None gives PCPVT (global sub-sampled attention in every block, reduction ``sr_ratios``);
    a window size per stage gives SVT (even blocks windowed, odd blocks global sub-sampled).
    """

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        patch_size: int = 4,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        embed_dims: Sequence[int] = (64, 128, 256, 512),
        num_heads: Sequence[int] = (1, 2, 4, 8),
        mlp_ratios: Sequence[float] = (4, 4, 4, 4),
        depths: Sequence[int] = (3, 4, 6, 3),
        sr_ratios: Sequence[int] = (8, 4, 2, 1),
        wss: Optional[Sequence[int]] = None,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: LayerFn = partial(nn.LayerNorm, eps=1e-6),
        block_cls: Any = Block,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if global_pool == "token":
            raise ValueError("Twins has no class token: global_pool must be one of 'avg', 'max', 'avgmax', 'catavgmax', ''")
        self.num_classes = num_classes
        self.global_pool = check_token_pool(global_pool)
        self.in_chans = in_chans
        self.depths = list(depths)
        self.embed_dims = list(embed_dims)
        self.num_features = self.head_hidden_size = embed_dims[-1]
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False

        img_size = to_2tuple(img_size)
        prev_chs = in_chans
        self.patch_embeds = nn.ModuleList()
        self.pos_drops = nn.ModuleList()
        for i, dim in enumerate(embed_dims):
            patch = patch_size if i == 0 else 2
            self.patch_embeds.append(PatchEmbed(img_size, patch, prev_chs, dim, norm_layer=nn.LayerNorm, **dd))
            self.pos_drops.append(nn.Dropout(p=pos_drop_rate))
            img_size = tuple(s // patch for s in img_size)
            prev_chs = dim

        total = sum(depths)
        rates = [drop_path_rate * i / (total - 1) if total > 1 else 0.0 for i in range(total)]
        self.blocks = nn.ModuleList()
        self.feature_info = []
        first = 0
        for k, depth in enumerate(depths):
            self.blocks.append(nn.ModuleList([
                block_cls(embed_dims[k], num_heads[k], mlp_ratio=mlp_ratios[k], proj_drop=proj_drop_rate,
                          attn_drop=attn_drop_rate, drop_path=rates[first + j], norm_layer=norm_layer,
                          sr_ratio=sr_ratios[k], ws=1 if wss is None or j % 2 == 1 else wss[k], **dd)
                for j in range(depth)]))
            # the reference names these 'block.N' (sic); kept so feature_info reads the same
            self.feature_info.append(dict(module=f"block.{k}", num_chs=embed_dims[k], reduction=2 ** (2 + k)))
            first += depth
        self.pos_block = nn.ModuleList([PosConv(dim, dim, **dd) for dim in embed_dims])
        self.norm = norm_layer(self.num_features, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)
        self.apply(self._init_weights)

    def _make_head(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        weight = self.patch_embeds[0].proj.weight
        return nn.Linear(token_pool_width(self.num_features, self.global_pool), num_classes,
                         device=weight.device, dtype=weight.dtype)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
            nn.init.normal_(m.weight, 0, (2.0 / fan_out) ** 0.5)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {"pos_block." + n for n, _ in self.pos_block.named_parameters()}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        if coarse:
            return dict(stem=r"^patch_embeds.0",
                        blocks=[(r"^(?:blocks|patch_embeds|pos_block)\.(\d+)", None), (r"^norm", (99999,))])
        return dict(stem=r"^patch_embeds.0", blocks=[
            (r"^blocks\.(\d+)\.(\d+)", None), (r"^(?:patch_embeds|pos_block)\.(\d+)", (0,)), (r"^norm", (99999,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            if global_pool == "token":
                raise ValueError("Twins has no class token: use global_pool='avg'")
            self.global_pool = check_token_pool(global_pool)
        self.head = self._make_head(num_classes)

    def _run_stage(self, i: int, x: torch.Tensor) -> Tuple[torch.Tensor, Size]:
        """NCHW (or the image) in; tokens (B, H*W, C) and (H, W) out."""
        height, width = x.shape[-2:]
        embed = self.patch_embeds[i]
        x = self.pos_drops[i](embed(x))
        size = (height // embed.patch_size[0], width // embed.patch_size[1])
        for j, block in enumerate(self.blocks[i]):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, size, use_reentrant=False)
            else:
                x = block(x, size)
            if j == 0:
                x = self.pos_block[i](x, size)  # position comes from the map itself, after the first block
        return x, size

    @staticmethod
    def _to_map(x: torch.Tensor, size: Size) -> torch.Tensor:
        return x.reshape(x.shape[0], *size, -1).permute(0, 3, 1, 2).contiguous()

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Each stage's output map at ``indices`` (NCHW); ``norm`` applies the final norm to the last
        stage's. The final features are the normed tokens of the last stage run."""
        if output_fmt != "NCHW":
            raise ValueError(f"Twins feature maps are NCHW only, got output_fmt={output_fmt!r}")
        num_stages = len(self.blocks)
        take_indices, max_index = feature_take_indices(num_stages, indices)
        last = max_index if stop_early else num_stages - 1
        intermediates = []
        for i in range(last + 1):
            tokens, size = self._run_stage(i, x)
            x = self._to_map(tokens, size)
            if i in take_indices:
                intermediates.append(self._to_map(self.norm(tokens), size) if norm and i == num_stages - 1 else x)
        if intermediates_only:
            return intermediates
        return self.norm(tokens), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        keep = max_index + 1
        self.patch_embeds = self.patch_embeds[:keep]
        self.pos_drops = self.pos_drops[:keep]
        self.blocks = self.blocks[:keep]
        self.pos_block = self.pos_block[:keep]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        for i in range(len(self.blocks)):
            tokens, size = self._run_stage(i, x)
            if i < len(self.blocks) - 1:
                x = self._to_map(tokens, size)
        return self.norm(tokens)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = pool_tokens(x, self.global_pool, num_prefix_tokens=0)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants -----------------------------------------------------------------------------------------

_PCPVT = dict(patch_size=4, embed_dims=(64, 128, 320, 512), num_heads=(1, 2, 5, 8), mlp_ratios=(8, 8, 4, 4),
              sr_ratios=(8, 4, 2, 1))
_SVT = dict(patch_size=4, mlp_ratios=(4, 4, 4, 4), wss=(7, 7, 7, 7), sr_ratios=(8, 4, 2, 1))

TWINS: Dict[str, Dict[str, Any]] = {
    "twins_pcpvt_small": dict(_PCPVT, depths=(3, 4, 6, 3)),
    "twins_pcpvt_base": dict(_PCPVT, depths=(3, 4, 18, 3)),
    "twins_pcpvt_large": dict(_PCPVT, depths=(3, 8, 27, 3)),
    "twins_svt_small": dict(_SVT, embed_dims=(64, 128, 256, 512), num_heads=(2, 4, 8, 16), depths=(2, 2, 10, 4)),
    "twins_svt_base": dict(_SVT, embed_dims=(96, 192, 384, 768), num_heads=(3, 6, 12, 24), depths=(2, 2, 18, 2)),
    "twins_svt_large": dict(_SVT, embed_dims=(128, 256, 512, 1024), num_heads=(4, 8, 16, 32), depths=(2, 2, 18, 2)),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.9,
        interpolation="bicubic", first_conv="patch_embeds.0.proj", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


TWINS_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "twins_pcpvt_base.in1k": _cfg(),
    "twins_pcpvt_large.in1k": _cfg(),
    "twins_pcpvt_small.in1k": _cfg(),
    "twins_svt_base.in1k": _cfg(),
    "twins_svt_large.in1k": _cfg(),
    "twins_svt_small.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(TWINS_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_twins(variant: str, pretrained: bool = False, **kwargs: Any) -> Twins:
    out_indices = kwargs.pop("out_indices", 4)
    return build_model_with_cfg(Twins, variant, pretrained,
                                feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(TWINS, _create_twins, globals())
