"""Mixed-precision loss scaling behind one call: backward, optional unscale + clip, step, update.

fp16 gradients underflow without scaling; bf16 (the usual CPU autocast type) does not, so on the CPU
the scaler is created disabled and every call is a plain backward + step.
"""
from __future__ import annotations

from typing import Optional

import torch

from .clip_grad import dispatch_clip_grad

__all__ = ["NativeScaler"]


class NativeScaler:
    state_dict_key = "amp_scaler"

    def __init__(self, device: str = "cuda", *, enabled: Optional[bool] = None):
        device_type = torch.device(device).type
        if enabled is None:
            # scaling only pays off (and only works) where fp16 autocast runs: an available accelerator
            enabled = device_type != "cpu" and _available(device_type)
        self.device = device_type
        self._scaler = torch.amp.GradScaler(device_type, enabled=enabled)

    @property
    def enabled(self) -> bool:
        return self._scaler.is_enabled()

    def __call__(self, loss, optimizer, clip_grad: Optional[float] = None, clip_mode: str = "norm",
                 parameters=None, create_graph: bool = False, need_update: bool = True):
        self._scaler.scale(loss).backward(create_graph=create_graph)
        if not need_update:  # gradient accumulation: only backward on this micro-batch
            return
        if clip_grad is not None:
            if parameters is None:
                raise ValueError("clip_grad needs the parameters to clip: pass parameters=model.parameters()")
            self._scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
            dispatch_clip_grad(parameters, clip_grad, mode=clip_mode)
        self._scaler.step(optimizer)
        self._scaler.update()

    def state_dict(self):
        return self._scaler.state_dict()

    def load_state_dict(self, state_dict):
        self._scaler.load_state_dict(state_dict)


def _available(device_type: str) -> bool:
    module = getattr(torch, device_type, None)
    is_available = getattr(module, "is_available", None)
    return bool(is_available()) if callable(is_available) else False
