"""``forward_intermediates`` / ``prune_intermediate_layers`` for networks that are a plain sequence of
named modules with feature maps taken after some of them (DenseNet, VGG, Inception, Xception, DPN).

A family lists its modules in forward order and names the ones whose outputs are feature points
(the ``module`` entries of its ``feature_info``, last path component); these helpers do the rest.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from ._features import feature_take_indices
from ._manipulate import checkpoint

__all__ = ["run_feature_points", "prune_after"]


def run_feature_points(
    modules: Sequence[Tuple[str, nn.Module]],
    points: Sequence[str],
    x: torch.Tensor,
    indices: Optional[Union[int, List[int]]] = None,
    stop_early: bool = False,
    intermediates_only: bool = False,
    grad_checkpointing: bool = False,
) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
    """Run ``modules`` in order, keeping the outputs of the feature points ``indices`` asks for.

    ``stop_early`` (or ``intermediates_only``) stops after the last feature point asked for; the
    returned final map is then that point's output, as in the reference.
    """
    take_indices, max_index = feature_take_indices(len(points), indices)
    point_index = {name: i for i, name in enumerate(points)}
    intermediates = []
    for name, module in modules:
        if grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint(module, x, use_reentrant=False)
        else:
            x = module(x)
        idx = point_index.get(name)
        if idx is None:
            continue
        if idx in take_indices:
            intermediates.append(x)
        if (stop_early or intermediates_only) and idx >= max_index:
            break
    if intermediates_only:
        return intermediates
    return x, intermediates


def prune_after(container: nn.Module, points: Sequence[str], indices: Union[int, List[int]]) -> List[int]:
    """Delete the children of ``container`` after the last feature point ``indices`` asks for."""
    take_indices, max_index = feature_take_indices(len(points), indices)
    names = [name for name, _ in container.named_children()]
    last = names.index(points[max_index])
    for name in names[last + 1:]:
        delattr(container, name)
    return take_indices
