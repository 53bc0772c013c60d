"""EfficientNet and the MBConv networks built from the same blocks: EfficientNet B0-B8/L2 (and the
TensorFlow ports), -Lite, -EdgeTPU, CondConv, EfficientNetV2, MixNet, MnasNet, FBNet-C, SPNASNet,
MobileNet-V1/V2, MobileNet-EdgeTPU, TinyNet. Checkpoint-compatible with timm's ``efficientnet`` module.

Papers:

* Tan & Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", 2019 (arXiv:1905.11946)
* Tan & Le, "EfficientNetV2: Smaller Models and Faster Training", 2021 (arXiv:2104.00298)
* Tan & Le, "MixConv: Mixed Depthwise Convolutional Kernels" (MixNet), 2019 (arXiv:1907.09595)
* Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile", 2018 (arXiv:1807.11626)
* Yang et al., "CondConv: Conditionally Parameterized Convolutions", 2019 (arXiv:1904.04971)
* Wu et al., "FBNet" (arXiv:1812.03443); Stamoulis et al., "Single-Path NAS" (arXiv:1904.02877)
* Howard et al., "MobileNets" (arXiv:1704.04861); Sandler et al., "MobileNetV2" (arXiv:1801.04381)
* Gupta & Akin, "Accelerator-aware Neural Network Design using AutoML" (EdgeTPU), 2020 (arXiv:2003.02838)
* Han et al., "Model Rubik's Cube: Twisting Resolution, Depth and Width for TinyNets", 2020 (arXiv:2010.14819)

Layout: the network classes, then one generator per architecture family (typed stage specs plus the
family's scaling rules), then ``EFFICIENTNETS`` (one row per registered name: generator + its
arguments), then the weight metadata, then registration. ``tf_`` rows are TensorFlow ports: 'same'
padding and BatchNorm eps 1e-3.
"""
from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    BatchNormAct2d, GroupNormAct, LayerNormAct2d, create_classifier, create_conv2d, get_act_layer,
    get_norm_act_layer,
)
from imagemodels.layers.evo_norm import EvoNorm2dS0
from imagemodels.layers.global_context import GlobalContext

from ._builder import build_model_with_cfg
from ._efficientnet_blocks import SqueezeExcite
from ._efficientnet_builder import Stage, build_stages, init_weight_goog, round_channels
from ._efficientnet_pruned import PRUNED_BLOCKS as _PRUNED
from ._features import FeatureInfo, feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["EfficientNet", "EfficientNetFeatures", "MBConvNet", "resolve_norm_act"]

LayerFn = Callable[..., nn.Module]


def resolve_norm_act(norm_layer: Union[str, LayerFn, None]) -> LayerFn:
    """The fused norm+act class the blocks call as ``norm_layer(chs, act_layer=..., apply_act=...)``.

    EvoNorm carries its own nonlinearity, so it is used as is.
    """
    if norm_layer is None:
        return BatchNormAct2d
    base = norm_layer.func if isinstance(norm_layer, partial) else norm_layer
    if isinstance(base, type) and issubclass(base, EvoNorm2dS0):
        return norm_layer
    return get_norm_act_layer(norm_layer)


