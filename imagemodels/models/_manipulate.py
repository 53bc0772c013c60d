"""Small model-manipulation helpers shared by families and training code.

Gradient checkpointing over a sequence, walking named submodules (``named_apply`` is how families run
their weight init with module names), and grouping parameters into ordered layers from a model's
``group_matcher()`` (what layer-wise lr decay and progressive freezing need).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable as IterableABC
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint as _torch_checkpoint

from imagemodels.layers.config import use_reentrant_ckpt

__all__ = [
    "checkpoint_seq", "checkpoint", "named_apply", "named_modules", "named_modules_with_params",
    "group_with_matcher", "group_parameters", "group_modules", "model_parameters", "MATCH_PREV_GROUP",
]

# a group_matcher suffix that folds a match into the group before it (e.g. a stage's downsample)
MATCH_PREV_GROUP = (99999,)


def checkpoint(function: Callable, *args: Any, use_reentrant: Optional[bool] = None, **kwargs: Any) -> Any:
    """``torch.utils.checkpoint.checkpoint`` with ``use_reentrant`` from ``layers.set_reentrant_ckpt``
    (False unless changed) when not given.

    PyTorch warns when ``use_reentrant`` is left unset; the non-reentrant form is the one that works
    with keyword arguments and inputs that do not require grad, so it is the default here.
    """
    if use_reentrant is None:
        use_reentrant = use_reentrant_ckpt()
    return _torch_checkpoint(function, *args, use_reentrant=use_reentrant, **kwargs)


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
            x = checkpoint(segment, x, use_reentrant=use_reentrant)
    return x


def _child_name(parent: str, child: str) -> str:
    return f"{parent}.{child}" if parent else child


def named_apply(
    fn: Callable, module: nn.Module, name: str = "", depth_first: bool = True, include_root: bool = False,
) -> nn.Module:
    """Call ``fn(module=..., name=...)`` on every submodule with its dotted name; returns ``module``.

    ``depth_first`` visits children before their parent (so a parent's init can override its
    children's); ``include_root`` also visits ``module`` itself.
    """
    if include_root and not depth_first:
        fn(module=module, name=name)
    for child_name, child in module.named_children():
        named_apply(fn, child, _child_name(name, child_name), depth_first=depth_first, include_root=True)
    if include_root and depth_first:
        fn(module=module, name=name)
    return module


def named_modules(
    module: nn.Module, name: str = "", depth_first: bool = True, include_root: bool = False,
) -> Iterator[Tuple[str, nn.Module]]:
    """``(name, module)`` pairs in the order :func:`named_apply` visits them."""
    if include_root and not depth_first:
        yield name, module
    for child_name, child in module.named_children():
        yield from named_modules(child, _child_name(name, child_name), depth_first=depth_first, include_root=True)
    if include_root and depth_first:
        yield name, module


def named_modules_with_params(
    module: nn.Module, name: str = "", depth_first: bool = True, include_root: bool = False,
) -> Iterator[Tuple[str, nn.Module]]:
    """:func:`named_modules` limited to modules that own parameters directly (not through children)."""
    for sub_name, sub in named_modules(module, name, depth_first=depth_first, include_root=include_root):
        if sub._parameters:
            yield sub_name, sub


GroupMatcher = Union[Dict[str, Any], Callable[[str], Any]]


def _compile_matcher(group_matcher: Dict[str, Any]) -> List[Tuple[re.Pattern, Tuple[int], Optional[Tuple]]]:
    """(regex, (group position,), suffix) rules from ``{group: regex | [(regex, suffix), ...]}``."""
    rules = []
    for ordinal, spec in enumerate(group_matcher.values()):
        if spec is None:
            continue
        if isinstance(spec, (list, tuple)):
            rules += [(re.compile(rule[0]), (ordinal,), rule[1]) for rule in spec]
        else:
            rules.append((re.compile(spec), (ordinal,), None))
    return rules


def _sort_key(name: str, group_matcher: Union[list, Callable]) -> Tuple[float, ...]:
    """Where ``name`` sorts: group position, then the numbers its regex captured, then the suffix."""
    if callable(group_matcher):
        key = group_matcher(name)
        return tuple(key) if isinstance(key, IterableABC) else (key,)
    for regex, prefix, suffix in group_matcher:
        found = regex.match(name)
        if found:
            parts = (prefix, found.groups(), suffix)
            return tuple(float(x) for part in parts if part for x in part)
    return (float("inf"),)  # unmatched names (usually the head) form the last group


def group_with_matcher(
    named_objects: Iterable[Tuple[str, Any]],
    group_matcher: GroupMatcher,
    return_values: bool = False,
    reverse: bool = False,
) -> Dict[Any, Any]:
    """Group ``(name, value)`` pairs into numbered layers: ``{layer_id: [names or values]}``.

    ``group_matcher`` is a model's ``group_matcher()`` dict or a callable name -> sort key. Layers are
    numbered in sort order; a key ending in ``MATCH_PREV_GROUP`` joins the layer before it.
    ``reverse`` returns ``{name: layer_id}`` instead.
    """
    if reverse and return_values:
        raise ValueError("reverse=True maps names to layer ids; it cannot be combined with return_values=True")
    matcher = group_matcher if callable(group_matcher) else _compile_matcher(group_matcher)
    by_key: Dict[Tuple, list] = defaultdict(list)
    for name, value in named_objects:
        by_key[_sort_key(name, matcher)].append(value if return_values else name)

    layers: Dict[int, list] = defaultdict(list)
    layer = -1
    for key in sorted(by_key):
        if layer < 0 or key[-1] != MATCH_PREV_GROUP[0]:
            layer += 1
        layers[layer].extend(by_key[key])
    if reverse:
        return {name: layer_id for layer_id, names in layers.items() for name in names}
    return layers


def group_parameters(
    module: nn.Module, group_matcher: GroupMatcher, return_values: bool = False, reverse: bool = False,
) -> Dict[Any, Any]:
    """:func:`group_with_matcher` over ``module.named_parameters()``."""
    return group_with_matcher(module.named_parameters(), group_matcher, return_values=return_values, reverse=reverse)


def group_modules(
    module: nn.Module, group_matcher: GroupMatcher, return_values: bool = False, reverse: bool = False,
) -> Dict[Any, Any]:
    """:func:`group_with_matcher` over the modules that own parameters."""
    return group_with_matcher(
        named_modules_with_params(module), group_matcher, return_values=return_values, reverse=reverse)


def model_parameters(model: nn.Module, exclude_head: bool = False) -> Iterable[nn.Parameter]:
    """The model's parameters; ``exclude_head`` drops the last two (the classifier's weight and bias)."""
    if exclude_head:
        return list(model.parameters())[:-2]
    return model.parameters()
