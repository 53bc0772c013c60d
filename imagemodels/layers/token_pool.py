"""Pooling a token sequence (B, N, C) to one vector per image, for transformers whose head reads tokens.

``pool_type``: 'token' takes the first (class) token; 'avg' / 'max' / 'avgmax' / 'catavgmax' pool the
tokens after the ``num_prefix_tokens`` class-like tokens; '' returns the tokens untouched.
"""
from __future__ import annotations

from typing import Optional

import torch

__all__ = ["TOKEN_POOLS", "pool_tokens", "token_pool_width", "check_token_pool"]

TOKEN_POOLS = ("", "token", "avg", "max", "avgmax", "catavgmax")


def check_token_pool(pool_type: str, has_class_token: bool = True, has_attn_pool: Optional[bool] = None) -> str:
    """Reject a pool type the head cannot read, with the list of ones it can.

    ``has_attn_pool``: ``None`` for a head without attention pooling ('map' is refused); ``True`` /
    ``False`` for one that has (or was built without) its attention pool, so 'map' is accepted only
    when the pool is there (a constructor passes ``True``: it builds the pool for 'map').
    """
    allowed = TOKEN_POOLS if has_attn_pool is None else TOKEN_POOLS + ("map",)
    if pool_type not in allowed:
        raise ValueError(f"global_pool must be one of {allowed}, got {pool_type!r}")
    if pool_type == "token" and not has_class_token:
        raise ValueError("global_pool='token' needs a class token (class_token=True); use 'avg'")
    if pool_type == "map" and not has_attn_pool:
        raise ValueError("global_pool='map' needs the attention pool the model was built with (global_pool='map')")
    return pool_type


def token_pool_width(dim: int, pool_type: str) -> int:
    """The width of the pooled vector: twice ``dim`` for 'catavgmax'."""
    return 2 * dim if pool_type == "catavgmax" else dim


def pool_tokens(x: torch.Tensor, pool_type: str, num_prefix_tokens: int = 1) -> torch.Tensor:
    if pool_type == "token":
        return x[:, 0]
    if pool_type == "":
        return x
    x = x[:, num_prefix_tokens:]
    if pool_type == "avg":
        return x.mean(dim=1)
    if pool_type == "max":
        return x.amax(dim=1)
    if pool_type == "avgmax":
        return 0.5 * (x.mean(dim=1) + x.amax(dim=1))
    if pool_type == "catavgmax":
        return torch.cat([x.mean(dim=1), x.amax(dim=1)], dim=-1)
    raise ValueError(f"global_pool must be one of {TOKEN_POOLS}, got {pool_type!r}")
