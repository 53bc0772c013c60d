"""Module-level ``__getattr__`` that imports a public name only when it is first used.

This is what keeps ``import imagemodels`` nearly free: nothing below the package (not even torch)
is imported until a name is looked up.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Dict, List


def lazy_getattr(package: str, names: Dict[str, str], submodules: List[str], fallback: Callable[[str], Any] = None):
    """``names`` maps a public name to the module (relative to ``package``) that defines it."""

    def __getattr__(name: str) -> Any:
        if name in names:
            module = importlib.import_module(names[name], package)
            return getattr(module, name)
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        if fallback is not None:
            found = fallback(name)
            if found is not None:
                return found
        raise AttributeError(f"module '{package}' has no attribute '{name}'")

    return __getattr__
