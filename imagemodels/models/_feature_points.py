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


class FeatureIntermediatesNet(nn.Module):
    """``features_only`` for models whose feature points sit inside blocks: the maps come from the
    model's own ``forward_intermediates``, and the weights keep the names the reference's hook-based
    wrapper gives them.

    ``layout='body'``: the whole model (head removed) is the child ``body`` (keys ``body.<name>``).
    ``layout='flat'``: the model is pruned after the last point and its children are registered directly,
    a top-level ``nn.Sequential`` opened one level (keys ``blocks_0.<name>``), as ``flatten_sequential`` does.
    The model object itself is kept outside the module tree; it shares every child with this wrapper.
    """

    def __init__(self, model: nn.Module, out_indices: Sequence[int] = (0, 1, 2, 3, 4), layout: str = "body",
                 output_fmt: str = "NCHW"):
        super().__init__()
        from ._features import FeatureInfo

        if layout not in ("body", "flat"):
            raise ValueError(f"layout must be 'body' or 'flat', got {layout!r}")
        self.feature_info = FeatureInfo(model.feature_info, out_indices)
        self.out_indices = list(self.feature_info.out_indices)
        self.output_fmt = output_fmt
        if layout == "body":
            model.reset_classifier(0)
            self.body = model
        else:
            model.prune_intermediate_layers(self.out_indices, prune_head=True)
            for name, child in model.named_children():
                if isinstance(child, nn.Sequential):
                    for sub_name, sub in child.named_children():
                        self.add_module(f"{name}_{sub_name}", sub)
                elif any(True for _ in child.parameters()) or any(True for _ in child.buffers()):
                    self.add_module(name, child)
        self._model = [model]  # a list, so the model is not registered a second time as a child

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        return self._model[0].forward_intermediates(
            x, indices=self.out_indices, intermediates_only=True, output_fmt=self.output_fmt)
