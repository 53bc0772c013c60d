"""Normalization fused with its activation (and an optional drop), as one module, and the
batch-norm conversions: to SyncBatchNorm for distributed training, to frozen (fixed statistics and
affine, no gradients) for fine-tuning, and back.

The fused modules subclass the plain norm, so their ``state_dict`` is the norm's own
(``weight``, ``bias``, running stats); the activation and drop hold no parameters.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .create_act import ActLayer, create_act_layer
from .evo_norm import (
    EvoNorm2dB0, EvoNorm2dB1, EvoNorm2dB2, EvoNorm2dS0, EvoNorm2dS0a, EvoNorm2dS1, EvoNorm2dS1a, EvoNorm2dS2,
    EvoNorm2dS2a,
)
from .filter_response_norm import FilterResponseNormAct2d, FilterResponseNormTlu2d
from .norm import LayerNorm, LayerNorm2d, LayerNorm2dFp32, LayerNormFp32, RmsNorm
from .norm_rms import RmsNorm2d, RmsNorm2dFp32, RmsNormFp32

__all__ = [
    "BatchNormAct2d", "GroupNormAct", "GroupNorm1Act", "LayerNormAct", "LayerNormAct2d",
    "LayerNormActFp32", "LayerNormAct2dFp32", "RmsNormAct", "RmsNormAct2d", "RmsNormActFp32", "RmsNormAct2dFp32",
    "SyncBatchNormAct", "convert_sync_batchnorm", "FrozenBatchNormAct2d", "freeze_batch_norm_2d",
    "unfreeze_batch_norm_2d", "InplaceAbn", "get_norm_act_layer", "create_norm_act_layer",
]


def _act_and_drop(module: nn.Module, act_layer: ActLayer, act_kwargs: Optional[Dict[str, Any]], inplace: bool,
                  apply_act: bool, drop_layer: Optional[Callable[[], nn.Module]]) -> None:
    module.drop = drop_layer() if drop_layer is not None else nn.Identity()
    act = create_act_layer(act_layer, inplace=inplace, **(act_kwargs or {})) if apply_act else None
    module.act = act if act is not None else nn.Identity()


class BatchNormAct2d(nn.BatchNorm2d):
    """BatchNorm2d, then drop, then activation."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__(num_features, eps=eps, momentum=momentum, affine=affine,
                         track_running_stats=track_running_stats, device=device, dtype=dtype)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(super().forward(x)))


def _num_groups(num_channels: int, num_groups: int, group_size: Optional[int]) -> int:
    if group_size:
        if num_channels % group_size:
            raise ValueError(f"group_size {group_size} must divide the {num_channels} channels")
        return num_channels // group_size
    return num_groups


class GroupNormAct(nn.GroupNorm):
    """GroupNorm (channels first; ``group_size`` may replace ``num_groups``), then drop and activation."""

    def __init__(
        self,
        num_channels: int,
        num_groups: int = 32,
        eps: float = 1e-5,
        affine: bool = True,
        group_size: Optional[int] = None,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__(_num_groups(num_channels, num_groups, group_size), num_channels, eps=eps, affine=affine,
                         device=device, dtype=dtype)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)))


class GroupNorm1Act(GroupNormAct):
    """Single-group GroupNorm (normalizes over C, H, W), then drop and activation."""

    def __init__(self, num_channels: int, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        kwargs.pop("num_groups", None)
        super().__init__(num_channels, num_groups=1, eps=eps, affine=affine, **kwargs)


class LayerNormAct(nn.LayerNorm):
    """LayerNorm over the last dimension, then drop and activation."""

    def __init__(
        self,
        normalization_shape: Union[int, List[int], torch.Size],
        eps: float = 1e-5,
        affine: bool = True,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        **kwargs: Any,
    ):
        super().__init__(normalization_shape, eps=eps, elementwise_affine=affine, **kwargs)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x))


class LayerNormAct2d(LayerNormAct):
    """LayerNorm over the channels of an NCHW tensor, then drop and activation."""

    def __init__(self, num_channels: int, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, affine=affine, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x.permute(0, 3, 1, 2)))


class LayerNormActFp32(LayerNormAct):
    """:class:`LayerNormAct` with the norm computed in float32; drop and activation run in the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _layer_norm_fp32(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x))


class LayerNormAct2dFp32(LayerNormAct2d):
    """:class:`LayerNormAct2d` with the norm computed in float32; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _layer_norm_fp32(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x.permute(0, 3, 1, 2)))


