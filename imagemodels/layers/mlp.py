"""Feed-forward blocks of transformers and MLP models: plain, gated (GLU / SwiGLU), conv 1x1."""
from __future__ import annotations

import functools
from typing import Callable, Optional, Tuple, Union

import torch
from torch import nn

from .activations import gelu_inplace
from .helpers import can_overwrite, to_2tuple
from .onednn_linear import onednn_linear

__all__ = ["Mlp", "GluMlp", "SwiGLU", "SwiGLUPacked", "GatedMlp", "ConvMlp"]

Pair = Union[bool, Tuple[bool, bool]]

# Mlp at inference on CPU: a hidden activation over ROW_BLOCK_MIN_BYTES is computed in row blocks of
# about ROW_BLOCK_BYTES (at least ROW_BLOCK_MIN_ROWS rows, where GEMM efficiency holds). Measured on a
# 2-core AVX2 machine: ConvNeXt-T's first-stage MLP at batch 8 takes 36 ms in blocks, 48 ms whole.
# The blocked result equals the whole one bit for bit (tests/test_inplace_inference.py).
ROW_BLOCK_MIN_BYTES = 16 << 20
ROW_BLOCK_BYTES = 2 << 20
ROW_BLOCK_MIN_ROWS = 1024


def _hidden_bytes(x: torch.Tensor, fc1: nn.Module) -> int:
    hidden = getattr(fc1, "out_features", 0)
    return x.numel() // max(x.shape[-1], 1) * hidden * x.element_size() if x.dim() else 0


def _linear(use_conv: bool) -> Callable[..., nn.Module]:
    return functools.partial(nn.Conv2d, kernel_size=1) if use_conv else nn.Linear


