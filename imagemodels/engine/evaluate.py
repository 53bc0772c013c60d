"""Evaluate a classifier over a loader: loss and top-1/top-5 accuracy, or loss and mAP for multi-label.

The same function serves ``imagemodels validate`` and the evaluation step between training epochs.
Under ``torch.distributed`` every rank evaluates its shard and the metrics are combined as sums
(correct predictions, summed loss, sample count), so shards of different sizes weigh correctly;
mAP needs every score, so multi-label outputs are gathered before it is computed.
"""
from __future__ import annotations

import contextlib
import logging
import time
from typing import Callable, Dict, Optional

import torch
import torch.distributed as dist
from torch import nn

from ._progress import iterate, log_step

__all__ = ["evaluate", "mean_average_precision"]

_logger = logging.getLogger(__name__)


def mean_average_precision(scores: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean over classes of average precision (percent); classes with no positive sample are skipped.

    AP of one class is the mean, over its positive samples, of the precision among all samples scored
    at least as high (ranked by descending score).
    """
    if scores.shape != targets.shape or scores.ndim != 2:
        raise ValueError(f"scores and targets must both be (samples, classes), got {tuple(scores.shape)} and {tuple(targets.shape)}")
    order = scores.float().argsort(dim=0, descending=True)
    positive = torch.gather(targets.float() > 0, 0, order).float()  # (samples, classes) in rank order
    hits = positive.cumsum(0)
    ranks = torch.arange(1, scores.shape[0] + 1, dtype=torch.float32).unsqueeze(1)
    n_pos = positive.sum(0)
    ap = (positive * hits / ranks).sum(0) / n_pos.clamp(min=1)
    valid = n_pos > 0
    if not valid.any():
        return 0.0
    return float(ap[valid].mean() * 100.0)


def _to_device(images, targets, device: torch.device, channels_last: bool):
    images = images.to(device, non_blocking=True)
    targets = targets.to(device, non_blocking=True)
    if channels_last and images.ndim == 4:
        images = images.contiguous(memory_format=torch.channels_last)
    return images, targets


def _distributed() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def _gather(tensor: torch.Tensor) -> torch.Tensor:
    """Concatenate a (rows, ...) tensor from every rank; ranks may hold different row counts."""
    parts = [None] * dist.get_world_size()
    dist.all_gather_object(parts, tensor.cpu())
    return torch.cat(parts)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader,
    *,
    loss_fn: Optional[Callable] = None,
    device: torch.device = torch.device("cpu"),
    amp_dtype: Optional[torch.dtype] = None,
    channels_last: bool = False,
    multi_label: bool = False,
    log_interval: int = 50,
    progress: Optional[bool] = None,
) -> Dict[str, float]:
    """Run ``model`` over every batch of ``loader`` and return its metrics.

    Returns ``{'loss', 'top1', 'top5'}`` (accuracies in percent), or ``{'loss', 'map'}`` with
    ``multi_label=True`` (targets multi-hot, or class indices taken as one-hot; mAP in percent). ``loss_fn`` defaults to cross
    entropy (``BCEWithLogitsLoss`` for multi-label). ``amp_dtype`` (e.g. ``torch.bfloat16``) runs the
    forward under autocast. ``progress``: True shows a tqdm bar, False logs a line every
    ``log_interval`` batches, None picks the bar when stderr is a terminal. The model's train/eval
    mode is restored afterwards.
    """
    device = torch.device(device)
    if loss_fn is None:
        loss_fn = nn.BCEWithLogitsLoss() if multi_label else nn.CrossEntropyLoss()
    autocast = (torch.autocast(device_type=device.type, dtype=amp_dtype) if amp_dtype is not None
                else contextlib.nullcontext())
    was_training = model.training
    model.eval()

    # running sums on the device, combined across ranks once at the end
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    correct = torch.zeros(2, dtype=torch.float64, device=device)  # top-1, top-5 hits
    count = torch.zeros((), dtype=torch.float64, device=device)
    all_scores, all_targets = [], []

    try:
        total = len(loader)
    except TypeError:  # an iterable dataset may not know its length
        total = None
    bar = iterate(loader, total=total, desc="eval", progress=progress)
    shown_bar = bar if bar is not loader else None
    start = time.perf_counter()
    try:
        for step, (images, targets) in enumerate(bar):
            images, targets = _to_device(images, targets, device, channels_last)
            with autocast:
                output = model(images)
                if isinstance(output, (tuple, list)):  # e.g. (logits, aux logits): score the first
                    output = output[0]
                if multi_label and targets.ndim == 1:  # class indices from a single-label dataset: one-hot
                    targets = torch.nn.functional.one_hot(targets.long(), output.shape[-1])
                loss = loss_fn(output, targets.float() if multi_label else targets)
            n = images.shape[0]
            loss_sum += loss.double() * n
            count += n
            if multi_label:
                all_scores.append(output.float().cpu())
                all_targets.append(targets.float().cpu())
            else:
                labels = targets.argmax(dim=1) if targets.ndim == 2 else targets  # soft targets: their argmax
                k = min(5, output.shape[1])
                top = output.topk(k, dim=1).indices
                hit = top.eq(labels.reshape(-1, 1))
                correct[0] += hit[:, 0].sum()
                correct[1] += hit.any(dim=1).sum()  # with fewer than 5 classes every target is in the top k
            if log_interval and (step % log_interval == 0 or step + 1 == total):
                seen = max(float(count), 1.0)
                msg = f"[{step + 1}/{total or '?'}] loss {float(loss_sum) / seen:.4f}"
                if not multi_label:
                    msg += f" top1 {float(correct[0]) * 100 / seen:.2f} top5 {float(correct[1]) * 100 / seen:.2f}"
                msg += f" ({count.item() / (time.perf_counter() - start):.1f} img/s)"
                log_step(_logger, shown_bar, msg)
    finally:
        if shown_bar is not None:
            shown_bar.close()
        model.train(was_training)

    if _distributed():
        sums = torch.cat([loss_sum.reshape(1), correct, count.reshape(1)])
        dist.all_reduce(sums, op=dist.ReduceOp.SUM)
        loss_sum, correct, count = sums[0], sums[1:3], sums[3]
    n = max(float(count), 1.0)
    metrics = {"loss": float(loss_sum) / n}
    if multi_label:
        scores = torch.cat(all_scores) if all_scores else torch.zeros(0, 0)
        target = torch.cat(all_targets) if all_targets else torch.zeros(0, 0)
        if _distributed():
            scores, target = _gather(scores), _gather(target)
        metrics["map"] = mean_average_precision(scores, target) if scores.numel() else 0.0
    else:
        metrics["top1"] = float(correct[0]) * 100.0 / n
        metrics["top5"] = float(correct[1]) * 100.0 / n
    return metrics
