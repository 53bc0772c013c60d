"""RegNet X / Y (plain and squeeze-excite bottlenecks), RegNetV (pre-activation) and RegNetZ
(inverted bottleneck, linear output). Checkpoint-compatible with timm's ``regnet`` module.

Papers:

* Radosavovic et al., "Designing Network Design Spaces" (RegNetX / RegNetY), 2020 (arXiv:2003.13678)
* Dollár et al., "Fast and Accurate Model Scaling" (RegNetZ), 2021 (arXiv:2103.06877)
* Goyal et al., "Self-supervised Pretraining of Visual Features in the Wild" (SEER), 2021 (arXiv:2103.01988)

A RegNet is four parameters and a depth: block j of ``depth`` has a continuous width
``w0 + wa * j``, quantised to ``w0 * wm ** k`` (rounded to a multiple of 8); consecutive blocks of
equal width form a stage. :func:`regnet_stages` turns a :class:`RegNetCfg` into typed
:class:`RegStageSpec` rows; the network is built from those.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    AvgPool2dSame, ClassifierHead, ConvNormAct, DropPath, GroupNormAct, SEModule, create_conv2d, factory_kwargs,
    get_act_layer, get_norm_act_layer, make_divisible,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["RegNet", "RegNetCfg", "RegStageSpec", "regnet_stages"]

LayerFn = Callable[..., nn.Module]


@dataclass(frozen=True)
class RegNetCfg:
    """The design-space parameters of one RegNet, plus the block style.

    ``group_min_ratio`` > 0 rounds bottleneck widths to the group size the torchvision way (never below
    that fraction of the width); 0 rounds to the nearest multiple. ``downsample``: 'conv1x1', 'avg' or
    None (no shortcut where the shape changes, RegNetZ). ``preact``: pre-activation blocks (RegNetV).
    ``num_features``: a final 1x1 conv to that width (0: none).
    """

    depth: int = 21
    w0: int = 80
    wa: float = 42.63
    wm: float = 2.66
    group_size: int = 24
    bottle_ratio: float = 1.0
    se_ratio: float = 0.0
    group_min_ratio: float = 0.0
    stem_width: int = 32
    downsample: Optional[str] = "conv1x1"
    linear_out: bool = False
    preact: bool = False
    num_features: int = 0
    act_layer: Union[str, LayerFn] = "relu"
    norm_layer: Union[str, LayerFn] = "batchnorm"


@dataclass(frozen=True)
class RegStageSpec:
    """One stage: ``depth`` blocks of ``out_chs`` output channels; the 3x3 conv works on
    ``bottle_chs`` channels in groups of ``group_size``."""

    depth: int
    out_chs: int
    bottle_chs: int
    group_size: int
    stride: int = 2


def regnet_stages(cfg: RegNetCfg, quant: int = 8) -> List[RegStageSpec]:
    """Stage widths and depths from the RegNet parameters, widths made divisible by the group size."""
    if cfg.wa < 0 or cfg.w0 <= 0 or cfg.wm <= 1 or cfg.w0 % quant:
        raise ValueError(f"RegNet needs wa >= 0, w0 > 0 divisible by {quant} and wm > 1, got {cfg}")
    widths = []
    for j in range(cfg.depth):
        exponent = round(math.log((cfg.w0 + cfg.wa * j) / cfg.w0) / math.log(cfg.wm))
        widths.append(int(round(cfg.w0 * cfg.wm ** exponent / quant) * quant))
    stages: List[RegStageSpec] = []
    start = 0
    for j in range(1, cfg.depth + 1):
        if j == cfg.depth or widths[j] != widths[start]:
            width, depth = widths[start], j - start
            bottle = int(width * cfg.bottle_ratio)
            group_size = min(cfg.group_size, bottle)
            if cfg.group_min_ratio:
                bottle = make_divisible(bottle, group_size, round_limit=cfg.group_min_ratio)
            else:
                bottle = int(round(bottle / group_size) * group_size)
            stages.append(RegStageSpec(depth, int(bottle / cfg.bottle_ratio), bottle, group_size))
            start = j
    return stages


def _shortcut(
    kind: Optional[str], in_chs: int, out_chs: int, stride: int, dilation: int, norm_layer: LayerFn, preact: bool,
    dd: Dict[str, Any],
) -> Optional[nn.Module]:
    """The projection where a block changes shape; Identity where it does not; None for no shortcut."""
    if in_chs == out_chs and stride == 1 and dilation == 1:
        return nn.Identity()
    if kind is None:
        return None
    if kind not in ("conv1x1", "avg"):
        raise ValueError(f"downsample must be 'conv1x1', 'avg' or None, got {kind!r}")
    if preact:
        proj = create_conv2d(in_chs, out_chs, 1, stride=1 if kind == "avg" else stride, **dd)
    else:
        proj = ConvNormAct(
            in_chs, out_chs, 1, stride=1 if kind == "avg" else stride, norm_layer=norm_layer, apply_act=False, **dd)
    if kind == "conv1x1":
        return proj
    if stride == 1:
        pool: nn.Module = nn.Identity()
    elif dilation == 1:
        pool = nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
    else:
        pool = AvgPool2dSame(2, 1, ceil_mode=True, count_include_pad=False)
    return nn.Sequential(pool, proj)


class Bottleneck(nn.Module):
    """1x1 -> grouped 3x3 (stride) -> SE -> 1x1 (no act), plus the shortcut, then act (RegNetX/Y/Z)."""

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        stride: int = 1,
        dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0,
        group_size: int = 1,
        se_ratio: float = 0.25,
        downsample: Optional[str] = "conv1x1",
        linear_out: bool = False,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        bottle_chs = int(round(out_chs * bottle_ratio))
        groups = bottle_chs // group_size
        conv_kwargs = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.conv1 = ConvNormAct(in_chs, bottle_chs, 1, **conv_kwargs)
        self.conv2 = ConvNormAct(
            bottle_chs, bottle_chs, 3, stride=stride, dilation=dilation[0], groups=groups, **conv_kwargs)
        # SE is sized from the block's input width (as in the RegNetY paper)
        self.se = (SEModule(bottle_chs, rd_channels=int(round(in_chs * se_ratio)), act_layer=act_layer, **dd)
                   if se_ratio else nn.Identity())
        self.conv3 = ConvNormAct(bottle_chs, out_chs, 1, apply_act=False, **conv_kwargs)
        self.act3 = nn.Identity() if linear_out else act_layer()
        self.downsample = _shortcut(downsample, in_chs, out_chs, stride, dilation[0], norm_layer, False, dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv3.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv3(self.se(self.conv2(self.conv1(x))))
        if self.downsample is not None:
            # no shortcut at all where RegNetZ changes shape
            x = self.drop_path(x) + self.downsample(shortcut)
        return self.act3(x)


class PreBottleneck(nn.Module):
    """Pre-activation bottleneck (RegNetV): norm+act before each conv, shortcut from the pre-activated input."""

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        stride: int = 1,
        dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0,
        group_size: int = 1,
        se_ratio: float = 0.25,
        downsample: Optional[str] = "conv1x1",
        linear_out: bool = False,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        norm_act = get_norm_act_layer(norm_layer, act_layer)
        bottle_chs = int(round(out_chs * bottle_ratio))
        groups = bottle_chs // group_size
        self.norm1 = norm_act(in_chs, **dd)
        self.conv1 = create_conv2d(in_chs, bottle_chs, 1, **dd)
        self.norm2 = norm_act(bottle_chs, **dd)
        self.conv2 = create_conv2d(
            bottle_chs, bottle_chs, 3, stride=stride, dilation=dilation[0], groups=groups, **dd)
        self.se = (SEModule(bottle_chs, rd_channels=int(round(in_chs * se_ratio)), act_layer=act_layer, **dd)
                   if se_ratio else nn.Identity())
        self.norm3 = norm_act(bottle_chs, **dd)
        self.conv3 = create_conv2d(bottle_chs, out_chs, 1, **dd)
        self.downsample = _shortcut(downsample, in_chs, out_chs, stride, dilation[0], norm_layer, True, dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def zero_init_last(self) -> None:
        pass  # pre-activation: the last op is a conv, nothing to zero

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.norm1(x)
        shortcut = x
        x = self.conv1(x)
        x = self.conv2(self.norm2(x))
        x = self.conv3(self.norm3(self.se(x)))
        if self.downsample is not None:
            x = self.drop_path(x) + self.downsample(shortcut)
        return x


class RegStage(nn.Module):
    """``depth`` blocks named b1..bN; the first one strides and changes width."""

    def __init__(
        self,
        depth: int,
        in_chs: int,
        out_chs: int,
        stride: int,
        dilation: int,
        first_dilation: int,
        drop_path_rates: List[float],
        block_fn: LayerFn,
        **block_kwargs: Any,
    ):
        super().__init__()
        self.grad_checkpointing = False
        for i in range(depth):
            self.add_module(f"b{i + 1}", block_fn(
                in_chs if i == 0 else out_chs, out_chs,
                stride=stride if i == 0 else 1,
                dilation=(first_dilation if i == 0 else dilation, dilation),
                drop_path_rate=drop_path_rates[i],
                **block_kwargs,
            ))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(list(self.children()), x)
        for block in self.children():
            x = block(x)
        return x


class RegNet(nn.Module):
    """RegNet from a :class:`RegNetCfg`; keyword arguments named like a cfg field override it
    (``create_model('regnety_040', act_layer='silu')``)."""

    def __init__(
        self,
        cfg: RegNetCfg,
        in_chans: int = 3,
        num_classes: int = 1000,
        output_stride: int = 32,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        zero_init_last: bool = True,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        unknown = set(kwargs) - {f.name for f in fields(RegNetCfg)}
        if unknown:
            raise TypeError(f"RegNet got unexpected arguments {sorted(unknown)}; cfg fields and the usual model "
                            f"arguments are accepted")
        cfg = replace(cfg, **kwargs)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        act_layer = get_act_layer(cfg.act_layer)
        norm_layer = cfg.norm_layer
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.global_pool = global_pool

        if cfg.preact:
            self.stem = create_conv2d(in_chans, cfg.stem_width, 3, stride=2, **dd)
        else:
            self.stem = ConvNormAct(
                in_chans, cfg.stem_width, 3, stride=2, act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.feature_info = [dict(num_chs=cfg.stem_width, reduction=2, module="stem")]

        specs = regnet_stages(cfg)
        total = sum(s.depth for s in specs)
        rates = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        block_fn = PreBottleneck if cfg.preact else Bottleneck
        prev_width, net_stride, dilation = cfg.stem_width, 2, 1
        for i, spec in enumerate(specs):
            stride, first_dilation = spec.stride, dilation
            if net_stride >= output_stride:
                dilation *= stride
                stride = 1
            else:
                net_stride *= stride
            name = f"s{i + 1}"
            self.add_module(name, RegStage(
                spec.depth, prev_width, spec.out_chs, stride, dilation, first_dilation,
                rates[:spec.depth], block_fn,
                bottle_ratio=cfg.bottle_ratio, group_size=spec.group_size, se_ratio=cfg.se_ratio,
                downsample=cfg.downsample, linear_out=cfg.linear_out, act_layer=act_layer, norm_layer=norm_layer,
                **dd,
            ))
            rates = rates[spec.depth:]
            prev_width = spec.out_chs
            self.feature_info.append(dict(num_chs=prev_width, reduction=net_stride, module=name))
        self.num_stages = len(specs)

        if cfg.num_features:
            self.final_conv: nn.Module = ConvNormAct(
                prev_width, cfg.num_features, 1, act_layer=act_layer, norm_layer=norm_layer, **dd)
            self.num_features = cfg.num_features
        else:
            # pre-activation / linear-output blocks end without an activation: the final one lives here
            self.final_conv = act_layer() if cfg.preact or cfg.linear_out else nn.Identity()
            self.num_features = prev_width
        self.head_hidden_size = self.num_features
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        self._init_weights(zero_init_last)

    def _init_weights(self, zero_init_last: bool) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
                nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / fan_out))
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 0.01)
                nn.init.zeros_(m.bias)
        if zero_init_last:
            for m in self.modules():
                if hasattr(m, "zero_init_last"):
                    m.zero_init_last()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^stem", blocks=r"^s(\d+)" if coarse else r"^s(\d+)\.b(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for stage in self._stages():
            if isinstance(stage, RegStage):
                stage.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, pool_type=global_pool)

    def _stages(self) -> List[nn.Module]:
        return [getattr(self, f"s{i + 1}") for i in range(self.num_stages)]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Feature maps at ``indices`` of the 5 feature points (stem, s1..s4); the final conv / act
        applies to the returned final features only."""
        if output_fmt != "NCHW":
            raise ValueError(f"RegNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(self.num_stages + 1, indices)
        intermediates = []
        x = self.stem(x)
        if 0 in take_indices:
            intermediates.append(x)
        stages = self._stages()
        if stop_early:
            stages = stages[:max_index]
        for feat_idx, stage in enumerate(stages, start=1):
            x = stage(x)
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        if feat_idx == self.num_stages:
            x = self.final_conv(x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(self.num_stages + 1, indices)
        for i in range(max_index, self.num_stages):
            setattr(self, f"s{i + 1}", nn.Identity())
        if max_index < self.num_stages:
            self.final_conv = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for stage in self._stages():
            x = stage(x)
        return self.final_conv(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# (depth, w0, wa, wm, group_size) are the published design-space points (pycls model zoo; RegNetZ from
# the model-scaling paper). X: no SE; Y: SE 0.25; '_tv': torchvision's width rounding.

_X = partial(RegNetCfg)
_Y = partial(RegNetCfg, se_ratio=0.25)
_TV_ROUND = dict(group_min_ratio=0.9)
# timm-trained variants: SiLU; V = pre-activation, Z = inverted bottleneck with a linear output
_V = partial(RegNetCfg, se_ratio=0.25, preact=True, act_layer="silu")
_Z = partial(RegNetCfg, bottle_ratio=4, se_ratio=0.25, downsample=None, linear_out=True, act_layer="silu")

REGNET_CFGS: Dict[str, RegNetCfg] = {
    "regnetx_002": _X(depth=13, w0=24, wa=36.44, wm=2.49, group_size=8),
    "regnetx_004": _X(depth=22, w0=24, wa=24.48, wm=2.54, group_size=16),
    "regnetx_004_tv": _X(depth=22, w0=24, wa=24.48, wm=2.54, group_size=16, **_TV_ROUND),
    "regnetx_006": _X(depth=16, w0=48, wa=36.97, wm=2.24, group_size=24),
    "regnetx_008": _X(depth=16, w0=56, wa=35.73, wm=2.28, group_size=16),
    "regnetx_016": _X(depth=18, w0=80, wa=34.01, wm=2.25, group_size=24),
    "regnetx_032": _X(depth=25, w0=88, wa=26.31, wm=2.25, group_size=48),
    "regnetx_040": _X(depth=23, w0=96, wa=38.65, wm=2.43, group_size=40),
    "regnetx_064": _X(depth=17, w0=184, wa=60.83, wm=2.07, group_size=56),
    "regnetx_080": _X(depth=23, w0=80, wa=49.56, wm=2.88, group_size=120),
    "regnetx_120": _X(depth=19, w0=168, wa=73.36, wm=2.37, group_size=112),
    "regnetx_160": _X(depth=22, w0=216, wa=55.59, wm=2.1, group_size=128),
    "regnetx_320": _X(depth=23, w0=320, wa=69.86, wm=2.0, group_size=168),
    "regnety_002": _Y(depth=13, w0=24, wa=36.44, wm=2.49, group_size=8),
    "regnety_004": _Y(depth=16, w0=48, wa=27.89, wm=2.09, group_size=8),
    "regnety_006": _Y(depth=15, w0=48, wa=32.54, wm=2.32, group_size=16),
    "regnety_008": _Y(depth=14, w0=56, wa=38.84, wm=2.4, group_size=16),
    "regnety_008_tv": _Y(depth=14, w0=56, wa=38.84, wm=2.4, group_size=16, **_TV_ROUND),
    "regnety_016": _Y(depth=27, w0=48, wa=20.71, wm=2.65, group_size=24),
    "regnety_032": _Y(depth=21, w0=80, wa=42.63, wm=2.66, group_size=24),
    "regnety_040": _Y(depth=22, w0=96, wa=31.41, wm=2.24, group_size=64),
    "regnety_064": _Y(depth=25, w0=112, wa=33.22, wm=2.27, group_size=72),
    "regnety_080": _Y(depth=17, w0=192, wa=76.82, wm=2.19, group_size=56),
    "regnety_080_tv": _Y(depth=17, w0=192, wa=76.82, wm=2.19, group_size=56, **_TV_ROUND),
    "regnety_120": _Y(depth=19, w0=168, wa=73.36, wm=2.37, group_size=112),
    "regnety_160": _Y(depth=18, w0=200, wa=106.23, wm=2.48, group_size=112),
    "regnety_320": _Y(depth=20, w0=232, wa=115.89, wm=2.53, group_size=232),
    "regnety_640": _Y(depth=20, w0=352, wa=147.48, wm=2.4, group_size=328),
    "regnety_1280": _Y(depth=27, w0=456, wa=160.83, wm=2.52, group_size=264),
    "regnety_2560": _Y(depth=27, w0=640, wa=230.83, wm=2.53, group_size=373),
    "regnety_040_sgn": _Y(
        depth=22, w0=96, wa=31.41, wm=2.24, group_size=64, act_layer="silu",
        norm_layer=partial(GroupNormAct, group_size=16)),
    "regnetv_040": _V(depth=22, w0=96, wa=31.41, wm=2.24, group_size=64),
    "regnetv_064": _V(depth=25, w0=112, wa=33.22, wm=2.27, group_size=72, downsample="avg"),
    "regnetz_005": _Z(depth=21, w0=16, wa=10.7, wm=2.51, group_size=4, num_features=1024),
    "regnetz_040": _Z(depth=28, w0=48, wa=14.5, wm=2.226, group_size=8),
    "regnetz_040_h": _Z(depth=28, w0=48, wa=14.5, wm=2.226, group_size=8, num_features=1536),
}

REGNETS: Dict[str, Dict[str, Any]] = {name: dict(cfg=cfg) for name, cfg in REGNET_CFGS.items()}


# --- weight metadata --------------------------------------------------------------------------------
# pycls: the original Facebook weights; tv2: torchvision's improved recipe; ra/ra3/sw/lion: timm-trained;
# swag / seer: Facebook's weakly- and self-supervised Instagram pretraining (non-commercial licences).

_GH = "https://github.com/huggingface/pytorch-image-models/releases/download/"
_TV = "https://download.pytorch.org/models/"
_SEER = "https://dl.fbaipublicfiles.com/vissl/model_zoo/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bicubic", first_conv="stem.conv", classifier="head.fc", license="mit",
        origin_url="https://github.com/facebookresearch/pycls",
    )
    cfg.update(kwargs)
    return cfg


_timm = partial(_cfg, test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0, license="apache-2.0",
                origin_url=None)
_tv2 = partial(_cfg, crop_pct=0.965, license="bsd-3-clause", origin_url="https://github.com/pytorch/vision")
_swag = partial(_tv2, license="cc-by-nc-4.0")
_swag_ft = partial(_swag, input_size=(3, 384, 384), pool_size=(12, 12), crop_pct=1.0)
_seer = partial(_cfg, license="seer-license", origin_url="https://github.com/facebookresearch/vissl")
_seer_ft = partial(_seer, input_size=(3, 384, 384), pool_size=(12, 12), crop_pct=1.0)
_seer_ssl = partial(_seer, num_classes=0, crop_pct=0.965)

REGNET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "regnetv_040.ra3_in1k": _timm(_GH + "v0.1-tpu-weights/regnetv_040_ra3-c248f51f.pth", first_conv="stem"),
    "regnetv_064.ra3_in1k": _timm(_GH + "v0.1-tpu-weights/regnetv_064_ra3-530616c2.pth", first_conv="stem"),
    "regnetx_002.pycls_in1k": _cfg(),
    "regnetx_004.pycls_in1k": _cfg(),
    "regnetx_004_tv.tv2_in1k": _tv2(_TV + "regnet_x_400mf-62229a5f.pth"),
    "regnetx_006.pycls_in1k": _cfg(),
    "regnetx_008.tv2_in1k": _tv2(_TV + "regnet_x_800mf-94a99ebd.pth"),
    "regnetx_008.pycls_in1k": _cfg(),
    "regnetx_016.tv2_in1k": _tv2(_TV + "regnet_x_1_6gf-a12f2b72.pth"),
    "regnetx_016.pycls_in1k": _cfg(),
    "regnetx_032.tv2_in1k": _tv2(_TV + "regnet_x_3_2gf-7071aa85.pth"),
    "regnetx_032.pycls_in1k": _cfg(),
    "regnetx_040.pycls_in1k": _cfg(),
    "regnetx_064.pycls_in1k": _cfg(),
    "regnetx_080.tv2_in1k": _tv2(_TV + "regnet_x_8gf-2b70d774.pth"),
    "regnetx_080.pycls_in1k": _cfg(),
    "regnetx_120.pycls_in1k": _cfg(),
    "regnetx_160.tv2_in1k": _tv2(_TV + "regnet_x_16gf-ba3796d7.pth"),
    "regnetx_160.pycls_in1k": _cfg(),
    "regnetx_320.tv2_in1k": _tv2(_TV + "regnet_x_32gf-6eb8fdc6.pth"),
    "regnetx_320.pycls_in1k": _cfg(),
    "regnety_002.pycls_in1k": _cfg(),
    "regnety_004.tv2_in1k": _tv2(_TV + "regnet_y_400mf-e6988f5f.pth"),
    "regnety_004.pycls_in1k": _cfg(),
    "regnety_006.pycls_in1k": _cfg(),
    "regnety_008.pycls_in1k": _cfg(),
    "regnety_008_tv.tv2_in1k": _tv2(_TV + "regnet_y_800mf-58fc7688.pth"),
    "regnety_016.tv2_in1k": _tv2(_TV + "regnet_y_1_6gf-0d7bc02a.pth"),
    "regnety_016.pycls_in1k": _cfg(),
    "regnety_032.ra_in1k": _timm(_GH + "v0.1-weights/regnety_032_ra-7f2439f9.pth"),
    "regnety_032.tv2_in1k": _tv2(_TV + "regnet_y_3_2gf-9180c971.pth"),
    "regnety_032.pycls_in1k": _cfg(),
    "regnety_040.ra3_in1k": _timm(_GH + "v0.1-tpu-weights/regnety_040_ra3-670e1166.pth"),
    "regnety_040.pycls_in1k": _cfg(),
    "regnety_040_sgn.untrained": _timm(hf_hub_id=None),
    "regnety_064.ra3_in1k": _timm(_GH + "v0.1-tpu-weights/regnety_064_ra3-aa26dc7d.pth"),
    "regnety_064.pycls_in1k": _cfg(),
    "regnety_080.ra3_in1k": _timm(_GH + "v0.1-tpu-weights/regnety_080_ra3-1fdc4344.pth"),
    "regnety_080.pycls_in1k": _cfg(),
    "regnety_080_tv.tv2_in1k": _tv2(_TV + "regnet_y_8gf-dc2b1b54.pth"),
    "regnety_120.sw_in12k_ft_in1k": _timm(),
    "regnety_120.sw_in12k": _timm(num_classes=11821),
    "regnety_120.pycls_in1k": _cfg(),
    "regnety_160.sw_in12k_ft_in1k": _timm(),
    "regnety_160.lion_in12k_ft_in1k": _timm(),
    "regnety_160.sw_in12k": _timm(num_classes=11821),
    "regnety_160.deit_in1k": _timm("https://dl.fbaipublicfiles.com/deit/regnety_160-a5fe301d.pth"),
    "regnety_160.tv2_in1k": _tv2(_TV + "regnet_y_16gf-3e4a00f9.pth"),
    "regnety_160.swag_ft_in1k": _swag_ft(_TV + "regnet_y_16gf_swag-43afe44d.pth"),
    "regnety_160.swag_lc_in1k": _swag(_TV + "regnet_y_16gf_lc_swag-f3ec0043.pth"),
    "regnety_160.pycls_in1k": _cfg(),
    "regnety_320.tv2_in1k": _tv2(_TV + "regnet_y_32gf-8db6d4b5.pth"),
    "regnety_320.swag_ft_in1k": _swag_ft(_TV + "regnet_y_32gf_swag-04fdfa75.pth"),
    "regnety_320.swag_lc_in1k": _swag(_TV + "regnet_y_32gf_lc_swag-e1583746.pth"),
    "regnety_320.seer_ft_in1k": _seer_ft(
        _SEER + "seer_finetuned/seer_regnet32_finetuned_in1k_model_final_checkpoint_phase78.torch"),
    "regnety_320.seer": _seer_ssl(_SEER + "seer_regnet32d/seer_regnet32gf_model_iteration244000.torch"),
    "regnety_320.pycls_in1k": _cfg(),
    "regnety_640.seer_ft_in1k": _seer_ft(
        _SEER + "seer_finetuned/seer_regnet64_finetuned_in1k_model_final_checkpoint_phase78.torch"),
    "regnety_640.seer": _seer_ssl(_SEER + "seer_regnet64/seer_regnet64gf_model_final_checkpoint_phase0.torch"),
    "regnety_1280.swag_ft_in1k": _swag_ft(_TV + "regnet_y_128gf_swag-c8ce3e52.pth"),
    "regnety_1280.swag_lc_in1k": _swag(_TV + "regnet_y_128gf_lc_swag-cbe8ce12.pth"),
    "regnety_1280.seer_ft_in1k": _seer_ft(
        _SEER + "seer_finetuned/seer_regnet128_finetuned_in1k_model_final_checkpoint_phase78.torch"),
    "regnety_1280.seer": _seer_ssl(
        _SEER + "swav_ig1b_regnet128Gf_cnstant_bs32_node16_sinkhorn10_proto16k_syncBN64_warmup8k/"
        "model_final_checkpoint_phase0.torch"),
    "regnety_2560.seer_ft_in1k": _seer_ft(
        _SEER + "seer_finetuned/seer_regnet256_finetuned_in1k_model_final_checkpoint_phase38.torch"),
    "regnetz_005.untrained": _timm(hf_hub_id=None),
    "regnetz_040.ra3_in1k": _timm(
        _GH + "v0.1-tpu-weights/regnetz_040_ra3-9007edf5.pth", input_size=(3, 256, 256), pool_size=(8, 8),
        test_input_size=(3, 320, 320), crop_pct=1.0),
    "regnetz_040_h.ra3_in1k": _timm(
        _GH + "v0.1-tpu-weights/regnetz_040h_ra3-f594343b.pth", input_size=(3, 256, 256), pool_size=(8, 8),
        test_input_size=(3, 320, 320), crop_pct=1.0),
}

default_cfgs = generate_default_cfgs(REGNET_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_regnet(variant: str, pretrained: bool = False, **kwargs: Any) -> RegNet:
    return build_model_with_cfg(RegNet, variant, pretrained, **kwargs)


register_variants(REGNETS, _create_regnet, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "regnetz_040h": "regnetz_040_h",
})
