"""Activation functions and modules that take an ``inplace`` flag, so every activation can be built
the same way (``act_layer(inplace=True)``) whatever it is.

Where the maths allows it ``inplace=True`` overwrites the input (swish, sigmoid, tanh, the hard
variants); GELU, its approximations and Mish need the input after computing part of the result,
so for them the flag is accepted and ignored.

Papers: Hendrycks & Gimpel, "Gaussian Error Linear Units (GELUs)", 2016 (arXiv:1606.08415);
Ramachandran et al., "Searching for Activation Functions" (Swish), 2017 (arXiv:1710.05941);
Misra, "Mish: A Self Regularized Non-Monotonic Activation Function", 2019 (arXiv:1908.08681);
Howard et al., "Searching for MobileNetV3" (hard sigmoid / hard swish), 2019 (arXiv:1905.02244).
"""
from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "gelu", "gelu_tanh", "quick_gelu", "swish", "mish", "hard_mish", "hard_sigmoid", "hard_swish", "sigmoid", "tanh",
    "GELU", "GELUTanh", "QuickGELU", "Swish", "Mish", "HardMish", "HardSigmoid", "HardSwish", "Sigmoid", "Tanh",
    "PReLU",
]

# CLIP's sigmoid approximation of GELU: x * sigmoid(1.702 x)
_QUICK_GELU_SCALE = 1.702


def gelu(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """Exact (erf) GELU; ``inplace`` is accepted for a uniform call signature and ignored."""
    return F.gelu(x)


def gelu_tanh(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """GELU with the tanh approximation (as in BERT / original ViT JAX code); ``inplace`` is ignored."""
    return F.gelu(x, approximate="tanh")


def quick_gelu(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """x * sigmoid(1.702 x), the GELU approximation OpenAI's CLIP was trained with; ``inplace`` is ignored."""
    return x * torch.sigmoid(_QUICK_GELU_SCALE * x)


def swish(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """x * sigmoid(x) (also called SiLU)."""
    return x.mul_(x.sigmoid()) if inplace else x * x.sigmoid()


def mish(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """x * tanh(softplus(x)); ``inplace`` is ignored (the input is needed twice)."""
    return x * F.softplus(x).tanh()


def hard_mish(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """Piecewise-quadratic Mish: 0.5 x clamp(x + 2, 0, 2)."""
    if inplace:
        return x.mul_(0.5 * (x + 2).clamp(min=0, max=2))
    return 0.5 * x * (x + 2).clamp(min=0, max=2)


def hard_sigmoid(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """relu6(x + 3) / 6, the piecewise-linear sigmoid of MobileNetV3."""
    if inplace:
        return x.add_(3.0).clamp_(0.0, 6.0).div_(6.0)
    return F.relu6(x + 3.0) / 6.0


def hard_swish(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """x * hard_sigmoid(x)."""
    gate = hard_sigmoid(x)
    return x.mul_(gate) if inplace else x * gate


def sigmoid(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    return x.sigmoid_() if inplace else x.sigmoid()


def tanh(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    return x.tanh_() if inplace else x.tanh()


class _InplaceAct(nn.Module):
    """An activation module that calls ``_fn(x, inplace=self.inplace)``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return type(self)._fn(x, inplace=self.inplace)


class Swish(_InplaceAct):
    _fn = staticmethod(swish)


class HardMish(_InplaceAct):
    _fn = staticmethod(hard_mish)


class HardSigmoid(_InplaceAct):
    _fn = staticmethod(hard_sigmoid)


class HardSwish(_InplaceAct):
    _fn = staticmethod(hard_swish)


class Sigmoid(_InplaceAct):
    _fn = staticmethod(sigmoid)


class Tanh(_InplaceAct):
    _fn = staticmethod(tanh)


class _OutOfPlaceAct(nn.Module):
    """An activation that cannot run in place; ``inplace`` exists only so every activation is built alike."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return type(self)._fn(x)


class GELU(_OutOfPlaceAct):
    """Exact (erf) GELU."""
    _fn = staticmethod(gelu)


class GELUTanh(_OutOfPlaceAct):
    """GELU, tanh approximation."""
    _fn = staticmethod(gelu_tanh)


class QuickGELU(_OutOfPlaceAct):
    """x * sigmoid(1.702 x): the GELU approximation OpenAI's CLIP was trained with."""
    _fn = staticmethod(quick_gelu)


class Mish(_OutOfPlaceAct):
    """x * tanh(softplus(x))."""
    _fn = staticmethod(mish)


class PReLU(nn.PReLU):
    """``nn.PReLU`` that also accepts (and ignores) ``inplace``, so it builds like the other activations."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, inplace: bool = False) -> None:
        super().__init__(num_parameters=num_parameters, init=init)


def gelu_inplace(act: nn.Module, x: torch.Tensor) -> Optional[torch.Tensor]:
    """``act(x)`` computed into ``x`` when ``act`` is an exact or tanh GELU (torch's class or ours);
    None for any other activation. The caller decides that ``x`` may be overwritten."""
    if type(act) is nn.GELU:
        mode = act.approximate
    elif type(act) is GELU:
        mode = "none"
    elif type(act) is GELUTanh:
        mode = "tanh"
    else:
        return None
    return torch.ops.aten.gelu_(x, approximate=mode)
