"""Dev tool: compare the ResNet weight table with the reference library's pretrained cfgs.

Checks, for every architecture of the reference's ``resnet`` module: the same names are registered,
the tags come in the same order (so the default tag matches), and every cfg field the reference sets
has the same value here. Needs the reference library (``pip install imagemodels[test]``).

    python tools/check_resnet_cfgs.py
"""
from __future__ import annotations

import sys

import timm
from timm.models import _registry as ref_registry

from imagemodels.models import resnet

FIELDS = (
    "url", "hf_hub_id", "num_classes", "input_size", "test_input_size", "pool_size", "crop_pct", "test_crop_pct",
    "crop_mode", "interpolation", "mean", "std", "first_conv", "classifier", "license", "origin_url", "paper_ids",
    "fixed_input_size", "min_input_size", "label_offset",
)


def _norm(field: str, value):
    if field == "url" and not value:
        return None
    if isinstance(value, list):
        return tuple(value)
    return value


def main() -> int:
    problems = []
    ref_names = set(timm.list_models(module="resnet"))
    ours = set(resnet.RESNETS)
    if ref_names != ours:
        problems.append(f"names differ: missing {sorted(ref_names - ours)}, extra {sorted(ours - ref_names)}")
    n_tags = 0
    for arch in sorted(ref_names & ours):
        ref_dc = ref_registry._model_default_cfgs[arch]
        our_dc = resnet.default_cfgs[arch]
        if list(ref_dc.tags) != list(our_dc.tags):
            problems.append(f"{arch}: tags {list(our_dc.tags)} != reference {list(ref_dc.tags)}")
            continue
        for tag in ref_dc.tags:
            n_tags += 1
            ref_cfg, our_cfg = ref_dc.cfgs[tag], our_dc.cfgs[tag]
            for field in FIELDS:
                a, b = _norm(field, getattr(ref_cfg, field, None)), _norm(field, getattr(our_cfg, field, None))
                if field == "hf_hub_id" and a and b:  # 'timm/' is shorthand for 'timm/<arch>.<tag>'
                    a, b = a.rstrip("/").split("/")[0], b.rstrip("/").split("/")[0]
                if a != b:
                    problems.append(f"{arch}.{tag}: {field} = {b!r}, reference {a!r}")
    ref_pre = set(timm.list_models(module="resnet", pretrained=True))
    our_pre = {f"{a}.{t}" for a, dc in resnet.default_cfgs.items() for t in dc.tags if dc.cfgs[t].has_weights}
    if ref_pre != our_pre:
        problems.append(f"tags with weights differ: missing {sorted(ref_pre - our_pre)}, extra {sorted(our_pre - ref_pre)}")
    for p in problems:
        print(p)
    print(f"{len(ours)} architectures, {n_tags} tags, {len(our_pre)} with weights: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
