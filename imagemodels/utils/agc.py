"""Adaptive gradient clipping (AGC), from "High-Performance Large-Scale Image Recognition Without
Normalization" (Brock et al., 2021, https://arxiv.org/abs/2102.06171).

Each output unit's gradient is clipped to ``clip_factor`` times the norm of that unit's weights, so
the allowed step scales with the weight it changes instead of one global threshold.
"""
from __future__ import annotations

import torch

__all__ = ["adaptive_clip_grad"]


def _unitwise_norm(x: torch.Tensor, norm_type: float = 2.0) -> torch.Tensor:
    # one norm per output unit (dim 0 of a weight); scalars and vectors (biases, gains) count as one unit
    if x.ndim <= 1:
        return x.norm(norm_type)
    return x.norm(norm_type, dim=tuple(range(1, x.ndim)), keepdim=True)


def _with_grad(parameters):
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    return [p for p in parameters if p.grad is not None]


@torch.no_grad()
def adaptive_clip_grad(parameters, clip_factor: float = 0.01, eps: float = 1e-3, norm_type: float = 2.0):
    if clip_factor <= 0:
        raise ValueError(f"clip_factor must be > 0, got {clip_factor}")
    for p in _with_grad(parameters):
        grad = p.grad.detach()
        # eps keeps freshly zero-initialised weights from freezing their gradients entirely
        max_norm = _unitwise_norm(p.detach(), norm_type).clamp(min=eps).mul_(clip_factor)
        grad_norm = _unitwise_norm(grad, norm_type)
        scaled = grad * (max_norm / grad_norm.clamp(min=1e-6))
        grad.copy_(torch.where(grad_norm < max_norm, grad, scaled))
