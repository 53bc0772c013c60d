"""Differential attention: each head is the difference of two softmax maps, which cancels attention noise.

Ye et al., "Differential Transformer", 2024 (arXiv:2410.05258). The learned scale of the second map is
``lambda = exp(q1 . k1) - exp(q2 . k2) + lambda_init`` (four head_dim vectors), or with ``dual_lambda``
the cheaper ``exp(a) - exp(b) + lambda_init`` (two scalars); ``lambda_init`` follows the paper's depth
schedule.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, Optional

import torch
from torch import nn

from .attention import scaled_dot_product, use_fused_attn
from .norm import RmsNorm

__all__ = ["DiffAttention", "DiffLambda", "differential_attention", "lambda_init_for_depth"]


def lambda_init_for_depth(depth: int) -> float:
    """The paper's initial lambda for block ``depth``: 0.8 - 0.6 exp(-0.3 depth)."""
    return 0.8 - 0.6 * math.exp(-0.3 * depth)


def differential_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, lam: torch.Tensor, *, fused: bool, scale: float,
    dropout_p: float, attn_mask: Optional[torch.Tensor], attn_drop: Optional[nn.Module], is_causal: bool = False,
) -> torch.Tensor:
    """softmax(q1 k1^T) v - lambda softmax(q2 k2^T) v, with q / k as ``(B, 2H, N, D)`` where heads 2h and
    2h+1 form pair h, and v as ``(B, H, N, 2D)``."""
    batch, two_heads, tokens, head_dim = q.shape
    q = q.view(batch, two_heads // 2, 2, tokens, head_dim)
    k = k.view(batch, two_heads // 2, 2, -1, head_dim)
    kw = dict(fused=fused, scale=scale, dropout_p=dropout_p, attn_mask=attn_mask, attn_drop=attn_drop,
              is_causal=is_causal)
    out1 = scaled_dot_product(q[:, :, 0], k[:, :, 0], v, **kw)
    out2 = scaled_dot_product(q[:, :, 1], k[:, :, 1], v, **kw)
    return out1 - lam * out2


class DiffLambda(nn.Module):
    """Mixin holding the learned lambda of differential attention (shared by the attention layer and
    ViT's fused parallel block, so both keep the same parameter names)."""

    def _init_lambda(self, head_dim: int, depth: int, dd: Dict[str, Any], dual_lambda: bool = False) -> None:
        self.lambda_init = lambda_init_for_depth(depth)
        self.dual_lambda = dual_lambda
        if dual_lambda:
            self.lambda_a = nn.Parameter(torch.zeros((), **dd))
            self.lambda_b = nn.Parameter(torch.zeros((), **dd))
        else:
            self.lambda_q1 = nn.Parameter(torch.zeros(head_dim, **dd))
            self.lambda_k1 = nn.Parameter(torch.zeros(head_dim, **dd))
            self.lambda_q2 = nn.Parameter(torch.zeros(head_dim, **dd))
            self.lambda_k2 = nn.Parameter(torch.zeros(head_dim, **dd))
        self.reset_parameters()

    def set_lambda_init(self, depth: int) -> None:
        """Move the block to ``depth`` of the lambda_init schedule (the learned lambdas are kept)."""
        self.lambda_init = lambda_init_for_depth(depth)

    def reset_parameters(self) -> None:
        """Re-draw the lambda parameters (normal, std 0.1)."""
        names = ("lambda_a", "lambda_b") if self.dual_lambda else ("lambda_q1", "lambda_k1", "lambda_q2", "lambda_k2")
        for name in names:
            nn.init.normal_(getattr(self, name), std=0.1)

    def _lambda(self) -> torch.Tensor:
        if getattr(self, "dual_lambda", False):
            lam1, lam2 = torch.exp(self.lambda_a.float()), torch.exp(self.lambda_b.float())
            dtype = self.lambda_a.dtype
        else:
            lam1 = torch.exp(torch.sum(self.lambda_q1 * self.lambda_k1).float())
            lam2 = torch.exp(torch.sum(self.lambda_q2 * self.lambda_k2).float())
            dtype = self.lambda_q1.dtype
        return (lam1 - lam2 + self.lambda_init).to(dtype)


class DiffAttention(DiffLambda):
    """Differential multi-head self-attention over ``(B, N, dim)`` tokens; ``2 * num_heads`` query/key heads
    of ``dim / num_heads / 2`` channels pair up, and each pair's output passes a per-head RMS norm
    scaled by ``1 - lambda_init``. ``norm_layer`` (default RmsNorm) serves ``qk_norm`` and ``scale_norm``."""

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_norm: bool = False,
        proj_bias: bool = True,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        depth: int = 0,
        dual_lambda: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if dim % (2 * num_heads):
            raise ValueError(f"DiffAttention needs dim ({dim}) divisible by 2 * num_heads ({2 * num_heads})")
        dd = dict(device=device, dtype=dtype)
        norm_layer = norm_layer or RmsNorm
        self.num_heads = num_heads
        self.head_dim = dim // num_heads // 2
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias, **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.norm = norm_layer(dim, **dd) if scale_norm else nn.Identity()
        self.proj = nn.Linear(dim, dim, bias=proj_bias, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        self.sub_norm = RmsNorm(2 * self.head_dim, eps=1e-5, **dd)  # the reference's eps (1e-5, not 1e-6)
        self._init_lambda(self.head_dim, depth, dd, dual_lambda)

    def forward(
        self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False,
    ) -> torch.Tensor:
        batch, tokens, dim = x.shape
        q, k, v = self.qkv(x).split(dim, dim=-1)
        q = self.q_norm(q.view(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        k = self.k_norm(k.view(batch, tokens, 2 * self.num_heads, self.head_dim).transpose(1, 2))
        v = v.view(batch, tokens, self.num_heads, 2 * self.head_dim).transpose(1, 2)
        out = differential_attention(q, k, v, self._lambda(), fused=self.fused_attn, scale=self.scale,
                                     dropout_p=self.attn_drop.p if self.training else 0.0, attn_mask=attn_mask,
                                     attn_drop=self.attn_drop, is_causal=is_causal)
        out = self.sub_norm(out) * (1 - self.lambda_init)
        out = self.norm(out.transpose(1, 2).reshape(batch, tokens, dim))
        return self.proj_drop(self.proj(out))
