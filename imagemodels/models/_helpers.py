"""Reading checkpoints from disk and fitting them to a model.

Every ``torch.load`` here passes ``weights_only=True``: a checkpoint is data, never code.
safetensors files are preferred and read with ``safetensors.torch.load_file``.
"""
from __future__ import annotations

import logging
import math
import os
import re
from collections import OrderedDict
from typing import Any, Callable, Dict, Mapping, Optional

import torch
from torch import nn

__all__ = [
    "load_state_dict", "load_checkpoint", "clean_state_dict", "adapt_input_conv", "check_state_dict_fits",
    "CheckpointMismatchError", "remap_state_dict", "resume_checkpoint", "filter_pretrained_cfg", "safe_model_name",
]

_logger = logging.getLogger(__name__)

# dict keys under which training scripts nest the weights, most preferred first
_EMA_KEYS = ("state_dict_ema", "model_ema", "ema")
_PLAIN_KEYS = ("state_dict", "model", "module")


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's keys or shapes do not fit the model it is loaded into."""


def _read_file(path: str, device: str = "cpu") -> Any:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint file at '{path}'")
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file

        return load_file(path, device=device)
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # an unpickling refusal or a damaged file: say which and why
        raise RuntimeError(
            f"could not read checkpoint '{path}' with torch.load(weights_only=True): {err}. "
            "If it holds more than tensors and plain containers, re-save its state_dict, "
            "ideally as .safetensors"
        ) from err


def clean_state_dict(state_dict: Mapping[str, Any]) -> "OrderedDict[str, Any]":
    """Strip the ``module.`` prefix that DataParallel/DDP checkpoints carry."""
    out = OrderedDict()
    for key, value in state_dict.items():
        out[key[7:] if key.startswith("module.") else key] = value
    return out


def load_state_dict(checkpoint_path: str, use_ema: bool = True, device: str = "cpu", weights_only: bool = True) -> Dict[str, Any]:
    """The model weights in a checkpoint file, unwrapped from training-state dicts."""
    if not weights_only:
        raise ValueError("imagemodels only loads checkpoints with weights_only=True")
    checkpoint = _read_file(checkpoint_path, device)
    if not isinstance(checkpoint, Mapping):
        raise RuntimeError(f"checkpoint '{checkpoint_path}' holds a {type(checkpoint).__name__}, not a dict of tensors")
    keys = (_EMA_KEYS if use_ema else ()) + _PLAIN_KEYS
    for key in keys:
        nested = checkpoint.get(key)
        if isinstance(nested, Mapping) and nested:
            _logger.info("using '%s' from checkpoint '%s'", key, checkpoint_path)
            return clean_state_dict(nested)
    return clean_state_dict(checkpoint)


def check_state_dict_fits(model: nn.Module, state_dict: Mapping[str, Any], strict: bool = True, what: str = "checkpoint") -> None:
    """Raise one readable error listing every missing key, unexpected key and shape mismatch."""
    own = model.state_dict()
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    mismatched = [
        f"{k}: checkpoint {tuple(state_dict[k].shape)} vs model {tuple(own[k].shape)}"
        for k in own
        if k in state_dict and hasattr(state_dict[k], "shape") and tuple(state_dict[k].shape) != tuple(own[k].shape)
    ]
    if not strict:
        missing = unexpected = []
    if missing or unexpected or mismatched:
        def show(items: list) -> str:
            head = ", ".join(items[:12])
            return head + (f", ... ({len(items) - 12} more)" if len(items) > 12 else "")

        lines = [f"{what} does not fit {type(model).__name__}:"]
        if missing:
            lines.append(f"  missing keys ({len(missing)}): {show(missing)}")
        if unexpected:
            lines.append(f"  unexpected keys ({len(unexpected)}): {show(unexpected)}")
        if mismatched:
            lines.append(f"  shape mismatches ({len(mismatched)}): {show(mismatched)}")
        lines.append(
            "  Check that the checkpoint was saved from the same architecture; for a different head "
            "pass num_classes, for other input channels pass in_chans, or load with strict=False."
        )
        raise CheckpointMismatchError("\n".join(lines))


def remap_state_dict(state_dict: Mapping[str, Any], model: nn.Module, allow_reshape: bool = True) -> Dict[str, Any]:
    """Load by position instead of name: the i-th tensor of the checkpoint goes to the i-th of the model."""
    own = model.state_dict()
    if len(own) != len(state_dict):
        raise CheckpointMismatchError(f"cannot remap by position: checkpoint has {len(state_dict)} tensors, model {len(own)}")
    out = {}
    for (key, target), (src_key, value) in zip(own.items(), state_dict.items()):
        if value.shape != target.shape:
            if allow_reshape and value.numel() == target.numel():
                value = value.reshape(target.shape)
            else:
                raise CheckpointMismatchError(f"cannot remap {src_key} {tuple(value.shape)} onto {key} {tuple(target.shape)}")
        out[key] = value
    return out