def _layer_norm_fp32(x: torch.Tensor, shape, weight: Optional[torch.Tensor], bias: Optional[torch.Tensor],
                     eps: float) -> torch.Tensor:
    weight = None if weight is None else weight.float()
    bias = None if bias is None else bias.float()
    return F.layer_norm(x.float(), shape, weight, bias, eps).to(x.dtype)


class _RmsNormActMixin:
    """Constructor shared by the RMS norm+act layers: the norm's arguments, then act/drop keywords."""

    def __init__(
        self,
        num_channels: int,
        eps: float = 1e-6,
        affine: bool = True,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        **kwargs: Any,
    ):
        super().__init__(num_channels, eps=eps, affine=affine, **kwargs)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(super().forward(x)))


class RmsNormAct(_RmsNormActMixin, RmsNorm):
    """RMS norm over the last dimension, then drop and activation."""


class RmsNormAct2d(_RmsNormActMixin, RmsNorm2d):
    """RMS norm over the channels of an NCHW tensor, then drop and activation."""


class RmsNormActFp32(_RmsNormActMixin, RmsNormFp32):
    """:class:`RmsNormAct` with the norm computed in float32; returns the input dtype."""


class RmsNormAct2dFp32(_RmsNormActMixin, RmsNorm2dFp32):
    """:class:`RmsNormAct2d` with the norm computed in float32; returns the input dtype."""


class SyncBatchNormAct(nn.SyncBatchNorm):
    """``nn.SyncBatchNorm`` that keeps a converted :class:`BatchNormAct2d`'s drop and activation.

    Built by :func:`convert_sync_batchnorm`, which attaches ``act`` and ``drop``; constructed
    directly it takes SyncBatchNorm's arguments and behaves as a plain SyncBatchNorm.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = super().forward(x)
        if hasattr(self, "drop"):
            x = self.drop(x)
        if hasattr(self, "act"):
            x = self.act(x)
        return x


def _sync_bn_from(module: nn.modules.batchnorm._BatchNorm, process_group: Any) -> nn.SyncBatchNorm:
    """A SyncBatchNorm sharing ``module``'s parameters and statistics (so nothing is copied)."""
    cls = SyncBatchNormAct if isinstance(module, BatchNormAct2d) else nn.SyncBatchNorm
    out = cls(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats,
              process_group)
    if isinstance(module, BatchNormAct2d):
        out.act = module.act
        out.drop = module.drop
    if module.affine:
        with torch.no_grad():
            out.weight = module.weight
            out.bias = module.bias
    out.running_mean = module.running_mean
    out.running_var = module.running_var
    out.num_batches_tracked = module.num_batches_tracked
    if hasattr(module, "qconfig"):
        out.qconfig = module.qconfig
    out.train(module.training)
    return out


def convert_sync_batchnorm(module: nn.Module, process_group: Any = None) -> nn.Module:
    """Every batch norm in ``module`` replaced by a SyncBatchNorm (:class:`SyncBatchNormAct` for
    :class:`BatchNormAct2d`, keeping its activation and drop).

    Like ``nn.SyncBatchNorm.convert_sync_batchnorm`` it works in place on children and returns the
    (possibly new) top module; the model may be converted on CPU, only a forward pass in training
    with an initialised process group needs the distributed backend.
    """
    out = module
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and not isinstance(module, nn.SyncBatchNorm):
        out = _sync_bn_from(module, process_group)
    for name, child in module.named_children():
        out.add_module(name, convert_sync_batchnorm(child, process_group))
    return out


