"""Parameter groups: which parameters get weight decay, and per-layer lr scales (layer-wise lr decay).

Layer decay (BEiT, Bao et al. 2021, https://arxiv.org/abs/2106.08254) gives layer ``i`` of ``L`` the lr scale
``layer_decay ** (L - 1 - i)``: the head trains at the full lr, the stem at the smallest. Each group carries it
as ``'lr_scale'``; :func:`imagemodels.optim.create_optimizer_v2` makes the optimizer multiply its lr by it inside
``step()`` (see ``_lr_scale.py``), so it works under any scheduler, PyTorch's included.
"""
import fnmatch
import logging
import re
from collections import defaultdict
from typing import Collection, Dict, List, Optional

from torch import nn

_logger = logging.getLogger(__name__)


def _matches(name: str, patterns: Collection[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def _skips_decay(name, param, exclude_1d, no_weight_decay_list):
    # biases and norm scales/shifts are 1-d; decaying them only hurts
    return (exclude_1d and (param.ndim <= 1 or name.endswith(".bias"))) or _matches(name, no_weight_decay_list)


def param_groups_weight_decay(
        model: nn.Module,
        weight_decay: Optional[float] = 1e-5,
        weight_decay_exclude_1d: bool = True,
        no_weight_decay_list: Collection[str] = (),
        fallback_list: Collection[str] = (),
        fallback_no_weight_decay: bool = False,
) -> List[dict]:
    """Two groups (no-decay first, then decay) of the trainable parameters; empty groups are left out.

    ``no_weight_decay_list`` holds names or fnmatch patterns (e.g. from ``model.no_weight_decay()``).
    ``fallback_list`` parameters go to separate groups flagged ``use_fallback`` (for hybrid optimizers).
    """
    if fallback_no_weight_decay:
        fallback_list = set(fallback_list) | set(no_weight_decay_list)
    buckets = defaultdict(list)  # (decays, fallback) -> params
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        decays = bool(weight_decay) and not _skips_decay(name, param, weight_decay_exclude_1d, no_weight_decay_list)
        buckets[(decays, _matches(name, fallback_list))].append(param)
    groups = []
    for decays, fallback in ((False, False), (True, False), (False, True), (True, True)):
        if buckets[(decays, fallback)]:
            group = {"params": buckets[(decays, fallback)], "weight_decay": weight_decay if decays else 0.0}
            if fallback:
                group["use_fallback"] = True
            groups.append(group)
    return groups


def group_layer_ids(model: nn.Module, group_matcher: Dict[str, object]) -> Dict[str, int]:
    """Parameter name -> layer id from a model's ``group_matcher()`` (name -> regex, or list of
    ``(regex, suffix)``). Groups are ordered by their position in the dict, then by the integers the regex
    captures; parameters no regex matches (neck, head) are the last layer. A suffix of ``(99999,)`` joins
    the previous layer."""
    compiled = []
    for ordinal, spec in enumerate(group_matcher.values()):
        if spec is None:
            continue
        if isinstance(spec, (list, tuple)):
            compiled += [(re.compile(rx), (ordinal,), suffix) for rx, suffix in spec]
        else:
            compiled.append((re.compile(spec), (ordinal,), None))

    def sort_key(name):
        for rx, prefix, suffix in compiled:
            m = rx.match(name)
            if m:
                parts = [prefix, m.groups(), suffix]
                return tuple(float(x) for part in parts if part for x in part)
        return (float("inf"),)

    by_key = defaultdict(list)
    for name, _ in model.named_parameters():
        by_key[sort_key(name)].append(name)
    layer_of, layer = {}, -1
    for key in sorted(by_key):
        if layer < 0 or key[-1] != 99999:
            layer += 1
        for name in by_key[key]:
            layer_of[name] = layer
    return layer_of


def auto_group_layers(model: nn.Module, layers_per_group: int = 12, num_groups: Optional[int] = None):
    """Layer ids for a model without ``group_matcher``: consecutive chunks of ``layers_per_group`` trunk
    parameters, with the head (``pretrained_cfg['classifier']`` prefix) as the last layer."""
    head = getattr(model, "pretrained_cfg", {}).get("classifier", None)
    heads = (head,) if isinstance(head, str) else tuple(head or ())
    names = [n for n, _ in model.named_parameters()]
    in_head = (lambda n: any(n.startswith(h) for h in heads)) if heads else (lambda n: True)
    trunk = [n for n in names if not in_head(n)]
    if num_groups is not None:
        layers_per_group = -(len(trunk) // -num_groups)  # ceil
    layer_of = {n: i // layers_per_group for i, n in enumerate(trunk)}
    num_trunk = -(len(trunk) // -layers_per_group) if trunk else 0
    layer_of.update({n: num_trunk for n in names if in_head(n)})
    return layer_of


def param_groups_layer_decay(
        model: nn.Module,
        weight_decay: float = 0.05,
        no_weight_decay_list: Collection[str] = (),
        fallback_list: Collection[str] = (),
        fallback_no_weight_decay: bool = False,
        weight_decay_exclude_1d: bool = True,
        layer_decay: float = 0.75,
        min_scale: float = 0.0,
        no_opt_scale: Optional[float] = None,
        verbose: bool = False,
) -> List[dict]:
    """One group per (layer, decay / no decay[, fallback]), each with ``lr_scale`` and ``weight_decay``.

    Scales are clamped below at ``min_scale``; parameters whose scale is below ``no_opt_scale`` are frozen
    (``requires_grad=False``) and left out. Unlike :func:`param_groups_weight_decay`, only 1-d parameters (not
    every ``.bias``) are exempt from decay here, as in the reference.
    """
    if fallback_no_weight_decay:
        fallback_list = set(fallback_list) | set(no_weight_decay_list)
    if hasattr(model, "group_matcher"):
        layer_of = group_layer_ids(model, model.group_matcher(coarse=False))
    else:
        layer_of = auto_group_layers(model)
    num_layers = max(layer_of.values()) + 1
    if num_layers == 1:
        _logger.warning("layer decay has no effect: every parameter is in one layer (give the model a "
                        "group_matcher() or a pretrained_cfg['classifier'])")
    last = num_layers - 1
    scales = [max(min_scale, layer_decay ** (last - i)) for i in range(num_layers)]

    groups: Dict[str, dict] = {}
    names: Dict[str, List[str]] = defaultdict(list)
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        layer = layer_of.get(name, last)
        scale = scales[layer]
        if no_opt_scale and scale < no_opt_scale:
            param.requires_grad = False
            continue
        no_decay = (weight_decay_exclude_1d and param.ndim <= 1) or _matches(name, no_weight_decay_list)
        fallback = _matches(name, fallback_list)
        key = f"layer_{layer}_{'no_decay' if no_decay else 'decay'}{'_fallback' if fallback else ''}"
        if key not in groups:
            groups[key] = {"lr_scale": scale, "weight_decay": 0.0 if no_decay else weight_decay, "params": []}
            if fallback:
                groups[key]["use_fallback"] = True
        groups[key]["params"].append(param)
        names[key].append(name)
    if verbose:
        for key, group in groups.items():
            _logger.info("%s: lr_scale %.4g, weight_decay %g, %s", key, group["lr_scale"], group["weight_decay"],
                         ", ".join(names[key]))
    return list(groups.values())
