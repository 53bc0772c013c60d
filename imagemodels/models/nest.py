"""NesT: nested hierarchical transformers (local self-attention in non-overlapping blocks).

Paper: Zhang et al., "Nested Hierarchical Transformer: Towards Accurate, Data-Efficient and
Interpretable Visual Understanding", 2021 (arXiv:2105.12723). Checkpoint-compatible with timm's
``nest`` module (the ``_jx`` weights were converted from the authors' JAX release).

The patch grid is cut into blocks of ``block_size`` x ``block_size`` tokens; a level runs standard
pre-norm transformer layers inside every block independently (each block with its own learned
position embedding), then "block aggregation" (3x3 conv, LayerNorm, 3x3 stride-2 max pool) merges
blocks 4 -> 1 before the next level. Levels have 16, 4, 1 blocks for three levels.

Layout: the blocks, the network, then ``NESTS`` (one row per registered name), the weight metadata,
then registration.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    calculate_drop_path_rates,
    DropPath, Mlp, PatchEmbed, create_classifier, create_conv2d, create_pool2d, get_act_layer, get_norm_layer,
    trunc_normal_,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["Nest"]

LayerFn = Callable[..., nn.Module]


class Attention(nn.Module):
    """Multi-head self-attention inside each block of tokens: (B, T blocks, N tokens, C).

    The heads are concatenated head-dim-major, i.e. channel ``d * num_heads + h`` (the layout of the
    JAX release's output projection), not the usual ``h * head_dim + d``.
    """

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, N, C = x.shape
        # (3, B, heads, T, N, head_dim)
        q, k, v = self.qkv(x).reshape(B, T, N, 3, self.num_heads, C // self.num_heads).permute(3, 0, 4, 1, 2, 5).unbind(0)
        attn = self.attn_drop(((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1))
        x = (attn @ v).permute(0, 2, 3, 4, 1).reshape(B, T, N, C)  # (B, T, N, head_dim, heads)
        return self.proj_drop(self.proj(x))


class TransformerLayer(nn.Module):
    """Pre-norm attention + MLP, applied to every block of tokens at once."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = Attention(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path1(self.attn(self.norm1(x)))
        return x + self.drop_path2(self.mlp(self.norm2(x)))


class ConvPool(nn.Module):
    """Block aggregation: 3x3 conv to the next width, LayerNorm over channels, 3x3 stride-2 max pool."""

    def __init__(self, in_channels: int, out_channels: int, norm_layer: LayerFn, pad_type: str = ""):
        super().__init__()
        self.conv = create_conv2d(in_channels, out_channels, kernel_size=3, padding=pad_type, bias=True)
        self.norm = norm_layer(out_channels)
        self.pool = create_pool2d("max", kernel_size=3, stride=2, padding=pad_type)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        x = self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return self.pool(x)


def blockify(x: torch.Tensor, block_size: int) -> torch.Tensor:
    """(B, H, W, C) -> (B, T, block_size**2, C), blocks in row-major order."""
    B, H, W, C = x.shape
    if H % block_size or W % block_size:
        raise ValueError(f"the {H}x{W} token grid does not split into {block_size}x{block_size} blocks")
    gh, gw = H // block_size, W // block_size
    x = x.reshape(B, gh, block_size, gw, block_size, C).transpose(2, 3)
    return x.reshape(B, gh * gw, block_size * block_size, C)


def deblockify(x: torch.Tensor, block_size: int) -> torch.Tensor:
    """(B, T, block_size**2, C) -> (B, H, W, C), the inverse of :func:`blockify` for a square grid of blocks."""
    B, T, _, C = x.shape
    grid = int(math.sqrt(T))
    x = x.reshape(B, grid, grid, block_size, block_size, C).transpose(2, 3)
    return x.reshape(B, grid * block_size, grid * block_size, C)


class NestLevel(nn.Module):
    """Optional block aggregation (every level but the first), then transformer layers inside blocks.
    Takes and returns NCHW maps."""

    def __init__(self, num_blocks: int, block_size: int, seq_length: int, num_heads: int, depth: int,
                 embed_dim: int, prev_embed_dim: Optional[int] = None, mlp_ratio: float = 4.0,
                 qkv_bias: bool = True, proj_drop: float = 0.0, attn_drop: float = 0.0,
                 drop_path: Optional[List[float]] = None, norm_layer: LayerFn = nn.LayerNorm,
                 act_layer: LayerFn = nn.GELU, pad_type: str = ""):
        super().__init__()
        self.block_size = block_size
        self.grad_checkpointing = False
        self.pos_embed = nn.Parameter(torch.zeros(1, num_blocks, seq_length, embed_dim))
        if prev_embed_dim is not None:
            self.pool = ConvPool(prev_embed_dim, embed_dim, norm_layer=norm_layer, pad_type=pad_type)
        else:
            self.pool = nn.Identity()
        drop_path = drop_path or [0.0] * depth
        self.transformer_encoder = nn.Sequential(*[
            TransformerLayer(embed_dim, num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop,
                             attn_drop=attn_drop, drop_path=drop_path[i], act_layer=act_layer, norm_layer=norm_layer)
            for i in range(depth)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(x).permute(0, 2, 3, 1)
        x = blockify(x, self.block_size) + self.pos_embed
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.transformer_encoder, x)
        else:
            x = self.transformer_encoder(x)
        return deblockify(x, self.block_size).permute(0, 3, 1, 2)


class Nest(nn.Module):
    """NesT: patch embedding, levels of block-local transformers joined by block aggregation,
    a final LayerNorm, global pooling and a linear head. The input size is fixed at construction
    (one position embedding per block)."""

    def __init__(
        self,
        img_size: int = 224,
        in_chans: int = 3,
        patch_size: int = 4,
        num_levels: int = 3,
        embed_dims: Tuple[int, ...] = (128, 256, 512),
        num_heads: Tuple[int, ...] = (4, 8, 16),
        depths: Tuple[int, ...] = (2, 2, 20),
        num_classes: int = 1000,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.5,
        norm_layer: Optional[Union[str, LayerFn]] = None,
        act_layer: Optional[Union[str, LayerFn]] = None,
        pad_type: str = "",
        weight_init: str = "",
        global_pool: str = "avg",
    ):
        """``pad_type='same'``: TF-style padding in block aggregation (the JAX-converted ``_jx`` weights).
        ``weight_init='jax'``: LeCun-normal linear weights, as the JAX release initialises them."""
        super().__init__()
        if not (len(embed_dims) == len(num_heads) == len(depths) == num_levels):
            raise ValueError(f"embed_dims, num_heads and depths need num_levels={num_levels} entries, got "
                             f"{embed_dims}, {num_heads}, {depths}")
        if weight_init not in ("", "jax"):
            raise ValueError(f"weight_init must be '' or 'jax', got {weight_init!r}")
        norm_layer = get_norm_layer(norm_layer) if norm_layer is not None else partial(nn.LayerNorm, eps=1e-6)
        act_layer = get_act_layer(act_layer) if act_layer is not None else nn.GELU
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.num_features = self.head_hidden_size = embed_dims[-1]
        self.global_pool = global_pool
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_levels = num_levels
        self.patch_size = patch_size

        grid = img_size // patch_size
        # the top level is one block; each level below it has 4x as many, of the same size
        self.num_blocks = [4 ** i for i in reversed(range(num_levels))]
        block_size = grid // 2 ** (num_levels - 1)
        if block_size * 2 ** (num_levels - 1) != grid:
            raise ValueError(f"img_size {img_size} / patch_size {patch_size} = a {grid}x{grid} grid, which does not "
                             f"halve {num_levels - 1} times into whole blocks")
        self.block_size = block_size
        seq_length = block_size * block_size

        self.patch_embed = PatchEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans,
                                      embed_dim=embed_dims[0], flatten=False)
        self.feature_info = []
        dpr = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        levels = []
        prev_dim = None
        for i in range(num_levels):
            levels.append(NestLevel(
                self.num_blocks[i], block_size, seq_length, num_heads[i], depths[i], embed_dims[i], prev_dim,
                mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate,
                drop_path=dpr[i], norm_layer=norm_layer, act_layer=act_layer, pad_type=pad_type))
            self.feature_info.append(dict(num_chs=embed_dims[i], reduction=patch_size * 2 ** i, module=f"levels.{i}"))
            prev_dim = embed_dims[i]
        self.levels = nn.Sequential(*levels)

        self.norm = norm_layer(embed_dims[-1])
        self.global_pool, self.head = create_classifier(self.num_features, num_classes, pool_type=global_pool)
        self.head_drop = nn.Dropout(drop_rate)
        self._global_pool_type = global_pool
        self.init_weights(weight_init)

    def init_weights(self, mode: str = "") -> None:
        for level in self.levels:
            trunc_normal_(level.pos_embed, std=0.02, a=-2, b=2)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                if mode == "jax":
                    # LeCun normal: truncated at 2 std, rescaled so the variance is 1 / fan_in
                    trunc_normal_(m.weight, std=math.sqrt(1.0 / m.in_features) / 0.8796256610342398)
                else:
                    trunc_normal_(m.weight, std=0.02, a=-2, b=2)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {f"levels.{i}.pos_embed" for i in range(len(self.levels))}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^patch_embed",
            blocks=[
                (r"^levels\.(\d+)" if coarse else r"^levels\.(\d+)\.transformer_encoder\.(\d+)", None),
                (r"^levels\.(\d+)\.(?:pool|pos_embed)", (0,)),
                (r"^norm", (99999,)),
            ],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for level in self.levels:
            level.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self._global_pool_type = global_pool
        self.global_pool, self.head = create_classifier(self.num_features, num_classes, pool_type=self._global_pool_type)

    def _final_norm(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """NCHW maps after the levels at ``indices`` (None: all, int: the last n, or a list); with
        ``norm`` the last level's map goes through the final norm. Returns ``(final_features, maps)``
        or only the maps with ``intermediates_only``."""
        if output_fmt != "NCHW":
            raise ValueError(f"NesT feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.levels), indices)
        last = len(self.levels) - 1
        x = self.patch_embed(x)
        levels = self.levels if not stop_early else self.levels[:max_index + 1]
        intermediates = []
        for i, level in enumerate(levels):
            x = level(x)
            if i in take_indices:
                intermediates.append(self._final_norm(x) if norm and i == last else x)
        if intermediates_only:
            return intermediates
        if len(levels) == len(self.levels):
            x = self._final_norm(x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the levels after the last of ``indices``; the final norm with ``prune_norm``, the head
        with ``prune_head``."""
        take_indices, max_index = feature_take_indices(len(self.levels), indices)
        self.levels = self.levels[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.levels(self.patch_embed(x))
        return self._final_norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# '_jx' = the same network with TF-style 'same' padding in block aggregation (the JAX release's).

_TINY = dict(embed_dims=(96, 192, 384), num_heads=(3, 6, 12), depths=(2, 2, 8))
_SMALL = dict(embed_dims=(96, 192, 384), num_heads=(3, 6, 12), depths=(2, 2, 20))
_BASE = dict(embed_dims=(128, 256, 512), num_heads=(4, 8, 16), depths=(2, 2, 20))

NESTS: Dict[str, Dict[str, Any]] = {
    "nest_base": _BASE,
    "nest_small": _SMALL,
    "nest_tiny": _TINY,
    "nest_base_jx": dict(_BASE, pad_type="same"),
    "nest_small_jx": dict(_SMALL, pad_type="same"),
    "nest_tiny_jx": dict(_TINY, pad_type="same"),
}


# --- weight metadata ----------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, pool_size=(14, 14), first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


NEST_WEIGHTS = {
    "nest_base.untrained": _cfg(),
    "nest_base_jx.goog_in1k": _cfg(hf_hub_id="timm/"),
    "nest_small.untrained": _cfg(),
    "nest_small_jx.goog_in1k": _cfg(hf_hub_id="timm/"),
    "nest_tiny.untrained": _cfg(),
    "nest_tiny_jx.goog_in1k": _cfg(hf_hub_id="timm/"),
}

default_cfgs = generate_default_cfgs(NEST_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_nest(variant: str, pretrained: bool = False, **kwargs: Any) -> Nest:
    return build_model_with_cfg(
        Nest, variant, pretrained, feature_cfg=dict(out_indices=(0, 1, 2), flatten_sequential=True), **kwargs)


register_variants(NESTS, _create_nest, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "jx_nest_base": "nest_base_jx",
    "jx_nest_small": "nest_small_jx",
    "jx_nest_tiny": "nest_tiny_jx",
})
