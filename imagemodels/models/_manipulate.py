"""Small model-manipulation helpers shared by families: gradient checkpointing over a sequence."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, List, Optional, Union

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from imagemodels.layers.config import use_reentrant_ckpt

__all__ = ["checkpoint_seq", "checkpoint"]


def _flatten(modules: Iterable[nn.Module]) -> Iterator[nn.Module]:
    for module in modules:
        if isinstance(module, nn.Sequential):
            yield from _flatten(module.children())
        else:
            yield module


def checkpoint_seq(
    functions: Union[nn.Sequential, Iterable[Callable]],
    x: torch.Tensor,
    every: int = 1,
    flatten: bool = False,
    skip_last: bool = False,
    use_reentrant: Optional[bool] = None,
) -> torch.Tensor:
    """Run ``functions`` in order, recomputing activations in the backward pass instead of storing them.

    ``every`` groups that many consecutive modules into one checkpointed segment; ``flatten`` opens
    nested ``nn.Sequential``s first; ``skip_last`` runs the last segment normally (its activations
    are needed right away by the backward pass anyway). ``use_reentrant=None`` follows
    ``layers.set_reentrant_ckpt`` (non-reentrant by default).
    """
    if use_reentrant is None:
        use_reentrant = use_reentrant_ckpt()
    if isinstance(functions, nn.Module):
        functions = functions.children()
    items: List[Callable] = list(_flatten(functions)) if flatten else list(functions)
    if every < 1:
        raise ValueError(f"every must be >= 1, got {every}")

    def run(start: int, end: int) -> Callable[[torch.Tensor], torch.Tensor]:
        def forward(t: torch.Tensor) -> torch.Tensor:
            for fn in items[start:end]:
                t = fn(t)
            return t
        return forward

    starts = list(range(0, len(items), every))
    for n, start in enumerate(starts):
        segment = run(start, start + every)
        if skip_last and n == len(starts) - 1:
            x = segment(x)
        else:
            x = checkpoint(segment, x, use_reentrant=bool(use_reentrant))
    return x
