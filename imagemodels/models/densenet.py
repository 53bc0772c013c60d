"""DenseNet: every layer of a block sees the concatenated outputs of all layers before it.
Checkpoint-compatible with timm's ``densenet`` module (torchvision's layout).

Papers:

* Huang et al., "Densely Connected Convolutional Networks", 2016 (arXiv:1608.06993)
* Zhang, "Making Convolutional Networks Shift-Invariant Again" (the blur-pool stem of
  ``densenetblur121d``), 2019 (arXiv:1904.11486)

Layout: layer, block, transition, network, then ``DENSENETS`` (one row per name), weight metadata and
registration.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from imagemodels.layers import BlurPool2d, create_classifier, factory_kwargs, get_norm_act_layer

from ._builder import build_model_with_cfg
from ._feature_points import prune_after, run_feature_points
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["DenseNet", "DenseLayer", "DenseBlock", "DenseTransition"]

LayerFn = Callable[..., nn.Module]


class DenseLayer(nn.Module):
    """BN-ReLU-1x1 conv to ``bn_size * growth_rate`` channels, then BN-ReLU-3x3 conv to ``growth_rate``.

    Takes the list of all earlier maps of the block and concatenates them first, so the memory-saving
    path can recompute that concatenation in the backward pass instead of storing it.
    """

    def __init__(
        self, in_chs: int, growth_rate: int, bn_size: int, norm_layer: LayerFn, drop_rate: float = 0.0,
        grad_checkpointing: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.norm1 = norm_layer(in_chs, **dd)
        self.conv1 = nn.Conv2d(in_chs, bn_size * growth_rate, kernel_size=1, bias=False, **dd)
        self.norm2 = norm_layer(bn_size * growth_rate, **dd)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, padding=1, bias=False, **dd)
        self.drop_rate = float(drop_rate)
        self.grad_checkpointing = grad_checkpointing

    def bottleneck(self, features: List[torch.Tensor]) -> torch.Tensor:
        return self.conv1(self.norm1(torch.cat(features, 1)))

    def forward(self, features: Union[torch.Tensor, List[torch.Tensor]]) -> torch.Tensor:
        if isinstance(features, torch.Tensor):
            features = [features]
        if self.grad_checkpointing and not torch.jit.is_scripting() and any(f.requires_grad for f in features):
            x = checkpoint(lambda *fs: self.bottleneck(list(fs)), *features, use_reentrant=False)
        else:
            x = self.bottleneck(features)
        x = self.conv2(self.norm2(x))
        if self.drop_rate > 0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x


class DenseBlock(nn.ModuleDict):
    """``num_layers`` dense layers; the output is the input concatenated with every layer's new maps."""

    def __init__(
        self, num_layers: int, in_chs: int, bn_size: int, growth_rate: int, norm_layer: LayerFn,
        drop_rate: float = 0.0, grad_checkpointing: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}", DenseLayer(
                in_chs + i * growth_rate, growth_rate, bn_size, norm_layer, drop_rate=drop_rate,
                grad_checkpointing=grad_checkpointing, device=device, dtype=dtype,
            ))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for layer in self.values():
            features.append(layer(features))
        return torch.cat(features, 1)


