"""Small helpers training scripts written against timm reach for: seeds, output dirs, CSV summaries,
argparse conveniences, logging, and batch-size back-off after out-of-memory errors."""
from __future__ import annotations

import argparse
import ast
import csv
import logging
import os
import random
import re

__all__ = ["random_seed", "get_outdir", "update_summary", "natural_key", "add_bool_arg", "ParseKwargs",
           "setup_default_logging", "FormatterNoInfo", "decay_batch_step", "check_batch_size_retry",
           "load_checkpoint_metadata", "set_jit_fuser", "set_jit_legacy"]


def random_seed(seed: int = 42, rank: int = 0):
    """Seed python, numpy and torch; ``rank`` is added so each distributed worker draws different data."""
    import numpy as np
    import torch

    torch.manual_seed(seed + rank)
    np.random.seed(seed + rank)
    random.seed(seed + rank)


def get_outdir(path: str, *paths: str, inc: bool = False) -> str:
    """``os.path.join(path, *paths)``, created if missing; with ``inc``, an existing directory gets a
    fresh sibling ``name-1``, ``name-2``, ... instead of being reused."""
    outdir = os.path.join(path, *paths)
    if not os.path.exists(outdir):
        os.makedirs(outdir)
    elif inc:
        count = 1
        while os.path.exists(f"{outdir}-{count}"):
            count += 1
        outdir = f"{outdir}-{count}"
        os.makedirs(outdir)
    return outdir


