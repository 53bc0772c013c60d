"""The original Squeeze-and-Excitation networks (SE-ResNet, SE-ResNeXt, SENet-154), kept under their
``legacy_`` names with the layout of the Caffe/Cadene ports so those checkpoints load unchanged.
Checkpoint-compatible with timm's ``senet`` module.

Paper: Hu et al., "Squeeze-and-Excitation Networks", 2017 (arXiv:1709.01507).

How these differ from ``resnet.py``'s SE variants: the stem is a ``layer0`` Sequential with a
separate ceil-mode max pool (``pool0``); SE-ResNet bottlenecks stride in their first 1x1 conv (Caffe
style); SENet-154 widens the first 1x1 conv (``2 * planes``) and uses 3x3 shortcut projections.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import DropPath, SEModule, create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["SENet", "SEBottleneck", "SEResNetBottleneck", "SEResNeXtBottleneck", "SEResNetBlock"]

_SE_REDUCTION = 16


def _se(channels: int, dd: Dict[str, Any]) -> SEModule:
    # the legacy ports size the bottleneck as plain channels // 16 (no rounding to a divisor)
    return SEModule(channels, rd_channels=channels // _SE_REDUCTION, **dd)


class _SEBottleneckBase(nn.Module):
    """1x1 -> 3x3 -> 1x1 with SE on the last output, then the shortcut. Subclasses set the widths."""

    expansion = 4

    def _build(
        self, inplanes: int, mid1: int, mid2: int, planes: int, stride: int, groups: int, stride_in_1x1: bool,
        downsample: Optional[nn.Module], drop_path: float, dd: Dict[str, Any],
    ) -> None:
        self.conv1 = nn.Conv2d(inplanes, mid1, 1, stride=stride if stride_in_1x1 else 1, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(mid1, **dd)
        self.conv2 = nn.Conv2d(
            mid1, mid2, 3, stride=1 if stride_in_1x1 else stride, padding=1, groups=groups, bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(mid2, **dd)
        self.conv3 = nn.Conv2d(mid2, planes * self.expansion, 1, bias=False, **dd)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.se_module = _se(planes * self.expansion, dd)
        self.downsample = downsample
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.relu(self.bn2(self.conv2(x)))
        x = self.se_module(self.bn3(self.conv3(x)))
        return self.relu(self.drop_path(x) + shortcut)


class SEBottleneck(_SEBottleneckBase):
    """SENet-154's bottleneck: first 1x1 conv twice ``planes`` wide, grouped 3x3 of ``4 * planes``."""

    def __init__(self, inplanes: int, planes: int, groups: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 base_width: int = 4, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        self._build(inplanes, planes * 2, planes * 4, planes, stride, groups, False, downsample, drop_path, dd)


class SEResNetBottleneck(_SEBottleneckBase):
    """SE-ResNet bottleneck, strided in the first 1x1 conv as in the Caffe release."""

    def __init__(self, inplanes: int, planes: int, groups: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 base_width: int = 4, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        self._build(inplanes, planes, planes, planes, stride, groups, True, downsample, drop_path, dd)


class SEResNeXtBottleneck(_SEBottleneckBase):
    """SE-ResNeXt bottleneck: grouped 3x3 of ``floor(planes * base_width / 64) * groups`` channels."""

    def __init__(self, inplanes: int, planes: int, groups: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 base_width: int = 4, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        width = math.floor(planes * (base_width / 64)) * groups
        self._build(inplanes, width, width, planes, stride, groups, False, downsample, drop_path, dd)


class SEResNetBlock(nn.Module):
    """Two 3x3 convs, SE on the activated second one, then the shortcut (SE-ResNet-18/34)."""

    expansion = 1

    def __init__(self, inplanes: int, planes: int, groups: int, stride: int = 1, downsample: Optional[nn.Module] = None,
                 base_width: int = 4, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(planes, **dd)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, groups=groups, bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(planes, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.se_module = _se(planes, dd)
        self.downsample = downsample
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.relu(self.bn1(self.conv1(x)))
        # the released weights were trained with a ReLU before the gate here (unlike the bottlenecks)
        x = self.se_module(self.relu(self.bn2(self.conv2(x))))
        return self.relu(self.drop_path(x) + shortcut)


class SENet(nn.Module):
    """The SENet family of the original release.

    ``block`` and ``layers`` pick the depth; ``groups``/``base_width`` make it ResNeXt; ``inplanes=128``
    with ``input_3x3=True`` is SENet-154's deep stem, and ``downsample_kernel_size=3`` its 3x3
    shortcut projections (stages 2-4). Dropout before the classifier is ``drop_rate`` (0.2 by default,
    as the release trained).
    """

    def __init__(
        self,
        block: Type[nn.Module],
        layers: Sequence[int],
        groups: int = 1,
        base_width: int = 4,
        inplanes: int = 64,
        input_3x3: bool = False,
        downsample_kernel_size: int = 1,
        num_classes: int = 1000,
        in_chans: int = 3,
        drop_rate: float = 0.2,
        drop_path_rate: float = 0.0,
        global_pool: str = "avg",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if len(layers) != 4:
            raise ValueError(f"layers needs one block count per stage (4), got {layers}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self._dd = dd

        if input_3x3:
            stem = [
                ("conv1", nn.Conv2d(in_chans, 64, 3, stride=2, padding=1, bias=False, **dd)),
                ("bn1", nn.BatchNorm2d(64, **dd)), ("relu1", nn.ReLU(inplace=True)),
                ("conv2", nn.Conv2d(64, 64, 3, padding=1, bias=False, **dd)),
                ("bn2", nn.BatchNorm2d(64, **dd)), ("relu2", nn.ReLU(inplace=True)),
                ("conv3", nn.Conv2d(64, inplanes, 3, padding=1, bias=False, **dd)),
                ("bn3", nn.BatchNorm2d(inplanes, **dd)), ("relu3", nn.ReLU(inplace=True)),
            ]
        else:
            stem = [
                ("conv1", nn.Conv2d(in_chans, inplanes, 7, stride=2, padding=3, bias=False, **dd)),
                ("bn1", nn.BatchNorm2d(inplanes, **dd)), ("relu1", nn.ReLU(inplace=True)),
            ]
        self.layer0 = nn.Sequential(OrderedDict(stem))
        # ceil_mode as in the Caffe models: the stage maps are one pixel larger on odd sizes
        self.pool0 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.feature_info = [dict(num_chs=inplanes, reduction=2, module="layer0")]

        total, block_idx = sum(layers), 0
        for stage_idx, (planes, depth) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if stage_idx == 0 else 2
            outplanes = planes * block.expansion
            downsample = None
            if stride != 1 or inplanes != outplanes:
                kernel = 1 if stage_idx == 0 else downsample_kernel_size
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, outplanes, kernel, stride=stride, padding=kernel // 2, bias=False, **dd),
                    nn.BatchNorm2d(outplanes, **dd),
                )
            blocks = []
            for i in range(depth):
                dpr = drop_path_rate * block_idx / max(total - 1, 1)
                blocks.append(block(
                    inplanes, planes, groups, stride=stride if i == 0 else 1, downsample=downsample if i == 0 else None,
                    base_width=base_width, drop_path=dpr, **dd))
                inplanes = outplanes
                block_idx += 1
            self.add_module(f"layer{stage_idx + 1}", nn.Sequential(*blocks))
            self.feature_info.append(dict(num_chs=outplanes, reduction=4 * 2 ** stage_idx, module=f"layer{stage_idx + 1}"))

        self.num_features = self.head_hidden_size = inplanes
        self.global_pool, self.last_linear = create_classifier(self.num_features, num_classes, pool_type=global_pool, **dd)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^layer0", blocks=r"^layer(\d+)" if coarse else r"^layer(\d+)\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.last_linear

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        pool_type = global_pool if global_pool is not None else self.global_pool.pool_type
        self.global_pool, self.last_linear = create_classifier(
            self.num_features, num_classes, pool_type=pool_type, **self._dd)

    def _stages(self) -> List[nn.Module]:
        return [self.layer1, self.layer2, self.layer3, self.layer4]

    def _run(self, stage: nn.Module, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting() and isinstance(stage, nn.Sequential):
            return checkpoint_seq(stage, x)
        return stage(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 5 feature points (layer0, layer1..layer4); see ``feature_info``."""
        if output_fmt != "NCHW":
            raise ValueError(f"SENet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(5, indices)
        x = self.layer0(x)
        intermediates = [x] if 0 in take_indices else []
        x = self.pool0(x)
        stages = self._stages()[:max_index] if stop_early else self._stages()
        for feat_idx, stage in enumerate(stages, start=1):
            x = self._run(stage, x)
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(5, indices)
        for name in ("layer1", "layer2", "layer3", "layer4")[max_index:]:
            setattr(self, name, nn.Identity())
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool0(self.layer0(x))
        for stage in self._stages():
            x = self._run(stage, x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.last_linear(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_X = dict(block=SEResNeXtBottleneck, groups=32, base_width=4)
SENETS: Dict[str, Dict[str, Any]] = {
    "legacy_senet154": dict(
        block=SEBottleneck, layers=(3, 8, 36, 3), groups=64, inplanes=128, input_3x3=True, downsample_kernel_size=3),
    "legacy_seresnet18": dict(block=SEResNetBlock, layers=(2, 2, 2, 2)),
    "legacy_seresnet34": dict(block=SEResNetBlock, layers=(3, 4, 6, 3)),
    "legacy_seresnet50": dict(block=SEResNetBottleneck, layers=(3, 4, 6, 3)),
    "legacy_seresnet101": dict(block=SEResNetBottleneck, layers=(3, 4, 23, 3)),
    "legacy_seresnet152": dict(block=SEResNetBottleneck, layers=(3, 8, 36, 3)),
    "legacy_seresnext26_32x4d": dict(layers=(2, 2, 2, 2), **_X),
    "legacy_seresnext50_32x4d": dict(layers=(3, 4, 6, 3), **_X),
    "legacy_seresnext101_32x4d": dict(layers=(3, 4, 23, 3), **_X),
}


# --- weight metadata --------------------------------------------------------------------------------

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", first_conv="layer0.conv1", classifier="last_linear", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


SENET_WEIGHTS = {
    "legacy_senet154.in1k": _cfg(_RELEASES + 'v0.1-weights/legacy_senet154-e9eb9fe6.pth'),
    "legacy_seresnet18.in1k": _cfg(_RELEASES + 'v0.1-weights/seresnet18-4bb0ce65.pth', interpolation='bicubic'),
    "legacy_seresnet34.in1k": _cfg(_RELEASES + 'v0.1-weights/seresnet34-a4004e63.pth'),
    "legacy_seresnet50.in1k": _cfg(_RELEASES + 'v0.1-cadene/se_resnet50-ce0d4300.pth'),
    "legacy_seresnet101.in1k": _cfg(_RELEASES + 'v0.1-cadene/se_resnet101-7e38fcc6.pth'),
    "legacy_seresnet152.in1k": _cfg(_RELEASES + 'v0.1-cadene/se_resnet152-d17c99b7.pth'),
    "legacy_seresnext26_32x4d.in1k": _cfg(_RELEASES + 'v0.1-weights/seresnext26_32x4d-65ebdb501.pth', interpolation='bicubic'),
    "legacy_seresnext50_32x4d.in1k": _cfg(_RELEASES + 'v0.1-weights/legacy_se_resnext50_32x4d-f3651bad.pth'),
    "legacy_seresnext101_32x4d.in1k": _cfg(_RELEASES + 'v0.1-weights/legacy_se_resnext101_32x4d-37725eac.pth'),
}

default_cfgs = generate_default_cfgs(SENET_WEIGHTS)


def _create_senet(variant: str, pretrained: bool = False, **kwargs: Any) -> SENet:
    return build_model_with_cfg(SENet, variant, pretrained, **kwargs)


register_variants(SENETS, _create_senet, globals())
