"""Exponential moving average (EMA) of a model's weights, with optional warmup of the decay.

``ema = decay * ema + (1 - decay) * model`` after every optimizer step; evaluating the averaged copy
usually beats the raw weights late in training. The warmup schedule ``1 - (1 + step / gamma) ** -power``
lets the average follow the model closely at first (from "Polyak averaging"-style EMA as used by
TensorFlow's ExponentialMovingAverage and the diffusers EMA).
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from copy import deepcopy
from typing import Optional

import torch
from torch import nn

__all__ = ["ModelEmaV3", "ModelEmaV2", "ModelEma"]


def _stochastic_round_to_bf16(value: torch.Tensor, generator: Optional[torch.Generator]) -> torch.Tensor:
    """Round fp32 -> bf16 up or down at random, in proportion to the distance: small EMA steps that
    plain round-to-nearest would erase survive on average."""
    bits = value.float().contiguous().view(torch.int32)
    noise = torch.randint(0, 1 << 16, bits.shape, dtype=torch.int32, device=bits.device, generator=generator)
    rounded = (bits + noise) & ~0xFFFF
    return rounded.view(torch.float32).to(torch.bfloat16)


class ModelEmaV3(nn.Module):
    def __init__(
            self,
            model: nn.Module,
            decay: float = 0.9999,
            min_decay: float = 0.0,
            update_after_step: int = 0,
            use_warmup: bool = False,
            warmup_gamma: float = 1.0,
            warmup_power: float = 2 / 3,
            device: Optional[torch.device] = None,
            dtype: Optional[torch.dtype] = None,
            stochastic_rounding: bool = True,
            stochastic_rounding_seed: int = 0,
            foreach: bool = True,
            exclude_buffers: bool = False,
    ):
        super().__init__()
        if not 0.0 <= decay <= 1.0:
            raise ValueError(f"decay must be in [0, 1], got {decay}")
        if not 0.0 <= min_decay <= 1.0:
            raise ValueError(f"min_decay must be in [0, 1], got {min_decay}")
        if warmup_gamma <= 0:
            raise ValueError(f"warmup_gamma must be > 0, got {warmup_gamma}")
        self.module = deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.min_decay = min_decay
        self.update_after_step = update_after_step
        self.use_warmup = use_warmup
        self.warmup_gamma = warmup_gamma
        self.warmup_power = warmup_power
        self.foreach = foreach
        self.device = device
        self.dtype = dtype
        self.stochastic_rounding = stochastic_rounding
        self.stochastic_rounding_seed = stochastic_rounding_seed
        self.exclude_buffers = exclude_buffers
        # a separate device (e.g. CPU for a GPU model) makes the model -> EMA copy a transfer; foreach
        # kernels need every tensor on one device
        first = next(model.parameters(), None)
        model_device = first.device if first is not None else torch.device("cpu")
        if self.device is not None and torch.device(self.device) != model_device:
            self.foreach = False
        if self.device is not None or self.dtype is not None:
            self.module.to(device=self.device, dtype=self.dtype)
        self._sr_generator = None
        if self.dtype == torch.bfloat16 and self.stochastic_rounding:
            self._sr_generator = torch.Generator(device=self.device if self.device is not None else model_device)
            self._sr_generator.manual_seed(stochastic_rounding_seed)

    def get_decay(self, step: Optional[int] = None) -> float:
        """Decay for optimizer step ``step``: 0 (copy the model) until ``update_after_step`` has
        passed, then ``decay``, or the warmup curve clamped to ``[min_decay, decay]``."""
        if step is None:
            return self.decay
        step = max(0, step - self.update_after_step - 1)
        if step <= 0:
            return 0.0
        if not self.use_warmup:
            return self.decay
        decay = 1.0 - (1.0 + step / self.warmup_gamma) ** -self.warmup_power
        return max(min(decay, self.decay), self.min_decay)

    def _pairs(self, model: nn.Module):
        """(ema tensor, model tensor, average it?) for everything the EMA tracks."""
        if self.exclude_buffers:
            for (name, e), (_, m) in zip(self.module.named_parameters(), model.named_parameters()):
                yield e, m, True
            for e, m in zip(self.module.buffers(), model.buffers()):
                yield e, m, False  # buffers (BN stats) follow the model instead of being averaged
        else:
            for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
                yield e, m, e.is_floating_point()

    @torch.no_grad()
    def update(self, model: nn.Module, step: Optional[int] = None):
        weight = 1.0 - self.get_decay(step)
        lerp_ema, lerp_model = [], []
        for e, m, average in self._pairs(model):
            if not average:
                e.copy_(m.to(device=e.device))
                continue
            m = m.to(device=e.device)
            if e.dtype != m.dtype or (self._sr_generator is not None and e.dtype == torch.bfloat16):
                # a low-precision EMA: blend in fp32, then round back
                blended = torch.lerp(e.float(), m.float(), weight)
                if self._sr_generator is not None and e.dtype == torch.bfloat16:
                    e.copy_(_stochastic_round_to_bf16(blended, self._sr_generator))
                else:
                    e.copy_(blended)
                continue
            lerp_ema.append(e)
            lerp_model.append(m)
        if not lerp_ema:
            return
        if self.foreach:
            torch._foreach_lerp_(lerp_ema, lerp_model, weight=weight)
        else:
            for e, m in zip(lerp_ema, lerp_model):
                e.lerp_(m, weight=weight)

    @torch.no_grad()
    def set(self, model: nn.Module):
        """Copy the model's weights (and buffers) into the EMA as they are."""
        for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
            e.copy_(m.to(device=e.device, dtype=e.dtype))

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)


