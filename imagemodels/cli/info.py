"""``imagemodels info NAME``: what a model is, what it costs, and what its weights expect."""
from __future__ import annotations

import json
from typing import Any, Dict, List

from .main import CommandError

__all__ = ["info_command", "gather_info", "format_info"]

MACS_NOTE = (
    "multiply-accumulates of convolutions, linear layers and matrix products "
    "(torch FlopCounterMode FLOPs / 2); norms, activations and pooling not counted"
)
_PREPROCESS_KEYS = ("input_size", "test_input_size", "crop_pct", "test_crop_pct", "crop_mode", "interpolation", "mean", "std", "num_classes")


def _resolve_tag(name: str):
    """``name`` -> ``(full name, its PretrainedCfg, every {full name: cfg} of the architecture)``."""
    from ..models import get_arch_pretrained_cfgs, split_model_name_tag

    arch, tag = split_model_name_tag(name)
    cfgs = get_arch_pretrained_cfgs(arch)  # raises UnknownModelError with close matches
    full = name if tag else next(iter(cfgs))  # the first entry is the default tag
    if full not in cfgs:
        raise CommandError(f"'{arch}' has no tag '{tag}'; its tags are: {', '.join(cfgs)}")
    return full, cfgs[full], cfgs


def _feature_rows(model) -> List[Dict[str, Any]]:
    info = getattr(model, "feature_info", None) or []
    return [{"num_chs": fi["num_chs"], "reduction": fi["reduction"], "module": fi.get("module")} for fi in info]


def gather_info(name: str) -> Dict[str, Any]:
    """Everything ``info`` shows, as plain JSON-able data. Builds the model without weights."""
    full, cfg, cfgs = _resolve_tag(name)  # an unknown name fails here, before torch is imported

    from ..models import create_model
    from ..utils.complexity import measure_model

    input_size = tuple(cfg.input_size)
    model, params, macs = measure_model(lambda: create_model(full), input_size)
    return {
        "name": full,
        "architecture": cfg.architecture,
        "class": type(model).__name__,
        "module": type(model).__module__,
        "params": params,
        "macs": macs,
        "gmacs": round(macs / 1e9, 3),
        "macs_input_size": list(input_size),
        "macs_note": MACS_NOTE,
        "default_tag": next(iter(cfgs)),
        "preprocessing": {k: _plain(getattr(cfg, k)) for k in _PREPROCESS_KEYS if getattr(cfg, k) is not None},
        "tags": [
            {
                "name": tag_name,
                "has_weights": tag_cfg.has_weights,
                "top1": tag_cfg.top1,
                "input_size": list(tag_cfg.input_size),
                "num_classes": tag_cfg.num_classes,
                "license": tag_cfg.license,
            }
            for tag_name, tag_cfg in cfgs.items()
        ],
        "features": _feature_rows(model),
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _size(shape) -> str:
    return "x".join(str(s) for s in shape)


def format_info(info: Dict[str, Any]) -> str:
    pre = info["preprocessing"]
    lines = [
        f"{info['name']}  ({info['class']} from {info['module']})",
        f"  parameters     {info['params']:,}  ({info['params'] / 1e6:.2f} M)",
        f"  GMACs          {info['macs'] / 1e9:.3f} at {_size(info['macs_input_size'])}",
        f"                 ({info['macs_note']})",
        f"  classes        {pre.get('num_classes')}",
        f"  input          {_size(pre['input_size'])}"
        + (f" (test {_size(pre['test_input_size'])})" if pre.get("test_input_size") else ""),
        f"  preprocessing  crop_pct {pre.get('crop_pct')} ({pre.get('crop_mode')}), {pre.get('interpolation')}, "
        f"mean {_floats(pre['mean'])}, std {_floats(pre['std'])}",
        f"  weights        ({len(info['tags'])} tag{'s' if len(info['tags']) != 1 else ''}, * = default)",
    ]
    width = max(len(t["name"]) for t in info["tags"])
    for t in info["tags"]:
        mark = "*" if t["name"] == info["default_tag"] else " "
        if not t["has_weights"]:
            result = "no weights"
        elif t["top1"] is None:
            result = "top-1 unknown"
        else:
            result = f"top-1 {t['top1']:.2f}"
        extra = f"  {_size(t['input_size'])}" if t["input_size"] != pre["input_size"] else ""
        if t["num_classes"] != pre.get("num_classes"):
            extra += f"  {t['num_classes']} classes" if t["num_classes"] else "  no classifier (features)"
        lines.append(f"    {mark} {t['name']:<{width}}  {result}{extra}")
    if info["features"]:
        lines.append("  features       (features_only=True; reduction = input size / map size)")
        lines.append("      index  channels  reduction  module")
        for i, f in enumerate(info["features"]):
            lines.append(f"      {i:<5}  {f['num_chs']:<8}  {f['reduction']:<9}  {f['module'] or ''}")
    else:
        lines.append("  features       none described (features_only is not supported)")
    return "\n".join(lines)


def _floats(values) -> str:
    return "(" + ", ".join(f"{v:.4g}" for v in values) + ")"


def info_command(name: str, as_json: bool = False) -> int:
    info = gather_info(name)
    print(json.dumps(info, indent=2) if as_json else format_info(info))
    return 0
