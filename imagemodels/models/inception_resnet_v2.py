"""Inception-ResNet-v2: Inception blocks whose concatenated branches are projected back by a 1x1 conv
and added, scaled down, to the block input (residual Inception). Checkpoint-compatible with timm's
``inception_resnet_v2`` module (Cadene / TF-slim layout).

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
from ._registry import register_model_deprecations, register_variants

__all__ = ["InceptionResnetV2"]

ConvFn = Callable[..., nn.Module]


class Mixed5b(nn.Module):
    """Stem to 35x35 blocks: 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avgpool-1x1 (192 -> 320 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(192, 96, 1)
        self.branch1 = nn.Sequential(conv(192, 48, 1), conv(48, 64, 5, padding=2))
        self.branch2 = nn.Sequential(conv(192, 64, 1), conv(64, 96, 3, padding=1), conv(96, 96, 3, padding=1))
        self.branch3 = nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), conv(192, 64, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class _Residual(nn.Module):
    """``act(x + scale * conv2d(cat(branches(x))))``; the last 8x8 block has no activation."""

    scale: float

    def _branches(self, x: torch.Tensor) -> List[torch.Tensor]:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv2d(torch.cat(self._branches(x), 1)) * self.scale + x
        return self.act(out)


class Block35(_Residual):
    """35x35 residual block (320 channels): 1x1 | 1x1-3x3 | 1x1-3x3-3x3."""

    def __init__(self, conv: ConvFn, scale: float = 1.0, **dd: Any):
        super().__init__()
        self.scale = scale
        self.branch0 = conv(320, 32, 1)
        self.branch1 = nn.Sequential(conv(320, 32, 1), conv(32, 32, 3, padding=1))
        self.branch2 = nn.Sequential(conv(320, 32, 1), conv(32, 48, 3, padding=1), conv(48, 64, 3, padding=1))
        self.conv2d = nn.Conv2d(128, 320, 1, **dd)
        self.act = nn.ReLU()

    def _branches(self, x: torch.Tensor) -> List[torch.Tensor]:
        return [self.branch0(x), self.branch1(x), self.branch2(x)]


class Mixed6a(nn.Module):
    """35x35 -> 17x17: 3x3 s2 | 1x1-3x3-3x3 s2 | max pool (320 -> 1088 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = conv(320, 384, 3, stride=2)
        self.branch1 = nn.Sequential(conv(320, 256, 1), conv(256, 256, 3, padding=1), conv(256, 384, 3, stride=2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x)], 1)


class Block17(_Residual):
    """17x17 residual block (1088 channels): 1x1 | 1x1-1x7-7x1."""

    def __init__(self, conv: ConvFn, scale: float = 1.0, **dd: Any):
        super().__init__()
        self.scale = scale
        self.branch0 = conv(1088, 192, 1)
        self.branch1 = nn.Sequential(
            conv(1088, 128, 1), conv(128, 160, (1, 7), padding=(0, 3)), conv(160, 192, (7, 1), padding=(3, 0)))
        self.conv2d = nn.Conv2d(384, 1088, 1, **dd)
        self.act = nn.ReLU()

    def _branches(self, x: torch.Tensor) -> List[torch.Tensor]:
        return [self.branch0(x), self.branch1(x)]


class Mixed7a(nn.Module):
    """17x17 -> 8x8: three 1x1-then-strided branches and a max pool (1088 -> 2080 channels)."""

    def __init__(self, conv: ConvFn):
        super().__init__()
        self.branch0 = nn.Sequential(conv(1088, 256, 1), conv(256, 384, 3, stride=2))
        self.branch1 = nn.Sequential(conv(1088, 256, 1), conv(256, 288, 3, stride=2))
        self.branch2 = nn.Sequential(conv(1088, 256, 1), conv(256, 288, 3, padding=1), conv(288, 320, 3, stride=2))
        self.branch3 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class Block8(_Residual):
    """8x8 residual block (2080 channels): 1x1 | 1x1-1x3-3x1; ``no_relu`` for the last one."""

    def __init__(self, conv: ConvFn, scale: float = 1.0, no_relu: bool = False, **dd: Any):
        super().__init__()
        self.scale = scale
        self.branch0 = conv(2080, 192, 1)
        self.branch1 = nn.Sequential(
            conv(2080, 192, 1), conv(192, 224, (1, 3), padding=(0, 1)), conv(224, 256, (3, 1), padding=(1, 0)))
        self.conv2d = nn.Conv2d(448, 2080, 1, **dd)
        self.act = nn.Identity() if no_relu else nn.ReLU()

    def _branches(self, x: torch.Tensor) -> List[torch.Tensor]:
        return [self.branch0(x), self.branch1(x)]


class InceptionResnetV2(nn.Module):
    """Inception-ResNet-v2: stem, Mixed-5b, 10 x Block35, Mixed-6a, 20 x Block17, Mixed-7a,
    9 x Block8 + a last Block8 without ReLU, a 1x1 conv to 1536, then a linear head.

    The stem and reductions are 'valid', so inputs must be at least 75x75.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_chans: int = 3,
        drop_rate: float = 0.0,
        output_stride: int = 32,
        global_pool: str = "avg",
        norm_layer: Union[str, Callable[..., nn.Module]] = "batchnorm2d",
        norm_eps: float = 1e-3,
        act_layer: Union[str, Callable[..., nn.Module]] = "relu",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if output_stride != 32:
            raise ValueError(f"InceptionResnetV2 here supports output_stride=32 only, got {output_stride}")
        dd = factory_kwargs(device, dtype)
        self._dd = dd
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        conv = partial(
            ConvNormAct, padding=0, norm_layer=norm_layer, act_layer=act_layer, norm_kwargs=dict(eps=norm_eps), **dd)

        self.conv2d_1a = conv(in_chans, 32, 3, stride=2)
        self.conv2d_2a = conv(32, 32, 3)
        self.conv2d_2b = conv(32, 64, 3, padding=1)
        self.maxpool_3a = nn.MaxPool2d(3, stride=2)
        self.conv2d_3b = conv(64, 80, 1)
        self.conv2d_4a = conv(80, 192, 3)
        self.maxpool_5a = nn.MaxPool2d(3, stride=2)
        self.mixed_5b = Mixed5b(conv)
        self.repeat = nn.Sequential(*[Block35(conv, scale=0.17, **dd) for _ in range(10)])
        self.mixed_6a = Mixed6a(conv)
        self.repeat_1 = nn.Sequential(*[Block17(conv, scale=0.10, **dd) for _ in range(20)])
        self.mixed_7a = Mixed7a(conv)
        self.repeat_2 = nn.Sequential(*[Block8(conv, scale=0.20, **dd) for _ in range(9)])
        self.block8 = Block8(conv, no_relu=True, **dd)
        self.conv2d_7b = conv(2080, 1536, 1)
        self.feature_info = [
            dict(num_chs=64, reduction=2, module="conv2d_2b"),
            dict(num_chs=192, reduction=4, module="conv2d_4a"),
            dict(num_chs=320, reduction=8, module="repeat"),
            dict(num_chs=1088, reduction=16, module="repeat_1"),
            dict(num_chs=1536, reduction=32, module="conv2d_7b"),
        ]
        self.num_features = self.head_hidden_size = 1536
        self.global_pool, self.classif = create_classifier(self.num_features, num_classes, pool_type=global_pool, **dd)
        self.head_drop = nn.Dropout(drop_rate)

    # --- the model contract -----------------------------------------------------------------------

    def _trunk(self) -> List[Tuple[str, nn.Module]]:
        return [(n, m) for n, m in self.named_children() if n not in ("global_pool", "head_drop", "classif")]

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        # one layer per block (per residual block inside the repeats); the last Block8 joins the final conv
        blocks = [(r"^mixed_5b\.", (0,)), (r"^repeat\.(\d+)\.", (1,)), (r"^mixed_6a\.", (2,)),
                  (r"^repeat_1\.(\d+)\.", (3,)), (r"^mixed_7a\.", (4,)), (r"^repeat_2\.(\d+)\.", (5,)),
                  (r"^block8\.|^conv2d_7b\.", (6,))]
        return dict(stem=[(r"^conv2d_[12]", (0,)), (r"^conv2d_[34]", (1,))], blocks=blocks)

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classif

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.classif = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _points(self) -> List[str]:
        return [info["module"] for info in self.feature_info]

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
            raise ValueError(f"InceptionResnetV2 feature maps are NCHW only, got output_fmt={output_fmt!r}")
        return run_feature_points(self._trunk(), self._points(), x, indices, stop_early=stop_early,
                                  intermediates_only=intermediates_only)

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices = prune_after(self, self._points(), indices)
        # the head went with the pruned tail: give back an empty one
        self.num_classes = 0
        self.global_pool, self.classif = create_classifier(self.num_features, 0, pool_type="", **self._dd)
        self.head_drop = nn.Identity()
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        trunk = [m for _, m in self._trunk()]
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(trunk, x, flatten=True)
        for module in trunk:
            x = module(x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.classif(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


INCEPTION_RESNET_V2S: Dict[str, Dict[str, Any]] = {"inception_resnet_v2": dict()}


def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 299, 299), pool_size=(8, 8), crop_pct=0.8975,
        interpolation="bicubic", mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD,
        first_conv="conv2d_1a.conv", classifier="classif", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


INCEPTION_RESNET_V2_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "inception_resnet_v2.tf_in1k": _cfg(),
    # ensemble-adversarially trained (Tramer et al., arXiv:1705.07204)
    "inception_resnet_v2.tf_ens_adv_in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(INCEPTION_RESNET_V2_WEIGHTS)


def _create_inception_resnet_v2(variant: str, pretrained: bool = False, **kwargs: Any) -> InceptionResnetV2:
    return build_model_with_cfg(InceptionResnetV2, variant, pretrained, **kwargs)


register_variants(INCEPTION_RESNET_V2S, _create_inception_resnet_v2, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "ens_adv_inception_resnet_v2": "inception_resnet_v2.tf_ens_adv_in1k",
})
