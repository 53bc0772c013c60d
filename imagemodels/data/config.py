"""Resolve the preprocessing a model expects (size, interpolation, mean/std, crop) into one dict.

Precedence, per field: explicit ``args`` > ``pretrained_cfg`` (given, or the model's own) > the
ImageNet defaults. ``use_test_size`` picks a weight's ``test_input_size`` / ``test_crop_pct`` when it
has them.
"""
from __future__ import annotations

import logging
from dataclasses import fields, is_dataclass
from typing import Any, Dict, Optional

from .constants import DEFAULT_CROP_MODE, DEFAULT_CROP_PCT, IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD

__all__ = ["resolve_data_config", "resolve_model_data_config", "resolve_input_data_config"]

_logger = logging.getLogger(__name__)


def _as_dict(cfg) -> Dict[str, Any]:
    if cfg is None:
        return {}
    if is_dataclass(cfg):
        # shallow on purpose: asdict() would deep-copy an in-memory state_dict
        return {f.name: getattr(cfg, f.name) for f in fields(cfg)}
    if isinstance(cfg, dict):
        return cfg
    return vars(cfg)  # an argparse.Namespace or similar


def _per_channel(name: str, values, in_chans: int) -> tuple:
    values = tuple(values)
    if len(values) == 1:
        return values * in_chans
    if len(values) != in_chans:
        raise ValueError(f"{name} needs 1 or {in_chans} values (one per input channel), got {len(values)}: {values}")
    return values


def resolve_data_config(
    args: Optional[Dict[str, Any]] = None,
    pretrained_cfg=None,
    model=None,
    use_test_size: bool = False,
    verbose: bool = False,
) -> Dict[str, Any]:
    """``{'input_size', 'interpolation', 'mean', 'std', 'crop_pct', 'crop_mode'}`` for a model / weights / args."""
    if not (model is not None or args or pretrained_cfg):
        raise ValueError("resolve_data_config needs at least one of model, args or pretrained_cfg")
    args = _as_dict(args)
    cfg = _as_dict(pretrained_cfg)
    if not cfg and model is not None:
        cfg = _as_dict(getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None))

    def arg(name):
        return args.get(name)

    in_chans = arg("in_chans") if arg("in_chans") is not None else arg("chans")
    in_chans = 3 if in_chans is None else int(in_chans)
    if arg("input_size") is not None:
        input_size = tuple(arg("input_size"))
        if len(input_size) != 3:
            raise ValueError(f"input_size must be (channels, height, width), got {arg('input_size')}")
        in_chans = input_size[0]  # an explicit input_size decides the channel count
    elif arg("img_size") is not None:
        if not isinstance(arg("img_size"), int):
            raise ValueError(f"img_size must be an int (use input_size for (C, H, W)), got {arg('img_size')!r}")
        input_size = (in_chans, arg("img_size"), arg("img_size"))
    elif use_test_size and cfg.get("test_input_size") is not None:
        input_size = tuple(cfg["test_input_size"])
    elif cfg.get("input_size") is not None:
        input_size = tuple(cfg["input_size"])
    else:
        input_size = (in_chans, 224, 224)

    config = {"input_size": input_size}
    config["interpolation"] = arg("interpolation") or cfg.get("interpolation") or "bicubic"
    for name, default in (("mean", IMAGENET_DEFAULT_MEAN), ("std", IMAGENET_DEFAULT_STD)):
        if arg(name) is not None:
            config[name] = _per_channel(name, arg(name), in_chans)
        else:
            config[name] = cfg.get(name) or default

    if arg("crop_pct"):
        crop_pct = arg("crop_pct")
    elif use_test_size and cfg.get("test_crop_pct"):
        crop_pct = cfg["test_crop_pct"]
    else:
        crop_pct = cfg.get("crop_pct") or DEFAULT_CROP_PCT
    config["crop_pct"] = crop_pct
    config["crop_mode"] = arg("crop_mode") or cfg.get("crop_mode") or DEFAULT_CROP_MODE

    if verbose:
        _logger.info("Data processing configuration for current model + dataset:")
        for key, value in config.items():
            _logger.info("\t%s: %s", key, value)
    return config


