"""Global switches some layers read when they are built (kept for drop-in compatibility)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

_SCRIPTABLE = False
_EXPORTABLE = False
_NO_JIT = False


def is_scriptable() -> bool:
    return _SCRIPTABLE


def is_exportable() -> bool:
    return _EXPORTABLE


def is_no_jit() -> bool:
    return _NO_JIT


@contextmanager
def set_layer_config(scriptable: Optional[bool] = None, exportable: Optional[bool] = None, no_jit: Optional[bool] = None) -> Iterator[None]:
    """Inside the block, layers are built scriptable / exportable / without jit as asked."""
    global _SCRIPTABLE, _EXPORTABLE, _NO_JIT
    saved = (_SCRIPTABLE, _EXPORTABLE, _NO_JIT)
    if scriptable is not None:
        _SCRIPTABLE = scriptable
    if exportable is not None:
        _EXPORTABLE = exportable
    if no_jit is not None:
        _NO_JIT = no_jit
    try:
        yield
    finally:
        _SCRIPTABLE, _EXPORTABLE, _NO_JIT = saved




class _Switch:
    """Set one module-level switch now; used as a context manager, restore it on exit."""

    _flag = ""

    def __init__(self, mode: bool) -> None:
        self.prev = globals()[self._flag]
        globals()[self._flag] = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> bool:
        globals()[self._flag] = self.prev
        return False


class set_scriptable(_Switch):
    _flag = "_SCRIPTABLE"


class set_exportable(_Switch):
    _flag = "_EXPORTABLE"
