"""Per-group lr scales applied inside ``optimizer.step()``.

Why in the step and not in the scheduler: the reference multiplies ``lr_scale`` in its own schedulers, so
layer decay silently does nothing under a PyTorch scheduler (or none). Here a step pre-hook multiplies each
group's lr by its ``lr_scale`` just for the update and a post-hook puts the scheduled value back, so
``group['lr']`` always holds the schedule's value, any scheduler can drive it, and the effective lr is
``group['lr'] * group['lr_scale']``. imagemodels schedulers see the marker attribute and do not scale again.
"""
import torch

from ..scheduler.scheduler import LR_SCALE_IN_STEP_ATTR


def _scale(optimizer, args, kwargs):
    # a step that raised never ran the post-hook: put the scheduled values back before scaling again
    _unscale(optimizer, args, kwargs)
    saved = []
    for group in optimizer.param_groups:
        saved.append(group.get("lr"))
        if "lr_scale" in group and group.get("lr") is not None:
            group["lr"] = group["lr"] * group["lr_scale"]
    optimizer._unscaled_lrs = saved


def _unscale(optimizer, args, kwargs):
    saved = getattr(optimizer, "_unscaled_lrs", None)
    if saved is None:
        return
    for group, lr in zip(optimizer.param_groups, saved):
        if lr is not None:
            group["lr"] = lr
    optimizer._unscaled_lrs = None


def apply_lr_scale_in_step(optimizer: torch.optim.Optimizer) -> torch.optim.Optimizer:
    """Make ``optimizer`` honour each param group's ``lr_scale`` in ``step()``; returns it."""
    if not getattr(optimizer, LR_SCALE_IN_STEP_ATTR, False):
        optimizer.register_step_pre_hook(_scale)
        optimizer.register_step_post_hook(_unscale)
        setattr(optimizer, LR_SCALE_IN_STEP_ATTR, True)
    return optimizer
