"""AdaHessian (Yao et al., "ADAHESSIAN: An Adaptive Second Order Optimizer for Machine Learning", 2020,
https://arxiv.org/abs/2006.00719): Adam whose second moment is of the Hessian diagonal, estimated with
Hutchinson's method ``E[z * (H z)]`` for Rademacher ``z``.

The loss must be backpropagated with ``create_graph=True`` (``optimizer.is_second_order`` is True) so the
Hessian-vector product can be taken in ``step()``.
"""
import torch

from ._base import validate


class Adahessian(torch.optim.Optimizer):
    def __init__(self, params, lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, hessian_power=1.0,
                 update_each=1, n_samples=1, avg_conv_kernel=False):
        validate(lr=lr, eps=eps)
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        if not 0.0 <= hessian_power <= 1.0:
            raise ValueError(f"hessian_power must be in [0, 1], got {hessian_power}")
        self.n_samples = n_samples
        self.update_each = update_each
        self.avg_conv_kernel = avg_conv_kernel
        # a fixed seed so runs (and the reference's) draw the same probe vectors
        self.seed = 2147483647
        self.generator = torch.Generator().manual_seed(self.seed)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      hessian_power=hessian_power))

    @property
    def is_second_order(self):
        return True

    def _params(self):
        return [p for g in self.param_groups for p in g["params"] if p.requires_grad]

    @torch.no_grad()
    def set_hessian(self):
        """Refresh the Hutchinson estimate of diag(H) for parameters due this step (every ``update_each``)."""
        due = []
        for p in self._params():
            if p.grad is None:
                continue
            state = self.state[p]
            count = state.get("hessian_step", 0)
            if count % self.update_each == 0 or "hessian" not in state:
                due.append(p)
            state["hessian_step"] = count + 1
        if not due:
            return
        if self.generator.device != due[0].device:
            self.generator = torch.Generator(due[0].device).manual_seed(self.seed)
        grads = [p.grad for p in due]
        estimates = [torch.zeros_like(p) for p in due]
        for i in range(self.n_samples):
            zs = [torch.randint(0, 2, p.shape, generator=self.generator, device=p.device) * 2.0 - 1.0 for p in due]
            hzs = torch.autograd.grad(grads, due, grad_outputs=zs, retain_graph=i < self.n_samples - 1)
            for est, hz, z in zip(estimates, hzs, zs):
                est.add_(hz * z / self.n_samples)
        for p, est in zip(due, estimates):
            self.state[p]["hessian"] = est

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.set_hessian()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            for p in group["params"]:
                state = self.state[p]
                if p.grad is None or "hessian" not in state:
                    continue
                if self.avg_conv_kernel and p.dim() == 4:
                    # one curvature per (out, in) kernel: spatial entries are too noisy on their own
                    state["hessian"] = state["hessian"].abs().mean(dim=[2, 3], keepdim=True).expand_as(p).clone()
                p.mul_(1 - lr * group["weight_decay"])
                if "step" not in state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_hessian_diag_sq"] = torch.zeros_like(p)
                state["step"] += 1
                step, h = state["step"], state["hessian"]
                state["exp_avg"].mul_(beta1).add_(p.grad, alpha=1 - beta1)
                state["exp_hessian_diag_sq"].mul_(beta2).addcmul_(h, h, value=1 - beta2)
                denom = (state["exp_hessian_diag_sq"] / (1 - beta2 ** step)).pow_(group["hessian_power"] / 2)
                p.addcdiv_(state["exp_avg"], denom.add_(group["eps"]), value=-lr / (1 - beta1 ** step))
        return loss
