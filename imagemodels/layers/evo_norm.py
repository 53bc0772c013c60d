"""EvoNorm: norm+activation layers found by architecture search.

Liu et al., "Evolving Normalization-Activation Layers", 2020 (arXiv:2004.02967).

* B (batch) forms divide by the larger of a batch statistic (running variance in eval) and an
  instance statistic: B0 ``x / max(sqrt(var_B + eps), v * x + instance_std(x))``, B1 with
  ``(x + 1) * instance_rms(x)``, B2 with ``instance_rms(x) - x``.
* S (sample) forms are batch independent: S0 ``x * sigmoid(v * x) / group_std(x)``, S1
  ``act(x) / group_std(x)`` (SiLU by default), S2 ``act(x) / group_rms(x)``.

The 'a' variants always divide by the group statistic (also with ``apply_act=False``) and use eps
1e-3; the RegNetZ-evos and ByoBNet 'evos' checkpoints were trained with them. Every form ends with a
per-channel ``weight`` and ``bias``.
"""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

from .create_act import ActLayer, create_act_layer

__all__ = [
    "EvoNorm2dB0", "EvoNorm2dB1", "EvoNorm2dB2", "EvoNorm2dS0", "EvoNorm2dS0a", "EvoNorm2dS1", "EvoNorm2dS1a",
    "EvoNorm2dS2", "EvoNorm2dS2a",
]

_CHANNEL_SHAPE = (1, -1, 1, 1)


def _instance_std(x: torch.Tensor, eps: float) -> torch.Tensor:
    """Per-sample, per-channel std over H, W (computed in float32 so low-precision input stays stable)."""
    var = x.float().var(dim=(2, 3), unbiased=False, keepdim=True)
    return var.add(eps).sqrt().to(x.dtype).expand(x.shape)


def _instance_rms(x: torch.Tensor, eps: float) -> torch.Tensor:
    """Per-sample, per-channel root-mean-square over H, W (in float32)."""
    ms = x.float().square().mean(dim=(2, 3), keepdim=True)
    return ms.add(eps).sqrt().to(x.dtype).expand(x.shape)


def _groups_for(num_features: int, groups: int, group_size: Optional[int]) -> int:
    """``group_size`` (channels per group) wins over ``groups``."""
    if group_size:
        if num_features % group_size:
            raise ValueError(f"group_size {group_size} must divide the {num_features} channels")
        return num_features // group_size
    return groups


