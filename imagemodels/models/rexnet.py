"""ReXNet: MobileNetV2-style inverted residuals whose widths grow linearly block by block, with SiLU
expansions, ReLU6 after the depthwise conv and SE in the later stages. ``rexnetr_*`` round every width
to a multiple of 8. Checkpoint-compatible with timm's ``rexnet`` module.

Paper: Han et al., "Rethinking Channel Dimensions for Efficient Model Design", 2020 (arXiv:2007.00992).
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    ClassifierHead, ConvNormAct, DropPath, SEModule, factory_kwargs, get_act_layer, make_divisible,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["RexNet", "LinearBottleneck"]

# the network's blocks per stage, their strides, and which stages use SE (the paper's layout)
_DEPTHS = (1, 2, 2, 3, 3, 5)
_STRIDES = (1, 2, 2, 2, 1, 2)
_USE_SE = (False, False, True, True, True, True)


def _divisible(v: float, divisor: int) -> int:
    return make_divisible(v, divisor) if divisor > 1 else int(round(v))


class LinearBottleneck(nn.Module):
    """Expand (1x1, SiLU) -> depthwise 3x3 -> SE -> ReLU6 -> project (1x1, linear).

    The shortcut adds the input to the first ``in_chs`` output channels only, since the output is
    wider than the input (the widths grow every block).
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        stride: int,
        dilation: Tuple[int, int] = (1, 1),
        exp_ratio: float = 1.0,
        se_ratio: float = 0.0,
        ch_div: int = 1,
        act_layer: Any = nn.SiLU,
        dw_act_layer: Any = nn.ReLU6,
        drop_path: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        # ``dilation`` = (this block's, the next blocks'): a rise means output_stride turned this
        # block's stride into dilation; the shortcut still follows the nominal stride
        self.use_shortcut = stride == 1 and in_chs <= out_chs
        conv_stride = 1 if dilation[1] > dilation[0] else stride
        self.in_channels, self.out_channels = in_chs, out_chs
        if exp_ratio != 1.0:
            dw_chs = _divisible(in_chs * exp_ratio, ch_div)
            self.conv_exp = ConvNormAct(in_chs, dw_chs, act_layer=act_layer, **dd)
        else:
            dw_chs = in_chs
            self.conv_exp = None
        self.conv_dw = ConvNormAct(
            dw_chs, dw_chs, 3, stride=conv_stride, dilation=dilation[0], groups=dw_chs, apply_act=False, **dd)
        if se_ratio > 0:
            rd = _divisible(int(dw_chs * se_ratio), ch_div)
            self.se = SEModule(dw_chs, rd_channels=rd, norm_layer=nn.BatchNorm2d, **dd)
        else:
            self.se = None
        self.act_dw = dw_act_layer()
        self.conv_pwl = ConvNormAct(dw_chs, out_chs, 1, apply_act=False, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        if self.conv_exp is not None:
            x = self.conv_exp(x)
        x = self.conv_dw(x)
        if self.se is not None:
            x = self.se(x)
        x = self.conv_pwl(self.act_dw(x))
        if self.use_shortcut:
            x = self.drop_path(x)
            x = torch.cat([x[:, :self.in_channels] + shortcut, x[:, self.in_channels:]], dim=1)
        return x


class RexNet(nn.Module):
    """Stem -> 16 linearly widening bottlenecks (``features.0``-``features.15``) -> 1x1 conv to
    ``1280 * width_mult`` (``features.16``) -> pooled classifier.

    Block ``i`` of ``n`` is ``initial_chs + i * final_chs / n`` channels wide, scaled by ``width_mult``
    (and rounded to ``ch_div``).
    """

    def __init__(
        self,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        output_stride: int = 32,
        initial_chs: int = 16,
        final_chs: int = 180,
        width_mult: float = 1.0,
        depth_mult: float = 1.0,
        se_ratio: float = 1 / 12.0,
        ch_div: int = 1,
        act_layer: Any = "swish",
        dw_act_layer: Any = "relu6",
        drop_rate: float = 0.2,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        act_layer, dw_act_layer = get_act_layer(act_layer), get_act_layer(dw_act_layer)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        stem_chs = _divisible(32 * width_mult, ch_div)
        self.stem = ConvNormAct(in_chans, stem_chs, 3, stride=2, act_layer=act_layer, **dd)

        depths = [math.ceil(d * depth_mult) for d in _DEPTHS]
        strides = [s for d, s in zip(depths, _STRIDES) for s in [s] + [1] * (d - 1)]
        use_se = [u for d, u in zip(depths, _USE_SE) for _ in range(d)]
        exp_ratios = [1.0] * depths[0] + [6.0] * (sum(depths) - depths[0])
        num_blocks = sum(depths)

        blocks, self.feature_info = [], []
        in_chs, net_stride, dilation = stem_chs, 2, 1
        for i in range(num_blocks):
            base = initial_chs + i * final_chs / num_blocks
            out_chs = _divisible(round(base * width_mult), ch_div)
            stride = strides[i]
            # past output_stride a block keeps stride 1 and the *next* blocks dilate (the first keeps the old rate)
            block_dilation = dilation
            if stride > 1 and net_stride * stride > output_stride:
                dilation *= stride
            else:
                net_stride *= stride
            dpr = drop_path_rate * i / max(num_blocks - 1, 1)
            blocks.append(LinearBottleneck(
                in_chs, out_chs, stride, dilation=(block_dilation, dilation), exp_ratio=exp_ratios[i],
                se_ratio=se_ratio if use_se[i] else 0.0, ch_div=ch_div, act_layer=act_layer,
                dw_act_layer=dw_act_layer, drop_path=dpr, **dd))
            # a feature point at the end of each resolution: before the next stride-2 block, and the last block
            if i == num_blocks - 1 or strides[i + 1] > 1:
                self.feature_info.append(dict(num_chs=out_chs, reduction=net_stride, module=f"features.{i}"))
            in_chs = out_chs
        self.num_features = self.head_hidden_size = _divisible(1280 * width_mult, ch_div)
        blocks.append(ConvNormAct(in_chs, self.num_features, act_layer=act_layer, **dd))
        self.features = nn.Sequential(*blocks)
        self.head = ClassifierHead(self.num_features, num_classes, global_pool, drop_rate=drop_rate, **dd)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^stem", blocks=r"^features\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

    def _stage_ends(self) -> List[int]:
        return [int(f["module"].split(".")[-1]) for f in self.feature_info]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the ``feature_info`` points; the final features include the head conv."""
        if output_fmt != "NCHW":
            raise ValueError(f"RexNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        ends = self._stage_ends()
        take_indices, max_index = feature_take_indices(len(ends), indices)
        take_blocks = {ends[i] for i in take_indices}
        last = ends[max_index] if stop_early else len(self.features) - 1
        intermediates = []
        x = self.stem(x)
        for i, block in enumerate(self.features[:last + 1]):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
            if i in take_blocks:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        ends = self._stage_ends()
        take_indices, max_index = feature_take_indices(len(ends), indices)
        self.features = self.features[:ends[max_index] + 1]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.features, x)
        return self.features(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

REXNETS: Dict[str, Dict[str, Any]] = {
    **{f"rexnet_{int(w * 100)}": dict(width_mult=w) for w in (1.0, 1.3, 1.5, 2.0, 3.0)},
    **{f"rexnetr_{int(w * 100)}": dict(width_mult=w, ch_div=8) for w in (1.0, 1.3, 1.5, 2.0)},
    "rexnetr_300": dict(width_mult=3.0, ch_div=16),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7),
        first_conv="stem.conv", classifier="head.fc", license="mit",
    )
    cfg.update(kwargs)
    return cfg


_SW = dict(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0, license="apache-2.0")
REXNET_WEIGHTS = {
    "rexnet_100.nav_in1k": _cfg(),
    "rexnet_130.nav_in1k": _cfg(),
    "rexnet_150.nav_in1k": _cfg(),
    "rexnet_200.nav_in1k": _cfg(),
    "rexnet_300.nav_in1k": _cfg(),
    "rexnetr_100.untrained": _cfg(hf_hub_id=None),
    "rexnetr_130.untrained": _cfg(hf_hub_id=None),
    "rexnetr_150.untrained": _cfg(hf_hub_id=None),
    "rexnetr_200.sw_in12k_ft_in1k": _cfg(**_SW),
    "rexnetr_200.sw_in12k": _cfg(num_classes=11821, **_SW),
    "rexnetr_300.sw_in12k_ft_in1k": _cfg(**_SW),
    "rexnetr_300.sw_in12k": _cfg(num_classes=11821, **_SW),
}

default_cfgs = generate_default_cfgs(REXNET_WEIGHTS)


def _create_rexnet(variant: str, pretrained: bool = False, **kwargs: Any) -> RexNet:
    return build_model_with_cfg(
        RexNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(REXNETS, _create_rexnet, globals())
