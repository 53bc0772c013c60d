"""Aligned Xception (DeepLab's variant): every max pool of Xception replaced by a strided separable
conv, a deeper middle flow, BN after every depthwise conv; and pre-activation ('p') versions.
Checkpoint-compatible with timm's ``xception_aligned`` module.

Papers:

* Chen et al., "Encoder-Decoder with Atrous Separable Convolution for Semantic Image Segmentation"
  (DeepLab v3+, aligned Xception), 2018 (arXiv:1802.02611)
* Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2016 (arXiv:1610.02357)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    BatchNormAct2d, ClassifierHead, ConvNormAct, DropPath, create_conv2d, factory_kwargs,
)

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, generate_default_cfgs
from ._registry import register_variants

__all__ = ["XceptionAligned", "XceptionModule", "PreXceptionModule", "BlockSpec"]

LayerFn = Callable[..., nn.Module]


@dataclass(frozen=True)
class BlockSpec:
    """One Xception module: three separable 3x3 convs to ``out_chs`` (one width each, or one for all),
    the last one strided by ``stride``. ``no_skip``: no residual (the exit block)."""

    in_chs: int
    out_chs: Union[int, Tuple[int, int, int]]
    stride: int = 1
    no_skip: bool = False
    start_with_relu: bool = True

    def widths(self) -> Tuple[int, int, int]:
        return self.out_chs if isinstance(self.out_chs, tuple) else (self.out_chs,) * 3


class SeparableConv2d(nn.Module):
    """Depthwise conv, BN (+ act), pointwise conv, BN (+ act): the aligned-Xception unit."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: int = 1,
                 padding: str = "", act_layer: Optional[LayerFn] = nn.ReLU, norm_layer: LayerFn = nn.BatchNorm2d,
                 **dd: Any):
        super().__init__()
        self.conv_dw = create_conv2d(in_chs, in_chs, kernel_size, stride=stride, padding=padding, dilation=dilation,
                                     depthwise=True, **dd)
        self.bn_dw = norm_layer(in_chs, **dd)
        self.act_dw = act_layer(inplace=True) if act_layer is not None else nn.Identity()
        self.conv_pw = create_conv2d(in_chs, out_chs, 1, **dd)
        self.bn_pw = norm_layer(out_chs, **dd)
        self.act_pw = act_layer(inplace=True) if act_layer is not None else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act_dw(self.bn_dw(self.conv_dw(x)))
        return self.act_pw(self.bn_pw(self.conv_pw(x)))