class FrozenBatchNormAct2d(nn.Module):
    """BatchNormAct2d with its statistics and affine held as buffers: no gradients, no updates.

    ``x * weight / sqrt(running_var + eps) + (bias - running_mean * that scale)``, then drop and
    activation. Its ``state_dict`` has BatchNorm2d's keys (a ``num_batches_tracked`` in a loaded one
    is dropped), so BatchNormAct2d weights load into it.
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.eps = eps
        self.num_features = num_features
        self.affine = True
        self.register_buffer("weight", torch.ones(num_features, **dd))
        self.register_buffer("bias", torch.zeros(num_features, **dd))
        self.register_buffer("running_mean", torch.zeros(num_features, **dd))
        self.register_buffer("running_var", torch.ones(num_features, **dd))
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        state_dict.pop(prefix + "num_batches_tracked", None)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        shift = self.bias - self.running_mean * scale
        x = x * scale.view(shape) + shift.view(shape)
        return self.act(self.drop(x))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.weight.shape[0]}, eps={self.eps}, act={self.act})"


def _frozen_batchnorm2d_cls() -> Type[nn.Module]:
    try:
        from torchvision.ops.misc import FrozenBatchNorm2d
    except ImportError as e:
        raise ImportError("freezing batch norm needs torchvision's FrozenBatchNorm2d: pip install torchvision") from e
    return FrozenBatchNorm2d


def _copy_stats(src: nn.Module, dst: nn.Module, affine: bool) -> None:
    """Copy (not share) the statistics, and the affine when ``src`` has one, from ``src`` into ``dst``."""
    with torch.no_grad():
        if affine:
            dst.weight.copy_(src.weight.detach())
            dst.bias.copy_(src.bias.detach())
        dst.running_mean.copy_(src.running_mean)
        dst.running_var.copy_(src.running_var)


def freeze_batch_norm_2d(module: nn.Module) -> nn.Module:
    """Every ``BatchNorm2d``/``SyncBatchNorm`` in ``module`` replaced by torchvision's ``FrozenBatchNorm2d``
    and every :class:`BatchNormAct2d` by :class:`FrozenBatchNormAct2d` (activation and drop kept).

    Works in place on children and returns the (possibly new) top module. Values are copied, so the
    frozen model no longer shares tensors with a reference to the old layers.
    """
    frozen_cls = _frozen_batchnorm2d_cls()
    out = module
    if isinstance(module, BatchNormAct2d):
        out = FrozenBatchNormAct2d(module.num_features, eps=module.eps)
        out.act, out.drop = module.act, module.drop
        _copy_stats(module, out, module.affine)
    elif isinstance(module, (nn.BatchNorm2d, nn.SyncBatchNorm)):
        out = frozen_cls(module.num_features, eps=module.eps)
        _copy_stats(module, out, module.affine)
    else:
        for name, child in module.named_children():
            new_child = freeze_batch_norm_2d(child)
            if new_child is not child:
                module.add_module(name, new_child)
    return out


def unfreeze_batch_norm_2d(module: nn.Module) -> nn.Module:
    """The inverse of :func:`freeze_batch_norm_2d`: ``FrozenBatchNorm2d`` -> ``BatchNorm2d`` and
    :class:`FrozenBatchNormAct2d` -> :class:`BatchNormAct2d`, values copied, affine made trainable."""
    frozen_cls = _frozen_batchnorm2d_cls()
    out = module
    if isinstance(module, FrozenBatchNormAct2d):
        out = BatchNormAct2d(module.num_features, eps=module.eps)
        out.act, out.drop = module.act, module.drop
        _copy_stats(module, out, affine=True)
    elif isinstance(module, frozen_cls):
        out = nn.BatchNorm2d(module.weight.shape[0], eps=module.eps)
        _copy_stats(module, out, affine=True)
    else:
        for name, child in module.named_children():
            new_child = unfreeze_batch_norm_2d(child)
            if new_child is not child:
                module.add_module(name, new_child)
    return out


_INPLACE_ABN_ACTS = {"leaky_relu": "leaky_relu", "elu": "elu", "identity": "identity", "": "identity"}


def _inplace_abn_act(act_layer: ActLayer, apply_act: bool) -> str:
    """The activation name inplace_abn takes, for a name or class (only those three kinds exist)."""
    if not apply_act or act_layer is None:
        return "identity"
    name = act_layer if isinstance(act_layer, str) else {nn.LeakyReLU: "leaky_relu", nn.ELU: "elu",
                                                          nn.Identity: "identity"}.get(act_layer)
    if name is None or name.lower() not in _INPLACE_ABN_ACTS:
        raise ValueError(f"InplaceAbn supports leaky_relu, elu or identity activations, got {act_layer!r}")
    return _INPLACE_ABN_ACTS[name.lower()]


class InplaceAbn(nn.Module):
    """In-place activated batch norm (Rota Bulo et al., 2018) from the ``inplace_abn`` package,
    which saves activation memory by recomputing the norm input in the backward pass.

    The package is optional: without it, construction raises ImportError.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 apply_act: bool = True, act_layer: ActLayer = "leaky_relu", act_param: float = 0.01,
                 drop_layer: Optional[Type[nn.Module]] = None):
        super().__init__()
        try:
            from inplace_abn.functions import inplace_abn
        except ImportError as e:
            raise ImportError("InplaceAbn needs the inplace_abn package: pip install inplace-abn "
                              "(or use BatchNormAct2d)") from e
        if drop_layer is not None:
            raise ValueError("InplaceAbn does not take a drop_layer; use BatchNormAct2d for norm + drop")
        self._inplace_abn = inplace_abn
        self.num_features = num_features
        self.affine = affine
        self.eps = eps
        self.momentum = momentum
        self.act_name = _inplace_abn_act(act_layer, apply_act)
        self.act_param = act_param
        if affine:
            self.weight = nn.Parameter(torch.ones(num_features))
            self.bias = nn.Parameter(torch.zeros(num_features))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self._inplace_abn(x, self.weight, self.bias, self.running_mean, self.running_var, self.training,
                                self.momentum, self.eps, self.act_name, self.act_param)
        return out[0] if isinstance(out, tuple) else out


