"""ResNeSt: a ResNet-D whose bottleneck 3x3 conv is a split-attention conv (``radix`` splits per
cardinal group weighed by a softmax attention), with average-pool downsampling in the block.
Checkpoint-compatible with timm's ``resnest`` module.

Zhang et al., "ResNeSt: Split-Attention Networks", 2020 (arXiv:2004.08955).

The network is :class:`~imagemodels.models.resnet.ResNet` with :class:`ResNestBottleneck` blocks.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import torch
from torch import nn

from imagemodels.layers import SplitAttn, create_attn, factory_kwargs

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .resnet import ResNet

__all__ = ["ResNestBottleneck"]


class ResNestBottleneck(nn.Module):
    """1x1 reduce, split-attention 3x3, 1x1 expand by 4.

    With ``avd`` a strided block keeps its convs at stride 1 and downsamples by a 3x3 average pool,
    before the 3x3 conv (``avd_first``) or after it.
    """

    expansion = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        radix: int = 1,
        cardinality: int = 1,
        base_width: int = 64,
        avd: bool = False,
        avd_first: bool = False,
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
            raise ValueError("ResNestBottleneck supports neither block_widths, aa_layer nor block_reduce_first")
        if radix < 1:
            raise ValueError(f"radix must be >= 1 (1 = sigmoid gate, >1 = softmax over splits), got {radix}")
        dd = factory_kwargs(device, dtype)
        group_width = int(planes * (base_width / 64.0)) * cardinality
        first_dilation = first_dilation or dilation
        avd_stride = 0
        if avd and stride > 1:
            avd_stride, stride = stride, 1
        self.radix = radix

        self.conv1 = nn.Conv2d(inplanes, group_width, kernel_size=1, bias=False, **dd)
        self.bn1 = norm_layer(group_width, **dd)
        self.act1 = act_layer(inplace=True)
        self.avd_first = nn.AvgPool2d(3, avd_stride, padding=1) if avd_stride and avd_first else None
        self.conv2 = SplitAttn(
            group_width, group_width, kernel_size=3, stride=stride, padding=first_dilation, dilation=first_dilation,
            groups=cardinality, radix=radix, act_layer=act_layer, norm_layer=norm_layer, drop_layer=drop_block, **dd)
        # SplitAttn carries its own norm and act: these keep the plain bottleneck's layout
        self.bn2 = nn.Identity()
        self.drop_block = nn.Identity()
        self.act2 = nn.Identity()
        self.avd_last = nn.AvgPool2d(3, avd_stride, padding=1) if avd_stride and not avd_first else None
        self.conv3 = nn.Conv2d(group_width, planes * 4, kernel_size=1, bias=False, **dd)
        self.bn3 = norm_layer(planes * 4, **dd)
        self.se = create_attn(attn_layer, planes * 4, **dd)
        self.act3 = act_layer(inplace=True)
        self.downsample = downsample
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.bn3, "weight", None) is not None:
            nn.init.zeros_(self.bn3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        out = self.act1(self.bn1(self.conv1(x)))
        if self.avd_first is not None:
            out = self.avd_first(out)
        out = self.conv2(out)
        if self.avd_last is not None:
            out = self.avd_last(out)
        out = self.bn3(self.conv3(out))
        if self.se is not None:
            out = self.se(out)
        if self.drop_path is not None:
            out = self.drop_path(out)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        out += shortcut
        return self.act3(out)


# --- variants ---------------------------------------------------------------------------------------
# 'd': 32-wide deep stem; 'e': 64-wide deep stem; '<r>s<c>x<w>d': radix r, cardinality c, width w.

def _rs(layers, stem_width: int = 32, radix: int = 2, avd_first: bool = False, **kwargs: Any) -> Dict[str, Any]:
    return dict(
        block=ResNestBottleneck, layers=layers, stem_type="deep", stem_width=stem_width, avg_down=True,
        block_args=dict(radix=radix, avd=True, avd_first=avd_first), **kwargs)


RESNESTS: Dict[str, Dict[str, Any]] = {
    "resnest14d": _rs((1, 1, 1, 1)),
    "resnest26d": _rs((2, 2, 2, 2)),
    "resnest50d": _rs((3, 4, 6, 3)),
    "resnest101e": _rs((3, 4, 23, 3), stem_width=64),
    "resnest200e": _rs((3, 24, 36, 3), stem_width=64),
    "resnest269e": _rs((3, 30, 48, 8), stem_width=64),
    "resnest50d_4s2x40d": _rs((3, 4, 6, 3), radix=4, avd_first=True, cardinality=2, base_width=40),
    "resnest50d_1s4x24d": _rs((3, 4, 6, 3), radix=1, avd_first=True, cardinality=4, base_width=24),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", first_conv="conv1.0", classifier="fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


default_cfgs = generate_default_cfgs({
    "resnest14d.gluon_in1k": _cfg(),
    "resnest26d.gluon_in1k": _cfg(),
    "resnest50d.in1k": _cfg(),
    "resnest101e.in1k": _cfg(input_size=(3, 256, 256), pool_size=(8, 8)),
    "resnest200e.in1k": _cfg(input_size=(3, 320, 320), pool_size=(10, 10), crop_pct=0.909, interpolation="bicubic"),
    "resnest269e.in1k": _cfg(input_size=(3, 416, 416), pool_size=(13, 13), crop_pct=0.928, interpolation="bicubic"),
    "resnest50d_4s2x40d.in1k": _cfg(interpolation="bicubic"),
    "resnest50d_1s4x24d.in1k": _cfg(interpolation="bicubic"),
})


def _create_resnest(variant: str, pretrained: bool = False, **kwargs: Any) -> ResNet:
    return build_model_with_cfg(ResNet, variant, pretrained, **kwargs)


register_variants(RESNESTS, _create_resnest, globals())