class MBConvNet(nn.Module):
    """What EfficientNet and MobileNet-V3 share: stem conv + norm, the block stages, the contract.

    Subclasses build ``conv_stem``, ``bn1``, ``blocks`` (via :meth:`_build_body`) and their own head,
    and implement :meth:`_head_convs` (the conv head run by ``forward_features`` / after intermediates)
    and :meth:`_prune_head`.
    """

    def _build_body(self, arch, in_chans: int, stem_size: int, stem_kernel_size: int, fix_stem: bool,
                    round_chs_fn: Callable, act_layer, norm_layer, dd, stem_stride: int = 2, **build_kwargs):
        if not fix_stem:
            stem_size = round_chs_fn(stem_size)
        self.conv_stem = create_conv2d(in_chans, stem_size, stem_kernel_size, stride=stem_stride,
                                       padding=build_kwargs.get("pad_type", ""), **dd)
        self.bn1 = norm_layer(stem_size, act_layer=act_layer, inplace=True, **dd)
        stages, feature_info = build_stages(arch, stem_size, round_chs_fn=round_chs_fn, act_layer=act_layer,
                                            norm_layer=norm_layer, dd=dd, **build_kwargs)
        self.blocks = nn.Sequential(*stages)
        self.feature_info = feature_info
        self.stage_ends = [f["stage"] for f in feature_info]
        return feature_info[-1]["num_chs"]

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^conv_stem|bn1",
            blocks=[(r"^blocks\.(\d+)" if coarse else r"^blocks\.(\d+)\.(\d+)", None),
                    (r"conv_head|bn2|norm_head", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def _head_convs(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def _prune_head(self) -> None:
        raise NotImplementedError

    def _feature_take(self, indices, extra_blocks: bool) -> Tuple[List[int], int, List[int]]:
        """(positions in the returned list's terms, the last block stage needed, stage index per position)."""
        if extra_blocks:
            take, max_index = feature_take_indices(len(self.blocks) + 1, indices)
            return take, max_index, take
        take, max_index = feature_take_indices(len(self.stage_ends), indices)
        stages = [self.stage_ends[i] for i in take]
        return take, self.stage_ends[max_index], stages

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        extra_blocks: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at the feature points (``feature_info``), or after every stage with ``extra_blocks``.

        Index 0 is the stem when it is a feature point. Returns ``(final_features, maps)`` or only
        the maps with ``intermediates_only``; ``stop_early`` skips the stages after the last one asked for.
        """
        if output_fmt != "NCHW":
            raise ValueError(f"feature maps are NCHW only, got output_fmt={output_fmt!r}")
        _, max_stage, take_stages = self._feature_take(indices, extra_blocks)
        intermediates = []
        x = self.bn1(self.conv_stem(x))
        if 0 in take_stages:
            intermediates.append(x)
        blocks = self.blocks if torch.jit.is_scripting() or not stop_early else self.blocks[:max_stage]
        for stage_idx, stage in enumerate(blocks, start=1):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint_seq(stage, x)
            else:
                x = stage(x)
            if stage_idx in take_stages:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return self._head_convs(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
        extra_blocks: bool = False,
    ) -> List[int]:
        """Drop the stages after the last of ``indices`` (and the head), for feature extraction."""
        take, max_stage, _ = self._feature_take(indices, extra_blocks)
        self.blocks = self.blocks[:max_stage]
        if prune_head:
            self._prune_head()
            self.reset_classifier(0, "")
        return take

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


class EfficientNet(MBConvNet):
    """EfficientNet-style network: stem, MBConv stages, 1x1 conv head + norm, pooled classifier.

    ``arch`` is the list of stages (see ``_efficientnet_builder.Stage``). ``round_chs_fn`` scales every
    width; ``depth_multiplier`` / ``depth_trunc`` / ``fix_first_last`` the stage depths. ``num_features``
    is the head width, already scaled; 0 leaves the head conv out (MobileNet-V1).
    """

    def __init__(
        self,
        arch: Sequence[Any],
        num_classes: int = 1000,
        num_features: int = 1280,
        in_chans: int = 3,
        stem_size: int = 32,
        stem_kernel_size: int = 3,
        fix_stem: bool = False,
        output_stride: int = 32,
        pad_type: str = "",
        act_layer: Union[str, LayerFn, None] = None,
        norm_layer: Union[str, LayerFn, None] = None,
        aa_layer: Union[str, LayerFn, None] = None,
        se_layer: Optional[LayerFn] = None,
        round_chs_fn: Callable[[float], int] = round_channels,
        depth_multiplier: Union[float, Sequence[float]] = 1.0,
        depth_trunc: str = "ceil",
        fix_first_last: bool = False,
        experts_multiplier: int = 1,
        group_size: Optional[int] = None,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        global_pool: str = "avg",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        act_layer = get_act_layer(act_layer or nn.ReLU)
        norm_layer = resolve_norm_act(norm_layer)
        se_layer = se_layer or SqueezeExcite
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self._dd = dd

        head_chs = self._build_body(
            arch, in_chans, stem_size, stem_kernel_size, fix_stem, round_chs_fn, act_layer, norm_layer, dd,
            depth_multiplier=depth_multiplier, depth_trunc=depth_trunc, fix_first_last=fix_first_last,
            experts_multiplier=experts_multiplier, group_size=group_size, output_stride=output_stride,
            pad_type=pad_type, aa_layer=aa_layer, se_layer=se_layer, drop_path_rate=drop_path_rate)
        if num_features:
            self.conv_head = create_conv2d(head_chs, num_features, 1, padding=pad_type, **dd)
            self.bn2 = norm_layer(num_features, act_layer=act_layer, inplace=True, **dd)
        else:
            num_features = head_chs
            self.conv_head = nn.Identity()
            self.bn2 = nn.Identity()
        self.num_features = self.head_hidden_size = num_features
        self.global_pool, self.classifier = create_classifier(num_features, num_classes, pool_type=global_pool, **dd)
        for name, m in self.named_modules():
            init_weight_goog(m, name)

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.classifier = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _head_convs(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn2(self.conv_head(x))

    def _prune_head(self) -> None:
        self.conv_head = nn.Identity()
        self.bn2 = nn.Identity()

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn1(self.conv_stem(x))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x, flatten=True)
        else:
            x = self.blocks(x)
        return self._head_convs(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.classifier(x)


class EfficientNetFeatures(nn.Module):
    """The stem and stages of an MBConv network returning the maps at ``out_indices`` (features_only).

    Same weight names as the classifier (``conv_stem``, ``bn1``, ``blocks``); no head. Takes the
    classifier's arguments and drops those about the head.
    """

    def __init__(self, net_cls: type, out_indices: Sequence[int] = (0, 1, 2, 3, 4), feature_location: str = "bottleneck",
                 **kwargs: Any):
        super().__init__()
        if feature_location != "bottleneck":
            raise ValueError(f"only feature_location='bottleneck' is supported, got {feature_location!r}")
        for key in ("num_classes", "global_pool", "drop_rate"):
            kwargs.pop(key, None)
        net = net_cls(num_classes=0, **kwargs)
        self.conv_stem, self.bn1, self.blocks = net.conv_stem, net.bn1, net.blocks
        self.feature_info = FeatureInfo(net.feature_info, out_indices)
        self._stage_out = {int(f["stage"]) for i, f in enumerate(net.feature_info) if i in self.feature_info.out_indices}
        self.grad_checkpointing = False

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        x = self.bn1(self.conv_stem(x))
        features = [x] if 0 in self._stage_out else []
        for stage_idx, stage in enumerate(self.blocks, start=1):
            x = checkpoint_seq(stage, x) if self.grad_checkpointing and not torch.jit.is_scripting() else stage(x)
            if stage_idx in self._stage_out:
                features.append(x)
        return features


# --- architecture generators --------------------------------------------------------------------
# Each returns the EfficientNet arguments of one architecture family at the given scale.

def _S(block: str, depth: int, out_chs: int, **kw: Any) -> Stage:
    return Stage(block=block, depth=depth, out_chs=out_chs, **kw)


def _rc(multiplier: float = 1.0, **kw: Any) -> Callable[[float], int]:
    return partial(round_channels, multiplier=multiplier, **kw)


_B0 = [
    _S("ds", 1, 16, kernel=3, se=0.25),
    _S("ir", 2, 24, kernel=3, stride=2, expand=6, se=0.25),
    _S("ir", 2, 40, kernel=5, stride=2, expand=6, se=0.25),
    _S("ir", 3, 80, kernel=3, stride=2, expand=6, se=0.25),
    _S("ir", 3, 112, kernel=5, expand=6, se=0.25),
    _S("ir", 4, 192, kernel=5, stride=2, expand=6, se=0.25),
    _S("ir", 1, 320, kernel=3, expand=6, se=0.25),
]


def _pruned(name: str) -> Dict[str, Any]:
    """A pruned network's stages with every block's widths given: no width or depth scaling of the blocks."""
    arch = [[Stage(block=kind, depth=1, kernel=k, stride=s, mid_chs=mid, out_chs=out, se=1.0 if se else 0.0,
                   se_chs=se) for kind, k, s, mid, out, se in stage] for stage in _PRUNED[name]]
    return dict(pruned_arch=arch)


def _pruned_kwargs(kw: Dict[str, Any], rc: Callable[[float], int], stem: int) -> Dict[str, Any]:
    if kw.get("pruned_arch") is None:
        return dict(arch=kw.pop("arch"), round_chs_fn=rc, stem_size=stem)
    base = kw.pop("arch")
    # the explicit block widths are used as given; the stem keeps the scaled width. What the pruning
    # table does not record comes from the unpruned stage: a stage without residuals (EdgeTPU's first,
    # ``skip=False``) has none in any of its pruned blocks either (efficientnet_el_pruned has two there)
    pruned = [[replace(row, skip=False) if stage.skip is False else row for row in rows]
              for stage, rows in zip(base, kw.pop("pruned_arch"))]
    return dict(arch=pruned, round_chs_fn=_rc(0), stem_size=rc(stem), fix_stem=True)


def gen_efficientnet(channel_multiplier=1.0, depth_multiplier=1.0, channel_divisor=8, group_size=None, **kw):
    """EfficientNet-B*: the B0 stages scaled in width and depth; swish; SE 0.25 of the block input."""
    rc = _rc(channel_multiplier, divisor=channel_divisor)
    body = _pruned_kwargs(dict(kw, arch=_B0), rc, 32)
    kw.pop("pruned_arch", None)
    if body["arch"] is not _B0:
        depth_multiplier = 1.0
    return dict(depth_multiplier=depth_multiplier, num_features=rc(1280), act_layer="swish", group_size=group_size,
                **body, **kw)


def gen_efficientnet_edge(channel_multiplier=1.0, depth_multiplier=1.0, group_size=None, **kw):
    """EfficientNet-EdgeTPU (S/M/L): fused MBConv early, ReLU."""
    arch = [
        _S("er", 1, 24, kernel=3, expand=4, force_in_chs=24, skip=False),
        _S("er", 2, 32, kernel=3, stride=2, expand=8),
        _S("er", 4, 48, kernel=3, stride=2, expand=8),
        _S("ir", 5, 96, kernel=5, stride=2, expand=8),
        _S("ir", 4, 144, kernel=5, expand=8),
        _S("ir", 2, 192, kernel=5, stride=2, expand=8),
    ]
    rc = _rc(channel_multiplier)
    body = _pruned_kwargs(dict(kw, arch=arch), rc, 32)
    if kw.pop("pruned_arch", None) is not None:
        depth_multiplier = 1.0
    return dict(depth_multiplier=depth_multiplier, num_features=rc(1280), act_layer="relu", group_size=group_size,
                **body, **kw)


def gen_efficientnet_condconv(channel_multiplier=1.0, depth_multiplier=1.0, experts_multiplier=1, **kw):
    """CondConv-EfficientNet: the last three B0 stages with 4 (x multiplier) expert kernels."""
    arch = _B0[:4] + [Stage(**{**_as_dict(s), "block": "cc", "num_experts": 4}) for s in _B0[4:]]
    rc = _rc(channel_multiplier)
    return dict(arch=arch, depth_multiplier=depth_multiplier, experts_multiplier=experts_multiplier,
                num_features=rc(1280), stem_size=32, round_chs_fn=rc, act_layer="swish", **kw)


def _as_dict(stage: Stage) -> Dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(stage)


def gen_efficientnet_lite(channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """EfficientNet-Lite: no SE, ReLU6, fixed stem and head, first and last stage not deepened."""
    arch = [Stage(**{**_as_dict(s), "se": 0.0}) for s in _B0]
    return dict(arch=arch, depth_multiplier=depth_multiplier, fix_first_last=True, num_features=1280, stem_size=32,
                fix_stem=True, round_chs_fn=_rc(channel_multiplier), act_layer="relu6", **kw)


def gen_efficientnetv2_base(channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """EfficientNetV2-B0..B3."""
    arch = [
        _S("cn", 1, 16, kernel=3, skip=True),
        _S("er", 2, 32, kernel=3, stride=2, expand=4),
        _S("er", 2, 48, kernel=3, stride=2, expand=4),
        _S("ir", 3, 96, kernel=3, stride=2, expand=4, se=0.25),
        _S("ir", 5, 112, kernel=3, expand=6, se=0.25),
        _S("ir", 8, 192, kernel=3, stride=2, expand=6, se=0.25),
    ]
    rc = _rc(channel_multiplier, round_limit=0.0)
    return dict(arch=arch, depth_multiplier=depth_multiplier, num_features=rc(1280), stem_size=32, round_chs_fn=rc,
                act_layer="silu", **kw)


def gen_efficientnetv2_s(channel_multiplier=1.0, depth_multiplier=1.0, group_size=None, rw=False, **kw):
    """EfficientNetV2-S; ``rw`` is the variant trained in timm before the paper's (wider last stage)."""
    arch = [
        _S("er", 2, 24, kernel=3, expand=1) if rw else _S("cn", 2, 24, kernel=3, skip=True),
        _S("er", 4, 48, kernel=3, stride=2, expand=4),
        _S("er", 4, 64, kernel=3, stride=2, expand=4),
        _S("ir", 6, 128, kernel=3, stride=2, expand=4, se=0.25),
        _S("ir", 9, 160, kernel=3, expand=6, se=0.25),
        _S("ir", 15, 272 if rw else 256, kernel=3, stride=2, expand=6, se=0.25),
    ]
    rc = _rc(channel_multiplier)
    return dict(arch=arch, depth_multiplier=depth_multiplier, num_features=rc(1792 if rw else 1280), stem_size=24,
                round_chs_fn=rc, act_layer="silu", group_size=group_size, **kw)


_V2_M = [(3, 24), (5, 48), (5, 80), (7, 160), (14, 176), (18, 304), (5, 512)]
_V2_L = [(4, 32), (7, 64), (7, 96), (10, 192), (19, 224), (25, 384), (7, 640)]
_V2_XL = [(4, 32), (8, 64), (8, 96), (16, 192), (24, 256), (32, 512), (8, 640)]


def gen_efficientnetv2(depths_widths, stem_size, channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """EfficientNetV2-M/L/XL: conv, 2 fused stages, 4 MBConv stages (the paper's table, as (depth, width))."""
    (d0, c0), (d1, c1), (d2, c2), (d3, c3), (d4, c4), (d5, c5), (d6, c6) = depths_widths
    arch = [
        _S("cn", d0, c0, kernel=3, skip=True),
        _S("er", d1, c1, kernel=3, stride=2, expand=4),
        _S("er", d2, c2, kernel=3, stride=2, expand=4),
        _S("ir", d3, c3, kernel=3, stride=2, expand=4, se=0.25),
        _S("ir", d4, c4, kernel=3, expand=6, se=0.25),
        _S("ir", d5, c5, kernel=3, stride=2, expand=6, se=0.25),
        _S("ir", d6, c6, kernel=3, expand=6, se=0.25),
    ]
    rc = _rc(channel_multiplier)
    return dict(arch=arch, depth_multiplier=depth_multiplier, num_features=1280, stem_size=stem_size,
                round_chs_fn=rc, act_layer="silu", **kw)


def gen_mixnet_s(channel_multiplier=1.0, **kw):
    """MixNet-S: mixed depthwise kernels; 'a'/'p' 1x1 convs split into 2 groups; swish from stage 3."""
    sw = dict(act="swish")
    arch = [
        _S("ds", 1, 16, kernel=3),
        [_S("ir", 1, 24, kernel=3, exp_kernel=(1, 1), pw_kernel=(1, 1), stride=2, expand=6),
         _S("ir", 1, 24, kernel=3, exp_kernel=(1, 1), pw_kernel=(1, 1), expand=3)],
        [_S("ir", 1, 40, kernel=(3, 5, 7), stride=2, expand=6, se=0.5, **sw),
         _S("ir", 3, 40, kernel=(3, 5), exp_kernel=(1, 1), pw_kernel=(1, 1), expand=6, se=0.5, **sw)],
        [_S("ir", 1, 80, kernel=(3, 5, 7), pw_kernel=(1, 1), stride=2, expand=6, se=0.25, **sw),
         _S("ir", 2, 80, kernel=(3, 5), pw_kernel=(1, 1), expand=6, se=0.25, **sw)],
        [_S("ir", 1, 120, kernel=(3, 5, 7), exp_kernel=(1, 1), pw_kernel=(1, 1), expand=6, se=0.5, **sw),
         _S("ir", 2, 120, kernel=(3, 5, 7, 9), exp_kernel=(1, 1), pw_kernel=(1, 1), expand=3, se=0.5, **sw)],
        [_S("ir", 1, 200, kernel=(3, 5, 7, 9, 11), stride=2, expand=6, se=0.5, **sw),
         _S("ir", 2, 200, kernel=(3, 5, 7, 9), pw_kernel=(1, 1), expand=6, se=0.5, **sw)],
    ]
    return dict(arch=arch, num_features=1536, stem_size=16, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_mixnet_m(channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """MixNet-M (and L/XL/XXL by scaling): depth rounds to nearest."""
    sw = dict(act="swish")
    a, p = dict(exp_kernel=(1, 1)), dict(pw_kernel=(1, 1))
    arch = [
        _S("ds", 1, 24, kernel=3),
        [_S("ir", 1, 32, kernel=(3, 5, 7), stride=2, expand=6, **a, **p),
         _S("ir", 1, 32, kernel=3, expand=3, **a, **p)],
        [_S("ir", 1, 40, kernel=(3, 5, 7, 9), stride=2, expand=6, se=0.5, **sw),
         _S("ir", 3, 40, kernel=(3, 5), expand=6, se=0.5, **a, **p, **sw)],
        [_S("ir", 1, 80, kernel=(3, 5, 7), stride=2, expand=6, se=0.25, **sw),
         _S("ir", 3, 80, kernel=(3, 5, 7, 9), expand=6, se=0.25, **a, **p, **sw)],
        [_S("ir", 1, 120, kernel=3, expand=6, se=0.5, **sw),
         _S("ir", 3, 120, kernel=(3, 5, 7, 9), expand=3, se=0.5, **a, **p, **sw)],
        [_S("ir", 1, 200, kernel=(3, 5, 7, 9), stride=2, expand=6, se=0.5, **sw),
         _S("ir", 3, 200, kernel=(3, 5, 7, 9), expand=6, se=0.5, **p, **sw)],
    ]
    return dict(arch=arch, depth_multiplier=depth_multiplier, depth_trunc="round", num_features=1536, stem_size=24,
                round_chs_fn=_rc(channel_multiplier), **kw)


def gen_mnasnet_a1(channel_multiplier=1.0, **kw):
    """MnasNet-A1 (SE-MnasNet)."""
    arch = [
        _S("ds", 1, 16, kernel=3, skip=False),
        _S("ir", 2, 24, kernel=3, stride=2, expand=6),
        _S("ir", 3, 40, kernel=5, stride=2, expand=3, se=0.25),
        _S("ir", 4, 80, kernel=3, stride=2, expand=6),
        _S("ir", 2, 112, kernel=3, expand=6, se=0.25),
        _S("ir", 3, 160, kernel=5, stride=2, expand=6, se=0.25),
        _S("ir", 1, 320, kernel=3, expand=6),
    ]
    return dict(arch=arch, stem_size=32, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_mnasnet_b1(channel_multiplier=1.0, **kw):
    """MnasNet-B1 (no SE)."""
    arch = [
        _S("ds", 1, 16, kernel=3, skip=False),
        _S("ir", 3, 24, kernel=3, stride=2, expand=3),
        _S("ir", 3, 40, kernel=5, stride=2, expand=3),
        _S("ir", 3, 80, kernel=5, stride=2, expand=6),
        _S("ir", 2, 96, kernel=3, expand=6),
        _S("ir", 4, 192, kernel=5, stride=2, expand=6),
        _S("ir", 1, 320, kernel=3, expand=6, skip=False),
    ]
    return dict(arch=arch, stem_size=32, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_mnasnet_small(channel_multiplier=1.0, **kw):
    arch = [
        _S("ds", 1, 8, kernel=3),
        _S("ir", 1, 16, kernel=3, stride=2, expand=3),
        _S("ir", 2, 16, kernel=3, stride=2, expand=6),
        _S("ir", 4, 32, kernel=5, stride=2, expand=6, se=0.25),
        _S("ir", 3, 32, kernel=3, expand=6, se=0.25),
        _S("ir", 3, 88, kernel=5, stride=2, expand=6, se=0.25),
        _S("ir", 1, 144, kernel=3, expand=6),
    ]
    return dict(arch=arch, stem_size=8, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_mobilenet_v1(channel_multiplier=1.0, group_size=None, fix_stem_head=False, head_conv=False, **kw):
    """MobileNet-V1: depthwise-separable blocks with an activation after both convs, no residuals."""
    dsa = dict(pw_act=True, skip=False)
    arch = [
        _S("ds", 1, 64, kernel=3, **dsa),
        _S("ds", 2, 128, kernel=3, stride=2, **dsa),
        _S("ds", 2, 256, kernel=3, stride=2, **dsa),
        _S("ds", 6, 512, kernel=3, stride=2, **dsa),
        _S("ds", 2, 1024, kernel=3, stride=2, **dsa),
    ]
    rc = _rc(channel_multiplier)
    num_features = (1024 if fix_stem_head else max(1024, rc(1024))) if head_conv else 0
    return dict(arch=arch, num_features=num_features, stem_size=32, fix_stem=fix_stem_head, round_chs_fn=rc,
                group_size=group_size, act_layer="relu6", **kw)


def gen_mobilenet_v2(channel_multiplier=1.0, depth_multiplier=1.0, fix_stem_head=False, **kw):
    """MobileNet-V2: inverted residuals with linear bottlenecks, ReLU6."""
    arch = [
        _S("ds", 1, 16, kernel=3),
        _S("ir", 2, 24, kernel=3, stride=2, expand=6),
        _S("ir", 3, 32, kernel=3, stride=2, expand=6),
        _S("ir", 4, 64, kernel=3, stride=2, expand=6),
        _S("ir", 3, 96, kernel=3, expand=6),
        _S("ir", 3, 160, kernel=3, stride=2, expand=6),
        _S("ir", 1, 320, kernel=3, expand=6),
    ]
    rc = _rc(channel_multiplier)
    return dict(arch=arch, depth_multiplier=depth_multiplier, fix_first_last=fix_stem_head,
                num_features=1280 if fix_stem_head else max(1280, rc(1280)), stem_size=32, fix_stem=fix_stem_head,
                round_chs_fn=rc, act_layer="relu6", **kw)


def gen_fbnetc(channel_multiplier=1.0, **kw):
    """FBNet-C."""
    arch = [
        _S("ir", 1, 16, kernel=3, expand=1),
        [_S("ir", 1, 24, kernel=3, stride=2, expand=6), _S("ir", 2, 24, kernel=3, expand=1)],
        [_S("ir", 1, 32, kernel=5, stride=2, expand=6), _S("ir", 1, 32, kernel=5, expand=3),
         _S("ir", 1, 32, kernel=5, expand=6), _S("ir", 1, 32, kernel=3, expand=6)],
        [_S("ir", 1, 64, kernel=5, stride=2, expand=6), _S("ir", 1, 64, kernel=5, expand=3),
         _S("ir", 2, 64, kernel=5, expand=6)],
        [_S("ir", 3, 112, kernel=5, expand=6), _S("ir", 1, 112, kernel=5, expand=3)],
        _S("ir", 4, 184, kernel=5, stride=2, expand=6),
        _S("ir", 1, 352, kernel=3, expand=6),
    ]
    return dict(arch=arch, stem_size=16, num_features=1984, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_spnasnet(channel_multiplier=1.0, **kw):
    """Single-Path NAS."""
    arch = [
        _S("ds", 1, 16, kernel=3, skip=False),
        _S("ir", 3, 24, kernel=3, stride=2, expand=3),
        [_S("ir", 1, 40, kernel=5, stride=2, expand=6), _S("ir", 3, 40, kernel=3, expand=3)],
        [_S("ir", 1, 80, kernel=5, stride=2, expand=6), _S("ir", 3, 80, kernel=3, expand=3)],
        [_S("ir", 1, 96, kernel=5, expand=6), _S("ir", 3, 96, kernel=5, expand=3)],
        _S("ir", 4, 192, kernel=5, stride=2, expand=6),
        _S("ir", 1, 320, kernel=3, expand=6, skip=False),
    ]
    return dict(arch=arch, stem_size=32, round_chs_fn=_rc(channel_multiplier), **kw)


def gen_tinynet(width=1.0, depth=1.0, **kw):
    """TinyNet: the B0 stages at a smaller width / depth (the resolution is in the weight metadata)."""
    rc = _rc(width)
    return dict(arch=_B0, depth_multiplier=depth, depth_trunc="round", num_features=max(1280, rc(1280)),
                stem_size=32, fix_stem=True,
                round_chs_fn=rc, act_layer="swish", **kw)


def gen_mobilenet_edgetpu(version="", channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """MobileNet-EdgeTPU V1 and V2 (XS/S/M/L): fused MBConv stages then MBConv, ReLU."""
    if version == "":
        arch = [
            _S("cn", 1, 16, kernel=1),
            [_S("er", 1, 32, kernel=3, stride=2, expand=8), _S("er", 3, 32, kernel=3, expand=4)],
            [_S("er", 1, 48, kernel=3, stride=2, expand=8), _S("er", 3, 48, kernel=3, expand=4)],
            [_S("ir", 1, 96, kernel=3, stride=2, expand=8), _S("ir", 3, 96, kernel=3, expand=4)],
            [_S("ir", 1, 96, kernel=3, expand=8, skip=False), _S("ir", 3, 96, kernel=3, expand=4)],
            [_S("ir", 1, 160, kernel=5, stride=2, expand=8), _S("ir", 3, 160, kernel=5, expand=4)],
            _S("ir", 1, 192, kernel=3, expand=8),
        ]
        return dict(arch=arch, num_features=1280, stem_size=32, depth_multiplier=depth_multiplier,
                    round_chs_fn=_rc(channel_multiplier), act_layer="relu", **kw)
    chs = dict(xs=(16, 32, 48, 96, 144, 160, 192), s=(24, 48, 64, 128, 160, 192, 256),
               m=(32, 64, 80, 160, 192, 240, 320), l=(32, 64, 96, 192, 240, 256, 384))[version]
    gs = dict(xs=16, s=16, m=16, l=32)[version]
    arch = [
        _S("cn", 1, chs[0], kernel=1),
        [_S("er", 1, chs[1], kernel=3, stride=2, expand=8), _S("er", 1, chs[1], kernel=3, expand=4, group_size=gs)],
        [_S("er", 1, chs[2], kernel=3, stride=2, expand=8), _S("er", 1, chs[2], kernel=3, expand=4, group_size=gs),
         _S("er", 1, chs[2], kernel=3, expand=4), _S("er", 1, chs[2], kernel=3, expand=4, group_size=gs)],
        [_S("er", 1, chs[3], kernel=3, stride=2, expand=8), _S("ir", 3, chs[3], kernel=3, expand=4)],
        [_S("ir", 1, chs[4], kernel=3, expand=8), _S("ir", 3, chs[4], kernel=3, expand=4)],
        [_S("ir", 1, chs[5], kernel=3, stride=2, expand=8), _S("ir", 3, chs[5], kernel=3, expand=4)],
        _S("ir", 1, chs[6], kernel=3, expand=8),
    ]
    stem = 32 if version == "xs" else 64
    stem_k = dict(xs=3, s=5, m=5, l=7)[version]
    nf = dict(xs=1280, s=1280, m=1344, l=1408)[version]
    return dict(arch=arch, num_features=nf, stem_size=stem, stem_kernel_size=stem_k, depth_multiplier=depth_multiplier,
                round_chs_fn=_rc(channel_multiplier), act_layer="relu", **kw)


def gen_efficientnet_x(version="x_b3", **kw):
    """EfficientNet-X / -H (accelerator-aware): a space-to-depth first stage, fused MBConv early.

    Gupta & Akin / Li et al., "Searching for Fast Model Families on Datacenter Accelerators", 2021
    (arXiv:2102.05610). Widths and depths are the published scaled networks', given per stage.
    """
    (c0, d0), (c1, d1, e1), (c2, d2, e2), (c3, d3, e3), (c4, d4), (c5, d5), (c6, d6), stem, nf = _EFFNET_X[version]
    sw = dict(se=0.25)
    re = dict(se=0.25, act="relu")
    arch = [
        [_S("ds", 1, c0, kernel=3, stride=2, s2d=1, **sw), _S("ds", d0, c0, kernel=3, **sw)],
        [_S("er", 1, c1, kernel=3, expand=e1[0], **re), _S("er", d1, c1, kernel=3, expand=e1[1], **re)],
        _S("er", d2, c2, kernel=5, stride=2, expand=e2, **re),
        _S("ir", d3, c3, kernel=3, stride=2, expand=e3, **sw),
        _S("ir", d4, c4, kernel=5, expand=6, **sw),
        _S("ir", d5, c5, kernel=5, stride=2, expand=6, **sw),
        _S("ir", d6, c6, kernel=3, expand=6, **sw),
    ]
    return dict(arch=arch, num_features=nf, stem_size=stem, fix_stem=True, round_chs_fn=_rc(1.0), act_layer="swish",
                **kw)


# per stage (width, depth[, expansion]); the first stage's depth counts the blocks after the space-to-depth one
_EFFNET_X = {
    "x_b3": ((96, 1), (32, 2, (1.5, 6)), (48, 3, 6), (96, 5, 6), (136, 5), (232, 6), (384, 2), 40, 1536),
    "x_b5": ((96, 2), (40, 4, (1.5, 6)), (64, 5, 6), (128, 7, 6), (176, 7), (304, 9), (512, 3), 48, 2048),
    "h_b5": ((128, 2), (48, 4, (1, 4)), (80, 5, 4), (152, 7, 4), (216, 7), (368, 9), (616, 3), 64, 2456),
}

_TF = dict(pad_type="same", norm_layer=partial(BatchNormAct2d, eps=1e-3))
_GN8 = partial(GroupNormAct, group_size=8)
_GN16 = partial(GroupNormAct, group_size=16)


def _test_effnet(**kw):
    """A tiny net touching every block kind (tests only)."""
    arch = [
        _S("cn", 1, 16, kernel=3, skip=True),
        _S("er", 1, 24, kernel=3, stride=2, expand=4),
        _S("er", 1, 32, kernel=3, stride=2, expand=4),
        _S("ir", 1, 48, kernel=3, stride=2, expand=4, se=0.25),
        _S("ir", 1, 64, kernel=3, stride=2, expand=4, se=0.25),
    ]
    return dict(arch=arch, num_features=256, stem_size=24, round_chs_fn=_rc(1.0), act_layer="silu", **kw)


# --- variants -----------------------------------------------------------------------------------
# name -> (generator, its arguments); model arguments may be added to a row and win over the generator's.

def _row(gen: Callable[..., Dict[str, Any]], **kw: Any) -> Dict[str, Any]:
    return dict(gen=gen, **kw)


EFFICIENTNETS: Dict[str, Dict[str, Any]] = {
    "efficientnet_b0": _row(gen_efficientnet),
    "efficientnet_b0_g8_gn": _row(gen_efficientnet, group_size=8, norm_layer=_GN8),
    "efficientnet_b0_g16_evos": _row(gen_efficientnet, group_size=16, channel_divisor=16),
    "efficientnet_b0_gn": _row(gen_efficientnet, norm_layer=_GN8),
    "efficientnet_b1": _row(gen_efficientnet, depth_multiplier=1.1),
    "efficientnet_b1_pruned": _row(gen_efficientnet, depth_multiplier=1.1, **_pruned("efficientnet_b1_pruned"),
                                   **_TF),
    "efficientnet_b2": _row(gen_efficientnet, channel_multiplier=1.1, depth_multiplier=1.2),
    "efficientnet_b2_pruned": _row(gen_efficientnet, channel_multiplier=1.1, depth_multiplier=1.2,
                                   **_pruned("efficientnet_b2_pruned"), **_TF),
    "efficientnet_b3": _row(gen_efficientnet, channel_multiplier=1.2, depth_multiplier=1.4),
    "efficientnet_b3_g8_gn": _row(gen_efficientnet, channel_multiplier=1.2, depth_multiplier=1.4, group_size=8,
                                  channel_divisor=16, norm_layer=_GN16),
    "efficientnet_b3_gn": _row(gen_efficientnet, channel_multiplier=1.2, depth_multiplier=1.4, channel_divisor=16,
                               norm_layer=_GN16),
    "efficientnet_b3_pruned": _row(gen_efficientnet, channel_multiplier=1.2, depth_multiplier=1.4,
                                   **_pruned("efficientnet_b3_pruned"), **_TF),
    "efficientnet_b4": _row(gen_efficientnet, channel_multiplier=1.4, depth_multiplier=1.8),
    "efficientnet_b5": _row(gen_efficientnet, channel_multiplier=1.6, depth_multiplier=2.2),
    "efficientnet_b6": _row(gen_efficientnet, channel_multiplier=1.8, depth_multiplier=2.6),
    "efficientnet_b7": _row(gen_efficientnet, channel_multiplier=2.0, depth_multiplier=3.1),
    "efficientnet_b8": _row(gen_efficientnet, channel_multiplier=2.2, depth_multiplier=3.6),
    "efficientnet_l2": _row(gen_efficientnet, channel_multiplier=4.3, depth_multiplier=5.3),
    "efficientnet_blur_b0": _row(gen_efficientnet, aa_layer="blurpc"),
    "efficientnet_cc_b0_4e": _row(gen_efficientnet_condconv),
    "efficientnet_cc_b0_8e": _row(gen_efficientnet_condconv, experts_multiplier=2),
    "efficientnet_cc_b1_8e": _row(gen_efficientnet_condconv, depth_multiplier=1.1, experts_multiplier=2),
    "efficientnet_el": _row(gen_efficientnet_edge, channel_multiplier=1.2, depth_multiplier=1.4),
    "efficientnet_el_pruned": _row(gen_efficientnet_edge, channel_multiplier=1.2, depth_multiplier=1.4,
                                   **_pruned("efficientnet_el_pruned")),
    "efficientnet_em": _row(gen_efficientnet_edge, depth_multiplier=1.1),
    "efficientnet_es": _row(gen_efficientnet_edge),
    "efficientnet_es_pruned": _row(gen_efficientnet_edge, **_pruned("efficientnet_es_pruned")),
    "efficientnet_x_b3": _row(gen_efficientnet_x, version="x_b3"),
    "efficientnet_x_b5": _row(gen_efficientnet_x, version="x_b5"),
    "efficientnet_h_b5": _row(gen_efficientnet_x, version="h_b5"),
    "efficientnet_lite0": _row(gen_efficientnet_lite),
    "efficientnet_lite1": _row(gen_efficientnet_lite, depth_multiplier=1.1),
    "efficientnet_lite2": _row(gen_efficientnet_lite, channel_multiplier=1.1, depth_multiplier=1.2),
    "efficientnet_lite3": _row(gen_efficientnet_lite, channel_multiplier=1.2, depth_multiplier=1.4),
    "efficientnet_lite4": _row(gen_efficientnet_lite, channel_multiplier=1.4, depth_multiplier=1.8),
    "efficientnetv2_rw_t": _row(gen_efficientnetv2_s, channel_multiplier=0.8, depth_multiplier=0.9),
    "gc_efficientnetv2_rw_t": _row(gen_efficientnetv2_s, channel_multiplier=0.8, depth_multiplier=0.9,
                                   se_layer=GlobalContext),
    "efficientnetv2_rw_s": _row(gen_efficientnetv2_s, rw=True),
    "efficientnetv2_rw_m": _row(gen_efficientnetv2_s, channel_multiplier=1.2,
                                depth_multiplier=(1.2,) * 4 + (1.6,) * 2, rw=True),
    "efficientnetv2_s": _row(gen_efficientnetv2_s),
    "efficientnetv2_m": _row(gen_efficientnetv2, depths_widths=_V2_M, stem_size=24),
    "efficientnetv2_l": _row(gen_efficientnetv2, depths_widths=_V2_L, stem_size=32),
    "efficientnetv2_xl": _row(gen_efficientnetv2, depths_widths=_V2_XL, stem_size=32),
    "tf_efficientnet_b0": _row(gen_efficientnet, **_TF),
    "tf_efficientnet_b1": _row(gen_efficientnet, depth_multiplier=1.1, **_TF),
    "tf_efficientnet_b2": _row(gen_efficientnet, channel_multiplier=1.1, depth_multiplier=1.2, **_TF),
    "tf_efficientnet_b3": _row(gen_efficientnet, channel_multiplier=1.2, depth_multiplier=1.4, **_TF),
    "tf_efficientnet_b4": _row(gen_efficientnet, channel_multiplier=1.4, depth_multiplier=1.8, **_TF),
    "tf_efficientnet_b5": _row(gen_efficientnet, channel_multiplier=1.6, depth_multiplier=2.2, **_TF),
    "tf_efficientnet_b6": _row(gen_efficientnet, channel_multiplier=1.8, depth_multiplier=2.6, **_TF),
    "tf_efficientnet_b7": _row(gen_efficientnet, channel_multiplier=2.0, depth_multiplier=3.1, **_TF),
    "tf_efficientnet_b8": _row(gen_efficientnet, channel_multiplier=2.2, depth_multiplier=3.6, **_TF),
    "tf_efficientnet_l2": _row(gen_efficientnet, channel_multiplier=4.3, depth_multiplier=5.3, **_TF),
    "tf_efficientnet_es": _row(gen_efficientnet_edge, **_TF),
    "tf_efficientnet_em": _row(gen_efficientnet_edge, depth_multiplier=1.1, **_TF),
    "tf_efficientnet_el": _row(gen_efficientnet_edge, channel_multiplier=1.2, depth_multiplier=1.4, **_TF),
    "tf_efficientnet_cc_b0_4e": _row(gen_efficientnet_condconv, **_TF),
    "tf_efficientnet_cc_b0_8e": _row(gen_efficientnet_condconv, experts_multiplier=2, **_TF),
    "tf_efficientnet_cc_b1_8e": _row(gen_efficientnet_condconv, depth_multiplier=1.1, experts_multiplier=2, **_TF),
    "tf_efficientnet_lite0": _row(gen_efficientnet_lite, **_TF),
    "tf_efficientnet_lite1": _row(gen_efficientnet_lite, depth_multiplier=1.1, **_TF),
    "tf_efficientnet_lite2": _row(gen_efficientnet_lite, channel_multiplier=1.1, depth_multiplier=1.2, **_TF),
    "tf_efficientnet_lite3": _row(gen_efficientnet_lite, channel_multiplier=1.2, depth_multiplier=1.4, **_TF),
    "tf_efficientnet_lite4": _row(gen_efficientnet_lite, channel_multiplier=1.4, depth_multiplier=1.8, **_TF),
    "tf_efficientnetv2_s": _row(gen_efficientnetv2_s, **_TF),
    "tf_efficientnetv2_m": _row(gen_efficientnetv2, depths_widths=_V2_M, stem_size=24, **_TF),
    "tf_efficientnetv2_l": _row(gen_efficientnetv2, depths_widths=_V2_L, stem_size=32, **_TF),
    "tf_efficientnetv2_xl": _row(gen_efficientnetv2, depths_widths=_V2_XL, stem_size=32, **_TF),
    "tf_efficientnetv2_b0": _row(gen_efficientnetv2_base, **_TF),
    "tf_efficientnetv2_b1": _row(gen_efficientnetv2_base, depth_multiplier=1.1, **_TF),
    "tf_efficientnetv2_b2": _row(gen_efficientnetv2_base, channel_multiplier=1.1, depth_multiplier=1.2, **_TF),
    "tf_efficientnetv2_b3": _row(gen_efficientnetv2_base, channel_multiplier=1.2, depth_multiplier=1.4, **_TF),
    "mixnet_s": _row(gen_mixnet_s),
    "mixnet_m": _row(gen_mixnet_m),
    "mixnet_l": _row(gen_mixnet_m, channel_multiplier=1.3),
    "mixnet_xl": _row(gen_mixnet_m, channel_multiplier=1.6, depth_multiplier=1.2),
    "mixnet_xxl": _row(gen_mixnet_m, channel_multiplier=2.4, depth_multiplier=1.3),
    "tf_mixnet_s": _row(gen_mixnet_s, **_TF),
    "tf_mixnet_m": _row(gen_mixnet_m, **_TF),
    "tf_mixnet_l": _row(gen_mixnet_m, channel_multiplier=1.3, **_TF),
    "mnasnet_050": _row(gen_mnasnet_b1, channel_multiplier=0.5),
    "mnasnet_075": _row(gen_mnasnet_b1, channel_multiplier=0.75),
    "mnasnet_100": _row(gen_mnasnet_b1),
    "mnasnet_140": _row(gen_mnasnet_b1, channel_multiplier=1.4),
    "semnasnet_050": _row(gen_mnasnet_a1, channel_multiplier=0.5),
    "semnasnet_075": _row(gen_mnasnet_a1, channel_multiplier=0.75),
    "semnasnet_100": _row(gen_mnasnet_a1),
    "semnasnet_140": _row(gen_mnasnet_a1, channel_multiplier=1.4),
    "mnasnet_small": _row(gen_mnasnet_small),
    "mobilenetv1_100": _row(gen_mobilenet_v1),
    "mobilenetv1_100h": _row(gen_mobilenet_v1, head_conv=True),
    "mobilenetv1_125": _row(gen_mobilenet_v1, channel_multiplier=1.25),
    "mobilenetv2_035": _row(gen_mobilenet_v2, channel_multiplier=0.35),
    "mobilenetv2_050": _row(gen_mobilenet_v2, channel_multiplier=0.5),
    "mobilenetv2_075": _row(gen_mobilenet_v2, channel_multiplier=0.75),
    "mobilenetv2_100": _row(gen_mobilenet_v2),
    "mobilenetv2_140": _row(gen_mobilenet_v2, channel_multiplier=1.4),
    "mobilenetv2_110d": _row(gen_mobilenet_v2, channel_multiplier=1.1, depth_multiplier=1.2, fix_stem_head=True),
    "mobilenetv2_120d": _row(gen_mobilenet_v2, channel_multiplier=1.2, depth_multiplier=1.4, fix_stem_head=True),
    "fbnetc_100": _row(gen_fbnetc),
    "spnasnet_100": _row(gen_spnasnet),
    "mobilenet_edgetpu_100": _row(gen_mobilenet_edgetpu),
    "mobilenet_edgetpu_v2_xs": _row(gen_mobilenet_edgetpu, version="xs"),
    "mobilenet_edgetpu_v2_s": _row(gen_mobilenet_edgetpu, version="s"),
    "mobilenet_edgetpu_v2_m": _row(gen_mobilenet_edgetpu, version="m"),
    "mobilenet_edgetpu_v2_l": _row(gen_mobilenet_edgetpu, version="l"),
    "tinynet_a": _row(gen_tinynet, width=1.0, depth=1.2),
    "tinynet_b": _row(gen_tinynet, width=0.75, depth=1.1),
    "tinynet_c": _row(gen_tinynet, width=0.54, depth=0.85),
    "tinynet_d": _row(gen_tinynet, width=0.54, depth=0.695),
    "tinynet_e": _row(gen_tinynet, width=0.51, depth=0.6),
    "test_efficientnet": _row(_test_effnet),
    "test_efficientnet_gn": _row(_test_effnet, norm_layer=_GN8),
    "test_efficientnet_ln": _row(_test_effnet, norm_layer=LayerNormAct2d),
    "test_efficientnet_evos": _row(_test_effnet, norm_layer=partial(EvoNorm2dS0, group_size=8)),
}


# --- weight metadata --------------------------------------------------------------------------------
# One row per weight tag, in the reference's tag order (the first tag with weights is the default);
# a row lists what differs from _cfg's defaults. Generated from the published values by
# tools/dump_family_cfgs.py. 'untrained' tags have no weights.

_GH_TIMM = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_GH_HF = "https://github.com/huggingface/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        crop_mode="center", interpolation="bicubic", mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
        first_conv="conv_stem", classifier="classifier", license="apache-2.0", fixed_input_size=False,
    )
    cfg.update(kwargs)
    return cfg


EFFICIENTNET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "efficientnet_b0.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_b0_ra-3dd342df.pth'),
    "efficientnet_b0.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.9, test_crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "efficientnet_b0_g8_gn.untrained": _cfg(hf_hub_id=None),
    "efficientnet_b0_g16_evos.untrained": _cfg(hf_hub_id=None),
    "efficientnet_b0_gn.untrained": _cfg(hf_hub_id=None),
    "efficientnet_b1.ra4_e3600_r240_in1k": _cfg(input_size=(3, 240, 240), test_input_size=(3, 288, 288),
        pool_size=(8, 8), crop_pct=0.9, test_crop_pct=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "efficientnet_b1.ft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_b1-533bc792.pth',
        test_input_size=(3, 256, 256), test_crop_pct=1.0),
    "efficientnet_b1_pruned.in1k": _cfg(_GH_TIMM + 'v0.1-tresnet/effnetb1_pruned-bea43a3a.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "efficientnet_b2.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_b2_ra-bcdf34b7.pth',
        input_size=(3, 256, 256), test_input_size=(3, 288, 288), pool_size=(8, 8), test_crop_pct=1.0),
    "efficientnet_b2_pruned.in1k": _cfg(_GH_TIMM + 'v0.1-tresnet/effnetb2_pruned-08c1b27c.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "efficientnet_b3.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_b3_ra2-cf984f9c.pth',
        input_size=(3, 288, 288), test_input_size=(3, 320, 320), pool_size=(9, 9), test_crop_pct=1.0),
    "efficientnet_b3_g8_gn.untrained": _cfg(hf_hub_id=None, input_size=(3, 288, 288), test_input_size=(3, 320, 320),
        pool_size=(9, 9), crop_pct=1.0),
    "efficientnet_b3_gn.untrained": _cfg(hf_hub_id=None, input_size=(3, 288, 288), test_input_size=(3, 320, 320),
        pool_size=(9, 9), crop_pct=1.0),
    "efficientnet_b3_pruned.in1k": _cfg(_GH_TIMM + 'v0.1-tresnet/effnetb3_pruned-59ecf72d.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "efficientnet_b4.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_b4_ra2_320-7eb33cd5.pth',
        input_size=(3, 320, 320), test_input_size=(3, 384, 384), pool_size=(10, 10), test_crop_pct=1.0),
    "efficientnet_b5.sw_in12k_ft_in1k": _cfg(input_size=(3, 448, 448), pool_size=(14, 14), crop_pct=1.0,
        crop_mode='squash'),
    "efficientnet_b5.sw_in12k": _cfg(num_classes=11821, input_size=(3, 416, 416), pool_size=(13, 13), crop_pct=0.95),
    "efficientnet_b6.untrained": _cfg(hf_hub_id=None, input_size=(3, 528, 528), pool_size=(17, 17), crop_pct=0.942),
    "efficientnet_b7.untrained": _cfg(hf_hub_id=None, input_size=(3, 600, 600), pool_size=(19, 19), crop_pct=0.949),
    "efficientnet_b8.untrained": _cfg(hf_hub_id=None, input_size=(3, 672, 672), pool_size=(21, 21), crop_pct=0.954),
    "efficientnet_blur_b0.untrained": _cfg(hf_hub_id=None),
    "efficientnet_cc_b0_4e.untrained": _cfg(hf_hub_id=None),
    "efficientnet_cc_b0_8e.untrained": _cfg(hf_hub_id=None),
    "efficientnet_cc_b1_8e.untrained": _cfg(hf_hub_id=None, input_size=(3, 240, 240), pool_size=(8, 8),
        crop_pct=0.882),
    "efficientnet_el.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_el-3b455510.pth', input_size=(3, 300, 300),
        pool_size=(10, 10), crop_pct=0.904),
    "efficientnet_el_pruned.in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_el_pruned70-ef2a2ccf.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904),
    "efficientnet_em.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_em_ra2-66250f76.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882),
    "efficientnet_es.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_es_ra-f111e99c.pth'),
    "efficientnet_es_pruned.in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_es_pruned75-1b7248cf.pth'),
    "efficientnet_h_b5.sw_r448_e450_in1k": _cfg(input_size=(3, 448, 448), test_input_size=(3, 576, 576),
        pool_size=(14, 14), crop_pct=1.0, crop_mode='squash'),
    "efficientnet_l2.untrained": _cfg(hf_hub_id=None, input_size=(3, 800, 800), pool_size=(25, 25), crop_pct=0.961),
    "efficientnet_lite0.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_lite0_ra-37913777.pth'),
    "efficientnet_lite1.untrained": _cfg(hf_hub_id=None, input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882),
    "efficientnet_lite2.untrained": _cfg(hf_hub_id=None, input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89),
    "efficientnet_lite3.untrained": _cfg(hf_hub_id=None, input_size=(3, 300, 300), pool_size=(10, 10),
        crop_pct=0.904),
    "efficientnet_lite4.untrained": _cfg(hf_hub_id=None, input_size=(3, 380, 380), pool_size=(12, 12),
        crop_pct=0.922),
    "efficientnet_x_b3.untrained": _cfg(hf_hub_id=None, input_size=(3, 288, 288), pool_size=(9, 9), crop_pct=0.95),
    "efficientnet_x_b5.sw_r448_e450_in1k": _cfg(input_size=(3, 448, 448), test_input_size=(3, 576, 576),
        pool_size=(14, 14), crop_pct=1.0, crop_mode='squash'),
    "efficientnetv2_l.untrained": _cfg(hf_hub_id=None, input_size=(3, 384, 384), test_input_size=(3, 480, 480),
        pool_size=(12, 12), crop_pct=1.0),
    "efficientnetv2_m.untrained": _cfg(hf_hub_id=None, input_size=(3, 320, 320), test_input_size=(3, 416, 416),
        pool_size=(10, 10), crop_pct=1.0),
    "efficientnetv2_rw_m.agc_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnetv2_rw_m_agc-3d90cb1e.pth',
        input_size=(3, 320, 320), test_input_size=(3, 416, 416), pool_size=(10, 10), crop_pct=1.0),
    "efficientnetv2_rw_s.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnet_v2s_ra2_288-a6477665.pth',
        input_size=(3, 288, 288), test_input_size=(3, 384, 384), pool_size=(9, 9), crop_pct=1.0),
    "efficientnetv2_rw_t.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/efficientnetv2_t_agc-3620981a.pth',
        test_input_size=(3, 288, 288), crop_pct=1.0),
    "efficientnetv2_s.untrained": _cfg(hf_hub_id=None, input_size=(3, 288, 288), test_input_size=(3, 384, 384),
        pool_size=(9, 9), crop_pct=1.0),
    "efficientnetv2_xl.untrained": _cfg(hf_hub_id=None, input_size=(3, 384, 384), test_input_size=(3, 512, 512),
        pool_size=(12, 12), crop_pct=1.0),
    "fbnetc_100.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/fbnetc_100-c345b898.pth', interpolation='bilinear'),
    "gc_efficientnetv2_rw_t.agc_in1k": _cfg(_GH_TIMM + 'v0.1-weights/gc_efficientnetv2_rw_t_agc-927a0bde.pth',
        test_input_size=(3, 288, 288), crop_pct=1.0),
    "mixnet_l.ft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mixnet_l-5a9a2ed8.pth'),
    "mixnet_m.ft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mixnet_m-4647fc68.pth'),
    "mixnet_s.ft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mixnet_s-a907afbc.pth'),
    "mixnet_xl.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mixnet_xl_ra-aac3c00c.pth'),
    "mixnet_xxl.untrained": _cfg(hf_hub_id=None),
    "mnasnet_050.untrained": _cfg(hf_hub_id=None),
    "mnasnet_075.untrained": _cfg(hf_hub_id=None),
    "mnasnet_100.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mnasnet_b1-74cb7081.pth'),
    "mnasnet_140.untrained": _cfg(hf_hub_id=None),
    "mnasnet_small.lamb_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mnasnet_small_lamb-aff75073.pth'),
    "mobilenet_edgetpu_100.untrained": _cfg(hf_hub_id=None, crop_pct=0.9),
    "mobilenet_edgetpu_v2_l.untrained": _cfg(hf_hub_id=None, crop_pct=0.9),
    "mobilenet_edgetpu_v2_m.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.9,
        test_crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenet_edgetpu_v2_s.untrained": _cfg(hf_hub_id=None, crop_pct=0.9),
    "mobilenet_edgetpu_v2_xs.untrained": _cfg(hf_hub_id=None, crop_pct=0.9),
    "mobilenetv1_100.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=0.95,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv1_100h.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=0.95,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv1_125.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.9, test_crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv2_035.untrained": _cfg(hf_hub_id=None),
    "mobilenetv2_050.lamb_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv2_050-3d30d450.pth'),
    "mobilenetv2_075.untrained": _cfg(hf_hub_id=None),
    "mobilenetv2_100.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv2_100_ra-b33bc2c4.pth'),
    "mobilenetv2_110d.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv2_110d_ra-77090ade.pth'),
    "mobilenetv2_120d.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv2_120d_ra-5987e2ed.pth'),
    "mobilenetv2_140.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv2_140_ra-21a4e913.pth'),
    "semnasnet_050.untrained": _cfg(hf_hub_id=None),
    "semnasnet_075.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/semnasnet_075-18710866.pth'),
    "semnasnet_100.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mnasnet_a1-d9418771.pth'),
    "semnasnet_140.untrained": _cfg(hf_hub_id=None),
    "spnasnet_100.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/spnasnet_100-048bc3f4.pth', interpolation='bilinear'),
    "test_efficientnet.r160_in1k": _cfg(input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95),
    "test_efficientnet_evos.r160_in1k": _cfg(input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "test_efficientnet_gn.r160_in1k": _cfg(input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "test_efficientnet_ln.r160_in1k": _cfg(input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95),
    "tf_efficientnet_b0.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b0_ns-c0e6a31c.pth'),
    "tf_efficientnet_b0.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b0_ap-f262efe1.pth',
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b0.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b0_aa-827b6e33.pth'),
    "tf_efficientnet_b0.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b0-0af12548.pth'),
    "tf_efficientnet_b1.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b1_ns-99dd0c41.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882),
    "tf_efficientnet_b1.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b1_ap-44ef0a3d.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b1.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b1_aa-ea7a6ee0.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882),
    "tf_efficientnet_b1.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b1-5c1377c4.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882),
    "tf_efficientnet_b2.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b2_ns-00306e48.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89),
    "tf_efficientnet_b2.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b2_ap-2f8e7636.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b2.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b2_aa-60c94f97.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89),
    "tf_efficientnet_b2.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b2-e393ef04.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89),
    "tf_efficientnet_b3.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b3_ns-9d44bf68.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904),
    "tf_efficientnet_b3.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b3_ap-aad25bdd.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b3.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b3_aa-84b4657e.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904),
    "tf_efficientnet_b3.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b3-e3bd6955.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904),
    "tf_efficientnet_b4.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b4_ns-d6313a46.pth',
        input_size=(3, 380, 380), pool_size=(12, 12), crop_pct=0.922),
    "tf_efficientnet_b4.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b4_ap-dedb23e6.pth',
        input_size=(3, 380, 380), pool_size=(12, 12), crop_pct=0.922, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b4.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b4_aa-818f208c.pth',
        input_size=(3, 380, 380), pool_size=(12, 12), crop_pct=0.922),
    "tf_efficientnet_b4.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b4-74ee3bed.pth',
        input_size=(3, 380, 380), pool_size=(12, 12), crop_pct=0.922),
    "tf_efficientnet_b5.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b5_ns-6f26d0cf.pth',
        input_size=(3, 456, 456), pool_size=(15, 15), crop_pct=0.934),
    "tf_efficientnet_b5.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b5_ap-9e82fae8.pth',
        input_size=(3, 456, 456), pool_size=(15, 15), crop_pct=0.934, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b5.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b5_ra-9a3e5369.pth',
        input_size=(3, 456, 456), pool_size=(15, 15), crop_pct=0.934),
    "tf_efficientnet_b5.aa_in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b5_aa-99018a74.pth',
        input_size=(3, 456, 456), pool_size=(15, 15), crop_pct=0.934),
    "tf_efficientnet_b5.in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b5-c6949ce9.pth',
        input_size=(3, 456, 456), pool_size=(15, 15), crop_pct=0.934),
    "tf_efficientnet_b6.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b6_ns-51548356.pth',
        input_size=(3, 528, 528), pool_size=(17, 17), crop_pct=0.942),
    "tf_efficientnet_b6.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b6_ap-4ffb161f.pth',
        input_size=(3, 528, 528), pool_size=(17, 17), crop_pct=0.942, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b6.aa_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b6_aa-80ba17e4.pth',
        input_size=(3, 528, 528), pool_size=(17, 17), crop_pct=0.942),
    "tf_efficientnet_b7.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b7_ns-1dbc32de.pth',
        input_size=(3, 600, 600), pool_size=(19, 19), crop_pct=0.949),
    "tf_efficientnet_b7.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b7_ap-ddb28fec.pth',
        input_size=(3, 600, 600), pool_size=(19, 19), crop_pct=0.949, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b7.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b7_ra-6c08e654.pth',
        input_size=(3, 600, 600), pool_size=(19, 19), crop_pct=0.949),
    "tf_efficientnet_b7.aa_in1k": _cfg(_GH_HF + 'v0.1-weights/tf_efficientnet_b7_aa-076e3472.pth',
        input_size=(3, 600, 600), pool_size=(19, 19), crop_pct=0.949),
    "tf_efficientnet_b8.ap_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b8_ap-00e169fa.pth',
        input_size=(3, 672, 672), pool_size=(21, 21), crop_pct=0.954, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_b8.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_b8_ra-572d5dd9.pth',
        input_size=(3, 672, 672), pool_size=(21, 21), crop_pct=0.954),
    "tf_efficientnet_cc_b0_4e.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_cc_b0_4e-4362b6b2.pth',
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_cc_b0_8e.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_cc_b0_8e-66184a25.pth',
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_cc_b1_8e.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_cc_b1_8e-f7c79ae1.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_el.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_el-5143854e.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_em.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_em-e78cfe58.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_es.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_es-ca1afbfe.pth', mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_l2.ns_jft_in1k_475": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_l2_ns_475-bebbd00a.pth',
        input_size=(3, 475, 475), pool_size=(15, 15), crop_pct=0.936),
    "tf_efficientnet_l2.ns_jft_in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_l2_ns-df73bb44.pth',
        input_size=(3, 800, 800), pool_size=(25, 25), crop_pct=0.96),
    "tf_efficientnet_lite0.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_lite0-0aa007d2.pth',
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_lite1.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_lite1-bde8b488.pth',
        input_size=(3, 240, 240), pool_size=(8, 8), crop_pct=0.882, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_lite2.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_lite2-dcccb7df.pth',
        input_size=(3, 260, 260), pool_size=(9, 9), crop_pct=0.89, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_lite3.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_lite3-b733e338.pth',
        input_size=(3, 300, 300), pool_size=(10, 10), crop_pct=0.904, interpolation='bilinear', mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5)),
    "tf_efficientnet_lite4.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_efficientnet_lite4-741542c3.pth',
        input_size=(3, 380, 380), pool_size=(12, 12), crop_pct=0.92, interpolation='bilinear', mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_b0.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_b0-c7cc451f.pth',
        input_size=(3, 192, 192), test_input_size=(3, 224, 224), pool_size=(6, 6)),
    "tf_efficientnetv2_b1.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_b1-be6e41b0.pth',
        input_size=(3, 192, 192), test_input_size=(3, 240, 240), pool_size=(6, 6), crop_pct=0.882),
    "tf_efficientnetv2_b2.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_b2-847de54e.pth',
        input_size=(3, 208, 208), test_input_size=(3, 260, 260), crop_pct=0.89),
    "tf_efficientnetv2_b3.in21k_ft_in1k": _cfg(input_size=(3, 240, 240), test_input_size=(3, 300, 300),
        pool_size=(8, 8), crop_pct=0.9, crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_b3.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_b3-57773f13.pth',
        input_size=(3, 240, 240), test_input_size=(3, 300, 300), pool_size=(8, 8), crop_pct=0.904),
    "tf_efficientnetv2_b3.in21k": _cfg(num_classes=21843, input_size=(3, 240, 240), test_input_size=(3, 300, 300),
        pool_size=(8, 8), crop_pct=0.904, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_l.in21k_ft_in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_l_21ft1k-60127a9d.pth',
        input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_l.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_l-d664b728.pth',
        input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_l.in21k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_l_21k-91a19ec9.pth',
        num_classes=21843, input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_m.in21k_ft_in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_m_21ft1k-bf41664a.pth',
        input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_m.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_m-cc09e0cd.pth',
        input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_m.in21k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_m_21k-361418a2.pth',
        num_classes=21843, input_size=(3, 384, 384), test_input_size=(3, 480, 480), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_s.in21k_ft_in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_s_21ft1k-d7dafa41.pth',
        input_size=(3, 300, 300), test_input_size=(3, 384, 384), pool_size=(10, 10), crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_s.in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_s-eb54923e.pth',
        input_size=(3, 300, 300), test_input_size=(3, 384, 384), pool_size=(10, 10), crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_s.in21k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_s_21k-6337ad01.pth',
        num_classes=21843, input_size=(3, 300, 300), test_input_size=(3, 384, 384), pool_size=(10, 10), crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_xl.in21k_ft_in1k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_xl_in21ft1k-06c35c48.pth',
        input_size=(3, 384, 384), test_input_size=(3, 512, 512), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_efficientnetv2_xl.in21k": _cfg(_GH_TIMM + 'v0.1-effv2-weights/tf_efficientnetv2_xl_in21k-fd7e8abf.pth',
        num_classes=21843, input_size=(3, 384, 384), test_input_size=(3, 512, 512), pool_size=(12, 12), crop_pct=1.0,
        crop_mode='squash', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mixnet_l.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mixnet_l-6c92e0c8.pth'),
    "tf_mixnet_m.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mixnet_m-0f4d8805.pth'),
    "tf_mixnet_s.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mixnet_s-89d3354b.pth'),
    "tinynet_a.in1k": _cfg('https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/tinynet_a.pth',
        input_size=(3, 192, 192), pool_size=(6, 6)),
    "tinynet_b.in1k": _cfg('https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/tinynet_b.pth',
        input_size=(3, 188, 188), pool_size=(6, 6)),
    "tinynet_c.in1k": _cfg('https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/tinynet_c.pth',
        input_size=(3, 184, 184), pool_size=(6, 6)),
    "tinynet_d.in1k": _cfg('https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/tinynet_d.pth',
        input_size=(3, 152, 152), pool_size=(5, 5)),
    "tinynet_e.in1k": _cfg('https://github.com/huawei-noah/CV-Backbones/releases/download/v1.2.0/tinynet_e.pth',
        input_size=(3, 106, 106), pool_size=(4, 4)),
}

