"""CSPNet: Cross Stage Partial networks (CSPResNet(e)Xt, CSPDarkNet), plain DarkNet, and the
YOLOv5-style 'CS3' variants (one transition conv per stage, SiLU, 'focus' / two-conv stems, edge blocks).
Checkpoint-compatible with timm's ``cspnet`` module.

Papers:

* Wang et al., "CSPNet: A New Backbone that can Enhance Learning Capability of CNN", 2019 (arXiv:1911.11929)
* Redmon & Farhadi, "YOLOv3: An Incremental Improvement" (DarkNet-53), 2018 (arXiv:1804.02767)
* Xiong et al., "MobileDets" (the fused 'edge' residual block), 2020 (arXiv:2004.14525)

A CSP stage splits its (expanded) input in two along channels, runs blocks on one half only, and
merges the halves with 1x1 transition convs, so half the features skip the stage's blocks.

Layout: blocks, stages, the network, then ``CSPNETS`` (one row per registered name as typed specs),
weight metadata and registration.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    calculate_drop_path_rates,
    ClassifierHead, ConvNormAct, DropPath, factory_kwargs, get_act_layer, get_attn, get_norm_layer,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["CspNet", "CspStem", "CspStages", "BottleneckBlock", "DarkBlock", "EdgeBlock", "CrossStage",
           "CrossStage3", "DarkStage"]


# --- specs ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CspStem:
    """Stem convs (one per ``out_chs`` entry, the first strided), then an optional 3x3/2 max pool.

    ``stride`` is the stem's total stride: 1 (DarkNet), 2 (CS3) or 4 (CSPResNet: strided conv + pool).
    """
    out_chs: Union[int, Tuple[int, ...]] = 32
    stride: int = 2
    kernel_size: int = 3
    padding: Union[str, int] = ""
    pool: str = ""


@dataclass(frozen=True)
class CspStages:
    """Per-stage settings; a scalar applies to every stage.

    ``stage_type``: 'csp' (split, blocks on one half, two transitions), 'cs3' (one transition) or 'dark'
    (no split). ``block_type``: 'bottle' (1x1-3x3-1x1), 'dark' (1x1-3x3) or 'edge' (3x3-1x1).
    ``block_ratio`` scales the blocks' width to the stage's ``out_chs``, ``bottle_ratio`` a block's inner
    width to its output, ``expand_ratio`` the split input. ``down_growth`` makes the strided conv widen to
    ``out_chs`` already; ``cross_linear`` leaves the expansion conv without activation.
    """
    depth: Tuple[int, ...] = (3, 3, 5, 2)
    out_chs: Tuple[int, ...] = (128, 256, 512, 1024)
    stride: Union[int, Tuple[int, ...]] = 2
    groups: Union[int, Tuple[int, ...]] = 1
    block_ratio: Union[float, Tuple[float, ...]] = 1.0
    bottle_ratio: Union[float, Tuple[float, ...]] = 1.0
    avg_down: bool = False
    attn_layer: Optional[str] = None
    attn_kwargs: Dict[str, Any] = field(default_factory=dict)
    stage_type: str = "csp"
    block_type: str = "bottle"
    expand_ratio: Union[float, Tuple[float, ...]] = 1.0
    cross_linear: bool = False
    down_growth: bool = False

    def per_stage(self, name: str) -> Tuple[Any, ...]:
        value = getattr(self, name)
        return tuple(value) if isinstance(value, tuple) else (value,) * len(self.depth)


# --- blocks -----------------------------------------------------------------------------------------

class BottleneckBlock(nn.Module):
    """1x1 reduce -> 3x3 (grouped) -> (attn) -> 1x1 expand (linear), residual add, then activation."""

    def __init__(
        self, in_chs: int, out_chs: int, dilation: int = 1, bottle_ratio: float = 0.25, groups: int = 1,
        act_layer: Any = nn.ReLU, norm_layer: Any = nn.BatchNorm2d, attn_layer: Any = None,
        drop_path: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        mid_chs = int(round(out_chs * bottle_ratio))
        ckw = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.conv1 = ConvNormAct(in_chs, mid_chs, 1, **ckw)
        self.conv2 = ConvNormAct(mid_chs, mid_chs, 3, dilation=dilation, groups=groups, **ckw)
        self.attn2 = attn_layer(mid_chs, act_layer=act_layer, **dd) if attn_layer is not None else nn.Identity()
        self.conv3 = ConvNormAct(mid_chs, out_chs, 1, apply_act=False, **ckw)
        self.attn3 = nn.Identity()
        self.drop_path = DropPath(drop_path) if drop_path else nn.Identity()
        self.act3 = act_layer()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv3.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.attn3(self.conv3(self.attn2(self.conv2(self.conv1(x)))))
        return self.act3(self.drop_path(x) + shortcut)


class DarkBlock(nn.Module):
    """DarkNet's residual: 1x1 reduce -> (attn) -> 3x3 back to ``out_chs`` (both activated), residual add."""

    def __init__(
        self, in_chs: int, out_chs: int, dilation: int = 1, bottle_ratio: float = 0.5, groups: int = 1,
        act_layer: Any = nn.ReLU, norm_layer: Any = nn.BatchNorm2d, attn_layer: Any = None,
        drop_path: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        mid_chs = int(round(out_chs * bottle_ratio))
        ckw = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.conv1 = ConvNormAct(in_chs, mid_chs, 1, **ckw)
        self.attn = attn_layer(mid_chs, act_layer=act_layer, **dd) if attn_layer is not None else nn.Identity()
        self.conv2 = ConvNormAct(mid_chs, out_chs, 3, dilation=dilation, groups=groups, **ckw)
        self.drop_path = DropPath(drop_path) if drop_path else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv2.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv2(self.attn(self.conv1(x)))
        return self.drop_path(x) + shortcut


class EdgeBlock(nn.Module):
    """A fused (edge) residual: 3x3 to ``out_chs * bottle_ratio`` -> (attn) -> 1x1 back, residual add."""

    def __init__(
        self, in_chs: int, out_chs: int, dilation: int = 1, bottle_ratio: float = 0.5, groups: int = 1,
        act_layer: Any = nn.ReLU, norm_layer: Any = nn.BatchNorm2d, attn_layer: Any = None,
        drop_path: float = 0.0, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        mid_chs = int(round(out_chs * bottle_ratio))
        ckw = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.conv1 = ConvNormAct(in_chs, mid_chs, 3, dilation=dilation, groups=groups, **ckw)
        self.attn = attn_layer(mid_chs, act_layer=act_layer, **dd) if attn_layer is not None else nn.Identity()
        self.conv2 = ConvNormAct(mid_chs, out_chs, 1, **ckw)
        self.drop_path = DropPath(drop_path) if drop_path else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv2.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv2(self.attn(self.conv1(x)))
        return self.drop_path(x) + shortcut


_BLOCKS = {"bottle": BottleneckBlock, "dark": DarkBlock, "edge": EdgeBlock}


# --- stages -----------------------------------------------------------------------------------------

def _down_conv(
    in_chs: int, out_chs: int, stride: int, dilation: int, groups: int, avg_down: bool, ckw: Dict[str, Any],
) -> nn.Module:
    """The stage's strided 3x3 conv, or (``avg_down``) a 2x2 average pool then a 1x1 conv."""
    if avg_down:
        return nn.Sequential(
            nn.AvgPool2d(2) if stride == 2 else nn.Identity(), ConvNormAct(in_chs, out_chs, 1, groups=groups, **ckw))
    return ConvNormAct(in_chs, out_chs, 3, stride=stride, dilation=dilation, groups=groups, **ckw)


class _Stage(nn.Module):
    """Shared by the stage types: ``conv_down`` (or Identity) at the stage's stride / dilation change."""

    def _make_down(self, in_chs, down_chs, stride, dilation, first_dilation, groups, avg_down, ckw) -> int:
        if stride != 1 or first_dilation != dilation:
            self.conv_down = _down_conv(in_chs, down_chs, stride, first_dilation, groups, avg_down, ckw)
            return down_chs
        self.conv_down = nn.Identity()
        return in_chs

    @staticmethod
    def _make_blocks(block_fn, depth, in_chs, out_chs, dilation, bottle_ratio, groups, dpr, ckw, attn_layer):
        blocks = []
        for i in range(depth):
            blocks.append(block_fn(in_chs, out_chs, dilation=dilation, bottle_ratio=bottle_ratio, groups=groups,
                                   attn_layer=attn_layer, drop_path=dpr[i], **ckw))
            in_chs = out_chs
        return nn.Sequential(*blocks)


class CrossStage(_Stage):
    """CSP stage: down conv -> 1x1 expand -> split; blocks + 1x1 ``conv_transition_b`` on the second half;
    concat with the untouched first half -> 1x1 ``conv_transition``."""

    def __init__(self, in_chs, out_chs, stride, dilation, first_dilation, depth, block_fn, block_ratio,
                 bottle_ratio, expand_ratio, groups, avg_down, down_growth, cross_linear, dpr, attn_layer, ckw):
        super().__init__()
        down_chs = out_chs if down_growth else in_chs
        self.expand_chs = exp_chs = int(round(out_chs * expand_ratio))
        block_out_chs = int(round(out_chs * block_ratio))
        prev_chs = self._make_down(in_chs, down_chs, stride, dilation, first_dilation, groups, avg_down, ckw)
        self.conv_exp = ConvNormAct(prev_chs, exp_chs, 1, apply_act=not cross_linear, **ckw)
        self.blocks = self._make_blocks(
            block_fn, depth, exp_chs // 2, block_out_chs, dilation, bottle_ratio, groups, dpr, ckw, attn_layer)
        self.conv_transition_b = ConvNormAct(block_out_chs, exp_chs // 2, 1, **ckw)
        self.conv_transition = ConvNormAct(exp_chs, out_chs, 1, **ckw)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_exp(self.conv_down(x))
        xs, xb = x.split(self.expand_chs // 2, dim=1)
        xb = self.conv_transition_b(self.blocks(xb)).contiguous()
        return self.conv_transition(torch.cat([xs, xb], dim=1))


class CrossStage3(_Stage):
    """CS3 stage (YOLOv5's C3): like :class:`CrossStage` with blocks on the first half and a single
    transition conv after the concat."""

    def __init__(self, in_chs, out_chs, stride, dilation, first_dilation, depth, block_fn, block_ratio,
                 bottle_ratio, expand_ratio, groups, avg_down, down_growth, cross_linear, dpr, attn_layer, ckw):
        super().__init__()
        down_chs = out_chs if down_growth else in_chs
        self.expand_chs = exp_chs = int(round(out_chs * expand_ratio))
        block_out_chs = int(round(out_chs * block_ratio))
        prev_chs = self._make_down(in_chs, down_chs, stride, dilation, first_dilation, groups, avg_down, ckw)
        self.conv_exp = ConvNormAct(prev_chs, exp_chs, 1, apply_act=not cross_linear, **ckw)
        self.blocks = self._make_blocks(
            block_fn, depth, exp_chs // 2, block_out_chs, dilation, bottle_ratio, groups, dpr, ckw, attn_layer)
        self.conv_transition = ConvNormAct(exp_chs, out_chs, 1, **ckw)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_exp(self.conv_down(x))
        x1, x2 = x.split(self.expand_chs // 2, dim=1)
        return self.conv_transition(torch.cat([self.blocks(x1), x2], dim=1))


class DarkStage(_Stage):
    """DarkNet stage: strided conv to ``out_chs``, then residual blocks (no split)."""

    def __init__(self, in_chs, out_chs, stride, dilation, first_dilation, depth, block_fn, block_ratio,
                 bottle_ratio, expand_ratio, groups, avg_down, down_growth, cross_linear, dpr, attn_layer, ckw):
        super().__init__()
        self.conv_down = _down_conv(in_chs, out_chs, stride, first_dilation, groups, avg_down, ckw)
        block_out_chs = int(round(out_chs * block_ratio))
        self.blocks = self._make_blocks(
            block_fn, depth, out_chs, block_out_chs, dilation, bottle_ratio, groups, dpr, ckw, attn_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.blocks(self.conv_down(x))


_STAGES = {"csp": CrossStage, "cs3": CrossStage3, "dark": DarkStage}


# --- the network ------------------------------------------------------------------------------------

class CspNet(nn.Module):
    """Stem (``stem.conv1``.., ``stem.pool``) -> stages (``stages.0``..) -> pooled classifier (``head.fc``).

    ``output_stride`` 8 or 16 turns the later stages' strides into dilation.
    """

    def __init__(
        self,
        stem: CspStem = CspStem(),
        stages: CspStages = CspStages(),
        in_chans: int = 3,
        num_classes: int = 1000,
        output_stride: int = 32,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        zero_init_last: bool = True,
        act_layer: Any = "leaky_relu",
        norm_layer: Any = "batchnorm",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        if stages.stage_type not in _STAGES or stages.block_type not in _BLOCKS:
            raise ValueError(f"stage_type must be one of {sorted(_STAGES)} and block_type one of {sorted(_BLOCKS)}, "
                             f"got {stages.stage_type!r} and {stages.block_type!r}")
        act_layer, norm_layer = get_act_layer(act_layer), get_norm_layer(norm_layer)
        ckw = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        # stem
        self.stem = nn.Sequential()
        stem_chs = stem.out_chs if isinstance(stem.out_chs, tuple) else (stem.out_chs,)
        prev_chs, last_conv = in_chans, ""
        for i, chs in enumerate(stem_chs):
            conv_stride = 2 if i == 0 and stem.stride > 1 else 1
            last_conv = f"conv{i + 1}"
            self.stem.add_module(last_conv, ConvNormAct(
                prev_chs, chs, stem.kernel_size, stride=conv_stride, padding=stem.padding if i == 0 else "", **ckw))
            prev_chs = chs
        net_stride = 2 if stem.stride > 1 else 1
        self.feature_info = [dict(num_chs=prev_chs, reduction=net_stride, module=f"stem.{last_conv}")]
        if stem.pool == "max":
            self.stem.add_module("pool", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
            net_stride *= 2
        elif stem.pool:
            raise ValueError(f"stem pool must be 'max' or '', got {stem.pool!r}")
        self._stem_convs = len(stem_chs)

        # stages
        depths = stages.depth
        dpr = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        attn_layer = get_attn(stages.attn_layer)
        if attn_layer is not None and stages.attn_kwargs:
            attn_layer = _with_kwargs(attn_layer, stages.attn_kwargs)
        stage_cls, block_fn = _STAGES[stages.stage_type], _BLOCKS[stages.block_type]
        per = {name: stages.per_stage(name)
               for name in ("stride", "groups", "block_ratio", "bottle_ratio", "expand_ratio")}
        dilation = 1
        stage_list = []
        for i, (depth, out_chs) in enumerate(zip(depths, stages.out_chs)):
            stride, first_dilation = per["stride"][i], dilation
            if stride > 1 and net_stride >= output_stride:
                dilation *= stride
                stride = 1
            net_stride *= stride
            stage_list.append(stage_cls(
                prev_chs, out_chs, stride, dilation, first_dilation, depth, block_fn, per["block_ratio"][i],
                per["bottle_ratio"][i], per["expand_ratio"][i], per["groups"][i], stages.avg_down, stages.down_growth,
                stages.cross_linear, [float(d) for d in dpr[i]], attn_layer, ckw))
            prev_chs = out_chs
            self.feature_info.append(dict(num_chs=out_chs, reduction=net_stride, module=f"stages.{i}"))
        self.stages = nn.Sequential(*stage_list)

        self.num_features = self.head_hidden_size = prev_chs
        self.head = ClassifierHead(prev_chs, num_classes, global_pool, drop_rate=drop_rate, **dd)
        self._init_weights(zero_init_last)

    def _init_weights(self, zero_init_last: bool) -> None:
        for name, m in self.named_modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)
            elif zero_init_last and hasattr(m, "zero_init_last"):
                m.zero_init_last()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        if coarse:
            return dict(stem=r"^stem", blocks=r"^stages\.(\d+)")
        return dict(stem=r"^stem", blocks=[
            (r"^stages\.(\d+)\.blocks\.(\d+)", None),
            (r"^stages\.(\d+)\..*transition", (99999,)),
            (r"^stages\.(\d+)", (0,)),
        ])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

    def _run_stem(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(the stem's last conv output = feature point 0, the stem output after any pool)."""
        convs = list(self.stem.children())
        for conv in convs[:self._stem_convs]:
            x = conv(x)
        feat = x
        for pool in convs[self._stem_convs:]:
            x = pool(x)
        return feat, x

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the ``feature_info`` points: the stem's last conv, then every stage."""
        if output_fmt != "NCHW":
            raise ValueError(f"CspNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.stages) + 1, indices)
        intermediates = []
        feat, x = self._run_stem(x)
        if 0 in take_indices:
            intermediates.append(feat)
        stages = self.stages[:max_index] if stop_early else self.stages
        for i, stage in enumerate(stages, start=1):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint_seq([stage], x)
            else:
                x = stage(x)
            if i in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.stages) + 1, indices)
        self.stages = self.stages[:max_index]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.stages, x)
        return self.stages(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def _with_kwargs(layer_cls: Any, kwargs: Dict[str, Any]) -> Any:
    def make(channels: int, **more: Any) -> nn.Module:
        return layer_cls(channels, **{**kwargs, **more})
    return make


# --- variants ---------------------------------------------------------------------------------------

_CSPRESNET = dict(depth=(3, 3, 5, 2), stride=(1, 2, 2, 2), expand_ratio=2.0, bottle_ratio=0.5, cross_linear=True)
_DARKNET = dict(out_chs=(64, 128, 256, 512, 1024), stage_type="dark", block_type="dark", bottle_ratio=0.5)
_CS3 = dict(stage_type="cs3", block_type="dark", block_ratio=0.5)
_CS3_SIZES = dict(  # (stem widths, depths, stage widths) for the s / m / l / x sizes
    s=((16, 32), (1, 3, 4, 1), (64, 128, 256, 512)),
    m=((24, 48), (2, 4, 6, 2), (96, 192, 384, 768)),
    l=((32, 64), (3, 6, 9, 3), (128, 256, 512, 1024)),
    x=((40, 80), (3, 7, 11, 3), (160, 320, 640, 1280)),
)


def _cs3(size: str, focus: bool = False, **stage_kw: Any) -> Dict[str, Any]:
    stem_chs, depth, out_chs = _CS3_SIZES[size]
    # the 'focus' stem is YOLOv5's: one 6x6/2 conv (padding 2) instead of two 3x3 convs
    stem = CspStem(out_chs=stem_chs[-1], kernel_size=6, padding=2) if focus else CspStem(out_chs=stem_chs)
    return dict(stem=stem, stages=CspStages(**{**_CS3, "depth": depth, "out_chs": out_chs, **stage_kw}),
                act_layer="silu")


CSPNETS: Dict[str, Dict[str, Any]] = {
    "cspresnet50": dict(
        stem=CspStem(out_chs=64, stride=4, kernel_size=7, pool="max"),
        stages=CspStages(out_chs=(128, 256, 512, 1024), **_CSPRESNET)),
    "cspresnet50d": dict(
        stem=CspStem(out_chs=(32, 32, 64), stride=4, pool="max"),
        stages=CspStages(out_chs=(128, 256, 512, 1024), **_CSPRESNET)),
    "cspresnet50w": dict(
        stem=CspStem(out_chs=(32, 32, 64), stride=4, pool="max"),
        stages=CspStages(out_chs=(256, 512, 1024, 2048), **{
            **_CSPRESNET, "block_ratio": 0.5, "bottle_ratio": 0.25, "expand_ratio": 1.0})),
    "cspresnext50": dict(
        stem=CspStem(out_chs=64, stride=4, kernel_size=7, pool="max"),
        stages=CspStages(out_chs=(256, 512, 1024, 2048), groups=32, **{
            **_CSPRESNET, "block_ratio": 0.5, "bottle_ratio": 1.0, "expand_ratio": 1.0})),
    "cspdarknet53": dict(
        stem=CspStem(out_chs=32, stride=1),
        stages=CspStages(
            depth=(1, 2, 8, 8, 4), out_chs=(64, 128, 256, 512, 1024), block_ratio=(1.0, 0.5, 0.5, 0.5, 0.5),
            bottle_ratio=(0.5, 1.0, 1.0, 1.0, 1.0), block_type="dark", expand_ratio=(2.0, 1.0, 1.0, 1.0, 1.0),
            down_growth=True)),
    "darknet17": dict(stem=CspStem(out_chs=32, stride=1), stages=CspStages(depth=(1, 1, 1, 1, 1), **_DARKNET)),
    "darknet21": dict(stem=CspStem(out_chs=32, stride=1), stages=CspStages(depth=(1, 1, 1, 2, 2), **_DARKNET)),
    "sedarknet21": dict(
        stem=CspStem(out_chs=32, stride=1), stages=CspStages(depth=(1, 1, 1, 2, 2), attn_layer="se", **_DARKNET)),
    "darknet53": dict(stem=CspStem(out_chs=32, stride=1), stages=CspStages(depth=(1, 2, 8, 8, 4), **_DARKNET)),
    "darknetaa53": dict(
        stem=CspStem(out_chs=32, stride=1), stages=CspStages(depth=(1, 2, 8, 8, 4), avg_down=True, **_DARKNET)),
    **{f"cs3darknet_{s}": _cs3(s) for s in ("s", "m", "l", "x")},
    **{f"cs3darknet_focus_{s}": _cs3(s, focus=True) for s in ("s", "m", "l", "x")},
    "cs3sedarknet_l": _cs3("l", attn_layer="se", attn_kwargs=dict(rd_ratio=0.25)),
    "cs3sedarknet_x": _cs3("x", attn_layer="se"),
    "cs3sedarknet_xdw": dict(
        stem=CspStem(out_chs=(32, 64)),
        stages=CspStages(
            depth=(3, 6, 12, 4), out_chs=(256, 512, 1024, 2048), groups=(1, 1, 256, 512), block_ratio=0.5,
            bottle_ratio=0.5, attn_layer="se"),
        act_layer="silu"),
    "cs3edgenet_x": _cs3("x", block_type="edge", bottle_ratio=1.5),
    "cs3se_edgenet_x": _cs3("x", block_type="edge", bottle_ratio=1.5, attn_layer="se", attn_kwargs=dict(rd_ratio=0.25)),
}


# --- weight metadata --------------------------------------------------------------------------------

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", input_size=(3, 256, 256), pool_size=(8, 8), crop_pct=0.887,
        first_conv="stem.conv1.conv", classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


_C2NS = dict(test_input_size=(3, 288, 288), test_crop_pct=0.95)
_TPU = _RELEASES + "v0.1-tpu-weights/"
CSPNET_WEIGHTS = {
    "cs3darknet_focus_l.c2ns_in1k": _cfg(_TPU + "cs3darknet_focus_l_c2ns-65ef8888.pth", **_C2NS),
    "cs3darknet_focus_m.c2ns_in1k": _cfg(_TPU + "cs3darknet_focus_m_c2ns-e23bed41.pth", **_C2NS),
    "cs3darknet_focus_s.ra4_e3600_r256_in1k": _cfg(
        test_input_size=(3, 320, 320), test_crop_pct=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "cs3darknet_focus_x.untrained": _cfg(hf_hub_id=None),
    "cs3darknet_l.c2ns_in1k": _cfg(_TPU + "cs3darknet_l_c2ns-16220c5d.pth", **_C2NS),
    "cs3darknet_m.c2ns_in1k": _cfg(_TPU + "cs3darknet_m_c2ns-43f06604.pth", **_C2NS),
    "cs3darknet_s.untrained": _cfg(hf_hub_id=None),
    "cs3darknet_x.c2ns_in1k": _cfg(
        _TPU + "cs3darknet_x_c2ns-4e4490aa.pth", test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "cs3edgenet_x.c2_in1k": _cfg(
        _TPU + "cs3edgenet_x_c2-2e1610a9.pth", test_input_size=(3, 288, 288), test_crop_pct=1.0),
    "cs3se_edgenet_x.c2ns_in1k": _cfg(
        _TPU + "cs3se_edgenet_x_c2ns-76f8e3ac.pth", test_input_size=(3, 320, 320), crop_pct=0.95, test_crop_pct=1.0),
    "cs3sedarknet_l.c2ns_in1k": _cfg(_TPU + "cs3sedarknet_l_c2ns-e8d1dc13.pth", **_C2NS),
    "cs3sedarknet_x.c2ns_in1k": _cfg(
        _TPU + "cs3sedarknet_x_c2ns-b4d0abc0.pth", test_input_size=(3, 288, 288), test_crop_pct=1.0),
    "cs3sedarknet_xdw.untrained": _cfg(hf_hub_id=None),
    "cspdarknet53.ra_in1k": _cfg(
        _RELEASES + "v0.1-weights/cspdarknet53_ra_256-d05c7c21.pth", interpolation="bilinear"),
    "cspresnet50.ra_in1k": _cfg(_RELEASES + "v0.1-weights/cspresnet50_ra-d3e8d487.pth", interpolation="bilinear"),
    "cspresnet50d.untrained": _cfg(hf_hub_id=None, interpolation="bilinear"),
    "cspresnet50w.untrained": _cfg(hf_hub_id=None, interpolation="bilinear"),
    "cspresnext50.ra_in1k": _cfg(_RELEASES + "v0.1-weights/cspresnext50_ra_224-648b4713.pth", interpolation="bilinear"),
    "darknet17.untrained": _cfg(hf_hub_id=None, interpolation="bilinear"),
    "darknet21.untrained": _cfg(hf_hub_id=None, interpolation="bilinear"),
    "darknet53.c2ns_in1k": _cfg(
        _TPU + "darknet53_256_c2ns-3aeff817.pth", test_input_size=(3, 288, 288), test_crop_pct=1.0),
    "darknetaa53.c2ns_in1k": _cfg(
        _TPU + "darknetaa53_c2ns-5c28ec8a.pth", test_input_size=(3, 288, 288), test_crop_pct=1.0,
        interpolation="bilinear"),
    "sedarknet21.untrained": _cfg(hf_hub_id=None, interpolation="bilinear"),
}

default_cfgs = generate_default_cfgs(CSPNET_WEIGHTS)


def _create_cspnet(variant: str, pretrained: bool = False, **kwargs: Any) -> CspNet:
    # every feature point by default: the stem and each stage (six for the five-stage DarkNets), except that
    # the reference gives sedarknet21 the four-stage default (0..4), so features_only matches that
    num_points = 5 if variant == "sedarknet21" else len(CSPNETS[variant]["stages"].depth) + 1
    out_indices = kwargs.pop("out_indices", tuple(range(num_points)))
    return build_model_with_cfg(
        CspNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True, out_indices=out_indices), **kwargs)


register_variants(CSPNETS, _create_cspnet, globals())
