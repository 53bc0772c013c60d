"""Print a transformer family's weight table (``"arch.tag": _cfg(...)``) from the reference's cfg values.

Developer tool: reads the reference's PretrainedCfg VALUES (facts about published weights) and prints
only the fields that differ from the family defaults passed on the command line. Usage:
  python tools/vit_cfgs.py vision_transformer
"""
import sys

import timm
from timm.models._registry import _model_default_cfgs

FIELDS = ["url", "hf_hub_id", "hf_hub_filename", "hf_hub_revision", "source", "custom_load", "input_size",
          "test_input_size", "min_input_size", "fixed_input_size", "interpolation", "crop_pct", "test_crop_pct",
          "crop_mode", "mean", "std", "num_classes", "label_offset", "pool_size", "first_conv", "classifier",
          "license", "origin_url", "paper_name", "paper_ids", "notes", "description"]
CONSTS = {
    (0.485, 0.456, 0.406): "IMAGENET_DEFAULT_MEAN", (0.229, 0.224, 0.225): "IMAGENET_DEFAULT_STD",
    (0.5, 0.5, 0.5): "IMAGENET_INCEPTION_MEAN",
    (0.48145466, 0.4578275, 0.40821073): "OPENAI_CLIP_MEAN", (0.26862954, 0.26130258, 0.27577711): "OPENAI_CLIP_STD",
}
# what a bare PretrainedCfg() holds; the family _cfg() adds FAMILY on top
BASE = dict(url=None, hf_hub_id=None, hf_hub_filename=None, hf_hub_revision=None, source=None, custom_load=False,
            input_size=(3, 224, 224), test_input_size=None, min_input_size=None, fixed_input_size=False,
            interpolation="bicubic", crop_pct=0.875, test_crop_pct=None, crop_mode="center",
            mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), num_classes=1000, label_offset=None,
            pool_size=None, first_conv=None, classifier=None, license=None, origin_url=None, paper_name=None,
            paper_ids=None, notes=None, description=None)
FAMILY = dict(hf_hub_id="timm/", fixed_input_size=True, crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5),
              first_conv="patch_embed.proj", classifier="head", license="apache-2.0")


def fmt(value):
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, tuple) and value in CONSTS:
        return CONSTS[value]
    return repr(value)


def main():
    module = sys.argv[1]
    defaults = dict(BASE, **FAMILY)
    for arch in timm.list_models(module=module):
        dc = _model_default_cfgs[arch]
        for tag in dc.tags:
            cfg = dc.cfgs[tag].__dict__
            delta = {}
            for f in FIELDS:
                v = cfg.get(f)
                v = tuple(v) if isinstance(v, list) else v
                d = defaults[f]
                if f == "url" and not v:
                    continue
                if v != d:
                    delta[f] = v
            key = f"{arch}.{tag}" if tag else arch
            args = ", ".join(f"{k}={fmt(v)}" for k, v in delta.items())
            print(f'    "{key}": _cfg({args}),')


if __name__ == "__main__":
    main()
