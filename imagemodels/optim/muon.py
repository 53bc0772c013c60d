"""Muon: MomentUm Orthogonalized by Newton-Schulz (Keller Jordan, 2024,
https://kellerjordan.github.io/posts/muon/), for the weight matrices and conv kernels of a model, with
AdamW (NAdamW when ``nesterov``) for everything else.

Each Muon step keeps an SGD momentum buffer, replaces the update by its nearest semi-orthogonal matrix
(approximated by a few Newton-Schulz iterations, in bfloat16 by default) and scales it by the parameter's
shape so that one learning rate suits every layer. The coefficient presets are the published ones: 'original'
(Jordan's quintic), 'quintic' (a per-step tuned quintic) and the 'polar_express' schedules (Amsel et al., 2025,
https://arxiv.org/abs/2505.16932).
"""
import math
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch
from torch import Tensor

from .adamw import AdamWLegacy
from .nadamw import NAdamW

__all__ = ["Muon", "zeropower_via_newtonschulz", "is_suitable_for_muon"]

Coefficients = Tuple[float, float, float]

NS_COEFFICIENTS = {
    "original": [(3.4445, -4.775, 2.0315)],
    "quintic": [
        (4.0848, -6.8946, 2.927), (3.9505, -6.3029, 2.6377), (3.7418, -5.5913, 2.3037),
        (2.8769, -3.1427, 1.2046), (2.8366, -3.0525, 1.2012),
    ],
    "polar_express": [
        (8.237312490495555, -23.157747414558198, 16.680568411445915),
        (4.082441999064835, -2.893047735332586, 0.5252849256975648),
        (3.9263479922546582, -2.8547468034765298, 0.5318022422894988),
        (3.2982187133085143, -2.424541981026706, 0.48632008358844075),
        (2.2970369434552573, -1.63662558125903, 0.4002628455953627),
        (1.8763805351440397, -1.2347896577722228, 0.35891887501668385),
        (1.8564423485617974, -1.2132449880935525, 0.3568003487825883),
        (1.8749994008682747, -1.2499988017229169, 0.3749994008546422),
    ],
    "polar_express_safer": [
        (8.156554524902461, -22.48329292557795, 15.878769915207462),
        (4.0429299351667245, -2.808917465908704, 0.5000178451051299),
        (3.8916678022926563, -2.7724841532176825, 0.5060648178503389),
        (3.285753657755658, -2.3681294933425394, 0.46449024233003117),
        (2.3005307116270983, -1.6111665557258408, 0.3833374427545273),
        (1.8631210546382593, -1.2042160621002727, 0.3421879560523383),
        (1.8382572152247512, -1.1779263289537742, 0.3396513038637379),
        (1.8749999923301852, -1.2499999836060613, 0.374999991275876),
    ],
}
LR_ADJUSTMENTS = ("original", "match_rms_adamw", "rms_to_rms")
CONV_MODES = ("flatten", "batched")


def resolve_ns_coefficients(value: Union[str, Coefficients, Sequence[Coefficients]]) -> List[Coefficients]:
    """A preset name, one (a, b, c) triple, or one triple per iteration, as a list of triples."""
    if isinstance(value, str):
        if value not in NS_COEFFICIENTS:
            raise ValueError(f"unknown Newton-Schulz coefficients {value!r}; presets: {', '.join(NS_COEFFICIENTS)}")
        return list(NS_COEFFICIENTS[value])
    items = list(value)
    triples = [items] if items and not isinstance(items[0], (list, tuple)) else items
    for t in triples:
        if len(t) != 3:
            raise ValueError(f"Newton-Schulz coefficients are (a, b, c) triples, got {tuple(t)}")
    return [tuple(float(v) for v in t) for t in triples]


