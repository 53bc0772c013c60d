"""HardCoRe-NAS: MobileNet-V3-style networks found by latency-constrained NAS, A (fastest) to F.

Nayman et al., "HardCoRe-NAS: Hard Constrained diffeRentiable Neural Architecture Search", 2021
(arXiv:2102.11646). The networks are :class:`MobileNetV3` with searched stages; checkpoint-compatible
with timm's ``hardcorenas`` module.
"""
from __future__ import annotations

from typing import Any, Dict

from torch import nn

from ._efficientnet_builder import Stage
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .efficientnet import create_mbconv_model
from .mobilenetv3 import _SE_V3, MobileNetV3

__all__ = ["HARDCORENAS"]


def _S(block: str, depth: int, out_chs: int, **kw: Any) -> Stage:
    return Stage(block=block, depth=depth, out_chs=out_chs, **kw)


def _ir(depth: int, out_chs: int, kernel: int, expand: float, se: bool = False, stride: int = 1, relu: bool = False):
    return _S("ir", depth, out_chs, kernel=kernel, expand=expand, se=0.25 if se else 0.0, stride=stride,
              act="relu" if relu else None)


# The searched stages 1-5 of each network; the stem stage and the 1x1 conv stage are shared.
_SEARCHED = {
    "a": [
        [_ir(1, 24, 5, 3, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True)],
        [_ir(1, 40, 5, 3, stride=2, relu=True), _ir(1, 40, 5, 6, se=True, relu=True)],
        [_ir(1, 80, 5, 6, se=True, stride=2), _ir(1, 80, 5, 6, se=True)],
        _ir(2, 112, 5, 6, se=True),
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(1, 192, 5, 6, se=True)],
    ],
    "b": [
        [_ir(1, 24, 5, 3, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True), _ir(1, 24, 3, 3, relu=True)],
        [_ir(1, 40, 5, 3, stride=2, relu=True), _ir(2, 40, 5, 3, relu=True)],
        [_ir(1, 80, 5, 3, stride=2), _ir(1, 80, 5, 3), _ir(2, 80, 3, 3)],
        [_ir(1, 112, 5, 3), _ir(3, 112, 3, 3)],
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(1, 192, 5, 6, se=True), _ir(1, 192, 3, 3, se=True)],
    ],
    "c": [
        [_ir(1, 24, 5, 3, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True)],
        [_ir(1, 40, 5, 3, stride=2, relu=True), _ir(3, 40, 5, 3, relu=True)],
        [_ir(1, 80, 5, 4, stride=2), _ir(1, 80, 5, 6, se=True), _ir(2, 80, 3, 3)],
        [_ir(1, 112, 5, 6, se=True), _ir(3, 112, 3, 3)],
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(1, 192, 5, 6, se=True), _ir(1, 192, 3, 3, se=True)],
    ],
    "d": [
        [_ir(1, 24, 5, 3, se=True, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True)],
        [_ir(1, 40, 5, 3, se=True, stride=2, relu=True), _ir(1, 40, 5, 4, se=True, relu=True),
         _ir(1, 40, 3, 3, se=True, relu=True)],
        [_ir(1, 80, 5, 4, se=True, stride=2), _ir(3, 80, 3, 3, se=True)],
        [_ir(1, 112, 3, 4, se=True), _ir(1, 112, 5, 4, se=True), _ir(1, 112, 3, 3, se=True),
         _ir(1, 112, 5, 3, se=True)],
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(2, 192, 5, 6, se=True), _ir(1, 192, 3, 6, se=True)],
    ],
    "e": [
        [_ir(1, 24, 5, 3, se=True, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True)],
        [_ir(1, 40, 5, 6, se=True, stride=2, relu=True), _ir(2, 40, 5, 4, se=True, relu=True),
         _ir(1, 40, 3, 3, se=True, relu=True)],
        [_ir(1, 80, 5, 4, se=True, stride=2), _ir(1, 80, 3, 6, se=True)],
        [_ir(3, 112, 5, 6, se=True), _ir(1, 112, 5, 3, se=True)],
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(2, 192, 5, 6, se=True), _ir(1, 192, 3, 6, se=True)],
    ],
    "f": [
        [_ir(1, 24, 5, 3, se=True, stride=2, relu=True), _ir(1, 24, 5, 3, se=True, relu=True)],
        [_ir(1, 40, 5, 6, se=True, stride=2, relu=True), _ir(1, 40, 5, 6, se=True, relu=True)],
        [_ir(1, 80, 5, 6, se=True, stride=2), _ir(1, 80, 5, 6, se=True), _ir(2, 80, 3, 3, se=True)],
        [_ir(1, 112, 3, 6, se=True), _ir(2, 112, 5, 6, se=True), _ir(1, 112, 3, 3, se=True)],
        [_ir(1, 192, 5, 6, se=True, stride=2), _ir(1, 192, 5, 6, se=True), _ir(2, 192, 3, 6, se=True)],
    ],
}


def gen_hardcorenas(version: str = "a", **kw: Any) -> Dict[str, Any]:
    arch = [_S("ds", 1, 16, act="relu"), *_SEARCHED[version], _S("cn", 1, 960, kernel=1)]
    return dict(arch=arch, num_features=1280, stem_size=32, act_layer="hard_swish", se_layer=_SE_V3, **kw)


HARDCORENAS: Dict[str, Dict[str, Any]] = {f"hardcorenas_{v}": dict(version=v) for v in "abcdef"}


def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        crop_mode="center", interpolation="bilinear", mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
        first_conv="conv_stem", classifier="classifier", license="apache-2.0", fixed_input_size=False,
    )
    cfg.update(kwargs)
    return cfg


default_cfgs = generate_default_cfgs({f"{name}.miil_green_in1k": _cfg() for name in HARDCORENAS})


def _create_hardcorenas(variant: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    return create_mbconv_model(MobileNetV3, variant, pretrained, gen_hardcorenas(**kwargs))


register_variants(HARDCORENAS, _create_hardcorenas, globals())
