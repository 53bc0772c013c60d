"""Dev tool: print a family's weight table (as data) from the reference library's pretrained cfgs.

    python tools/dump_family_cfgs.py hrnet        # any reference module: efficientnet, vision_transformer, ...

Prints a ``_cfg`` helper whose defaults are the most common value of each field across the
module's tags, then one ``"arch.tag": _cfg(...)`` row per tag (reference tag order) listing only the
fields that differ. The output is pasted into the family file; values are facts, not code.
"""
from __future__ import annotations

import sys
from collections import Counter

import timm
from timm.models import _registry as ref_registry

FIELDS = (
    "url", "hf_hub_id", "num_classes", "input_size", "test_input_size", "pool_size", "crop_pct", "test_crop_pct",
    "crop_mode", "interpolation", "mean", "std", "first_conv", "classifier", "license", "origin_url", "paper_ids",
    "fixed_input_size", "min_input_size", "label_offset",
    # where some weights live or how they load (open_clip files, revisions, custom loaders)
    "hf_hub_filename", "hf_hub_revision", "source", "custom_load", "paper_name", "notes",
)
DATACLASS_DEFAULTS = dict(
    url=None, hf_hub_id=None, num_classes=1000, input_size=(3, 224, 224), test_input_size=None, pool_size=None,
    crop_pct=0.875, test_crop_pct=None, crop_mode="center", interpolation="bicubic",
    mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), first_conv=None, classifier=None, license=None,
    origin_url=None, paper_ids=None, fixed_input_size=False, min_input_size=None, label_offset=None,
    hf_hub_filename=None, hf_hub_revision=None, source=None, custom_load=False, paper_name=None, notes=None,
)


def _norm(value):
    if isinstance(value, list):
        return tuple(value)
    if value == "":
        return None
    return value


def main(module: str) -> None:
    rows = []
    for arch in timm.list_models(module=module):
        dc = ref_registry._model_default_cfgs[arch]
        for tag in dc.tags:
            cfg = dc.cfgs[tag]
            rows.append((f"{arch}.{tag}" if tag else arch, {f: _norm(getattr(cfg, f, None)) for f in FIELDS}))
    defaults = {}
    for f in FIELDS:
        if f == "url":
            continue
        value, _ = Counter(repr(r[f]) for _, r in rows).most_common(1)[0]
        value = eval(value)
        if value != DATACLASS_DEFAULTS[f] or f in ("first_conv", "classifier"):
            defaults[f] = value
    print("def _cfg(url: str = \"\", **kwargs: Any) -> Dict[str, Any]:")
    print(("    cfg = dict(url=url, " + ", ".join(f"{k}={v!r}" for k, v in defaults.items()) + ")").replace("'", '"'))
    print("    cfg.update(kwargs)\n    return cfg\n")
    for name, r in rows:
        args = []
        if r["url"]:
            url = r["url"]
            prefix = "https://github.com/rwightman/pytorch-image-models/releases/download/"
            args.append(f"_RELEASES + {url[len(prefix):]!r}" if url.startswith(prefix) else repr(url))
        for f in FIELDS:
            if f == "url":
                continue
            if r[f] != defaults.get(f, DATACLASS_DEFAULTS[f]):
                args.append(f"{f}={r[f]!r}")
        print(f"    {name!r}: _cfg({', '.join(args)}),".replace("'", '"'))


if __name__ == "__main__":
    main(sys.argv[1])