def zeropower_via_newtonschulz(
        grad: Tensor,
        steps: int,
        coefficients: Sequence[Coefficients],
        eps: float = 1e-7,
        safety_factor: float = 1.0,
        dtype: torch.dtype = torch.bfloat16,
) -> Tensor:
    """The nearest semi-orthogonal matrix to ``grad`` (``U V^T`` of its SVD), approximately, for (m, n) or
    batched (b, m, n) input; iteration ``i`` uses ``coefficients[i]``, the last one once they run out.

    The result stays in ``dtype``: the iteration is meant to run in low precision.
    """
    x = grad.to(dtype)
    tall = grad.size(-2) > grad.size(-1)
    if tall:  # iterate on the wide side: X X^T is then the smaller Gram matrix
        x = x.mT
    # Frobenius normalisation puts every singular value in [0, 1], where the iteration converges.
    x = (x / (x.norm(dim=(-2, -1), keepdim=True) * safety_factor + eps)).contiguous()
    mm = torch.addmm if x.dim() == 2 else torch.baddbmm
    for i in range(steps):
        a, b, c = coefficients[min(i, len(coefficients) - 1)]
        gram = x @ x.mT
        poly = mm(gram, gram, gram, beta=b, alpha=c)  # b * A + c * A @ A
        x = mm(x, poly, x, beta=a, alpha=1.0)  # a * X + (b * A + c * A^2) @ X
    return x.mT if tall else x


def is_suitable_for_muon(param: Tensor, min_dim_size: int = 4, max_aspect_ratio: float = 128.0) -> bool:
    """Whether orthogonalising ``param``'s update makes sense: a real matrix once trailing dims are flattened,
    neither side tiny nor extremely thin, and no unit output / input dim (such as a depthwise kernel)."""
    shape = param.shape
    if sum(d > 1 for d in shape) < 2:
        return False
    if param.dim() > 2 and (shape[0] == 1 or shape[1] == 1):
        return False
    rows, cols = shape[0], math.prod(shape[1:])
    if min(rows, cols) < min_dim_size:
        return False
    return max(rows, cols) / min(rows, cols) <= max_aspect_ratio


def _as_matrices(update: Tensor, conv_mode: str) -> Tensor:
    """(out, in, *spatial) as one (out, in * spatial) matrix ('flatten') or one (out, in) matrix per spatial
    position ('batched', shape (spatial, out, in))."""
    if update.dim() == 2:
        return update
    if conv_mode == "flatten":
        return update.reshape(update.shape[0], -1)
    out_chs, in_chs = update.shape[:2]
    return update.reshape(out_chs, in_chs, -1).permute(2, 0, 1)


def _from_matrices(ortho: Tensor, shape: torch.Size, conv_mode: str) -> Tensor:
    if len(shape) == 2:
        return ortho
    if conv_mode == "flatten":
        return ortho.reshape(shape)
    return ortho.permute(1, 2, 0).reshape(shape)


def lr_scale_for_shape(shape: Sequence[int], adjust_lr_fn: Optional[str]) -> float:
    """Shape-dependent lr multiplier for an (out, in) update: 'original' sqrt(max(1, out / in)),
    'match_rms_adamw' 0.2 * sqrt(max(out, in)) (update RMS like AdamW's, Moonshot's Kimi recipe),
    'rms_to_rms' sqrt(out / in); None leaves the lr as is."""
    if adjust_lr_fn is None:
        return 1.0
    out_dim, in_dim = shape[-2], shape[-1]
    if adjust_lr_fn == "original":
        return math.sqrt(max(1.0, out_dim / in_dim))
    if adjust_lr_fn == "match_rms_adamw":
        return 0.2 * math.sqrt(max(out_dim, in_dim))
    return math.sqrt(out_dim / in_dim)


