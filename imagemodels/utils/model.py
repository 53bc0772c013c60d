"""Helpers that look through wrappers and change a model in place: unwrap, freeze, reparameterize."""
from __future__ import annotations

import copy
from typing import Callable, Sequence, Union

from torch import nn

__all__ = ["unwrap_model", "get_state_dict", "freeze", "unfreeze", "reparameterize_model"]


def unwrap_model(model):
    """The bare model inside EMA / DistributedDataParallel / ``torch.compile`` wrappers."""
    while True:
        if hasattr(model, "ema") and isinstance(getattr(model, "ema"), nn.Module):
            model = model.ema  # ModelEma (v1) keeps its copy here
        elif hasattr(model, "module") and isinstance(getattr(model, "module"), nn.Module):
            model = model.module  # DDP, DataParallel, ModelEmaV2/V3
        elif hasattr(model, "_orig_mod"):
            model = model._orig_mod  # torch.compile
        else:
            return model


def get_state_dict(model, unwrap_fn: Callable = unwrap_model):
    return unwrap_fn(model).state_dict()


def _as_modules(root_module: nn.Module, submodules: Union[str, Sequence]) -> list:
    if isinstance(submodules, str):
        submodules = [submodules]
    if not submodules:
        return [root_module]
    named = dict(root_module.named_modules())
    found = []
    for item in submodules:
        if isinstance(item, nn.Module):
            found.append(item)
        elif item in named:
            found.append(named[item])
        else:
            raise KeyError(f"'{item}' is not a submodule of {type(root_module).__name__}; "
                           f"pass a name from model.named_modules(), e.g. {list(named)[1:4]}")
    return found


def _swap_batchnorm(module: nn.Module, freezing: bool) -> nn.Module:
    """Swap BatchNorm for FrozenBatchNorm2d (BatchNormAct2d for FrozenBatchNormAct2d) or back, so
    running stats stop (or restart) updating. The layers' functions do the work, as the reference's do."""
    from ..layers.norm_act import freeze_batch_norm_2d, unfreeze_batch_norm_2d

    return freeze_batch_norm_2d(module) if freezing else unfreeze_batch_norm_2d(module)


def _freeze_unfreeze(root_module, submodules, include_bn_running_stats, mode):
    if mode not in ("freeze", "unfreeze"):
        raise ValueError(f"mode must be 'freeze' or 'unfreeze', got {mode!r}")
    freezing = mode == "freeze"
    named = {id(m): n for n, m in root_module.named_modules()}
    for module in _as_modules(root_module, submodules):
        for p in module.parameters():
            p.requires_grad = not freezing
        if include_bn_running_stats:
            new = _swap_batchnorm(module, freezing)
            if new is not module:  # the module itself was a BatchNorm: replace it in its parent
                name = named.get(id(module), "")
                if not name:
                    raise ValueError("cannot swap the BatchNorm running stats of the root module itself; "
                                     "pass include_bn_running_stats=False")
                parent_name, _, attr = name.rpartition(".")
                parent = root_module.get_submodule(parent_name) if parent_name else root_module
                setattr(parent, attr, new)


def freeze(root_module: nn.Module, submodules: Sequence = [], include_bn_running_stats: bool = True,
           mode: str = "freeze"):
    """Stop gradients to ``submodules`` (names or modules; all of ``root_module`` when empty); with
    ``include_bn_running_stats`` their BatchNorm layers become frozen ones so running stats stop moving."""
    _freeze_unfreeze(root_module, submodules, include_bn_running_stats, mode)


def unfreeze(root_module: nn.Module, submodules: Sequence = [], include_bn_running_stats: bool = True):
    _freeze_unfreeze(root_module, submodules, include_bn_running_stats, "unfreeze")


def reparameterize_model(model: nn.Module, inplace: bool = False) -> nn.Module:
    """Fold train-time branches into inference form by calling ``reparameterize()`` (or ``fuse()``)
    on every module that has one; works on a copy unless ``inplace``."""
    if not inplace:
        model = copy.deepcopy(model)
    for module in list(model.modules()):
        for method in ("reparameterize", "fuse"):
            fn = getattr(module, method, None)
            if callable(fn):
                fn()
                break
    return model
