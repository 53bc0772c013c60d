"""TResNet: a ResNet redesigned for GPU throughput. A space-to-depth stem replaces the 7x7 conv and
max pool, anti-aliased (blur) downsampling, in-place-ABN style norm + leaky ReLU, SE attention in the
first three stages, basic blocks in the early stages of the v1 nets. Checkpoint-compatible with
timm's ``tresnet`` module (weights from Alibaba-MIIL).

Paper: Ridnik et al., "TResNet: High Performance GPU-Dedicated Architecture", 2020 (arXiv:2003.13630)

The original inplace-ABN (norm + leaky ReLU fused in place, to save memory) is modelled as
``BatchNormAct2d`` with a leaky ReLU: same parameters, same outputs.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, Union

import torch
from torch import nn

from imagemodels.layers import (
    BlurPool2d, ClassifierHead, ConvNormAct, DropPath, SEModule, SpaceToDepth, factory_kwargs,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["TResNet", "BasicBlock", "Bottleneck"]

LayerFn = Callable[..., nn.Module]

# leaky ReLU slopes of the pretrained nets: the stem keeps PyTorch's default, the blocks use 1e-3
_STEM_ACT = dict(act_layer=nn.LeakyReLU, act_kwargs=dict(negative_slope=1e-2))
_BLOCK_ACT = dict(act_layer=nn.LeakyReLU, act_kwargs=dict(negative_slope=1e-3))
_AA = partial(BlurPool2d, filt_size=3)


def _conv(in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, act: bool = True, **dd: Any) -> ConvNormAct:
    """Conv -> BN (+ leaky ReLU); a stride-2 conv runs at stride 1 and a 3x3 blur pool downsamples."""
    if act:
        return ConvNormAct(in_chs, out_chs, kernel_size, stride=stride, aa_layer=_AA, **_BLOCK_ACT, **dd)
    return ConvNormAct(in_chs, out_chs, kernel_size, stride=stride, apply_act=False, **dd)


def _downsample(in_chs: int, out_chs: int, stride: int, **dd: Any) -> nn.Sequential:
    """Shortcut projection: a 2x2 average pool when striding (ResNet-D style), then 1x1 conv + BN."""
    layers: List[nn.Module] = []
    if stride == 2:
        layers.append(nn.AvgPool2d(kernel_size=2, stride=2, ceil_mode=True, count_include_pad=False))
    layers.append(_conv(in_chs, out_chs, 1, act=False, **dd))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    """Two 3x3 convs with SE on the second's output (SE width ``max(planes / 4, 64)``)."""

    expansion = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 use_se: bool = True, drop_path_rate: float = 0.0, **dd: Any):
        super().__init__()
        self.downsample = downsample
        self.conv1 = _conv(inplanes, planes, 3, stride=stride, **dd)
        self.conv2 = _conv(planes, planes, 3, act=False, **dd)
        self.act = nn.ReLU(inplace=True)
        rd = max(planes * self.expansion // 4, 64)
        self.se = SEModule(planes * self.expansion, rd_channels=rd, **dd) if use_se else None
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0.0 else nn.Identity()

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv2.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = self.downsample(x) if self.downsample is not None else x
        out = self.conv2(self.conv1(x))
        if self.se is not None:
            out = self.se(out)
        return self.act(self.drop_path(out) + shortcut)


class Bottleneck(nn.Module):
    """1x1 -> 3x3 (anti-aliased when strided) -> SE -> 1x1 expand by 4 (SE width ``max(4 * planes / 8, 64)``)."""

    expansion = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 use_se: bool = True, drop_path_rate: float = 0.0, **dd: Any):
        super().__init__()
        self.downsample = downsample
        self.conv1 = _conv(inplanes, planes, 1, **dd)
        self.conv2 = _conv(planes, planes, 3, stride=stride, **dd)
        rd = max(planes * self.expansion // 8, 64)
        self.se = SEModule(planes, rd_channels=rd, **dd) if use_se else None
        self.conv3 = _conv(planes, planes * self.expansion, 1, act=False, **dd)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0.0 else nn.Identity()
        self.act = nn.ReLU(inplace=True)

    def zero_init_last(self) -> None:
        nn.init.zeros_(self.conv3.bn.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = self.downsample(x) if self.downsample is not None else x
        out = self.conv2(self.conv1(x))
        if self.se is not None:
            out = self.se(out)
        out = self.conv3(out)
        return self.act(self.drop_path(out) + shortcut)


class TResNet(nn.Module):
    """``body`` = space-to-depth (x4) -> 3x3 stem conv -> ``layer1``..``layer4``; then a fast global
    average pool and a linear classifier.

    ``layers`` blocks per stage, ``width_factor`` scales the base width 64, ``v2`` uses bottlenecks in
    every stage (TResNet-v2); otherwise stages 1-2 are basic blocks. SE in stages 1-3, not in 4.
    """

    def __init__(
        self,
        layers: Sequence[int],
        in_chans: int = 3,
        num_classes: int = 1000,
        width_factor: float = 1.0,
        v2: bool = False,
        global_pool: str = "fast",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        output_stride: int = 32,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"TResNet supports output_stride=32 only, got {output_stride}")
        if len(layers) != 4:
            raise ValueError(f"layers needs 4 entries (blocks per stage), got {len(layers)}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        width = int(64 * width_factor)
        block_fns: Sequence[Type[nn.Module]] = (
            (Bottleneck,) * 4 if v2 else (BasicBlock, BasicBlock, Bottleneck, Bottleneck))
        total = sum(layers)
        dpr = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]

        body: Dict[str, nn.Module] = {
            "s2d": SpaceToDepth(4),
            "conv1": ConvNormAct(in_chans * 16, width, 3, **_STEM_ACT, **dd),
        }
        self.feature_info = [dict(num_chs=width, reduction=4, module="body.conv1")]
        inplanes, start, reduction = width, 0, 4
        for i, (block_fn, num_blocks) in enumerate(zip(block_fns, layers)):
            planes = width * 2 ** i
            stride = 1 if i == 0 else 2
            outplanes = planes * block_fn.expansion
            blocks = []
            for j in range(num_blocks):
                downsample = None
                if j == 0 and (stride != 1 or inplanes != outplanes):
                    downsample = _downsample(inplanes, outplanes, stride, **dd)
                blocks.append(block_fn(
                    inplanes, planes, stride if j == 0 else 1, downsample, use_se=i < 3,
                    drop_path_rate=dpr[start + j], **dd))
                inplanes = outplanes
            start += num_blocks
            reduction *= stride
            body[f"layer{i + 1}"] = nn.Sequential(*blocks)
            self.feature_info.append(dict(num_chs=outplanes, reduction=reduction, module=f"body.layer{i + 1}"))
        self.body = nn.Sequential()
        for name, module in body.items():
            self.body.add_module(name, module)

        self.num_features = self.head_hidden_size = inplanes
        self.head = ClassifierHead(inplanes, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        self.init_weights()

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="leaky_relu")
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.01)
                nn.init.zeros_(m.bias)
        # each residual branch starts at zero, so every block starts as the identity
        for m in self.modules():
            if isinstance(m, (BasicBlock, Bottleneck)):
                m.zero_init_last()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^body\.conv1", blocks=r"^body\.layer(\d+)" if coarse else r"^body\.layer(\d+)\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, pool_type=global_pool)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 5 feature points (stem conv at stride 4, layer1..layer4)."""
        if output_fmt != "NCHW":
            raise ValueError(f"TResNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(5, indices)
        intermediates = []
        x = self.body.conv1(self.body.s2d(x))
        if 0 in take_indices:
            intermediates.append(x)
        stages = [self.body.layer1, self.body.layer2, self.body.layer3, self.body.layer4]
        if stop_early:
            stages = stages[:max_index]
        for feat_idx, stage in enumerate(stages, start=1):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint_seq(stage, x)
            else:
                x = stage(x)
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the stages after the last of ``indices`` (and the head)."""
        take_indices, max_index = feature_take_indices(5, indices)
        for name in ("layer1", "layer2", "layer3", "layer4")[max_index:]:
            setattr(self.body, name, nn.Identity())
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.body, x)
        return self.body(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

TRESNETS: Dict[str, Dict[str, Any]] = {
    "tresnet_m": dict(layers=(3, 4, 11, 3)),
    "tresnet_l": dict(layers=(4, 5, 18, 3), width_factor=1.2),
    "tresnet_xl": dict(layers=(4, 5, 24, 3), width_factor=1.3),
    "tresnet_v2_l": dict(layers=(3, 4, 23, 3), v2=True),
}


# --- weight metadata --------------------------------------------------------------------------------
# MIIL trained without mean/std normalisation (inputs in [0, 1]) and evaluated with bilinear resizing.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), first_conv="body.conv1.conv",
        classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


_448 = dict(input_size=(3, 448, 448), pool_size=(14, 14))
TRESNET_WEIGHTS = {
    "tresnet_l.miil_in1k": _cfg(),
    "tresnet_l.miil_in1k_448": _cfg(**_448),
    "tresnet_m.miil_in21k_ft_in1k": _cfg(),
    "tresnet_m.miil_in21k": _cfg(num_classes=11221),
    "tresnet_m.miil_in1k": _cfg(),
    "tresnet_m.miil_in1k_448": _cfg(**_448),
    "tresnet_v2_l.miil_in21k_ft_in1k": _cfg(),
    "tresnet_v2_l.miil_in21k": _cfg(num_classes=11221),
    "tresnet_xl.miil_in1k": _cfg(),
    "tresnet_xl.miil_in1k_448": _cfg(**_448),
}

default_cfgs = generate_default_cfgs(TRESNET_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_tresnet(variant: str, pretrained: bool = False, **kwargs: Any) -> TResNet:
    # features_only skips the stem point by default, as the reference does
    return build_model_with_cfg(
        TResNet, variant, pretrained, feature_cfg=dict(out_indices=(1, 2, 3, 4), flatten_sequential=True), **kwargs)


register_variants(TRESNETS, _create_tresnet, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "tresnet_m_miil_in21k": "tresnet_m.miil_in21k",
    "tresnet_m_448": "tresnet_m.miil_in1k_448",
    "tresnet_l_448": "tresnet_l.miil_in1k_448",
    "tresnet_xl_448": "tresnet_xl.miil_in1k_448",
})
