"""VGG: stacks of 3x3 convs separated by 2x2 max pools, with the two 4096-wide fully connected layers
kept as convolutions (a 7x7 then a 1x1) so the network runs at any input size.
Checkpoint-compatible with timm's ``vgg`` module (torchvision's weights).

Paper: Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
2014 (arXiv:1409.1556).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import ClassifierHead, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import prune_after, run_feature_points
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["VGG", "VggConvMlp"]

LayerFn = Callable[..., nn.Module]
M = "M"  # a 2x2 stride-2 max pool in a layer list


class VggConvMlp(nn.Module):
    """The pre-logits of VGG: fc6 as a ``kernel_size`` conv, fc7 as a 1x1 conv, each followed by ReLU.

    A map smaller than the kernel is first average-resized up to it, so small inputs still give one
    output position (as the reference does).
    """

    def __init__(
        self, in_features: int = 512, out_features: int = 4096, kernel_size: int = 7, mlp_ratio: float = 1.0,
        drop_rate: float = 0.2, act_layer: LayerFn = nn.ReLU, conv_layer: LayerFn = nn.Conv2d,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.input_kernel_size = kernel_size
        hidden = int(out_features * mlp_ratio)
        self.fc1 = conv_layer(in_features, hidden, kernel_size, bias=True, **dd)
        self.act1 = act_layer(True)
        self.drop = nn.Dropout(drop_rate)
        self.fc2 = conv_layer(hidden, out_features, 1, bias=True, **dd)
        self.act2 = act_layer(True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        k = self.input_kernel_size
        if x.shape[-2] < k or x.shape[-1] < k:
            x = F.adaptive_avg_pool2d(x, (max(k, x.shape[-2]), max(k, x.shape[-1])))
        x = self.drop(self.act1(self.fc1(x)))
        return self.act2(self.fc2(x))


class VGG(nn.Module):
    """VGG from a layer list ``cfg``: channel counts for 3x3 convs and ``'M'`` for max pools.

    ``norm_layer`` (BatchNorm2d for the ``_bn`` variants) goes between each conv and its ReLU.
    Feature points are the last activation before each pool, and the final pool.
    """

    def __init__(
        self,
        cfg: Sequence[Union[int, str]],
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        mlp_ratio: float = 1.0,
        act_layer: LayerFn = nn.ReLU,
        conv_layer: LayerFn = nn.Conv2d,
        norm_layer: Optional[LayerFn] = None,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if output_stride != 32:
            raise ValueError(f"VGG supports output_stride=32 only (five fixed max pools), got {output_stride}")
        dd = factory_kwargs(device, dtype)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        self.feature_info: List[Dict[str, Any]] = []

        layers: List[nn.Module] = []
        prev_chs, reduction = in_chans, 1
        for v in cfg:
            if v == M:
                self.feature_info.append(dict(num_chs=prev_chs, reduction=reduction, module=f"features.{len(layers) - 1}"))
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
                reduction *= 2
                continue
            layers.append(conv_layer(prev_chs, v, kernel_size=3, padding=1, **dd))
            if norm_layer is not None:
                layers.append(norm_layer(v, **dd))
            layers.append(act_layer(inplace=True))
            prev_chs = v
        self.features = nn.Sequential(*layers)
        self.feature_info.append(dict(num_chs=prev_chs, reduction=reduction, module=f"features.{len(layers) - 1}"))

        self.num_features = prev_chs
        self.head_hidden_size = 4096
        self.pre_logits = VggConvMlp(
            prev_chs, self.head_hidden_size, 7, mlp_ratio=mlp_ratio, drop_rate=drop_rate, act_layer=act_layer,
            conv_layer=conv_layer, **dd)
        self.head = ClassifierHead(self.head_hidden_size, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        self.init_weights()

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^features\.0", blocks=r"^features\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

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
        """Maps at ``indices`` of the feature points in ``feature_info`` (before each pool, and the last pool)."""
        if output_fmt != "NCHW":
            raise ValueError(f"VGG feature maps are NCHW only, got output_fmt={output_fmt!r}")
        return run_feature_points(list(self.features.named_children()), self._points(), x, indices,
                                  stop_early=stop_early, intermediates_only=intermediates_only)

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices = prune_after(self.features, self._points(), indices)
        if prune_head:
            self.pre_logits = nn.Identity()
            self.head_hidden_size = self.num_features
            self.head = ClassifierHead(self.num_features, 0, pool_type="")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            # one segment per pool-to-pool stage: a segment must not start with an in-place ReLU,
            # which would overwrite the input the checkpoint keeps for recomputation
            segments, current = [], []
            for m in self.features:
                current.append(m)
                if isinstance(m, nn.MaxPool2d):
                    segments.append(nn.Sequential(*current))
                    current = []
            return checkpoint_seq(segments + [nn.Sequential(*current)], x)
        return self.features(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.pre_logits(x)
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_LAYERS = {
    11: [64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],
    13: [64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],
    16: [64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M],
    19: [64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M],
}

VGGS: Dict[str, Dict[str, Any]] = {}
for _depth, _cfg_list in _LAYERS.items():
    VGGS[f"vgg{_depth}"] = dict(cfg=_cfg_list)
    VGGS[f"vgg{_depth}_bn"] = dict(cfg=_cfg_list, norm_layer=nn.BatchNorm2d)


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", first_conv="features.0", classifier="head.fc", license="bsd-3-clause",
    )
    cfg.update(kwargs)
    return cfg


VGG_WEIGHTS: Dict[str, Dict[str, Any]] = {f"{name}.tv_in1k": _cfg() for name in VGGS}

default_cfgs = generate_default_cfgs(VGG_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_vgg(variant: str, pretrained: bool = False, **kwargs: Any) -> VGG:
    # six feature points (five pre-pool activations and the final pool), all returned by default
    return build_model_with_cfg(
        VGG, variant, pretrained, feature_cfg=dict(flatten_sequential=True, out_indices=(0, 1, 2, 3, 4, 5)), **kwargs)


register_variants(VGGS, _create_vgg, globals())
