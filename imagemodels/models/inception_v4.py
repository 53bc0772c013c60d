"""Inception-v4: a deeper, uniform Inception with dedicated reduction blocks (Cadene / TF-slim layout).
Checkpoint-compatible with timm's ``inception_v4`` module.

Paper: Szegedy et al., "Inception-v4, Inception-ResNet and the Impact of Residual Connections on
Learning", 2016 (arXiv:1602.07261).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import ConvNormAct, create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import prune_after, run_feature_points
from ._manipulate import checkpoint_seq
from ._pretrained import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, generate_default_cfgs
from ._registry import register_variants

__all__ = ["InceptionV4"]

ConvFn = Callable[..., nn.Module]


def _avg_pool() -> nn.Module:
    # the pooled branch averages real pixels only (TF's 'SAME' average pool)
    return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)


class Mixed3a(nn.Module):
    """Stem split: max pool | 3x3 s2 conv, concatenated (64 -> 160 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.maxpool = nn.MaxPool2d(3, stride=2)
        self.conv = conv(64, 96, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.maxpool(x), self.conv(x)], 1)


class Mixed4a(nn.Module):
    """Stem split: 1x1-3x3 | 1x1-1x7-7x1-3x3, both 'valid' (160 -> 192 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = nn.Sequential(conv(160, 64, 1), conv(64, 96, 3))
        self.branch1 = nn.Sequential(
            conv(160, 64, 1), conv(64, 64, (1, 7), padding=(0, 3)), conv(64, 64, (7, 1), padding=(3, 0)),
            conv(64, 96, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x)], 1)


class Mixed5a(nn.Module):
    """Stem split: 3x3 s2 conv | max pool (192 -> 384 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.conv = conv(192, 192, 3, stride=2)
        self.maxpool = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.conv(x), self.maxpool(x)], 1)


class InceptionA(nn.Module):
    """35x35 block (384 channels): 1x1 | 1x1-3x3 | 1x1-3x3-3x3 | avgpool-1x1."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(384, 96, 1)
        self.branch1 = nn.Sequential(conv(384, 64, 1), conv(64, 96, 3, padding=1))
        self.branch2 = nn.Sequential(conv(384, 64, 1), conv(64, 96, 3, padding=1), conv(96, 96, 3, padding=1))
        self.branch3 = nn.Sequential(_avg_pool(), conv(384, 96, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class ReductionA(nn.Module):
    """35x35 -> 17x17: 3x3 s2 | 1x1-3x3-3x3 s2 | max pool (384 -> 1024 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(384, 384, 3, stride=2)
        self.branch1 = nn.Sequential(conv(384, 192, 1), conv(192, 224, 3, padding=1), conv(224, 256, 3, stride=2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x)], 1)


class InceptionB(nn.Module):
    """17x17 block (1024 channels) with 7x7 convs factorised into 1x7 / 7x1."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(1024, 384, 1)
        self.branch1 = nn.Sequential(
            conv(1024, 192, 1), conv(192, 224, (1, 7), padding=(0, 3)), conv(224, 256, (7, 1), padding=(3, 0)))
        self.branch2 = nn.Sequential(
            conv(1024, 192, 1), conv(192, 192, (7, 1), padding=(3, 0)), conv(192, 224, (1, 7), padding=(0, 3)),
            conv(224, 224, (7, 1), padding=(3, 0)), conv(224, 256, (1, 7), padding=(0, 3)))
        self.branch3 = nn.Sequential(_avg_pool(), conv(1024, 128, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class ReductionB(nn.Module):
    """17x17 -> 8x8: 1x1-3x3 s2 | 1x1-1x7-7x1-3x3 s2 | max pool (1024 -> 1536 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = nn.Sequential(conv(1024, 192, 1), conv(192, 192, 3, stride=2))
        self.branch1 = nn.Sequential(
            conv(1024, 256, 1), conv(256, 256, (1, 7), padding=(0, 3)), conv(256, 320, (7, 1), padding=(3, 0)),
            conv(320, 320, 3, stride=2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x)], 1)


