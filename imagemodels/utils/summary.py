"""A one-call size report of a model: parameters, GMACs and activations for one input."""
from __future__ import annotations

import csv
import os
from typing import Dict, Sequence

import torch
from torch import nn

from .complexity import count_macs, count_params

__all__ = ["model_summary", "count_activations", "trim_summary"]

# fvcore's convention for "activations": the output elements of convolutions and matrix products,
# which is what published "activations (M)" columns count (norms and activations are not counted)
_COUNTED = (nn.modules.conv._ConvNd, nn.Linear, nn.Bilinear)


def count_activations(model: nn.Module, input_size: Sequence[int], batch_size: int = 1) -> int:
    return model_summary(model, input_size, batch_size)["activations"]


def model_summary(model: nn.Module, input_size: Sequence[int], batch_size: int = 1) -> Dict[str, float]:
    """``{'params', 'macs', 'gmacs', 'activations', 'mactivations'}`` for ``model(x)`` with
    ``x`` of shape ``(batch_size, *input_size)`` (``input_size`` is ``(C, H, W)``, no batch dim)."""
    if len(input_size) < 1 or any(int(s) <= 0 for s in input_size):
        raise ValueError(f"input_size must be positive sizes without the batch dim, e.g. (3, 224, 224); "
                         f"got {tuple(input_size)}")
    total = [0]

    def hook(module, inputs, output):
        outputs = output if isinstance(output, (tuple, list)) else (output,)
        total[0] += sum(o.numel() for o in outputs if isinstance(o, torch.Tensor))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, _COUNTED)]
    try:
        macs = count_macs(model, input_size, batch_size=batch_size)
    finally:
        for h in handles:
            h.remove()
    return dict(
        params=count_params(model),
        macs=macs,
        gmacs=macs / 1e9,
        activations=total[0],
        mactivations=total[0] / 1e6,
    )


def trim_summary(filename: str, start_epoch: int) -> None:
    """Drop the rows of a ``summary.csv`` (see ``update_summary``) for epochs ``>= start_epoch``.

    A run resumed into its own output folder would otherwise append those epochs a second time. A fresh
    start (``start_epoch <= 0``) or a file with no ``epoch`` column empties the file; no file is a no-op.
    """
    if not os.path.isfile(filename):
        return
    with open(filename, newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        rows = list(reader) if start_epoch > 0 and "epoch" in fields else []
    kept = []
    for row in rows:
        try:
            epoch = float(row["epoch"])
        except (TypeError, ValueError) as err:
            raise ValueError(f"{filename}: epoch {row['epoch']!r} is not a number; fix or delete the file") from err
        if epoch < start_epoch:
            kept.append(row)
    with open(filename, "w", newline="") as f:
        if kept:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(kept)
