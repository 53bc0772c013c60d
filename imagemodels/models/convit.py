"""ConViT: vision transformers with gated positional self-attention. Checkpoint-compatible with timm's
``convit`` module.

Paper: d'Ascoli et al., "ConViT: Improving Vision Transformers with Soft Convolutional Inductive Biases",
2021 (arXiv:2103.10697).

The first ``local_up_to_layer`` blocks use gated positional self-attention (GPSA): each head mixes
ordinary content attention with a purely positional attention over the relative offsets (dx, dy,
dx^2 + dy^2) of the patches, through a learned gate. Initialised so that every head attends to one
neighbouring patch (a "soft convolution"), the gate lets training decide how far to leave that. The
class token joins only before the first ordinary self-attention block.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    Attention, DropPath, LayerNorm, Mlp, PatchEmbed, check_token_pool, pool_tokens, token_pool_width, trunc_normal_,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["ConVit", "GPSA"]

LayerFn = Callable[..., nn.Module]


def relative_indices(grid: int, device: Any = None) -> torch.Tensor:
    """(1, N, N, 3) relative offsets between the N = grid^2 patches: (dx, dy, dx^2 + dy^2)."""
    offsets = torch.arange(grid, device=device).view(1, -1) - torch.arange(grid, device=device).view(-1, 1)
    dx = offsets.repeat(grid, grid)
    dy = offsets.repeat_interleave(grid, dim=0).repeat_interleave(grid, dim=1)
    return torch.stack([dx, dy, dx ** 2 + dy ** 2], dim=-1).unsqueeze(0).float()


class GPSA(nn.Module):
    """Gated positional self-attention over patch tokens (no class token), shape (B, N, C) with N a square."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0, locality_strength: float = 1.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.dim = dim
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.locality_strength = locality_strength
        self.qk = nn.Linear(dim, dim * 2, bias=qkv_bias, **dd)
        self.v = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.pos_proj = nn.Linear(3, num_heads, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        self.gating_param = nn.Parameter(torch.ones(num_heads, **dd))
        self.rel_indices: Optional[torch.Tensor] = None  # built for the token grid on first use

    def local_init(self) -> None:
        """Start as a soft convolution: v is the identity, head h attends to the h-th offset of a
        sqrt(heads) x sqrt(heads) neighbourhood (sharper with larger ``locality_strength``)."""
        with torch.no_grad():
            self.v.weight.copy_(torch.eye(self.dim))
            kernel = int(self.num_heads ** 0.5)
            center = (kernel - 1) / 2 if kernel % 2 == 0 else kernel // 2
            for h1 in range(kernel):
                for h2 in range(kernel):
                    head = h1 + kernel * h2
                    self.pos_proj.weight[head, 2] = -1
                    self.pos_proj.weight[head, 1] = 2 * (h1 - center)
                    self.pos_proj.weight[head, 0] = 2 * (h2 - center)
            self.pos_proj.weight.mul_(self.locality_strength)

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        batch, num_tokens, _ = x.shape
        grid = int(num_tokens ** 0.5)
        if self.rel_indices is None or self.rel_indices.shape[1] != num_tokens or self.rel_indices.device != x.device:
            self.rel_indices = relative_indices(grid, device=x.device)
        q, k = self.qk(x).reshape(batch, num_tokens, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        pos_score = self.pos_proj(self.rel_indices.to(x.dtype)).expand(batch, -1, -1, -1).permute(0, 3, 1, 2)
        patch_score = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        gate = torch.sigmoid(self.gating_param.view(1, -1, 1, 1))
        attn = (1.0 - gate) * patch_score + gate * pos_score.softmax(dim=-1)
        return attn / attn.sum(dim=-1, keepdim=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, num_tokens, dim = x.shape
        attn = self.attn_drop(self.attention(x))
        v = self.v(x).reshape(batch, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        out = (attn @ v).transpose(1, 2).reshape(batch, num_tokens, dim)
        return self.proj_drop(self.proj(out))


class Block(nn.Module):
    """Pre-norm transformer block with GPSA (``use_gpsa``) or plain multi-head self-attention."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = LayerNorm, use_gpsa: bool = True,
                 locality_strength: float = 1.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.use_gpsa = use_gpsa
        self.norm1 = norm_layer(dim, **dd)
        if use_gpsa:
            self.attn = GPSA(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop,
                             locality_strength=locality_strength, **dd)
        else:
            self.attn = Attention(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                  proj_drop=proj_drop, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = Mlp(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class ConVit(nn.Module):
    """Patch embedding + position embedding -> ``local_up_to_layer`` GPSA blocks over the patches ->
    class token joins -> plain self-attention blocks -> norm -> pool -> head.

    The token grid is fixed at construction (``img_size`` / ``patch_size``).
    """

    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "token",
        embed_dim: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        hybrid_backbone: Optional[Any] = None,
        norm_layer: LayerFn = LayerNorm,
        local_up_to_layer: int = 3,
        locality_strength: float = 1.0,
        use_pos_embed: bool = True,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if hybrid_backbone is not None:
            raise ValueError("hybrid_backbone is not supported; ConViT embeds patches with a conv")
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        if norm_layer is LayerNorm:
            norm_layer = partial(LayerNorm, eps=1e-6)
        self.num_classes = num_classes
        self.global_pool = check_token_pool(global_pool)
        self.local_up_to_layer = local_up_to_layer
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_prefix_tokens = 1
        self.use_pos_embed = use_pos_embed
        self.grad_checkpointing = False

        self.patch_embed = PatchEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans,
                                      embed_dim=embed_dim, **dd)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd))
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        if use_pos_embed:
            self.pos_embed = nn.Parameter(torch.zeros(1, self.patch_embed.num_patches, embed_dim, **dd))
            trunc_normal_(self.pos_embed, std=0.02)
        else:
            self.pos_embed = None

        rates = [drop_path_rate * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        self.blocks = nn.ModuleList([
            Block(embed_dim, num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate,
                  attn_drop=attn_drop_rate, drop_path=rates[i], norm_layer=norm_layer,
                  use_gpsa=i < local_up_to_layer, locality_strength=locality_strength, **dd)
            for i in range(depth)])
        reduction = self.patch_embed.feat_ratio()
        self.feature_info = [dict(num_chs=embed_dim, reduction=reduction, module=f"blocks.{i}") for i in range(depth)]
        self.norm = norm_layer(embed_dim, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)

        trunc_normal_(self.cls_token, std=0.02)
        self.apply(self._init_weights)
        for block in self.blocks:
            if block.use_gpsa:
                block.attn.local_init()

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
        return {"pos_embed", "cls_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|pos_embed|patch_embed", blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

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

    def _embed(self, x: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(x)
        if self.pos_embed is not None:
            x = x + self.pos_embed
        return self.pos_drop(x)

    def _run_blocks(self, x: torch.Tensor, take_indices=(), norm: bool = False, stop: Optional[int] = None
                    ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """Blocks 0..stop (all by default); the class token is prepended before block ``local_up_to_layer``.
        Returns the tokens and, for ``take_indices``, each block's patch tokens (normed when ``norm``)."""
        intermediates = []
        blocks = self.blocks if stop is None else self.blocks[:stop + 1]
        for i, block in enumerate(blocks):
            if i == self.local_up_to_layer:
                x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
            if i in take_indices:
                y = self.norm(x) if norm else x
                intermediates.append(y[:, 1:] if i >= self.local_up_to_layer else y)
        if len(blocks) <= self.local_up_to_layer and stop is None:
            # no plain block ran: the class token still has to join (for the head)
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        return x, intermediates

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Block outputs at ``indices`` (class token removed) as NCHW maps, or NLC with ``output_fmt='NLC'``;
        ``norm`` applies the final norm to each. Returns ``(final features, maps)`` or only the maps."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x, intermediates = self._run_blocks(self._embed(x), take_indices, norm, max_index if stop_early else None)
        if output_fmt == "NCHW":
            grid_h, grid_w = self.patch_embed.dynamic_feat_size((height, width))
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous()
                             for y in intermediates]
        if intermediates_only:
            return intermediates
        return self.norm(x), intermediates

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
        x, _ = self._run_blocks(self._embed(x))
        return self.norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = pool_tokens(x, self.global_pool, self.num_prefix_tokens)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants -----------------------------------------------------------------------------------------
# 48 channels per head; ten GPSA blocks, then two plain ones.

_LOCAL = dict(local_up_to_layer=10, locality_strength=1.0)

CONVITS: Dict[str, Dict[str, Any]] = {
    "convit_tiny": dict(_LOCAL, num_heads=4, embed_dim=192),
    "convit_small": dict(_LOCAL, num_heads=9, embed_dim=432),
    "convit_base": dict(_LOCAL, num_heads=16, embed_dim=768),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.875,
        interpolation="bicubic", first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


CONVIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "convit_base.fb_in1k": _cfg(),
    "convit_small.fb_in1k": _cfg(),
    "convit_tiny.fb_in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(CONVIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_convit(variant: str, pretrained: bool = False, **kwargs: Any) -> ConVit:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(ConVit, variant, pretrained,
                                feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(CONVITS, _create_convit, globals())
