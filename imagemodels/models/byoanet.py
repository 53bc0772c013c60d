"""Bring-Your-Own-Attention networks: ResNet-style ByobNets whose bottleneck 3x3 convs are swapped,
in chosen blocks, for a self-attention layer (BoTNet, HaloNet, LambdaNet and hybrids of them).

The network, specs and blocks are :mod:`imagemodels.models.byobnet`'s; this module is a variant table
and weight metadata. Checkpoint-compatible with timm's ``byoanet`` module.

Papers:

* Srinivas et al., "Bottleneck Transformers for Visual Recognition" (BoTNet), 2021 (arXiv:2101.11605)
* Vaswani et al., "Scaling Local Self-Attention for Parameter Efficient Visual Backbones" (HaloNet), 2021
  (arXiv:2103.12731)
* Bello, "LambdaNetworks: Modeling Long-Range Interactions Without Attention", 2021 (arXiv:2102.08602)

Names: ``t`` a tiered 3-conv stem, ``s`` SiLU, ``_256`` built for 256px input (BoTNet's and the
learned-position LambdaNet's relative tables fix the map size; ``img_size=`` rebuilds them for another).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Dict, Iterable, Tuple

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .byobnet import BlockSpec, ByobCfg, ByobNet

__all__ = ["BYOA_CFGS", "BYOANETS", "BYOANET_WEIGHTS"]

B = BlockSpec


def _interleave(depth: int, out_chs: int, every: Iterable[int] = (), **kwargs: Any) -> Tuple[BlockSpec, ...]:
    """``depth`` blocks of ``out_chs``: self-attention at the indices in ``every``, bottlenecks elsewhere.
    ``every`` empty: every second block (1, 3, ...) — the BoTNet / HaloNet placement."""
    attn_at = set(every) or set(range(1, depth, 2))
    return tuple(B("self_attn" if i in attn_at else "bottle", 1, out_chs, **kwargs) for i in range(depth))


def _resnet26(group_size: int = 0) -> Tuple[Any, ...]:
    """ResNet-26 widths, (2, 2, 2, 2) blocks: attention in the third stage's second block and all of
    the fourth stage (the paper's "replace the last 3x3 convs" placement)."""
    kw = dict(group_size=group_size, bottle_ratio=0.25)
    return (
        B("bottle", 2, 256, stride=1, **kw),
        B("bottle", 2, 512, **kw),
        _interleave(2, 1024, **kw),
        B("self_attn", 2, 2048, **kw),
    )


def _resnet33() -> Tuple[Any, ...]:
    """ResNet-33 layout (2, 3, 3, 2) with attention at the end of stages 2 and 3 and in stage 4."""
    kw = dict(group_size=0, bottle_ratio=0.25)
    return (
        B("bottle", 2, 256, stride=1, **kw),
        _interleave(3, 512, every=(2,), **kw),
        _interleave(3, 1024, every=(2,), **kw),
        B("self_attn", 2, 1536, group_size=0, bottle_ratio=0.333),
    )


def _resnet50(stage_sa: Tuple[Dict[str, Any], ...] = ({}, {}, {}), stage2_every: Iterable[int] = (3,)):
    """ResNet-50 layout (3, 4, 6, 3): attention in the last block of stage 2 (``stage2_every``) and every
    second block of stages 3 and 4. ``stage_sa``: per-stage self-attention overrides for stages 2-4."""
    kw = dict(group_size=0, bottle_ratio=0.25)
    return (
        B("bottle", 3, 256, stride=1, **kw),
        _interleave(4, 512, every=stage2_every, **kw, **stage_sa[0]),
        _interleave(6, 1024, **kw, **stage_sa[1]),
        _interleave(3, 2048, **kw, **stage_sa[2]),
    )


def _sa(layer: str, **kwargs: Any) -> Dict[str, Any]:
    return dict(self_attn_layer=layer, self_attn_kwargs=kwargs)


_tiered = dict(stem_type="tiered", stem_chs=64)
_se33 = dict(stem_pool="", act_layer="silu", num_features=1280, attn_layer="se", **_tiered)

BYOA_CFGS: Dict[str, ByobCfg] = {
    "botnet26t_256": ByobCfg(blocks=_resnet26(), fixed_input_size=True, **_tiered, **_sa("bottleneck")),
    "sebotnet33ts_256": ByobCfg(blocks=_resnet33(), **_se33, **_sa("bottleneck")),
    "botnet50ts_256": ByobCfg(blocks=_resnet50(), act_layer="silu", fixed_input_size=True, **_tiered,
                              **_sa("bottleneck")),
    "eca_botnext26ts_256": ByobCfg(blocks=_resnet26(group_size=16), act_layer="silu", attn_layer="eca",
                                   fixed_input_size=True, **_tiered, **_sa("bottleneck", dim_head=16)),
    "halonet_h1": ByobCfg(blocks=(
        B("self_attn", 3, 64, stride=1), B("self_attn", 3, 128), B("self_attn", 10, 256), B("self_attn", 3, 512),
    ), stem_type="7x7", stem_chs=64, **_sa("halo", block_size=8, halo_size=3)),
    "halonet26t": ByobCfg(blocks=_resnet26(), **_tiered, **_sa("halo", block_size=8, halo_size=2)),
    "sehalonet33ts": ByobCfg(blocks=_resnet33(), **_se33, **_sa("halo", block_size=8, halo_size=3)),
    "halonet50ts": ByobCfg(
        blocks=_resnet50(stage_sa=(_sa("halo", block_size=8, halo_size=3, num_heads=4), {}, {})),
        act_layer="silu", **_tiered, **_sa("halo", block_size=8, halo_size=3)),
    "eca_halonext26ts": ByobCfg(blocks=_resnet26(group_size=16), act_layer="silu", attn_layer="eca", **_tiered,
                                **_sa("halo", block_size=8, halo_size=2, dim_head=16)),
    "lambda_resnet26t": ByobCfg(blocks=_resnet26(), **_tiered, **_sa("lambda", r=9)),
    "lambda_resnet50ts": ByobCfg(blocks=_resnet50(), act_layer="silu", **_tiered, **_sa("lambda", r=9)),
    "lambda_resnet26rpt_256": ByobCfg(blocks=_resnet26(), fixed_input_size=True, **_tiered, **_sa("lambda", r=None)),
    "haloregnetz_b": ByobCfg(blocks=(
        B("bottle", 2, 48, group_size=16, bottle_ratio=3),
        B("bottle", 6, 96, group_size=16, bottle_ratio=3),
        _interleave(12, 192, every=(3, 7, 11), group_size=16, bottle_ratio=3),
        B("self_attn", 2, 288, group_size=16, bottle_ratio=3),
    ), stem_pool="", downsample="", num_features=1536, act_layer="silu", attn_layer="se",
        attn_kwargs=dict(rd_ratio=0.25), block_kwargs=dict(bottle_in=True, linear_out=True),
        **_sa("halo", block_size=7, halo_size=2, qk_ratio=0.33)),
    "lamhalobotnet50ts_256": ByobCfg(
        blocks=_resnet50(stage_sa=(_sa("lambda", r=13), _sa("halo", halo_size=3), _sa("bottleneck")),
                         stage2_every=()),
        stem_pool="", act_layer="silu", **_tiered),
    "halo2botnet50ts_256": ByobCfg(
        blocks=_resnet50(stage_sa=(_sa("halo", halo_size=3), _sa("halo", halo_size=3), _sa("bottleneck")),
                         stage2_every=()),
        stem_pool="", act_layer="silu", **_tiered),
}

# BoTNet and the learned-position LambdaNet fix their relative tables at construction: built for 256px
_IMG_SIZE = {
    "botnet26t_256": 256, "sebotnet33ts_256": 256, "botnet50ts_256": 256, "eca_botnext26ts_256": 256,
    "lambda_resnet26rpt_256": 256, "lamhalobotnet50ts_256": 256, "halo2botnet50ts_256": 256,
}

BYOANETS: Dict[str, Dict[str, Any]] = {
    name: dict(cfg=cfg, **({"img_size": _IMG_SIZE[name]} if name in _IMG_SIZE else {}))
    for name, cfg in BYOA_CFGS.items()
}


# --- weight metadata ---------------------------------------------------------------------------------

_ATTN_WEIGHTS = "https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-attn-weights/"


def _cfg(file: str = "", **kwargs: Any) -> Dict[str, Any]:
    """timm's 256px-trained attention weights (``file`` under the v0.1-attn-weights release)."""
    cfg = dict(
        url=_ATTN_WEIGHTS + file if file else "", hf_hub_id="timm/" if file else None, num_classes=1000,
        input_size=(3, 256, 256), pool_size=(8, 8), crop_pct=0.95, interpolation="bicubic",
        first_conv="stem.conv1.conv", classifier="head.fc", license="apache-2.0", min_input_size=(3, 224, 224),
    )
    cfg.update(kwargs)
    return cfg


# BoTNet / rel-pos LambdaNet: the relative tables fix the size
_fixed = partial(_cfg, fixed_input_size=True)
# HaloNet: any multiple of the block size works, but the maps must stay divisible down to stride 32
_halo = partial(_cfg, min_input_size=(3, 256, 256))
# LambdaNet with the local position conv: any size
_lambda = partial(_cfg, crop_pct=0.94, min_input_size=(3, 128, 128))

BYOANET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "botnet26t_256.c1_in1k": _fixed("botnet26t_c1_256-167a0e9f.pth"),
    "sebotnet33ts_256.a1h_in1k": _fixed("sebotnet33ts_a1h2_256-957e3c3e.pth", crop_pct=0.94),
    "botnet50ts_256.untrained": _fixed(),
    "eca_botnext26ts_256.c1_in1k": _fixed("eca_botnext26ts_c_256-95a898f6.pth"),
    "halonet_h1.untrained": _halo(),
    "halonet26t.a1h_in1k": _halo("halonet26t_a1h_256-3083328c.pth"),
    "sehalonet33ts.ra2_in1k": _halo("sehalonet33ts_256-87e053f9.pth", crop_pct=0.94),
    "halonet50ts.a1h_in1k": _halo("halonet50ts_a1h2_256-f3a3daee.pth", crop_pct=0.94),
    "eca_halonext26ts.c1_in1k": _halo("eca_halonext26ts_c_256-06906299.pth", crop_pct=0.94),
    "lambda_resnet26t.c1_in1k": _lambda("lambda_resnet26t_c_256-e5a5c857.pth"),
    "lambda_resnet50ts.a1h_in1k": _lambda("lambda_resnet50ts_a1h_256-b87370f7.pth", crop_pct=0.95),
    "lambda_resnet26rpt_256.c1_in1k": _fixed("lambda_resnet26rpt_c_256-ab00292d.pth", crop_pct=0.94),
    "haloregnetz_b.ra3_in1k": _cfg(
        "haloregnetz_c_raa_256-c8ad7616.pth", input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.94,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), first_conv="stem.conv"),
    "lamhalobotnet50ts_256.a1h_in1k": _fixed("lamhalobotnet50ts_a1h2_256-fe3d9445.pth"),
    "halo2botnet50ts_256.a1h_in1k": _fixed("halo2botnet50ts_a1h2_256-fd9c11a3.pth"),
}

default_cfgs = generate_default_cfgs(BYOANET_WEIGHTS)


# --- registration ------------------------------------------------------------------------------------

def _create_byoanet(variant: str, pretrained: bool = False, **kwargs: Any) -> ByobNet:
    return build_model_with_cfg(ByobNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(BYOANETS, _create_byoanet, globals())
