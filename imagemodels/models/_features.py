"""Multi-scale feature extraction: ``feature_info``, index selection and the ``features_only`` wrapper.

A model describes its feature points in ``model.feature_info``: a list of
``dict(num_chs=..., reduction=..., module='layer1')`` in forward order. ``features_only=True``
wraps the model in :class:`FeatureListNet`, which keeps the model's own modules (so the weights keep
their names) up to the last requested point and returns the maps at the requested points.
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from copy import deepcopy
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

__all__ = [
    "FeatureInfo", "FeatureListNet", "FeatureDictNet", "feature_take_indices", "normalize_out_indices", "FeatureHooks",
    "FeatureHookNet",
]


def normalize_out_indices(out_indices: Union[int, Sequence[int]], num_features: int, what: str = "out_indices") -> Tuple[int, ...]:
    """Turn (possibly negative) indices into positive ones, rejecting any out of range.

    An int ``n`` means the last ``n`` feature points.
    """
    if isinstance(out_indices, int):
        if not 0 < out_indices <= num_features:
            raise ValueError(f"{what}={out_indices} asks for the last {out_indices} features but the model has {num_features}")
        return tuple(range(num_features - out_indices, num_features))
    normalized = []
    for i in out_indices:
        j = i + num_features if i < 0 else i
        if not 0 <= j < num_features:
            raise IndexError(
                f"{what} has {i}, out of range for a model with {num_features} feature points "
                f"(valid: 0..{num_features - 1} or -{num_features}..-1)"
            )
        normalized.append(j)
    return tuple(normalized)


def feature_take_indices(num_features: int, indices: Optional[Union[int, Sequence[int]]] = None) -> Tuple[List[int], int]:
    """Indices for ``forward_intermediates``: ``None`` means all, an int the last n, a list as given.

    Returns the sorted positive indices and the largest of them (where a forward may stop early).
    """
    if indices is None:
        indices = num_features
    take = sorted(normalize_out_indices(indices, num_features, "indices"))
    return take, max(take)


class FeatureInfo:
    """The feature points a model exposes, restricted to ``out_indices``."""

    def __init__(self, feature_info: List[Dict[str, Any]], out_indices: Sequence[int]):
        prev_reduction = 1
        for i, fi in enumerate(feature_info):
            if "num_chs" not in fi or "reduction" not in fi:
                raise ValueError(f"feature_info[{i}] must have 'num_chs' and 'reduction', got {fi}")
            if fi["reduction"] < prev_reduction:
                raise ValueError(f"feature_info reductions must not decrease, got {[f['reduction'] for f in feature_info]}")
            prev_reduction = fi["reduction"]
        self.info = feature_info
        self.out_indices = normalize_out_indices(out_indices, len(feature_info))

    def from_other(self, out_indices: Sequence[int]) -> "FeatureInfo":
        return FeatureInfo(deepcopy(self.info), out_indices)

    def get(self, key: str, idx: Optional[Union[int, Sequence[int]]] = None) -> Any:
        if idx is None:
            return [self.info[i][key] for i in self.out_indices]
        if isinstance(idx, (tuple, list)):
            return [self.info[i][key] for i in idx]
        return self.info[idx][key]

    def get_dicts(self, keys: Optional[Sequence[str]] = None, idx: Optional[Union[int, Sequence[int]]] = None) -> Any:
        def pick(i: int) -> Dict[str, Any]:
            return dict(self.info[i]) if keys is None else {k: self.info[i][k] for k in keys}

        if idx is None:
            return [pick(i) for i in self.out_indices]
        if isinstance(idx, (tuple, list)):
            return [pick(i) for i in idx]
        return pick(idx)

    def channels(self, idx: Optional[Union[int, Sequence[int]]] = None) -> Any:
        return self.get("num_chs", idx)

    def reduction(self, idx: Optional[Union[int, Sequence[int]]] = None) -> Any:
        return self.get("reduction", idx)

    def module_name(self, idx: Optional[Union[int, Sequence[int]]] = None) -> Any:
        return self.get("module", idx)

    def __getitem__(self, item: int) -> Dict[str, Any]:
        return self.info[item]

    def __len__(self) -> int:
        return len(self.info)

    def __repr__(self) -> str:
        return f"FeatureInfo(out_indices={self.out_indices}, channels={self.channels()}, reduction={self.reduction()})"


def _named_layers(model: nn.Module, flatten_sequential: bool) -> Iterator[Tuple[str, str, nn.Module]]:
    """(attribute name, dotted module path, module) for the model's children, in forward order.

    With ``flatten_sequential`` a top-level ``nn.Sequential`` (e.g. ``stages``) is opened one level so
    each of its children can be a feature point; its attribute name becomes ``stages_0``.
    """
    for name, module in model.named_children():
        if flatten_sequential and isinstance(module, nn.Sequential):
            for child_name, child in module.named_children():
                yield f"{name}_{child_name}", f"{name}.{child_name}", child
        else:
            yield name, name, module


class FeatureDictNet(nn.ModuleDict):
    """Run the model's children in order and return the maps at the chosen feature points by name."""

    def __init__(
        self,
        model: nn.Module,
        out_indices: Sequence[int] = (0, 1, 2, 3, 4),
        out_map: Optional[Sequence[Union[int, str]]] = None,
        output_fmt: str = "NCHW",
        feature_concat: bool = False,
        flatten_sequential: bool = False,
    ):
        """``out_map`` names the returned maps (default: their feature index as a string)."""
        super().__init__()
        if output_fmt not in ("NCHW", "NHWC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NHWC', got {output_fmt!r}")
        self.feature_info = FeatureInfo(model.feature_info, out_indices)
        self.output_fmt = output_fmt
        self.concat = feature_concat
        self.grad_checkpointing = False
        indices = self.feature_info.out_indices
        if out_map is not None and len(out_map) != len(indices):
            raise ValueError(f"out_map has {len(out_map)} names for {len(indices)} out_indices")
        keys = [str(k) for k in out_map] if out_map is not None else [str(i) for i in indices]
        wanted = {self.feature_info.info[i]["module"]: key for i, key in zip(indices, keys)}
        self.return_layers: Dict[str, str] = {}
        layers: "OrderedDict[str, nn.Module]" = OrderedDict()
        remaining = set(wanted)
        for attr, path, module in _named_layers(model, flatten_sequential):
            layers[attr] = module
            if path in remaining:
                self.return_layers[attr] = wanted[path]
                remaining.remove(path)
            if not remaining:
                break
        if remaining:
            raise RuntimeError(
                f"feature points {sorted(remaining)} are not top-level children of {type(model).__name__}; "
                "this model needs flatten_sequential=True or a hook-based feature wrapper"
            )
        self.update(layers)

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def _collect(self, x: torch.Tensor) -> "OrderedDict[str, torch.Tensor]":
        out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        for attr, module in self.items():
            if self.grad_checkpointing and self.training and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
            else:
                x = module(x)
            if attr in self.return_layers:
                y = torch.cat(x, 1) if self.concat and isinstance(x, (tuple, list)) else x
                if self.output_fmt == "NHWC":
                    y = y.permute(0, 2, 3, 1)
                out[self.return_layers[attr]] = y
        return out

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        return self._collect(x)


