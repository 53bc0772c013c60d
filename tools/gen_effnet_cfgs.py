"""Dev tool: print the weight-metadata table of an MBConv-family module from the reference's cfg values.

The values (URLs, sizes, crop, mean/std, licences) are facts about published weights; this prints them
as compact ``_cfg(...)`` rows (only the fields that differ from the module's most common value), in the
reference's tag order, to paste into the family file. Needs the reference library.

    python tools/gen_effnet_cfgs.py efficientnet
"""
from __future__ import annotations

import collections
import sys

import timm
from timm.models import _registry as ref_registry

FIELDS = (
    "url", "hf_hub_id", "num_classes", "input_size", "test_input_size", "pool_size", "crop_pct", "test_crop_pct",
    "crop_mode", "interpolation", "mean", "std", "first_conv", "classifier", "license", "origin_url", "paper_ids",
    "fixed_input_size", "min_input_size", "label_offset", "hf_hub_filename", "paper_name", "notes",
)


def _val(cfg, field, full):
    value = getattr(cfg, field, None)
    if isinstance(value, list):
        value = tuple(value)
    if field == "hf_hub_id" and value == "timm/" + full:
        value = "timm/"
    if field == "hf_hub_id" and value == "timm/":
        value = "timm/"
    if field == "url" and not value:
        value = ""
    return value


def main(module: str) -> None:
    rows = []
    for arch in timm.list_models(module=module):
        dc = ref_registry._model_default_cfgs[arch]
        for tag in dc.tags:
            full = f"{arch}.{tag}" if tag else arch
            cfg = dc.cfgs[tag]
            rows.append((full, {f: _val(cfg, f, full) for f in FIELDS}))
    defaults = {}
    for f in FIELDS:
        counts = collections.Counter(repr(r[f]) for _, r in rows)
        top = counts.most_common(1)[0][0]
        defaults[f] = next(r[f] for _, r in rows if repr(r[f]) == top)
    print("_DEFAULTS = dict(" + ", ".join(f"{f}={v!r}" for f, v in defaults.items() if v is not None) + ")")
    for full, r in rows:
        diff = {f: v for f, v in r.items() if repr(v) != repr(defaults[f])}
        args = []
        if "url" in diff:
            args.append(_url(diff.pop("url")))
        args += [f"{f}={v!r}" for f, v in diff.items()]
        _print_row(f"    {full!r}: _cfg(", args)


_PREFIXES = {
    "_GH_TIMM": "https://github.com/rwightman/pytorch-image-models/releases/download/",
    "_GH_HF": "https://github.com/huggingface/pytorch-image-models/releases/download/",
}


def _url(url: str) -> str:
    for name, prefix in _PREFIXES.items():
        if url.startswith(prefix):
            return f"{name} + {url[len(prefix):]!r}"
    return repr(url)


def _print_row(head: str, args) -> None:
    line = head + ", ".join(args) + "),"
    if len(line) <= 118:
        print(line)
        return
    out, cur = [], head
    for i, a in enumerate(args):
        piece = a + (", " if i < len(args) - 1 else "),")
        if len(cur) + len(piece) > 118 and cur.strip() and not cur.endswith("("):
            out.append(cur.rstrip())
            cur = "        "
        cur += piece
    out.append(cur)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
