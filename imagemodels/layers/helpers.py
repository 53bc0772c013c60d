"""Small helpers shared by layers: tuple expansion, channel rounding, grids, drop-path schedules,
token pooling, attention masks, the AMP-safe ``Linear`` and the type aliases layer arguments use."""
from __future__ import annotations

import collections.abc
from itertools import repeat
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

import torch
import torch.fx
import torch.nn.functional as F
from torch import nn

__all__ = [
    "to_ntuple", "to_1tuple", "to_2tuple", "to_3tuple", "to_4tuple", "make_divisible", "factory_kwargs",
    "extend_tuple", "get_device_dtype", "is_exporting", "disable_compiler", "ndgrid", "meshgrid",
    "calculate_drop_path_rates", "global_pool_nlc", "maybe_add_mask", "resolve_self_attn_mask", "Linear",
    "LayerType", "PadType", "can_overwrite", "add_into",
]

# what a layer argument may be: a name resolved by a factory, a class, or any callable building a module
LayerType = Union[str, Callable, Type[nn.Module]]
# padding: 'same' / 'valid' / '' by name, or explicit sizes
PadType = Union[str, int, Tuple[int, int]]

# torch's own decorator, re-exported so layers can mark code dynamo must not trace
disable_compiler = torch.compiler.disable


def to_ntuple(n: int) -> Callable[[Any], Tuple[Any, ...]]:
    """A function turning a scalar into an ``n``-tuple; iterables (not strings) pass through as tuples."""
    def parse(x: Any) -> Tuple[Any, ...]:
        if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):
            return tuple(x)
        return tuple(repeat(x, n))
    return parse


to_1tuple = to_ntuple(1)
to_2tuple = to_ntuple(2)
to_3tuple = to_ntuple(3)
to_4tuple = to_ntuple(4)


def make_divisible(v: float, divisor: int = 8, min_value: Optional[int] = None, round_limit: float = 0.9) -> int:
    """Round ``v`` to the nearest multiple of ``divisor`` (at least ``min_value``).

    If rounding down lost more than ``1 - round_limit`` of ``v``, go one multiple up; channel
    counts of published checkpoints depend on this exact rule.
    """
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v


def factory_kwargs(device: Any = None, dtype: Any = None) -> Dict[str, Any]:
    """``device`` / ``dtype`` for a module constructor, leaving out the ones not given.

    Unset values are left out so layers passed in by users need not accept them.
    """
    out = {}
    if device is not None:
        out["device"] = device
    if dtype is not None:
        out["dtype"] = dtype
    return out


def extend_tuple(x: Any, n: int) -> Tuple[Any, ...]:
    """``x`` as an ``n``-tuple: a scalar is repeated, a shorter sequence repeats its last item,
    a longer one is cut to ``n``."""
    if not isinstance(x, (tuple, list)):
        return (x,) * n
    x = tuple(x)
    if len(x) >= n:
        return x[:n]
    if not x:
        raise ValueError(f"cannot extend an empty sequence to length {n}; pass at least one value")
    return x + (x[-1],) * (n - len(x))


def get_device_dtype(module: nn.Module, device: Any = None, dtype: Any = None) -> Dict[str, Any]:
    """``{'device', 'dtype'}`` for building a child of ``module``: explicit values win, missing ones
    come from the module's first parameter (None when it has none)."""
    if device is None or dtype is None:
        first = next(module.parameters(), None)
        if first is not None:
            device = first.device if device is None else device
            dtype = first.dtype if dtype is None else dtype
    return {"device": device, "dtype": dtype}


def is_exporting() -> bool:
    """True while ``torch.export`` traces the model; shape-dependent Python branches would be baked
    into the exported graph, so layers use this to take the shape-agnostic path."""
    check = getattr(torch.compiler, "is_exporting", None)
    return bool(check()) if check is not None else False


def _is_fx_tracing(x: torch.Tensor) -> bool:
    """True under FX symbolic tracing (``torch.fx.symbolic_trace``, torchvision's feature extraction),
    where ``x`` is a Proxy and any Python branch on its shape would fail to trace."""
    if isinstance(x, torch.fx.Proxy):
        return True
    check = getattr(torch.fx._symbolic_trace, "is_fx_symbolic_tracing", None)
    return bool(check()) if check is not None else False


# torch keeps the hooks of ``register_module_forward_hook`` / ``_pre_hook`` here (dicts, mutated in place)
_GLOBAL_FORWARD_HOOKS = getattr(nn.modules.module, "_global_forward_hooks", {})
_GLOBAL_FORWARD_PRE_HOOKS = getattr(nn.modules.module, "_global_forward_pre_hooks", {})


