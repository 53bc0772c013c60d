"""Pool -> norm -> (hidden layer) -> classify: the head of ConvNeXt-style networks, whose trunk ends
without a norm, so the norm sits after the pooling."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Optional, Union

import torch
from torch import nn

from .adaptive_avgmax_pool import SelectAdaptivePool2d
from .create_act import get_act_layer
from .helpers import factory_kwargs
from .norm import get_norm_layer

__all__ = ["NormMlpClassifierHead", "ClNormMlpClassifierHead"]


class NormMlpClassifierHead(nn.Module):
    """``global_pool -> norm -> flatten -> pre_logits (Linear + act, if hidden_size) -> drop -> fc``.

    With ``pool_type=''`` there is no pooling: the norm, hidden layer and classifier act per pixel
    (1x1 convs) and the output is a map. A pooling that widens the features ('catavgmax') normalizes
    each pooled part with the same norm, so trained norm weights keep their meaning.
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden_size: Optional[int] = None,
        pool_type: str = "avg",
        drop_rate: float = 0.0,
        norm_layer: Union[str, Callable[..., nn.Module]] = "layernorm2d",
        act_layer: Union[str, Callable[..., nn.Module]] = "tanh",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        self._dd = factory_kwargs(device, dtype)
        self.in_features = in_features
        self.hidden_size = hidden_size
        self.num_features = hidden_size or in_features
        self._act_layer = get_act_layer(act_layer)
        self._set_pool(pool_type)
        self.norm = get_norm_layer(norm_layer)(in_features, **self._dd)
        self.pre_logits = self._make_pre_logits()
        self.drop = nn.Dropout(drop_rate)
        self.fc = self._make_fc(num_classes)

    def _set_pool(self, pool_type: str) -> None:
        self.global_pool = SelectAdaptivePool2d(pool_type=pool_type)
        self.use_conv = self.global_pool.is_identity()  # no pooling: keep the map, act per pixel
        self.flatten = nn.Flatten(1) if pool_type else nn.Identity()

    def _linear(self, in_features: int, out_features: int) -> nn.Module:
        if self.use_conv:
            return nn.Conv2d(in_features, out_features, kernel_size=1, **self._dd)
        return nn.Linear(in_features, out_features, **self._dd)

    def _make_pre_logits(self) -> nn.Module:
        if not self.hidden_size:
            return nn.Identity()
        width = self.in_features * self.global_pool.feat_mult()
        return nn.Sequential(OrderedDict([("fc", self._linear(width, self.hidden_size)), ("act", self._act_layer())]))

    def _make_fc(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        width = self.num_features if self.hidden_size else self.in_features * self.global_pool.feat_mult()
        return self._linear(width, num_classes)

    def reset(self, num_classes: int, pool_type: Optional[str] = None, reset_other: bool = False) -> None:
        """New classifier; ``pool_type`` also swaps the pooling, ``reset_other`` drops the norm and hidden layer."""
        if pool_type is not None:
            old_mult = self.global_pool.feat_mult()
            self._set_pool(pool_type)
            if self.hidden_size and self.global_pool.feat_mult() != old_mult:
                self.pre_logits = self._make_pre_logits()  # a wider input needs a fresh hidden layer
            elif self.hidden_size:
                self.pre_logits.fc = self._convert(self.pre_logits.fc)
        if reset_other:
            self.pre_logits = nn.Identity()
            self.norm = nn.Identity()
            self.hidden_size = None
            self.num_features = self.in_features
        self.fc = self._make_fc(num_classes)

    def _convert(self, layer: nn.Module) -> nn.Module:
        """The same weights as a 1x1 conv or a linear, whichever the pooling now needs."""
        if self.use_conv == isinstance(layer, nn.Conv2d):
            return layer
        new = self._linear(layer.in_features if isinstance(layer, nn.Linear) else layer.in_channels,
                           layer.out_features if isinstance(layer, nn.Linear) else layer.out_channels)
        with torch.no_grad():
            new.weight.copy_(layer.weight.reshape(new.weight.shape))
            new.bias.copy_(layer.bias)
        return new

    def _norm(self, x: torch.Tensor) -> torch.Tensor:
        parts = self.global_pool.feat_mult()
        if parts == 1:
            return self.norm(x)
        n, c, h, w = x.shape
        return self.norm(x.reshape(n * parts, c // parts, h, w)).reshape(n, c, h, w)

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        x = self.flatten(self._norm(x))
        x = self.drop(self.pre_logits(x))
        return x if pre_logits else self.fc(x)


def _pool_channels_last(x: torch.Tensor, pool_type: str, reduce_dims) -> torch.Tensor:
    """Global pooling of a channels-last tensor over ``reduce_dims``: 'avg', 'max', 'avgmax' (their mean)."""
    if pool_type == "avg":
        return x.mean(reduce_dims)
    if pool_type == "max":
        return x.amax(reduce_dims)
    if pool_type == "avgmax":
        return 0.5 * (x.mean(reduce_dims) + x.amax(reduce_dims))
    raise ValueError(f"pool_type must be 'avg', 'max', 'avgmax' or '' (no pooling), got {pool_type!r}")


class ClNormMlpClassifierHead(nn.Module):
    """:class:`NormMlpClassifierHead` for channels-last input (``NHWC`` maps or ``NLC`` tokens):
    ``pool -> norm -> pre_logits (Linear + act, if hidden_size) -> drop -> fc``. ``pool_type=''`` keeps the
    spatial / token axes and applies everything per position."""

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden_size: Optional[int] = None,
        pool_type: str = "avg",
        drop_rate: float = 0.0,
        norm_layer: Union[str, Callable[..., nn.Module]] = "layernorm",
        act_layer: Union[str, Callable[..., nn.Module]] = "gelu",
        input_fmt: str = "NHWC",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if input_fmt not in ("NHWC", "NLC"):
            raise ValueError(f"input_fmt must be 'NHWC' or 'NLC', got {input_fmt!r}")
        if pool_type not in ("", "avg", "max", "avgmax"):
            raise ValueError(f"pool_type must be 'avg', 'max', 'avgmax' or '' (no pooling), got {pool_type!r}")
        dd = factory_kwargs(device, dtype)
        self.in_features = in_features
        self.hidden_size = hidden_size
        self.num_features = hidden_size or in_features
        self.pool_type = pool_type
        self.input_fmt = input_fmt
        self.pool_dim = 1 if input_fmt == "NLC" else (1, 2)
        self.norm = get_norm_layer(norm_layer)(in_features, **dd)
        if hidden_size:
            act = get_act_layer(act_layer)
            self.pre_logits = nn.Sequential(OrderedDict([
                ("fc", nn.Linear(in_features, hidden_size, **dd)), ("act", act())]))
        else:
            self.pre_logits = nn.Identity()
        self.drop = nn.Dropout(drop_rate)
        self.fc = nn.Linear(self.num_features, num_classes, **dd) if num_classes > 0 else nn.Identity()

    def reset(
        self, num_classes: int, pool_type: Optional[str] = None, reset_other: bool = False,
        in_features: Optional[int] = None, device: Any = None, dtype: Any = None,
    ) -> None:
        """New classifier; ``pool_type`` swaps the pooling, ``reset_other`` drops the norm and hidden layer
        (``in_features`` then gives the width the classifier sees, when it changed)."""
        if pool_type is not None:
            if pool_type not in ("", "avg", "max", "avgmax"):
                raise ValueError(f"pool_type must be 'avg', 'max', 'avgmax' or '', got {pool_type!r}")
            self.pool_type = pool_type
        if reset_other:
            self.in_features = in_features or self.in_features
            self.pre_logits = nn.Identity()
            self.norm = nn.Identity()
            self.num_features = self.in_features
        dd = factory_kwargs(device, dtype)
        if not dd and isinstance(self.fc, nn.Linear):
            dd = dict(device=self.fc.weight.device, dtype=self.fc.weight.dtype)
        self.fc = nn.Linear(self.num_features, num_classes, **dd) if num_classes > 0 else nn.Identity()

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        if self.pool_type:
            x = _pool_channels_last(x, self.pool_type, self.pool_dim)
        x = self.drop(self.pre_logits(self.norm(x)))
        return x if pre_logits else self.fc(x)