class Muon(torch.optim.Optimizer):
    """Muon for 2D+ weights, AdamW (NAdamW with ``nesterov``) for 1D parameters, for weights that
    :func:`is_suitable_for_muon` rejects and for groups with ``use_fallback=True`` (or ``use_muon=False``).

    The fallback runs at ``lr * fallback_lr_scale`` with ``betas`` and ``eps``, so one scheduler drives both.
    ``conv_mode='batched'`` orthogonalises each spatial tap of a conv kernel on its own (divided by
    sqrt(taps) when ``normalize_spatial``). Only ``algo='muon'`` is implemented here.
    """

    def __init__(
            self,
            params,
            lr: float = 0.02,
            weight_decay: float = 0,
            momentum: float = 0.95,
            nesterov: bool = False,
            ns_steps: int = 5,
            ns_coefficients: Union[str, Coefficients, List[Coefficients]] = "quintic",
            eps: float = 1e-7,
            safety_factor: float = 1.0,
            adjust_lr_fn: Optional[str] = "match_rms_adamw",
            conv_mode: str = "flatten",
            normalize_spatial: bool = True,
            adamw_lr: Optional[float] = None,
            fallback_lr_scale: float = 1.0,
            betas: Tuple[float, float] = (0.9, 0.95),
            algo: str = "muon",
            scale_eps: bool = False,
            capturable: bool = False,
            verbose: bool = False,
    ):
        self._check(lr, weight_decay, momentum, ns_steps, adjust_lr_fn, conv_mode, algo, scale_eps, capturable)
        resolve_ns_coefficients(ns_coefficients)  # fail here, not at the first step
        if adamw_lr is not None:
            warnings.warn("Muon's adamw_lr is deprecated; use fallback_lr_scale (fallback lr = lr * scale)",
                          DeprecationWarning, stacklevel=2)
            fallback_lr_scale = adamw_lr / lr if lr else 1.0
        defaults = dict(
            lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov, ns_steps=ns_steps,
            ns_coefficients=ns_coefficients, eps=eps, safety_factor=safety_factor, adjust_lr_fn=adjust_lr_fn,
            conv_mode=conv_mode, normalize_spatial=normalize_spatial, fallback_lr_scale=fallback_lr_scale,
            betas=betas, algo=algo, scale_eps=scale_eps, capturable=capturable, verbose=verbose)
        super().__init__(params, defaults)

    @staticmethod
    def _check(lr, weight_decay, momentum, ns_steps, adjust_lr_fn, conv_mode, algo, scale_eps, capturable):
        if lr < 0 or weight_decay < 0:
            raise ValueError(f"lr and weight_decay must be >= 0, got lr={lr}, weight_decay={weight_decay}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if ns_steps < 1:
            raise ValueError(f"ns_steps must be >= 1, got {ns_steps}")
        if adjust_lr_fn is not None and adjust_lr_fn not in LR_ADJUSTMENTS:
            raise ValueError(f"adjust_lr_fn must be None or one of {', '.join(LR_ADJUSTMENTS)}, got {adjust_lr_fn!r}")
        if conv_mode not in CONV_MODES:
            raise ValueError(f"conv_mode must be one of {', '.join(CONV_MODES)}, got {conv_mode!r}")
        if algo != "muon":
            raise ValueError(f"algo={algo!r} is not implemented here; only 'muon' is (AdaMuon is not)")
        if scale_eps or capturable:
            raise ValueError("scale_eps and capturable are not implemented here; leave them False")

    def _uses_muon(self, p: Tensor, group: dict) -> bool:
        if group.get("use_fallback", False) or not group.get("use_muon", True):
            return False
        return is_suitable_for_muon(p)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError("Muon does not support sparse gradients")
                state = self.state[p]
                if "use_muon" not in state:
                    state["use_muon"] = self._uses_muon(p, group)
                if state["use_muon"]:
                    self._muon_update(p, p.grad, state, group)
                else:
                    self._fallback_update(p, p.grad, state, group)
        return loss

    def _muon_update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = torch.zeros_like(p)
        buf = state["momentum_buffer"]
        momentum = group["momentum"]
        buf.lerp_(grad, 1 - momentum)
        update = grad.lerp(buf, momentum) if group["nesterov"] else buf
        conv_mode = group["conv_mode"]
        matrices = _as_matrices(update, conv_mode)
        ortho = zeropower_via_newtonschulz(
            matrices, group["ns_steps"], resolve_ns_coefficients(group["ns_coefficients"]), eps=group["eps"],
            safety_factor=group["safety_factor"])
        scale = lr_scale_for_shape(matrices.shape, group["adjust_lr_fn"])
        if matrices.dim() == 3 and group["normalize_spatial"]:
            scale = scale / math.sqrt(matrices.shape[0])  # the taps together move like one matrix
        lr = group["lr"]
        p.mul_(1.0 - lr * group["weight_decay"])
        p.add_(_from_matrices(ortho, p.shape, conv_mode).to(p.dtype), alpha=-lr * scale)

    def _fallback_update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        if "step" not in state:  # state already holds 'use_muon', so the AdamW step would not initialise it
            state["step"] = torch.tensor(0.0)
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        fallback_group = dict(
            lr=group["lr"] * group["fallback_lr_scale"], betas=group["betas"], eps=group["eps"],
            weight_decay=group["weight_decay"], amsgrad=False, caution=False, maximize=False,
            clipping_threshold=None, corrected_weight_decay=False)
        # The written-out AdamW / NAdamW steps read nothing but their arguments, so they serve as functions.
        step_fn = NAdamW._update if group["nesterov"] else AdamWLegacy._update
        step_fn(self, p, grad, state, fallback_group)
