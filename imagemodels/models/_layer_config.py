"""Layer-config switches, kept at this path for callers that import them from ``models``.

They live in ``imagemodels.layers.config`` because layers read them and layers never import models.
"""
from imagemodels.layers.config import (  # noqa: F401  (re-exported)
    is_exportable, is_no_jit, is_scriptable, set_exportable, set_layer_config, set_no_jit, set_reentrant_ckpt,
    set_scriptable, use_reentrant_ckpt,
)

__all__ = [
    "is_scriptable", "is_exportable", "is_no_jit", "set_scriptable", "set_exportable", "set_no_jit",
    "set_layer_config", "use_reentrant_ckpt", "set_reentrant_ckpt",
]
