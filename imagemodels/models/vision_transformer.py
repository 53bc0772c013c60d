"""Vision Transformer (ViT) and the plain-ViT descendants that share its weight layout: DeiT-III / AugReg /
CLIP / SigLIP / DINOv2 (+registers) / EVA / AIMv2 / RADIO / TIPS / BEiT-3 / FlexiViT / parallel-block ViTs.
Checkpoint-compatible with timm's ``vision_transformer`` module.

Papers:

* Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 2020
  (arXiv:2010.11929)
* Steiner et al., "How to train your ViT? Data, Augmentation, and Regularization in Vision Transformers"
  (AugReg), 2021 (arXiv:2106.10270)
* Touvron et al., "Three things everyone should know about Vision Transformers" (parallel blocks), 2022
  (arXiv:2203.09795)
* Darcet et al., "Vision Transformers Need Registers", 2023 (arXiv:2309.16588)
* Dehghani et al., "Scaling Vision Transformers to 22 Billion Parameters" (parallel scaling block), 2023
  (arXiv:2302.05442)
* Ye et al., "Differential Transformer", 2024 (arXiv:2410.05258)
* Zhai et al., "Sigmoid Loss for Language Image Pre-Training" (SigLIP, MAP head), 2023 (arXiv:2303.15343)

Layout: blocks, the network, weight-loading adaptation, the variant table (``VISION_TRANSFORMERS``), the
weight metadata, registration.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    Attention, AttentionPoolLatent, DropPath, LayerNorm, LayerScale, Mlp, PatchDropout, PatchEmbed,
    RmsNorm, SwiGLU, add_abs_pos_embed, add_into, can_overwrite, check_token_pool, get_act_layer, get_norm_layer,
    resample_abs_pos_embed,
    resample_patch_embed, to_2tuple, token_pool_width, trunc_normal_, use_fused_attn,
)
from imagemodels.layers.activations import QuickGELU
from imagemodels.layers.attention import scaled_dot_product
from imagemodels.layers.diff_attention import DiffAttention, DiffLambda, differential_attention
from imagemodels.layers.mlp import SwiGLUPacked

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import (
    IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD, IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, OPENAI_CLIP_MEAN,
    OPENAI_CLIP_STD, generate_default_cfgs,
)
from ._registry import register_model_deprecations, register_variants

__all__ = [
    "VisionTransformer", "Block", "ResPostBlock", "ParallelScalingBlock", "ParallelThingsBlock", "DiffAttention",
    "DiffParallelScalingBlock", "QuickGELU", "checkpoint_filter_fn",
]

LayerFn = Callable[..., nn.Module]


def _ls(dim: int, init_values: Optional[float], **dd: Any) -> nn.Module:
    return LayerScale(dim, init_values, **dd) if init_values else nn.Identity()


# --- blocks -------------------------------------------------------------------------------------------

class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)), each with LayerScale and DropPath."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        init_values: Optional[float] = None,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = LayerNorm,
        mlp_layer: LayerFn = Mlp,
        attn_layer: LayerFn = Attention,
        depth: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        attn_kwargs = dict(depth=depth) if attn_layer is DiffAttention else {}
        self.norm1 = norm_layer(dim, **dd)
        self.attn = attn_layer(
            dim, num_heads=num_heads, qkv_bias=qkv_bias, qk_norm=qk_norm, scale_norm=scale_attn_norm,
            proj_bias=proj_bias, attn_drop=attn_drop, proj_drop=proj_drop, norm_layer=norm_layer, **attn_kwargs, **dd)
        self.ls1 = _ls(dim, init_values, **dd)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = mlp_layer(
            in_features=dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer,
            norm_layer=norm_layer if scale_mlp_norm else None, bias=proj_bias, drop=proj_drop, **dd)
        self.ls2 = _ls(dim, init_values, **dd)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        if can_overwrite(x, self):  # inference: each residual sum lands in its branch's fresh output
            x = add_into(self.drop_path1(self.ls1(self.attn(self.norm1(x), attn_mask=attn_mask))), x)
            return add_into(self.drop_path2(self.ls2(self.mlp(self.norm2(x)))), x)
        x = x + self.drop_path1(self.ls1(self.attn(self.norm1(x), attn_mask=attn_mask)))
        return x + self.drop_path2(self.ls2(self.mlp(self.norm2(x))))


class ResPostBlock(nn.Module):
    """Post-norm residual block (norm on the branch output): x + norm1(attn(x)), x + norm2(mlp(x)).

    ``init_values`` starts the branch norms' scale there (the same role LayerScale plays in pre-norm blocks).
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        init_values: Optional[float] = None,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = LayerNorm,
        mlp_layer: LayerFn = Mlp,
        attn_layer: LayerFn = Attention,
        depth: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.init_values = init_values
        self.attn = attn_layer(
            dim, num_heads=num_heads, qkv_bias=qkv_bias, qk_norm=qk_norm, scale_norm=scale_attn_norm,
            proj_bias=proj_bias, attn_drop=attn_drop, proj_drop=proj_drop, norm_layer=norm_layer, **dd)
        self.norm1 = norm_layer(dim, **dd)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.mlp = mlp_layer(
            in_features=dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer,
            norm_layer=norm_layer if scale_mlp_norm else None, bias=proj_bias, drop=proj_drop, **dd)
        self.norm2 = norm_layer(dim, **dd)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.init_weights()

    def init_weights(self) -> None:
        if self.init_values is not None:
            nn.init.constant_(self.norm1.weight, self.init_values)
            nn.init.constant_(self.norm2.weight, self.init_values)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.drop_path1(self.norm1(self.attn(x, attn_mask=attn_mask)))
        return x + self.drop_path2(self.norm2(self.mlp(x)))


class ParallelScalingBlock(nn.Module):
    """ViT-22B's parallel block: one norm and one input projection feed attention and MLP side by side,
    x + ls(attn_out_proj(attn) + mlp_out_proj(mlp)). The input projection packs [mlp_hidden, q, k, v]."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        init_values: Optional[float] = None,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = LayerNorm,
        mlp_layer: Optional[LayerFn] = None,
        attn_layer: Optional[LayerFn] = None,
        depth: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        if scale_attn_norm or scale_mlp_norm:
            raise ValueError("ParallelScalingBlock has no scale norms")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        mlp_hidden = int(mlp_ratio * dim)
        self.in_split = [mlp_hidden, dim, dim, dim]
        # without qkv bias the MLP input still has one, kept apart from the packed projection
        self.mlp_bias = None if qkv_bias else nn.Parameter(torch.zeros(mlp_hidden, **dd))
        self.in_norm = norm_layer(dim, **dd)
        self.in_proj = nn.Linear(dim, sum(self.in_split), bias=qkv_bias, **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.mlp_drop = nn.Dropout(proj_drop)
        self.mlp_act = act_layer()
        self.attn_out_proj = nn.Linear(dim, dim, bias=proj_bias, **dd)
        self.mlp_out_proj = nn.Linear(mlp_hidden, dim, bias=proj_bias, **dd)
        self.ls = _ls(dim, init_values, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def _heads(self, t: torch.Tensor) -> torch.Tensor:
        batch, tokens, _ = t.shape
        return t.view(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        batch, tokens, dim = x.shape
        x_mlp, q, k, v = torch.split(self.in_proj(self.in_norm(x)), self.in_split, dim=-1)
        if self.mlp_bias is not None:
            x_mlp = x_mlp + self.mlp_bias
        q, k, v = self.q_norm(self._heads(q)), self.k_norm(self._heads(k)), self._heads(v)
        x_attn = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=attn_mask, attn_drop=self.attn_drop)
        x_attn = self.attn_out_proj(x_attn.transpose(1, 2).reshape(batch, tokens, dim))
        x_mlp = self.mlp_out_proj(self.mlp_drop(self.mlp_act(x_mlp)))
        return x + self.drop_path(self.ls(x_attn + x_mlp))


class ParallelThingsBlock(nn.Module):
    """``num_parallel`` attention branches summed, then ``num_parallel`` MLP branches summed (Touvron 2022)."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        num_parallel: int = 2,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        init_values: Optional[float] = None,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = LayerNorm,
        mlp_layer: LayerFn = Mlp,
        attn_layer: LayerFn = Attention,
        depth: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_parallel = num_parallel
        self.attns = nn.ModuleList()
        self.ffns = nn.ModuleList()
        for _ in range(num_parallel):
            self.attns.append(nn.Sequential(OrderedDict(
                norm=norm_layer(dim, **dd),
                attn=attn_layer(
                    dim, num_heads=num_heads, qkv_bias=qkv_bias, qk_norm=qk_norm, scale_norm=scale_attn_norm,
                    proj_bias=proj_bias, attn_drop=attn_drop, proj_drop=proj_drop, norm_layer=norm_layer, **dd),
                ls=_ls(dim, init_values, **dd),
                drop_path=DropPath(drop_path) if drop_path > 0.0 else nn.Identity(),
            )))
            self.ffns.append(nn.Sequential(OrderedDict(
                norm=norm_layer(dim, **dd),
                mlp=mlp_layer(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer,
                              norm_layer=norm_layer if scale_mlp_norm else None, bias=proj_bias, drop=proj_drop, **dd),
                ls=_ls(dim, init_values, **dd),
                drop_path=DropPath(drop_path) if drop_path > 0.0 else nn.Identity(),
            )))

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        if attn_mask is not None:
            raise ValueError("ParallelThingsBlock does not take an attention mask")
        x = x + torch.stack([branch(x) for branch in self.attns]).sum(dim=0)
        return x + torch.stack([branch(x) for branch in self.ffns]).sum(dim=0)