def resolve_model_data_config(
    model,
    args: Optional[Dict[str, Any]] = None,
    pretrained_cfg=None,
    use_test_size: bool = False,
    verbose: bool = False,
) -> Dict[str, Any]:
    """:func:`resolve_data_config` with the model first."""
    return resolve_data_config(
        args=args, pretrained_cfg=pretrained_cfg, model=model, use_test_size=use_test_size, verbose=verbose
    )


def _model_in_chans(model) -> Optional[int]:
    """Channels the model's first convolution takes (None when it has none to ask)."""
    import torch.nn as nn

    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            return module.in_channels
    return None


def _model_fixed_img_size(model) -> Optional[tuple]:
    """(h, w) when a patch embedding insists on one input size, None when any size is accepted."""
    for module in model.modules():
        if getattr(module, "strict_img_size", False) and getattr(module, "img_size", None) is not None:
            size = module.img_size
            return tuple(size) if isinstance(size, (tuple, list)) else (size, size)
    return None


def _requested_hw(args: Dict[str, Any]) -> Optional[tuple]:
    if args.get("input_size") is not None:
        return tuple(args["input_size"][-2:])
    if args.get("img_size") is not None:
        size = args["img_size"]
        return tuple(size) if isinstance(size, (tuple, list)) else (size, size)
    return None


def _fit_channels(values, in_chans: int) -> tuple:
    """Per-channel mean/std for ``in_chans``: weights' 3 values become their mean for a 1-channel model."""
    values = tuple(values)
    if len(values) in (1, in_chans):
        return values * in_chans if len(values) == 1 else values
    _logger.info("pretrained mean/std has %d values, the model takes %d channels: using their mean", len(values), in_chans)
    return (round(sum(values) / len(values), 3),) * in_chans


def resolve_input_data_config(
    model,
    args: Optional[Dict[str, Any]] = None,
    pretrained_cfg=None,
    use_test_size: bool = False,
    verbose: bool = False,
) -> Dict[str, Any]:
    """:func:`resolve_model_data_config`, checked against what the model can take.

    A model that fixes its input size (a patch embedding with ``strict_img_size``) or its channels rejects a
    different explicit request, and without one gets its own size and channels (pretrained mean / std are
    averaged to fit a 1-channel model). Models that take any size keep the train / test recommendations.
    """
    args = dict(_as_dict(args))
    in_chans = _model_in_chans(model)
    requested_chans = args.get("in_chans", args.get("chans"))
    if requested_chans is None and args.get("input_size") is not None:
        requested_chans = args["input_size"][0]
    if in_chans is not None and requested_chans is not None and int(requested_chans) != in_chans:
        raise ValueError(f"requested {requested_chans} input channels but the model takes {in_chans}; "
                         "drop in_chans or create the model with in_chans set")
    fixed = _model_fixed_img_size(model)
    requested = _requested_hw(args)
    if fixed is not None and requested is not None and requested != fixed:
        raise ValueError(f"requested image size {requested} but the model only takes {fixed}; create it with "
                         "img_size set, or dynamic_img_size=True")
    cfg = _as_dict(pretrained_cfg) or _as_dict(getattr(model, "pretrained_cfg", None))
    if in_chans is not None:
        args.setdefault("in_chans", in_chans)
        cfg = dict(cfg)
        for key in ("mean", "std"):
            if args.get(key) is None and cfg.get(key) is not None:
                cfg[key] = _fit_channels(cfg[key], in_chans)
    config = resolve_data_config(args=args, pretrained_cfg=cfg, model=model, use_test_size=use_test_size,
                                 verbose=False)
    hw = fixed if fixed is not None else tuple(config["input_size"][1:])
    config["input_size"] = (in_chans if in_chans is not None else config["input_size"][0], *hw)
    if verbose:
        _logger.info("Data processing configuration for current model + dataset:")
        for key, value in config.items():
            _logger.info("\t%s: %s", key, value)
    return config