class DenseTransition(nn.Sequential):
    """BN-ReLU, 1x1 conv (halves the channels), then a 2x2 average pool (or an anti-aliased one)."""

    def __init__(
        self, in_chs: int, out_chs: int, norm_layer: LayerFn, aa_layer: Optional[LayerFn] = None,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.add_module("norm", norm_layer(in_chs, **dd))
        self.add_module("conv", nn.Conv2d(in_chs, out_chs, kernel_size=1, bias=False, **dd))
        self.add_module("pool", aa_layer(channels=out_chs, stride=2, **dd) if aa_layer is not None
                        else nn.AvgPool2d(kernel_size=2, stride=2))


class DenseNet(nn.Module):
    """DenseNet-BC: a stem, four dense blocks joined by halving transitions, a final norm, a linear head.

    ``stem_type``: '' is a 7x7 stride-2 conv of ``2 * growth_rate`` channels; 'deep' three 3x3 convs
    (``growth_rate``, ``growth_rate``, ``2 * growth_rate``). ``aa_layer`` (e.g. BlurPool2d) makes the stem
    pool anti-aliased, and the transitions too unless ``aa_stem_only``. ``memory_efficient`` recomputes
    each layer's concatenation in the backward pass (also what ``set_grad_checkpointing`` turns on).
    """

    def __init__(
        self,
        growth_rate: int = 32,
        block_config: Sequence[int] = (6, 12, 24, 16),
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        bn_size: int = 4,
        stem_type: str = "",
        act_layer: Union[str, LayerFn] = "relu",
        norm_layer: Union[str, LayerFn] = "batchnorm2d",
        aa_layer: Optional[LayerFn] = None,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        memory_efficient: bool = False,
        aa_stem_only: bool = True,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if stem_type not in ("", "deep"):
            raise ValueError(f"stem_type must be '' or 'deep', got {stem_type!r}")
        dd = factory_kwargs(device, dtype)
        self._dd = dd
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.global_pool_type = global_pool
        norm_act = get_norm_act_layer(norm_layer, act_layer=act_layer)

        stem_chs = growth_rate * 2
        stem: "OrderedDict[str, nn.Module]" = OrderedDict()
        if stem_type == "deep":
            stem["conv0"] = nn.Conv2d(in_chans, growth_rate, 3, stride=2, padding=1, bias=False, **dd)
            stem["norm0"] = norm_act(growth_rate, **dd)
            stem["conv1"] = nn.Conv2d(growth_rate, growth_rate, 3, stride=1, padding=1, bias=False, **dd)
            stem["norm1"] = norm_act(growth_rate, **dd)
            stem["conv2"] = nn.Conv2d(growth_rate, stem_chs, 3, stride=1, padding=1, bias=False, **dd)
            stem["norm2"] = norm_act(stem_chs, **dd)
        else:
            stem["conv0"] = nn.Conv2d(in_chans, stem_chs, 7, stride=2, padding=3, bias=False, **dd)
            stem["norm0"] = norm_act(stem_chs, **dd)
        if aa_layer is not None:
            # a stride-1 max pool then the anti-aliasing layer does the stride
            stem["pool0"] = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), aa_layer(channels=stem_chs, stride=2, **dd))
        else:
            stem["pool0"] = nn.MaxPool2d(3, stride=2, padding=1)
        self.features = nn.Sequential(stem)
        self.feature_info = [dict(num_chs=stem_chs, reduction=2, module=f"features.norm{2 if stem_type else 0}")]

        num_features = stem_chs
        reduction = 4
        for i, num_layers in enumerate(block_config):
            block = DenseBlock(
                num_layers, num_features, bn_size, growth_rate, norm_act, drop_rate=proj_drop_rate,
                grad_checkpointing=memory_efficient, **dd,
            )
            self.features.add_module(f"denseblock{i + 1}", block)
            num_features += num_layers * growth_rate
            if i == len(block_config) - 1:
                break
            self.feature_info.append(dict(num_chs=num_features, reduction=reduction, module=f"features.denseblock{i + 1}"))
            reduction *= 2
            self.features.add_module(f"transition{i + 1}", DenseTransition(
                num_features, num_features // 2, norm_act, aa_layer=None if aa_stem_only else aa_layer, **dd))
            num_features //= 2
        self.features.add_module("norm5", norm_act(num_features, **dd))
        self.feature_info.append(dict(num_chs=num_features, reduction=reduction, module="features.norm5"))

        self.num_features = self.head_hidden_size = num_features
        self.global_pool, self.classifier = create_classifier(num_features, num_classes, pool_type=global_pool, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.init_weights()

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        stem = r"^features\.conv[012]|features\.norm[012]|features\.pool[012]"
        if coarse:
            return dict(stem=stem, blocks=r"^features\.(?:denseblock|transition)(\d+)")
        return dict(stem=stem, blocks=[(r"^features\.denseblock(\d+)\.denselayer(\d+)", None),
                                       (r"^features\.transition(\d+)", (99999,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for m in self.modules():
            if isinstance(m, DenseLayer):
                m.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.classifier = create_classifier(
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
        """Maps at ``indices`` of the feature points in ``feature_info`` (stem norm, blocks 1-3, final norm)."""
        if output_fmt != "NCHW":
            raise ValueError(f"DenseNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
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
        return self.features(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.classifier(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

DENSENETS: Dict[str, Dict[str, Any]] = {
    "densenet121": dict(growth_rate=32, block_config=(6, 12, 24, 16)),
    "densenetblur121d": dict(growth_rate=32, block_config=(6, 12, 24, 16), stem_type="deep", aa_layer=BlurPool2d),
    "densenet169": dict(growth_rate=32, block_config=(6, 12, 32, 32)),
    "densenet201": dict(growth_rate=32, block_config=(6, 12, 48, 32)),
    "densenet161": dict(growth_rate=48, block_config=(6, 12, 36, 24)),
    "densenet264d": dict(growth_rate=48, block_config=(6, 12, 64, 48), stem_type="deep"),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url="", hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bicubic", first_conv="features.conv0", classifier="classifier", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


_RA = dict(test_input_size=(3, 288, 288), test_crop_pct=0.95)

DENSENET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "densenet121.ra_in1k": _cfg(**_RA),
    "densenetblur121d.ra_in1k": _cfg(**_RA),
    "densenet264d.untrained": _cfg(hf_hub_id=None),
    "densenet121.tv_in1k": _cfg(),
    "densenet169.tv_in1k": _cfg(),
    "densenet201.tv_in1k": _cfg(),
    "densenet161.tv_in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(DENSENET_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_densenet(variant: str, pretrained: bool = False, **kwargs: Any) -> DenseNet:
    return build_model_with_cfg(
        DenseNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(DENSENETS, _create_densenet, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "tv_densenet121": "densenet121.tv_in1k",
})