class DiffParallelScalingBlock(DiffLambda):
    """ParallelScalingBlock with differential attention and one output projection over [attn, mlp]."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        init_values: Optional[float] = None,
        drop_path: float = 0.0,
        act_layer: LayerFn = nn.GELU,
        norm_layer: LayerFn = LayerNorm,
        mlp_layer: Optional[LayerFn] = None,
        attn_layer: Optional[LayerFn] = None,
        depth: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.head_dim = dim // num_heads // 2
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        mlp_hidden = int(mlp_ratio * dim)
        self.in_split = [mlp_hidden, dim, dim, dim]
        self.in_norm = norm_layer(dim, **dd)
        self.in_proj = nn.Linear(dim, sum(self.in_split), bias=qkv_bias, **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.sub_norm = RmsNorm(2 * self.head_dim, eps=1e-5, **dd)  # the reference's eps (1e-5, not 1e-6)
        self.mlp_drop = nn.Dropout(proj_drop)
        self.mlp_act = act_layer()
        self.out_proj = nn.Linear(dim + mlp_hidden, dim, bias=proj_bias, **dd)
        self.ls = _ls(dim, init_values, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self._init_lambda(self.head_dim, depth, dd)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        batch, tokens, dim = x.shape
        x_mlp, q, k, v = torch.split(self.in_proj(self.in_norm(x)), self.in_split, dim=-1)
        q = self.q_norm(q.view(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        k = self.k_norm(k.view(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        v = v.view(batch, tokens, self.num_heads, 2 * self.head_dim).transpose(1, 2)
        x_attn = differential_attention(q, k, v, self._lambda(), fused=self.fused_attn, scale=self.scale,
                               dropout_p=self.attn_drop.p if self.training else 0.0, attn_mask=attn_mask,
                               attn_drop=self.attn_drop)
        x_attn = (self.sub_norm(x_attn) * (1 - self.lambda_init)).transpose(1, 2).reshape(batch, tokens, dim)
        x_mlp = self.mlp_drop(self.mlp_act(x_mlp))
        y = self.out_proj(torch.cat([x_attn, x_mlp], dim=-1))
        return x + self.drop_path(self.ls(y))


# --- the network --------------------------------------------------------------------------------------


class VisionTransformer(nn.Module):
    """Patch embedding -> [class / register tokens] + position embedding -> transformer blocks -> norm -> pool -> head.

    Tokens are NLC throughout. ``num_prefix_tokens`` (class + registers) lead the sequence;
    ``no_embed_class`` leaves them out of the position embedding. ``global_pool``: 'token' (class token),
    'avg' / 'max' / 'avgmax' / 'catavgmax' over the patch tokens, 'map' (attention pooling), '' (none).
    """

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        patch_size: Union[int, Tuple[int, int]] = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "token",
        embed_dim: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        qk_norm: bool = False,
        scale_attn_norm: bool = False,
        scale_mlp_norm: bool = False,
        proj_bias: bool = True,
        init_values: Optional[float] = None,
        class_token: bool = True,
        pos_embed: str = "learn",
        no_embed_class: bool = False,
        reg_tokens: int = 0,
        pre_norm: bool = False,
        final_norm: bool = True,
        fc_norm: Optional[bool] = None,
        pool_include_prefix: bool = False,
        dynamic_img_size: bool = False,
        dynamic_img_pad: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        patch_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        weight_init: str = "",
        fix_init: bool = False,
        embed_layer: LayerFn = PatchEmbed,
        embed_norm_layer: Union[str, LayerFn, None] = None,
        norm_layer: Union[str, LayerFn, None] = None,
        act_layer: Union[str, LayerFn, None] = None,
        block_fn: LayerFn = Block,
        mlp_layer: LayerFn = Mlp,
        attn_layer: LayerFn = Attention,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        check_token_pool(global_pool, has_class_token=class_token, has_attn_pool=True)
        if pos_embed not in ("", "none", "learn"):
            raise ValueError(f"pos_embed must be 'learn' or 'none', got {pos_embed!r}")
        use_fc_norm = global_pool in ("avg", "avgmax", "max", "catavgmax") if fc_norm is None else fc_norm
        norm_layer = get_norm_layer(norm_layer) or LayerNorm
        embed_norm_layer = get_norm_layer(embed_norm_layer)
        act_layer = get_act_layer(act_layer) if act_layer is not None else nn.GELU

        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.num_prefix_tokens = (1 if class_token else 0) + reg_tokens
        self.num_reg_tokens = reg_tokens
        self.has_class_token = class_token
        self.no_embed_class = no_embed_class
        self.pool_include_prefix = pool_include_prefix
        self.dynamic_img_size = dynamic_img_size
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False

        embed_args: Dict[str, Any] = {}
        if dynamic_img_size:
            # NHWC out of the stem so the position embedding can be resized to each input's grid
            embed_args.update(strict_img_size=False, output_fmt="NHWC")
        if embed_norm_layer is not None:
            embed_args["norm_layer"] = embed_norm_layer
        self.patch_embed = embed_layer(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim,
            bias=not pre_norm,  # CLIP-style stems feed a norm, so the conv has no bias
            dynamic_img_pad=dynamic_img_pad, **embed_args, **dd)
        num_patches = self.patch_embed.num_patches
        reduction = self.patch_embed.feat_ratio() if hasattr(self.patch_embed, "feat_ratio") else max(to_2tuple(patch_size))

        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd)) if class_token else None
        self.reg_token = nn.Parameter(torch.zeros(1, reg_tokens, embed_dim, **dd)) if reg_tokens else None
        embed_len = num_patches if no_embed_class else num_patches + self.num_prefix_tokens
        if pos_embed in ("", "none"):
            self.pos_embed = None
        else:
            self.pos_embed = nn.Parameter(torch.randn(1, embed_len, embed_dim, **dd) * 0.02)
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        self.patch_drop = (PatchDropout(patch_drop_rate, num_prefix_tokens=self.num_prefix_tokens)
                           if patch_drop_rate > 0 else nn.Identity())
        self.norm_pre = norm_layer(embed_dim, **dd) if pre_norm else nn.Identity()

        # stochastic depth grows linearly with depth (plain floats: this also runs on the meta device)
        dpr = [drop_path_rate * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        self.blocks = nn.Sequential(*[
            block_fn(
                dim=embed_dim, num_heads=num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, qk_norm=qk_norm,
                scale_attn_norm=scale_attn_norm, scale_mlp_norm=scale_mlp_norm, proj_bias=proj_bias,
                init_values=init_values, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, drop_path=dpr[i],
                norm_layer=norm_layer, act_layer=act_layer, mlp_layer=mlp_layer, attn_layer=attn_layer, depth=i, **dd)
            for i in range(depth)
        ])
        self.feature_info = [dict(module=f"blocks.{i}", num_chs=embed_dim, reduction=reduction) for i in range(depth)]
        self.norm = norm_layer(embed_dim, **dd) if final_norm and not use_fc_norm else nn.Identity()

        if global_pool == "map":
            self.attn_pool = AttentionPoolLatent(
                embed_dim, num_heads=num_heads, mlp_ratio=mlp_ratio, norm_layer=norm_layer, act_layer=act_layer, **dd)
        else:
            self.attn_pool = None
        self.fc_norm = norm_layer(embed_dim, **dd) if final_norm and use_fc_norm else nn.Identity()
        self.head_drop = nn.Dropout(drop_rate)
        width = token_pool_width(embed_dim, global_pool)
        self.head = nn.Linear(width, num_classes, **dd) if num_classes > 0 else nn.Identity()

        if weight_init != "skip":
            self.init_weights(weight_init)
        if fix_init:
            self.fix_init_weight()

    # --- initialisation ---

    def init_weights(self, mode: str = "") -> None:
        """Truncated-normal linears (std .02), tiny class / register tokens; ``'jax'`` zeroes the head and
        uses Xavier linears; ``'jax_nlhb'`` also starts the head bias at -log(num_classes)."""
        if mode not in ("", "jax", "jax_nlhb", "moco", "reset"):
            raise ValueError(f"weight_init must be '', 'jax', 'jax_nlhb', 'moco', 'reset' or 'skip', got {mode!r}")
        head_bias = -math.log(self.num_classes) if "nlhb" in mode and self.num_classes > 0 else 0.0
        if self.pos_embed is not None:
            trunc_normal_(self.pos_embed, std=0.02)
        if self.cls_token is not None:
            nn.init.normal_(self.cls_token, std=1e-6)
        if self.reg_token is not None:
            nn.init.normal_(self.reg_token, std=1e-6)
        for name, module in self.named_modules():
            if isinstance(module, nn.Linear):
                if mode.startswith("jax"):
                    if name.startswith("head"):
                        nn.init.zeros_(module.weight)
                        nn.init.constant_(module.bias, head_bias)
                        continue
                    nn.init.xavier_uniform_(module.weight)
                    if module.bias is not None:
                        nn.init.normal_(module.bias, std=1e-6) if "mlp" in name else nn.init.zeros_(module.bias)
                else:
                    trunc_normal_(module.weight, std=0.02)
                    if module.bias is not None:
                        nn.init.zeros_(module.bias)
        if isinstance(self.attn_pool, AttentionPoolLatent):
            self.attn_pool.init_weights()

    def fix_init_weight(self) -> None:
        """Scale each block's output projections by 1/sqrt(2 * layer) (the MAE / BEiT 'fix init')."""
        for layer, block in enumerate(self.blocks, start=1):
            for proj in ("attn.proj", "mlp.fc2"):
                try:
                    weight = block.get_submodule(proj).weight
                except AttributeError:
                    continue
                weight.data.div_(math.sqrt(2.0 * layer))

    # --- the contract ---

    @torch.jit.ignore
    def no_weight_decay(self) -> Set[str]:
        return {"pos_embed", "cls_token", "dist_token", "reg_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|reg_token|pos_embed|patch_embed|norm_pre",
                    blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            check_token_pool(global_pool, has_class_token=self.cls_token is not None,
                             has_attn_pool=self.attn_pool is not None)
            if global_pool != "map":
                self.attn_pool = None
            self.global_pool = global_pool
        width = token_pool_width(self.embed_dim, self.global_pool)
        device = self.cls_token.device if self.cls_token is not None else None
        self.head = nn.Linear(width, num_classes, device=device) if num_classes > 0 else nn.Identity()

    def set_input_size(self, img_size: Optional[Tuple[int, int]] = None, patch_size: Optional[Tuple[int, int]] = None) -> None:
        """Rebuild for another input / patch size, resampling the position embedding (and the patch kernel)."""
        prev_grid = self.patch_embed.grid_size
        self.patch_embed.set_input_size(img_size=img_size, patch_size=patch_size)
        if self.pos_embed is not None:
            prefix = 0 if self.no_embed_class else self.num_prefix_tokens
            if self.patch_embed.grid_size != prev_grid:
                with torch.no_grad():
                    self.pos_embed = nn.Parameter(resample_abs_pos_embed(
                        self.pos_embed, new_size=list(self.patch_embed.grid_size), old_size=list(prev_grid),
                        num_prefix_tokens=prefix))

    # --- forward ---

    def _pos_embed(self, x: torch.Tensor) -> torch.Tensor:
        x = add_abs_pos_embed(x, self.pos_embed, (self.cls_token, self.reg_token), self.patch_embed.grid_size,
                              no_embed_class=self.no_embed_class)
        return self.pos_drop(x)

    def _embed(self, x: torch.Tensor) -> torch.Tensor:
        x = self._pos_embed(self.patch_embed(x))
        return self.norm_pre(self.patch_drop(x))

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        return_prefix_tokens: bool = False,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        output_dict: bool = False,
        attn_mask: Optional[torch.Tensor] = None,
        is_causal: bool = False,
    ) -> Union[List[Any], Tuple[torch.Tensor, List[Any]], Dict[str, Any]]:
        """Block outputs at ``indices`` (None: all, int: the last n, list: those), prefix tokens removed,
        as NCHW maps (``output_fmt='NCHW'``) or NLC tokens (``'NLC'``). ``return_prefix_tokens`` pairs each
        map with its prefix tokens; ``norm`` applies the final norm to each. Returns ``(final, intermediates)``
        or only the intermediates; ``output_dict`` returns both under named keys."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        if is_causal:
            raise ValueError("is_causal is not supported by image transformer blocks")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x = self._embed(x)
        blocks = self.blocks[:max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            if attn_mask is not None:
                x = block(x, attn_mask=attn_mask)
            elif self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)

        npt = self.num_prefix_tokens
        prefix_tokens = [y[:, :npt] for y in intermediates] if npt else None
        intermediates = [y[:, npt:] for y in intermediates] if npt else intermediates
        if output_fmt == "NCHW":
            grid_h, grid_w = self.patch_embed.dynamic_feat_size((height, width))
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous() for y in intermediates]
        if output_dict:
            out: Dict[str, Any] = dict(image_intermediates=intermediates)
            if prefix_tokens is not None and return_prefix_tokens:
                out["image_intermediates_prefix"] = prefix_tokens
            if not intermediates_only:
                out["image_features"] = self.norm(x)
            return out
        if prefix_tokens is not None and return_prefix_tokens:
            intermediates = list(zip(intermediates, prefix_tokens))
        if intermediates_only:
            return intermediates
        return self.norm(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the blocks after the last of ``indices`` (and the final norm / head when asked)."""
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.fc_norm = nn.Identity()
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = self._embed(x)
        if attn_mask is not None:
            for block in self.blocks:
                x = block(x, attn_mask=attn_mask)
        elif self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            x = self.blocks(x)
        return self.norm(x)

    def pool(self, x: torch.Tensor, pool_type: Optional[str] = None) -> torch.Tensor:
        if self.attn_pool is not None:
            if not self.pool_include_prefix:
                x = x[:, self.num_prefix_tokens:]
            return self.attn_pool(x)
        pool_type = self.global_pool if pool_type is None else pool_type
        if pool_type == "token":
            return x[:, 0]
        if not self.pool_include_prefix:
            x = x[:, self.num_prefix_tokens:]
        if pool_type == "avg":
            return x.mean(dim=1)
        if pool_type == "max":
            return x.amax(dim=1)
        if pool_type == "avgmax":
            return 0.5 * (x.amax(dim=1) + x.mean(dim=1))
        if pool_type == "catavgmax":
            return torch.cat([x.mean(dim=1), x.amax(dim=1)], dim=-1)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.pool(x)
        if self.global_pool == "catavgmax" and self.attn_pool is None:
            # the norm is embed_dim wide: normalise the average and the max halves each
            x = torch.cat([self.fc_norm(half) for half in x.chunk(2, dim=-1)], dim=-1)
        else:
            x = self.fc_norm(x)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        return self.forward_head(self.forward_features(x, attn_mask=attn_mask))


