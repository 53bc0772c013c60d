"""Typed stage specs -> the stages of an MBConv-family network.

An architecture is a list of stages; a stage is one :class:`Stage` row or a list of rows (MixNet and
MobileNetV4 mix block kinds inside a stage). A row is ``depth`` repeats of one block::

    Stage(block="ir", depth=2, kernel=3, stride=2, expand=6, out_chs=24, se=0.25)

Block kinds: ``ds`` depthwise-separable, ``ir`` inverted residual (MBConv), ``er`` edge residual
(fused-MBConv), ``cc`` CondConv inverted residual, ``cn`` conv-norm-act, ``uir`` universal inverted
residual, ``mqa`` mobile multi-query attention. :func:`build_stages` applies the scaling rules of
the EfficientNet paper (Tan & Le, 2019, arXiv:1905.11946): width by ``round_chs_fn``, depth per stage
by ``depth_multiplier``, and the stochastic-depth rate growing linearly over the blocks.
"""
from __future__ import annotations

import dataclasses
import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from torch import nn

from imagemodels.layers import BatchNormAct2d, get_act_layer, make_divisible

from ._efficientnet_blocks import (
    CondConvResidual, ConvBnAct, DepthwiseSeparableConv, EdgeResidual, InvertedResidual, MobileAttention,
    UniversalInvertedResidual,
)

__all__ = ["Stage", "build_stages", "round_channels", "scale_depths", "init_weight_goog", "feature_take_stage_ends"]

Kernel = Union[int, Tuple[int, ...]]


@dataclasses.dataclass(frozen=True)
class Stage:
    """``depth`` repeats of one block kind; only the first repeat takes ``stride``.

    ``kernel`` is the depthwise kernel (a tuple makes a mixed-kernel conv), or the dense kernel of ``er`` /
    ``cn``; for ``uir`` it is the middle depthwise kernel (0: none) with ``start_kernel`` / ``end_kernel``
    around it. ``expand`` is the expansion ratio, ``se`` the squeeze-excite ratio (0: none), ``act`` an
    activation name overriding the network's. ``skip=False`` removes a residual the shapes would allow
    (``skip=True`` asks for one in a ``cn`` block).
    """

    block: str
    depth: int
    out_chs: int
    kernel: Kernel = 3
    stride: int = 1
    expand: float = 1.0
    se: float = 0.0
    act: Optional[str] = None
    skip: Optional[bool] = None
    exp_kernel: Kernel = 1
    pw_kernel: Kernel = 1
    pw_act: bool = False
    force_in_chs: int = 0
    num_experts: int = 0
    group_size: Optional[int] = None
    s2d: int = 0
    start_kernel: int = 0
    end_kernel: int = 0
    num_heads: int = 8
    key_dim: int = 64
    value_dim: int = 64
    kv_stride: int = 1
    mid_chs: int = 0  # an explicit expanded width (pruned networks); wins over ``expand``
    se_chs: int = 0  # an explicit squeeze-excite width (pruned networks); wins over ``se``


StageSpec = Union[Stage, Sequence[Stage]]

_BLOCKS = ("ds", "ir", "er", "cc", "cn", "uir", "mqa")


def round_channels(channels: float, multiplier: float = 1.0, divisor: int = 8, channel_min: Optional[int] = None,
                   round_limit: float = 0.9) -> int:
    """Width scaling: ``channels * multiplier`` to a multiple of ``divisor`` (0 multiplier: unchanged)."""
    if not multiplier:
        return int(channels)
    return make_divisible(channels * multiplier, divisor, channel_min, round_limit=round_limit)


def scale_depths(depths: Sequence[int], multiplier: float, trunc: str = "ceil") -> List[int]:
    """Scale a stage's total depth, then share it out over its rows from the last row back.

    ``trunc='ceil'`` rounds the scaled total up (EfficientNet), ``'round'`` to nearest (at least 1).
    Working back from the last row keeps the first row (usually the strided one) at least one block.
    """
    total = sum(depths)
    if trunc == "round":
        scaled_total = max(1, round(total * multiplier))
    else:
        scaled_total = int(math.ceil(total * multiplier))
    out = []
    left, left_scaled = total, scaled_total
    for depth in reversed(depths):
        scaled = max(1, round(depth / left * left_scaled))
        out.append(scaled)
        left -= depth
        left_scaled -= scaled
    return out[::-1]


def _rows(stage: StageSpec) -> List[Stage]:
    return [stage] if isinstance(stage, Stage) else list(stage)