class FeatureListNet(FeatureDictNet):
    """:class:`FeatureDictNet` that returns a list, in forward order."""

    def __init__(
        self,
        model: nn.Module,
        out_indices: Sequence[int] = (0, 1, 2, 3, 4),
        output_fmt: str = "NCHW",
        feature_concat: bool = False,
        flatten_sequential: bool = False,
    ):
        super().__init__(model, out_indices, output_fmt=output_fmt, feature_concat=feature_concat,
                         flatten_sequential=flatten_sequential)

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:  # type: ignore[override]
        return list(self._collect(x).values())


class FeatureHooks:
    """Forward hooks that keep chosen modules' outputs (or, for ``'forward_pre'``, their inputs).

    ``hooks`` are module names or dicts ``dict(module=name, hook_type='forward' | 'forward_pre')``;
    ``named_modules`` is ``model.named_modules()`` (or a dict of it). Maps are kept per device, so each
    replica of ``nn.DataParallel`` collects its own, and :meth:`get_output` hands them over and forgets them.
    """

    def __init__(
        self,
        hooks: Sequence[Union[str, Dict[str, Any]]],
        named_modules: Any,
        out_map: Optional[Sequence[Union[int, str]]] = None,
        default_hook_type: str = "forward",
    ):
        if out_map is not None and len(out_map) != len(hooks):
            raise ValueError(f"out_map has {len(out_map)} names for {len(hooks)} hooks")
        self._feature_outputs: Dict[Any, "OrderedDict[Any, torch.Tensor]"] = defaultdict(OrderedDict)
        self._handles = []
        modules = dict(named_modules)
        for i, spec in enumerate(hooks):
            name = spec if isinstance(spec, str) else spec["module"]
            hook_type = default_hook_type if isinstance(spec, str) else spec.get("hook_type", default_hook_type)
            if name not in modules:
                raise KeyError(f"no module named {name!r} to hook; the model's modules include: {', '.join(list(modules)[:8])}, ...")
            key = out_map[i] if out_map is not None else name
            module = modules[name]
            if hook_type == "forward_pre":
                handle = module.register_forward_pre_hook(self._pre_hook(key))
            elif hook_type == "forward":
                handle = module.register_forward_hook(self._hook(key))
            else:
                raise ValueError(f"hook_type must be 'forward' or 'forward_pre', got {hook_type!r}")
            self._handles.append(handle)

    def _store(self, key: Any, x: torch.Tensor) -> None:
        self._feature_outputs[x.device][key] = x

    def _pre_hook(self, key: Any):
        def hook(module: nn.Module, inputs: Tuple[torch.Tensor, ...]) -> None:
            self._store(key, inputs[0])
        return hook

    def _hook(self, key: Any):
        def hook(module: nn.Module, inputs: Tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
            self._store(key, output[0] if isinstance(output, tuple) else output)
        return hook

    def get_output(self, device: torch.device) -> "OrderedDict[Any, torch.Tensor]":
        """The maps collected on ``device`` since the last call, in the order they were computed."""
        return self._feature_outputs.pop(device, OrderedDict())


class FeatureHookNet(nn.ModuleDict):
    """Feature maps caught by hooks, for models whose feature points are not top-level children.

    By default (``no_rewrite``) the whole model runs unchanged as ``self.body`` with its classifier
    removed, so the weights load under ``body.*``. With ``flatten_sequential`` the model is rebuilt
    from its top-level children (up to the last feature point), like :class:`FeatureDictNet`.
    A feature_info entry may name ``hook_type='forward_pre'`` to catch a module's input instead.
    """

    def __init__(
        self,
        model: nn.Module,
        out_indices: Union[int, Tuple[int, ...]] = (0, 1, 2, 3, 4),
        out_map: Optional[Sequence[Union[int, str]]] = None,
        return_dict: bool = False,
        output_fmt: str = "NCHW",
        no_rewrite: Optional[bool] = None,
        flatten_sequential: bool = False,
        default_hook_type: str = "forward",
    ):
        super().__init__()
        if output_fmt not in ("NCHW", "NHWC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NHWC', got {output_fmt!r}")
        if no_rewrite is None:
            no_rewrite = not flatten_sequential
        if no_rewrite and flatten_sequential:
            raise ValueError("flatten_sequential=True rebuilds the model from its children; it needs no_rewrite=False")
        indices = normalize_out_indices(out_indices, len(model.feature_info))
        self.feature_info = FeatureInfo(model.feature_info, indices)
        self.return_dict = return_dict
        self.output_fmt = output_fmt
        self.grad_checkpointing = False
        points = self.feature_info.get_dicts()
        layers: "OrderedDict[str, nn.Module]" = OrderedDict()
        if no_rewrite:
            if hasattr(model, "reset_classifier"):
                model.reset_classifier(0)
            layers["body"] = model
            hooks = points
        else:
            hooks = self._rewrite(model, points, default_hook_type, flatten_sequential, layers)
        self.update(layers)
        self.hooks = FeatureHooks(hooks, model.named_modules(), out_map=out_map, default_hook_type=default_hook_type)

    @staticmethod
    def _rewrite(model: nn.Module, points: List[Dict[str, Any]], default_hook_type: str, flatten_sequential: bool,
                 layers: "OrderedDict[str, nn.Module]") -> List[Dict[str, Any]]:
        """Keep the model's children up to the last hooked module; the hooks, in forward order."""
        remaining = {p["module"]: p.get("hook_type", default_hook_type) for p in points}
        hooks = []
        for attr, path, module in _named_layers(model, flatten_sequential):
            layers[attr] = module
            for name, _ in module.named_modules(prefix=path):
                if name in remaining:
                    hooks.append(dict(module=name, hook_type=remaining.pop(name)))
            if not remaining:
                break
        if remaining:
            raise RuntimeError(f"feature points {sorted(remaining)} are not modules of {type(model).__name__}")
        return hooks

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def forward(self, x: torch.Tensor) -> Union[List[torch.Tensor], Dict[Any, torch.Tensor]]:
        for module in self.values():
            if self.grad_checkpointing and self.training and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
            else:
                x = module(x)
        out = self.hooks.get_output(x.device)
        return out if self.return_dict else list(out.values())