class Mlp(nn.Module):
    """fc1 -> act -> drop -> norm -> fc2 -> drop. ``use_conv`` swaps the linears for 1x1 convs (NCHW)."""

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.GELU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        bias: Pair = True,
        drop: Union[float, Tuple[float, float]] = 0.0,
        use_conv: bool = False,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        bias, drop = to_2tuple(bias), to_2tuple(drop)
        linear = _linear(use_conv)
        self.fc1 = linear(in_features, hidden_features, bias=bias[0], **dd)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop[0])
        self.norm = norm_layer(hidden_features, **dd) if norm_layer is not None else nn.Identity()
        self.fc2 = linear(hidden_features, out_features, bias=bias[1], **dd)
        self.drop2 = nn.Dropout(drop[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self._row_blocks_ok(x) and _hidden_bytes(x, self.fc1) > ROW_BLOCK_MIN_BYTES:
            return self._forward_row_blocks(x)
        infer = can_overwrite(x, self)
        h = onednn_linear(self.fc1, x) if infer else None  # opt-in (layers/onednn_linear.py)
        x = self.fc1(x) if h is None else h
        # at inference the activation overwrites fc1's (always fresh) output; GELU only, see can_overwrite
        fresh = type(self.fc1) in (nn.Linear, nn.Conv2d)
        y = gelu_inplace(self.act, x) if fresh and can_overwrite(x, self.fc1, self.act) else None
        x = self.norm(self.drop1(self.act(x) if y is None else y))
        h = onednn_linear(self.fc2, x) if infer else None
        return self.drop2(self.fc2(x) if h is None else h)

    def _row_blocks_ok(self, x: torch.Tensor) -> bool:
        # can_overwrite first: it is what steps aside while tracing, before any branch on x's shape
        return (can_overwrite(x, self) and x.device.type == "cpu" and type(self.fc1) is nn.Linear
                and type(self.fc2) is nn.Linear and type(self.norm) in (nn.Identity, nn.LayerNorm))

    def _forward_row_blocks(self, x: torch.Tensor) -> torch.Tensor:
        """Inference on CPU with a large hidden activation: the tokens go through in row blocks.

        Each row's output depends on that row alone, so the result is the same, bit for bit; but the
        hidden activation of a block stays in cache and in memory the allocator already holds, where
        the whole one (38 MB in ConvNeXt-T's first stage at batch 8) would be fresh pages every call.
        """
        rows = x.reshape(-1, x.shape[-1])
        out = rows.new_empty(rows.shape[0], self.fc2.out_features)
        step = max(ROW_BLOCK_MIN_ROWS, ROW_BLOCK_BYTES // (self.fc1.out_features * x.element_size()))
        # the last block takes the remainder too: a GEMM over a handful of rows may take another kernel
        # (one that sums in another order); from 64 rows up MKL's rows match the whole product's
        starts = list(range(0, max(rows.shape[0] - step, 0) + 1, step))
        ends = starts[1:] + [rows.shape[0]]
        weight, bias = self.fc2.weight, self.fc2.bias
        for start, end in zip(starts, ends):
            h = onednn_linear(self.fc1, rows[start:end])  # opt-in (layers/onednn_linear.py), else None
            h = self.fc1(rows[start:end]) if h is None else h
            y = gelu_inplace(self.act, h)
            h = self.norm(self.drop1(self.act(h) if y is None else y))
            block = onednn_linear(self.fc2, h)
            if block is not None:
                out[start:end] = block
            elif bias is None:  # the kernel F.linear runs on 2-d input, writing straight into the output
                torch.mm(h, weight.t(), out=out[start:end])
            else:
                torch.addmm(bias, h, weight.t(), out=out[start:end])
        return self.drop2(out.reshape(*x.shape[:-1], self.fc2.out_features))


class GluMlp(nn.Module):
    """Gated linear unit: fc1 makes ``hidden`` features, split in halves ``x * act(gate)``.

    ``gate_last`` says which half is the gate (the second, by default).
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.Sigmoid,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        bias: Pair = True,
        drop: Union[float, Tuple[float, float]] = 0.0,
        use_conv: bool = False,
        gate_last: bool = True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        if hidden_features % 2:
            raise ValueError(f"GluMlp needs an even hidden size to split into value and gate, got {hidden_features}")
        bias, drop = to_2tuple(bias), to_2tuple(drop)
        linear = _linear(use_conv)
        self.chunk_dim = 1 if use_conv else -1
        self.gate_last = gate_last
        self.fc1 = linear(in_features, hidden_features, bias=bias[0], **dd)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop[0])
        self.norm = norm_layer(hidden_features // 2, **dd) if norm_layer is not None else nn.Identity()
        self.fc2 = linear(hidden_features // 2, out_features, bias=bias[1], **dd)
        self.drop2 = nn.Dropout(drop[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = self.fc1(x).chunk(2, dim=self.chunk_dim)
        x = x1 * self.act(x2) if self.gate_last else self.act(x1) * x2
        return self.drop2(self.fc2(self.norm(self.drop1(x))))


class SwiGLU(nn.Module):
    """SwiGLU feed-forward with separate gate (``fc1_g``) and value (``fc1_x``) projections."""

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.SiLU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        bias: Pair = True,
        drop: Union[float, Tuple[float, float]] = 0.0,
        align_to: int = 0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        if align_to:
            hidden_features = -(-hidden_features // align_to) * align_to
        bias, drop = to_2tuple(bias), to_2tuple(drop)
        self.fc1_g = nn.Linear(in_features, hidden_features, bias=bias[0], **dd)
        self.fc1_x = nn.Linear(in_features, hidden_features, bias=bias[0], **dd)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop[0])
        self.norm = norm_layer(hidden_features, **dd) if norm_layer is not None else nn.Identity()
        self.fc2 = nn.Linear(hidden_features, out_features, bias=bias[1], **dd)
        self.drop2 = nn.Dropout(drop[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.drop1(self.act(self.fc1_g(x)) * self.fc1_x(x))
        return self.drop2(self.fc2(self.norm(x)))


class GatedMlp(nn.Module):
    """fc1 -> act -> drop -> gate -> norm -> fc2 -> drop, the gMLP block's feed-forward.

    ``gate_layer(hidden_features)`` must return a module that halves the channels
    (gMLP's spatial gating unit); without one this is a plain MLP.
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.GELU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        gate_layer: Optional[Callable[..., nn.Module]] = None,
        bias: Pair = True,
        drop: Union[float, Tuple[float, float]] = 0.0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        bias, drop = to_2tuple(bias), to_2tuple(drop)
        self.fc1 = nn.Linear(in_features, hidden_features, bias=bias[0], **dd)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop[0])
        if gate_layer is not None:
            if hidden_features % 2:
                raise ValueError(f"a gated MLP needs an even hidden size, got {hidden_features}")
            self.gate = gate_layer(hidden_features, **dd)
            hidden_features //= 2
        else:
            self.gate = nn.Identity()
        self.norm = norm_layer(hidden_features, **dd) if norm_layer is not None else nn.Identity()
        self.fc2 = nn.Linear(hidden_features, out_features, bias=bias[1], **dd)
        self.drop2 = nn.Dropout(drop[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.gate(self.drop1(self.act(self.fc1(x))))
        return self.drop2(self.fc2(self.norm(x)))


class ConvMlp(nn.Module):
    """1x1 conv MLP on NCHW tensors: fc1 -> norm -> act -> drop -> fc2."""

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        bias: Pair = True,
        drop: float = 0.0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        bias = to_2tuple(bias)
        self.fc1 = nn.Conv2d(in_features, hidden_features, kernel_size=1, bias=bias[0], **dd)
        self.norm = norm_layer(hidden_features, **dd) if norm_layer is not None else nn.Identity()
        self.act = act_layer()
        self.drop = nn.Dropout(drop)
        self.fc2 = nn.Conv2d(hidden_features, out_features, kernel_size=1, bias=bias[1], **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.drop(self.act(self.norm(self.fc1(x)))))


# SwiGLU with value and gate packed in one fc1 (gate first), as DINOv2's giant checkpoints store it
SwiGLUPacked = functools.partial(GluMlp, act_layer=nn.SiLU, gate_last=False)
