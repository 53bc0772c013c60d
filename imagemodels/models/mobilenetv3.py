"""MobileNet-V3 and -V4 and the networks sharing their head (a 1x1 conv after global pooling):
MobileNet-V3 large/small (and minimal), FBNet-V3, LCNet, MobileNet-V4 conv / hybrid (with mobile
multi-query attention) and its anti-aliased variants. Checkpoint-compatible with timm's ``mobilenetv3``.

Papers:

* Howard et al., "Searching for MobileNetV3", 2019 (arXiv:1905.02244)
* Qin et al., "MobileNetV4 - Universal Models for the Mobile Ecosystem", 2024 (arXiv:2404.10518)
* Dai et al., "FBNetV3: Joint Architecture-Recipe Search using Predictor Pretraining", 2020 (arXiv:2006.02049)
* Cui et al., "PP-LCNet: A Lightweight CPU Convolutional Neural Network", 2021 (arXiv:2109.15099)

Layout: the network class, the architecture generators (typed stage specs), ``MOBILENETV3S`` (one
row per registered name), the weight metadata, registration.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import BatchNormAct2d, SelectAdaptivePool2d, create_act_layer, create_conv2d, get_act_layer

from ._efficientnet_blocks import SqueezeExcite
from ._efficientnet_builder import Stage, init_weight_goog, round_channels
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants
from .efficientnet import MBConvNet, create_mbconv_model, drop_connect_alias, resolve_norm_act

__all__ = ["MobileNetV3"]

LayerFn = Callable[..., nn.Module]


class MobileNetV3(MBConvNet):
    """MobileNet-V3-style network: stem, stages, global pool, then a 1x1 conv head (``head_hidden_size``
    wide, with bias or with a norm) before the classifier.

    ``num_features`` is the width of the last stage (what is pooled); ``head_hidden_size`` the width
    the classifier sees. ``se_from_exp`` sizes squeeze-excite from the expanded width (MobileNet-V3) rather
    than from the block input (EfficientNet).
    """

    def __init__(
        self,
        arch: Sequence[Any],
        num_classes: int = 1000,
        in_chans: int = 3,
        stem_size: int = 16,
        fix_stem: bool = False,
        num_features: int = 1280,
        head_bias: bool = True,
        head_norm: bool = False,
        pad_type: str = "",
        act_layer: Union[str, LayerFn, None] = None,
        norm_layer: Union[str, LayerFn, None] = None,
        aa_layer: Union[str, LayerFn, None] = None,
        se_layer: Optional[LayerFn] = None,
        se_from_exp: bool = True,
        round_chs_fn: Callable[[float], int] = round_channels,
        depth_multiplier: float = 1.0,
        group_size: Optional[int] = None,
        output_stride: int = 32,
        layer_scale_init_value: Optional[float] = None,
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

        self.num_features = self._build_body(
            arch, in_chans, stem_size, 3, fix_stem, round_chs_fn, act_layer, norm_layer, dd,
            depth_multiplier=depth_multiplier, group_size=group_size, output_stride=output_stride,
            pad_type=pad_type, aa_layer=aa_layer, se_layer=se_layer, se_from_exp=se_from_exp,
            drop_path_rate=drop_path_rate, layer_scale_init_value=layer_scale_init_value)
        self.head_hidden_size = num_features
        # the head convolves the pooled vector: cheap, so it can be wide
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
        pooled_chs = self.num_features * (2 if global_pool == "catavgmax" else 1)
        self.conv_head = create_conv2d(pooled_chs, num_features, 1, padding=pad_type, bias=head_bias, **dd)
        if head_norm:
            self.norm_head = norm_layer(num_features, act_layer=act_layer, inplace=True, **dd)
            self.act2 = nn.Identity()
        else:
            self.norm_head = nn.Identity()
            self.act2 = create_act_layer(act_layer, inplace=True)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = nn.Linear(num_features, num_classes, **dd) if num_classes > 0 else nn.Identity()
        for name, m in self.named_modules():
            init_weight_goog(m, name)

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        pooled_chs = self.num_features * (2 if global_pool == "catavgmax" else 1)
        head = self.conv_head
        if isinstance(head, nn.Conv2d) and head.in_channels != pooled_chs:
            # a pool of another width needs a new (freshly initialised) head conv
            self.conv_head = create_conv2d(pooled_chs, head.out_channels, 1, bias=head.bias is not None, **self._dd)
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = (nn.Linear(self.head_hidden_size, num_classes, **self._dd) if num_classes > 0
                           else nn.Identity())

    def _head_convs(self, x: torch.Tensor) -> torch.Tensor:
        return x  # the head runs after pooling, so feature maps end at the last stage

    def _prune_head(self) -> None:
        self.conv_head = nn.Identity()
        self.norm_head = nn.Identity()
        self.act2 = nn.Identity()
        self.head_hidden_size = self.num_features

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn1(self.conv_stem(x))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x, flatten=True)
        return self.blocks(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        x = self.act2(self.norm_head(self.conv_head(x)))
        x = self.flatten(x)
        if pre_logits:
            return x
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return self.classifier(x)


# --- architecture generators --------------------------------------------------------------------

def _S(block: str, depth: int, out_chs: int, **kw: Any) -> Stage:
    return Stage(block=block, depth=depth, out_chs=out_chs, **kw)


def _rc(multiplier: float = 1.0, **kw: Any) -> Callable[[float], int]:
    return partial(round_channels, multiplier=multiplier, **kw)


# MobileNet-V3's SE: ReLU inside, hard-sigmoid gate, width a multiple of 8 of the expanded width
_SE_V3 = partial(SqueezeExcite, gate_layer="hard_sigmoid", force_act_layer=nn.ReLU, rd_round_fn=round_channels)
_TF = dict(pad_type="same", norm_layer=partial(BatchNormAct2d, eps=1e-3))


def gen_mobilenet_v3(size="large", minimal=False, channel_multiplier=1.0, depth_multiplier=1.0, **kw):
    """MobileNet-V3 large / small; ``minimal`` drops SE, hard-swish and 5x5 kernels."""
    if minimal:
        k5, se, hs, re = dict(kernel=3), {}, {}, {}
        act = "relu"
    else:
        k5, se, hs, re = dict(kernel=5), dict(se=0.25), {}, dict(act="relu")
        act = "hard_swish"
    if size == "small":
        arch = [
            _S("ds", 1, 16, stride=2, **se, **re),
            [_S("ir", 1, 24, stride=2, expand=4.5, **re), _S("ir", 1, 24, expand=3.67, **re)],
            [_S("ir", 1, 40, stride=2, expand=4, **k5, **se, **hs), _S("ir", 2, 40, expand=6, **k5, **se, **hs)],
            _S("ir", 2, 48, expand=3, **k5, **se, **hs),
            _S("ir", 3, 96, stride=2, expand=6, **k5, **se, **hs),
            _S("cn", 1, 576, kernel=1, **hs),
        ]
        num_features = 1024
    else:
        arch = [
            _S("ds", 1, 16, **re),
            [_S("ir", 1, 24, stride=2, expand=4, **re), _S("ir", 1, 24, expand=3, **re)],
            _S("ir", 3, 40, stride=2, expand=3, **k5, **se, **re),
            [_S("ir", 1, 80, stride=2, expand=6, **hs), _S("ir", 1, 80, expand=2.5, **hs),
             _S("ir", 2, 80, expand=2.3, **hs)],
            _S("ir", 2, 112, expand=6, **se, **hs),
            _S("ir", 3, 160, stride=2, expand=6, **k5, **se, **hs),
            _S("cn", 1, 960, kernel=1, **hs),
        ]
        num_features = 1280
    rc = _rc(channel_multiplier)
    # below 0.75 the stem keeps its 16 channels
    return dict(arch=arch, num_features=num_features, stem_size=16, fix_stem=channel_multiplier < 0.75,
                round_chs_fn=rc, depth_multiplier=depth_multiplier,
                act_layer=act, se_layer=_SE_V3, **kw)


def gen_mobilenet_v3_rw(channel_multiplier=1.0, **kw):
    """The MobileNet-V3 timm trained before the paper's weights: SE sized by rounding, no head bias, BN eps 1e-3."""
    re = dict(act="relu")
    arch = [
        _S("ds", 1, 16, skip=False, **re),
        [_S("ir", 1, 24, stride=2, expand=4, **re), _S("ir", 1, 24, expand=3, **re)],
        _S("ir", 3, 40, kernel=5, stride=2, expand=3, se=0.25, **re),
        [_S("ir", 1, 80, stride=2, expand=6), _S("ir", 1, 80, expand=2.5), _S("ir", 2, 80, expand=2.3)],
        _S("ir", 2, 112, expand=6, se=0.25),
        _S("ir", 3, 160, kernel=5, stride=2, expand=6, se=0.25),
        _S("cn", 1, 960, kernel=1),
    ]
    return dict(arch=arch, num_features=1280, stem_size=16, head_bias=False, round_chs_fn=_rc(channel_multiplier),
                norm_layer=partial(BatchNormAct2d, eps=1e-3), act_layer="hard_swish",
                se_layer=partial(SqueezeExcite, gate_layer="hard_sigmoid"), **kw)