def can_overwrite(x: torch.Tensor, *modules: nn.Module) -> bool:
    """True when a block may write into tensors that ``modules`` returned instead of allocating new ones.

    Blocks run their activation and residual add in place at inference (same values bit for bit, a
    few large allocations fewer per block; CPU inference is memory-bound there). That is safe only
    with no autograd graph (an overwritten tensor may be saved for backward), outside ``torch.export``,
    scripting and FX symbolic tracing (a traced graph keeps the usual ops), and with no forward hook or
    pre-hook, global or on any of these modules or their children (a hook may keep a reference to an
    output; a row-blocked MLP would call it per block).
    ``x`` is a tensor of the block's shape: one with a size-1 dimension past the batch takes the usual
    path, because there an out-of-place op may choose other strides than the tensor it would
    overwrite has, and the next conv, given other strides, may sum in another order.
    """
    if torch.is_grad_enabled() or torch.jit.is_scripting() or is_exporting() or _is_fx_tracing(x):
        return False
    if 1 in x.shape[1:]:
        return False
    if _GLOBAL_FORWARD_HOOKS or _GLOBAL_FORWARD_PRE_HOOKS:
        return False
    return not any(m._forward_hooks or m._forward_pre_hooks for module in modules for m in module.modules())


def add_into(branch: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``x + branch`` written into ``branch`` (where :func:`can_overwrite` said yes), unless the branch
    shares memory with ``x`` (an identity branch): then a new tensor, as usual."""
    if branch.untyped_storage().data_ptr() == x.untyped_storage().data_ptr():
        return x + branch
    return branch.add_(x)


def ndgrid(*tensors: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """N-D grid in dimension order (``indexing='ij'``): output i varies along dim i."""
    return torch.meshgrid(*tensors, indexing="ij")


def meshgrid(*tensors: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """N-D grid in spatial order (``indexing='xy'``): the first two dims swapped versus :func:`ndgrid`."""
    return torch.meshgrid(*tensors, indexing="xy")


def calculate_drop_path_rates(
    drop_path_rate: float, depths: Union[int, List[int]], stagewise: bool = False,
) -> Union[List[float], List[List[float]]]:
    """Stochastic-depth rates rising linearly from 0 to ``drop_path_rate`` over all blocks.

    ``depths`` is the total block count or a list of per-stage counts; with ``stagewise`` (a list
    only) the same per-block rates come back split into one list per stage.
    """
    if isinstance(depths, int):
        if stagewise:
            raise ValueError("stagewise=True needs depths as a list of per-stage block counts, got an int")
        total = depths
    else:
        depths = list(depths)
        total = sum(depths)
    # float32 linspace, so the values equal those models computed inline with torch.linspace
    rates = torch.linspace(0, drop_path_rate, total, device="cpu").tolist()  # cpu: works under a meta device context
    if not stagewise:
        return rates
    per_stage, start = [], 0
    for depth in depths:
        per_stage.append(rates[start:start + depth])
        start += depth
    return per_stage


_NLC_POOLS = ("token", "avg", "max", "avgmax", "")


def global_pool_nlc(
    x: torch.Tensor, pool_type: str = "token", num_prefix_tokens: int = 1, reduce_include_prefix: bool = False,
) -> torch.Tensor:
    """Pool ``(B, L, C)`` tokens to ``(B, C)``: the first token, or avg / max / their mean over the
    tokens after the prefix (all tokens with ``reduce_include_prefix``); ``''`` returns ``x`` as is."""
    if pool_type not in _NLC_POOLS:
        raise ValueError(f"pool_type must be one of {_NLC_POOLS}, got '{pool_type}'")
    if not pool_type:
        return x
    if pool_type == "token":
        return x[:, 0]
    tokens = x if reduce_include_prefix else x[:, num_prefix_tokens:]
    if pool_type == "avg":
        return tokens.mean(dim=1)
    if pool_type == "max":
        return tokens.amax(dim=1)
    return 0.5 * (tokens.mean(dim=1) + tokens.amax(dim=1))


def maybe_add_mask(scores: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Attention scores plus an additive mask, or the scores untouched when there is none."""
    return scores if attn_mask is None else scores + attn_mask


def resolve_self_attn_mask(
    seq_len: int, attn: torch.Tensor, attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False,
) -> Optional[torch.Tensor]:
    """An additive float mask for self-attention scores ``attn``.

    ``is_causal`` gives the upper-triangular ``-inf`` mask (and takes precedence over ``attn_mask``);
    a boolean ``attn_mask`` (True = attend) becomes 0 / ``-inf`` in ``attn``'s dtype; a float mask is
    returned as it is; neither gives None.
    """
    if is_causal:
        blocked = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attn.device).triu(diagonal=1)
        return torch.zeros(seq_len, seq_len, dtype=attn.dtype, device=attn.device).masked_fill(blocked, float("-inf"))
    if attn_mask is not None and attn_mask.dtype == torch.bool:
        zeros = torch.zeros(attn_mask.shape, dtype=attn.dtype, device=attn_mask.device)
        return zeros.masked_fill(~attn_mask, float("-inf"))
    return attn_mask


class Linear(nn.Linear):
    """``nn.Linear`` that casts its weight and bias to the input's dtype, so it runs under AMP in
    scripted models, where autocast does not reach ``F.linear``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not torch.jit.is_scripting():
            return F.linear(x, self.weight, self.bias)
        bias = self.bias
        if bias is not None:
            bias = bias.to(dtype=x.dtype)
        return F.linear(x, self.weight.to(dtype=x.dtype), bias=bias)
