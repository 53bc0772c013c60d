"""Small helpers shared by layers: tuple expansion and channel rounding."""
from __future__ import annotations

import collections.abc
from itertools import repeat
from typing import Any, Callable, Dict, Optional, Tuple

__all__ = ["to_ntuple", "to_1tuple", "to_2tuple", "to_3tuple", "to_4tuple", "make_divisible", "factory_kwargs"]


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
