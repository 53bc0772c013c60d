"""Lookahead (Zhang et al., "Lookahead Optimizer: k steps forward, 1 step back", 2019,
https://arxiv.org/abs/1907.08610): every ``k`` steps of the wrapped optimizer, move a slow copy of the weights
``alpha`` of the way towards the fast weights and restart the fast weights from there."""
from collections import OrderedDict, defaultdict

import torch

from ..scheduler.scheduler import LR_SCALE_IN_STEP_ATTR


class Lookahead(torch.optim.Optimizer):
    """Wraps an optimizer; shares its ``param_groups`` (so schedulers drive both) and keeps the slow weights in
    its state. ``state_dict()`` is the wrapped optimizer's."""

    def __init__(self, base_optimizer: torch.optim.Optimizer, alpha: float = 0.5, k: int = 6):
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha (slow update rate) must be in [0, 1], got {alpha}")
        if k < 1:
            raise ValueError(f"k (lookahead steps) must be >= 1, got {k}")
        # Optimizer.__init__ is skipped on purpose: the groups are the base optimizer's own objects
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._base_optimizer = base_optimizer
        self.param_groups = base_optimizer.param_groups
        self.defaults = base_optimizer.defaults
        extra = dict(lookahead_alpha=alpha, lookahead_k=k, lookahead_step=0)
        self.defaults.update(extra)
        self.state = defaultdict(dict)
        for group in self.param_groups:
            for key, value in extra.items():
                group.setdefault(key, value)
        if getattr(base_optimizer, LR_SCALE_IN_STEP_ATTR, False):
            setattr(self, LR_SCALE_IN_STEP_ATTR, True)

    def __repr__(self):
        return f"Lookahead({self._base_optimizer!r})"

    @property
    def is_second_order(self):
        return getattr(self._base_optimizer, "is_second_order", False)

    @torch.no_grad()
    def update_slow(self, group):
        for fast in group["params"]:
            if fast.grad is None:
                continue
            state = self._base_optimizer.state[fast]
            if "lookahead_slow_buff" not in state:
                state["lookahead_slow_buff"] = fast.detach().clone()
            slow = state["lookahead_slow_buff"]
            slow.add_(fast - slow, alpha=group["lookahead_alpha"])
            fast.copy_(slow)

    def sync_lookahead(self):
        for group in self.param_groups:
            self.update_slow(group)

    @torch.no_grad()
    def step(self, closure=None):
        loss = self._base_optimizer.step(closure)
        for group in self.param_groups:
            group["lookahead_step"] += 1
            if group["lookahead_step"] % group["lookahead_k"] == 0:
                self.update_slow(group)
        return loss

    def zero_grad(self, set_to_none: bool = True):
        self._base_optimizer.zero_grad(set_to_none=set_to_none)

    def state_dict(self):
        return self._base_optimizer.state_dict()

    def load_state_dict(self, state_dict):
        self._base_optimizer.load_state_dict(state_dict)
        self.param_groups = self._base_optimizer.param_groups
        for group in self.param_groups:
            for key in ("lookahead_alpha", "lookahead_k", "lookahead_step"):
                group.setdefault(key, self.defaults[key])
