"""Learned global pooling alternatives to average pooling: SimPool (attention from the mean) and LSE+.

* SimPool: Psomas et al., "Keep It SimPool: Who Said Supervised Transformers Suffer from Attention
  Deficit?", ICCV 2023 (arXiv:2309.06891). The mean token (GAP) queries the normalised tokens; the
  attention map weights the (optionally power-normalised) normalised tokens.
* LSE+: log-sum-exp pooling ``(1/r) log(mean(exp(r x)))`` with a learnable sharpness ``r``; small r
  approaches average pooling, large r max pooling.
"""
from __future__ import annotations

from typing import Optional, Type

import torch
from torch import nn

from .helpers import factory_kwargs

__all__ = ["SimPool1d", "SimPool2d", "LsePlus1d", "LsePlus2d"]


class SimPool1d(nn.Module):
    """SimPool over ``(B, N, C)`` tokens, giving ``(B, C)``.

    ``norm_layer`` (default LayerNorm) normalises the tokens for keys and values and, with ``qk_norm``, each head's
    q and k. ``gamma`` applies the paper's power normalisation to the values: ``(A (x - min)^g)^(1/g)``.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int = 1,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        gamma: Optional[float] = None,
        norm_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"SimPool needs dim ({dim}) divisible by num_heads ({num_heads})")
        dd = factory_kwargs(device, dtype)
        norm_layer = norm_layer or nn.LayerNorm
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.gamma = gamma
        self.norm = norm_layer(dim, **dd)
        self.q = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.k = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()

    def _pool_tokens(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        q = self.q(x.mean(dim=1, keepdim=True))  # the query is the plain average (GAP) token
        x_norm = self.norm(x)
        q = q.reshape(b, 1, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k(x_norm).reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        q, k = self.q_norm(q), self.k_norm(k)
        v = x_norm.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)  # (B, heads, 1, N)
        if self.gamma is None:
            out = attn @ v
        else:
            # power mean: shift to non-negative values so the power is defined
            v_min = v.amin(dim=-2, keepdim=True)
            out = (attn @ (v - v_min).pow(self.gamma)).pow(1.0 / self.gamma)
        return out.transpose(1, 2).reshape(b, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._pool_tokens(x)


class SimPool2d(SimPool1d):
    """SimPool over a ``(B, C, H, W)`` map, giving ``(B, C)``; same options as :class:`SimPool1d`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._pool_tokens(x.flatten(2).transpose(1, 2))


class _LsePlus(nn.Module):
    """Holds ``r`` (a parameter, or a buffer when not learnable; in the state dict either way)."""

    def __init__(self, r: float = 10.0, r_learnable: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        value = torch.tensor(r, **factory_kwargs(device, dtype or torch.float32))
        if r_learnable:
            self.r = nn.Parameter(value)
        else:
            self.register_buffer("r", value)

    def _lse(self, x: torch.Tensor, dim) -> torch.Tensor:
        """``(1/r) log(mean(exp(r (x - max)))) + max`` over ``dim`` (kept); the max shift avoids overflow."""
        x_max = x.amax(dim=dim, keepdim=True)
        return torch.log(torch.exp(self.r * (x - x_max)).mean(dim=dim, keepdim=True)) / self.r + x_max


class LsePlus1d(_LsePlus):
    """LSE+ pooling of ``(B, N, C)`` tokens to ``(B, C)``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._lse(x, 1).squeeze(1)


class LsePlus2d(_LsePlus):
    """LSE+ pooling of a ``(B, C, H, W)`` map to ``(B, C)``, or ``(B, C, 1, 1)`` without ``flatten``."""

    def __init__(self, r: float = 10.0, r_learnable: bool = True, flatten: bool = True, device=None, dtype=None):
        super().__init__(r, r_learnable, device=device, dtype=dtype)
        self.flatten = flatten

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self._lse(x, (2, 3))
        return out.flatten(1) if self.flatten else out