def _kernel(k: Kernel) -> Union[int, List[int]]:
    """A tuple of several kernel sizes becomes the list ``create_conv2d`` reads as a mixed conv."""
    if isinstance(k, (tuple, list)):
        return list(k) if len(k) > 1 else k[0]
    return k


def _block_kwargs(row: Stage, in_chs: int, out_chs: int, stride: int, dilation: int, group_size: Optional[int],
                  act_layer, se_layer, se_from_exp: bool, layer_scale_init_value: Optional[float],
                  force_in_chs: int) -> Tuple[type, Dict[str, Any]]:
    """The block class and its arguments for one repeat of ``row``."""
    kw: Dict[str, Any] = dict(in_chs=in_chs, out_chs=out_chs, stride=stride, dilation=dilation)
    kw["act_layer"] = get_act_layer(row.act) if row.act else act_layer
    gs = row.group_size if row.group_size is not None else group_size
    if gs is not None:
        kw["group_size"] = gs
    noskip = row.skip is False
    se = None
    if row.se and se_layer is not None and row.block != "cn":
        ratio = row.se
        if not se_from_exp and row.block in ("ir", "er", "cc", "uir"):
            ratio /= row.mid_chs / in_chs if row.mid_chs else row.expand
        if row.s2d:
            ratio /= 4  # SE runs on the 4x wider space-to-depth map but is sized from the block input  # EfficientNet sizes SE from the block input, not the expanded width
        se = partial(se_layer, rd_channels=row.se_chs) if row.se_chs else partial(se_layer, rd_ratio=ratio)
    block = row.block
    if block == "ds":
        kw.update(dw_kernel_size=_kernel(row.kernel), pw_kernel_size=_kernel(row.pw_kernel), pw_act=row.pw_act,
                  noskip=noskip, s2d=row.s2d, se_layer=se)
        return DepthwiseSeparableConv, kw
    if block in ("ir", "cc"):
        kw.update(dw_kernel_size=_kernel(row.kernel), exp_kernel_size=_kernel(row.exp_kernel),
                  pw_kernel_size=_kernel(row.pw_kernel), exp_ratio=row.expand, noskip=noskip, s2d=row.s2d, se_layer=se)
        if row.mid_chs:
            kw["mid_chs"] = row.mid_chs
        if block == "cc":
            kw["num_experts"] = row.num_experts
            return CondConvResidual, kw
        return InvertedResidual, kw
    if block == "er":
        kw.update(exp_kernel_size=_kernel(row.kernel), pw_kernel_size=_kernel(row.pw_kernel), exp_ratio=row.expand,
                  force_in_chs=force_in_chs, noskip=noskip, se_layer=se)
        if row.mid_chs:
            kw["mid_chs"] = row.mid_chs
        return EdgeResidual, kw
    if block == "cn":
        kw.update(kernel_size=_kernel(row.kernel), skip=bool(row.skip))
        return ConvBnAct, kw
    if block == "uir":
        kw.update(dw_kernel_size_start=row.start_kernel, dw_kernel_size_mid=row.kernel,
                  dw_kernel_size_end=row.end_kernel, exp_ratio=row.expand, noskip=noskip, se_layer=se,
                  layer_scale_init_value=layer_scale_init_value)
        return UniversalInvertedResidual, kw
    if block == "mqa":
        kw.update(dw_kernel_size=_kernel(row.kernel), num_heads=row.num_heads, key_dim=row.key_dim,
                  value_dim=row.value_dim, kv_stride=row.kv_stride, noskip=noskip,
                  layer_scale_init_value=layer_scale_init_value)
        return MobileAttention, kw
    raise ValueError(f"unknown block kind {block!r}; known: {', '.join(_BLOCKS)}")