class PreSeparableConv2d(nn.Module):
    """Pre-activation unit: norm + act (skipped for a block's first conv), depthwise conv, pointwise conv."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: int = 1,
                 padding: str = "", act_layer: LayerFn = nn.ReLU, norm_layer: LayerFn = nn.BatchNorm2d,
                 first_act: bool = True, **dd: Any):
        super().__init__()
        self.norm = BatchNormAct2d(in_chs, act_layer=act_layer, **_eps(norm_layer), **dd) if first_act else nn.Identity()
        self.conv_dw = create_conv2d(in_chs, in_chs, kernel_size, stride=stride, padding=padding, dilation=dilation,
                                     depthwise=True, **dd)
        self.conv_pw = create_conv2d(in_chs, out_chs, 1, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_pw(self.conv_dw(self.norm(x)))


def _eps(norm_layer: LayerFn) -> Dict[str, Any]:
    """The eps a (partial of a) norm class was given, to build the fused norm+act with the same."""
    eps = getattr(norm_layer, "keywords", {}).get("eps")
    return {} if eps is None else dict(eps=eps)


class XceptionModule(nn.Module):
    """Post-activation module: [ReLU, sep conv] x 3 plus a shortcut (strided 1x1 conv + BN on a shape
    change). Its feature point is the activation before the last (strided) conv, ``stack.act3``."""

    point = "act3"

    def __init__(self, spec: BlockSpec, dilation: int = 1, stride: int = 1, act_layer: LayerFn = nn.ReLU,
                 norm_layer: LayerFn = nn.BatchNorm2d, drop_path: Optional[nn.Module] = None, **dd: Any):
        super().__init__()
        widths = spec.widths()
        self.out_channels = widths[-1]
        self.no_skip = spec.no_skip
        self.shortcut = None
        if not spec.no_skip and (self.out_channels != spec.in_chs or stride != 1):
            self.shortcut = ConvNormAct(spec.in_chs, self.out_channels, 1, stride=stride, apply_act=False,
                                        norm_layer=norm_layer, **dd)
        separate_act = None if spec.start_with_relu else act_layer
        self.stack = nn.Sequential()
        prev = spec.in_chs
        for i, width in enumerate(widths):
            if spec.start_with_relu:
                # the first ReLU must not overwrite the input the shortcut still reads
                self.stack.add_module(f"act{i + 1}", act_layer(inplace=i > 0))
            self.stack.add_module(f"conv{i + 1}", SeparableConv2d(
                prev, width, 3, stride=stride if i == 2 else 1, dilation=dilation, act_layer=separate_act,
                norm_layer=norm_layer, **dd))
            prev = width
        self.drop_path = drop_path

    def forward_point(self, x: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """The block output and its feature-point map."""
        skip, point = x, None
        for name, module in self.stack.named_children():
            x = module(x)
            if name == self.point:
                point = x
        if not self.no_skip:
            if self.drop_path is not None:
                x = self.drop_path(x)
            x = x + (self.shortcut(skip) if self.shortcut is not None else skip)
        return x, point

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_point(x)[0]


class PreXceptionModule(XceptionModule):
    """Pre-activation module: norm + act on the input (shared by the shortcut), three pre-act sep convs.
    Its feature point is the second conv's output, ``stack.conv2``."""

    point = "conv2"

    def __init__(self, spec: BlockSpec, dilation: int = 1, stride: int = 1, act_layer: LayerFn = nn.ReLU,
                 norm_layer: LayerFn = nn.BatchNorm2d, drop_path: Optional[nn.Module] = None, **dd: Any):
        nn.Module.__init__(self)
        widths = spec.widths()
        self.out_channels = widths[-1]
        self.no_skip = spec.no_skip
        if not spec.no_skip and (self.out_channels != spec.in_chs or stride != 1):
            self.shortcut = create_conv2d(spec.in_chs, self.out_channels, 1, stride=stride, **dd)
        else:
            self.shortcut = nn.Identity()
        self.norm = BatchNormAct2d(spec.in_chs, act_layer=act_layer, **_eps(norm_layer), **dd)
        self.stack = nn.Sequential()
        prev = spec.in_chs
        for i, width in enumerate(widths):
            self.stack.add_module(f"conv{i + 1}", PreSeparableConv2d(
                prev, width, 3, stride=stride if i == 2 else 1, dilation=dilation, act_layer=act_layer,
                norm_layer=norm_layer, first_act=i > 0, **dd))
            prev = width
        self.drop_path = drop_path

    def forward_point(self, x: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        x = self.norm(x)
        skip, point = x, None
        for name, module in self.stack.named_children():
            x = module(x)
            if name == self.point:
                point = x
        if not self.no_skip:
            if self.drop_path is not None:
                x = self.drop_path(x)
            x = x + self.shortcut(skip)
        return x, point


class XceptionAligned(nn.Module):
    """A two-conv stem, then the modules of ``block_cfg``. ``preact`` uses pre-activation modules (the
    stem's second conv then has no norm/act, the first module's norm does it). ``output_stride`` 8 or 16
    replaces the later strides by dilation."""

    def __init__(
        self,
        block_cfg: Sequence[BlockSpec],
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        preact: bool = False,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        global_pool: str = "avg",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        dd = factory_kwargs(device, dtype)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        layer_args = dict(act_layer=act_layer, norm_layer=norm_layer)

        conv = partial(ConvNormAct, padding="", norm_layer=norm_layer, act_layer=act_layer, **dd)
        self.stem = nn.Sequential(
            conv(in_chans, 32, 3, stride=2),
            create_conv2d(32, 64, 3, **dd) if preact else conv(32, 64, 3),
        )
        block_cls = PreXceptionModule if preact else XceptionModule
        curr_stride, dilation = 2, 1
        self.feature_info: List[Dict[str, Any]] = []
        blocks = []
        for i, spec in enumerate(block_cfg):
            stride = spec.stride
            dpr = drop_path_rate * i / max(len(block_cfg) - 1, 1)
            if stride > 1:
                self.feature_info.append(dict(
                    num_chs=spec.widths()[-2], reduction=curr_stride, module=f"blocks.{i}.stack.{block_cls.point}"))
                if curr_stride * stride > output_stride:
                    dilation *= stride
                    stride = 1
                else:
                    curr_stride *= stride
            blocks.append(block_cls(spec, dilation=dilation, stride=stride, drop_path=DropPath(dpr) if dpr else None,
                                    **layer_args, **dd))
        self.blocks = nn.Sequential(*blocks)
        self.num_features = self.head_hidden_size = blocks[-1].out_channels
        self.feature_info.append(dict(num_chs=self.num_features, reduction=curr_stride, module=f"blocks.{len(blocks) - 1}"))
        self.act = act_layer(inplace=True) if preact else nn.Identity()
        self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^stem", blocks=r"^blocks\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, pool_type=global_pool)

    def _point_blocks(self) -> List[int]:
        """The block index each feature point belongs to."""
        return [int(info["module"].split(".")[1]) for info in self.feature_info]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the feature points in ``feature_info`` (inside the strided modules, and the end)."""
        if output_fmt != "NCHW":
            raise ValueError(f"XceptionAligned feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        point_blocks = self._point_blocks()
        last_block = point_blocks[max_index] if (stop_early or intermediates_only) else len(self.blocks) - 1
        intermediates = []
        x = self.stem(x)
        for i, block in enumerate(self.blocks):
            if i > last_block:
                break
            x, point = block.forward_point(x)
            for idx, b in enumerate(point_blocks):
                if b == i and idx in take_indices:
                    intermediates.append(x if idx == len(point_blocks) - 1 else point)
        if intermediates_only:
            return intermediates
        if last_block == len(self.blocks) - 1:
            # the pre-act model's final ReLU is in place: keep the returned block output untouched
            x = self.act(x.clone() if intermediates and intermediates[-1] is x else x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        self.blocks = self.blocks[: self._point_blocks()[max_index] + 1]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            x = self.blocks(x)
        return self.act(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

def _flow(entry: Sequence[Tuple[int, int, int]], middle: int) -> Tuple[BlockSpec, ...]:
    """Entry modules (in, out, stride), ``middle`` x 728-wide modules, then the two exit modules."""
    return (
        *[BlockSpec(i, o, s) for i, o, s in entry],
        *[BlockSpec(728, 728, 1) for _ in range(middle)],
        BlockSpec(728, (728, 1024, 1024), 2),
        BlockSpec(1024, (1536, 1536, 2048), 1, no_skip=True, start_with_relu=False),
    )


_ENTRY = ((64, 128, 2), (128, 256, 2), (256, 728, 2))
_ENTRY71 = ((64, 128, 2), (128, 256, 1), (256, 256, 2), (256, 728, 1), (728, 728, 2))
_BN3 = partial(nn.BatchNorm2d, eps=1e-3, momentum=0.1)

XCEPTION_ALIGNEDS: Dict[str, Dict[str, Any]] = {
    "xception41": dict(block_cfg=_flow(_ENTRY, 8), norm_layer=_BN3),
    "xception65": dict(block_cfg=_flow(_ENTRY, 16), norm_layer=_BN3),
    "xception71": dict(block_cfg=_flow(_ENTRY71, 16), norm_layer=_BN3),
    "xception41p": dict(block_cfg=_flow(_ENTRY, 8), preact=True),
    "xception65p": dict(block_cfg=_flow(_ENTRY, 16), preact=True, norm_layer=_BN3),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 299, 299), pool_size=(10, 10), crop_pct=0.903,
        interpolation="bicubic", mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD, first_conv="stem.0.conv",
        classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


XCEPTION_ALIGNED_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "xception65.ra3_in1k": _cfg(crop_pct=0.94),
    "xception41.tf_in1k": _cfg(),
    "xception65.tf_in1k": _cfg(),
    "xception71.tf_in1k": _cfg(),
    "xception41p.ra3_in1k": _cfg(crop_pct=0.94),
    "xception65p.ra3_in1k": _cfg(crop_pct=0.94),
}

default_cfgs = generate_default_cfgs(XCEPTION_ALIGNED_WEIGHTS)


def _create_xception_aligned(variant: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    model = build_model_with_cfg(XceptionAligned, variant, pretrained, **kwargs)
    if features_only:  # points inside modules: modules up to the last one asked for, flattened names
        cfg = model.pretrained_cfg
        model = FeatureIntermediatesNet(model, out_indices, layout="flat")
        model.pretrained_cfg = model.default_cfg = cfg
    return model


register_variants(XCEPTION_ALIGNEDS, _create_xception_aligned, globals())
