"""Adafactor as used by big_vision to train ViTs at scale (Zhai et al., "Scaling Vision Transformers", 2021,
https://arxiv.org/abs/2106.04560): factored second moment over a tensor's two largest dims, beta2 decay
``min(beta2_cap, 1 - t ** -decay_rate)``, optional RMS clipping, first-moment momentum kept in a low-precision
dtype (bfloat16 by default, as big_vision does), and decoupled weight decay."""
from typing import Optional, Union

import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate

_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


def factored_dims(shape, min_dim_size_to_factor: int):
    """(column dim, row dim): the second-largest and largest dims, or None if the second is too small."""
    if len(shape) < 2:
        return None
    order = sorted((size, i) for i, size in enumerate(shape))
    if order[-2][0] < min_dim_size_to_factor:
        return None
    return order[-2][1], order[-1][1]


class AdafactorBigVision(PerParamOptimizer):
    def __init__(self, params, lr: float = 1.0, min_dim_size_to_factor: int = 16, decay_rate: float = 0.8,
                 decay_offset: int = 0, beta2_cap: float = 0.999, momentum: Optional[float] = 0.9,
                 momentum_dtype: Union[str, torch.dtype] = torch.bfloat16, eps: Optional[float] = None,
                 weight_decay: float = 0.0, clipping_threshold: Optional[float] = None, unscaled_wd: bool = False,
                 caution: bool = False, corrected_weight_decay: bool = False, foreach=None):
        if isinstance(momentum_dtype, str):
            if momentum_dtype not in _DTYPES:
                raise ValueError(f"momentum_dtype must be one of {', '.join(_DTYPES)}, got {momentum_dtype!r}")
            momentum_dtype = _DTYPES[momentum_dtype]
        validate(lr=lr, weight_decay=weight_decay)
        super().__init__(params, dict(
            lr=lr, min_dim_size_to_factor=min_dim_size_to_factor, decay_rate=decay_rate, decay_offset=decay_offset,
            beta2_cap=beta2_cap, momentum=momentum, momentum_dtype=momentum_dtype, eps=eps,
            weight_decay=weight_decay, clipping_threshold=clipping_threshold, unscaled_wd=unscaled_wd,
            caution=caution, foreach=foreach, **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        dims = factored_dims(grad.shape, group["min_dim_size_to_factor"])
        if not state:
            state["step"] = 0
            if dims is not None:
                col, row = dims
                # row / column statistics keep every dim (size 1 where reduced) so they broadcast back
                r_shape, c_shape = list(grad.shape), list(grad.shape)
                r_shape[row], c_shape[col] = 1, 1
                state["exp_avg_sq_r"] = grad.new_zeros(r_shape)
                state["exp_avg_sq_c"] = grad.new_zeros(c_shape)
            else:
                state["exp_avg_sq"] = torch.zeros_like(grad)
            if group["momentum"] is not None:
                state["exp_avg"] = torch.zeros_like(grad, dtype=group["momentum_dtype"])
        state["step"] += 1
        eps = group["eps"] if group["eps"] is not None else (1e-7 if grad.dtype == torch.float16 else 1e-30)
        decay_step = max(state["step"] - group["decay_offset"], 1) if group["decay_offset"] else state["step"]
        beta2_t = min(group["beta2_cap"], 1.0 - decay_step ** (-group["decay_rate"]))
        sq = grad.square() + eps
        if dims is not None:
            col, row = dims
            r, c = state["exp_avg_sq_r"], state["exp_avg_sq_c"]
            r.lerp_(sq.mean(dim=row, keepdim=True), 1 - beta2_t)
            c.lerp_(sq.mean(dim=col, keepdim=True), 1 - beta2_t)
            update = grad * (r / r.mean(dim=col, keepdim=True)).rsqrt() * c.rsqrt()
        else:
            state["exp_avg_sq"].lerp_(sq, 1 - beta2_t)
            update = grad * state["exp_avg_sq"].rsqrt()
        if group["clipping_threshold"] is not None:
            rms = update.norm(2) / (update.numel() ** 0.5)
            update.div_((rms / group["clipping_threshold"]).clamp_(min=1.0))
        if group["momentum"] is not None:
            m = state["exp_avg"]
            m.lerp_(update.to(m.dtype), 1 - group["momentum"])
            update = m.to(grad.dtype) if m.dtype != grad.dtype else m.clone()
            if group["caution"]:
                update = cautious(update, grad)
        lr, wd = group["lr"], group["weight_decay"]
        update.mul_(lr)
        if wd:
            if group["unscaled_wd"]:
                # big_vision decays without the lr; corrected: by lr / max_lr
                scale = lr / group["max_lr_snapshot"] if group["corrected_weight_decay"] else 1.0
                p.mul_(1.0 - scale * wd)
            else:
                p.mul_(1.0 - decay_lr(group) * wd)
        p.sub_(update)

    def load_state_dict(self, state_dict):
        # Optimizer.load_state_dict casts state to the parameter's dtype; momentum lives in momentum_dtype
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state.get(p, {})
                if "exp_avg" in state:
                    state["exp_avg"] = state["exp_avg"].to(group["momentum_dtype"])