_FBNETV3 = {
    "b": (16, [
        _S("ds", 2, 16),
        [_S("ir", 1, 24, stride=2, kernel=5, expand=4), _S("ir", 3, 24, kernel=5, expand=2)],
        [_S("ir", 1, 40, stride=2, kernel=5, expand=5, se=0.25), _S("ir", 4, 40, kernel=5, expand=3, se=0.25)],
        [_S("ir", 1, 72, stride=2, kernel=5, expand=5), _S("ir", 4, 72, expand=3)],
        [_S("ir", 1, 120, expand=5, se=0.25), _S("ir", 5, 120, kernel=5, expand=3, se=0.25)],
        [_S("ir", 1, 184, stride=2, expand=6, se=0.25), _S("ir", 5, 184, kernel=5, expand=4, se=0.25),
         _S("ir", 1, 224, kernel=5, expand=6, se=0.25)],
        _S("cn", 1, 1344, kernel=1),
    ]),
    "d": (24, [
        _S("ds", 2, 16),
        [_S("ir", 1, 24, stride=2, expand=5), _S("ir", 5, 24, expand=2)],
        [_S("ir", 1, 40, stride=2, kernel=5, expand=4, se=0.25), _S("ir", 4, 40, expand=3, se=0.25)],
        [_S("ir", 1, 72, stride=2, expand=5), _S("ir", 4, 72, expand=3)],
        [_S("ir", 1, 128, expand=5, se=0.25), _S("ir", 6, 128, kernel=5, expand=3, se=0.25)],
        [_S("ir", 1, 208, stride=2, expand=6, se=0.25), _S("ir", 5, 208, kernel=5, expand=5, se=0.25),
         _S("ir", 1, 240, kernel=5, expand=6, se=0.25)],
        _S("cn", 1, 1440, kernel=1),
    ]),
    "g": (32, [
        _S("ds", 3, 24),
        [_S("ir", 1, 40, stride=2, kernel=5, expand=4), _S("ir", 4, 40, kernel=5, expand=2)],
        [_S("ir", 1, 56, stride=2, kernel=5, expand=4, se=0.25), _S("ir", 4, 56, kernel=5, expand=3, se=0.25)],
        [_S("ir", 1, 104, stride=2, kernel=5, expand=5), _S("ir", 4, 104, expand=3)],
        [_S("ir", 1, 160, expand=5, se=0.25), _S("ir", 8, 160, kernel=5, expand=3, se=0.25)],
        [_S("ir", 1, 264, stride=2, expand=6, se=0.25), _S("ir", 6, 264, kernel=5, expand=5, se=0.25),
         _S("ir", 2, 288, kernel=5, expand=6, se=0.25)],
        _S("cn", 1, 1728, kernel=1),
    ]),
}


