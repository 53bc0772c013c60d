"""Normalizer-free networks: NF-ResNet, NF-RegNet and NFNet (F0-F7, and the timm L variants), with
no normalisation layers. Checkpoint-compatible with timm's ``nfnet`` module.

Papers:

* Brock et al., "Characterizing signal propagation to close the performance gap in unnormalized
  ResNets" (NF-ResNet / NF-RegNet), 2021 (arXiv:2101.08692)
* Brock et al., "High-Performance Large-Scale Image Recognition Without Normalization" (NFNet), 2021
  (arXiv:2102.06171)

Signal propagation: every conv is a :class:`~imagemodels.layers.ScaledStdConv2d` whose ``gamma``
undoes the variance change of the activation before it (``GAMMA``); each residual branch sees its
input scaled by ``beta = 1 / expected_std`` and adds ``alpha`` times its output, so the expected
variance grows by ``alpha ** 2`` per block and is reset by each transition block.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    ClassifierHead, DropPath, ScaledStdConv2d, ScaledStdConv2dSame, factory_kwargs, get_act_layer, get_attn,
    make_divisible,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["NormFreeNet", "NfCfg", "GAMMA"]

LayerFn = Callable[..., nn.Module]

# 1 / std(act(x)) for x ~ N(0, 1): the gain that restores unit variance after each nonlinearity
# (values from the NF-ResNet paper's reference implementation)
GAMMA: Dict[str, float] = {
    "identity": 1.0,
    "celu": 1.270926833152771,
    "elu": 1.2716004848480225,
    "gelu": 1.7015043497085571,
    "leaky_relu": 1.70590341091156,
    "log_sigmoid": 1.9193484783172607,
    "log_softmax": 1.0002083778381348,
    "relu": 1.7139588594436646,
    "relu6": 1.7131484746932983,
    "selu": 1.0008515119552612,
    "sigmoid": 4.803835391998291,
    "silu": 1.7881293296813965,
    "softsign": 2.338853120803833,
    "softplus": 1.9203323125839233,
    "tanh": 1.5939117670059204,
}


@dataclass(frozen=True)
class NfCfg:
    """One normalizer-free network. ``stem_type``: '3x3', '7x7_pool' or 'deep_quad' (four 3x3s);
    ``reg``: RegNet-style blocks (bottleneck width from the input, attention mid-block);
    ``extra_conv``: a second 3x3 (NFNet); ``gamma_in_act``: the gamma multiplies the activation
    instead of the conv weights (DeepMind's port); ``same_padding``: TF 'SAME' convs;
    ``skipinit``: a zero-initialised scalar gain on each residual branch."""

    depths: Tuple[int, int, int, int]
    channels: Tuple[int, int, int, int]
    alpha: float = 0.2
    stem_type: str = "3x3"
    stem_chs: Optional[int] = None
    group_size: Optional[int] = None
    attn_layer: Optional[str] = None
    attn_kwargs: Optional[Dict[str, Any]] = None
    attn_gain: float = 2.0
    width_factor: float = 1.0
    bottle_ratio: float = 0.5
    num_features: int = 0
    ch_div: int = 8
    reg: bool = False
    extra_conv: bool = False
    gamma_in_act: bool = False
    same_padding: bool = False
    std_conv_eps: float = 1e-5
    skipinit: bool = False
    zero_init_fc: bool = False
    act_layer: str = "silu"


class GammaAct(nn.Module):
    """``act(x) * gamma`` (DeepMind's NFNets fold the gamma into the activation)."""

    def __init__(self, act_type: str = "relu", gamma: float = 1.0, inplace: bool = False):
        super().__init__()
        self.act_type = act_type
        self.act_fn = get_act_layer(act_type)()
        self.gamma = gamma
        self.inplace = inplace

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.act_fn(x)
        return y.mul_(self.gamma) if self.inplace else y * self.gamma


def act_with_gamma(act_type: str, gamma: float = 1.0) -> LayerFn:
    def make(inplace: bool = False) -> nn.Module:
        return GammaAct(act_type, gamma=gamma, inplace=inplace)
    return make


def _act_factory(act_type: str) -> LayerFn:
    """``make(inplace=...)`` for any activation name (GELU takes no ``inplace``)."""
    act_cls = get_act_layer(act_type)

    def make(inplace: bool = False) -> nn.Module:
        try:
            return act_cls(inplace=inplace)
        except TypeError:
            return act_cls()
    return make


class DownsampleAvg(nn.Module):
    """Transition shortcut: 2x2 average pool where the block strides, then a 1x1 scaled conv."""

    def __init__(self, in_chs: int, out_chs: int, stride: int = 1, dilation: int = 1,
                 conv_layer: LayerFn = ScaledStdConv2d, **dd: Any):
        super().__init__()
        if stride > 1 or dilation > 1:
            self.pool: nn.Module = nn.AvgPool2d(2, stride if dilation == 1 else 1, ceil_mode=True,
                                                count_include_pad=False)
        else:
            self.pool = nn.Identity()
        self.conv = conv_layer(in_chs, out_chs, 1, stride=1, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.pool(x))


class NormFreeBlock(nn.Module):
    """act -> x beta -> 1x1 -> act -> 3x3 (-> act -> 3x3) (-> attn) -> act -> 1x1 (-> attn); out * alpha + shortcut."""

    def __init__(
        self, in_chs: int, out_chs: Optional[int] = None, stride: int = 1, dilation: int = 1,
        first_dilation: Optional[int] = None, alpha: float = 1.0, beta: float = 1.0, bottle_ratio: float = 0.25,
        group_size: Optional[int] = None, ch_div: int = 1, reg: bool = True, extra_conv: bool = False,
        skipinit: bool = False, attn_layer: Optional[LayerFn] = None, attn_gain: float = 2.0,
        act_layer: Optional[LayerFn] = None, conv_layer: LayerFn = ScaledStdConv2d, drop_path_rate: float = 0.0,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        out_chs = out_chs or in_chs
        # RegNet blocks size the bottleneck from the input width, ResNet blocks from the output
        mid_chs = make_divisible(in_chs * bottle_ratio if reg else out_chs * bottle_ratio, ch_div)
        groups = 1 if not group_size else mid_chs // group_size
        if group_size and group_size % ch_div == 0:
            mid_chs = group_size * groups  # the group size may have rounded the width
        self.alpha = alpha
        self.beta = beta
        self.attn_gain = attn_gain

        if in_chs != out_chs or stride != 1 or dilation != first_dilation:
            self.downsample: Optional[nn.Module] = DownsampleAvg(
                in_chs, out_chs, stride=stride, dilation=dilation, conv_layer=conv_layer, **dd)
        else:
            self.downsample = None
        self.act1 = act_layer()
        self.conv1 = conv_layer(in_chs, mid_chs, 1, **dd)
        self.act2 = act_layer(inplace=True)
        self.conv2 = conv_layer(mid_chs, mid_chs, 3, stride=stride, dilation=first_dilation, groups=groups, **dd)
        if extra_conv:
            self.act2b = act_layer(inplace=True)
            self.conv2b = conv_layer(mid_chs, mid_chs, 3, stride=1, dilation=dilation, groups=groups, **dd)
        else:
            self.act2b = None
            self.conv2b = None
        self.attn = attn_layer(mid_chs, **dd) if reg and attn_layer is not None else None
        self.act3 = act_layer()
        self.conv3 = conv_layer(mid_chs, out_chs, 1, gain_init=1.0 if skipinit else 0.0, **dd)
        self.attn_last = attn_layer(out_chs, **dd) if not reg and attn_layer is not None else None
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        self.skipinit_gain = nn.Parameter(torch.tensor(0.0, **dd)) if skipinit else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.act1(x) * self.beta
        # a transition block's shortcut sees the scaled, activated input; others the raw input
        shortcut = self.downsample(out) if self.downsample is not None else x
        out = self.conv1(out)
        out = self.conv2(self.act2(out))
        if self.conv2b is not None:
            out = self.conv2b(self.act2b(out))
        if self.attn is not None:
            out = self.attn_gain * self.attn(out)
        out = self.conv3(self.act3(out))
        if self.attn_last is not None:
            out = self.attn_gain * self.attn_last(out)
        out = self.drop_path(out)
        if self.skipinit_gain is not None:
            out = out * self.skipinit_gain
        return out * self.alpha + shortcut


def create_stem(
    in_chs: int, out_chs: int, stem_type: str, conv_layer: LayerFn, act_layer: LayerFn, **dd: Any,
) -> Tuple[nn.Sequential, int, Dict[str, Any]]:
    """The stem, its stride, and its feature point (before the last stride-2 step of a deep stem)."""
    stem = nn.Sequential()
    if stem_type == "deep_quad":
        chs = (out_chs // 8, out_chs // 4, out_chs // 2, out_chs)
        strides = (2, 1, 1, 2)
        prev = in_chs
        for i, (c, s) in enumerate(zip(chs, strides)):
            if i > 0:
                stem.add_module(f"act{i + 1}", act_layer(inplace=i < 3))
            stem.add_module(f"conv{i + 1}", conv_layer(prev, c, 3, stride=s, **dd))
            prev = c
        return stem, 4, dict(num_chs=chs[2], reduction=2, module="stem.conv3")
    if stem_type == "7x7_pool":
        stem.add_module("conv", conv_layer(in_chs, out_chs, 7, stride=2, **dd))
        stem.add_module("pool", nn.MaxPool2d(3, stride=2, padding=1))
        return stem, 4, dict(num_chs=out_chs, reduction=2, module="stem.conv")
    if stem_type == "3x3":
        stem.add_module("conv", conv_layer(in_chs, out_chs, 3, stride=2, **dd))
        return stem, 2, dict(num_chs=out_chs, reduction=2, module="stem.conv")
    raise ValueError(f"stem_type must be '3x3', '7x7_pool' or 'deep_quad', got {stem_type!r}")


class NormFreeNet(nn.Module):
    """A normalizer-free ResNet / RegNet / NFNet from an :class:`NfCfg`; keyword arguments named like
    a cfg field override it."""

    def __init__(
        self,
        cfg: NfCfg,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        output_stride: int = 32,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        unknown = set(kwargs) - {f.name for f in fields(NfCfg)}
        if unknown:
            raise TypeError(f"NormFreeNet got unexpected arguments {sorted(unknown)}")
        cfg = replace(cfg, **kwargs)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        if cfg.act_layer not in GAMMA:
            raise ValueError(f"no signal-propagation gamma for act_layer {cfg.act_layer!r}; one of {sorted(GAMMA)}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.global_pool = global_pool
        self.grad_checkpointing = False

        conv_cls = ScaledStdConv2dSame if cfg.same_padding else ScaledStdConv2d
        gamma = GAMMA[cfg.act_layer]
        if cfg.gamma_in_act:
            act_layer = act_with_gamma(cfg.act_layer, gamma=gamma)
            conv_layer = partial(conv_cls, eps=cfg.std_conv_eps)
        else:
            act_layer = _act_factory(cfg.act_layer)
            conv_layer = partial(conv_cls, gamma=gamma, eps=cfg.std_conv_eps)
        attn_layer = partial(get_attn(cfg.attn_layer), **(cfg.attn_kwargs or {})) if cfg.attn_layer else None

        stem_chs = make_divisible((cfg.stem_chs or cfg.channels[0]) * cfg.width_factor, cfg.ch_div)
        self.stem, stem_stride, stem_feat = create_stem(
            in_chans, stem_chs, cfg.stem_type, conv_layer=conv_layer, act_layer=act_layer, **dd)
        self.feature_info = [stem_feat]

        total = sum(cfg.depths)
        dprs = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        prev_chs, net_stride, dilation, expected_var = stem_chs, stem_stride, 1, 1.0
        stages = []
        for stage_idx, depth in enumerate(cfg.depths):
            stride = 1 if stage_idx == 0 and stem_stride > 2 else 2
            if net_stride >= output_stride and stride > 1:
                dilation *= stride
                stride = 1
            net_stride *= stride
            first_dilation = 1 if dilation in (1, 2) else 2
            out_chs = make_divisible(cfg.channels[stage_idx] * cfg.width_factor, cfg.ch_div)
            blocks = []
            for block_idx in range(depth):
                # an NF-RegNet's very first block keeps the stem width as its bottleneck
                first = block_idx == 0 and stage_idx == 0
                blocks.append(NormFreeBlock(
                    in_chs=prev_chs, out_chs=out_chs, alpha=cfg.alpha, beta=1.0 / expected_var ** 0.5,
                    stride=stride if block_idx == 0 else 1, dilation=dilation, first_dilation=first_dilation,
                    group_size=cfg.group_size, bottle_ratio=1.0 if cfg.reg and first else cfg.bottle_ratio,
                    ch_div=cfg.ch_div, reg=cfg.reg, extra_conv=cfg.extra_conv, skipinit=cfg.skipinit,
                    attn_layer=attn_layer, attn_gain=cfg.attn_gain, act_layer=act_layer, conv_layer=conv_layer,
                    drop_path_rate=dprs.pop(0), **dd,
                ))
                if block_idx == 0:
                    expected_var = 1.0  # a transition block's shortcut restarts the variance
                expected_var += cfg.alpha ** 2
                first_dilation = dilation
                prev_chs = out_chs
            self.feature_info.append(dict(num_chs=prev_chs, reduction=net_stride, module=f"stages.{stage_idx}"))
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)

        if cfg.num_features:
            self.num_features = make_divisible(cfg.width_factor * cfg.num_features, cfg.ch_div)
            self.final_conv: nn.Module = conv_layer(prev_chs, self.num_features, 1, **dd)
            self.feature_info[-1] = dict(num_chs=self.num_features, reduction=net_stride, module="final_conv")
        else:
            self.num_features = prev_chs
            self.final_conv = nn.Identity()
        self.final_act = act_layer(inplace=cfg.num_features > 0)
        self.head_hidden_size = self.num_features
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        self._init_weights(cfg.zero_init_fc)

    def _init_weights(self, zero_init_fc: bool) -> None:
        for name, m in self.named_modules():
            if isinstance(m, nn.Linear):
                if zero_init_fc:
                    nn.init.zeros_(m.weight)
                else:
                    nn.init.normal_(m.weight, 0.0, 0.01)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="linear")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^stem",
            blocks=[
                (r"^stages\.(\d+)" if coarse else r"^stages\.(\d+)\.(\d+)", None),
                (r"^final_conv", (99999,)),
            ],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Feature maps at ``indices`` of the stem and the stages (the last one after the final conv,
        before the final activation), as in ``feature_info``."""
        if output_fmt != "NCHW":
            raise ValueError(f"NormFreeNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        num_stages = len(self.stages)
        take_indices, max_index = feature_take_indices(num_stages + 1, indices)
        intermediates = []
        feat_name = self.feature_info[0]["module"].split(".")[-1]
        for name, layer in self.stem.named_children():
            x = layer(x)
            if name == feat_name and 0 in take_indices:
                intermediates.append(x)
        stages = self.stages if not stop_early else self.stages[:max_index]
        for feat_idx, stage in enumerate(stages, start=1):
            x = stage(x)
            if feat_idx == num_stages:
                x = self.final_conv(x)  # the last feature point is the final conv, before its act
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        if feat_idx == num_stages:
            # the final act may be in place: keep the stored feature map intact
            x = self.final_act(x.clone() if num_stages in take_indices else x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.stages) + 1, indices)
        if max_index < len(self.stages):
            self.final_conv = nn.Identity()
            self.final_act = nn.Identity()
        self.stages = self.stages[:max_index]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.stages, x)
        else:
            x = self.stages(x)
        return self.final_act(self.final_conv(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_F_DEPTHS = {f"f{i}": tuple(d * (i + 1) for d in (1, 2, 6, 3)) for i in range(8)}
_F_CHANNELS = (256, 512, 1536, 1536)


def _nfnet(depths, act_layer: str = "gelu", **kwargs: Any) -> NfCfg:
    """NFNet-F: deep stem, grouped (128) bottlenecks at ratio 0.5, an extra 3x3, SE (0.5), 2x final width."""
    return NfCfg(
        depths=depths, channels=_F_CHANNELS, stem_type="deep_quad", stem_chs=128, group_size=128, bottle_ratio=0.5,
        extra_conv=True, num_features=3072, attn_layer="se", attn_kwargs=dict(rd_ratio=0.5), act_layer=act_layer,
        **kwargs)


def _nfnet_l(depths, num_features: int, attn_layer: str = "eca", attn_kwargs: Optional[Dict[str, Any]] = None) -> NfCfg:
    """timm's lighter NFNet-L: SiLU, group size 64, bottleneck 0.25, ECA (or SE 0.25)."""
    return NfCfg(
        depths=depths, channels=_F_CHANNELS, stem_type="deep_quad", stem_chs=128, group_size=64, bottle_ratio=0.25,
        extra_conv=True, num_features=num_features, attn_layer=attn_layer, attn_kwargs=attn_kwargs or {},
        act_layer="silu")


def _nf_regnet(depths, channels, num_features: int) -> NfCfg:
    return NfCfg(
        depths=depths, channels=channels, stem_type="3x3", group_size=8, width_factor=0.75, bottle_ratio=2.25,
        num_features=num_features, reg=True, attn_layer="se", attn_kwargs=dict(rd_ratio=0.5))


def _nf_resnet(depths, attn_layer: Optional[str] = None, attn_kwargs: Optional[Dict[str, Any]] = None) -> NfCfg:
    return NfCfg(
        depths=depths, channels=(256, 512, 1024, 2048), stem_type="7x7_pool", stem_chs=64, bottle_ratio=0.25,
        group_size=None, act_layer="relu", attn_layer=attn_layer, attn_kwargs=attn_kwargs or {})


_DM = dict(gamma_in_act=True, same_padding=True, skipinit=True)

NF_CFGS: Dict[str, NfCfg] = {
    **{f"dm_nfnet_f{i}": _nfnet(_F_DEPTHS[f"f{i}"], **_DM) for i in range(7)},
    **{f"nfnet_f{i}": _nfnet(_F_DEPTHS[f"f{i}"]) for i in range(8)},
    "nfnet_l0": _nfnet_l(_F_DEPTHS["f0"], 2304, attn_layer="se", attn_kwargs=dict(rd_ratio=0.25, rd_divisor=8)),
    "eca_nfnet_l0": _nfnet_l(_F_DEPTHS["f0"], 2304),
    "eca_nfnet_l1": _nfnet_l(_F_DEPTHS["f1"], 3072),
    "eca_nfnet_l2": _nfnet_l(_F_DEPTHS["f2"], 3072),
    "eca_nfnet_l3": _nfnet_l(_F_DEPTHS["f3"], 3072),
    "nf_regnet_b0": _nf_regnet((1, 3, 6, 6), (48, 104, 208, 440), 1280),
    "nf_regnet_b1": _nf_regnet((2, 4, 7, 7), (48, 104, 208, 440), 1280),
    "nf_regnet_b2": _nf_regnet((2, 4, 8, 8), (56, 112, 232, 488), 1419),
    "nf_regnet_b3": _nf_regnet((2, 5, 9, 9), (56, 128, 248, 528), 1536),
    "nf_regnet_b4": _nf_regnet((2, 6, 11, 11), (64, 144, 288, 616), 1792),
    "nf_regnet_b5": _nf_regnet((3, 7, 14, 14), (80, 168, 336, 704), 2048),
    "nf_resnet26": _nf_resnet((2, 2, 2, 2)),
    "nf_resnet50": _nf_resnet((3, 4, 6, 3)),
    "nf_resnet101": _nf_resnet((3, 4, 23, 3)),
    "nf_seresnet26": _nf_resnet((2, 2, 2, 2), "se", dict(rd_ratio=1 / 16)),
    "nf_seresnet50": _nf_resnet((3, 4, 6, 3), "se", dict(rd_ratio=1 / 16)),
    "nf_seresnet101": _nf_resnet((3, 4, 23, 3), "se", dict(rd_ratio=1 / 16)),
    "nf_ecaresnet26": _nf_resnet((2, 2, 2, 2), "eca"),
    "nf_ecaresnet50": _nf_resnet((3, 4, 6, 3), "eca"),
    "nf_ecaresnet101": _nf_resnet((3, 4, 23, 3), "eca"),
    "test_nfnet": NfCfg(
        depths=(1, 1, 1, 1), channels=(32, 64, 96, 128), stem_type="deep_quad", stem_chs=128, group_size=8,
        bottle_ratio=0.25, extra_conv=True, num_features=192, attn_layer="se",
        attn_kwargs=dict(rd_ratio=0.25, rd_divisor=8)),
}

NFNETS: Dict[str, Dict[str, Any]] = {name: dict(cfg=cfg) for name, cfg in NF_CFGS.items()}


# --- weight metadata --------------------------------------------------------------------------------

_RW = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.9,
        interpolation="bicubic", first_conv="stem.conv1", classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


def _dm(url: str, size: int, test_size: int, crop_pct: float = 0.9) -> Dict[str, Any]:
    return _cfg(url, hf_hub_id="timm/", input_size=(3, size, size), test_input_size=(3, test_size, test_size),
                pool_size=(math.ceil(size / 32),) * 2, crop_pct=crop_pct, crop_mode="squash")


def _sized(size: int, test_size: int, **kwargs: Any) -> Dict[str, Any]:
    return _cfg(input_size=(3, size, size), test_input_size=(3, test_size, test_size),
                pool_size=(math.ceil(size / 32),) * 2, **kwargs)


_DNF = _RW + "v0.1-dnf-weights/"
_W = _RW + "v0.1-weights/"
_STEM = dict(first_conv="stem.conv")

default_cfgs = generate_default_cfgs({
    "dm_nfnet_f0.dm_in1k": _dm(_DNF + "dm_nfnet_f0-604f9c3a.pth", 192, 256),
    "dm_nfnet_f1.dm_in1k": _dm(_DNF + "dm_nfnet_f1-fc540f82.pth", 224, 320, 0.91),
    "dm_nfnet_f2.dm_in1k": _dm(_DNF + "dm_nfnet_f2-89875923.pth", 256, 352, 0.92),
    "dm_nfnet_f3.dm_in1k": _dm(_DNF + "dm_nfnet_f3-d74ab3aa.pth", 320, 416, 0.94),
    "dm_nfnet_f4.dm_in1k": _dm(_DNF + "dm_nfnet_f4-0ac5b10b.pth", 384, 512, 0.951),
    "dm_nfnet_f5.dm_in1k": _dm(_DNF + "dm_nfnet_f5-ecb20ab1.pth", 416, 544, 0.954),
    "dm_nfnet_f6.dm_in1k": _dm(_DNF + "dm_nfnet_f6-e0f12116.pth", 448, 576, 0.956),
    "nfnet_f0": _sized(192, 256),
    "nfnet_f1": _sized(224, 320),
    "nfnet_f2": _sized(256, 352),
    "nfnet_f3": _sized(320, 416),
    "nfnet_f4": _sized(384, 512),
    "nfnet_f5": _sized(416, 544),
    "nfnet_f6": _sized(448, 576),
    "nfnet_f7": _sized(480, 608),
    "nfnet_l0.ra2_in1k": _sized(224, 288, url=_W + "nfnet_l0_ra2-45c6688d.pth", hf_hub_id="timm/", test_crop_pct=1.0),
    "eca_nfnet_l0.ra2_in1k": _sized(
        224, 288, url=_W + "ecanfnet_l0_ra2-e3e9ac50.pth", hf_hub_id="timm/", test_crop_pct=1.0),
    "eca_nfnet_l1.ra2_in1k": _sized(
        256, 320, url=_W + "ecanfnet_l1_ra2-7dce93cd.pth", hf_hub_id="timm/", test_crop_pct=1.0),
    "eca_nfnet_l2.ra3_in1k": _sized(
        320, 384, url=_W + "ecanfnet_l2_ra3-da781a61.pth", hf_hub_id="timm/", test_crop_pct=1.0),
    "eca_nfnet_l3": _sized(352, 448, test_crop_pct=1.0),
    "nf_regnet_b0": _sized(192, 256, **_STEM),
    "nf_regnet_b1.ra2_in1k": _sized(
        256, 288, url=_W + "nf_regnet_b1_256_ra2-ad85cfef.pth", hf_hub_id="timm/", **_STEM),
    "nf_regnet_b2": _sized(240, 272, **_STEM),
    "nf_regnet_b3": _sized(288, 320, **_STEM),
    "nf_regnet_b4": _sized(320, 384, **_STEM),
    "nf_regnet_b5": _sized(384, 456, **_STEM),
    "nf_resnet26": _cfg(**_STEM),
    "nf_resnet50.ra2_in1k": _sized(
        256, 288, url=_W + "nf_resnet50_ra2-9f236009.pth", hf_hub_id="timm/", crop_pct=0.94, **_STEM),
    "nf_resnet101": _cfg(**_STEM),
    "nf_seresnet26": _cfg(**_STEM),
    "nf_seresnet50": _cfg(**_STEM),
    "nf_seresnet101": _cfg(**_STEM),
    "nf_ecaresnet26": _cfg(**_STEM),
    "nf_ecaresnet50": _cfg(**_STEM),
    "nf_ecaresnet101": _cfg(**_STEM),
    "test_nfnet.r160_in1k": _cfg(
        hf_hub_id="timm/", input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95, mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5)),
})


def _create_nfnet(variant: str, pretrained: bool = False, **kwargs: Any) -> NormFreeNet:
    return build_model_with_cfg(NormFreeNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(NFNETS, _create_nfnet, globals())
