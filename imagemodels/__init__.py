"""imagemodels: image models for PyTorch, checkpoint-compatible with timm.

Everything here is resolved lazily (see ``_lazy.py``): ``import imagemodels`` imports neither torch
nor any model family; ``imagemodels.create_model`` pulls in what it needs on first use.
"""
from .version import __version__
from ._lazy import lazy_getattr

_NAMES = {
    name: ".models"
    for name in (
        "create_model", "list_models", "list_pretrained", "list_modules", "is_model", "is_model_pretrained",
        "model_entrypoint", "get_pretrained_cfg", "get_pretrained_cfg_value", "load_checkpoint",
        "is_scriptable", "is_exportable", "set_layer_config", "set_scriptable", "set_exportable",
    )
}
_NAMES["pipeline"] = ".pipeline"
_SUBMODULES = ["models", "layers", "data", "optim", "scheduler", "loss", "utils", "engine", "cli"]

_lazy_getattr = lazy_getattr(__name__, _NAMES, _SUBMODULES)


def __getattr__(name: str):
    value = _lazy_getattr(name)
    if name == "pipeline":
        # importing the module imagemodels.pipeline binds the module to this attribute; put the
        # function back so imagemodels.pipeline(...) keeps working on every later call
        globals()[name] = value
    return value

__all__ = ["__version__", *_NAMES, *_SUBMODULES]


def __dir__():
    return sorted(set(globals()) | set(__all__))