def gen_fbnetv3(version="b", channel_multiplier=1.0, **kw):
    """FBNet-V3 B/D/G; SE sized from the block input, rounded like the widths."""
    stem, arch = _FBNETV3[version]
    rc = _rc(channel_multiplier, round_limit=0.95)
    return dict(arch=arch, num_features=1984, head_bias=False, stem_size=stem, round_chs_fn=rc, se_from_exp=False,
                act_layer="hard_swish", se_layer=partial(SqueezeExcite, gate_layer="hard_sigmoid", rd_round_fn=rc), **kw)


def gen_lcnet(channel_multiplier=1.0, **kw):
    """PP-LCNet: depthwise-separable blocks with an activation after both convs, SE only at the end."""
    dsa = dict(pw_act=True, skip=False)
    arch = [
        _S("ds", 1, 32, **dsa),
        _S("ds", 2, 64, stride=2, **dsa),
        _S("ds", 2, 128, stride=2, **dsa),
        [_S("ds", 1, 256, stride=2, **dsa), _S("ds", 1, 256, kernel=5, **dsa)],
        _S("ds", 4, 256, kernel=5, **dsa),
        _S("ds", 2, 512, kernel=5, stride=2, se=0.25, **dsa),
    ]
    return dict(arch=arch, num_features=1280, stem_size=16, round_chs_fn=_rc(channel_multiplier),
                act_layer="hard_swish", se_layer=partial(SqueezeExcite, gate_layer="hard_sigmoid", force_act_layer=nn.ReLU),
                **kw)


