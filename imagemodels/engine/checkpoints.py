"""Checkpoints after training: build a model from one, average several, clean one down to its weights.

A training checkpoint is a dict holding ``state_dict`` (and maybe ``state_dict_ema``), the optimizer,
``epoch``, ``metric``, ``arch`` and ``args``; a weights file is the bare state dict (``.pth`` or
``.safetensors``). Files written here carry ``arch`` in their safetensors metadata, so a cleaned or
averaged file still says which model it belongs to.
"""
from __future__ import annotations

import glob
import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import torch
from torch import nn

from ..models._helpers import CheckpointMismatchError, _read_file, clean_state_dict

__all__ = [
    "CheckpointError", "CheckpointMeta", "read_checkpoint", "load_model", "describe_mismatch", "average_checkpoints",
    "find_checkpoints", "clean_checkpoint", "save_weights", "file_sha256",
]

_logger = logging.getLogger(__name__)

_EMA_KEYS = ("state_dict_ema", "model_ema", "ema")
_PLAIN_KEYS = ("state_dict", "model", "module")
_NAME_KEYS = ("label_names", "class_names")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used as asked: unreadable, no tensors, or no architecture named."""


@dataclass
class CheckpointMeta:
    """What a checkpoint file says about itself besides its weights."""

    path: str
    arch: Optional[str] = None
    args: Dict[str, Any] = field(default_factory=dict)
    metric: Optional[float] = None
    epoch: Optional[int] = None
    label_names: Optional[List[str]] = None
    used_key: Optional[str] = None  # which nested dict held the weights ('state_dict_ema', ...), None if bare


def _safetensors_metadata(path: str) -> Dict[str, str]:
    from safetensors import safe_open

    with safe_open(path, framework="pt") as f:
        return dict(f.metadata() or {})


def read_checkpoint(path: str, use_ema: bool = True) -> Tuple[Dict[str, torch.Tensor], CheckpointMeta]:
    """The weights in ``path`` (EMA weights first when ``use_ema``) and what it says about itself."""
    path = os.fspath(path)
    try:
        raw = _read_file(path)  # torch.load with weights_only=True, or safetensors
    except FileNotFoundError as err:
        raise CheckpointError(str(err)) from None
    except Exception as err:  # damaged, not a checkpoint, or pickled objects weights_only refuses
        raise CheckpointError(str(err).splitlines()[0]) from None
    if not isinstance(raw, Mapping):
        raise CheckpointError(f"checkpoint '{path}' holds a {type(raw).__name__}, not a dict of tensors")
    meta = CheckpointMeta(path=path)
    if path.endswith(".safetensors"):
        info = _safetensors_metadata(path)
        meta.arch = info.get("arch") or None
        if info.get("label_names"):
            meta.label_names = info["label_names"].split("\n")
    weights = raw
    for key in (_EMA_KEYS if use_ema else ()) + _PLAIN_KEYS:
        nested = raw.get(key)
        if isinstance(nested, Mapping) and nested:
            weights, meta.used_key = nested, key
            break
    if meta.used_key is not None:  # a training checkpoint: the rest is metadata
        args = raw.get("args")
        meta.args = dict(args) if isinstance(args, Mapping) else {}
        arch = raw.get("arch") or meta.args.get("model")
        meta.arch = arch if isinstance(arch, str) else None
        metric = raw.get("metric")
        meta.metric = float(metric) if isinstance(metric, (int, float)) or torch.is_tensor(metric) else None
        meta.epoch = raw.get("epoch") if isinstance(raw.get("epoch"), int) else None
        for key in _NAME_KEYS:
            names = raw.get(key) or meta.args.get(key)
            if isinstance(names, (list, tuple)) and all(isinstance(n, str) for n in names):
                meta.label_names = list(names)
                break
    tensors = {k: v for k, v in weights.items() if torch.is_tensor(v)}
    if not tensors:
        raise CheckpointError(f"checkpoint '{path}' holds no tensors (keys: {', '.join(list(raw)[:8])})")
    return dict(clean_state_dict(tensors)), meta


def _show(items: Sequence[str], n: int = 3) -> str:
    head = ", ".join(items[:n])
    return head + (f", ... +{len(items) - n}" if len(items) > n else "")


def describe_mismatch(model: nn.Module, state_dict: Mapping[str, torch.Tensor]) -> Optional[str]:
    """One line naming the missing / unexpected / mis-shaped keys, or None when ``state_dict`` fits."""
    own = model.state_dict()
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    shapes = [f"{k} {tuple(state_dict[k].shape)} vs {tuple(own[k].shape)}"
              for k in own if k in state_dict and tuple(state_dict[k].shape) != tuple(own[k].shape)]
    parts = []
    if shapes:
        parts.append(f"{len(shapes)} shape mismatches ({_show(shapes)})")
    if missing:
        parts.append(f"{len(missing)} missing keys ({_show(missing)})")
    if unexpected:
        parts.append(f"{len(unexpected)} unexpected keys ({_show(unexpected)})")
    return "; ".join(parts) or None


def _head_size(state_dict: Mapping[str, torch.Tensor], model_name: str) -> Tuple[Optional[int], Optional[int]]:
    """(num_classes, in_chans) read off the checkpoint's classifier and first conv, where they exist."""
    from ..models import get_pretrained_cfg

    cfg = get_pretrained_cfg(model_name)
    num_classes = in_chans = None
    classifiers = cfg.classifier if cfg is not None and cfg.classifier else ()
    for name in [classifiers] if isinstance(classifiers, str) else classifiers:
        weight = state_dict.get(f"{name}.weight")
        if weight is not None:
            num_classes = int(weight.shape[0])
            break
    if cfg is not None and isinstance(cfg.first_conv, str):
        weight = state_dict.get(f"{cfg.first_conv}.weight")
        if weight is not None and weight.ndim == 4:
            in_chans = int(weight.shape[1])
    return num_classes, in_chans


