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

__all__ = ["resolve_data_config", "resolve_model_data_config"]

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
