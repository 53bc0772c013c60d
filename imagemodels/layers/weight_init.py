"""Weight initialisers: truncated normals, TF/JAX-style variance scaling, the per-module init rules
of ViT (timm and JAX flavours), CondConv's per-expert init, and a meta-device check."""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import torch
from torch import nn

__all__ = [
    "trunc_normal_", "trunc_normal_tf_", "variance_scaling_", "lecun_normal_", "init_weight_vit", "init_weight_jax",
    "get_condconv_initializer", "is_meta_device",
]

# std of a unit normal truncated to [-2, 2]; dividing by it keeps the truncated draw's variance as asked
_TRUNC_NORMAL_STD = 0.87962566103423978


def trunc_normal_(tensor: torch.Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0) -> torch.Tensor:
    """Fill ``tensor`` from N(mean, std) truncated to [a, b] (bounds are absolute, not in stds).

    Thin wrapper over ``torch.nn.init.trunc_normal_`` kept for the ecosystem's import path.
    """
    return nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)


def _normal_cdf(x: float) -> float:
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


def _unit_trunc_normal_(tensor: torch.Tensor, a: float, b: float) -> torch.Tensor:
    """Standard normal truncated to [a, b] by inverse-CDF sampling: uniform on [cdf(a), cdf(b)],
    mapped back through the normal's inverse CDF (erfinv), then clamped against rounding."""
    low, high = _normal_cdf(a), _normal_cdf(b)
    tensor.uniform_(2 * low - 1, 2 * high - 1)
    tensor.erfinv_()
    tensor.mul_(math.sqrt(2.0))
    return tensor.clamp_(min=a, max=b)


def trunc_normal_tf_(
    tensor: torch.Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
) -> torch.Tensor:
    """TensorFlow / JAX-style truncated normal: [a, b] bound a *unit* normal, which is then scaled by
    ``std`` and shifted by ``mean`` (so the bounds are in stds, unlike :func:`trunc_normal_`)."""
    if a >= b:
        raise ValueError(f"trunc_normal_tf_ needs a < b, got a={a}, b={b}")
    with torch.no_grad():
        _unit_trunc_normal_(tensor, a, b)
        return tensor.mul_(std).add_(mean)


_FAN_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("normal", "uniform", "truncated_normal")


def variance_scaling_(
    tensor: torch.Tensor, scale: float = 1.0, mode: str = "fan_in", distribution: str = "normal",
) -> torch.Tensor:
    """Fill ``tensor`` with variance ``scale / fan`` (TF's ``VarianceScaling``), where ``fan`` is
    fan-in, fan-out or their mean, drawn from a normal, a uniform or a truncated normal."""
    if mode not in _FAN_MODES:
        raise ValueError(f"mode must be one of {_FAN_MODES}, got '{mode}'")
    if distribution not in _DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {_DISTRIBUTIONS}, got '{distribution}'")
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / fan
    if distribution == "truncated_normal":
        return trunc_normal_tf_(tensor, std=math.sqrt(variance) / _TRUNC_NORMAL_STD)
    with torch.no_grad():
        if distribution == "normal":
            return tensor.normal_(std=math.sqrt(variance))
        bound = math.sqrt(3 * variance)  # a uniform on [-r, r] has variance r^2 / 3
        return tensor.uniform_(-bound, bound)


def lecun_normal_(tensor: torch.Tensor) -> torch.Tensor:
    """LeCun normal: truncated normal with variance 1 / fan_in (JAX's default for ViT convs)."""
    return variance_scaling_(tensor, mode="fan_in", distribution="truncated_normal")


def init_weight_vit(
    module: nn.Module, name: str, init_bias: float = 0.02, head_bias: float = 0.0, classifier_name: str = "head",
) -> None:
    """timm-style ViT init of one module (use with ``named_apply``).

    Linear layers whose name starts with ``classifier_name`` get zero weights and ``head_bias``;
    other Linear layers a N(0, 0.02) truncated normal and a constant ``init_bias``; conv weights a
    N(0, 0.02) truncated normal (their biases are left alone). Everything else is untouched.
    """
    if isinstance(module, nn.Linear):
        if name.startswith(classifier_name):
            nn.init.zeros_(module.weight)
            nn.init.constant_(module.bias, head_bias)
        else:
            nn.init.trunc_normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.constant_(module.bias, init_bias)
    elif isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        nn.init.trunc_normal_(module.weight, std=0.02)


def init_weight_jax(module: nn.Module, name: str, head_bias: float = 0.0, classifier_name: str = "head") -> None:
    """JAX-style ViT init of one module (use with ``named_apply``), as the original big_vision code.

    Classifier Linear layers: zero weights, ``head_bias``. Other Linear layers: Xavier-uniform
    weights; biases N(0, 1e-6) inside MLPs (``'mlp'`` in the name), zero elsewhere. Conv2d: LeCun
    normal weights, zero bias. Everything else is untouched.
    """
    if isinstance(module, nn.Linear):
        if name.startswith(classifier_name):
            nn.init.zeros_(module.weight)
            nn.init.constant_(module.bias, head_bias)
        else:
            nn.init.xavier_uniform_(module.weight)
            if module.bias is not None:
                if "mlp" in name:
                    nn.init.normal_(module.bias, std=1e-6)
                else:
                    nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Conv2d):
        lecun_normal_(module.weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def get_condconv_initializer(
    initializer: Callable[[torch.Tensor], Any], num_experts: int, expert_shape: Sequence[int],
) -> Callable[[torch.Tensor], None]:
    """Wrap a per-weight ``initializer`` for CondConv's packed ``(num_experts, num_params)`` weight:
    each expert's row is viewed as ``expert_shape`` and initialised on its own, so fans are right."""
    num_params = math.prod(expert_shape)

    def condconv_initializer(weight: torch.Tensor) -> None:
        if weight.dim() != 2 or weight.shape[0] != num_experts or weight.shape[1] != num_params:
            raise ValueError(
                f"CondConv weight must have shape ({num_experts}, {num_params}) = (num_experts, "
                f"prod(expert_shape)), got {tuple(weight.shape)}")
        for i in range(num_experts):
            initializer(weight[i].view(expert_shape))

    return condconv_initializer


def is_meta_device(device: Any) -> bool:
    """Whether parameters would be built on the meta device: asked for explicitly, or (with no
    device given) because a ``torch.device('meta')`` context is active."""
    if device is not None:
        return torch.device(device).type == "meta"
    return torch.get_default_device().type == "meta"