default_cfgs = generate_default_cfgs(EFFICIENTNET_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def create_mbconv_model(model_cls: type, variant: str, pretrained: bool, model_kwargs: Dict[str, Any]) -> nn.Module:
    """Build ``model_cls`` (or its features-only trunk) with weights; shared by the MBConv families."""
    features_only = model_kwargs.pop("features_only", False)
    if features_only:
        out_indices = model_kwargs.pop("out_indices", (0, 1, 2, 3, 4))
        feature_location = model_kwargs.pop("feature_location", "bottleneck")
        model_kwargs.pop("feature_cls", None)
        return build_model_with_cfg(
            partial(EfficientNetFeatures, model_cls, out_indices=out_indices, feature_location=feature_location),
            variant, pretrained, pretrained_strict=False, **model_kwargs)
    return build_model_with_cfg(model_cls, variant, pretrained, **model_kwargs)


def drop_connect_alias(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """``drop_connect_rate`` is the TensorFlow EfficientNet name of ``drop_path_rate``; accept both."""
    if "drop_connect_rate" in kwargs:
        rate = kwargs.pop("drop_connect_rate")
        if kwargs.get("drop_path_rate") not in (None, rate):
            raise ValueError("give drop_path_rate or its older name drop_connect_rate, not both")
        kwargs["drop_path_rate"] = rate
    return kwargs


def _create_efficientnet(variant: str, pretrained: bool = False, gen: Callable[..., Dict[str, Any]] = gen_efficientnet,
                         **kwargs: Any) -> nn.Module:
    return create_mbconv_model(EfficientNet, variant, pretrained, gen(**drop_connect_alias(kwargs)))


register_variants(EFFICIENTNETS, _create_efficientnet, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "tf_efficientnet_b0_ap": "tf_efficientnet_b0.ap_in1k",
    "tf_efficientnet_b1_ap": "tf_efficientnet_b1.ap_in1k",
    "tf_efficientnet_b2_ap": "tf_efficientnet_b2.ap_in1k",
    "tf_efficientnet_b3_ap": "tf_efficientnet_b3.ap_in1k",
    "tf_efficientnet_b4_ap": "tf_efficientnet_b4.ap_in1k",
    "tf_efficientnet_b5_ap": "tf_efficientnet_b5.ap_in1k",
    "tf_efficientnet_b6_ap": "tf_efficientnet_b6.ap_in1k",
    "tf_efficientnet_b7_ap": "tf_efficientnet_b7.ap_in1k",
    "tf_efficientnet_b8_ap": "tf_efficientnet_b8.ap_in1k",
    "tf_efficientnet_b0_ns": "tf_efficientnet_b0.ns_jft_in1k",
    "tf_efficientnet_b1_ns": "tf_efficientnet_b1.ns_jft_in1k",
    "tf_efficientnet_b2_ns": "tf_efficientnet_b2.ns_jft_in1k",
    "tf_efficientnet_b3_ns": "tf_efficientnet_b3.ns_jft_in1k",
    "tf_efficientnet_b4_ns": "tf_efficientnet_b4.ns_jft_in1k",
    "tf_efficientnet_b5_ns": "tf_efficientnet_b5.ns_jft_in1k",
    "tf_efficientnet_b6_ns": "tf_efficientnet_b6.ns_jft_in1k",
    "tf_efficientnet_b7_ns": "tf_efficientnet_b7.ns_jft_in1k",
    "tf_efficientnet_l2_ns_475": "tf_efficientnet_l2.ns_jft_in1k_475",
    "tf_efficientnet_l2_ns": "tf_efficientnet_l2.ns_jft_in1k",
    "tf_efficientnetv2_s_in21ft1k": "tf_efficientnetv2_s.in21k_ft_in1k",
    "tf_efficientnetv2_m_in21ft1k": "tf_efficientnetv2_m.in21k_ft_in1k",
    "tf_efficientnetv2_l_in21ft1k": "tf_efficientnetv2_l.in21k_ft_in1k",
    "tf_efficientnetv2_xl_in21ft1k": "tf_efficientnetv2_xl.in21k_ft_in1k",
    "tf_efficientnetv2_s_in21k": "tf_efficientnetv2_s.in21k",
    "tf_efficientnetv2_m_in21k": "tf_efficientnetv2_m.in21k",
    "tf_efficientnetv2_l_in21k": "tf_efficientnetv2_l.in21k",
    "tf_efficientnetv2_xl_in21k": "tf_efficientnetv2_xl.in21k",
    "efficientnet_b2a": "efficientnet_b2",
    "efficientnet_b3a": "efficientnet_b3",
    "mnasnet_a1": "semnasnet_100",
    "mnasnet_b1": "mnasnet_100",
})
