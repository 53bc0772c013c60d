"""ResNetV2: pre-activation ResNets (norm + act before each conv, one final norm after the last
stage), including Big Transfer (BiT: weight-standardised convs with GroupNorm) and BatchNorm,
GroupNorm, EvoNorm and FRN variants. Checkpoint-compatible with timm's ``resnetv2`` module.

Papers:

* He et al., "Identity Mappings in Deep Residual Networks", 2016 (arXiv:1603.05027)
* Kolesnikov et al., "Big Transfer (BiT): General Visual Representation Learning", 2019 (arXiv:1912.11370)
* Beyer et al., "Knowledge distillation: A good teacher is patient and consistent" (the distilled
  BiT-50 and the 152x2 teachers), 2021 (arXiv:2106.05237)

:class:`ResNetV2` keeps the reference's constructor keywords (``layers``, ``channels``,
``width_factor``, ``stem_type``, ``preact``, ``conv_layer``, ...) so hybrid ViTs can build their
backbones from it; ``preact=False`` gives post-activation bottlenecks (the ViT-hybrid R50).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    AvgPool2dSame, BatchNormAct2d, ClassifierHead, DropPath, EvoNorm2dS0, FilterResponseNormTlu2d, GroupNormAct,
    MaxPool2dSame, StdConv2d, create_conv2d, factory_kwargs, get_act_layer, get_norm_act_layer, make_divisible,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["ResNetV2", "PreActBasic", "PreActBottleneck", "Bottleneck", "ResNetStage", "create_resnetv2_stem"]

LayerFn = Callable[..., nn.Module]


class DownsampleConv(nn.Module):
    """Shortcut projection: a strided 1x1 conv (plus a norm without act for post-activation nets)."""

    def __init__(
        self, in_chs: int, out_chs: int, stride: int = 1, dilation: int = 1, first_dilation: Optional[int] = None,
        preact: bool = True, conv_layer: LayerFn = None, norm_layer: LayerFn = None, device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.conv = conv_layer(in_chs, out_chs, 1, stride=stride, **dd)
        self.norm = nn.Identity() if preact else norm_layer(out_chs, apply_act=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.conv(x))


class DownsampleAvg(nn.Module):
    """Shortcut projection ResNet-D style: 2x2 average pool, then a 1x1 conv (and norm if post-act)."""

    def __init__(
        self, in_chs: int, out_chs: int, stride: int = 1, dilation: int = 1, first_dilation: Optional[int] = None,
        preact: bool = True, conv_layer: LayerFn = None, norm_layer: LayerFn = None, device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        avg_stride = stride if dilation == 1 else 1
        if stride > 1 or dilation > 1:
            pool_cls = AvgPool2dSame if avg_stride == 1 and dilation > 1 else nn.AvgPool2d
            self.pool: nn.Module = pool_cls(2, avg_stride, ceil_mode=True, count_include_pad=False)
        else:
            self.pool = nn.Identity()
        self.conv = conv_layer(in_chs, out_chs, 1, stride=1, **dd)
        self.norm = nn.Identity() if preact else norm_layer(out_chs, apply_act=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.conv(self.pool(x)))


class PreActBasic(nn.Module):
    """Pre-activation basic block: norm-act, 3x3 (stride), norm-act, 3x3; shortcut from the normed input."""

    def __init__(
        self, in_chs: int, out_chs: Optional[int] = None, bottle_ratio: float = 1.0, stride: int = 1,
        dilation: int = 1, first_dilation: Optional[int] = None, groups: int = 1, act_layer: Optional[LayerFn] = None,
        conv_layer: Optional[LayerFn] = None, norm_layer: Optional[LayerFn] = None,
        proj_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        out_chs = out_chs or in_chs
        mid_chs = make_divisible(out_chs * bottle_ratio)
        self.downsample = None
        if proj_layer is not None:
            self.downsample = proj_layer(
                in_chs, out_chs, stride=stride, dilation=dilation, first_dilation=first_dilation, preact=True,
                conv_layer=conv_layer, norm_layer=norm_layer, **dd)
        self.norm1 = norm_layer(in_chs, **dd)
        self.conv1 = conv_layer(in_chs, mid_chs, 3, stride=stride, dilation=first_dilation, groups=groups, **dd)
        self.norm2 = norm_layer(mid_chs, **dd)
        self.conv2 = conv_layer(mid_chs, out_chs, 3, dilation=dilation, groups=groups, **dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_preact = self.norm1(x)
        shortcut = self.downsample(x_preact) if self.downsample is not None else x
        x = self.conv2(self.norm2(self.conv1(x_preact)))
        return self.drop_path(x) + shortcut


class PreActBottleneck(nn.Module):
    """Pre-activation bottleneck: norm-act, 1x1, norm-act, 3x3 (stride), norm-act, 1x1."""

    def __init__(
        self, in_chs: int, out_chs: Optional[int] = None, bottle_ratio: float = 0.25, stride: int = 1,
        dilation: int = 1, first_dilation: Optional[int] = None, groups: int = 1, act_layer: Optional[LayerFn] = None,
        conv_layer: Optional[LayerFn] = None, norm_layer: Optional[LayerFn] = None,
        proj_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        out_chs = out_chs or in_chs
        mid_chs = make_divisible(out_chs * bottle_ratio)
        self.downsample = None
        if proj_layer is not None:
            self.downsample = proj_layer(
                in_chs, out_chs, stride=stride, dilation=dilation, first_dilation=first_dilation, preact=True,
                conv_layer=conv_layer, norm_layer=norm_layer, **dd)
        self.norm1 = norm_layer(in_chs, **dd)
        self.conv1 = conv_layer(in_chs, mid_chs, 1, **dd)
        self.norm2 = norm_layer(mid_chs, **dd)
        self.conv2 = conv_layer(mid_chs, mid_chs, 3, stride=stride, dilation=first_dilation, groups=groups, **dd)
        self.norm3 = norm_layer(mid_chs, **dd)
        self.conv3 = conv_layer(mid_chs, out_chs, 1, **dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_preact = self.norm1(x)
        # a projection sees the normalised input; an identity shortcut the raw one
        shortcut = self.downsample(x_preact) if self.downsample is not None else x
        x = self.conv1(x_preact)
        x = self.conv2(self.norm2(x))
        x = self.conv3(self.norm3(x))
        return self.drop_path(x) + shortcut


class Bottleneck(nn.Module):
    """Post-activation bottleneck (conv-norm-act x3, the last norm without act, act after the add)."""

    def __init__(
        self, in_chs: int, out_chs: Optional[int] = None, bottle_ratio: float = 0.25, stride: int = 1,
        dilation: int = 1, first_dilation: Optional[int] = None, groups: int = 1, act_layer: Optional[LayerFn] = None,
        conv_layer: Optional[LayerFn] = None, norm_layer: Optional[LayerFn] = None,
        proj_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        act_layer = act_layer or nn.ReLU
        out_chs = out_chs or in_chs
        mid_chs = make_divisible(out_chs * bottle_ratio)
        self.downsample = None
        if proj_layer is not None:
            self.downsample = proj_layer(
                in_chs, out_chs, stride=stride, dilation=dilation, first_dilation=first_dilation, preact=False,
                conv_layer=conv_layer, norm_layer=norm_layer, **dd)
        self.conv1 = conv_layer(in_chs, mid_chs, 1, **dd)
        self.norm1 = norm_layer(mid_chs, **dd)
        self.conv2 = conv_layer(mid_chs, mid_chs, 3, stride=stride, dilation=first_dilation, groups=groups, **dd)
        self.norm2 = norm_layer(mid_chs, **dd)
        self.conv3 = conv_layer(mid_chs, out_chs, 1, **dd)
        self.norm3 = norm_layer(out_chs, apply_act=False, **dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        self.act3 = act_layer(inplace=True)

    def zero_init_last(self) -> None:
        if getattr(self.norm3, "weight", None) is not None:
            nn.init.zeros_(self.norm3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = self.downsample(x) if self.downsample is not None else x
        x = self.norm1(self.conv1(x))
        x = self.norm2(self.conv2(x))
        x = self.norm3(self.conv3(x))
        return self.act3(self.drop_path(x) + shortcut)


class ResNetStage(nn.Module):
    """``depth`` blocks in ``blocks``; the first one strides and projects the shortcut."""

    def __init__(
        self, in_chs: int, out_chs: int, stride: int, dilation: int, depth: int, bottle_ratio: float = 0.25,
        groups: int = 1, avg_down: bool = False, block_dpr: Optional[List[float]] = None,
        block_fn: LayerFn = PreActBottleneck, act_layer: Optional[LayerFn] = None,
        conv_layer: Optional[LayerFn] = None, norm_layer: Optional[LayerFn] = None, **block_kwargs: Any,
    ):
        super().__init__()
        self.grad_checkpointing = False
        first_dilation = 1 if dilation in (1, 2) else 2
        proj_layer = DownsampleAvg if avg_down else DownsampleConv
        prev_chs = in_chs
        blocks = []
        for block_idx in range(depth):
            drop_path_rate = block_dpr[block_idx] if block_dpr else 0.0
            blocks.append(block_fn(
                prev_chs, out_chs, stride=stride if block_idx == 0 else 1, dilation=dilation,
                bottle_ratio=bottle_ratio, groups=groups, first_dilation=first_dilation,
                proj_layer=proj_layer if block_idx == 0 and (stride != 1 or prev_chs != out_chs) else None,
                drop_path_rate=drop_path_rate, act_layer=act_layer, conv_layer=conv_layer, norm_layer=norm_layer,
                **block_kwargs,
            ))
            prev_chs = out_chs
            first_dilation = dilation
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


def _is_deep(stem_type: str) -> bool:
    return stem_type in ("deep", "deep_tiered")


def create_resnetv2_stem(
    in_chs: int, out_chs: int = 64, stem_type: str = "", preact: bool = True, conv_layer: LayerFn = StdConv2d,
    norm_layer: LayerFn = partial(GroupNormAct, num_groups=32), device: Any = None, dtype: Any = None,
) -> nn.Sequential:
    """'' : 7x7/2 conv + 3x3/2 max pool; 'fixed': BiT's explicit 1-pixel zero pad before an unpadded pool;
    'same': TF 'SAME' conv and pool; 'deep' / 'deep_tiered': three 3x3 convs (ResNet-C / -T)."""
    if stem_type not in ("", "fixed", "same", "deep", "deep_tiered"):
        raise ValueError(f"stem_type must be '', 'fixed', 'same', 'deep' or 'deep_tiered', got {stem_type!r}")
    dd = factory_kwargs(device, dtype)
    stem = nn.Sequential()
    if _is_deep(stem_type):
        mid = (3 * out_chs // 8, out_chs // 2) if stem_type == "deep_tiered" else (out_chs // 2, out_chs // 2)
        stem.add_module("conv1", conv_layer(in_chs, mid[0], 3, stride=2, **dd))
        stem.add_module("norm1", norm_layer(mid[0], **dd))
        stem.add_module("conv2", conv_layer(mid[0], mid[1], 3, stride=1, **dd))
        stem.add_module("norm2", norm_layer(mid[1], **dd))
        stem.add_module("conv3", conv_layer(mid[1], out_chs, 3, stride=1, **dd))
        if not preact:
            stem.add_module("norm3", norm_layer(out_chs, **dd))
    else:
        stem.add_module("conv", conv_layer(in_chs, out_chs, 7, stride=2, **dd))
        if not preact:
            stem.add_module("norm", norm_layer(out_chs, **dd))
    if stem_type == "fixed":
        stem.add_module("pad", nn.ConstantPad2d(1, 0.0))
        stem.add_module("pool", nn.MaxPool2d(kernel_size=3, stride=2, padding=0))
    elif stem_type == "same":
        stem.add_module("pool", MaxPool2dSame(kernel_size=3, stride=2))
    else:
        stem.add_module("pool", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    return stem


class ResNetV2(nn.Module):
    """Pre-activation ResNet (or post-activation with ``preact=False``), any number of stages.

    ``channels`` are the stage output widths before ``width_factor``; ``bottle_ratio`` sets the
    bottleneck width; ``basic`` uses two-3x3 blocks. ``conv_layer`` / ``norm_layer`` (a norm+act
    class) pick BiT's StdConv2d + GroupNorm or a plain conv + BatchNorm.
    """

    def __init__(
        self,
        layers: List[int],
        channels: Tuple[int, ...] = (256, 512, 1024, 2048),
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        output_stride: int = 32,
        width_factor: int = 1,
        stem_chs: int = 64,
        stem_type: str = "",
        avg_down: bool = False,
        preact: bool = True,
        basic: bool = False,
        bottle_ratio: float = 0.25,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = partial(GroupNormAct, num_groups=32),
        conv_layer: LayerFn = StdConv2d,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        zero_init_last: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        if len(layers) > len(channels):
            raise ValueError(f"channels needs one width per stage: {len(layers)} stages, {len(channels)} widths")
        if basic and not preact:
            raise ValueError("basic blocks exist only in the pre-activation form (preact=True)")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.global_pool = global_pool
        act_layer = get_act_layer(act_layer)
        # EvoNorm-S0 and FRN+TLU carry their own nonlinearity; every other norm gets the fused act
        if getattr(norm_layer, "func", norm_layer) not in (EvoNorm2dS0, FilterResponseNormTlu2d):
            norm_layer = get_norm_act_layer(norm_layer, act_layer=act_layer)

        stem_chs = make_divisible(stem_chs * width_factor)
        self.stem = create_resnetv2_stem(
            in_chans, stem_chs, stem_type, preact, conv_layer=conv_layer, norm_layer=norm_layer, **dd)
        if preact:
            stem_feat = "stem.conv3" if _is_deep(stem_type) else "stem.conv"
        else:
            stem_feat = "stem.norm3" if _is_deep(stem_type) else "stem.norm"
        self.feature_info = [dict(num_chs=stem_chs, reduction=2, module=stem_feat)]

        prev_chs, curr_stride, dilation = stem_chs, 4, 1
        total = sum(layers)
        dpr = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        block_fn = (PreActBasic if basic else PreActBottleneck) if preact else Bottleneck
        stages = []
        for stage_idx, (depth, chs) in enumerate(zip(layers, channels)):
            out_chs = make_divisible(chs * width_factor)
            stride = 1 if stage_idx == 0 else 2
            if curr_stride >= output_stride:
                dilation *= stride
                stride = 1
            stages.append(ResNetStage(
                prev_chs, out_chs, stride=stride, dilation=dilation, depth=depth, bottle_ratio=bottle_ratio,
                avg_down=avg_down, act_layer=act_layer, conv_layer=conv_layer, norm_layer=norm_layer,
                block_dpr=dpr[:depth], block_fn=block_fn, **dd,
            ))
            dpr = dpr[depth:]
            prev_chs = out_chs
            curr_stride *= stride
            self.feature_info.append(dict(num_chs=prev_chs, reduction=curr_stride, module=f"stages.{stage_idx}"))
        self.stages = nn.Sequential(*stages)

        self.num_features = self.head_hidden_size = prev_chs
        # pre-activation blocks end on a conv: the final norm+act lives here
        self.norm = norm_layer(self.num_features, **dd) if preact else nn.Identity()
        self.head = ClassifierHead(
            self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, use_conv=True, **dd)
        self.init_weights(zero_init_last=zero_init_last)

    @torch.jit.ignore
    def init_weights(self, zero_init_last: bool = True) -> None:
        for name, m in self.named_modules():
            if isinstance(m, nn.Linear) or ("head.fc" in name and isinstance(m, nn.Conv2d)):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif zero_init_last and hasattr(m, "zero_init_last"):
                m.zero_init_last()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^stem",
            blocks=r"^stages\.(\d+)" if coarse else [
                (r"^stages\.(\d+)\.blocks\.(\d+)", None),
                (r"^norm", (99999,)),
            ],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for stage in self.stages:
            stage.grad_checkpointing = enable

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
        """Feature maps at ``indices`` of the stem and each stage (``feature_info`` order). With
        ``norm`` the last stage's map is taken after the final norm."""
        if output_fmt != "NCHW":
            raise ValueError(f"ResNetV2 feature maps are NCHW only, got output_fmt={output_fmt!r}")
        num_points = len(self.stages) + 1
        take_indices, max_index = feature_take_indices(num_points, indices)
        intermediates = []
        # the stem's feature point is before its (padded) max pool
        for name, layer in self.stem.named_children():
            if name in ("pad", "pool") and 0 in take_indices and len(intermediates) == 0:
                intermediates.append(x)
            x = layer(x)
        last_idx = len(self.stages)
        stages = self.stages if not stop_early else self.stages[:max_index]
        for feat_idx, stage in enumerate(stages, start=1):
            x = stage(x)
            if feat_idx in take_indices:
                intermediates.append(self.norm(x) if norm and feat_idx == last_idx else x)
        if intermediates_only:
            return intermediates
        if feat_idx == last_idx:
            x = self.norm(x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.stages) + 1, indices)
        self.stages = self.stages[:max_index]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.stages(x)
        return self.norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# BiT: StdConv2d (eps 1e-8) + GroupNorm(32) and the 'fixed' stem, widths x1..x4. The others: plain convs
