"""Xception (the original, Cadene's port of the Keras weights; timm calls it ``legacy_xception``):
Inception modules taken to the extreme, i.e. depthwise-separable convs in residual blocks.
Checkpoint-compatible with timm's ``xception`` module.

Paper: Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2016 (arXiv:1610.02357).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["Xception"]


class SeparableConv2d(nn.Module):
    """Depthwise then pointwise conv, with the port's child names (``conv1``, ``pointwise``)."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int = 1, stride: int = 1, padding: int = 0,
                 dilation: int = 1, **dd: Any):
        super().__init__()
        self.conv1 = nn.Conv2d(in_chs, in_chs, kernel_size, stride, padding, dilation, groups=in_chs, bias=False, **dd)
        self.pointwise = nn.Conv2d(in_chs, out_chs, 1, bias=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.conv1(x))


class Block(nn.Module):
    """``reps`` x (ReLU, separable 3x3, BN), then a stride-``strides`` 3x3 max pool, plus a shortcut
    (a strided 1x1 conv + BN when the shape changes). ``grow_first`` widens in the first conv rather
    than the last; the first ReLU is not in place, since the shortcut still reads the input."""

    def __init__(self, in_chs: int, out_chs: int, reps: int, strides: int = 1, start_with_relu: bool = True,
                 grow_first: bool = True, **dd: Any):
        super().__init__()
        if out_chs != in_chs or strides != 1:
            self.skip = nn.Conv2d(in_chs, out_chs, 1, stride=strides, bias=False, **dd)
            self.skipbn = nn.BatchNorm2d(out_chs, **dd)
        else:
            self.skip = None
        widths = [out_chs if grow_first or i == reps - 1 else in_chs for i in range(reps)]
        rep: List[nn.Module] = []
        prev = in_chs
        for i, width in enumerate(widths):
            rep += [nn.ReLU(inplace=i > 0), SeparableConv2d(prev, width, 3, 1, 1, **dd), nn.BatchNorm2d(width, **dd)]
            prev = width
        if not start_with_relu:
            rep = rep[1:]
        if strides != 1:
            rep.append(nn.MaxPool2d(3, strides, 1))
        self.rep = nn.Sequential(*rep)

    def forward(self, inp: torch.Tensor) -> torch.Tensor:
        x = self.rep(inp)
        skip = self.skipbn(self.skip(inp)) if self.skip is not None else inp
        return x + skip


class Xception(nn.Module):
    """Entry flow (two plain convs, three strided blocks), middle flow (8 x 728-wide blocks), exit flow
    (a strided block, two separable convs to 2048). The first convs are unpadded, so a 299 input
    gives a 10x10 final map."""

    def __init__(
        self, num_classes: int = 1000, in_chans: int = 3, drop_rate: float = 0.0, global_pool: str = "avg",
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self._dd = dd
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        self.conv1 = nn.Conv2d(in_chans, 32, 3, 2, 0, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(32, **dd)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(32, 64, 3, bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(64, **dd)
        self.act2 = nn.ReLU(inplace=True)
        self.block1 = Block(64, 128, 2, 2, start_with_relu=False, **dd)
        self.block2 = Block(128, 256, 2, 2, **dd)
        self.block3 = Block(256, 728, 2, 2, **dd)
        for i in range(4, 12):
            self.add_module(f"block{i}", Block(728, 728, 3, 1, **dd))
        self.block12 = Block(728, 1024, 2, 2, grow_first=False, **dd)
        self.conv3 = SeparableConv2d(1024, 1536, 3, 1, 1, **dd)
        self.bn3 = nn.BatchNorm2d(1536, **dd)
        self.act3 = nn.ReLU(inplace=True)
        self.conv4 = SeparableConv2d(1536, 2048, 3, 1, 1, **dd)
        self.bn4 = nn.BatchNorm2d(2048, **dd)
        self.act4 = nn.ReLU(inplace=True)
        # block N's feature point is its first ReLU: the activated output of block N-1
        self.feature_info = [
            dict(num_chs=64, reduction=2, module="act2"),
            dict(num_chs=128, reduction=4, module="block2.rep.0"),
            dict(num_chs=256, reduction=8, module="block3.rep.0"),
            dict(num_chs=728, reduction=16, module="block12.rep.0"),
            dict(num_chs=2048, reduction=32, module="act4"),
        ]
        self.num_features = self.head_hidden_size = 2048
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, pool_type=global_pool, **dd)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^conv[12]|bn[12]", blocks=[(r"^block(\d+)", None), (r"^conv[34]|bn[34]", (99,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _blocks(self) -> List[nn.Module]:
        return [getattr(self, f"block{i}") for i in range(1, 13)]

    def _stem(self, x: torch.Tensor) -> torch.Tensor:
        return self.act2(self.bn2(self.conv2(self.act1(self.bn1(self.conv1(x))))))

    def _exit(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act3(self.bn3(self.conv3(x)))
        return self.act4(self.bn4(self.conv4(x)))

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the five feature points in ``feature_info``."""
        if output_fmt != "NCHW":
            raise ValueError(f"Xception feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        stop = stop_early or intermediates_only
        intermediates = []
        x = self._stem(x)
        if 0 in take_indices:
            intermediates.append(x)
        if stop and max_index == 0:
            return intermediates if intermediates_only else (x, intermediates)
        point_after_block = {1: 1, 2: 2, 11: 3}  # block number -> feature index of the next block's first ReLU
        for i, block in enumerate(self._blocks(), start=1):
            x = block(x)
            idx = point_after_block.get(i)
            if idx is not None and idx in take_indices:
                intermediates.append(F.relu(x))
            if stop and idx is not None and idx >= max_index:
                return intermediates if intermediates_only else (x, intermediates)
        x = self._exit(x)
        if 4 in take_indices:
            intermediates.append(x)
        return intermediates if intermediates_only else (x, intermediates)

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, _ = feature_take_indices(len(self.feature_info), indices)
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self._stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self._blocks(), x)
        else:
            for block in self._blocks():
                x = block(x)
        return self._exit(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate:
            x = F.dropout(x, self.drop_rate, training=self.training)
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


XCEPTIONS: Dict[str, Dict[str, Any]] = {"legacy_xception": dict()}

XCEPTION_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "legacy_xception.tf_in1k": dict(
        url="https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-cadene/xception-43020ad28.pth",
        num_classes=1000, input_size=(3, 299, 299), pool_size=(10, 10), crop_pct=0.8975, interpolation="bicubic",
        mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD, first_conv="conv1", classifier="fc",
        license="apache-2.0",
    ),
}

default_cfgs = generate_default_cfgs(XCEPTION_WEIGHTS)


def _create_xception(variant: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    model = build_model_with_cfg(Xception, variant, pretrained, **kwargs)
    if features_only:  # points inside blocks: the whole trunk stays, as `body`
        model = FeatureIntermediatesNet(model, out_indices, layout="body")
        model.pretrained_cfg = model.default_cfg = model.body.pretrained_cfg
    return model


register_variants(XCEPTIONS, _create_xception, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "xception": "legacy_xception",
})
