"""VoVNet: One-Shot Aggregation (OSA) blocks, where every conv's output is concatenated once at the end of
the block; the 'b' (V2) variants add a residual and effective-SE attention. Checkpoint-compatible with
timm's ``vovnet`` module.

Papers:

* Lee et al., "An Energy and GPU-Computation Efficient Backbone Network for Real-Time Object Detection"
  (VoVNet), 2019 (arXiv:1904.09730)
* Lee & Park, "CenterMask: Real-Time Anchor-Free Instance Segmentation" (VoVNetV2, eSE), 2019 (arXiv:1911.06667)
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    ClassifierHead, ConvNormAct, DropPath, create_attn, factory_kwargs, get_act_layer,
)
from imagemodels.layers.evo_norm import EvoNorm2dS0
from imagemodels.layers.separable_conv import SeparableConvNormAct

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["VovNet", "OsaBlock", "OsaStage"]


def _conv(in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, groups: int = 1, *,
          separable: bool = False, norm_layer: Optional[Callable[..., nn.Module]] = None,
          act_layer: Callable[..., nn.Module] = nn.ReLU, dd: Dict[str, Any]) -> nn.Module:
    """Conv (or separable conv) + norm + act; a norm that fuses its own activation (EvoNorm) replaces ``bn``."""
    if separable:
        m = SeparableConvNormAct(in_chs, out_chs, kernel_size, stride=stride, act_layer=act_layer, **dd)
    else:
        m = ConvNormAct(in_chs, out_chs, kernel_size, stride=stride, groups=groups, act_layer=act_layer, **dd)
    if norm_layer is not None:
        m.bn = norm_layer(out_chs, **dd)
    return m


class OsaBlock(nn.Module):
    """Optional 1x1 reduce (depthwise variants) -> ``layer_per_block`` 3x3 convs in a chain ->
    concat(input, every conv output) -> 1x1 -> attention (-> + input when ``residual``)."""

    def __init__(
        self, in_chs: int, mid_chs: int, out_chs: int, layer_per_block: int, residual: bool = False,
        depthwise: bool = False, attn: str = "", norm_layer: Optional[Callable[..., nn.Module]] = None,
        act_layer: Callable[..., nn.Module] = nn.ReLU, drop_path: Optional[nn.Module] = None, **dd: Any,
    ):
        super().__init__()
        self.residual = residual
        self.depthwise = depthwise
        conv_kw = dict(norm_layer=norm_layer, act_layer=act_layer, dd=dd)
        next_in = in_chs
        if depthwise and next_in != mid_chs:
            self.conv_reduction = _conv(next_in, mid_chs, 1, **conv_kw)
            next_in = mid_chs
        else:
            self.conv_reduction = None
        mid = []
        for _ in range(layer_per_block):
            mid.append(_conv(next_in, mid_chs, 3, separable=depthwise, **conv_kw))
            next_in = mid_chs
        self.conv_mid = nn.Sequential(*mid)
        self.conv_concat = _conv(in_chs + layer_per_block * mid_chs, out_chs, 1, **conv_kw)
        self.attn = create_attn(attn, out_chs, **dd) if attn else None
        self.drop_path = drop_path

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = [x]
        y = self.conv_reduction(x) if self.conv_reduction is not None else x
        for conv in self.conv_mid:
            y = conv(y)
            outputs.append(y)
        y = self.conv_concat(torch.cat(outputs, dim=1))
        if self.attn is not None:
            y = self.attn(y)
        if self.drop_path is not None:
            y = self.drop_path(y)
        if self.residual:
            y = y + x
        return y


class OsaStage(nn.Module):
    """A ceil-mode 3x3 max pool (stages 2-4) then ``block_per_stage`` OSA blocks; only the last block
    of the stage carries the attention, and blocks after the first are residual in V2."""

    def __init__(
        self, in_chs: int, mid_chs: int, out_chs: int, block_per_stage: int, layer_per_block: int,
        downsample: bool = True, residual: bool = True, depthwise: bool = False, attn: str = "ese",
        norm_layer: Optional[Callable[..., nn.Module]] = None, act_layer: Callable[..., nn.Module] = nn.ReLU,
        drop_path_rates: Optional[Sequence[float]] = None, **dd: Any,
    ):
        super().__init__()
        self.grad_checkpointing = False
        self.pool = nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True) if downsample else None
        blocks = []
        for i in range(block_per_stage):
            dpr = drop_path_rates[i] if drop_path_rates is not None else 0.0
            blocks.append(OsaBlock(
                in_chs, mid_chs, out_chs, layer_per_block, residual=residual and i > 0, depthwise=depthwise,
                attn=attn if i == block_per_stage - 1 else "", norm_layer=norm_layer, act_layer=act_layer,
                drop_path=DropPath(dpr) if dpr > 0.0 else None, **dd))
            in_chs = out_chs
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pool is not None:
            x = self.pool(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


class VovNet(nn.Module):
    """Three-conv stem (second conv is feature point 0, at stride 2), four OSA stages, pooled classifier.

    ``stem_chs``, ``stage_conv_chs`` (the width inside each block) and ``stage_out_chs`` set the widths,
    ``block_per_stage`` / ``layer_per_block`` the depth; ``residual``, ``depthwise`` and ``attn``
    ('', 'ese', 'eca') choose V1/V2 and the light variants. ``norm_layer='evonorms0'`` swaps every
    batch norm + ReLU for EvoNorm-S0.
    """

    def __init__(
        self,
        stem_chs: Sequence[int] = (64, 64, 128),
        stage_conv_chs: Sequence[int] = (128, 160, 192, 224),
        stage_out_chs: Sequence[int] = (256, 512, 768, 1024),
        layer_per_block: int = 5,
        block_per_stage: Sequence[int] = (1, 1, 2, 2),
        residual: bool = True,
        depthwise: bool = False,
        attn: str = "ese",
        stem_stride: int = 4,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        output_stride: int = 32,
        norm_layer: Optional[Union[str, Callable[..., nn.Module]]] = None,
        act_layer: Any = nn.ReLU,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"VovNet supports output_stride=32 only, got {output_stride}")
        if stem_stride not in (2, 4):
            raise ValueError(f"stem_stride must be 2 or 4, got {stem_stride}")
        if norm_layer == "evonorms0":
            norm_layer = EvoNorm2dS0
        elif isinstance(norm_layer, str):
            raise ValueError(f"norm_layer must be None (batch norm), 'evonorms0' or a class, got {norm_layer!r}")
        act_layer = get_act_layer(act_layer)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate

        conv_kw = dict(norm_layer=norm_layer, act_layer=act_layer, dd=dd)
        self.stem = nn.Sequential(
            _conv(in_chans, stem_chs[0], 3, stride=2, **conv_kw),
            _conv(stem_chs[0], stem_chs[1], 3, separable=depthwise, **conv_kw),
            _conv(stem_chs[1], stem_chs[2], 3, stride=stem_stride // 2, separable=depthwise, **conv_kw),
        )
        self.feature_info = [dict(num_chs=stem_chs[1], reduction=2, module=f"stem.{1 if stem_stride == 4 else 2}")]
        current_stride = stem_stride

        total = sum(block_per_stage)
        dpr = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        stages, in_chs, start = [], stem_chs[-1], 0
        for i in range(4):
            downsample = stem_stride == 2 or i > 0  # a stride-4 stem already did stage 1's downsampling
            stages.append(OsaStage(
                in_chs, stage_conv_chs[i], stage_out_chs[i], block_per_stage[i], layer_per_block,
                downsample=downsample, residual=residual, depthwise=depthwise, attn=attn, norm_layer=norm_layer,
                act_layer=act_layer, drop_path_rates=dpr[start:start + block_per_stage[i]], **dd))
            start += block_per_stage[i]
            in_chs = stage_out_chs[i]
            current_stride *= 2 if downsample else 1
            self.feature_info.append(dict(num_chs=in_chs, reduction=current_stride, module=f"stages.{i}"))
        self.stages = nn.Sequential(*stages)

        self.num_features = self.head_hidden_size = in_chs
        self.head = ClassifierHead(in_chs, num_classes, global_pool, drop_rate=drop_rate, **dd)
        for name, m in self.named_modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^stem", blocks=r"^stages\.(\d+)" if coarse else r"^stages\.(\d+).blocks\.(\d+)")

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
        """Maps at ``indices`` of the 5 feature points (stem at stride 2, stages.0-3)."""
        if output_fmt != "NCHW":
            raise ValueError(f"VovNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(5, indices)
        stem_point = int(self.feature_info[0]["module"].split(".")[-1])
        intermediates = []
        for i, conv in enumerate(self.stem):
            x = conv(x)
            if i == stem_point and 0 in take_indices:
                intermediates.append(x)
        stages = self.stages[:max_index] if stop_early else self.stages
        for feat_idx, stage in enumerate(stages, start=1):
            x = stage(x)
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(5, indices)
        self.stages = self.stages[:max_index]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(self.stem(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_SLIM = dict(stage_conv_chs=(64, 80, 96, 112), stage_out_chs=(112, 256, 384, 512))
_19 = dict(layer_per_block=3, block_per_stage=(1, 1, 1, 1))
VOVNETS: Dict[str, Dict[str, Any]] = {
    "vovnet39a": dict(block_per_stage=(1, 1, 2, 2), residual=False, attn=""),
    "vovnet57a": dict(block_per_stage=(1, 1, 4, 3), residual=False, attn=""),
    "ese_vovnet19b_slim_dw": dict(stem_chs=(64, 64, 64), depthwise=True, **_SLIM, **_19),
    "ese_vovnet19b_dw": dict(stem_chs=(64, 64, 64), depthwise=True, **_19),
    "ese_vovnet19b_slim": dict(**_SLIM, **_19),
    "ese_vovnet39b": dict(block_per_stage=(1, 1, 2, 2)),
    "ese_vovnet57b": dict(block_per_stage=(1, 1, 4, 3)),
    "ese_vovnet99b": dict(block_per_stage=(1, 3, 9, 3)),
    "eca_vovnet39b": dict(block_per_stage=(1, 1, 2, 2), attn="eca"),
    "ese_vovnet39b_evos": dict(block_per_stage=(1, 1, 2, 2), norm_layer="evonorms0"),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), first_conv="stem.0.conv",
        classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


_RA = dict(hf_hub_id="timm/", test_input_size=(3, 288, 288), test_crop_pct=0.95)
VOVNET_WEIGHTS = {
    "eca_vovnet39b.untrained": _cfg(),
    "ese_vovnet19b_dw.ra_in1k": _cfg(**_RA),
    "ese_vovnet19b_slim.untrained": _cfg(),
    "ese_vovnet19b_slim_dw.untrained": _cfg(),
    "ese_vovnet39b.ra_in1k": _cfg(**_RA),
    "ese_vovnet39b_evos.untrained": _cfg(),
    "ese_vovnet57b.ra4_e3600_r256_in1k": _cfg(
        hf_hub_id="timm/", input_size=(3, 256, 256), test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.95,
        test_crop_pct=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "ese_vovnet99b.untrained": _cfg(),
    "vovnet39a.untrained": _cfg(),
    "vovnet57a.untrained": _cfg(),
}

default_cfgs = generate_default_cfgs(VOVNET_WEIGHTS)


def _create_vovnet(variant: str, pretrained: bool = False, **kwargs: Any) -> VovNet:
    return build_model_with_cfg(VovNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(VOVNETS, _create_vovnet, globals())
