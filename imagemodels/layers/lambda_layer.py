"""The lambda layer: attention-free global context summarised into small linear maps ("lambdas").

Bello, "LambdaNetworks: Modeling Long-Range Interactions Without Attention", 2021 (arXiv:2102.08602).

Keys are softmax-normalised over positions and contracted with the values into one content lambda
``(K, V)`` per image, shared by every query; a position lambda per query adds where things are.
Position lambdas come either from a local ``r`` x ``r`` conv over the values (the lambda
convolution: any input size) or, with ``r=None``, from learned embeddings of every relative offset
on a fixed ``feat_size`` grid (global, so the size is fixed). Queries are split into heads that share
the lambdas (multi-query), so the cost does not grow with the head count.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import factory_kwargs, make_divisible, to_2tuple
from .weight_init import trunc_normal_

__all__ = ["LambdaLayer", "rel_pos_indices"]


def rel_pos_indices(size: Union[int, Tuple[int, int]], device: Any = None) -> torch.Tensor:
    """``(2, M, M)`` indices (M = H * W) into a ``(2H - 1, 2W - 1)`` table: for query ``i`` and key ``j``
    the key's row and column offset from the query, shifted to be >= 0."""
    size = to_2tuple(size)
    rows, cols = torch.meshgrid(torch.arange(size[0], device=device), torch.arange(size[1], device=device),
                                indexing="ij")
    pos = torch.stack([rows.flatten(), cols.flatten()])  # (2, M)
    rel = pos[:, None, :] - pos[:, :, None]  # [d, i, j] = pos[d, j] - pos[d, i]
    rel[0] += size[0] - 1
    rel[1] += size[1] - 1
    return rel


class LambdaLayer(nn.Module):
    """Multi-query lambda layer: ``num_heads`` query heads of ``dim_head`` (the lambdas' K) channels,
    values of ``dim_out // num_heads`` channels, output ``dim_out`` channels; ``stride=2`` average-pools.

    ``r``: the local position-lambda conv size; ``r=None`` learns relative embeddings over ``feat_size``.
    """

    def __init__(
        self, dim: int, dim_out: Optional[int] = None, feat_size: Optional[Union[int, Tuple[int, int]]] = None,
        stride: int = 1, num_heads: int = 4, dim_head: Optional[int] = 16, r: Optional[int] = 9,
        qk_ratio: float = 1.0, qkv_bias: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if stride not in (1, 2):
            raise ValueError(f"LambdaLayer stride must be 1 or 2, got {stride}")
        dim_out = dim_out or dim
        if dim_out % num_heads:
            raise ValueError(f"dim_out {dim_out} must be divisible by num_heads {num_heads}")
        self.dim_qk = dim_head or make_divisible(dim_out * qk_ratio, divisor=8) // num_heads
        self.num_heads = num_heads
        self.dim_v = dim_out // num_heads

        self.qkv = nn.Conv2d(dim, num_heads * self.dim_qk + self.dim_qk + self.dim_v, 1, bias=qkv_bias, **dd)
        self.norm_q = nn.BatchNorm2d(num_heads * self.dim_qk, **dd)
        self.norm_v = nn.BatchNorm2d(self.dim_v, **dd)

        if r is not None:
            if r < 1 or r % 2 == 0:
                raise ValueError(f"LambdaLayer r (the position-lambda conv size) must be odd and >= 1, got {r}")
            # a 3D conv with a (r, r, 1) kernel slides over (H, W) for every value channel at once
            self.conv_lambda = nn.Conv3d(1, self.dim_qk, (r, r, 1), padding=(r // 2, r // 2, 0), **dd)
            self.pos_emb = None
            self.feat_size = None
            self.rel_pos_indices = None
        else:
            if feat_size is None:
                raise ValueError("LambdaLayer with r=None (learned relative position embeddings) needs feat_size, "
                                 "the input map's (H, W); build the model with img_size=... or use r=9")
            self.feat_size = to_2tuple(feat_size)
            rel_size = (2 * self.feat_size[0] - 1, 2 * self.feat_size[1] - 1)
            self.conv_lambda = None
            self.pos_emb = nn.Parameter(torch.zeros(rel_size[0], rel_size[1], self.dim_qk, **dd))
            self.register_buffer("rel_pos_indices", rel_pos_indices(self.feat_size, device=device), persistent=False)
        self.pool = nn.AvgPool2d(2, 2) if stride == 2 else nn.Identity()
        self.reset_parameters()

    def reset_parameters(self) -> None:
        trunc_normal_(self.qkv.weight, std=self.qkv.weight.shape[1] ** -0.5)
        if self.conv_lambda is not None:
            trunc_normal_(self.conv_lambda.weight, std=self.dim_qk ** -0.5)
        if self.pos_emb is not None:
            trunc_normal_(self.pos_emb, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        if self.feat_size is not None and (h, w) != self.feat_size:
            raise ValueError(f"LambdaLayer with learned position embeddings was built for "
                             f"{self.feat_size[0]}x{self.feat_size[1]} maps, got {h}x{w}; rebuild the model with "
                             f"the img_size you feed it")
        m = h * w
        q, k, v = torch.split(self.qkv(x), [self.num_heads * self.dim_qk, self.dim_qk, self.dim_v], dim=1)
        q = self.norm_q(q).reshape(b, self.num_heads, self.dim_qk, m).transpose(-1, -2)  # (B, heads, M, K)
        v = self.norm_v(v).reshape(b, self.dim_v, m).transpose(-1, -2)  # (B, M, V)
        k = F.softmax(k.reshape(b, self.dim_qk, m), dim=-1)  # (B, K, M): normalised over positions

        content_lambda = k @ v  # (B, K, V)
        content_out = q @ content_lambda.unsqueeze(1)  # (B, heads, M, V)

        if self.pos_emb is None:
            position_lambda = self.conv_lambda(v.reshape(b, 1, h, w, self.dim_v))  # (B, K, H, W, V)
            position_lambda = position_lambda.reshape(b, self.dim_qk, m, self.dim_v).transpose(1, 2)  # (B, M, K, V)
        else:
            emb = self.pos_emb[self.rel_pos_indices[0], self.rel_pos_indices[1]]  # (M, M, K)
            position_lambda = torch.einsum("mnk,bnv->bmkv", emb, v)
        position_out = torch.einsum("bhmk,bmkv->bhmv", q, position_lambda)

        out = (content_out + position_out).transpose(-1, -2).reshape(b, self.num_heads * self.dim_v, h, w)
        return self.pool(out)
