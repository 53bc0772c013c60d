"""Classifier heads: global pooling (+ dropout) + a linear or 1x1-conv layer."""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
from torch import nn

from .adaptive_avgmax_pool import SelectAdaptivePool2d
from .helpers import factory_kwargs

__all__ = ["create_classifier", "ClassifierHead"]


def _create_pool(num_features: int, pool_type: str = "avg", use_conv: bool = False, input_fmt: str = "NCHW") -> Tuple[SelectAdaptivePool2d, int]:
    # a conv classifier wants the (N, C, 1, 1) map, a linear one the flattened (N, C)
    flatten_in_pool = not use_conv and bool(pool_type)
    global_pool = SelectAdaptivePool2d(pool_type=pool_type, flatten=flatten_in_pool, input_fmt=input_fmt)
    return global_pool, num_features * global_pool.feat_mult()


def _create_fc(num_features: int, num_classes: int, use_conv: bool = False, **dd: Any) -> nn.Module:
    if num_classes <= 0:
        return nn.Identity()  # no classifier: the head returns pooled features
    if use_conv:
        return nn.Conv2d(num_features, num_classes, 1, bias=True, **dd)
    return nn.Linear(num_features, num_classes, bias=True, **dd)


def create_classifier(
    num_features: int,
    num_classes: int,
    pool_type: str = "avg",
    use_conv: bool = False,
    input_fmt: str = "NCHW",
    drop_rate: Optional[float] = None,
    device: Any = None,
    dtype: Any = None,
) -> Union[Tuple[nn.Module, nn.Module], Tuple[nn.Module, nn.Module, nn.Module]]:
    """``(global_pool, fc)``, or ``(global_pool, dropout, fc)`` when ``drop_rate`` is given.

    ``num_classes=0`` makes ``fc`` an identity; 'catavgmax' doubles the features ``fc`` sees.
    """
    global_pool, num_pooled_features = _create_pool(num_features, pool_type, use_conv=use_conv, input_fmt=input_fmt)
    fc = _create_fc(num_pooled_features, num_classes, use_conv=use_conv, **factory_kwargs(device, dtype))
    if drop_rate is not None:
        return global_pool, nn.Dropout(drop_rate), fc
    return global_pool, fc


class ClassifierHead(nn.Module):
    """Pool, dropout, classify: the standard image-classification head as one module."""

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        pool_type: str = "avg",
        drop_rate: float = 0.0,
        use_conv: bool = False,
        input_fmt: str = "NCHW",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        self._dd = factory_kwargs(device, dtype)
        self.in_features = in_features
        self.use_conv = use_conv
        self.input_fmt = input_fmt
        self.global_pool, self.fc = create_classifier(
            in_features, num_classes, pool_type, use_conv=use_conv, input_fmt=input_fmt, **self._dd
        )
        self.drop = nn.Dropout(drop_rate)
        self.flatten = nn.Flatten(1) if use_conv and pool_type else nn.Identity()

    def reset(self, num_classes: int, pool_type: Optional[str] = None) -> None:
        if pool_type is not None and pool_type != self.global_pool.pool_type:
            self.global_pool, self.fc = create_classifier(
                self.in_features, num_classes, pool_type, use_conv=self.use_conv, input_fmt=self.input_fmt, **self._dd
            )
            self.flatten = nn.Flatten(1) if self.use_conv and pool_type else nn.Identity()
        else:
            num_pooled_features = self.in_features * self.global_pool.feat_mult()
            self.fc = _create_fc(num_pooled_features, num_classes, use_conv=self.use_conv, **self._dd)

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        x = self.drop(x)
        if pre_logits:
            return self.flatten(x)
        return self.flatten(self.fc(x))
