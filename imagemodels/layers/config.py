"""Global switches that some layers read when they are built or run.

They live in ``layers`` (not ``models``) because layers consult them and layers never import
models; ``imagemodels.models._layer_config`` re-exports them for older import paths.

Each ``set_*`` switch takes effect as soon as it is constructed, so both
``set_scriptable(True)`` and ``with set_scriptable(True): ...`` work; the ``with`` form restores
the previous value on exit.
"""
from __future__ import annotations

from typing import Dict, Optional

__all__ = [
    "is_scriptable", "is_exportable", "is_no_jit", "set_scriptable", "set_exportable", "set_no_jit",
    "set_layer_config", "use_reentrant_ckpt", "set_reentrant_ckpt",
]

# one dict instead of module globals, so a switch class can name the flag it owns
_FLAGS: Dict[str, bool] = {
    "scriptable": False,       # build layers torch.jit.script can compile
    "exportable": False,       # build layers ONNX / torch.export can trace
    "no_jit": False,           # avoid layers that use jit-compiled kernels
    "no_activation_jit": False,  # same, for activations only
}
_USE_REENTRANT_CKPT = False   # reentrant activation checkpointing is the legacy torch default


def is_scriptable() -> bool:
    return _FLAGS["scriptable"]


def is_exportable() -> bool:
    return _FLAGS["exportable"]


def is_no_jit() -> bool:
    return _FLAGS["no_jit"]


class _Switch:
    """Set one flag now; used as a context manager, put the old value back on exit."""

    _flag = ""

    def __init__(self, mode: bool) -> None:
        self.prev = _FLAGS[self._flag]
        _FLAGS[self._flag] = bool(mode)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> bool:
        _FLAGS[self._flag] = self.prev
        return False


class set_scriptable(_Switch):
    _flag = "scriptable"


class set_exportable(_Switch):
    _flag = "exportable"


class set_no_jit(_Switch):
    _flag = "no_jit"


class set_layer_config:
    """Set several flags at once (``None`` leaves a flag as it is); restores them all on exit."""

    def __init__(
        self,
        scriptable: Optional[bool] = None,
        exportable: Optional[bool] = None,
        no_jit: Optional[bool] = None,
        no_activation_jit: Optional[bool] = None,
    ) -> None:
        self.prev = dict(_FLAGS)
        wanted = dict(scriptable=scriptable, exportable=exportable, no_jit=no_jit, no_activation_jit=no_activation_jit)
        for name, value in wanted.items():
            if value is not None:
                _FLAGS[name] = bool(value)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> bool:
        _FLAGS.update(self.prev)
        return False


def use_reentrant_ckpt() -> bool:
    """Whether activation checkpointing should use torch's reentrant variant (off by default)."""
    return _USE_REENTRANT_CKPT


def set_reentrant_ckpt(enable: bool = True) -> None:
    """Choose reentrant (``True``) or non-reentrant activation checkpointing for later calls."""
    global _USE_REENTRANT_CKPT
    _USE_REENTRANT_CKPT = bool(enable)
