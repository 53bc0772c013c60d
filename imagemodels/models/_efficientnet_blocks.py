"""The blocks of the MBConv family (EfficientNet, MobileNet-V1/V2/V3/V4, MixNet, MnasNet, FBNet, LCNet...).

Every block takes classes (``act_layer``, ``norm_layer``, ``se_layer``, ``aa_layer``), never names; the
builder (``_efficientnet_builder``) resolves names once. ``norm_layer`` here is a fused norm+act class
(``BatchNormAct2d`` or a partial of one). Child names are the checkpoint layout.

* Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018 (arXiv:1801.04381)
* Tan & Le, "EfficientNet", 2019 (arXiv:1905.11946); "EfficientNetV2" (fused-MBConv = EdgeResidual), 2021
  (arXiv:2104.00298)
* Qin et al., "MobileNetV4" (universal inverted bottleneck, mobile MQA), 2024 (arXiv:2404.10518)
"""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import ConvNormAct, DropPath, create_aa, create_act_layer, create_conv2d, make_divisible
from imagemodels.layers.attention2d import MultiQueryAttention2d

__all__ = [
    "SqueezeExcite", "ConvBnAct", "DepthwiseSeparableConv", "InvertedResidual", "CondConvResidual",
    "EdgeResidual", "UniversalInvertedResidual", "MobileAttention", "LayerScale2d", "num_groups",
]

LayerFn = Callable[..., nn.Module]
KernelSize = Union[int, List[int]]


def num_groups(group_size: Optional[int], channels: int) -> int:
    """Conv groups from a group size: 0/None is a dense conv, 1 depthwise, otherwise channels / group_size."""
    if not group_size:
        return 1
    if channels % group_size:
        raise ValueError(f"group_size {group_size} must divide the {channels} channels")
    return channels // group_size


def _drop_path(rate: float) -> nn.Module:
    return DropPath(rate) if rate else nn.Identity()