def build_stages(
    arch: Sequence[StageSpec],
    in_chs: int,
    *,
    round_chs_fn: Callable[[float], int] = round_channels,
    depth_multiplier: Union[float, Sequence[float]] = 1.0,
    depth_trunc: str = "ceil",
    fix_first_last: bool = False,
    experts_multiplier: int = 1,
    group_size: Optional[int] = None,
    output_stride: int = 32,
    pad_type: str = "",
    act_layer: Callable[..., nn.Module] = nn.ReLU,
    norm_layer: Callable[..., nn.Module] = BatchNormAct2d,
    aa_layer: Optional[Callable[..., nn.Module]] = None,
    se_layer: Optional[Callable[..., nn.Module]] = None,
    se_from_exp: bool = False,
    drop_path_rate: float = 0.0,
    layer_scale_init_value: Optional[float] = None,
    stem_feature: bool = True,
    dd: Optional[Dict[str, Any]] = None,
) -> Tuple[List[nn.Sequential], List[Dict[str, Any]]]:
    """The stages (one ``nn.Sequential`` each) and the feature_info of their outputs.

    A stage's output is a feature point when the next stage downsamples or it is the last stage; the
    stem's output is one when the first block downsamples. Past ``output_stride`` blocks keep stride 1
    and dilate instead (the strided block keeps the previous dilation).
    """
    if output_stride not in (8, 16, 32):
        raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
    dd = dd or {}
    # depth scaling, per stage (the first and last stage fixed for some nets)
    stages_rows: List[List[Tuple[Stage, int]]] = []
    for idx, stage in enumerate(arch):
        rows = _rows(stage)
        fixed = fix_first_last and (idx == 0 or idx == len(arch) - 1)
        mult = depth_multiplier[idx] if isinstance(depth_multiplier, (tuple, list)) else depth_multiplier
        depths = [r.depth for r in rows] if fixed else scale_depths([r.depth for r in rows], mult, depth_trunc)
        stages_rows.append([(r, d) for r, d in zip(rows, depths)])
    total_blocks = sum(d for rows in stages_rows for _, d in rows)

    feature_info: List[Dict[str, Any]] = []
    first_stride = stages_rows[0][0][0].stride
    if stem_feature and first_stride > 1:
        feature_info.append(dict(module="bn1", num_chs=in_chs, stage=0, reduction=2))
    stages = []
    net_stride, dilation, block_idx = 2, 1, 0
    for stage_idx, rows in enumerate(stages_rows):
        blocks = []
        for row, depth in rows:
            out_chs = round_chs_fn(row.out_chs)
            force_in = round_chs_fn(row.force_in_chs) if row.force_in_chs else 0
            num_experts = row.num_experts * experts_multiplier
            if num_experts != row.num_experts:
                row = dataclasses.replace(row, num_experts=num_experts)
            for rep in range(depth):
                stride = row.stride if rep == 0 else 1
                next_dilation = dilation
                if stride > 1:
                    if net_stride * stride > output_stride:
                        next_dilation = dilation * stride
                        stride = 1
                    else:
                        net_stride *= stride
                block_cls, kw = _block_kwargs(
                    row, in_chs, out_chs, stride, dilation, group_size, act_layer, se_layer, se_from_exp,
                    layer_scale_init_value, force_in if rep == 0 else 0)
                kw.update(pad_type=pad_type, norm_layer=norm_layer, drop_path_rate=drop_path_rate * block_idx / total_blocks)
                if block_cls is not MobileAttention:
                    kw["aa_layer"] = aa_layer
                blocks.append(block_cls(**kw, **dd))
                in_chs = out_chs
                dilation = next_dilation
                block_idx += 1
        stages.append(nn.Sequential(*blocks))
        next_strided = stage_idx + 1 < len(stages_rows) and stages_rows[stage_idx + 1][0][0].stride > 1
        if next_strided or stage_idx + 1 == len(stages_rows):
            feature_info.append(dict(module=f"blocks.{stage_idx}", num_chs=in_chs, stage=stage_idx + 1,
                                     reduction=net_stride))
    return stages, feature_info


def feature_take_stage_ends(feature_info: Sequence[Dict[str, Any]]) -> List[int]:
    """The stage index (0 = stem) of each feature point, for forward_intermediates."""
    return [int(f["stage"]) for f in feature_info]


def init_weight_goog(m: nn.Module, n: str = "", fix_group_fanout: bool = True) -> None:
    """The initialisation of the TensorFlow reference implementations (EfficientNet / MnasNet).

    Convs: normal with std sqrt(2 / fan_out); linear layers: uniform in +-1/sqrt(fan_out); norms: 1 / 0.
    """
    from imagemodels.layers.cond_conv2d import CondConv2d

    if isinstance(m, CondConv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
        if fix_group_fanout:
            fan_out //= m.groups
        std = math.sqrt(2.0 / fan_out)
        for expert in m.weight.data.view(m.num_experts, *m.weight_shape):
            nn.init.normal_(expert, 0, std)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
        if fix_group_fanout:
            fan_out //= m.groups
        nn.init.normal_(m.weight, 0, math.sqrt(2.0 / fan_out))
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm, nn.LayerNorm)):
        if getattr(m, "weight", None) is not None:
            nn.init.ones_(m.weight)
        if getattr(m, "bias", None) is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Linear):
        fan_out = m.weight.size(0)
        fan_in = m.weight.size(1) if "routing_fn" in n else 0
        init_range = 1.0 / math.sqrt(fan_in + fan_out)
        nn.init.uniform_(m.weight, -init_range, init_range)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
