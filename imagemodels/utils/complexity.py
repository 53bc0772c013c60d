"""How big a model is: parameters and multiply-accumulates (MACs) of one forward pass.

MACs come from ``torch.utils.flop_counter.FlopCounterMode``, which counts the FLOPs of
convolutions, linear layers, matrix products and attention (one multiply-accumulate = 2 FLOPs), so
``MACs = FLOPs / 2``. Normalization, activations, pooling and element-wise additions are not counted;
this is the usual convention behind published "GMACs" columns (and it makes ResNet-18 at 224 px come
out at 1.81 GMACs, as usually quoted).
"""
from __future__ import annotations

from typing import Callable, Sequence, Tuple

import torch
from torch import nn

__all__ = ["count_params", "count_macs", "measure_model"]


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module, input_size: Sequence[int], batch_size: int = 1) -> int:
    """MACs of ``model(x)`` for ``x`` of shape ``(batch_size, *input_size)``, on the model's device.

    A model on the ``meta`` device is counted without allocating or computing anything.
    """
    from torch.utils.flop_counter import FlopCounterMode

    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    x = torch.zeros((batch_size, *input_size), device=device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(x)
    finally:
        model.train(was_training)
    return counter.get_total_flops() // 2


def measure_model(build: Callable[[], nn.Module], input_size: Sequence[int]) -> Tuple[nn.Module, int, int]:
    """Build a model with ``build()`` and return ``(model, params, macs)``.

    It first tries the ``meta`` device, which skips weight initialisation and arithmetic (seconds
    saved on large models); a model whose construction or forward needs real values (``.item()``,
    data-dependent shapes) is rebuilt on the CPU.
    """
    try:
        with torch.device("meta"):
            model = build()
        return model, count_params(model), count_macs(model, input_size)
    except Exception:  # any failure on meta just means "count it for real"
        model = build()
        return model, count_params(model), count_macs(model, input_size)
