"""Mixed-precision loss scaling behind one call: backward, optional unscale + clip, step, update.

fp16 gradients underflow without scaling; bf16 (the usual CPU autocast type) does not, so on the CPU
the scaler is created disabled and every call is a plain backward + step.
"""
from __future__ import annotations

from typing import Optional

import torch

from .clip_grad import dispatch_clip_grad

__all__ = ["NativeScaler", "ApexScaler"]


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


class ApexScaler:
    """Loss scaling through NVIDIA apex's ``amp`` (the pre-``torch.amp`` mixed precision), with the same
    call as :class:`NativeScaler`. apex is a separate install; without it construction fails and says so."""

    state_dict_key = "amp"

    def __init__(self):
        try:
            from apex import amp
        except ImportError as err:
            raise ImportError(
                "ApexScaler needs NVIDIA apex (https://github.com/NVIDIA/apex), which is not installed; "
                "use imagemodels.utils.NativeScaler (torch.amp) instead"
            ) from err
        self._amp = amp

    def __call__(self, loss, optimizer, clip_grad: Optional[float] = None, clip_mode: str = "norm",
                 parameters=None, create_graph: bool = False, need_update: bool = True):
        with self._amp.scale_loss(loss, optimizer) as scaled_loss:
            scaled_loss.backward(create_graph=create_graph)
        if not need_update:
            return
        if clip_grad is not None:
            dispatch_clip_grad(self._amp.master_params(optimizer), clip_grad, mode=clip_mode)
        optimizer.step()

    def state_dict(self):
        return self._amp.state_dict() if "state_dict" in self._amp.__dict__ else {}

    def load_state_dict(self, state_dict):
        if "load_state_dict" in self._amp.__dict__:
            self._amp.load_state_dict(state_dict)
