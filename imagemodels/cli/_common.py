"""Pieces the tool commands (validate, predict, benchmark, export, ...) share: flags, model names,
result files, logging. Imports only the standard library at module level."""
from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

from .main import CommandError

__all__ = ["add_model_flags", "add_runtime_flags", "expand_model_names", "write_results", "dumps_results", "setup_logging",
           "resolve_device", "amp_dtype", "checked_model", "format_table"]


def add_model_flags(p: argparse.ArgumentParser, wildcard: bool = True) -> None:
    help_model = "model name, arch.tag" + (", or a wildcard such as 'resnet1*'" if wildcard else "")
    p.add_argument("--model", "-m", metavar="NAME", help=help_model + " (default: the arch a --checkpoint names)")
    p.add_argument("--pretrained", action="store_true", help="load the model's pretrained weights")
    p.add_argument("--checkpoint", metavar="PATH", help="weights to load: a training checkpoint or a weights file")
    p.add_argument("--num-classes", type=int, metavar="N", help="classifier outputs (default: the checkpoint's or the model's)")
    p.add_argument("--in-chans", type=int, metavar="N", help="input channels (default: 3)")
    p.add_argument("--gp", metavar="POOL", help="global pool type: avg, max, avgmax, catavgmax")
    p.add_argument("--use-ema", action=argparse.BooleanOptionalAction, default=True,
                   help="take a checkpoint's EMA weights when it has them (default: yes)")


def add_runtime_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", default=None, help="torch device (default: cuda if available, else cpu)")
    p.add_argument("--amp", action="store_true", help="mixed precision (autocast) with --amp-dtype")
    p.add_argument("--amp-dtype", default="float16", choices=["float16", "bfloat16"],
                   help="autocast dtype for --amp (default: float16; the CPU uses bfloat16)")
    p.add_argument("--channels-last", action="store_true", help="channels_last memory layout")
    p.add_argument("--torchcompile", nargs="?", const="inductor", default=None, metavar="BACKEND",
                   help="torch.compile the model (backend, default inductor)")


def setup_logging(verbose: bool = True) -> None:
    """Plain ``message`` lines on stderr (the progress lines when stderr is not a terminal)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)


def resolve_device(name: Optional[str]):
    import torch

    if name is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError as err:
        raise CommandError(f"bad --device '{name}': {err}") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise CommandError(f"--device {name}: CUDA is not available on this machine; use --device cpu")
    return device


def amp_dtype(args, device):
    """The autocast dtype for ``--amp`` (bfloat16 on the CPU, which has no float16 autocast), else None."""
    import torch

    if not getattr(args, "amp", False):
        return None
    if device.type == "cpu":
        return torch.bfloat16
    return getattr(torch, args.amp_dtype)


def expand_model_names(pattern: Optional[str], checkpoint: Optional[str], pretrained: bool = False) -> List[Optional[str]]:
    """``[pattern]`` for a known name, every matching name for a wildcard, ``[None]`` when only a
    checkpoint is given (its arch decides). Unknown names raise with close matches."""
    from ..models import is_model, list_models
    from ..models._registry import unknown_model_error

    if pattern is None:
        if checkpoint is None:
            raise CommandError("pass --model NAME, --checkpoint PATH, or both")
        return [None]
    if any(ch in pattern for ch in "*?["):
        if checkpoint is not None:
            raise CommandError("a --checkpoint belongs to one model; pass one name to --model, not a wildcard")
        names = list_models(pattern, pretrained=pretrained)
        if not names:
            raise CommandError(f"no model matches '{pattern}'" + (" with pretrained weights" if pretrained else ""))
        return names
    if not is_model(pattern):
        raise unknown_model_error(pattern)
    return [pattern]


def checked_model(args, name: Optional[str], **extra):
    """Build ``name`` with the model flags; a checkpoint that does not fit becomes one CommandError line."""
    if args.checkpoint is not None and not os.path.isfile(args.checkpoint):
        raise CommandError(f"checkpoint not found: {args.checkpoint}")
    from ..engine.checkpoints import CheckpointError, load_model
    from ..models._helpers import CheckpointMismatchError

    try:
        return load_model(name, args.checkpoint, pretrained=args.pretrained, num_classes=args.num_classes,
                          in_chans=args.in_chans, use_ema=args.use_ema, global_pool=args.gp, **extra)
    except (CheckpointError, CheckpointMismatchError) as err:
        raise CommandError(str(err)) from None


def format_table(rows: Sequence[Dict[str, Any]], columns: Optional[Sequence[str]] = None) -> str:
    if not rows:
        return ""
    columns = list(columns or rows[0].keys())

    def cell(value):
        return f"{value:.3f}" if isinstance(value, float) else ("" if value is None else str(value))

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def write_results(rows: Sequence[Dict[str, Any]], path: str, fmt: Optional[str] = None) -> None:
    """Write ``rows`` as CSV or JSON, chosen by ``fmt`` or else by the file's extension."""
    fmt = (fmt or os.path.splitext(path)[1].lstrip(".") or "csv").lower()
    if fmt not in ("csv", "json"):
        raise CommandError(f"results format must be csv or json, got '{fmt}' (from {path})")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(dumps_results(rows, fmt))


def dumps_results(rows: Sequence[Dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(list(rows), indent=2) + "\n"
    columns: List[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
