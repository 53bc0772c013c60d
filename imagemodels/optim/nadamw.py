"""NAdamW: AdamW with a Nesterov look-ahead on the first moment (Dozat, "Incorporating Nesterov Momentum
into Adam", 2016), in the simple form used by the reference (not PyTorch's NAdam momentum schedule)."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, rms_clip_denom_, validate


class NAdamW(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, caution: bool = False, corrected_weight_decay: bool = False,
                 maximize: bool = False, foreach=None,
                 clipping_threshold=None):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, caution=caution,
                                      maximize=maximize, foreach=foreach, clipping_threshold=clipping_threshold,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        grad = -grad if group["maximize"] else grad
        beta1, beta2 = group["betas"]
        lr = group["lr"]
        if not state:
            state["step"] = torch.tensor(0.0)
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        step = state["step"].item()
        p.mul_(1.0 - decay_lr(group) * group["weight_decay"])
        state["exp_avg"].lerp_(grad, 1 - beta1)
        state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        # Nesterov: step along the moment as it will be after one more gradient like this one
        m = state["exp_avg"].lerp(grad, 1 - beta1)
        denom = (state["exp_avg_sq"].sqrt() / (1 - beta2 ** step) ** 0.5).add_(group["eps"])
        if group["clipping_threshold"] is not None:
            rms_clip_denom_(denom, grad, group["clipping_threshold"])
        if group["caution"]:
            m = cautious(m, grad)
        p.addcdiv_(m, denom, value=-lr / (1 - beta1 ** step))