def _uir(depth, out_chs, start, mid, expand, stride=1):
    return _S("uir", depth, out_chs, start_kernel=start, kernel=mid, expand=expand, stride=stride)


def _mqa(out_chs, heads, dim, kv_stride=1):
    return _S("mqa", 1, out_chs, num_heads=heads, key_dim=dim, value_dim=dim, kv_stride=kv_stride)


_MNV4_CONV_SMALL = [
    [_S("cn", 1, 32, stride=2), _S("cn", 1, 32, kernel=1)],
    [_S("cn", 1, 96, stride=2), _S("cn", 1, 64, kernel=1)],
    [_uir(1, 96, 5, 5, 3, stride=2), _uir(4, 96, 0, 3, 2), _uir(1, 96, 3, 0, 4)],
    [_uir(1, 128, 3, 3, 6, stride=2), _uir(1, 128, 5, 5, 4), _uir(1, 128, 0, 5, 4), _uir(1, 128, 0, 5, 3),
     _uir(2, 128, 0, 3, 4)],
    _S("cn", 1, 960, kernel=1),
]
_MNV4_CONV_MEDIUM = [
    _S("er", 1, 48, stride=2, expand=4),
    [_uir(1, 80, 3, 5, 4, stride=2), _uir(1, 80, 3, 3, 2)],
    [_uir(1, 160, 3, 5, 6, stride=2), _uir(2, 160, 3, 3, 4), _uir(1, 160, 3, 5, 4), _uir(1, 160, 3, 3, 4),
     _uir(1, 160, 3, 0, 4), _uir(1, 160, 0, 0, 2), _uir(1, 160, 3, 0, 4)],
    [_uir(1, 256, 5, 5, 6, stride=2), _uir(1, 256, 5, 5, 4), _uir(2, 256, 3, 5, 4), _uir(1, 256, 0, 0, 4),
     _uir(1, 256, 3, 0, 4), _uir(1, 256, 3, 5, 2), _uir(1, 256, 5, 5, 4), _uir(2, 256, 0, 0, 4),
     _uir(1, 256, 5, 0, 2)],
    _S("cn", 1, 960, kernel=1),
]
_MNV4_CONV_LARGE = [
    _S("er", 1, 48, stride=2, expand=4),
    [_uir(1, 96, 3, 5, 4, stride=2), _uir(1, 96, 3, 3, 4)],
    [_uir(1, 192, 3, 5, 4, stride=2), _uir(3, 192, 3, 3, 4), _uir(1, 192, 3, 5, 4), _uir(5, 192, 5, 3, 4),
     _uir(1, 192, 3, 0, 4)],
    [_uir(1, 512, 5, 5, 4, stride=2), _uir(3, 512, 5, 5, 4), _uir(1, 512, 5, 0, 4), _uir(1, 512, 5, 3, 4),
     _uir(2, 512, 5, 0, 4), _uir(1, 512, 5, 3, 4), _uir(1, 512, 5, 5, 4), _uir(3, 512, 5, 0, 4)],
    _S("cn", 1, 960, kernel=1),
]
_MNV4_HYBRID_MEDIUM = [
    _S("er", 1, 48, stride=2, expand=4),
    [_uir(1, 80, 3, 5, 4, stride=2), _uir(1, 80, 3, 3, 2)],
    [_uir(1, 160, 3, 5, 6, stride=2), _uir(1, 160, 0, 0, 2), _uir(1, 160, 3, 3, 4), _uir(1, 160, 3, 5, 4),
     _mqa(160, 4, 64, 2), _uir(1, 160, 3, 3, 4), _mqa(160, 4, 64, 2), _uir(1, 160, 3, 0, 4),
     _mqa(160, 4, 64, 2), _uir(1, 160, 3, 3, 4), _mqa(160, 4, 64, 2), _uir(1, 160, 3, 0, 4)],
    [_uir(1, 256, 5, 5, 6, stride=2), _uir(1, 256, 5, 5, 4), _uir(2, 256, 3, 5, 4), _uir(1, 256, 0, 0, 2),
     _uir(1, 256, 3, 5, 2), _uir(1, 256, 0, 0, 2), _uir(1, 256, 0, 0, 4), _mqa(256, 4, 64),
     _uir(1, 256, 3, 0, 4), _mqa(256, 4, 64), _uir(1, 256, 5, 5, 4), _mqa(256, 4, 64), _uir(1, 256, 5, 0, 4),
     _mqa(256, 4, 64), _uir(1, 256, 5, 0, 4)],
    _S("cn", 1, 960, kernel=1),
]
_MNV4_HYBRID_LARGE = [
    _S("er", 1, 48, stride=2, expand=4),
    [_uir(1, 96, 3, 5, 4, stride=2), _uir(1, 96, 3, 3, 4)],
    [_uir(1, 192, 3, 5, 4, stride=2), _uir(3, 192, 3, 3, 4), _uir(1, 192, 3, 5, 4), _uir(2, 192, 5, 3, 4),
     _mqa(192, 8, 48, 2), _uir(1, 192, 5, 3, 4), _mqa(192, 8, 48, 2), _uir(1, 192, 5, 3, 4),
     _mqa(192, 8, 48, 2), _uir(1, 192, 5, 3, 4), _mqa(192, 8, 48, 2), _uir(1, 192, 3, 0, 4)],
    [_uir(1, 512, 5, 5, 4, stride=2), _uir(3, 512, 5, 5, 4), _uir(1, 512, 5, 0, 4), _uir(1, 512, 5, 3, 4),
     _uir(2, 512, 5, 0, 4), _uir(1, 512, 5, 3, 4), _uir(1, 512, 5, 5, 4), _mqa(512, 8, 64),
     _uir(1, 512, 5, 0, 4), _mqa(512, 8, 64), _uir(1, 512, 5, 0, 4), _mqa(512, 8, 64), _uir(1, 512, 5, 0, 4),
     _mqa(512, 8, 64), _uir(1, 512, 5, 0, 4)],
    _S("cn", 1, 960, kernel=1),
]
_MNV4 = dict(conv_small=(_MNV4_CONV_SMALL, 32), conv_medium=(_MNV4_CONV_MEDIUM, 32),
             conv_large=(_MNV4_CONV_LARGE, 24), hybrid_medium=(_MNV4_HYBRID_MEDIUM, 32),
             hybrid_large=(_MNV4_HYBRID_LARGE, 24))


