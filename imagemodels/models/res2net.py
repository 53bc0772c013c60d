"""Res2Net: a ResNet whose bottleneck 3x3 conv is split into ``scale`` channel groups joined like a
small residual ladder, so one block sees several receptive-field sizes. Checkpoint-compatible with
timm's ``res2net`` module.

Gao et al., "Res2Net: A New Multi-scale Backbone Architecture", 2019 (arXiv:1904.01169).

The network is :class:`~imagemodels.models.resnet.ResNet` with :class:`Bottle2neck` blocks.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, Optional

import torch
from torch import nn

from imagemodels.layers import create_attn, factory_kwargs

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .resnet import ResNet

__all__ = ["Bottle2neck"]


class Bottle2neck(nn.Module):
    """1x1 conv to ``scale`` groups of ``width`` channels; group i (i < scale - 1) gets a 3x3 conv of
    itself plus the previous group's output; the last group passes through (average-pooled when the
    block changes resolution or width, where the ladder is not used). Then 1x1 expand by 4."""

    expansion = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        cardinality: int = 1,
        base_width: int = 26,
        scale: int = 4,
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
        if widths is not None or aa_layer is not None or reduce_first != 1:
            raise ValueError("Bottle2neck supports neither block_widths, aa_layer nor block_reduce_first")
        dd = factory_kwargs(device, dtype)
        self.scale = scale
        # the first block of a stage (new width or stride) runs its groups independently
        self.is_first = stride > 1 or downsample is not None
        self.num_scales = max(1, scale - 1)
        width = int(math.floor(planes * (base_width / 64.0))) * cardinality
        self.width = width
        outplanes = planes * self.expansion
        first_dilation = first_dilation or dilation

        self.conv1 = nn.Conv2d(inplanes, width * scale, kernel_size=1, bias=False, **dd)
        self.bn1 = norm_layer(width * scale, **dd)
        self.convs = nn.ModuleList([
            nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=first_dilation, dilation=first_dilation,
                      groups=cardinality, bias=False, **dd)
            for _ in range(self.num_scales)
        ])
        self.bns = nn.ModuleList([norm_layer(width, **dd) for _ in range(self.num_scales)])
        self.drop_block = drop_block() if drop_block is not None else nn.Identity()
        # the pass-through group must match the strided groups' resolution
        self.pool = nn.AvgPool2d(kernel_size=3, stride=stride, padding=1) if self.is_first else None
        self.conv3 = nn.Conv2d(width * scale, outplanes, kernel_size=1, bias=False, **dd)
        self.bn3 = norm_layer(outplanes, **dd)
        self.se = create_attn(attn_layer, outplanes, **dd)
        self.relu = act_layer(inplace=True)
        self.downsample = downsample
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.bn3, "weight", None) is not None:
            nn.init.zeros_(self.bn3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        out = self.relu(self.bn1(self.conv1(x)))
        groups = torch.split(out, self.width, 1)
        outs = []
        sp = groups[0]
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            sp = groups[i] if i == 0 or self.is_first else sp + groups[i]
            sp = self.relu(bn(conv(sp)))
            outs.append(sp)
        if self.scale > 1:
            outs.append(self.pool(groups[-1]) if self.pool is not None else groups[-1])
        out = torch.cat(outs, 1)
        out = self.drop_block(self.bn3(self.conv3(out)))
        if self.se is not None:
            out = self.se(out)
        if self.drop_path is not None:
            out = self.drop_path(out)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        out += shortcut
        return self.relu(out)


# --- variants ---------------------------------------------------------------------------------------
# '<w>w_<s>s': base width w per group, s groups; 'd': deep stem + average-pool shortcut.

_R50, _R101 = (3, 4, 6, 3), (3, 4, 23, 3)
_D = dict(stem_type="deep", stem_width=32, avg_down=True)


def _r2(layers, width: int, scale: int, **kwargs: Any) -> Dict[str, Any]:
    return dict(block=Bottle2neck, layers=layers, base_width=width, block_args=dict(scale=scale), **kwargs)


RES2NETS: Dict[str, Dict[str, Any]] = {
    "res2net50_26w_4s": _r2(_R50, 26, 4),
    "res2net101_26w_4s": _r2(_R101, 26, 4),
    "res2net50_26w_6s": _r2(_R50, 26, 6),
    "res2net50_26w_8s": _r2(_R50, 26, 8),
    "res2net50_48w_2s": _r2(_R50, 48, 2),
    "res2net50_14w_8s": _r2(_R50, 14, 8),
    "res2next50": _r2(_R50, 4, 4, cardinality=8),
    "res2net50d": _r2(_R50, 26, 4, **_D),
    "res2net101d": _r2(_R101, 26, 4, **_D),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", first_conv="conv1", classifier="fc", license="unknown",
    )
    cfg.update(kwargs)
    return cfg


default_cfgs = generate_default_cfgs({
    "res2net50_26w_4s.in1k": _cfg(),
    "res2net50_48w_2s.in1k": _cfg(),
    "res2net50_14w_8s.in1k": _cfg(),
    "res2net50_26w_6s.in1k": _cfg(),
    "res2net50_26w_8s.in1k": _cfg(),
    "res2net101_26w_4s.in1k": _cfg(),
    "res2next50.in1k": _cfg(),
    "res2net50d.in1k": _cfg(first_conv="conv1.0"),
    "res2net101d.in1k": _cfg(first_conv="conv1.0"),
})


def _create_res2net(variant: str, pretrained: bool = False, **kwargs: Any) -> ResNet:
    return build_model_with_cfg(ResNet, variant, pretrained, **kwargs)


register_variants(RES2NETS, _create_res2net, globals())
