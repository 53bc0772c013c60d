"""Adafactor (Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", 2018,
https://arxiv.org/abs/1804.04235).

For a matrix-like tensor the second moment is stored as its row and column means and rebuilt as their outer
product (rank-1), so the memory is O(rows + cols). The decay of the second moment grows with the step
(``beta2_t = 1 - t ** decay_rate``), each update is clipped to RMS ``clip_threshold``, and with ``lr=None``
the step size is relative: ``min(1e-2, 1/sqrt(t))`` times the parameter's RMS (``scale_parameter``).
"""
import math
from typing import Optional, Tuple

import torch

from ._base import PerParamOptimizer, cautious


def _rms(t):
    return t.norm(2) / (t.numel() ** 0.5)


class Adafactor(PerParamOptimizer):
    def __init__(self, params, lr: Optional[float] = None, eps: float = 1e-30, eps_scale: float = 1e-3,
                 clip_threshold: float = 1.0, decay_rate: float = -0.8, betas: Optional[Tuple[float, float]] = None,
                 weight_decay: float = 0.0, scale_parameter: bool = True, warmup_init: bool = False,
                 min_dim_size_to_factor: int = 16, caution: bool = False):
        relative_step = lr is None
        if warmup_init and not relative_step:
            raise ValueError("warmup_init needs the relative step size: leave lr=None")
        super().__init__(params, dict(
            lr=lr, eps=eps, eps_scale=eps_scale, clip_threshold=clip_threshold, decay_rate=decay_rate,
            beta1=None if betas is None else betas[0], weight_decay=weight_decay, scale_parameter=scale_parameter,
            relative_step=relative_step, warmup_init=warmup_init, min_dim_size_to_factor=min_dim_size_to_factor,
            caution=caution))

    @staticmethod
    def _factored_dims(shape, min_size):
        """(column dim, row dim) to factor over, or None for a tensor kept whole."""
        if len(shape) > 2 and shape[0] > min_size and shape[1] > min_size:
            return 0, 1  # conv weights (out, in, kh, kw): factor over channels
        if len(shape) >= 2 and shape[-2] > min_size and shape[-1] > min_size:
            return len(shape) - 2, len(shape) - 1
        return None

    def _lr(self, group, state):
        if group["relative_step"]:
            cap = 1e-6 * state["step"] if group["warmup_init"] else 1e-2
            scale = max(group["eps_scale"], state["RMS"]) if group["scale_parameter"] else 1.0
            group["lr"] = min(cap, 1.0 / math.sqrt(state["step"])) * scale
        return group["lr"]

    def _update(self, p, grad, state, group):
        dims = self._factored_dims(grad.shape, group["min_dim_size_to_factor"])
        beta1 = group["beta1"]
        if not state:
            state["step"] = 0
            if beta1 is not None:
                state["exp_avg"] = torch.zeros_like(grad)
            if dims is not None:
                col, row = dims
                shape = list(grad.shape)
                state["exp_avg_sq_row"] = grad.new_zeros(shape[:row] + shape[row + 1:])
                state["exp_avg_sq_col"] = grad.new_zeros(shape[:col] + shape[col + 1:])
            else:
                state["exp_avg_sq"] = torch.zeros_like(grad)
            state["RMS"] = 0
        state["step"] += 1
        state["RMS"] = _rms(p)
        lr = self._lr(group, state)
        beta2_t = 1.0 - state["step"] ** group["decay_rate"]
        sq = grad ** 2 + group["eps"]
        if dims is not None:
            col, row = dims
            r, c = state["exp_avg_sq_row"], state["exp_avg_sq_col"]
            r.lerp_(sq.mean(dim=row), 1.0 - beta2_t)
            c.lerp_(sq.mean(dim=col), 1.0 - beta2_t)
            # rank-1 estimate of 1/sqrt(v): rows normalised by their mean, times columns
            inv_root = (r / r.mean(dim=col, keepdim=True)).rsqrt().unsqueeze(row) * c.unsqueeze(col).rsqrt()
            update = inv_root * grad
        else:
            state["exp_avg_sq"].lerp_(sq, 1.0 - beta2_t)
            update = state["exp_avg_sq"].rsqrt() * grad
        update.div_((_rms(update) / group["clip_threshold"]).clamp_(min=1.0))
        update.mul_(lr)
        if beta1 is not None:
            state["exp_avg"].lerp_(update, 1 - beta1)
            update = cautious(state["exp_avg"], grad) if group["caution"] else state["exp_avg"]
        if group["weight_decay"] != 0:
            p.add_(p, alpha=-group["weight_decay"] * lr)
        p.sub_(update)
