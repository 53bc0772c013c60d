"""AdamW (Loshchilov & Hutter, https://arxiv.org/abs/1711.05101) written out, for the options PyTorch's AdamW
lacks: caution, corrected weight decay and StableAdamW update clipping. The plain 'adamw' name is PyTorch's."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, rms_clip_denom_, validate


class AdamWLegacy(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2,
                 amsgrad: bool = False, caution: bool = False, corrected_weight_decay: bool = False,
                 maximize: bool = False, foreach=None, clipping_threshold=None):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      caution=caution, maximize=maximize, foreach=foreach,
                                      clipping_threshold=clipping_threshold,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        grad = -grad if group["maximize"] else grad
        beta1, beta2 = group["betas"]
        if not state:
            state["step"] = torch.tensor(0.0)
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        step = state["step"].item()
        p.mul_(1.0 - decay_lr(group) * group["weight_decay"])
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m.lerp_(grad, 1 - beta1)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        if group["amsgrad"]:
            torch.max(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        denom = (v.sqrt() / (1 - beta2 ** step) ** 0.5).add_(group["eps"])
        if group["clipping_threshold"] is not None:
            rms_clip_denom_(denom, grad, group["clipping_threshold"])
        if group["caution"]:
            m = cautious(m, grad)
        p.addcdiv_(m, denom, value=-group["lr"] / (1 - beta1 ** step))