def update_summary(epoch, train_metrics, eval_metrics, filename, lr=None, write_header=None, log_wandb=False):
    """Append one CSV row: ``epoch``, ``train_*``, ``eval_*`` and ``lr``. ``write_header=None`` writes
    the header only when the file is new."""
    row = {"epoch": epoch}
    row.update({f"train_{k}": v for k, v in train_metrics.items()})
    if eval_metrics:
        row.update({f"eval_{k}": v for k, v in eval_metrics.items()})
    if lr is not None:
        row["lr"] = lr
    if log_wandb:
        try:
            import wandb
        except ImportError as e:
            raise ImportError("log_wandb=True needs the wandb package: pip install wandb") from e
        wandb.log(row)
    if write_header is None:
        write_header = not os.path.exists(filename) or os.path.getsize(filename) == 0
    with open(filename, mode="a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        if write_header:
            writer.writeheader()
        writer.writerow(row)


def natural_key(string_: str):
    """Sort key that orders 'a2' before 'a10' (digit runs compare as numbers, case ignored)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", string_.lower())]


def add_bool_arg(parser: argparse.ArgumentParser, name: str, default: bool = False, help: str = ""):
    """``--name`` / ``--no-name`` flags writing one boolean ``dest``."""
    dest = name.replace("-", "_")
    group = parser.add_mutually_exclusive_group(required=False)
    group.add_argument("--" + name, dest=dest, action="store_true", help=help)
    group.add_argument("--no-" + name, dest=dest, action="store_false", help=help)
    parser.set_defaults(**{dest: default})


class ParseKwargs(argparse.Action):
    """``--opt key=value key2=[1,2]``: values are Python literals when they parse as one, else strings."""

    def __call__(self, parser, namespace, values, option_string=None):
        kwargs = {}
        for item in values:
            key, sep, value = item.partition("=")
            if not sep:
                parser.error(f"{option_string} expects key=value pairs, got {item!r}")
            try:
                kwargs[key] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                kwargs[key] = value
        setattr(namespace, self.dest, kwargs)


class FormatterNoInfo(logging.Formatter):
    """Plain messages at INFO (the common case reads like print), level-prefixed otherwise."""

    def __init__(self, fmt: str = "%(levelname)s: %(message)s"):
        super().__init__(fmt)

    def format(self, record):
        if record.levelno == logging.INFO:
            return str(record.getMessage())
        return super().format(record)


def setup_default_logging(default_level: int = logging.INFO, log_path: str = ""):
    console = logging.StreamHandler()
    console.setFormatter(FormatterNoInfo())
    root = logging.getLogger()
    root.addHandler(console)
    root.setLevel(default_level)
    if log_path:
        from logging.handlers import RotatingFileHandler
        file_handler = RotatingFileHandler(log_path, maxBytes=2 * 1024 ** 2, backupCount=3)
        file_handler.setFormatter(logging.Formatter("%(asctime)s - %(name)20s: [%(levelname)8s] - %(message)s"))
        root.addHandler(file_handler)


def decay_batch_step(batch_size: int, num_intra_steps: int = 2, no_odd: bool = False) -> int:
    """The next smaller batch size to try: ``num_intra_steps`` even steps between powers of two
    (256 -> 192 -> 128 -> 96 -> 64 ...), floored to a multiple of the step; 0 when nothing is left."""
    if batch_size <= 1:
        return 0
    base = 1 << ((batch_size - 1).bit_length() - 1)  # largest power of two below batch_size
    step = max(1, base // num_intra_steps)
    smaller = base + (batch_size - base - 1) // step * step
    if no_odd and smaller % 2:
        smaller -= 1
    return smaller


def check_batch_size_retry(error_str: str) -> bool:
    """Whether a failed step is worth retrying with a smaller batch. Layout errors (a conv that cannot
    run channels_last: 'required rank') and illegal memory accesses will fail again at any size."""
    text = error_str.lower()
    if "required rank" in text or "illegal" in text:
        return False
    return True


def load_checkpoint_metadata(checkpoint_path: str):
    """A training checkpoint as saved (epoch, arch, args, metric, ... and the tensors), read with
    ``weights_only=True`` and memory-mapped so looking at the metadata of a large file stays cheap."""
    import torch

    if not os.path.isfile(checkpoint_path):
        raise FileNotFoundError(f"no checkpoint file at '{checkpoint_path}'")
    try:
        return torch.load(checkpoint_path, map_location="cpu", weights_only=True, mmap=True)
    except RuntimeError:  # files in the legacy (pre zip) format cannot be memory-mapped
        return torch.load(checkpoint_path, map_location="cpu", weights_only=True)


def _set_jit_executor(profiling: bool) -> None:
    import torch

    torch._C._jit_set_profiling_executor(profiling)
    torch._C._jit_set_profiling_mode(profiling)


def set_jit_legacy() -> None:
    """TorchScript's legacy executor with GPU op fusion (faster than the profiling executor for some
    scripted activations in old PyTorch). Uses private ``torch._C`` switches, as the reference does."""
    import torch

    _set_jit_executor(False)
    torch._C._jit_override_can_fuse_on_gpu(True)


def set_jit_fuser(fuser: str) -> None:
    """Pick TorchScript's fuser: ``'te'`` (tensor-expression, the default), ``'old'``/``'legacy'``
    (legacy executor + GPU fuser) or ``'nvfuser'``."""
    import torch

    if fuser == "te":
        _set_jit_executor(True)
        torch._C._jit_override_can_fuse_on_cpu(False)
        torch._C._jit_override_can_fuse_on_gpu(True)
        torch._C._jit_set_texpr_fuser_enabled(True)
    elif fuser in ("old", "legacy"):
        _set_jit_executor(False)
        torch._C._jit_override_can_fuse_on_gpu(True)
        torch._C._jit_set_texpr_fuser_enabled(False)
    elif fuser == "nvfuser":
        _set_jit_executor(True)
        torch._C._jit_override_can_fuse_on_cpu(False)
        torch._C._jit_override_can_fuse_on_gpu(False)
        torch._C._jit_set_texpr_fuser_enabled(False)
        torch._C._jit_set_nvfuser_enabled(True)
    else:
        raise ValueError(f"unknown jit fuser {fuser!r}; use 'te', 'old', 'legacy' or 'nvfuser'")