# --- loading weights at another size ------------------------------------------------------------------

def checkpoint_filter_fn(
    state_dict: Dict[str, torch.Tensor],
    model: VisionTransformer,
    interpolation: str = "bicubic",
    antialias: bool = True,
) -> Dict[str, torch.Tensor]:
    """Adapt a checkpoint in this layout to ``model``: resample the position embedding to the model's grid
    and the patch kernel to its patch size; unwrap ``{'model': ...}`` / ``{'state_dict': ...}`` files."""
    for wrapper in ("model", "state_dict"):
        if wrapper in state_dict and isinstance(state_dict[wrapper], dict):
            state_dict = state_dict[wrapper]
    out = {}
    prefix = 0 if getattr(model, "no_embed_class", False) else getattr(model, "num_prefix_tokens", 1)
    for key, value in state_dict.items():
        if key == "patch_embed.proj.weight":
            target = model.patch_embed.proj.weight
            if value.ndim == 4 and value.shape[-2:] != target.shape[-2:]:
                value = resample_patch_embed(value, list(target.shape[-2:]), interpolation=interpolation,
                                             antialias=antialias)
        elif key == "pos_embed" and getattr(model, "pos_embed", None) is not None:
            if value.shape[1] != model.pos_embed.shape[1]:
                grid = model.patch_embed.grid_size
                value = resample_abs_pos_embed(value, new_size=list(grid), num_prefix_tokens=prefix,
                                               interpolation=interpolation, antialias=antialias)
        out[key] = value
    return out


# --- variants -----------------------------------------------------------------------------------------
# One row per registered name; read off the published architectures. Unlisted arguments keep the class
# defaults (ViT-Base/16 at 224: 768 wide, 12 blocks, 12 heads, MLP x4, class token, LayerNorm eps 1e-6).

_LN_E5 = partial(LayerNorm, eps=1e-5)  # CLIP / BEiT-3 checkpoints use the PyTorch default eps
_RMS_E5 = partial(RmsNorm, eps=1e-5)
_GELU_TANH = partial(nn.GELU, approximate="tanh")