def gen_mobilenet_v4(version="conv_small", channel_multiplier=1.0, **kw):
    """MobileNet-V4: universal inverted bottlenecks; the hybrids add multi-query attention and layer scale."""
    arch, stem = _MNV4[version]
    hybrid = version.startswith("hybrid")
    act = "gelu" if version == "hybrid_large" else "relu"
    return dict(arch=arch, num_features=1280, head_bias=False, head_norm=True, stem_size=stem, fix_stem=True,
                round_chs_fn=_rc(channel_multiplier), act_layer=act,
                layer_scale_init_value=1e-5 if hybrid else None, **kw)


def _row(gen: Callable[..., Dict[str, Any]], **kw: Any) -> Dict[str, Any]:
    return dict(gen=gen, **kw)


MOBILENETV3S: Dict[str, Dict[str, Any]] = {
    "mobilenetv3_large_075": _row(gen_mobilenet_v3, channel_multiplier=0.75),
    "mobilenetv3_large_100": _row(gen_mobilenet_v3),
    "mobilenetv3_large_150d": _row(gen_mobilenet_v3, channel_multiplier=1.5, depth_multiplier=1.2),
    "mobilenetv3_small_050": _row(gen_mobilenet_v3, size="small", channel_multiplier=0.5),
    "mobilenetv3_small_075": _row(gen_mobilenet_v3, size="small", channel_multiplier=0.75),
    "mobilenetv3_small_100": _row(gen_mobilenet_v3, size="small"),
    "mobilenetv3_rw": _row(gen_mobilenet_v3_rw),
    "tf_mobilenetv3_large_075": _row(gen_mobilenet_v3, channel_multiplier=0.75, **_TF),
    "tf_mobilenetv3_large_100": _row(gen_mobilenet_v3, **_TF),
    "tf_mobilenetv3_large_minimal_100": _row(gen_mobilenet_v3, minimal=True, **_TF),
    "tf_mobilenetv3_small_075": _row(gen_mobilenet_v3, size="small", channel_multiplier=0.75, **_TF),
    "tf_mobilenetv3_small_100": _row(gen_mobilenet_v3, size="small", **_TF),
    "tf_mobilenetv3_small_minimal_100": _row(gen_mobilenet_v3, size="small", minimal=True, **_TF),
    "fbnetv3_b": _row(gen_fbnetv3, version="b"),
    "fbnetv3_d": _row(gen_fbnetv3, version="d"),
    "fbnetv3_g": _row(gen_fbnetv3, version="g"),
    "lcnet_035": _row(gen_lcnet, channel_multiplier=0.35),
    "lcnet_050": _row(gen_lcnet, channel_multiplier=0.5),
    "lcnet_075": _row(gen_lcnet, channel_multiplier=0.75),
    "lcnet_100": _row(gen_lcnet),
    "lcnet_150": _row(gen_lcnet, channel_multiplier=1.5),
    "mobilenetv4_conv_small_035": _row(gen_mobilenet_v4, channel_multiplier=0.35),
    "mobilenetv4_conv_small_050": _row(gen_mobilenet_v4, channel_multiplier=0.5),
    "mobilenetv4_conv_small": _row(gen_mobilenet_v4),
    "mobilenetv4_conv_medium": _row(gen_mobilenet_v4, version="conv_medium"),
    "mobilenetv4_conv_large": _row(gen_mobilenet_v4, version="conv_large"),
    "mobilenetv4_hybrid_medium": _row(gen_mobilenet_v4, version="hybrid_medium"),
    "mobilenetv4_hybrid_medium_075": _row(gen_mobilenet_v4, version="hybrid_medium", channel_multiplier=0.75),
    "mobilenetv4_hybrid_large": _row(gen_mobilenet_v4, version="hybrid_large"),
    "mobilenetv4_hybrid_large_075": _row(gen_mobilenet_v4, version="hybrid_large", channel_multiplier=0.75),
    "mobilenetv4_conv_aa_medium": _row(gen_mobilenet_v4, version="conv_medium", aa_layer="avg"),
    "mobilenetv4_conv_blur_medium": _row(gen_mobilenet_v4, version="conv_medium", aa_layer="blurpc"),
    "mobilenetv4_conv_aa_large": _row(gen_mobilenet_v4, version="conv_large", aa_layer="avg"),
}


