"""Optimizers by name: the table of names, and create_optimizer_v2.

A name is one row of ``_OPTIMIZERS``: the class, the defaults the name implies (``nesterov=True`` for 'sgd'),
and which of the common keywords (``eps``, ``betas``, ``momentum``) the class takes, so that one set of
training flags can be passed to any optimizer. Only implemented optimizers are listed: no stubs.
"""
import difflib
import fnmatch
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Dict, List, Optional, Tuple, Type, Union

import torch
from torch import nn

from ._lr_scale import apply_lr_scale_in_step
from ._param_groups import param_groups_layer_decay, param_groups_weight_decay
from .lookahead import Lookahead
from . import (adabelief, adafactor, adafactor_bv, adahessian, adamp, adamw, adan, adopt, lamb, laprop, lars, lion,
               madgrad, mars, nadam, nadamw, novograd, radam, rmsprop_tf, sgdp, sgdw)
from . import muon


@dataclass(frozen=True)
class OptimInfo:
    name: str
    opt_class: Type[torch.optim.Optimizer]
    description: str = ""
    has_eps: bool = True
    has_momentum: bool = False
    has_betas: bool = False
    defaults: Dict[str, Any] = field(default_factory=dict)


def _rows():
    T = torch.optim
    # (name, class, description, eps, momentum, betas, defaults)
    table = [
        ("sgd", T.SGD, "SGD with Nesterov momentum (torch.optim)", False, True, False, dict(nesterov=True)),
        ("nesterov", T.SGD, "SGD with Nesterov momentum (torch.optim)", False, True, False, dict(nesterov=True)),
        ("momentum", T.SGD, "SGD with classical momentum (torch.optim)", False, True, False, dict(nesterov=False)),
        ("fusedsgd", T.SGD, "torch.optim SGD, fused kernel, Nesterov", False, True, False,
         dict(nesterov=True, fused=True)),
        ("sgdw", sgdw.SGDW, "SGD with decoupled weight decay, Nesterov", False, True, False, dict(nesterov=True)),
        ("nesterovw", sgdw.SGDW, "SGD with decoupled weight decay, Nesterov", False, True, False,
         dict(nesterov=True)),
        ("adam", T.Adam, "Adam (torch.optim)", True, False, True, {}),
        ("adamw", T.AdamW, "Adam with decoupled weight decay (torch.optim)", True, False, True, {}),
        ("adamwlegacy", adamw.AdamWLegacy, "AdamW written out (caution, corrected decay, update clipping)", True,
         False, True, {}),
        ("fusedadam", T.Adam, "torch.optim Adam, fused kernel", True, False, True, dict(fused=True)),
        ("fusedadamw", T.AdamW, "torch.optim AdamW, fused kernel", True, False, True, dict(fused=True)),
        ("nadam", T.NAdam, "Adam with Nesterov momentum (torch.optim)", True, False, True, {}),
        ("nadamlegacy", nadam.NAdamLegacy, "NAdam with the Keras momentum schedule", True, False, True, {}),
        ("nadamw", nadamw.NAdamW, "NAdam with decoupled weight decay", True, False, True, {}),
        ("radam", T.RAdam, "Rectified Adam (torch.optim)", True, False, True, {}),
        ("radamlegacy", radam.RAdamLegacy, "RAdam as first published", True, False, True, {}),
        ("radamw", T.RAdam, "Rectified Adam, decoupled weight decay (torch.optim)", True, False, True,
         dict(decoupled_weight_decay=True)),
        ("adamax", T.Adamax, "Adam with the infinity norm (torch.optim)", True, False, True, {}),
        ("adadelta", T.Adadelta, "Adadelta (torch.optim)", True, False, False, {}),
        ("adagrad", T.Adagrad, "Adagrad (torch.optim)", True, False, False, dict(eps=1e-8)),
        ("rmsprop", T.RMSprop, "RMSprop (torch.optim)", True, True, False, dict(alpha=0.9)),
        ("rmsproptf", rmsprop_tf.RMSpropTF, "RMSprop as TensorFlow computes it", True, True, False,
         dict(alpha=0.9)),
        ("adabelief", adabelief.AdaBelief, "Adam scaled by the belief in the gradient", True, False, True,
         dict(rectify=False)),
        ("radabelief", adabelief.AdaBelief, "AdaBelief with RAdam rectification", True, False, True,
         dict(rectify=True)),
        ("lamb", lamb.Lamb, "layer-wise adaptive moments (large batch)", True, False, True, {}),
        ("lambc", lamb.Lamb, "LAMB with the trust ratio clipped at 1", True, False, True, dict(trust_clip=True)),
        ("laprop", laprop.LaProp, "momentum over Adam-normalised gradients", True, False, True, {}),
        ("lars", lars.Lars, "layer-wise adaptive rate scaling", True, True, False, {}),
        ("larc", lars.Lars, "LARS with the trust ratio clipped", True, True, False, dict(trust_clip=True)),
        ("nlars", lars.Lars, "LARS with Nesterov momentum", True, True, False, dict(nesterov=True)),
        ("nlarc", lars.Lars, "LARC with Nesterov momentum", True, True, False, dict(nesterov=True, trust_clip=True)),
        ("lion", lion.Lion, "sign of interpolated momentum (evolved)", False, False, True, {}),
        ("adopt", adopt.Adopt, "Adam variant that converges for any beta2", True, False, True, {}),
        ("adoptw", adopt.Adopt, "ADOPT with decoupled weight decay", True, False, True, dict(decoupled=True)),
        ("sgdp", sgdp.SGDP, "SGD with projection of the radial update (AdamP paper)", True, True, False,
         dict(nesterov=True)),
        ("adamp", adamp.AdamP, "Adam with projection of the radial update", True, False, True,
         dict(wd_ratio=0.01, nesterov=True)),
        ("mars", mars.Mars, "variance-reduced momentum (MARS-AdamW)", True, False, True, {}),
        ("madgrad", madgrad.MADGRAD, "momentumized dual-averaged gradient", True, True, False, {}),
        ("madgradw", madgrad.MADGRAD, "MADGRAD with decoupled weight decay", True, True, False,
         dict(decoupled_decay=True)),
        ("novograd", novograd.NvNovoGrad, "layer-wise normalised gradients (NovoGrad)", True, False, True, {}),
        ("nvnovograd", novograd.NvNovoGrad, "layer-wise normalised gradients (NovoGrad)", True, False, True, {}),
        ("adan", adan.Adan, "adaptive Nesterov momentum", True, False, True, dict(no_prox=False)),
        ("adanw", adan.Adan, "Adan with decoupled weight decay", True, False, True, dict(no_prox=True)),
        ("adafactor", adafactor.Adafactor, "factored second moments, memory efficient", True, False, True, {}),
        ("adafactorbv", adafactor_bv.AdafactorBigVision, "Adafactor as in big_vision", True, True, False, {}),
        ("adahessian", adahessian.Adahessian, "Adam on a Hutchinson Hessian-diagonal estimate", True, False, True,
         {}),
        ("muon", muon.Muon, "Newton-Schulz orthogonalised momentum, AdamW for 1D params", True, True, True, {}),
        ("nmuon", muon.Muon, "Muon with Nesterov momentum, NAdamW for 1D params", True, True, True,
         dict(nesterov=True)),
    ]
    rows = {r[0]: OptimInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in table}

    # variants: (name, base name, extra defaults). 'c' prefix = caution (Cautious Optimizers,
    # https://arxiv.org/abs/2411.16085), 'c' suffix = corrected weight decay (lr**2 / max_lr), 'w' = decoupled decay
    caution, corrected = dict(caution=True), dict(corrected_weight_decay=True)
    variants = [
        ("adamc", "adamwlegacy", corrected), ("cadamw", "adamwlegacy", caution),
        ("cadamc", "adamwlegacy", {**caution, **corrected}),
        ("lapropc", "laprop", corrected), ("claprop", "laprop", caution),
        ("cmars", "mars", caution),
        ("sgdc", "sgdw", corrected), ("csgdw", "sgdw", caution), ("csgdc", "sgdw", {**caution, **corrected}),
        ("csgdp", "sgdp", caution), ("cadamp", "adamp", caution),
        ("nadamc", "nadamw", corrected), ("cnadamw", "nadamw", caution),
        ("cnadamc", "nadamw", {**caution, **corrected}),
        ("lionc", "lion", corrected), ("clion", "lion", caution), ("clionc", "lion", {**caution, **corrected}),
        ("lambw", "lamb", dict(decoupled_decay=True)), ("lambcw", "lambc", dict(decoupled_decay=True)),
        ("lambcd", "lamb", dict(decoupled_decay=True, **corrected)), ("clamb", "lamb", caution),
        ("clambw", "lamb", dict(decoupled_decay=True, **caution)),
        ("novogradw", "novograd", dict(decoupled_decay=True)),
        ("novogradc", "novograd", dict(decoupled_decay=True, **corrected)),
        ("rmsproptfw", "rmsproptf", dict(decoupled_decay=True)),
        ("rmsproptfc", "rmsproptf", dict(decoupled_decay=True, **corrected)), ("crmsproptf", "rmsproptf", caution),
        ("adoptc", "adoptw", corrected), ("cadopt", "adopt", caution), ("cadoptw", "adoptw", caution),
        ("cadoptc", "adoptw", {**caution, **corrected}),
        ("cadan", "adan", caution), ("cadanw", "adanw", caution),
        ("cadafactor", "adafactor", dict(betas=(0.9, 0.999), **caution)),
        ("adafactorbvc", "adafactorbv", corrected), ("cadafactorbv", "adafactorbv", caution),
        ("cadafactorbvc", "adafactorbv", {**caution, **corrected}),
    ]
    notes = {"caution": "cautious", "corrected_weight_decay": "corrected decay", "decoupled_decay": "decoupled decay"}
    for name, base, extra in variants:
        b = rows[base]
        what = ", ".join(notes[k] for k in extra if k in notes)
        rows[name] = OptimInfo(name, b.opt_class, f"{b.description}; {what}", b.has_eps, b.has_momentum,
                               b.has_betas, {**b.defaults, **extra})
    return rows


