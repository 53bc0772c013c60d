"""Opt-in: the Linear layers of transformer blocks run through oneDNN at CPU inference.

torch's ``F.linear`` on CPU calls MKL's sgemm. torch also ships oneDNN's matmul (the kernel its
inductor backend fuses into), and on some CPUs it is the faster one: on the 2-core AMD EPYC this
project is measured on, the ViT-B/16 MLP GEMMs run 8-15% faster and ViT-B/16 at batch 8 runs ~6%
faster end to end (benchmarks/README.md). The two kernels sum in different orders, so outputs differ
from the default path by float rounding (ViT-B/16: ~2e-6 on logits of magnitude 2). That is why it is
off by default: the default path is bit-identical to the reference.

Switch it on with ``set_onednn_linear(True)`` (also a context manager) or ``$IMAGEMODELS_ONEDNN_LINEAR=1``.
It applies where the inference path applies (no autograd, no hooks, not tracing: see
``can_overwrite``), to fp32 CPU tensors, in ``Mlp`` and ``Attention``.
"""
from __future__ import annotations

import os
from typing import Optional

import torch
from torch import nn

__all__ = ["set_onednn_linear", "use_onednn_linear", "onednn_available", "onednn_linear"]


def onednn_available() -> bool:
    """Whether this torch build has oneDNN's linear op."""
    return torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_linear_pointwise")


def _env_flag() -> bool:
    value = os.environ.get("IMAGEMODELS_ONEDNN_LINEAR", "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(f"$IMAGEMODELS_ONEDNN_LINEAR must be 0 or 1, got {value!r}")
    return value == "1"


_ENABLED = [_env_flag()]


def use_onednn_linear() -> bool:
    return _ENABLED[0]


class set_onednn_linear:
    """Turn the oneDNN linear path on or off now; as a context manager, restore the old value on exit."""

    def __init__(self, enable: bool = True) -> None:
        if enable and not onednn_available():
            raise RuntimeError("set_onednn_linear(True): this torch build has no oneDNN (torch.backends.mkldnn "
                               "is unavailable); leave it off, the default path needs nothing extra")
        self.prev = _ENABLED[0]
        _ENABLED[0] = bool(enable)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> bool:
        _ENABLED[0] = self.prev
        return False


def onednn_linear(fc: nn.Module, x: torch.Tensor) -> Optional[torch.Tensor]:
    """``fc(x)`` through oneDNN when the switch is on and it applies (an ``nn.Linear`` on fp32 CPU
    tensors, at least one row); None otherwise. The caller has already checked ``can_overwrite``."""
    if not _ENABLED[0] or not isinstance(fc, nn.Linear) or type(fc).forward is not nn.Linear.forward:
        return None
    if x.device.type != "cpu" or x.dtype != torch.float32 or fc.weight.dtype != torch.float32 or x.numel() == 0:
        return None
    rows = x.reshape(-1, x.shape[-1])
    out = torch.ops.mkldnn._linear_pointwise(rows, fc.weight, fc.bias, "none", [], "")
    return out.view(*x.shape[:-1], fc.out_features)