class InceptionC(nn.Module):
    """8x8 block (1536 channels) whose 3x3 branches split into parallel 1x3 and 3x1 convs."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(1536, 256, 1)
        self.branch1_0 = conv(1536, 384, 1)
        self.branch1_1a = conv(384, 256, (1, 3), padding=(0, 1))
        self.branch1_1b = conv(384, 256, (3, 1), padding=(1, 0))
        self.branch2_0 = conv(1536, 384, 1)
        self.branch2_1 = conv(384, 448, (3, 1), padding=(1, 0))
        self.branch2_2 = conv(448, 512, (1, 3), padding=(0, 1))
        self.branch2_3a = conv(512, 256, (1, 3), padding=(0, 1))
        self.branch2_3b = conv(512, 256, (3, 1), padding=(1, 0))
        self.branch3 = nn.Sequential(_avg_pool(), conv(1536, 256, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b1 = self.branch1_0(x)
        b1 = torch.cat([self.branch1_1a(b1), self.branch1_1b(b1)], 1)
        b2 = self.branch2_2(self.branch2_1(self.branch2_0(x)))
        b2 = torch.cat([self.branch2_3a(b2), self.branch2_3b(b2)], 1)
        return torch.cat([self.branch0(x), b1, b2, self.branch3(x)], 1)


class InceptionV4(nn.Module):
    """Inception-v4: stem, 4 x A, reduction A, 7 x B, reduction B, 3 x C, then a linear head.

    Convs are 'valid' unless written, so inputs must be at least 75x75.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        drop_rate: float = 0.0,
        global_pool: str = "avg",
        norm_layer: Union[str, Callable[..., nn.Module]] = "batchnorm2d",
        norm_eps: float = 1e-3,
        act_layer: Union[str, Callable[..., nn.Module]] = "relu",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if output_stride != 32:
            raise ValueError(f"InceptionV4 supports output_stride=32 only, got {output_stride}")
        dd = factory_kwargs(device, dtype)
        self._dd = dd
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        conv = partial(
            ConvNormAct, padding=0, norm_layer=norm_layer, act_layer=act_layer, norm_kwargs=dict(eps=norm_eps), **dd)

        self.features = nn.Sequential(
            conv(in_chans, 32, 3, stride=2),
            conv(32, 32, 3),
            conv(32, 64, 3, padding=1),
            Mixed3a(conv),
            Mixed4a(conv),
            Mixed5a(conv),
            *[InceptionA(conv) for _ in range(4)],
            ReductionA(conv),
            *[InceptionB(conv) for _ in range(7)],
            ReductionB(conv),
            *[InceptionC(conv) for _ in range(3)],
        )
        self.feature_info = [
            dict(num_chs=64, reduction=2, module="features.2"),
            dict(num_chs=160, reduction=4, module="features.3"),
            dict(num_chs=384, reduction=8, module="features.9"),
            dict(num_chs=1024, reduction=16, module="features.17"),
            dict(num_chs=1536, reduction=32, module="features.21"),
        ]
        self.num_features = self.head_hidden_size = 1536
        self.global_pool, self.last_linear = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **dd)
        self.head_drop = nn.Dropout(drop_rate)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^features\.[012]\.", blocks=r"^features\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.last_linear

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.last_linear = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _points(self) -> List[str]:
        return [info["module"].split(".")[-1] for info in self.feature_info]

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
            raise ValueError(f"InceptionV4 feature maps are NCHW only, got output_fmt={output_fmt!r}")
        return run_feature_points(list(self.features.named_children()), self._points(), x, indices,
                                  stop_early=stop_early, intermediates_only=intermediates_only)

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices = prune_after(self.features, self._points(), indices)
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.features, x)
        return self.features(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.last_linear(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


INCEPTION_V4S: Dict[str, Dict[str, Any]] = {"inception_v4": dict()}

INCEPTION_V4_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "inception_v4.tf_in1k": dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 299, 299), pool_size=(8, 8), crop_pct=0.875,
        interpolation="bicubic", mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD,
        first_conv="features.0.conv", classifier="last_linear", license="apache-2.0",
    ),
}

default_cfgs = generate_default_cfgs(INCEPTION_V4_WEIGHTS)


def _create_inception_v4(variant: str, pretrained: bool = False, **kwargs: Any) -> InceptionV4:
    return build_model_with_cfg(InceptionV4, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(INCEPTION_V4S, _create_inception_v4, globals())