def load_model(
    model_name: Optional[str] = None,
    checkpoint: Optional[str] = None,
    *,
    pretrained: bool = False,
    num_classes: Optional[int] = None,
    in_chans: Optional[int] = None,
    use_ema: bool = True,
    **kwargs: Any,
) -> Tuple[nn.Module, Optional[CheckpointMeta]]:
    """Build ``model_name`` (or the architecture a checkpoint names) and load ``checkpoint`` into it.

    Without ``num_classes`` / ``in_chans`` the head and stem are sized from the checkpoint's own
    classifier and first conv, so a fine-tune on 10 classes loads without flags. A checkpoint that
    does not fit raises ``CheckpointMismatchError`` with one line: which keys, and what to pass.
    """
    from ..models import create_model, is_model
    from ..models._registry import unknown_model_error

    if checkpoint is None:
        if model_name is None:
            raise ValueError("pass a model name, a checkpoint, or both")
        if not is_model(model_name):
            raise unknown_model_error(model_name)
        model = create_model(model_name, pretrained=pretrained, num_classes=num_classes, in_chans=in_chans, **kwargs)
        return model.eval(), None

    state_dict, meta = read_checkpoint(checkpoint, use_ema=use_ema)
    name = model_name or meta.arch
    if name is None:
        raise CheckpointError(f"checkpoint '{checkpoint}' does not say which architecture it holds; pass the model name")
    if not is_model(name):
        raise unknown_model_error(name)
    head, chans = _head_size(state_dict, name)
    num_classes = num_classes if num_classes is not None else head
    in_chans = in_chans if in_chans is not None else chans
    if meta.args.get("gp") and kwargs.get("global_pool") is None:
        kwargs["global_pool"] = meta.args["gp"]
    model = create_model(name, pretrained=pretrained, num_classes=num_classes, in_chans=in_chans, **kwargs)
    problem = describe_mismatch(model, state_dict)
    if problem is not None:
        if meta.arch and meta.arch != name:
            hint = f"it was saved from '{meta.arch}': pass --model {meta.arch} (or leave --model out)"
        else:
            hint = "pass the --model it was trained as (and --num-classes if its head differs)"
        raise CheckpointMismatchError(f"checkpoint '{checkpoint}' does not fit {name}: {problem}; {hint}")
    model.load_state_dict(state_dict)
    return model.eval(), meta


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_weights(state_dict: Mapping[str, torch.Tensor], path: str, arch: Optional[str] = None,
                 label_names: Optional[Sequence[str]] = None) -> str:
    """Write bare weights: safetensors when ``path`` ends in ``.safetensors`` (arch kept in its metadata),
    else ``torch.save``. Written to a temporary file and renamed, so a crash leaves no half file."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    tensors = {k: v.detach().contiguous().cpu() for k, v in state_dict.items()}
    try:
        if path.endswith(".safetensors"):
            from safetensors.torch import save_file

            metadata = {"format": "pt"}
            if arch:
                metadata["arch"] = arch
            if label_names:
                metadata["label_names"] = "\n".join(label_names)
            save_file(tensors, tmp, metadata=metadata)
        else:
            torch.save(tensors, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def find_checkpoints(folder: str, pattern: str = "*.pth.tar") -> List[str]:
    """Checkpoint files in ``folder`` matching ``pattern``; the recovery, last and best copies are skipped
    (they repeat an epoch that is already there)."""
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"checkpoint folder does not exist: {folder}")
    paths = sorted(glob.glob(os.path.join(glob.escape(folder), pattern)))
    skip = ("recovery", "last", "model_best")
    return [p for p in paths if not os.path.basename(p).startswith(skip)]


def average_checkpoints(
    paths: Sequence[str],
    *,
    top_k: Optional[int] = None,
    sort_by_metric: bool = True,
    use_ema: bool = True,
) -> Tuple[Dict[str, torch.Tensor], List[CheckpointMeta]]:
    """The element-wise mean of the weights in ``paths`` and the checkpoints that went into it.

    With ``sort_by_metric`` the checkpoints are ranked by their saved ``metric`` (highest first; files
    without one are ranked last) before the best ``top_k`` are kept. Floating tensors are summed in
    float64 and cast back to their dtype; integer buffers (BatchNorm's step counter) keep the best
    checkpoint's value, since their mean is meaningless.
    """
    if not paths:
        raise CheckpointError("no checkpoints to average")
    loaded = [read_checkpoint(p, use_ema=use_ema) for p in paths]
    if sort_by_metric:
        loaded.sort(key=lambda item: (item[1].metric is None, -(item[1].metric or 0.0)))
    if top_k:
        loaded = loaded[:top_k]
    first, _ = loaded[0]
    sums: Dict[str, torch.Tensor] = {}
    for state_dict, meta in loaded:
        if state_dict.keys() != first.keys():
            odd = sorted(set(state_dict) ^ set(first))
            raise CheckpointMismatchError(f"'{meta.path}' has other keys than '{loaded[0][1].path}' ({_show(odd)}); "
                                          "only checkpoints of one model can be averaged")
        for key, value in state_dict.items():
            if value.shape != first[key].shape:
                raise CheckpointMismatchError(f"'{meta.path}': {key} is {tuple(value.shape)}, "
                                              f"'{loaded[0][1].path}' has {tuple(first[key].shape)}")
            if value.is_floating_point():
                sums[key] = sums[key] + value.double() if key in sums else value.double()
    averaged = {
        key: (sums[key] / len(loaded)).to(value.dtype) if key in sums else value.clone()
        for key, value in first.items()
    }
    return averaged, [meta for _, meta in loaded]


def clean_checkpoint(
    checkpoint: str,
    output: Optional[str] = None,
    *,
    use_ema: bool = True,
    safetensors: bool = False,
    add_hash: bool = True,
    clean_aux_bn: bool = False,
) -> Tuple[str, str, CheckpointMeta]:
    """Keep only the weights of a training checkpoint; returns ``(path written, sha256, meta)``.

    The output defaults to the checkpoint's name with ``.pth`` (or ``.safetensors``) beside it. With
    ``add_hash`` the first 8 hex digits of the file's sha256 are appended to its name
    (``name-1a2b3c4d.pth``), the convention hub download checks rely on. ``clean_aux_bn`` drops the
    auxiliary BatchNorm layers of split-BN (AugMix) training.
    """
    state_dict, meta = read_checkpoint(checkpoint, use_ema=use_ema)
    if clean_aux_bn:
        state_dict = {k: v for k, v in state_dict.items() if ".aux_bn." not in k}
    ext = ".safetensors" if safetensors else ".pth"
    if output is None:
        base = os.path.basename(checkpoint)
        for suffix in (".pth.tar", ".safetensors", ".pth", ".pt", ".bin", ".tar"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        output = os.path.join(os.path.dirname(checkpoint), base + "-clean" + ext)
    elif not output.endswith((".pth", ".pt", ".bin", ".safetensors")):
        output += ext  # an output with its own extension decides the format
    path = save_weights(state_dict, output, arch=meta.arch, label_names=meta.label_names)
    digest = file_sha256(path)
    if add_hash:
        stem, suffix = os.path.splitext(path)
        hashed = f"{stem}-{digest[:8]}{suffix}"
        os.replace(path, hashed)
        path = hashed
    return path, digest, meta