def _group_stat(x: torch.Tensor, groups: int, eps: float, centered: bool) -> torch.Tensor:
    """Per-sample std (``centered``) or rms over each group of channels and H, W, broadcast to (B, C, 1, 1)."""
    b, c, h, w = x.shape
    xg = x.float().reshape(b, groups, c // groups, h, w)
    if centered:
        stat = xg.var(dim=(2, 3, 4), unbiased=False, keepdim=True)
    else:
        stat = xg.square().mean(dim=(2, 3, 4), keepdim=True)
    stat = stat.add(eps).sqrt().to(x.dtype)
    return stat.expand(b, groups, c // groups, 1, 1).reshape(b, c, 1, 1)


class _EvoNormAffine(nn.Module):
    """Holds the per-channel ``weight`` and ``bias`` every EvoNorm ends with."""

    def __init__(self, num_features: int, apply_act: bool, eps: float, device: Any, dtype: Any):
        super().__init__()
        self.apply_act = apply_act
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, device=device, dtype=dtype))
        self.bias = nn.Parameter(torch.zeros(num_features, device=device, dtype=dtype))

    def _affine(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weight.to(x.dtype).view(_CHANNEL_SHAPE) + self.bias.to(x.dtype).view(_CHANNEL_SHAPE)


class _EvoNormBatch(_EvoNormAffine):
    """The B forms' shared part: a ``running_var`` buffer updated like BatchNorm's (unbiased, with
    ``momentum``) in training, and the batch std it yields (running value in eval)."""

    def __init__(self, num_features: int, apply_act: bool, momentum: float, eps: float, device: Any, dtype: Any):
        super().__init__(num_features, apply_act, eps, device, dtype)
        self.momentum = momentum
        self.register_buffer("running_var", torch.ones(num_features, device=device, dtype=dtype))

    # B0 keeps the batch variance in float32 up to the std; B1/B2 cast it to the input dtype first
    # (also before the running update). Only low-precision input sees the difference; it follows the reference.
    _std_in_float = False

    def _batch_std(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            var = x.float().var(dim=(0, 2, 3), unbiased=False)
            if not self._std_in_float:
                var = var.to(x.dtype)
            n = x.numel() / x.shape[1]
            with torch.no_grad():
                # the running value tracks the unbiased estimate, as nn.BatchNorm2d's does
                update = var.detach() * self.momentum * (n / max(n - 1, 1))
                self.running_var.copy_(self.running_var * (1 - self.momentum) + update)
        else:
            var = self.running_var
        if self._std_in_float:
            std = var.add(self.eps).sqrt().to(x.dtype)
        else:
            std = var.to(x.dtype).add(self.eps).sqrt()
        return std.view(_CHANNEL_SHAPE).expand_as(x)

    def _divide(self, x: torch.Tensor, instance_term: torch.Tensor) -> torch.Tensor:
        return x / torch.maximum(self._batch_std(x), instance_term)


class EvoNorm2dB0(_EvoNormBatch):
    """EvoNorm-B0: ``x / max(sqrt(var_B + eps), v * x + instance_std(x)) * weight + bias``.

    Without ``apply_act`` there is no ``v`` and the layer is the plain affine (the running variance
    is still kept, so the ``state_dict`` keys stay those of the reference).
    """

    _std_in_float = True

    def __init__(self, num_features: int, apply_act: bool = True, momentum: float = 0.1, eps: float = 1e-3,
                 device: Any = None, dtype: Any = None, **_: Any):
        super().__init__(num_features, apply_act, momentum, eps, device, dtype)
        self.v = nn.Parameter(torch.ones(num_features, device=device, dtype=dtype)) if apply_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.v is not None:
            v = self.v.to(x.dtype).view(_CHANNEL_SHAPE)
            x = self._divide(x, x * v + _instance_std(x, self.eps))
        return self._affine(x)


class EvoNorm2dB1(_EvoNormBatch):
    """EvoNorm-B1: ``x / max(sqrt(var_B + eps), (x + 1) * instance_rms(x)) * weight + bias``."""

    def __init__(self, num_features: int, apply_act: bool = True, momentum: float = 0.1, eps: float = 1e-5,
                 device: Any = None, dtype: Any = None, **_: Any):
        super().__init__(num_features, apply_act, momentum, eps, device, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.apply_act:
            x = self._divide(x, (x + 1) * _instance_rms(x, self.eps))
        return self._affine(x)


class EvoNorm2dB2(_EvoNormBatch):
    """EvoNorm-B2: ``x / max(sqrt(var_B + eps), instance_rms(x) - x) * weight + bias``."""

    def __init__(self, num_features: int, apply_act: bool = True, momentum: float = 0.1, eps: float = 1e-5,
                 device: Any = None, dtype: Any = None, **_: Any):
        super().__init__(num_features, apply_act, momentum, eps, device, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.apply_act:
            x = self._divide(x, _instance_rms(x, self.eps) - x)
        return self._affine(x)


class EvoNorm2dS0(nn.Module):
    """Takes the fused norm+act keywords (``act_layer`` ...) and ignores them: the nonlinearity is built in.

    ``group_size`` (channels per group) wins over ``groups``; ``apply_act=False`` leaves the plain
    group-std normalisation.
    """

    def __init__(
        self,
        num_features: int,
        groups: int = 32,
        group_size: Optional[int] = None,
        apply_act: bool = True,
        eps: float = 1e-5,
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        self.apply_act = apply_act
        if group_size:
            if num_features % group_size:
                raise ValueError(f"group_size {group_size} must divide the {num_features} channels")
            groups = num_features // group_size
        self.groups = groups
        self.eps = eps
        dd = dict(device=device, dtype=dtype)
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.v = nn.Parameter(torch.ones(num_features, **dd)) if apply_act else None

    def _group_std(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        var = x.float().reshape(b, self.groups, c // self.groups, h, w).var(dim=(2, 3, 4), unbiased=False, keepdim=True)
        std = var.add(self.eps).sqrt().to(x.dtype)
        return std.expand(b, self.groups, c // self.groups, 1, 1).reshape(b, c, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        if self.v is not None:
            x = x * torch.sigmoid(self.v.view(shape) * x) / self._group_std(x)
        return x * self.weight.view(shape) + self.bias.view(shape)


class EvoNorm2dS0a(EvoNorm2dS0):
    """S0 'a': always divides by the group std (also without the activation), eps 1e-3 by default.
    The RegNetZ-evos checkpoints were trained with this form."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None,
                 apply_act: bool = True, eps: float = 1e-3, **kwargs: Any):
        super().__init__(num_features, groups=groups, group_size=group_size, apply_act=apply_act, eps=eps, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        std = self._group_std(x)
        if self.v is not None:
            x = x * torch.sigmoid(self.v.view(shape) * x)
        return x / std * self.weight.view(shape) + self.bias.view(shape)


class _EvoNormSample(_EvoNormAffine):
    """S1/S2 shared part: a group count and an activation module (SiLU unless ``act_layer`` says
    otherwise; Identity without ``apply_act``)."""

    def __init__(self, num_features: int, groups: int, group_size: Optional[int], apply_act: bool,
                 act_layer: ActLayer, eps: float, device: Any, dtype: Any):
        super().__init__(num_features, apply_act, eps, device, dtype)
        self.groups = _groups_for(num_features, groups, group_size)
        act = create_act_layer(act_layer if act_layer is not None else nn.SiLU) if apply_act else None
        self.act = act if act is not None else nn.Identity()


class EvoNorm2dS1(_EvoNormSample):
    """EvoNorm-S1: ``act(x) / group_std(x) * weight + bias``; without ``apply_act`` only the affine."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None, apply_act: bool = True,
                 act_layer: ActLayer = None, eps: float = 1e-5, device: Any = None, dtype: Any = None, **_: Any):
        super().__init__(num_features, groups, group_size, apply_act, act_layer, eps, device, dtype)
        self.pre_act_norm = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.apply_act:
            x = self.act(x) / _group_stat(x, self.groups, self.eps, centered=True)
        return self._affine(x)


class EvoNorm2dS1a(EvoNorm2dS1):
    """S1 'a': always divides by the group std, eps 1e-3 by default."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None, apply_act: bool = True,
                 act_layer: ActLayer = None, eps: float = 1e-3, **kwargs: Any):
        super().__init__(num_features, groups=groups, group_size=group_size, apply_act=apply_act,
                         act_layer=act_layer, eps=eps, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(x) / _group_stat(x, self.groups, self.eps, centered=True)
        return self._affine(x)


class EvoNorm2dS2(_EvoNormSample):
    """EvoNorm-S2: ``act(x) / group_rms(x) * weight + bias``; without ``apply_act`` only the affine."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None, apply_act: bool = True,
                 act_layer: ActLayer = None, eps: float = 1e-5, device: Any = None, dtype: Any = None, **_: Any):
        super().__init__(num_features, groups, group_size, apply_act, act_layer, eps, device, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.apply_act:
            x = self.act(x) / _group_stat(x, self.groups, self.eps, centered=False)
        return self._affine(x)


class EvoNorm2dS2a(EvoNorm2dS2):
    """S2 'a': always divides by the group rms, eps 1e-3 by default."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None, apply_act: bool = True,
                 act_layer: ActLayer = None, eps: float = 1e-3, **kwargs: Any):
        super().__init__(num_features, groups=groups, group_size=group_size, apply_act=apply_act,
                         act_layer=act_layer, eps=eps, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(x) / _group_stat(x, self.groups, self.eps, centered=False)
        return self._affine(x)
