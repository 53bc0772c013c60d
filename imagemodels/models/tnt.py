"""TNT: Transformer in Transformer. Checkpoint-compatible with timm's ``tnt`` module.

Paper: Han et al., "Transformer in Transformer", 2021 (arXiv:2103.00112).

Every 16x16 patch is itself a sequence of "pixel" tokens (a 4x4 grid of ``inner_dim`` features from a
stride-4 conv). Each block first runs an inner transformer over the pixel tokens of every patch, then
adds a projection of the flattened pixel tokens to that patch's (outer) token, then runs the outer
transformer over the patch tokens and the class token.

``legacy`` is the original release's layout: the conv runs over the whole image before it is cut into
patches, and the pixel-to-patch projection is norm(pixel) -> linear. Otherwise the image is cut first
(each patch convolved on its own, zero-padded at its border) and the projection is
norm -> linear (no bias) -> norm over the flattened patch.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    DropPath, Mlp, check_token_pool, pool_tokens, to_2tuple, token_pool_width, trunc_normal_, use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["TNT"]

LayerFn = Callable[..., nn.Module]


class Attention(nn.Module):
    """Multi-head self-attention with separate ``qk`` and ``v`` projections (the original's layout)."""

    def __init__(self, dim: int, hidden_dim: int, num_heads: int = 8, qkv_bias: bool = False,
                 attn_drop: float = 0.0, proj_drop: float = 0.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.hidden_dim = hidden_dim
        self.num_heads = num_heads
        self.head_dim = hidden_dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.qk = nn.Linear(dim, hidden_dim * 2, bias=qkv_bias, **dd)
        self.v = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, num_tokens, _ = x.shape
        q, k = self.qk(x).reshape(batch, num_tokens, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        v = self.v(x).reshape(batch, num_tokens, self.num_heads, -1).transpose(1, 2)
        out = scaled_dot_product(q, k, v, fused=self.fused_attn, scale=self.scale,
                                 dropout_p=self.attn_drop.p if self.training else 0.0, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, num_tokens, -1)
        return self.proj_drop(self.proj(out))


class Block(nn.Module):
    """Inner transformer over pixel tokens (B*N, P, inner_dim), pixel -> patch projection, outer transformer
    over [class, patch] tokens (B, 1 + N, dim)."""

    def __init__(self, dim: int, dim_out: int, num_pixel: int, num_heads_in: int = 4, num_heads_out: int = 12,
                 mlp_ratio: float = 4.0, qkv_bias: bool = False, proj_drop: float = 0.0, attn_drop: float = 0.0,
                 drop_path: float = 0.0, act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm,
                 legacy: bool = False, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.legacy = legacy
        # inner transformer (dim = inner_dim)
        self.norm_in = norm_layer(dim, **dd)
        self.attn_in = Attention(dim, dim, num_heads=num_heads_in, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                 proj_drop=proj_drop, **dd)
        self.norm_mlp_in = norm_layer(dim, **dd)
        self.mlp_in = Mlp(dim, hidden_features=int(dim * 4), out_features=dim, act_layer=act_layer, drop=proj_drop, **dd)
        # pixel tokens -> patch token
        if legacy:
            self.norm1_proj = norm_layer(dim, **dd)
            self.proj = nn.Linear(dim * num_pixel, dim_out, bias=True, **dd)
            self.norm2_proj = None
        else:
            self.norm1_proj = norm_layer(dim * num_pixel, **dd)
            self.proj = nn.Linear(dim * num_pixel, dim_out, bias=False, **dd)
            self.norm2_proj = norm_layer(dim_out, **dd)
        # outer transformer (dim_out = embed_dim)
        self.norm_out = norm_layer(dim_out, **dd)
        self.attn_out = Attention(dim_out, dim_out, num_heads=num_heads_out, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                  proj_drop=proj_drop, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm_mlp = norm_layer(dim_out, **dd)
        self.mlp = Mlp(dim_out, hidden_features=int(dim_out * mlp_ratio), out_features=dim_out, act_layer=act_layer,
                       drop=proj_drop, **dd)

    def _pixels_to_patches(self, pixel_embed: torch.Tensor, batch: int, num_patches: int) -> torch.Tensor:
        if self.legacy:
            return self.proj(self.norm1_proj(pixel_embed).reshape(batch, num_patches, -1))
        return self.norm2_proj(self.proj(self.norm1_proj(pixel_embed.reshape(batch, num_patches, -1))))

    def forward(self, pixel_embed: torch.Tensor, patch_embed: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        pixel_embed = pixel_embed + self.drop_path(self.attn_in(self.norm_in(pixel_embed)))
        pixel_embed = pixel_embed + self.drop_path(self.mlp_in(self.norm_mlp_in(pixel_embed)))
        batch, num_tokens, _ = patch_embed.shape
        patches = patch_embed[:, 1:] + self._pixels_to_patches(pixel_embed, batch, num_tokens - 1)
        patch_embed = torch.cat([patch_embed[:, :1], patches], dim=1)
        patch_embed = patch_embed + self.drop_path(self.attn_out(self.norm_out(patch_embed)))
        patch_embed = patch_embed + self.drop_path(self.mlp(self.norm_mlp(patch_embed)))
        return pixel_embed, patch_embed


class PixelEmbed(nn.Module):
    """Image -> pixel tokens (B * num_patches, P, in_dim), P = ceil(patch / stride)^2, with ``pixel_pos`` added."""

    def __init__(self, img_size: Any = 224, patch_size: Any = 16, in_chans: int = 3, in_dim: int = 48,
                 stride: int = 4, legacy: bool = False, device=None, dtype=None):
        super().__init__()
        self.img_size = to_2tuple(img_size)
        self.patch_size = to_2tuple(patch_size)
        self.grid_size = (self.img_size[0] // self.patch_size[0], self.img_size[1] // self.patch_size[1])
        self.num_patches = self.grid_size[0] * self.grid_size[1]
        self.in_dim = in_dim
        self.legacy = legacy
        self.new_patch_size = [math.ceil(p / stride) for p in self.patch_size]
        self.proj = nn.Conv2d(in_chans, in_dim, kernel_size=7, padding=3, stride=stride, device=device, dtype=dtype)
        # legacy: conv the image, then cut the feature map; otherwise cut the image, then conv each patch
        self.unfold = nn.Unfold(kernel_size=self.new_patch_size if legacy else self.patch_size,
                                stride=self.new_patch_size if legacy else self.patch_size)

    def forward(self, x: torch.Tensor, pixel_pos: torch.Tensor) -> torch.Tensor:
        batch, channels, height, width = x.shape
        if (height, width) != self.img_size:
            raise ValueError(f"input size ({height}, {width}) does not match the model's img_size {self.img_size}")
        if self.legacy:
            x = self.unfold(self.proj(x))
            x = x.transpose(1, 2).reshape(batch * self.num_patches, self.in_dim, *self.new_patch_size)
        else:
            x = self.unfold(x).transpose(1, 2).reshape(batch * self.num_patches, channels, *self.patch_size)
            x = self.proj(x)
        x = x + pixel_pos
        return x.reshape(batch * self.num_patches, self.in_dim, -1).transpose(1, 2)


class TNT(nn.Module):
    """Pixel embedding -> patch tokens (projected pixel tokens) + class token + position embeddings ->
    TNT blocks -> norm -> pool -> head. The token grid is fixed at construction."""

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        patch_size: Union[int, Tuple[int, int]] = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "token",
        embed_dim: int = 768,
        inner_dim: int = 48,
        depth: int = 12,
        num_heads_inner: int = 4,
        num_heads_outer: int = 12,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: LayerFn = nn.LayerNorm,
        first_stride: int = 4,
        legacy: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_classes = num_classes
        self.global_pool = check_token_pool(global_pool)
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_prefix_tokens = 1
        self.grad_checkpointing = False

        self.pixel_embed = PixelEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans, in_dim=inner_dim,
                                      stride=first_stride, legacy=legacy, **dd)
        num_patches = self.num_patches = self.pixel_embed.num_patches
        new_patch_size = self.pixel_embed.new_patch_size
        num_pixel = new_patch_size[0] * new_patch_size[1]

        self.norm1_proj = norm_layer(num_pixel * inner_dim, **dd)
        self.proj = nn.Linear(num_pixel * inner_dim, embed_dim, **dd)
        self.norm2_proj = norm_layer(embed_dim, **dd)

        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd))
        self.patch_pos = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim, **dd))
        self.pixel_pos = nn.Parameter(torch.zeros(1, inner_dim, *new_patch_size, **dd))
        self.pos_drop = nn.Dropout(p=pos_drop_rate)

        rates = [drop_path_rate * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        self.blocks = nn.ModuleList([
            Block(inner_dim, embed_dim, num_pixel, num_heads_in=num_heads_inner, num_heads_out=num_heads_outer,
                  mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate,
                  drop_path=rates[i], norm_layer=norm_layer, legacy=legacy, **dd)
            for i in range(depth)])
        reduction = self.pixel_embed.patch_size[0]
        self.feature_info = [dict(module=f"blocks.{i}", num_chs=embed_dim, reduction=reduction) for i in range(depth)]
        self.norm = norm_layer(embed_dim, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)

        trunc_normal_(self.cls_token, std=0.02)
        trunc_normal_(self.patch_pos, std=0.02)
        trunc_normal_(self.pixel_pos, std=0.02)
        self.apply(self._init_weights)

    def _make_head(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        width = token_pool_width(self.embed_dim, self.global_pool)
        return nn.Linear(width, num_classes, device=self.cls_token.device, dtype=self.cls_token.dtype)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.zeros_(m.bias)
            nn.init.ones_(m.weight)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {"patch_pos", "pixel_pos", "cls_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|patch_pos|pixel_pos|pixel_embed|norm[12]_proj|proj",
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
            self.global_pool = check_token_pool(global_pool)
        self.head = self._make_head(num_classes)

    def _embed(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        batch = x.shape[0]
        pixel_embed = self.pixel_embed(x, self.pixel_pos)
        patch_embed = self.norm2_proj(self.proj(self.norm1_proj(pixel_embed.reshape(batch, self.num_patches, -1))))
        patch_embed = torch.cat([self.cls_token.expand(batch, -1, -1), patch_embed], dim=1)
        return pixel_embed, self.pos_drop(patch_embed + self.patch_pos)

    def _run_block(self, block: nn.Module, pixel_embed: torch.Tensor, patch_embed: torch.Tensor):
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, pixel_embed, patch_embed, use_reentrant=False)
        return block(pixel_embed, patch_embed)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        return_prefix_tokens: bool = False,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[Any], Tuple[torch.Tensor, List[Any]]]:
        """Patch tokens after the blocks at ``indices`` as NCHW maps (or NLC); ``return_prefix_tokens`` pairs
        each with its class token, ``norm`` applies the final norm. Returns ``(final, maps)`` or the maps."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch = x.shape[0]
        pixel_embed, patch_embed = self._embed(x)
        blocks = self.blocks[:max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            pixel_embed, patch_embed = self._run_block(block, pixel_embed, patch_embed)
            if i in take_indices:
                intermediates.append(self.norm(patch_embed) if norm else patch_embed)
        prefix = [y[:, :self.num_prefix_tokens] for y in intermediates]
        intermediates = [y[:, self.num_prefix_tokens:] for y in intermediates]
        if output_fmt == "NCHW":
            grid_h, grid_w = self.pixel_embed.grid_size
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous()
                             for y in intermediates]
        if return_prefix_tokens:
            intermediates = list(zip(intermediates, prefix))
        if intermediates_only:
            return intermediates
        return self.norm(patch_embed), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        pixel_embed, patch_embed = self._embed(x)
        for block in self.blocks:
            pixel_embed, patch_embed = self._run_block(block, pixel_embed, patch_embed)
        return self.norm(patch_embed)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = pool_tokens(x, self.global_pool, self.num_prefix_tokens)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants -----------------------------------------------------------------------------------------

_S = dict(patch_size=16, embed_dim=384, inner_dim=24, depth=12, num_heads_outer=6, qkv_bias=False)

TNTS: Dict[str, Dict[str, Any]] = {
    "tnt_b_patch16_224": dict(patch_size=16, embed_dim=640, inner_dim=40, depth=12, num_heads_outer=10, qkv_bias=False),
    "tnt_s_legacy_patch16_224": dict(_S, legacy=True),
    "tnt_s_patch16_224": _S,
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.9,
        interpolation="bicubic", mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), first_conv="pixel_embed.proj",
        classifier="head", license="apache-2.0",
        origin_url="https://github.com/huawei-noah/Efficient-AI-Backbones/tree/master/tnt_pytorch",
        paper_ids="arXiv:2103.00112", paper_name="Transformer in Transformer", fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


TNT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "tnt_b_patch16_224.in1k": _cfg(),
    "tnt_s_legacy_patch16_224.in1k": _cfg(),
    "tnt_s_patch16_224.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(TNT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_tnt(variant: str, pretrained: bool = False, **kwargs: Any) -> TNT:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(TNT, variant, pretrained,
                                feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(TNTS, _create_tnt, globals())