_OPTIMIZERS: Dict[str, OptimInfo] = _rows()


def list_optimizers(
        filter: Union[str, List[str]] = "",
        exclude_filters: Optional[List[str]] = None,
        with_description: bool = False,
) -> List[Union[str, Tuple[str, str]]]:
    """Sorted optimizer names, optionally fnmatch-filtered (a pattern or a list of them)."""
    names = sorted(_OPTIMIZERS)
    if filter:
        patterns = [filter] if isinstance(filter, str) else list(filter)
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in patterns)]
    for pattern in exclude_filters or ():
        names = [n for n in names if not fnmatch.fnmatch(n, pattern)]
    if with_description:
        return [(n, _OPTIMIZERS[n].description) for n in names]
    return names


def _split_name(name: str) -> Tuple[str, bool]:
    """'lookahead_adamw' -> ('adamw', True); names are case-insensitive."""
    parts = name.lower().split("_")
    return parts[-1], len(parts) > 1 and parts[0] == "lookahead"


def get_optimizer_info(name: str) -> OptimInfo:
    base, _ = _split_name(name)
    if base not in _OPTIMIZERS:
        close = difflib.get_close_matches(base, _OPTIMIZERS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValueError(f"unknown optimizer {name!r}{hint}; valid choices: {', '.join(sorted(_OPTIMIZERS))} "
                         "(any of them may take a 'lookahead_' prefix)")
    return _OPTIMIZERS[base]


def get_optimizer_class(name: str, bind_defaults: bool = True):
    """The class behind ``name``; with ``bind_defaults`` a callable that also applies the name's defaults
    (so ``get_optimizer_class('nesterov')(params, lr=0.1)`` is Nesterov SGD)."""
    info = get_optimizer_info(name)
    if not bind_defaults or not info.defaults:
        return info.opt_class

    def create(params, **kwargs):
        return info.opt_class(params, **{**info.defaults, **kwargs})

    create.__name__ = create.__qualname__ = info.opt_class.__name__
    create.__doc__ = f"{info.opt_class.__name__} with defaults {info.defaults}"
    return create


def create_optimizer_v2(
        model_or_params,
        opt: str = "sgd",
        lr: Optional[float] = None,
        weight_decay: float = 0.0,
        momentum: float = 0.9,
        foreach: Optional[bool] = None,
        filter_bias_and_bn: bool = True,
        fallback_list: Collection[str] = (),
        fallback_no_weight_decay: bool = False,
        layer_decay: Optional[float] = None,
        layer_decay_min_scale: float = 0.0,
        layer_decay_no_opt_scale: Optional[float] = None,
        param_group_fn: Optional[Callable[[nn.Module], Any]] = None,
        **kwargs: Any,
) -> torch.optim.Optimizer:
    """Create the optimizer named ``opt`` (see :func:`list_optimizers`; prefix ``lookahead_`` to wrap it).

    From a model, parameter groups come from (first that applies) ``param_group_fn(model)``,
    ``layer_decay`` (:func:`param_groups_layer_decay`) or weight-decay grouping
    (:func:`param_groups_weight_decay`): biases, 1-d (norm) parameters when ``filter_bias_and_bn``, and the
    model's ``no_weight_decay()`` names get no weight decay. Parameters or groups are passed through as given.

    ``lr=None`` keeps the optimizer's own default. ``momentum`` only reaches optimizers that take one; ``eps``
    and ``betas`` in ``kwargs`` are dropped for those that do not, so one set of flags fits every name.

    Groups with an ``lr_scale`` (layer decay) get it applied inside ``step()``, whatever the scheduler;
    ``group['lr']`` stays the scheduled value (see ``_lr_scale.py``).
    """
    info = get_optimizer_info(opt)
    _, use_lookahead = _split_name(opt)
    if isinstance(model_or_params, nn.Module):
        model = model_or_params
        no_weight_decay = set(getattr(model, "no_weight_decay", lambda: set())())
        if param_group_fn:
            params = param_group_fn(model)
        elif layer_decay is not None:
            params = param_groups_layer_decay(
                model, weight_decay=weight_decay, layer_decay=layer_decay, no_weight_decay_list=no_weight_decay,
                fallback_list=fallback_list, fallback_no_weight_decay=fallback_no_weight_decay,
                weight_decay_exclude_1d=filter_bias_and_bn, min_scale=layer_decay_min_scale,
                no_opt_scale=layer_decay_no_opt_scale)
            weight_decay = 0.0  # each group carries its own
        else:
            params = param_groups_weight_decay(
                model, weight_decay=weight_decay, weight_decay_exclude_1d=filter_bias_and_bn,
                no_weight_decay_list=no_weight_decay, fallback_list=fallback_list,
                fallback_no_weight_decay=fallback_no_weight_decay)
            weight_decay = 0.0
    else:
        params = model_or_params

    opt_args: Dict[str, Any] = {"weight_decay": weight_decay, **kwargs}
    if lr is not None:
        opt_args["lr"] = lr
    for key, value in info.defaults.items():
        opt_args.setdefault(key, value)
    if info.has_momentum:
        opt_args.setdefault("momentum", momentum)
    if not info.has_eps:
        opt_args.pop("eps", None)
    if not info.has_betas:
        opt_args.pop("betas", None)
    if foreach is not None:
        opt_args.setdefault("foreach", foreach)
    if opt_args.get("fused") and opt_args.get("foreach"):
        opt_args.pop("foreach")  # PyTorch rejects both; the fused name asked for the fused kernel

    optimizer = apply_lr_scale_in_step(info.opt_class(params, **opt_args))
    if use_lookahead:
        optimizer = Lookahead(optimizer)
    return optimizer


def optimizer_kwargs(cfg) -> Dict[str, Any]:
    """Keyword arguments of :func:`create_optimizer_v2` from a train.py-style config (``opt``, ``lr``,
    ``weight_decay``, ``momentum``, and when set ``opt_eps``, ``opt_betas``, ``layer_decay*``, ``opt_args``,
    ``opt_foreach``)."""
    kwargs = dict(opt=cfg.opt, lr=cfg.lr, weight_decay=cfg.weight_decay, momentum=cfg.momentum)
    optional = [("opt_eps", "eps"), ("opt_betas", "betas"), ("layer_decay", "layer_decay"),
                ("layer_decay_min_scale", "layer_decay_min_scale"),
                ("layer_decay_no_opt_scale", "layer_decay_no_opt_scale")]
    for attr, key in optional:
        if getattr(cfg, attr, None) is not None:
            kwargs[key] = getattr(cfg, attr)
    if getattr(cfg, "opt_args", None) is not None:
        kwargs.update(cfg.opt_args)
    if getattr(cfg, "opt_foreach", None) is not None:
        kwargs["foreach"] = cfg.opt_foreach
    return kwargs


def create_optimizer(args, model, filter_bias_and_bn: bool = True) -> torch.optim.Optimizer:
    """Legacy entry point: :func:`create_optimizer_v2` from a train.py-style config."""
    return create_optimizer_v2(model, **optimizer_kwargs(args), filter_bias_and_bn=filter_bias_and_bn)