class ModelEmaV2(nn.Module):
    """The older fixed-decay EMA (no warmup, no step); kept so scripts written for it still run.

    Integer buffers (BatchNorm's ``num_batches_tracked``) are copied from the model rather than
    averaged; averaging a counter and truncating it back to an integer means nothing.
    """

    def __init__(self, model: nn.Module, decay: float = 0.9999, device: Optional[torch.device] = None):
        super().__init__()
        if not 0.0 <= decay <= 1.0:
            raise ValueError(f"decay must be in [0, 1], got {decay}")
        self.module = deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.device = device
        if device is not None:
            self.module.to(device=device)

    @torch.no_grad()
    def _blend(self, model: nn.Module, weight: float):
        for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
            m = m.to(device=e.device)
            if e.is_floating_point():
                e.lerp_(m.to(e.dtype), weight)
            else:
                e.copy_(m)

    def update(self, model: nn.Module):
        self._blend(model, 1.0 - self.decay)

    def set(self, model: nn.Module):
        self._blend(model, 1.0)

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)


class ModelEma:
    """The first EMA helper (not an ``nn.Module``): ``self.ema`` is an eval-mode copy of the model whose
    whole ``state_dict`` (parameters and buffers) is blended toward the model's at every :meth:`update`.

    Kept for training code written against it; new code should use :class:`ModelEmaV3`. ``device='cpu'``
    keeps the average off the accelerator; ``resume`` loads ``state_dict_ema`` from a training checkpoint.
    A model wrapped in DDP (``.module``) may be passed to :meth:`update` while the EMA holds the bare one.
    """

    def __init__(self, model: nn.Module, decay: float = 0.9999, device: str = "", resume: str = ""):
        self.ema = deepcopy(model)
        self.ema.eval()
        self.decay = decay
        self.device = device
        if device:
            self.ema.to(device=device)
        self.ema_has_module = hasattr(self.ema, "module")
        if resume:
            self._load_checkpoint(resume)
        for param in self.ema.parameters():
            param.requires_grad_(False)

    def _load_checkpoint(self, checkpoint_path: str) -> None:
        checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
        if not (isinstance(checkpoint, dict) and "state_dict_ema" in checkpoint):
            logging.getLogger(__name__).warning("no state_dict_ema in '%s'; the EMA starts from the model", checkpoint_path)
            return
        state = OrderedDict()
        for key, value in checkpoint["state_dict_ema"].items():
            if self.ema_has_module and not key.startswith("module"):
                key = "module." + key
            state[key] = value
        self.ema.load_state_dict(state)

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        """``ema = decay * ema + (1 - decay) * model`` for every state entry, integer buffers included
        (their blend is truncated back to the integer type, as the reference does)."""
        prefix = "module." if hasattr(model, "module") and not self.ema_has_module else ""
        model_state = model.state_dict()
        for key, ema_value in self.ema.state_dict().items():
            model_value = model_state[prefix + key].detach()
            if self.device:
                model_value = model_value.to(device=self.device)
            ema_value.copy_(ema_value * self.decay + (1.0 - self.decay) * model_value)
