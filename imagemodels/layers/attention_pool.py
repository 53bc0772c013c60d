"""Multi-head attention pooling with learned latent queries (the 'map' head of SigLIP / ViT).

Zhai et al., "Scaling Vision Transformers", 2021 (arXiv:2106.04560), MAP head.
"""
from __future__ import annotations

from typing import Callable, Optional, Type

import torch
import torch.nn.functional as F
from torch import nn

from .attention import scaled_dot_product, use_fused_attn
from .mlp import Mlp
from .weight_init import trunc_normal_

__all__ = ["AttentionPoolLatent", "AttentionPoolPrr"]

class AttentionPoolLatent(nn.Module):
    """``latent_len`` learned queries attend over the tokens, then a residual MLP; ``pool_type``
    'token' keeps the first query's output, 'avg' averages them, '' returns all."""

    def __init__(
        self,
        in_features: int,
        out_features: Optional[int] = None,
        embed_dim: Optional[int] = None,
        num_heads: int = 8,
        feat_size: Optional[int] = None,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        q_proj: bool = True,
        qk_norm: bool = False,
        latent_len: int = 1,
        latent_dim: Optional[int] = None,
        pos_embed: str = "",
        pool_type: str = "token",
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        act_layer: Optional[Callable[..., nn.Module]] = nn.GELU,
        drop: float = 0.0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        embed_dim = embed_dim or in_features
        out_features = out_features or in_features
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        if pos_embed not in ("", "none", "abs"):
            raise ValueError(f"pos_embed must be '', 'none' or 'abs', got {pos_embed!r}")
        if pos_embed == "abs" and feat_size is None:
            raise ValueError("pos_embed='abs' needs feat_size (the number of input tokens)")
        if qk_norm and norm_layer is None:
            norm_layer = nn.LayerNorm
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.feat_size = feat_size
        self.scale = self.head_dim ** -0.5
        self.pool = pool_type
        self.fused_attn = use_fused_attn()

        self.pos_embed = nn.Parameter(torch.zeros(feat_size, in_features, **dd)) if pos_embed == "abs" else None
        self.latent_dim = latent_dim or embed_dim
        self.latent_len = latent_len
        self.latent = nn.Parameter(torch.zeros(1, latent_len, embed_dim, **dd))
        self.q = nn.Linear(embed_dim, embed_dim, bias=qkv_bias, **dd) if q_proj else nn.Identity()
        self.kv = nn.Linear(embed_dim, embed_dim * 2, bias=qkv_bias, **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.proj = nn.Linear(embed_dim, out_features, **dd)
        self.proj_drop = nn.Dropout(drop)
        self.norm = norm_layer(out_features, **dd) if norm_layer is not None else nn.Identity()
        self.mlp = Mlp(out_features, int(out_features * mlp_ratio), act_layer=act_layer, **dd)
        self.init_weights()

    def init_weights(self) -> None:
        if self.pos_embed is not None:
            trunc_normal_(self.pos_embed, std=self.pos_embed.shape[1] ** -0.5)
        trunc_normal_(self.latent, std=self.latent_dim ** -0.5)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        batch, num_tokens, channels = x.shape
        if self.pos_embed is not None:
            x = x + self.pos_embed.unsqueeze(0).to(x.dtype)
        q = self.q(self.latent.expand(batch, -1, -1))
        q = q.reshape(batch, self.latent_len, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = self.kv(x).reshape(batch, num_tokens, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        q, k = self.q_norm(q), self.k_norm(k)
        x = scaled_dot_product(q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=0.0, attn_mask=attn_mask)
        x = x.transpose(1, 2).reshape(batch, self.latent_len, -1)
        x = self.proj_drop(self.proj(x))
        x = x + self.mlp(self.norm(x))
        if self.pool == "token":
            return x[:, 0]
        if self.pool == "avg":
            return x.mean(1)
        return x



class AttentionPoolPrr(nn.Module):
    """Patch Representation Refinement pool (Locality-Attending ViT): one parameter-free multi-head
    self-attention over the ``(B, N, C)`` tokens (q = k = v = the tokens split into heads), then the
    first token ('token') or the mean ('avg'). ``pre_norm`` / ``post_norm`` add a ``norm_layer``
    (default LayerNorm) before / after the attention."""

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        pool_type: str = "token",
        pre_norm: bool = False,
        post_norm: bool = False,
        norm_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if pool_type not in ("token", "avg"):
            raise ValueError(f"pool_type must be 'token' or 'avg', got {pool_type!r}")
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        norm_layer = norm_layer or nn.LayerNorm
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.pool_type = pool_type
        self.pre_norm = norm_layer(dim, **dd) if pre_norm else nn.Identity()
        self.post_norm = norm_layer(dim, **dd) if post_norm else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        x = self.pre_norm(x)
        heads = x.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        x = F.scaled_dot_product_attention(heads, heads, heads, scale=self.scale)
        x = self.post_norm(x.transpose(1, 2).reshape(b, n, c))
        return x[:, 0] if self.pool_type == "token" else x.mean(dim=1)
