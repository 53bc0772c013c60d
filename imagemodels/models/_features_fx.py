"""Feature extraction by graph rewriting: ``torch.fx`` through torchvision's ``feature_extraction``.

Tracing turns the model's forward into a graph, and any node of it (not only a module's output) can
become an output: ``get_graph_node_names`` lists them, ``create_feature_extractor`` cuts the graph at
the chosen ones. Modules and functions whose forward cannot be traced (data-dependent control flow,
shape arithmetic in Python) are registered here as "notrace": the tracer keeps them as single opaque
calls instead of tracing into them.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Type, Union

import torch
from torch import nn

from ._features import FeatureInfo, normalize_out_indices

__all__ = [
    "register_notrace_module", "register_notrace_function", "is_notrace_module", "is_notrace_function",
    "get_notrace_modules", "get_notrace_functions", "create_feature_extractor", "get_graph_node_names",
    "FeatureGraphNet", "GraphExtractNet",
]

_leaf_modules: Set[Type[nn.Module]] = set()
_autowrap_functions: Set[Union[str, Callable]] = set()


def register_notrace_module(module: Type[nn.Module]) -> Type[nn.Module]:
    """Keep ``module`` (a class) as one call in traced graphs; usable as a class decorator."""
    _leaf_modules.add(module)
    return module


def is_notrace_module(module: Type[nn.Module]) -> bool:
    return module in _leaf_modules


def get_notrace_modules() -> List[Type[nn.Module]]:
    return list(_leaf_modules)


def register_notrace_function(name_or_fn: Union[str, Callable]) -> Union[str, Callable]:
    """Keep a function as one call in traced graphs; usable as a decorator."""
    _autowrap_functions.add(name_or_fn)
    return name_or_fn


def is_notrace_function(func: Callable) -> bool:
    return func in _autowrap_functions


def get_notrace_functions() -> List[Union[str, Callable]]:
    return list(_autowrap_functions)


def _builtin_leaf_modules() -> List[Type[nn.Module]]:
    """Our layers whose forward checks shapes in Python (fine eagerly, untraceable): kept whole.

    The tracer treats a module as a leaf by ``isinstance``, so subclasses are covered too.
    """
    from ..layers.norm_act import BatchNormAct2d
    from ..layers.patch_embed import PatchEmbed

    return [BatchNormAct2d, PatchEmbed]


def _builtin_autowrap_functions() -> List[Callable]:
    """Our functions that branch on tensor shapes: recorded as single calls."""
    from ..layers.pos_embed import add_abs_pos_embed

    return [add_abs_pos_embed]


def _tracer_kwargs() -> Dict[str, Any]:
    leaves = get_notrace_modules() + [m for m in _builtin_leaf_modules() if m not in _leaf_modules]
    functions = get_notrace_functions() + [f for f in _builtin_autowrap_functions() if f not in _autowrap_functions]
    return {"leaf_modules": leaves, "autowrap_functions": functions}


def _none_defaults(model: nn.Module) -> Optional[Dict[str, Any]]:
    """The root forward's optional arguments that default to None (``attn_mask=None``, ...), fixed to None.

    Traced as placeholders they would be proxies, and ``if attn_mask is not None`` would take the
    wrong branch; a feature extractor is only ever called with the image, so None is what they are.
    """
    import inspect

    try:
        params = inspect.signature(model.forward).parameters
    except (TypeError, ValueError):
        return None
    fixed = {name: None for name, p in params.items()
             if p.default is None and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return fixed or None


def get_graph_node_names(model: nn.Module) -> Tuple[List[str], List[str]]:
    """The node names of the traced model in train and in eval mode (they can differ, e.g. dropout)."""
    from torchvision.models.feature_extraction import get_graph_node_names as _names

    return _names(model, tracer_kwargs=_tracer_kwargs(), concrete_args=_none_defaults(model))


def create_feature_extractor(model: nn.Module, return_nodes: Union[Dict[str, str], List[str]]) -> nn.Module:
    """A ``GraphModule`` returning ``{name: tensor}`` for ``return_nodes`` (node names, or node -> output name)."""
    from torchvision.models.feature_extraction import create_feature_extractor as _create

    return _create(model, return_nodes, tracer_kwargs=_tracer_kwargs(), concrete_args=_none_defaults(model))


class FeatureGraphNet(nn.Module):
    """``features_only`` by graph rewriting: the maps at the model's ``feature_info`` points.

    Works for models whose feature points are not children that run in order (the case
    :class:`FeatureListNet` needs) as long as the forward traces. Weights live under ``graph_module.*``.
    """

    def __init__(
        self,
        model: nn.Module,
        out_indices: Tuple[int, ...],
        out_map: Optional[Dict] = None,
        output_fmt: str = "NCHW",
        return_dict: bool = False,
    ):
        super().__init__()
        if not hasattr(model, "feature_info"):
            raise ValueError(f"{type(model).__name__} has no feature_info; use GraphExtractNet with node names instead")
        indices = normalize_out_indices(out_indices, len(model.feature_info))
        if out_map is not None and len(out_map) != len(indices):
            raise ValueError(f"out_map has {len(out_map)} names for {len(indices)} out_indices")
        self.feature_info = FeatureInfo(model.feature_info, indices)
        self.output_fmt = output_fmt
        self.return_dict = return_dict
        return_nodes = {
            name: str(out_map[i] if out_map is not None else index)
            for i, (name, index) in enumerate(zip(self.feature_info.module_name(), self.feature_info.out_indices))
        }
        self.graph_module = create_feature_extractor(model, return_nodes)

    def forward(self, x: torch.Tensor) -> Union[List[torch.Tensor], Dict[str, torch.Tensor]]:
        out = self.graph_module(x)
        return out if self.return_dict else list(out.values())


class GraphExtractNet(nn.Module):
    """Any traced nodes of a model as outputs (see :func:`get_graph_node_names` for their names).

    Returns a list in ``return_nodes`` order, a dict with ``return_dict``, and with ``squeeze_out`` a
    single tensor when there is one node.
    """

    def __init__(
        self,
        model: nn.Module,
        return_nodes: Union[Dict[str, str], List[str]],
        squeeze_out: bool = True,
        return_dict: bool = False,
    ):
        super().__init__()
        self.squeeze_out = squeeze_out
        self.return_dict = return_dict
        self.graph_module = create_feature_extractor(model, return_nodes)

    def forward(self, x: torch.Tensor) -> Union[torch.Tensor, List[torch.Tensor], Dict[str, torch.Tensor]]:
        out = self.graph_module(x)
        if self.return_dict:
            return out
        values = list(out.values())
        return values[0] if self.squeeze_out and len(values) == 1 else values