# --- weight metadata (generated from the published values by tools/dump_family_cfgs.py) ---------------

_GH_TIMM = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_GH_HF = "https://github.com/huggingface/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.95,
        crop_mode="center", interpolation="bicubic", mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225),
        first_conv="conv_stem", classifier="classifier", license="apache-2.0", fixed_input_size=False,
    )
    cfg.update(kwargs)
    return cfg


MOBILENETV3_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "fbnetv3_b.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/fbnetv3_b_224-ead5d2a1.pth', test_input_size=(3, 256, 256),
        interpolation='bilinear'),
    "fbnetv3_d.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/fbnetv3_d_224-c98bce42.pth', test_input_size=(3, 256, 256),
        interpolation='bilinear'),
    "fbnetv3_g.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/fbnetv3_g_240-0b1df83b.pth', input_size=(3, 240, 240),
        test_input_size=(3, 288, 288), pool_size=(8, 8), interpolation='bilinear'),
    "lcnet_035.untrained": _cfg(hf_hub_id=None, crop_pct=0.875, interpolation='bilinear'),
    "lcnet_050.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/lcnet_050-f447553b.pth', crop_pct=0.875),
    "lcnet_075.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/lcnet_075-318cad2c.pth', crop_pct=0.875),
    "lcnet_100.ra2_in1k": _cfg(_GH_TIMM + 'v0.1-weights/lcnet_100-a929038c.pth', crop_pct=0.875),
    "lcnet_150.untrained": _cfg(hf_hub_id=None, crop_pct=0.875, interpolation='bilinear'),
    "mobilenetv3_large_075.untrained": _cfg(hf_hub_id=None, crop_pct=0.875, interpolation='bilinear'),
    "mobilenetv3_large_100.ra_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv3_large_100_ra-f55367f5.pth',
        crop_pct=0.875),
    "mobilenetv3_large_100.ra4_e3600_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=1.0,
        mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv3_large_100.miil_in21k_ft_in1k": _cfg(_GH_TIMM + 'v0.1-tresnet/mobilenetv3_large_100_1k_miil_78_0-66471c13.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0),
        origin_url='https://github.com/Alibaba-MIIL/ImageNet21K', paper_ids='arXiv:2104.10972v4'),
    "mobilenetv3_large_100.miil_in21k": _cfg(_GH_TIMM + 'v0.1-tresnet/mobilenetv3_large_100_in21k_miil-d71cc17b.pth',
        num_classes=11221, crop_pct=0.875, interpolation='bilinear', mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0),
        origin_url='https://github.com/Alibaba-MIIL/ImageNet21K', paper_ids='arXiv:2104.10972v4'),
    "mobilenetv3_large_150d.ra4_e3600_r256_in1k": _cfg(input_size=(3, 256, 256), test_input_size=(3, 320, 320),
        pool_size=(8, 8), test_crop_pct=1.0, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv3_rw.rmsp_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv3_100-35495452.pth', crop_pct=0.875),
    "mobilenetv3_small_050.lamb_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv3_small_050_lambc-4b7bbe87.pth',
        crop_pct=0.875),
    "mobilenetv3_small_075.lamb_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv3_small_075_lambc-384766db.pth',
        crop_pct=0.875),
    "mobilenetv3_small_100.lamb_in1k": _cfg(_GH_TIMM + 'v0.1-weights/mobilenetv3_small_100_lamb-266a294c.pth',
        crop_pct=0.875),
    "mobilenetv4_conv_aa_large.e230_r448_in12k_ft_in1k": _cfg(input_size=(3, 448, 448),
        test_input_size=(3, 544, 544), pool_size=(14, 14), test_crop_pct=1.0),
    "mobilenetv4_conv_aa_large.e230_r384_in12k_ft_in1k": _cfg(input_size=(3, 384, 384),
        test_input_size=(3, 480, 480), pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_conv_aa_large.e600_r384_in1k": _cfg(input_size=(3, 384, 384), test_input_size=(3, 480, 480),
        pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_conv_aa_large.e230_r384_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384),
        test_input_size=(3, 448, 448), pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_conv_aa_medium.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256), pool_size=(8, 8)),
    "mobilenetv4_conv_blur_medium.e500_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=1.0),
    "mobilenetv4_conv_large.e600_r384_in1k": _cfg(input_size=(3, 384, 384), test_input_size=(3, 448, 448),
        pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_conv_large.e500_r256_in1k": _cfg(input_size=(3, 256, 256), test_input_size=(3, 320, 320),
        pool_size=(8, 8), test_crop_pct=1.0),
    "mobilenetv4_conv_medium.e500_r256_in1k": _cfg(input_size=(3, 256, 256), test_input_size=(3, 320, 320),
        pool_size=(8, 8), test_crop_pct=1.0),
    "mobilenetv4_conv_medium.e500_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=1.0),
    "mobilenetv4_conv_medium.e250_r384_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), pool_size=(12, 12)),
    "mobilenetv4_conv_medium.e180_r384_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384), pool_size=(12, 12),
        crop_pct=1.0),
    "mobilenetv4_conv_medium.e180_ad_r384_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384),
        pool_size=(12, 12), crop_pct=1.0),
    "mobilenetv4_conv_medium.e250_r384_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384), pool_size=(12, 12),
        crop_pct=1.0),
    "mobilenetv4_conv_small.e2400_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.875, test_crop_pct=0.95),
    "mobilenetv4_conv_small.e1200_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.875, test_crop_pct=0.95),
    "mobilenetv4_conv_small.e3600_r256_in1k": _cfg(input_size=(3, 256, 256), test_input_size=(3, 320, 320),
        pool_size=(8, 8), test_crop_pct=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv4_conv_small_035.untrained": _cfg(hf_hub_id=None, test_input_size=(3, 256, 256), crop_pct=0.875,
        test_crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv4_conv_small_050.e3000_r224_in1k": _cfg(test_input_size=(3, 256, 256), crop_pct=0.875,
        test_crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "mobilenetv4_hybrid_large.ix_e600_r384_in1k": _cfg(input_size=(3, 384, 384), test_input_size=(3, 448, 448),
        pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_hybrid_large.e600_r384_in1k": _cfg(input_size=(3, 384, 384), test_input_size=(3, 448, 448),
        pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_hybrid_large_075.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256), pool_size=(8, 8)),
    "mobilenetv4_hybrid_medium.e200_r256_in12k_ft_in1k": _cfg(input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), test_crop_pct=1.0),
    "mobilenetv4_hybrid_medium.ix_e550_r256_in1k": _cfg(input_size=(3, 256, 256), test_input_size=(3, 320, 320),
        pool_size=(8, 8), test_crop_pct=1.0),
    "mobilenetv4_hybrid_medium.ix_e550_r384_in1k": _cfg(input_size=(3, 384, 384), test_input_size=(3, 448, 448),
        pool_size=(12, 12), test_crop_pct=1.0),
    "mobilenetv4_hybrid_medium.e500_r224_in1k": _cfg(test_input_size=(3, 256, 256), test_crop_pct=1.0),
    "mobilenetv4_hybrid_medium.e200_r256_in12k": _cfg(num_classes=11821, input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), test_crop_pct=1.0),
    "mobilenetv4_hybrid_medium_075.untrained": _cfg(hf_hub_id=None),
    "tf_mobilenetv3_large_075.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_large_075-150ee8b0.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mobilenetv3_large_100.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_large_100-427764d5.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mobilenetv3_large_minimal_100.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_large_minimal_100-8596ae28.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mobilenetv3_small_075.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_small_075-da427f52.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mobilenetv3_small_100.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_small_100-37f49e2b.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "tf_mobilenetv3_small_minimal_100.in1k": _cfg(_GH_TIMM + 'v0.1-weights/tf_mobilenetv3_small_minimal_100-922a7843.pth',
        crop_pct=0.875, interpolation='bilinear', mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
}

default_cfgs = generate_default_cfgs(MOBILENETV3_WEIGHTS)


def _create_mobilenetv3(variant: str, pretrained: bool = False, gen: Callable[..., Dict[str, Any]] = gen_mobilenet_v3,
                        **kwargs: Any) -> nn.Module:
    return create_mbconv_model(MobileNetV3, variant, pretrained, gen(**drop_connect_alias(kwargs)))


register_variants(MOBILENETV3S, _create_mobilenetv3, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "mobilenetv3_large_100_miil": "mobilenetv3_large_100.miil_in21k_ft_in1k",
    "mobilenetv3_large_100_miil_in21k": "mobilenetv3_large_100.miil_in21k",
})