# and BatchNorm (or GroupNorm / EvoNorm / FRN), 'd' = deep stem + avg-pool shortcut, 't' = tiered stem.

_BIT = dict(stem_type="fixed", conv_layer=partial(StdConv2d, eps=1e-8))
_BN = dict(conv_layer=create_conv2d, norm_layer=BatchNormAct2d)
_D = dict(stem_type="deep", avg_down=True)
_BASIC = dict(basic=True, bottle_ratio=1.0, channels=(64, 128, 256, 512))
_L18, _L34, _L50, _L101, _L152 = (2, 2, 2, 2), (3, 4, 6, 3), (3, 4, 6, 3), (3, 4, 23, 3), (3, 8, 36, 3)

RESNETV2S: Dict[str, Dict[str, Any]] = {
    "resnetv2_50x1_bit": dict(layers=_L50, width_factor=1, **_BIT),
    "resnetv2_50x3_bit": dict(layers=_L50, width_factor=3, **_BIT),
    "resnetv2_101x1_bit": dict(layers=_L101, width_factor=1, **_BIT),
    "resnetv2_101x3_bit": dict(layers=_L101, width_factor=3, **_BIT),
    "resnetv2_152x2_bit": dict(layers=_L152, width_factor=2, **_BIT),
    "resnetv2_152x4_bit": dict(layers=_L152, width_factor=4, **_BIT),
    "resnetv2_18": dict(layers=_L18, **_BASIC, **_BN),
    "resnetv2_18d": dict(layers=_L18, **_BASIC, **_BN, **_D),
    "resnetv2_34": dict(layers=_L34, **_BASIC, **_BN),
    "resnetv2_34d": dict(layers=_L34, **_BASIC, **_BN, **_D),
    "resnetv2_50": dict(layers=_L50, **_BN),
    "resnetv2_50d": dict(layers=_L50, **_BN, **_D),
    "resnetv2_50t": dict(layers=_L50, stem_type="deep_tiered", avg_down=True, **_BN),
    "resnetv2_101": dict(layers=_L101, **_BN),
    "resnetv2_101d": dict(layers=_L101, **_BN, **_D),
    "resnetv2_152": dict(layers=_L152, **_BN),
    "resnetv2_152d": dict(layers=_L152, **_BN, **_D),
    "resnetv2_50d_gn": dict(layers=_L50, conv_layer=create_conv2d, norm_layer=GroupNormAct, **_D),
    "resnetv2_50d_evos": dict(layers=_L50, conv_layer=create_conv2d, norm_layer=EvoNorm2dS0, **_D),
    "resnetv2_50d_frn": dict(layers=_L50, conv_layer=create_conv2d, norm_layer=FilterResponseNormTlu2d, **_D),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bicubic", mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), first_conv="stem.conv",
        classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


# BiT (Google): in21k pretraining, fine-tuned at 448 (480 for 152x4)
_bit_ft = partial(_cfg, input_size=(3, 448, 448), pool_size=(14, 14), crop_pct=1.0, interpolation="bilinear")
_bit_21k = partial(_cfg, num_classes=21843, interpolation="bilinear")
# timm-trained: ra4 (basic blocks), a1h / ah (bottlenecks)
_ra4 = partial(_cfg, test_input_size=(3, 288, 288), crop_pct=0.9, test_crop_pct=1.0)
_ah = partial(_cfg, test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0)
_DEEP = dict(first_conv="stem.conv1")

default_cfgs = generate_default_cfgs({
    "resnetv2_50x1_bit.goog_distilled_in1k": _cfg(),
    "resnetv2_152x2_bit.goog_teacher_in21k_ft_in1k": _cfg(),
    "resnetv2_152x2_bit.goog_teacher_in21k_ft_in1k_384": _cfg(input_size=(3, 384, 384), pool_size=(12, 12), crop_pct=1.0),
    "resnetv2_50x1_bit.goog_in21k_ft_in1k": _bit_ft(),
    "resnetv2_50x3_bit.goog_in21k_ft_in1k": _bit_ft(),
    "resnetv2_101x1_bit.goog_in21k_ft_in1k": _bit_ft(),
    "resnetv2_101x3_bit.goog_in21k_ft_in1k": _bit_ft(),
    "resnetv2_152x2_bit.goog_in21k_ft_in1k": _bit_ft(),
    "resnetv2_152x4_bit.goog_in21k_ft_in1k": _bit_ft(input_size=(3, 480, 480), pool_size=(15, 15)),
    "resnetv2_50x1_bit.goog_in21k": _bit_21k(),
    "resnetv2_50x3_bit.goog_in21k": _bit_21k(),
    "resnetv2_101x1_bit.goog_in21k": _bit_21k(),
    "resnetv2_101x3_bit.goog_in21k": _bit_21k(),
    "resnetv2_152x2_bit.goog_in21k": _bit_21k(),
    "resnetv2_152x4_bit.goog_in21k": _bit_21k(),
    "resnetv2_18.ra4_e3600_r224_in1k": _ra4(),
    "resnetv2_18d.ra4_e3600_r224_in1k": _ra4(**_DEEP),
    "resnetv2_34.ra4_e3600_r224_in1k": _ra4(),
    "resnetv2_34d.ra4_e3600_r224_in1k": _ra4(**_DEEP),
    "resnetv2_34d.ra4_e3600_r384_in1k": _cfg(
        input_size=(3, 384, 384), test_input_size=(3, 448, 448), pool_size=(12, 12), crop_pct=1.0, **_DEEP),
    "resnetv2_50.a1h_in1k": _ah(),
    "resnetv2_50d.untrained": _cfg(hf_hub_id=None, **_DEEP),
    "resnetv2_50t.untrained": _cfg(hf_hub_id=None, **_DEEP),
    "resnetv2_101.a1h_in1k": _ah(),
    "resnetv2_101d.untrained": _cfg(hf_hub_id=None, **_DEEP),
    "resnetv2_152.untrained": _cfg(hf_hub_id=None),
    "resnetv2_152d.untrained": _cfg(hf_hub_id=None, **_DEEP),
    "resnetv2_50d_gn.ah_in1k": _ah(**_DEEP),
    "resnetv2_50d_evos.ah_in1k": _ah(**_DEEP),
    "resnetv2_50d_frn.untrained": _cfg(hf_hub_id=None, **_DEEP),
})


def _create_resnetv2(variant: str, pretrained: bool = False, **kwargs: Any) -> ResNetV2:
    return build_model_with_cfg(ResNetV2, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(RESNETV2S, _create_resnetv2, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "resnetv2_50x1_bitm": "resnetv2_50x1_bit.goog_in21k_ft_in1k",
    "resnetv2_50x3_bitm": "resnetv2_50x3_bit.goog_in21k_ft_in1k",
    "resnetv2_101x1_bitm": "resnetv2_101x1_bit.goog_in21k_ft_in1k",
    "resnetv2_101x3_bitm": "resnetv2_101x3_bit.goog_in21k_ft_in1k",
    "resnetv2_152x2_bitm": "resnetv2_152x2_bit.goog_in21k_ft_in1k",
    "resnetv2_152x4_bitm": "resnetv2_152x4_bit.goog_in21k_ft_in1k",
    "resnetv2_50x1_bitm_in21k": "resnetv2_50x1_bit.goog_in21k",
    "resnetv2_50x3_bitm_in21k": "resnetv2_50x3_bit.goog_in21k",
    "resnetv2_101x1_bitm_in21k": "resnetv2_101x1_bit.goog_in21k",
    "resnetv2_101x3_bitm_in21k": "resnetv2_101x3_bit.goog_in21k",
    "resnetv2_152x2_bitm_in21k": "resnetv2_152x2_bit.goog_in21k",
    "resnetv2_152x4_bitm_in21k": "resnetv2_152x4_bit.goog_in21k",
    "resnetv2_50x1_bit_distilled": "resnetv2_50x1_bit.goog_distilled_in1k",
    "resnetv2_152x2_bit_teacher": "resnetv2_152x2_bit.goog_teacher_in21k_ft_in1k",
    "resnetv2_152x2_bit_teacher_384": "resnetv2_152x2_bit.goog_teacher_in21k_ft_in1k_384",
})