VISION_TRANSFORMERS: Dict[str, Dict[str, Any]] = {
    "aimv2_1b_patch14_224": dict(patch_size=14, embed_dim=2048, depth=24, num_heads=16, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_1b_patch14_336": dict(img_size=336, patch_size=14, embed_dim=2048, depth=24, num_heads=16, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_1b_patch14_448": dict(img_size=448, patch_size=14, embed_dim=2048, depth=24, num_heads=16, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_3b_patch14_224": dict(patch_size=14, embed_dim=3072, depth=24, num_heads=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_3b_patch14_336": dict(img_size=336, patch_size=14, embed_dim=3072, depth=24, num_heads=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_3b_patch14_448": dict(img_size=448, patch_size=14, embed_dim=3072, depth=24, num_heads=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_huge_patch14_224": dict(patch_size=14, embed_dim=1536, depth=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_huge_patch14_336": dict(img_size=336, patch_size=14, embed_dim=1536, depth=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_huge_patch14_448": dict(img_size=448, patch_size=14, embed_dim=1536, depth=24, qkv_bias=False, proj_bias=False, mlp_ratio=2.6666666666666665, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_large_patch14_224": dict(patch_size=14, embed_dim=1024, depth=24, num_heads=8, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_large_patch14_336": dict(img_size=336, patch_size=14, embed_dim=1024, depth=24, num_heads=8, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "aimv2_large_patch14_448": dict(img_size=448, patch_size=14, embed_dim=1024, depth=24, num_heads=8, qkv_bias=False, proj_bias=False, mlp_ratio=2.75, mlp_layer=SwiGLU, act_layer=nn.SiLU, norm_layer=_RMS_E5, class_token=False, global_pool='avg', fc_norm=False, embed_norm_layer=_RMS_E5),
    "beit3_base_patch16_224": dict(scale_attn_norm=True, scale_mlp_norm=True, norm_layer=_LN_E5, global_pool='avg'),
    "beit3_giant_patch14_224": dict(patch_size=14, embed_dim=1408, depth=40, num_heads=16, scale_attn_norm=True, scale_mlp_norm=True, mlp_ratio=4.363636363636363, norm_layer=_LN_E5, global_pool='avg'),
    "beit3_giant_patch14_336": dict(img_size=336, patch_size=14, embed_dim=1408, depth=40, num_heads=16, scale_attn_norm=True, scale_mlp_norm=True, mlp_ratio=4.363636363636363, norm_layer=_LN_E5, global_pool='avg'),
    "beit3_large_patch16_224": dict(embed_dim=1024, depth=24, num_heads=16, scale_attn_norm=True, scale_mlp_norm=True, norm_layer=_LN_E5, global_pool='avg'),
    "eva_large_patch14_196": dict(img_size=196, patch_size=14, embed_dim=1024, depth=24, num_heads=16, global_pool='avg'),
    "eva_large_patch14_336": dict(img_size=336, patch_size=14, embed_dim=1024, depth=24, num_heads=16, global_pool='avg'),
    "flexivit_base": dict(img_size=240, no_embed_class=True),
    "flexivit_large": dict(img_size=240, embed_dim=1024, depth=24, num_heads=16, no_embed_class=True),
    "flexivit_small": dict(img_size=240, embed_dim=384, num_heads=6, no_embed_class=True),
    "test_vit": dict(img_size=160, embed_dim=64, depth=6, num_heads=2, mlp_ratio=3.0, dynamic_img_size=True),
    "test_vit2": dict(img_size=160, embed_dim=64, depth=8, num_heads=2, init_values=1e-05, mlp_ratio=3.0, class_token=False, reg_tokens=1, global_pool='avg', dynamic_img_size=True),
    "test_vit3": dict(img_size=160, embed_dim=96, depth=9, num_heads=3, init_values=1e-05, mlp_ratio=2.0, class_token=False, reg_tokens=1, global_pool='map', pool_include_prefix=True),
    "test_vit4": dict(img_size=160, embed_dim=96, depth=9, num_heads=3, init_values=1e-05, mlp_ratio=3.0, norm_layer=RmsNorm, class_token=False, reg_tokens=1, global_pool='avg', dynamic_img_size=True),
    "vit_base_patch8_224": dict(patch_size=8),
    "vit_base_patch14_dinov2": dict(img_size=518, patch_size=14, init_values=1e-05),
    "vit_base_patch14_reg1_tipsv2": dict(img_size=448, patch_size=14, init_values=1.0, reg_tokens=1, no_embed_class=True),
    "vit_base_patch14_reg4_dinov2": dict(img_size=518, patch_size=14, init_values=1e-05, reg_tokens=4, no_embed_class=True),
    "vit_base_patch16_18x2_224": dict(depth=18, block_fn=ParallelThingsBlock, init_values=1e-05),
    "vit_base_patch16_224": dict(),
    "vit_base_patch16_224_miil": dict(qkv_bias=False),
    "vit_base_patch16_384": dict(img_size=384),
    "vit_base_patch16_clip_224": dict(norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch16_clip_384": dict(img_size=384, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch16_clip_quickgelu_224": dict(act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch16_gap_224": dict(num_heads=16, class_token=False, global_pool='avg', fc_norm=False),
    "vit_base_patch16_plus_240": dict(img_size=240, embed_dim=896, num_heads=14, init_values=1e-05),
    "vit_base_patch16_plus_clip_240": dict(img_size=240, embed_dim=896, num_heads=14, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch16_radio_v3": dict(img_size=512, init_values=1e-05, reg_tokens=7, no_embed_class=True, final_norm=False),
    "vit_base_patch16_reg4_gap_256": dict(img_size=256, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_base_patch16_rpn_224": dict(qkv_bias=False, block_fn=ResPostBlock, class_token=False, global_pool='avg'),
    "vit_base_patch16_siglip_224": dict(class_token=False, global_pool='map'),
    "vit_base_patch16_siglip_256": dict(img_size=256, class_token=False, global_pool='map'),
    "vit_base_patch16_siglip_384": dict(img_size=384, class_token=False, global_pool='map'),
    "vit_base_patch16_siglip_512": dict(img_size=512, class_token=False, global_pool='map'),
    "vit_base_patch16_siglip_gap_224": dict(class_token=False, global_pool='avg', fc_norm=False),
    "vit_base_patch16_siglip_gap_256": dict(img_size=256, class_token=False, global_pool='avg', fc_norm=False),
    "vit_base_patch16_siglip_gap_384": dict(img_size=384, class_token=False, global_pool='avg', fc_norm=False),
    "vit_base_patch16_siglip_gap_512": dict(img_size=512, class_token=False, global_pool='avg', fc_norm=False),
    "vit_base_patch16_xp_224": dict(qkv_bias=False, qk_norm=True, block_fn=ParallelScalingBlock, norm_layer=RmsNorm, no_embed_class=True, pre_norm=True),
    "vit_base_patch32_224": dict(patch_size=32),
    "vit_base_patch32_384": dict(img_size=384, patch_size=32),
    "vit_base_patch32_clip_224": dict(patch_size=32, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch32_clip_256": dict(img_size=256, patch_size=32, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch32_clip_384": dict(img_size=384, patch_size=32, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch32_clip_448": dict(img_size=448, patch_size=32, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch32_clip_quickgelu_224": dict(patch_size=32, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_base_patch32_plus_256": dict(img_size=256, patch_size=32, embed_dim=896, num_heads=14, init_values=1e-05),
    "vit_base_patch32_siglip_256": dict(img_size=256, patch_size=32, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_base_patch32_siglip_gap_256": dict(img_size=256, patch_size=32, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_betwixt_patch16_gap_256": dict(img_size=256, embed_dim=640, num_heads=10, qkv_bias=False, init_values=1e-06, class_token=False, global_pool='avg', fc_norm=False),
    "vit_betwixt_patch16_reg1_gap_256": dict(img_size=256, embed_dim=640, num_heads=10, init_values=1e-05, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_betwixt_patch16_reg4_gap_256": dict(img_size=256, embed_dim=640, num_heads=10, init_values=1e-05, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_betwixt_patch16_reg4_gap_384": dict(img_size=384, embed_dim=640, num_heads=10, init_values=1e-05, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_betwixt_patch32_clip_224": dict(patch_size=32, embed_dim=640, num_heads=10, norm_layer=_LN_E5, pre_norm=True),
    "vit_dlittle_patch16_reg1_gap_256": dict(img_size=256, embed_dim=320, depth=14, num_heads=5, attn_layer=DiffAttention, init_values=1e-05, mlp_ratio=5.6, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_dpwee_patch16_reg1_gap_256": dict(img_size=256, embed_dim=256, depth=16, num_heads=4, block_fn=DiffParallelScalingBlock, init_values=1e-05, mlp_ratio=5.0, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_dwee_patch16_reg1_gap_256": dict(img_size=256, embed_dim=256, depth=14, num_heads=4, attn_layer=DiffAttention, init_values=1e-05, mlp_ratio=5.0, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_giant_patch14_224": dict(patch_size=14, embed_dim=1408, depth=40, num_heads=16, mlp_ratio=4.363636363636363),
    "vit_giant_patch14_clip_224": dict(patch_size=14, embed_dim=1408, depth=40, num_heads=16, mlp_ratio=4.363636363636363, norm_layer=_LN_E5, pre_norm=True),
    "vit_giant_patch14_dinov2": dict(img_size=518, patch_size=14, embed_dim=1536, depth=40, num_heads=24, init_values=1e-05, mlp_ratio=5.333333333333333, mlp_layer=SwiGLUPacked, act_layer=nn.SiLU),
    "vit_giant_patch14_reg1_tipsv2": dict(img_size=448, patch_size=14, embed_dim=1536, depth=40, num_heads=24, init_values=1.0, mlp_ratio=5.333333333333333, mlp_layer=SwiGLUPacked, act_layer=nn.SiLU, reg_tokens=1, no_embed_class=True),
    "vit_giant_patch14_reg4_dinov2": dict(img_size=518, patch_size=14, embed_dim=1536, depth=40, num_heads=24, init_values=1e-05, mlp_ratio=5.333333333333333, mlp_layer=SwiGLUPacked, act_layer=nn.SiLU, reg_tokens=4, no_embed_class=True),
    "vit_giant_patch16_gap_224": dict(embed_dim=1408, depth=40, num_heads=16, mlp_ratio=4.363636363636363, class_token=False, global_pool='avg', fc_norm=False),
    "vit_giant_patch16_radio_v3": dict(img_size=512, embed_dim=1536, depth=40, num_heads=24, reg_tokens=7, no_embed_class=True, final_norm=False),
    "vit_giantopt_patch16_siglip_256": dict(img_size=256, embed_dim=1536, depth=40, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_giantopt_patch16_siglip_384": dict(img_size=384, embed_dim=1536, depth=40, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_giantopt_patch16_siglip_gap_256": dict(img_size=256, embed_dim=1536, depth=40, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_giantopt_patch16_siglip_gap_384": dict(img_size=384, embed_dim=1536, depth=40, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_gigantic_patch14_224": dict(patch_size=14, embed_dim=1664, depth=48, num_heads=16, mlp_ratio=4.923076923076923),
    "vit_gigantic_patch14_clip_224": dict(patch_size=14, embed_dim=1664, depth=48, num_heads=16, mlp_ratio=4.923076923076923, norm_layer=_LN_E5, pre_norm=True),
    "vit_gigantic_patch14_clip_378": dict(img_size=378, patch_size=14, embed_dim=1664, depth=48, num_heads=16, mlp_ratio=4.923076923076923, norm_layer=_LN_E5, pre_norm=True),
    "vit_gigantic_patch14_clip_quickgelu_224": dict(patch_size=14, embed_dim=1664, depth=48, num_heads=16, mlp_ratio=4.923076923076923, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16),
    "vit_huge_patch14_clip_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_clip_336": dict(img_size=336, patch_size=14, embed_dim=1280, depth=32, num_heads=16, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_clip_378": dict(img_size=378, patch_size=14, embed_dim=1280, depth=32, num_heads=16, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_clip_quickgelu_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_clip_quickgelu_378": dict(img_size=378, patch_size=14, embed_dim=1280, depth=32, num_heads=16, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_huge_patch14_gap_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16, class_token=False, global_pool='avg', fc_norm=False),
    "vit_huge_patch14_xp_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16, qkv_bias=False, qk_norm=True, block_fn=ParallelScalingBlock, norm_layer=RmsNorm, no_embed_class=True, pre_norm=True),
    "vit_huge_patch16_gap_448": dict(img_size=448, embed_dim=1280, depth=32, num_heads=16, class_token=False, global_pool='avg', fc_norm=False),
    "vit_huge_patch16_radio_v3": dict(img_size=512, embed_dim=1280, depth=32, num_heads=16, reg_tokens=7, no_embed_class=True, final_norm=False),
    "vit_huge_patch16_radio_v4": dict(img_size=512, embed_dim=1280, depth=32, num_heads=16, reg_tokens=9, no_embed_class=True, final_norm=False),
    "vit_intern300m_patch14_448": dict(img_size=448, patch_size=14, embed_dim=1024, depth=24, num_heads=16, init_values=0.1, dynamic_img_size=True, final_norm=False),
    "vit_large_patch14_224": dict(patch_size=14, embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch14_clip_224": dict(patch_size=14, embed_dim=1024, depth=24, num_heads=16, norm_layer=_LN_E5, pre_norm=True),
    "vit_large_patch14_clip_336": dict(img_size=336, patch_size=14, embed_dim=1024, depth=24, num_heads=16, norm_layer=_LN_E5, pre_norm=True),
    "vit_large_patch14_clip_quickgelu_224": dict(patch_size=14, embed_dim=1024, depth=24, num_heads=16, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_large_patch14_clip_quickgelu_336": dict(img_size=336, patch_size=14, embed_dim=1024, depth=24, num_heads=16, act_layer=QuickGELU, norm_layer=_LN_E5, pre_norm=True),
    "vit_large_patch14_dinov2": dict(img_size=518, patch_size=14, embed_dim=1024, depth=24, num_heads=16, init_values=1e-05),
    "vit_large_patch14_reg1_tipsv2": dict(img_size=448, patch_size=14, embed_dim=1024, depth=24, num_heads=16, init_values=1.0, reg_tokens=1, no_embed_class=True),
    "vit_large_patch14_reg4_dinov2": dict(img_size=518, patch_size=14, embed_dim=1024, depth=24, num_heads=16, init_values=1e-05, reg_tokens=4, no_embed_class=True),
    "vit_large_patch14_xp_224": dict(patch_size=14, embed_dim=1024, depth=24, num_heads=16, qkv_bias=False, qk_norm=True, block_fn=ParallelScalingBlock, norm_layer=RmsNorm, no_embed_class=True, pre_norm=True),
    "vit_large_patch16_224": dict(embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch16_384": dict(img_size=384, embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch16_radio_v3": dict(img_size=512, embed_dim=1024, depth=24, num_heads=16, init_values=1e-05, reg_tokens=7, no_embed_class=True, final_norm=False),
    "vit_large_patch16_siglip_256": dict(img_size=256, embed_dim=1024, depth=24, num_heads=16, class_token=False, global_pool='map'),
    "vit_large_patch16_siglip_384": dict(img_size=384, embed_dim=1024, depth=24, num_heads=16, class_token=False, global_pool='map'),
    "vit_large_patch16_siglip_512": dict(img_size=512, embed_dim=1024, depth=24, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_large_patch16_siglip_gap_256": dict(img_size=256, embed_dim=1024, depth=24, num_heads=16, class_token=False, global_pool='avg', fc_norm=False),
    "vit_large_patch16_siglip_gap_384": dict(img_size=384, embed_dim=1024, depth=24, num_heads=16, class_token=False, global_pool='avg', fc_norm=False),
    "vit_large_patch16_siglip_gap_512": dict(img_size=512, embed_dim=1024, depth=24, num_heads=16, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_large_patch32_224": dict(patch_size=32, embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch32_384": dict(img_size=384, patch_size=32, embed_dim=1024, depth=24, num_heads=16),
    "vit_little_patch16_reg1_gap_256": dict(img_size=256, embed_dim=320, depth=14, num_heads=5, init_values=1e-05, mlp_ratio=5.6, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_little_patch16_reg4_gap_256": dict(img_size=256, embed_dim=320, depth=14, num_heads=5, init_values=1e-05, mlp_ratio=5.6, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_medium_patch16_clip_224": dict(embed_dim=512, num_heads=8, norm_layer=_LN_E5, pre_norm=True),
    "vit_medium_patch16_gap_240": dict(img_size=240, embed_dim=512, num_heads=8, qkv_bias=False, init_values=1e-06, class_token=False, global_pool='avg', fc_norm=False),
    "vit_medium_patch16_gap_256": dict(img_size=256, embed_dim=512, num_heads=8, qkv_bias=False, init_values=1e-06, class_token=False, global_pool='avg', fc_norm=False),
    "vit_medium_patch16_gap_384": dict(img_size=384, embed_dim=512, num_heads=8, qkv_bias=False, init_values=1e-06, class_token=False, global_pool='avg', fc_norm=False),
    "vit_medium_patch16_reg1_gap_256": dict(img_size=256, embed_dim=512, num_heads=8, init_values=1e-05, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_medium_patch16_reg4_gap_256": dict(img_size=256, embed_dim=512, num_heads=8, init_values=1e-05, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_medium_patch32_clip_224": dict(patch_size=32, embed_dim=512, num_heads=8, norm_layer=_LN_E5, pre_norm=True),
    "vit_mediumd_patch16_reg4_gap_256": dict(img_size=256, embed_dim=512, depth=20, num_heads=8, init_values=1e-05, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_mediumd_patch16_reg4_gap_384": dict(img_size=384, embed_dim=512, depth=20, num_heads=8, init_values=1e-05, class_token=False, reg_tokens=4, no_embed_class=True, global_pool='avg'),
    "vit_pwee_patch16_reg1_gap_256": dict(img_size=256, embed_dim=256, depth=16, num_heads=4, block_fn=ParallelScalingBlock, init_values=1e-05, mlp_ratio=5.0, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_small_patch8_224": dict(patch_size=8, embed_dim=384, num_heads=6),
    "vit_small_patch14_dinov2": dict(img_size=518, patch_size=14, embed_dim=384, num_heads=6, init_values=1e-05),
    "vit_small_patch14_reg4_dinov2": dict(img_size=518, patch_size=14, embed_dim=384, num_heads=6, init_values=1e-05, reg_tokens=4, no_embed_class=True),
    "vit_small_patch16_18x2_224": dict(embed_dim=384, depth=18, num_heads=6, block_fn=ParallelThingsBlock, init_values=1e-05),
    "vit_small_patch16_36x1_224": dict(embed_dim=384, depth=36, num_heads=6, init_values=1e-05),
    "vit_small_patch16_224": dict(embed_dim=384, num_heads=6),
    "vit_small_patch16_384": dict(img_size=384, embed_dim=384, num_heads=6),
    "vit_small_patch32_224": dict(patch_size=32, embed_dim=384, num_heads=6),
    "vit_small_patch32_384": dict(img_size=384, patch_size=32, embed_dim=384, num_heads=6),
    "vit_so150m2_patch16_reg1_gap_256": dict(img_size=256, embed_dim=832, depth=21, num_heads=13, qkv_bias=False, init_values=1e-05, mlp_ratio=2.6153846153846154, class_token=False, reg_tokens=1, global_pool='avg'),
    "vit_so150m2_patch16_reg1_gap_384": dict(img_size=384, embed_dim=832, depth=21, num_heads=13, qkv_bias=False, init_values=1e-05, mlp_ratio=2.6153846153846154, class_token=False, reg_tokens=1, global_pool='avg'),
    "vit_so150m2_patch16_reg1_gap_448": dict(img_size=448, embed_dim=832, depth=21, num_heads=13, qkv_bias=False, init_values=1e-05, mlp_ratio=2.6153846153846154, class_token=False, reg_tokens=1, global_pool='avg'),
    "vit_so150m_patch16_reg4_gap_256": dict(img_size=256, embed_dim=896, depth=18, num_heads=14, mlp_ratio=2.5714285714285716, class_token=False, reg_tokens=4, global_pool='avg', fc_norm=False),
    "vit_so150m_patch16_reg4_gap_384": dict(img_size=384, embed_dim=896, depth=18, num_heads=14, mlp_ratio=2.5714285714285716, class_token=False, reg_tokens=4, global_pool='avg', fc_norm=False),
    "vit_so150m_patch16_reg4_map_256": dict(img_size=256, embed_dim=896, depth=18, num_heads=14, mlp_ratio=2.5714285714285716, class_token=False, reg_tokens=4, global_pool='map'),
    "vit_so400m_patch14_reg1_tipsv2": dict(img_size=448, patch_size=14, embed_dim=1152, depth=27, num_heads=16, init_values=1.0, mlp_ratio=3.736111111111111, reg_tokens=1, no_embed_class=True),
    "vit_so400m_patch14_siglip_224": dict(patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='map'),
    "vit_so400m_patch14_siglip_378": dict(img_size=378, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='map'),
    "vit_so400m_patch14_siglip_384": dict(img_size=384, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='map'),
    "vit_so400m_patch14_siglip_gap_224": dict(patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch14_siglip_gap_378": dict(img_size=378, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch14_siglip_gap_384": dict(img_size=384, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch14_siglip_gap_448": dict(img_size=448, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch14_siglip_gap_896": dict(img_size=896, patch_size=14, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch16_radio_v4": dict(img_size=512, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, reg_tokens=9, no_embed_class=True, final_norm=False),
    "vit_so400m_patch16_siglip_256": dict(img_size=256, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_so400m_patch16_siglip_384": dict(img_size=384, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_so400m_patch16_siglip_512": dict(img_size=512, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='map'),
    "vit_so400m_patch16_siglip_gap_256": dict(img_size=256, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch16_siglip_gap_384": dict(img_size=384, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_so400m_patch16_siglip_gap_512": dict(img_size=512, embed_dim=1152, depth=27, num_heads=16, mlp_ratio=3.736111111111111, act_layer=_GELU_TANH, class_token=False, global_pool='avg', fc_norm=False),
    "vit_tiny_patch16_224": dict(embed_dim=192, num_heads=3),
    "vit_tiny_patch16_384": dict(img_size=384, embed_dim=192, num_heads=3),
    "vit_wee_patch16_reg1_gap_256": dict(img_size=256, embed_dim=256, depth=14, num_heads=4, init_values=1e-05, mlp_ratio=5.0, class_token=False, reg_tokens=1, no_embed_class=True, global_pool='avg'),
    "vit_xsmall_patch16_clip_224": dict(embed_dim=256, depth=10, num_heads=4, norm_layer=_LN_E5, pre_norm=True),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order (the first tag is the default). Generated from the reference's values by
# tools/dump_family_cfgs.py; family defaults in _cfg.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), fixed_input_size=True,
        interpolation="bicubic", crop_pct=0.9, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD,
        first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


VIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "aimv2_1b_patch14_224.apple_pt": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_1b_patch14_336.apple_pt": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_1b_patch14_448.apple_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_3b_patch14_224.apple_pt": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_3b_patch14_336.apple_pt": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_3b_patch14_448.apple_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_huge_patch14_224.apple_pt": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_huge_patch14_336.apple_pt": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_huge_patch14_448.apple_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_large_patch14_224.apple_pt": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_large_patch14_224.apple_pt_dist": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_large_patch14_336.apple_pt": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_large_patch14_336.apple_pt_dist": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "aimv2_large_patch14_448.apple_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='apple-ascl'),
    "beit3_base_patch16_224.in22k_ft_in1k": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_base_patch16_224.indomain_in22k_ft_in1k": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_base_patch16_224.pt": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "beit3_base_patch16_224.indomain_pt": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "beit3_giant_patch14_224.untrained": _cfg(hf_hub_id=None, crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_giant_patch14_336.untrained": _cfg(hf_hub_id=None, input_size=(3, 336, 336), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_large_patch16_224.in22k_ft_in1k": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_large_patch16_224.indomain_in22k_ft_in1k": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beit3_large_patch16_224.pt": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "beit3_large_patch16_224.indomain_pt": _cfg(crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "eva_large_patch14_196.in22k_ft_in22k_in1k": _cfg(input_size=(3, 196, 196), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, license='mit'),
    "eva_large_patch14_196.in22k_ft_in1k": _cfg(input_size=(3, 196, 196), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, license='mit'),
    "eva_large_patch14_336.in22k_ft_in22k_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, license='mit'),
    "eva_large_patch14_336.in22k_ft_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, license='mit'),
    "flexivit_base.1200ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_b_i1k.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_base.600ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_b_i1k_600ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_base.300ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_b_i1k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_base.1000ep_in21k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_b_i21k_1000ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95, num_classes=21843),
    "flexivit_base.300ep_in21k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_b_i21k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95, num_classes=21843),
    "flexivit_base.patch16_in21k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/vit_b16_i21k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95, num_classes=21843),
    "flexivit_base.patch30_in21k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/vit_b30_i21k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95, num_classes=21843),
    "flexivit_large.1200ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_l_i1k.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_large.600ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_l_i1k_600ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_large.300ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_l_i1k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_small.1200ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_s_i1k.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_small.600ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_s_i1k_600ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "flexivit_small.300ep_in1k": _cfg(url='https://storage.googleapis.com/big_vision/flexivit/flexivit_s_i1k_300ep.npz', custom_load=True, input_size=(3, 240, 240), crop_pct=0.95),
    "test_vit.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95),
    "test_vit2.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95),
    "test_vit3.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95),
    "test_vit4.r160_in1k": _cfg(hf_hub_id=None, input_size=(3, 160, 160), crop_pct=0.95),
    "vit_base_patch8_224.augreg2_in21k_ft_in1k": _cfg(),
    "vit_base_patch8_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_8-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_base_patch8_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_8-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_base_patch8_224.dino": _cfg(url='https://dl.fbaipublicfiles.com/dino/dino_vitbase8_pretrain/dino_vitbase8_pretrain.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_base_patch14_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitb14/dinov2_vitb14_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_base_patch14_reg1_tipsv2.webli": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), num_classes=0),
    "vit_base_patch14_reg4_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitb14/dinov2_vitb14_reg4_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_base_patch16_18x2_224.untrained": _cfg(hf_hub_id=None),
    "vit_base_patch16_224.augreg2_in21k_ft_in1k": _cfg(),
    "vit_base_patch16_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_base_patch16_224.orig_in21k_ft_in1k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-vitjx/jx_vit_base_p16_224-80ecf9dd.pth'),
    "vit_base_patch16_224.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_16-i1k-300ep-lr_0.001-aug_strong2-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_base_patch16_224.orig_in21k": _cfg(num_classes=0),
    "vit_base_patch16_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_base_patch16_224.sam_in1k": _cfg(url='https://storage.googleapis.com/vit_models/sam/ViT-B_16.npz', custom_load=True),
    "vit_base_patch16_224.bamboo": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=115217, license=None, origin_url='https://github.com/ZhangYuanhan-AI/Bamboo', paper_ids='arXiv:2203.07845'),
    "vit_base_patch16_224.dino": _cfg(url='https://dl.fbaipublicfiles.com/dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_base_patch16_224.mae": _cfg(url='https://dl.fbaipublicfiles.com/mae/pretrain/mae_pretrain_vit_base.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_base_patch16_224_miil.in21k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-tresnet/vit_base_patch16_224_in21k_miil-887286df.pth', interpolation='bilinear', crop_pct=0.875, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), num_classes=11221),
    "vit_base_patch16_224_miil.in21k_ft_in1k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-tresnet/vit_base_patch16_224_1k_miil_84_4-2deb18e3.pth', interpolation='bilinear', crop_pct=0.875, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)),
    "vit_base_patch16_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_patch16_384.orig_in21k_ft_in1k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-vitjx/jx_vit_base_p16_384-83fb41ba.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_patch16_384.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_16-i1k-300ep-lr_0.001-aug_strong2-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_patch16_clip_224.laion2b_ft_in12k_in1k": _cfg(crop_pct=0.95, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_224.openai_ft_in12k_in1k": _cfg(crop_pct=0.95, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_224.laion2b_ft_in1k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_224.openai_ft_in1k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_224.laion2b_ft_in12k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=11821),
    "vit_base_patch16_clip_224.openai_ft_in12k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=11821),
    "vit_base_patch16_clip_224.laion2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512),
    "vit_base_patch16_clip_224.laion400m_e32": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit'),
    "vit_base_patch16_clip_224.datacompxl": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512),
    "vit_base_patch16_clip_224.dfn2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='apple-ascl'),
    "vit_base_patch16_clip_224.metaclip_2pt5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_clip_224.metaclip_400m": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_clip_224.openai": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_clip_384.laion2b_ft_in12k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_384.openai_ft_in12k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=0.95, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_384.laion2b_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_384.openai_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch16_clip_quickgelu_224.metaclip_2pt5b": _cfg(hf_hub_id='timm/vit_base_patch16_clip_224.metaclip_2pt5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_clip_quickgelu_224.metaclip_400m": _cfg(hf_hub_id='timm/vit_base_patch16_clip_224.metaclip_400m', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_clip_quickgelu_224.openai": _cfg(hf_hub_id='timm/vit_base_patch16_clip_224.openai', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch16_gap_224.untrained": _cfg(hf_hub_id=None),
    "vit_base_patch16_plus_240.untrained": _cfg(hf_hub_id=None, input_size=(3, 240, 240), crop_pct=0.95),
    "vit_base_patch16_plus_clip_240.laion400m_e32": _cfg(input_size=(3, 240, 240), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=640, license='mit'),
    "vit_base_patch16_radio_v3.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2412.07679'),
    "vit_base_patch16_reg4_gap_256.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256)),
    "vit_base_patch16_rpn_224.sw_in1k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-tpu-weights/vit_base_patch16_rpn_224-sw-3b07e89d.pth'),
    "vit_base_patch16_siglip_224.v2_webli": _cfg(num_classes=0),
    "vit_base_patch16_siglip_224.webli": _cfg(num_classes=0),
    "vit_base_patch16_siglip_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_256.webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_256.webli_i18n": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_base_patch16_siglip_384.webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_base_patch16_siglip_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_base_patch16_siglip_512.webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_base_patch16_siglip_gap_224.v2_webli": _cfg(num_classes=0),
    "vit_base_patch16_siglip_gap_224.webli": _cfg(num_classes=0),
    "vit_base_patch16_siglip_gap_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_gap_256.webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_gap_256.webli_i18n": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch16_siglip_gap_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_base_patch16_siglip_gap_384.webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_base_patch16_siglip_gap_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_base_patch16_siglip_gap_512.webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_base_patch16_xp_224.untrained": _cfg(hf_hub_id=None),
    "vit_base_patch32_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_224.npz', custom_load=True),
    "vit_base_patch32_224.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_32-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_base_patch32_224.orig_in21k": _cfg(num_classes=0),
    "vit_base_patch32_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.03-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_base_patch32_224.sam_in1k": _cfg(url='https://storage.googleapis.com/vit_models/sam/ViT-B_32.npz', custom_load=True),
    "vit_base_patch32_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_32-i21k-300ep-lr_0.001-aug_light1-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_patch32_384.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/B_32-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_patch32_clip_224.laion2b_ft_in12k_in1k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_224.openai_ft_in12k_in1k": _cfg(hf_hub_id=None, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_224.laion2b_ft_in1k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_224.openai_ft_in1k": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_224.laion2b": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512),
    "vit_base_patch32_clip_224.laion400m_e32": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_224.datacompxl": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512),
    "vit_base_patch32_clip_224.metaclip_2pt5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_224.metaclip_400m": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_224.openai": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_256.datacompxl": _cfg(input_size=(3, 256, 256), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512),
    "vit_base_patch32_clip_384.laion2b_ft_in12k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_384.openai_ft_in12k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=0.95, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_448.laion2b_ft_in12k_in1k": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_base_patch32_clip_quickgelu_224.laion400m_e32": _cfg(hf_hub_id='timm/vit_base_patch32_clip_224.laion400m_e32', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_quickgelu_224.metaclip_2pt5b": _cfg(hf_hub_id='timm/vit_base_patch32_clip_224.metaclip_2pt5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_quickgelu_224.metaclip_400m": _cfg(hf_hub_id='timm/vit_base_patch32_clip_224.metaclip_400m', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_clip_quickgelu_224.openai": _cfg(hf_hub_id='timm/vit_base_patch32_clip_224.openai', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_base_patch32_plus_256.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256), crop_pct=0.95),
    "vit_base_patch32_siglip_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_base_patch32_siglip_gap_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_betwixt_patch16_gap_256.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256), crop_pct=0.95),
    "vit_betwixt_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_betwixt_patch16_reg4_gap_256.sbb2_e200_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_betwixt_patch16_reg4_gap_256.sbb_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_betwixt_patch16_reg4_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_betwixt_patch16_reg4_gap_256.sbb2_e200_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_betwixt_patch16_reg4_gap_256.sbb_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_betwixt_patch16_reg4_gap_384.sbb2_e200_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "vit_betwixt_patch32_clip_224.tinyclip_laion400m": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit'),
    "vit_dlittle_patch16_reg1_gap_256.sbb_nadamuon_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_dpwee_patch16_reg1_gap_256.sbb_nadamuon_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_dpwee_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_dwee_patch16_reg1_gap_256.sbb_nadamuon_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_dwee_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_giant_patch14_224.untrained": _cfg(hf_hub_id=None),
    "vit_giant_patch14_clip_224.laion2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024),
    "vit_giant_patch14_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitg14/dinov2_vitg14_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_giant_patch14_reg1_tipsv2.webli": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), num_classes=0),
    "vit_giant_patch14_reg4_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitg14/dinov2_vitg14_reg4_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_giant_patch16_gap_224.in22k_ijepa": _cfg(url='https://dl.fbaipublicfiles.com/ijepa/IN22K-vit.g.16-600e.pth.tar', hf_hub_id=None, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_giant_patch16_radio_v3.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2412.07679'),
    "vit_giantopt_patch16_siglip_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_giantopt_patch16_siglip_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_giantopt_patch16_siglip_gap_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_giantopt_patch16_siglip_gap_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_gigantic_patch14_224.untrained": _cfg(hf_hub_id=None),
    "vit_gigantic_patch14_clip_224.laion2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1280),
    "vit_gigantic_patch14_clip_224.metaclip2_worldwide": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1280, license='cc-by-nc-4.0'),
    "vit_gigantic_patch14_clip_224.metaclip_2pt5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1280, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_gigantic_patch14_clip_378.metaclip2_worldwide": _cfg(input_size=(3, 378, 378), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1280, license='cc-by-nc-4.0'),
    "vit_gigantic_patch14_clip_quickgelu_224.metaclip_2pt5b": _cfg(hf_hub_id='timm/vit_gigantic_patch14_clip_224.metaclip_2pt5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1280, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_224.orig_in21k": _cfg(num_classes=0),
    "vit_huge_patch14_224.untrained": _cfg(hf_hub_id=None),
    "vit_huge_patch14_224.mae": _cfg(url='https://dl.fbaipublicfiles.com/mae/pretrain/mae_pretrain_vit_huge.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_huge_patch14_clip_224.laion2b_ft_in12k_in1k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_huge_patch14_clip_224.laion2b_ft_in1k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_huge_patch14_clip_224.laion2b_ft_in12k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=11821),
    "vit_huge_patch14_clip_224.laion2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024),
    "vit_huge_patch14_clip_224.dfn5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_224.metaclip2_worldwide": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_224.metaclip_2pt5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_224.metaclip_altogether": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0'),
    "vit_huge_patch14_clip_336.laion2b_ft_in12k_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_huge_patch14_clip_336.laion2b_ft_in1k": _cfg(hf_hub_id='', input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_huge_patch14_clip_378.dfn5b": _cfg(input_size=(3, 378, 378), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_378.metaclip2_worldwide": _cfg(input_size=(3, 378, 378), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0'),
    "vit_huge_patch14_clip_quickgelu_224.dfn5b": _cfg(hf_hub_id='timm/vit_huge_patch14_clip_224.dfn5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_quickgelu_224.metaclip2_worldwide": _cfg(hf_hub_id='timm/vit_huge_patch14_clip_224.metaclip2_worldwide', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_quickgelu_224.metaclip_2pt5b": _cfg(hf_hub_id='timm/vit_huge_patch14_clip_224.metaclip_2pt5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_clip_quickgelu_378.dfn5b": _cfg(hf_hub_id='timm/vit_huge_patch14_clip_378.dfn5b', input_size=(3, 378, 378), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=1024, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_huge_patch14_gap_224.in1k_ijepa": _cfg(url='https://dl.fbaipublicfiles.com/ijepa/IN1K-vit.h.14-300e.pth.tar', hf_hub_id=None, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_huge_patch14_gap_224.in22k_ijepa": _cfg(url='https://dl.fbaipublicfiles.com/ijepa/IN22K-vit.h.14-900e.pth.tar', hf_hub_id=None, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_huge_patch14_xp_224.untrained": _cfg(hf_hub_id=None),
    "vit_huge_patch16_gap_448.in1k_ijepa": _cfg(url='https://dl.fbaipublicfiles.com/ijepa/IN1K-vit.h.16-448px-300e.pth.tar', hf_hub_id=None, input_size=(3, 448, 448), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_huge_patch16_radio_v3.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2412.07679'),
    "vit_huge_patch16_radio_v4.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2601.17237'),
    "vit_intern300m_patch14_448.ogvl_dist": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='mit'),
    "vit_intern300m_patch14_448.ogvl_2pt5": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_large_patch14_224.untrained": _cfg(hf_hub_id=None),
    "vit_large_patch14_clip_224.laion2b_ft_in12k_in1k": _cfg(crop_pct=1.0),
    "vit_large_patch14_clip_224.openai_ft_in12k_in1k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_large_patch14_clip_224.laion2b_ft_in1k": _cfg(crop_pct=1.0),
    "vit_large_patch14_clip_224.openai_ft_in1k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_large_patch14_clip_224.laion2b_ft_in12k": _cfg(crop_pct=1.0, num_classes=11821),
    "vit_large_patch14_clip_224.openai_ft_in12k": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=11821),
    "vit_large_patch14_clip_224.laion2b": _cfg(crop_pct=1.0, num_classes=768),
    "vit_large_patch14_clip_224.laion400m_e32": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='mit'),
    "vit_large_patch14_clip_224.datacompxl": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768),
    "vit_large_patch14_clip_224.dfn2b_s39b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='apple-ascl'),
    "vit_large_patch14_clip_224.dfn2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_224.metaclip_2pt5b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_224.metaclip_400m": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_224.openai": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_224.apple_mclip2_dfndr2b": _cfg(crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='apple-amlr'),
    "vit_large_patch14_clip_336.laion2b_ft_in12k_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash'),
    "vit_large_patch14_clip_336.openai_ft_in12k_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash', mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_large_patch14_clip_336.laion2b_ft_in1k": _cfg(input_size=(3, 336, 336), crop_pct=1.0, crop_mode='squash'),
    "vit_large_patch14_clip_336.openai": _cfg(input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_quickgelu_224.dfn2b": _cfg(hf_hub_id='timm/vit_large_patch14_clip_224.dfn2b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='apple-ascl', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_quickgelu_224.metaclip_2pt5b": _cfg(hf_hub_id='timm/vit_large_patch14_clip_224.metaclip_2pt5b', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_quickgelu_224.metaclip_400m": _cfg(hf_hub_id='timm/vit_large_patch14_clip_224.metaclip_400m', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, license='cc-by-nc-4.0', notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_quickgelu_224.openai": _cfg(hf_hub_id='timm/vit_large_patch14_clip_224.openai', crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_clip_quickgelu_336.openai": _cfg(hf_hub_id='timm/vit_large_patch14_clip_336.openai', input_size=(3, 336, 336), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=768, notes=('natively QuickGELU, use quickgelu model variant for original results',)),
    "vit_large_patch14_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitl14/dinov2_vitl14_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_large_patch14_reg1_tipsv2.webli": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), num_classes=0),
    "vit_large_patch14_reg4_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vitl14/dinov2_vitl14_reg4_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_large_patch14_xp_224.untrained": _cfg(hf_hub_id=None),
    "vit_large_patch16_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_large_patch16_224.orig_in21k": _cfg(num_classes=0),
    "vit_large_patch16_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1.npz', custom_load=True, num_classes=21843),
    "vit_large_patch16_224.mae": _cfg(url='https://dl.fbaipublicfiles.com/mae/pretrain/mae_pretrain_vit_large.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0, license='cc-by-nc-4.0'),
    "vit_large_patch16_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/L_16-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_large_patch16_radio_v3.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2412.07679'),
    "vit_large_patch16_siglip_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_large_patch16_siglip_256.webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_large_patch16_siglip_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_large_patch16_siglip_384.webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_large_patch16_siglip_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_large_patch16_siglip_gap_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_large_patch16_siglip_gap_256.webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_large_patch16_siglip_gap_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_large_patch16_siglip_gap_384.webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_large_patch16_siglip_gap_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_large_patch32_224.orig_in21k": _cfg(num_classes=0),
    "vit_large_patch32_384.orig_in21k_ft_in1k": _cfg(url='https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-vitjx/jx_vit_large_p32_384-9b920ba8.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "vit_little_patch16_reg1_gap_256.sbb_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_little_patch16_reg1_gap_256.sbb_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_little_patch16_reg4_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_medium_patch16_clip_224.tinyclip_yfcc15m": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit'),
    "vit_medium_patch16_gap_240.sw_in12k": _cfg(input_size=(3, 240, 240), crop_pct=0.95, num_classes=11821),
    "vit_medium_patch16_gap_256.sw_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_medium_patch16_gap_384.sw_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=0.95, crop_mode='squash'),
    "vit_medium_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_medium_patch16_reg4_gap_256.sbb_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_medium_patch16_reg4_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_medium_patch16_reg4_gap_256.sbb_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_medium_patch32_clip_224.tinyclip_laion400m": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit'),
    "vit_mediumd_patch16_reg4_gap_256.sbb2_e200_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_mediumd_patch16_reg4_gap_256.sbb_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_mediumd_patch16_reg4_gap_256.sbb2_e200_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_mediumd_patch16_reg4_gap_256.sbb_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_mediumd_patch16_reg4_gap_384.sbb2_e200_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "vit_pwee_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_small_patch8_224.dino": _cfg(url='https://dl.fbaipublicfiles.com/dino/dino_deitsmall8_pretrain/dino_deitsmall8_pretrain.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_small_patch14_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vits14/dinov2_vits14_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_small_patch14_reg4_dinov2.lvd142m": _cfg(url='https://dl.fbaipublicfiles.com/dinov2/dinov2_vits14/dinov2_vits14_reg4_pretrain.pth', input_size=(3, 518, 518), crop_pct=1.0, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_small_patch16_18x2_224.untrained": _cfg(hf_hub_id=None),
    "vit_small_patch16_36x1_224.untrained": _cfg(hf_hub_id=None),
    "vit_small_patch16_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_224.npz', custom_load=True),
    "vit_small_patch16_224.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_16-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_224.npz', custom_load=True),
    "vit_small_patch16_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_small_patch16_224.dino": _cfg(url='https://dl.fbaipublicfiles.com/dino/dino_deitsmall16_pretrain/dino_deitsmall16_pretrain.pth', mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=0),
    "vit_small_patch16_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_16-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_small_patch16_384.augreg_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_16-i1k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_small_patch32_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_224.npz', custom_load=True),
    "vit_small_patch32_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_small_patch32_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/S_32-i21k-300ep-lr_0.001-aug_light1-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_so150m2_patch16_reg1_gap_256.sbb_e200_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=1.0),
    "vit_so150m2_patch16_reg1_gap_256.sbb_e200_in12k": _cfg(input_size=(3, 256, 256), crop_pct=1.0, num_classes=11821),
    "vit_so150m2_patch16_reg1_gap_384.sbb_e200_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "vit_so150m2_patch16_reg1_gap_448.sbb_e200_in12k_ft_in1k": _cfg(input_size=(3, 448, 448), crop_pct=1.0, crop_mode='squash'),
    "vit_so150m_patch16_reg4_gap_256.sbb_e250_in12k_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_so150m_patch16_reg4_gap_256.sbb_e250_in12k": _cfg(input_size=(3, 256, 256), crop_pct=0.95, num_classes=11821),
    "vit_so150m_patch16_reg4_gap_384.sbb_e250_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "vit_so150m_patch16_reg4_map_256.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256)),
    "vit_so400m_patch14_reg1_tipsv2.webli": _cfg(input_size=(3, 448, 448), crop_pct=1.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), num_classes=0),
    "vit_so400m_patch14_siglip_224.v2_webli": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_224.webli": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_378.v2_webli": _cfg(input_size=(3, 378, 378), num_classes=0),
    "vit_so400m_patch14_siglip_378.webli": _cfg(input_size=(3, 378, 378), num_classes=0),
    "vit_so400m_patch14_siglip_378.webli_ft_in1k": _cfg(input_size=(3, 378, 378), crop_pct=1.0, crop_mode='squash'),
    "vit_so400m_patch14_siglip_384.webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.v2_webli": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.webli": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.pali_mix": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.pali_pt": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.pali2_3b_pt": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_224.pali2_10b_pt": _cfg(num_classes=0),
    "vit_so400m_patch14_siglip_gap_378.v2_webli": _cfg(input_size=(3, 378, 378), num_classes=0),
    "vit_so400m_patch14_siglip_gap_378.webli": _cfg(input_size=(3, 378, 378), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_378.webli_ft_in1k": _cfg(input_size=(3, 378, 378), crop_pct=1.0, crop_mode='squash'),
    "vit_so400m_patch14_siglip_gap_384.webli": _cfg(input_size=(3, 384, 384), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali_mix": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali_refcoco_seg": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali_ocrvqa": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali2_3b_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali2_10b_pt": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali2_3b_docci": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_448.pali2_10b_docci": _cfg(input_size=(3, 448, 448), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_896.pali_pt": _cfg(input_size=(3, 896, 896), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_896.pali_refcoco_seg": _cfg(input_size=(3, 896, 896), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_896.pali_ocrvqa": _cfg(input_size=(3, 896, 896), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_896.pali2_3b_pt": _cfg(input_size=(3, 896, 896), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch14_siglip_gap_896.pali2_10b_pt": _cfg(input_size=(3, 896, 896), crop_pct=1.0, num_classes=0),
    "vit_so400m_patch16_radio_v4.c_radio": _cfg(input_size=(3, 512, 512), crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=0, license='nvidia-open-model-license', origin_url='https://github.com/NVlabs/RADIO', paper_ids='arXiv:2601.17237'),
    "vit_so400m_patch16_siglip_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_so400m_patch16_siglip_256.webli_i18n": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_so400m_patch16_siglip_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_so400m_patch16_siglip_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_so400m_patch16_siglip_gap_256.v2_webli": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_so400m_patch16_siglip_gap_256.webli_i18n": _cfg(input_size=(3, 256, 256), num_classes=0),
    "vit_so400m_patch16_siglip_gap_384.v2_webli": _cfg(input_size=(3, 384, 384), num_classes=0),
    "vit_so400m_patch16_siglip_gap_512.v2_webli": _cfg(input_size=(3, 512, 512), num_classes=0),
    "vit_tiny_patch16_224.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_224.npz', custom_load=True),
    "vit_tiny_patch16_224.augreg_in21k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0.npz', custom_load=True, num_classes=21843),
    "vit_tiny_patch16_384.augreg_in21k_ft_in1k": _cfg(url='https://storage.googleapis.com/vit_models/augreg/Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz', custom_load=True, input_size=(3, 384, 384), crop_pct=1.0),
    "vit_wee_patch16_reg1_gap_256.sbb_in1k": _cfg(input_size=(3, 256, 256), crop_pct=0.95),
    "vit_xsmall_patch16_clip_224.tinyclip_yfcc15m": _cfg(mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD, num_classes=512, license='mit'),
}

default_cfgs = generate_default_cfgs(VIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_vision_transformer(variant: str, pretrained: bool = False, **kwargs: Any) -> VisionTransformer:
    # features come from forward_intermediates (the blocks are not top-level children); the last 3 by default
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        VisionTransformer, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(VISION_TRANSFORMERS, _create_vision_transformer, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "vit_tiny_patch16_224_in21k": "vit_tiny_patch16_224.augreg_in21k",
    "vit_small_patch32_224_in21k": "vit_small_patch32_224.augreg_in21k",
    "vit_small_patch16_224_in21k": "vit_small_patch16_224.augreg_in21k",
    "vit_base_patch32_224_in21k": "vit_base_patch32_224.augreg_in21k",
    "vit_base_patch16_224_in21k": "vit_base_patch16_224.augreg_in21k",
    "vit_base_patch8_224_in21k": "vit_base_patch8_224.augreg_in21k",
    "vit_large_patch32_224_in21k": "vit_large_patch32_224.orig_in21k",
    "vit_large_patch16_224_in21k": "vit_large_patch16_224.augreg_in21k",
    "vit_huge_patch14_224_in21k": "vit_huge_patch14_224.orig_in21k",
    "vit_base_patch32_224_sam": "vit_base_patch32_224.sam",
    "vit_base_patch16_224_sam": "vit_base_patch16_224.sam",
    "vit_small_patch16_224_dino": "vit_small_patch16_224.dino",
    "vit_small_patch8_224_dino": "vit_small_patch8_224.dino",
    "vit_base_patch16_224_dino": "vit_base_patch16_224.dino",
    "vit_base_patch8_224_dino": "vit_base_patch8_224.dino",
    "vit_base_patch16_224_miil_in21k": "vit_base_patch16_224_miil.in21k",
    "vit_base_patch32_224_clip_laion2b": "vit_base_patch32_clip_224.laion2b",
    "vit_large_patch14_224_clip_laion2b": "vit_large_patch14_clip_224.laion2b",
    "vit_huge_patch14_224_clip_laion2b": "vit_huge_patch14_clip_224.laion2b",
    "vit_giant_patch14_224_clip_laion2b": "vit_giant_patch14_clip_224.laion2b",
})
