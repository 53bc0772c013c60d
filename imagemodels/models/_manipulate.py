"""Small model-manipulation helpers shared by families: gradient checkpointing over a sequence."""
from __future__ import annotations

from typing import Callable, Iterable, Union

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

__all__ = ["checkpoint_seq", "checkpoint"]


def checkpoint_seq(functions: Union[nn.Sequential, Iterable[Callable]], x: torch.Tensor, every: int = 1) -> torch.Tensor:
    """Run ``functions`` in order, recomputing activations in the backward pass instead of storing them.

    ``every`` groups that many consecutive modules into one checkpointed segment.
    """
    functions = list(functions.children()) if isinstance(functions, nn.Module) else list(functions)

    def run(start: int, end: int) -> Callable[[torch.Tensor], torch.Tensor]:
        def forward(t: torch.Tensor) -> torch.Tensor:
            for fn in functions[start:end]:
                t = fn(t)
            return t
        return forward

    for start in range(0, len(functions), every):
        x = checkpoint(run(start, start + every), x, use_reentrant=False)
    return x