def load_checkpoint(
    model: nn.Module,
    checkpoint_path: str,
    use_ema: bool = True,
    device: str = "cpu",
    strict: bool = True,
    remap: bool = False,
    filter_fn: Optional[Callable[[Dict[str, Any], nn.Module], Dict[str, Any]]] = None,
    weights_only: bool = True,
) -> Any:
    """Load a checkpoint file into ``model``; a mismatch lists every bad key before anything loads."""
    state_dict = load_state_dict(checkpoint_path, use_ema=use_ema, device=device, weights_only=weights_only)
    if filter_fn is not None:
        state_dict = filter_fn(state_dict, model)
    if remap:
        state_dict = remap_state_dict(state_dict, model)
    check_state_dict_fits(model, state_dict, strict=strict, what=f"checkpoint '{checkpoint_path}'")
    return model.load_state_dict(state_dict, strict=strict)


def adapt_input_conv(in_chans: int, conv_weight: torch.Tensor, base_chans: int = 3) -> torch.Tensor:
    """Fit a first-conv weight made for ``base_chans`` (RGB: 3) input channels to ``in_chans`` channels.

    One channel: sum over the colour filters (a grey image is R = G = B, so the response is unchanged).
    More or other: repeat the colour filters and scale by base_chans / in_chans so activations keep their size.
    """
    dtype = conv_weight.dtype
    weight = conv_weight.float()
    out_ch, in_ch, kh, kw = weight.shape
    if in_chans == in_ch:
        return conv_weight
    if in_chans == 1:
        if in_ch > 3:
            # space-to-depth stems pack the colours into each group of channels
            if in_ch % base_chans != 0:
                raise ValueError(f"cannot adapt a first conv with {in_ch} input channels to 1 channel")
            weight = weight.reshape(out_ch, in_ch // base_chans, base_chans, kh, kw).sum(dim=2)
        else:
            weight = weight.sum(dim=1, keepdim=True)
    else:
        if in_ch != base_chans:
            raise NotImplementedError(f"adapting a first conv with {in_ch} input channels to {in_chans} is not supported; train from scratch or pass in_chans={in_ch}")
        repeat = int(math.ceil(in_chans / base_chans))
        weight = weight.repeat(1, repeat, 1, 1)[:, :in_chans, :, :]
        weight *= base_chans / float(in_chans)
    return weight.to(dtype)


def resume_checkpoint(
    model: nn.Module,
    checkpoint_path: str,
    optimizer: Optional[torch.optim.Optimizer] = None,
    loss_scaler: Optional[Any] = None,
    log_info: bool = True,
    weights_only: bool = True,
) -> Optional[int]:
    """Restore model, optimizer and loss-scaler state from a training checkpoint; returns the epoch to resume at.

    Reads the layout ``CheckpointSaver`` (ours and the reference's) writes: ``state_dict``, ``optimizer``,
    ``loss_scaler.state_dict_key`` (``amp_scaler``), ``epoch`` and ``version``. From ``version`` 2 on the
    saved epoch is the one that finished, so training resumes at the next. A bare state dict restores the
    model only and returns None.
    """
    if not os.path.isfile(checkpoint_path):
        raise FileNotFoundError(f"no checkpoint found at '{checkpoint_path}'")
    if not weights_only:
        raise ValueError("imagemodels only loads checkpoints with weights_only=True")
    checkpoint = _read_file(checkpoint_path)
    if not (isinstance(checkpoint, Mapping) and "state_dict" in checkpoint):
        model.load_state_dict(clean_state_dict(checkpoint))
        if log_info:
            _logger.info("loaded weights from '%s' (no training state in it)", checkpoint_path)
        return None
    model.load_state_dict(clean_state_dict(checkpoint["state_dict"]))
    if optimizer is not None and "optimizer" in checkpoint:
        optimizer.load_state_dict(checkpoint["optimizer"])
    scaler_key = getattr(loss_scaler, "state_dict_key", None)
    if loss_scaler is not None and scaler_key in checkpoint:
        loss_scaler.load_state_dict(checkpoint[scaler_key])
    epoch = checkpoint.get("epoch")
    if epoch is not None and checkpoint.get("version", 1) > 1:
        epoch += 1
    if log_info:
        _logger.info("resumed from '%s' (epoch %s)", checkpoint_path, checkpoint.get("epoch"))
    return epoch


_SOURCE_KEYS = frozenset({"url", "file", "hf_hub_id", "hf_hub_filename", "source"})
_KEEP_NULL_KEYS = frozenset({"pool_size", "first_conv", "classifier"})  # consumers test these for None


def filter_pretrained_cfg(cfg: Mapping[str, Any], remove_source: bool = False, remove_null: bool = True) -> Dict[str, Any]:
    """A pretrained-cfg dict without the weight location (``remove_source``) and without unset values
    (``remove_null``), e.g. for a Hub ``config.json``; ``pool_size``, ``first_conv`` and ``classifier``
    stay even when None, since code reads them to find the head and the stem."""
    items = cfg.to_dict(remove_null=False).items() if hasattr(cfg, "to_dict") else cfg.items()
    out = {}
    for key, value in items:
        if remove_source and key in _SOURCE_KEYS:
            continue
        if remove_null and value is None and key not in _KEEP_NULL_KEYS:
            continue
        out[key] = value
    return out


def safe_model_name(model_name: str, remove_source: bool = True) -> str:
    """A model name usable as a file or folder name: every character other than a letter, digit or ``_``
    becomes ``_``; ``remove_source`` first drops an ``hf-hub:`` / ``local-dir:`` prefix."""
    if remove_source:
        from ._factory import parse_model_name

        model_name = parse_model_name(model_name)[-1]
    return re.sub(r"[^a-zA-Z0-9_]", "_", model_name)
