"""Registry census: for every module we register, the names, weight tags, weight metadata and old
(deprecated) names equal the reference library's. A family lands with its whole table right, or this
fails naming the field.

The check is data only (no model is built), so it runs for every registered module on every push.
"""
from __future__ import annotations

from typing import List

import pytest

import imagemodels
from imagemodels.models._registry import registered_default_cfg

timm = pytest.importorskip("timm")

# every pretrained-cfg field a user or a loader reads
FIELDS = (
    "url", "hf_hub_id", "num_classes", "input_size", "test_input_size", "pool_size", "crop_pct", "test_crop_pct",
    "crop_mode", "interpolation", "mean", "std", "first_conv", "classifier", "license", "origin_url", "paper_ids",
    "fixed_input_size", "min_input_size", "label_offset",
)


def _norm(field: str, value):
    if field == "url" and not value:
        return None
    if field == "hf_hub_id" and value:  # 'timm/' is shorthand for 'timm/<arch>.<tag>'
        return value.rstrip("/").split("/")[0]
    if isinstance(value, list):
        return tuple(value)
    return value


def census_problems(module: str) -> List[str]:
    from timm.models import _registry as ref_registry

    problems = []
    ours, theirs = imagemodels.list_models(module=module), timm.list_models(module=module)
    if ours != theirs:
        problems.append(f"names: missing {sorted(set(theirs) - set(ours))}, extra {sorted(set(ours) - set(theirs))}"
                        + ("" if set(ours) != set(theirs) else " (same set, different order)"))
    ours_w = imagemodels.list_models(module=module, pretrained=True)
    theirs_w = timm.list_models(module=module, pretrained=True)
    if set(ours_w) != set(theirs_w):
        problems.append(f"tags with weights: missing {sorted(set(theirs_w) - set(ours_w))}, "
                        f"extra {sorted(set(ours_w) - set(theirs_w))}")
    ours_old = imagemodels.models.get_deprecated_models(module)
    theirs_old = ref_registry.get_deprecated_models(module)
    if ours_old != theirs_old:
        problems.append(f"old names: {sorted(set(ours_old.items()) ^ set(theirs_old.items()))} differ")
    for arch in sorted(set(ours) & set(theirs)):
        ref_dc, our_dc = ref_registry._model_default_cfgs[arch], registered_default_cfg(arch)
        if list(ref_dc.tags) != list(our_dc.tags):
            problems.append(f"{arch}: tags {list(our_dc.tags)} != reference {list(ref_dc.tags)}")
            continue
        for tag in ref_dc.tags:
            ref_cfg, our_cfg = ref_dc.cfgs[tag], our_dc.cfgs[tag]
            for field in FIELDS:
                a, b = _norm(field, getattr(ref_cfg, field, None)), _norm(field, getattr(our_cfg, field, None))
                if a != b:
                    problems.append(f"{arch}.{tag}: {field} = {b!r}, reference {a!r}")
    return problems


@pytest.mark.parametrize("module", imagemodels.list_modules())
def test_module_census(module):
    problems = census_problems(module)
    assert not problems, f"{len(problems)} difference(s) from the reference:\n" + "\n".join(problems[:40])


if __name__ == "__main__":  # python tests/test_census.py [MODULE ...]: print every difference
    import sys

    for m in sys.argv[1:] or imagemodels.list_modules():
        found = census_problems(m)
        print(f"{m}: {len(found)} difference(s)", *found, sep="\n  ")