class SqueezeExcite(nn.Module):
    """SE as the MBConv papers use it: ``conv_reduce`` -> act -> ``conv_expand`` -> gate.

    The bottleneck is ``rd_round_fn(in_chs * rd_ratio)``; the builder passes the ratio relative to the
    block input (EfficientNet) or to the expanded width (MobileNetV3), as each paper defines it.
    """

    def __init__(
        self,
        in_chs: int,
        rd_ratio: float = 0.25,
        rd_channels: Optional[int] = None,
        act_layer: LayerFn = nn.ReLU,
        gate_layer: Union[str, LayerFn] = nn.Sigmoid,
        force_act_layer: Optional[LayerFn] = None,
        rd_round_fn: Optional[Callable[[float], int]] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if rd_channels is None:
            rd_channels = (rd_round_fn or round)(in_chs * rd_ratio)
        self.conv_reduce = nn.Conv2d(in_chs, rd_channels, 1, bias=True, **dd)
        self.act1 = create_act_layer(force_act_layer or act_layer, inplace=True)
        self.conv_expand = nn.Conv2d(rd_channels, in_chs, 1, bias=True, **dd)
        self.gate = create_act_layer(gate_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_se = self.conv_expand(self.act1(self.conv_reduce(x.mean((2, 3), keepdim=True))))
        return x * self.gate(x_se)


class _Block(nn.Module):
    """Shared by the blocks: the residual add and where the block's feature maps come from."""

    has_skip: bool = False

    def _residual(self, x: torch.Tensor, shortcut: torch.Tensor) -> torch.Tensor:
        return self.drop_path(x) + shortcut if self.has_skip else x


class ConvBnAct(_Block):
    """A plain conv -> norm+act (stems of stages, the 'cn' block), with an optional residual."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, dilation: int = 1,
        group_size: int = 0, pad_type: str = "", skip: bool = False, act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d, aa_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.has_skip = skip and stride == 1 and in_chs == out_chs
        use_aa = aa_layer is not None and stride > 1
        self.conv = create_conv2d(in_chs, out_chs, kernel_size, stride=1 if use_aa else stride, dilation=dilation,
                                  groups=num_groups(group_size, in_chs), padding=pad_type, **dd)
        self.bn1 = norm_layer(out_chs, act_layer=act_layer, inplace=True, **dd)
        self.aa = create_aa(aa_layer, channels=out_chs, stride=stride, enable=use_aa, **dd)
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        return dict(module="bn1" if location == "expansion" else "", num_chs=self.conv.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.aa(self.bn1(self.conv(x)))
        return self._residual(x, shortcut)


class DepthwiseSeparableConv(_Block):
    """Depthwise conv -> (SE) -> pointwise conv (MobileNet-V1, the first EfficientNet stage).

    ``s2d=1`` first folds 2x2 pixels into channels (space-to-depth by a strided 2x2 conv), as
    EfficientNet-X does. ``pw_act`` puts the activation after the pointwise conv too (MobileNet-V1).
    """

    def __init__(
        self, in_chs: int, out_chs: int, dw_kernel_size: KernelSize = 3, stride: int = 1, dilation: int = 1,
        group_size: int = 1, pad_type: str = "", noskip: bool = False, pw_kernel_size: int = 1,
        pw_act: bool = False, s2d: int = 0, act_layer: LayerFn = nn.ReLU, norm_layer: LayerFn = nn.BatchNorm2d,
        aa_layer: Optional[LayerFn] = None, se_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.has_skip = (stride == 1 and in_chs == out_chs) and not noskip
        self.has_pw_act = pw_act
        use_aa = aa_layer is not None and stride > 1
        if s2d == 1:
            sd_chs = in_chs * 4
            self.conv_s2d = create_conv2d(in_chs, sd_chs, kernel_size=2, stride=2, padding="same", **dd)
            self.bn_s2d = norm_layer(sd_chs, act_layer=act_layer, **dd)
            dw_kernel_size = (dw_kernel_size + 1) // 2
            dw_pad_type = "same" if dw_kernel_size == 2 else pad_type
            in_chs = sd_chs
            stride = 1  # the space-to-depth conv does the block's stride 2
            use_aa = False
        else:
            self.conv_s2d = None
            self.bn_s2d = None
            dw_pad_type = pad_type
        groups = num_groups(group_size, in_chs)
        self.conv_dw = create_conv2d(in_chs, in_chs, dw_kernel_size, stride=1 if use_aa else stride,
                                     dilation=dilation, padding=dw_pad_type, groups=groups, **dd)
        self.bn1 = norm_layer(in_chs, act_layer=act_layer, inplace=True, **dd)
        self.aa = create_aa(aa_layer, channels=out_chs, stride=stride, enable=use_aa, **dd)
        self.se = se_layer(in_chs, act_layer=act_layer, **dd) if se_layer else nn.Identity()
        self.conv_pw = create_conv2d(in_chs, out_chs, pw_kernel_size, padding=pad_type, **dd)
        self.bn2 = norm_layer(out_chs, act_layer=act_layer, inplace=True, apply_act=pw_act, **dd)
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        if location == "expansion":  # after the SE, before the pointwise conv
            return dict(module="conv_pw", hook_type="forward_pre", num_chs=self.conv_pw.in_channels)
        return dict(module="", num_chs=self.conv_pw.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        if self.conv_s2d is not None:
            x = self.bn_s2d(self.conv_s2d(x))
        x = self.aa(self.bn1(self.conv_dw(x)))
        x = self.bn2(self.conv_pw(self.se(x)))
        return self._residual(x, shortcut)


class InvertedResidual(_Block):
    """MBConv: 1x1 expand -> depthwise kxk -> (SE) -> 1x1 linear project, residual when shapes allow."""

    def __init__(
        self, in_chs: int, out_chs: int, dw_kernel_size: KernelSize = 3, stride: int = 1, dilation: int = 1,
        group_size: int = 1, pad_type: str = "", noskip: bool = False, exp_ratio: float = 1.0,
        exp_kernel_size: KernelSize = 1, pw_kernel_size: KernelSize = 1, s2d: int = 0, act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d, aa_layer: Optional[LayerFn] = None, se_layer: Optional[LayerFn] = None,
        conv_kwargs: Optional[dict] = None, drop_path_rate: float = 0.0, mid_chs: Optional[int] = None,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        conv_kwargs = conv_kwargs or {}
        self.has_skip = (in_chs == out_chs and stride == 1) and not noskip
        use_aa = aa_layer is not None and stride > 1
        if s2d == 1:
            sd_chs = in_chs * 4
            self.conv_s2d = create_conv2d(in_chs, sd_chs, kernel_size=2, stride=2, padding="same", **dd)
            self.bn_s2d = norm_layer(sd_chs, act_layer=act_layer, **dd)
            dw_kernel_size = (dw_kernel_size + 1) // 2
            dw_pad_type = "same" if dw_kernel_size == 2 else pad_type
            in_chs = sd_chs
            use_aa = False
        else:
            self.conv_s2d = None
            self.bn_s2d = None
            dw_pad_type = pad_type
        mid_chs = mid_chs or make_divisible(in_chs * exp_ratio)
        groups = num_groups(group_size, mid_chs)

        self.conv_pw = create_conv2d(in_chs, mid_chs, exp_kernel_size, padding=pad_type, **conv_kwargs, **dd)
        self.bn1 = norm_layer(mid_chs, act_layer=act_layer, inplace=True, **dd)
        self.conv_dw = create_conv2d(mid_chs, mid_chs, dw_kernel_size, stride=1 if use_aa else stride,
                                     dilation=dilation, groups=groups, padding=dw_pad_type, **conv_kwargs, **dd)
        self.bn2 = norm_layer(mid_chs, act_layer=act_layer, inplace=True, **dd)
        self.aa = create_aa(aa_layer, channels=mid_chs, stride=stride, enable=use_aa, **dd)
        self.se = se_layer(mid_chs, act_layer=act_layer, **dd) if se_layer else nn.Identity()
        self.conv_pwl = create_conv2d(mid_chs, out_chs, pw_kernel_size, padding=pad_type, **conv_kwargs, **dd)
        self.bn3 = norm_layer(out_chs, act_layer=act_layer, inplace=True, apply_act=False, **dd)
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        if location == "expansion":
            return dict(module="conv_pwl", hook_type="forward_pre", num_chs=self.conv_pwl.in_channels)
        return dict(module="", num_chs=self.conv_pwl.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        if self.conv_s2d is not None:
            x = self.bn_s2d(self.conv_s2d(x))
        x = self.bn1(self.conv_pw(x))
        x = self.aa(self.bn2(self.conv_dw(x)))
        x = self.bn3(self.conv_pwl(self.se(x)))
        return self._residual(x, shortcut)


class CondConvResidual(InvertedResidual):
    """MBConv whose three convs are CondConvs, mixed per example by a sigmoid router on the pooled input."""

    def __init__(self, in_chs: int, out_chs: int, num_experts: int = 0, device: Any = None, dtype: Any = None,
                 **kwargs: Any):
        self.num_experts = num_experts
        super().__init__(in_chs, out_chs, conv_kwargs=dict(num_experts=num_experts), device=device, dtype=dtype,
                         **kwargs)
        self.routing_fn = nn.Linear(in_chs, num_experts, device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        routing = torch.sigmoid(self.routing_fn(F.adaptive_avg_pool2d(x, 1).flatten(1)))
        x = self.bn1(self.conv_pw(x, routing))
        x = self.aa(self.bn2(self.conv_dw(x, routing)))
        x = self.bn3(self.conv_pwl(self.se(x), routing))
        return self._residual(x, shortcut)


class EdgeResidual(_Block):
    """Fused-MBConv: a dense kxk expansion conv replaces the 1x1 expand + depthwise pair.

    ``force_in_chs`` sizes the expansion from a width other than the input (EfficientNet-EdgeTPU).
    """

    def __init__(
        self, in_chs: int, out_chs: int, exp_kernel_size: int = 3, stride: int = 1, dilation: int = 1,
        group_size: int = 0, pad_type: str = "", force_in_chs: int = 0, noskip: bool = False,
        exp_ratio: float = 1.0, pw_kernel_size: int = 1, act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d, aa_layer: Optional[LayerFn] = None, se_layer: Optional[LayerFn] = None,
        drop_path_rate: float = 0.0, mid_chs: Optional[int] = None, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        mid_chs = mid_chs or make_divisible((force_in_chs or in_chs) * exp_ratio)
        self.has_skip = (in_chs == out_chs and stride == 1) and not noskip
        use_aa = aa_layer is not None and stride > 1
        self.conv_exp = create_conv2d(in_chs, mid_chs, exp_kernel_size, stride=1 if use_aa else stride,
                                      dilation=dilation, groups=num_groups(group_size, in_chs), padding=pad_type, **dd)
        self.bn1 = norm_layer(mid_chs, act_layer=act_layer, inplace=True, **dd)
        self.aa = create_aa(aa_layer, channels=mid_chs, stride=stride, enable=use_aa, **dd)
        self.se = se_layer(mid_chs, act_layer=act_layer, **dd) if se_layer else nn.Identity()
        self.conv_pwl = create_conv2d(mid_chs, out_chs, pw_kernel_size, padding=pad_type, **dd)
        self.bn2 = norm_layer(out_chs, act_layer=act_layer, inplace=True, apply_act=False, **dd)
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        if location == "expansion":
            return dict(module="conv_pwl", hook_type="forward_pre", num_chs=self.conv_pwl.in_channels)
        return dict(module="", num_chs=self.conv_pwl.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.aa(self.bn1(self.conv_exp(x)))
        x = self.bn2(self.conv_pwl(self.se(x)))
        return self._residual(x, shortcut)


class LayerScale2d(nn.Module):
    """Per-channel learned scale of a residual branch (``gamma``), NCHW."""

    def __init__(self, dim: int, init_values: float = 1e-5, device: Any = None, dtype: Any = None):
        super().__init__()
        self.gamma = nn.Parameter(init_values * torch.ones(dim, device=device, dtype=dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma.view(1, -1, 1, 1)


class UniversalInvertedResidual(_Block):
    """MobileNetV4's UIB: optional depthwise convs before the expansion (``dw_kernel_size_start``),
    between expansion and projection (``dw_kernel_size_mid``) and after the projection
    (``dw_kernel_size_end``); 0 leaves a conv out. The first depthwise conv present takes the stride.
    """

    def __init__(
        self, in_chs: int, out_chs: int, dw_kernel_size_start: int = 0, dw_kernel_size_mid: int = 3,
        dw_kernel_size_end: int = 0, stride: int = 1, dilation: int = 1, group_size: int = 1, pad_type: str = "",
        noskip: bool = False, exp_ratio: float = 1.0, act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d, aa_layer: Optional[LayerFn] = None, se_layer: Optional[LayerFn] = None,
        layer_scale_init_value: Optional[float] = 1e-5, drop_path_rate: float = 0.0,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.has_skip = (in_chs == out_chs and stride == 1) and not noskip
        if stride > 1 and not (dw_kernel_size_start or dw_kernel_size_mid or dw_kernel_size_end):
            raise ValueError("a strided UniversalInvertedResidual needs at least one depthwise conv")
        cna = dict(norm_layer=norm_layer, act_layer=act_layer, padding=pad_type, **dd)

        if dw_kernel_size_start:
            self.dw_start = ConvNormAct(
                in_chs, in_chs, dw_kernel_size_start, stride=stride if not dw_kernel_size_mid else 1,
                dilation=dilation, groups=num_groups(group_size, in_chs), apply_act=False, **cna)
        else:
            self.dw_start = nn.Identity()
        mid_chs = make_divisible(in_chs * exp_ratio)
        self.pw_exp = ConvNormAct(in_chs, mid_chs, 1, **cna)
        if dw_kernel_size_mid:
            self.dw_mid = ConvNormAct(mid_chs, mid_chs, dw_kernel_size_mid, stride=stride, dilation=dilation,
                                      groups=num_groups(group_size, mid_chs), aa_layer=aa_layer, **cna)
        else:
            self.dw_mid = nn.Identity()
        self.se = se_layer(mid_chs, act_layer=act_layer, **dd) if se_layer else nn.Identity()
        self.pw_proj = ConvNormAct(mid_chs, out_chs, 1, apply_act=False, **cna)
        if dw_kernel_size_end:
            end_stride = stride if not (dw_kernel_size_start or dw_kernel_size_mid) else 1
            self.dw_end = ConvNormAct(out_chs, out_chs, dw_kernel_size_end, stride=end_stride, dilation=dilation,
                                      groups=num_groups(group_size, out_chs), apply_act=False, **cna)
        else:
            self.dw_end = nn.Identity()
        self.layer_scale = (LayerScale2d(out_chs, layer_scale_init_value, **dd)
                            if layer_scale_init_value is not None else nn.Identity())
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        if location == "expansion":
            return dict(module="pw_proj.conv", hook_type="forward_pre", num_chs=self.pw_proj.conv.in_channels)
        return dict(module="", num_chs=self.pw_proj.conv.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.dw_mid(self.pw_exp(self.dw_start(x)))
        x = self.layer_scale(self.dw_end(self.pw_proj(self.se(x))))
        return self._residual(x, shortcut)


class MobileAttention(_Block):
    """MobileNetV4's attention block: norm -> multi-query attention -> layer scale, residual."""

    def __init__(
        self, in_chs: int, out_chs: int, stride: int = 1, dw_kernel_size: int = 3, dilation: int = 1,
        group_size: int = 1, pad_type: str = "", num_heads: int = 8, key_dim: int = 64, value_dim: int = 64,
        use_multi_query: bool = True, query_strides: Union[int, Sequence[int]] = (1, 1), kv_stride: int = 1,
        cpe_dw_kernel_size: int = 3, noskip: bool = False, act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d, aa_layer: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
        attn_drop: float = 0.0, proj_drop: float = 0.0, layer_scale_init_value: Optional[float] = 1e-5,
        use_bias: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if not use_multi_query:
            raise NotImplementedError("MobileAttention is implemented for multi-query attention only")
        self.has_skip = (stride == 1 and in_chs == out_chs) and not noskip
        self.norm = norm_layer(in_chs, apply_act=False, **dd)
        # the attention's own norms (strided keys/values) are plain norms: no activation
        self.attn = MultiQueryAttention2d(
            in_chs, dim_out=out_chs, num_heads=num_heads, key_dim=key_dim, value_dim=value_dim,
            query_strides=query_strides, kv_stride=kv_stride, dilation=dilation, padding=pad_type,
            dw_kernel_size=dw_kernel_size, attn_drop=attn_drop, proj_drop=proj_drop,
            norm_layer=lambda c, **kw: norm_layer(c, apply_act=False, **kw), use_bias=use_bias, **dd)
        self.layer_scale = (LayerScale2d(out_chs, layer_scale_init_value, **dd)
                            if layer_scale_init_value is not None else nn.Identity())
        self.drop_path = _drop_path(drop_path_rate)

    def feature_info(self, location: str) -> dict:
        return dict(module="", num_chs=self.attn.output.proj.out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.layer_scale(self.attn(self.norm(x)))
        return self._residual(x, shortcut)