# plain norm -> its fused counterpart
_FUSED: Dict[Any, Type[nn.Module]] = {
    nn.BatchNorm2d: BatchNormAct2d,
    nn.GroupNorm: GroupNormAct,
    nn.LayerNorm: LayerNormAct,
    LayerNorm: LayerNormAct,
    LayerNorm2d: LayerNormAct2d,
    LayerNormFp32: LayerNormActFp32,
    LayerNorm2dFp32: LayerNormAct2dFp32,
    RmsNorm: RmsNormAct,
    RmsNorm2d: RmsNormAct2d,
    RmsNormFp32: RmsNormActFp32,
    RmsNorm2dFp32: RmsNormAct2dFp32,
}
_FUSED_BY_NAME: Dict[str, Type[nn.Module]] = {
    "batchnorm": BatchNormAct2d,
    "batchnorm2d": BatchNormAct2d,
    "groupnorm": GroupNormAct,
    "groupnorm1": GroupNorm1Act,
    "layernorm": LayerNormAct,
    "layernorm2d": LayerNormAct2d,
    "layernormfp32": LayerNormActFp32,
    "layernorm2dfp32": LayerNormAct2dFp32,
    "rmsnorm": RmsNormAct,
    "rmsnorm2d": RmsNormAct2d,
    "rmsnormfp32": RmsNormActFp32,
    "rmsnorm2dfp32": RmsNormAct2dFp32,
    "evonormb0": EvoNorm2dB0,
    "evonormb1": EvoNorm2dB1,
    "evonormb2": EvoNorm2dB2,
    "evonorms0": EvoNorm2dS0,
    "evonorms0a": EvoNorm2dS0a,
    "evonorms1": EvoNorm2dS1,
    "evonorms1a": EvoNorm2dS1a,
    "evonorms2": EvoNorm2dS2,
    "evonorms2a": EvoNorm2dS2a,
    "frn": FilterResponseNormAct2d,
    "frntlu": FilterResponseNormTlu2d,
    "inplaceabn": InplaceAbn,
    "iabn": InplaceAbn,
}
# layers with a built-in nonlinearity: passed through as they are
_SELF_ACTIVATED = frozenset(v for k, v in _FUSED_BY_NAME.items() if k.startswith(("evonorm", "frn", "inplaceabn")))


def get_norm_act_layer(norm_layer: Union[str, Callable[..., nn.Module], None],
                       act_layer: ActLayer = None) -> Optional[Callable[..., nn.Module]]:
    """The fused norm+act class for a norm (name, plain class, fused class or partial of one).

    ``act_layer``, when given, is bound into the returned partial.
    """
    if norm_layer is None:
        return None
    bound: Dict[str, Any] = {}
    if isinstance(norm_layer, functools.partial):
        bound = dict(norm_layer.keywords)
        norm_layer = norm_layer.func
    if isinstance(norm_layer, str):
        key = norm_layer.lower().replace("_", "")
        if key not in _FUSED_BY_NAME:
            raise ValueError(f"unknown norm layer '{norm_layer}'; known: {', '.join(sorted(_FUSED_BY_NAME))}")
        fused = _FUSED_BY_NAME[key]
    elif norm_layer in _FUSED.values() or norm_layer in _SELF_ACTIVATED or (
            isinstance(norm_layer, type) and "Act" in norm_layer.__name__):
        fused = norm_layer
    elif norm_layer in _FUSED:
        fused = _FUSED[norm_layer]
    else:
        name = getattr(norm_layer, "__name__", repr(norm_layer))
        raise ValueError(f"no fused norm+activation for '{name}'; pass one of {', '.join(sorted(_FUSED_BY_NAME))}")
    if act_layer is not None:
        bound.setdefault("act_layer", act_layer)
    return functools.partial(fused, **bound) if bound else fused


def create_norm_act_layer(layer_name: Union[str, Callable[..., nn.Module]], num_features: int,
                          act_layer: ActLayer = None, apply_act: bool = True, jit: bool = False,
                          **kwargs: Any) -> nn.Module:
    """An instance of ``get_norm_act_layer(layer_name, act_layer)`` for ``num_features`` channels."""
    layer = get_norm_act_layer(layer_name, act_layer=act_layer)
    return layer(num_features, apply_act=apply_act, **kwargs)
