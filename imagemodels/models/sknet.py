"""SKNet: a ResNet / ResNeXt whose 3x3 conv is a selective-kernel conv (a 3x3 and a dilated 3x3
path fused by attention over the paths). Checkpoint-compatible with timm's ``sknet`` module.

Li et al., "Selective Kernel Networks", 2019 (arXiv:1903.06586).

The network is :class:`~imagemodels.models.resnet.ResNet` with :class:`SelectiveKernelBasic` or
:class:`SelectiveKernelBottleneck` blocks; ``block_args=dict(sk_kwargs=...)`` sizes the attention.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, Optional

import torch
from torch import nn

from imagemodels.layers import ConvNormAct, SelectiveKernel, create_attn, factory_kwargs

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .resnet import ResNet

__all__ = ["SelectiveKernelBasic", "SelectiveKernelBottleneck"]


class SelectiveKernelBasic(nn.Module):
    """BasicBlock with the first 3x3 conv a selective-kernel conv."""

    expansion = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        cardinality: int = 1,
        base_width: int = 64,
        sk_kwargs: Optional[Dict[str, Any]] = None,
        reduce_first: int = 1,
        dilation: int = 1,
        first_dilation: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        attn_layer: Optional[Callable[..., nn.Module]] = None,
        aa_layer: Optional[Callable[..., nn.Module]] = None,
        drop_block: Optional[Callable[[], nn.Module]] = None,
        drop_path: Optional[nn.Module] = None,
        widths: Any = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if cardinality != 1 or base_width != 64:
            raise ValueError("SelectiveKernelBasic needs cardinality=1 and base_width=64; use the bottleneck block")
        if widths is not None:
            raise ValueError("SelectiveKernelBasic does not support block_widths")
        dd = factory_kwargs(device, dtype)
        conv_kwargs = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        first_planes = planes // reduce_first
        outplanes = planes * self.expansion
        first_dilation = first_dilation or dilation
        self.conv1 = SelectiveKernel(
            inplanes, first_planes, stride=stride, dilation=first_dilation, aa_layer=aa_layer, drop_layer=drop_block,
            **conv_kwargs, **(sk_kwargs or {}))
        self.conv2 = ConvNormAct(first_planes, outplanes, kernel_size=3, dilation=dilation, apply_act=False, **conv_kwargs)
        self.se = create_attn(attn_layer, outplanes, **dd)
        self.act = act_layer(inplace=True)
        self.downsample = downsample
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.conv2.bn, "weight", None) is not None:
            nn.init.zeros_(self.conv2.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv2(self.conv1(x))
        if self.se is not None:
            x = self.se(x)
        if self.drop_path is not None:
            x = self.drop_path(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x += shortcut
        return self.act(x)


class SelectiveKernelBottleneck(nn.Module):
    """Bottleneck with the 3x3 conv a selective-kernel conv (grouped for SK-ResNeXt)."""

    expansion = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        cardinality: int = 1,
        base_width: int = 64,
        sk_kwargs: Optional[Dict[str, Any]] = None,
        reduce_first: int = 1,
        dilation: int = 1,
        first_dilation: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        attn_layer: Optional[Callable[..., nn.Module]] = None,
        aa_layer: Optional[Callable[..., nn.Module]] = None,
        drop_block: Optional[Callable[[], nn.Module]] = None,
        drop_path: Optional[nn.Module] = None,
        widths: Any = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if widths is not None:
            raise ValueError("SelectiveKernelBottleneck does not support block_widths")
        dd = factory_kwargs(device, dtype)
        conv_kwargs = dict(act_layer=act_layer, norm_layer=norm_layer, **dd)
        width = int(math.floor(planes * (base_width / 64)) * cardinality)
        first_planes = width // reduce_first
        outplanes = planes * self.expansion
        first_dilation = first_dilation or dilation
        self.conv1 = ConvNormAct(inplanes, first_planes, kernel_size=1, **conv_kwargs)
        self.conv2 = SelectiveKernel(
            first_planes, width, stride=stride, dilation=first_dilation, groups=cardinality, aa_layer=aa_layer,
            drop_layer=drop_block, **conv_kwargs, **(sk_kwargs or {}))
        self.conv3 = ConvNormAct(width, outplanes, kernel_size=1, apply_act=False, **conv_kwargs)
        self.se = create_attn(attn_layer, outplanes, **dd)
        self.act = act_layer(inplace=True)
        self.downsample = downsample
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.conv3.bn, "weight", None) is not None:
            nn.init.zeros_(self.conv3.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv3(self.conv2(self.conv1(x)))
        if self.se is not None:
            x = self.se(x)
        if self.drop_path is not None:
            x = self.drop_path(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x += shortcut
        return self.act(x)


# --- variants ---------------------------------------------------------------------------------------
# The basic-block nets use a wider attention bottleneck (1/8, at least 16) and split the input
# between the two paths; SK-ResNeXt feeds both paths the whole input.

_SK_BASIC = dict(rd_ratio=1 / 8, rd_divisor=16, split_input=True)
_SK_X = dict(rd_ratio=1 / 16, rd_divisor=32, split_input=False)

SKNETS: Dict[str, Dict[str, Any]] = {
    "skresnet18": dict(
        block=SelectiveKernelBasic, layers=(2, 2, 2, 2), block_args=dict(sk_kwargs=_SK_BASIC), zero_init_last=False),
    "skresnet34": dict(
        block=SelectiveKernelBasic, layers=(3, 4, 6, 3), block_args=dict(sk_kwargs=_SK_BASIC), zero_init_last=False),
    "skresnet50": dict(
        block=SelectiveKernelBottleneck, layers=(3, 4, 6, 3), block_args=dict(sk_kwargs=dict(split_input=True)),
        zero_init_last=False),
    "skresnet50d": dict(
        block=SelectiveKernelBottleneck, layers=(3, 4, 6, 3), stem_width=32, stem_type="deep", avg_down=True,
        block_args=dict(sk_kwargs=dict(split_input=True)), zero_init_last=False),
    "skresnext50_32x4d": dict(
        block=SelectiveKernelBottleneck, layers=(3, 4, 6, 3), cardinality=32, base_width=4,
        block_args=dict(sk_kwargs=_SK_X), zero_init_last=False),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bicubic", first_conv="conv1", classifier="fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


default_cfgs = generate_default_cfgs({
    "skresnet18.ra_in1k": _cfg(),
    "skresnet34.ra_in1k": _cfg(),
    "skresnet50.untrained": _cfg(hf_hub_id=None),
    "skresnet50d.untrained": _cfg(hf_hub_id=None, first_conv="conv1.0"),
    "skresnext50_32x4d.ra_in1k": _cfg(),
})


def _create_sknet(variant: str, pretrained: bool = False, **kwargs: Any) -> ResNet:
    return build_model_with_cfg(ResNet, variant, pretrained, **kwargs)


register_variants(SKNETS, _create_sknet, globals())
