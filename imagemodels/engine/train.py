"""The training loop: ``run(args)`` builds a run from timm-style flags and trains it; ``train_one_epoch``
is one pass over the training loader.

What makes a run survive a crash (see ``state.py`` and ``data.py``): checkpoints are written atomically,
hold every RNG state and the position inside the epoch, and the data order and augmentation are pure
functions of ``(seed, epoch, position)``; a run killed at any point and resumed with ``--resume auto``
ends with the same weights as one that was never interrupted. SIGTERM finishes the current update,
saves a recovery checkpoint and returns. A non-finite loss stops the run before the bad update is
applied; the last checkpoint on disk stays the last good one.
"""
from __future__ import annotations

import contextlib
import logging
import math
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

import torch
import torch.distributed as dist
from torch import nn

from ._progress import iterate, log_step
from .evaluate import evaluate
from .setup import TrainError

__all__ = ["run", "train_one_epoch", "TrainRun", "TrainingDiverged", "TrainError"]

_logger = logging.getLogger(__name__)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the run stopped before applying the bad update."""


@dataclass
class TrainRun:
    """Everything the loop touches; built by :func:`build_run`."""

    args: Any
    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: Any
    scaler: Any
    loss_fn: Callable
    eval_loss_fn: Callable
    train_loader: Any
    sampler: Any
    eval_loader: Any
    device: torch.device
    autocast: Callable
    amp_dtype: Optional[torch.dtype] = None
    model_ema: Any = None
    mixup: Any = None
    saver: Any = None
    output_dir: str = ""
    world_size: int = 1
    rank: int = 0
    num_epochs: int = 0
    start_epoch: int = 0
    start_batch: int = 0
    num_updates: int = 0
    num_classes: int = 0
    epoch_loss: list = field(default_factory=lambda: [0.0, 0])  # (sum, count) of the epoch so far
    stop_requested: bool = False

    @property
    def primary(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def _any_rank(run: TrainRun, *flags: bool):
    """Flags OR-ed over ranks, so every rank takes the same branch (stop, diverge) at the same step."""
    if not run.distributed:
        return flags
    t = torch.tensor([float(f) for f in flags], device=run.device if run.device.type == "cuda" else "cpu")
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return tuple(bool(v) for v in t.tolist())


def _gather_rng(run: TrainRun):
    from .state import capture_rng

    mine = capture_rng()
    if not run.distributed:
        return [mine]
    everyone = [None] * run.world_size
    dist.all_gather_object(everyone, mine)
    return everyone


def save_recovery(run: TrainRun, epoch: int, batch_idx: int) -> None:
    """A mid-epoch checkpoint at an update boundary (every rank calls this: it gathers their RNG states)."""
    rngs = _gather_rng(run)
    if run.saver is not None and run.primary:
        run.saver.rng_states = rngs
        run.saver.progress = lambda: (epoch, batch_idx, run.num_updates, run.epoch_loss)
        run.saver.save_recovery(epoch, batch_idx)
        _logger.info("saved recovery checkpoint %s", run.saver.curr_recovery_file)


def train_one_epoch(run: TrainRun, epoch: int) -> Dict[str, float]:
    args, model, optimizer = run.args, run.model, run.optimizer
    start = run.start_batch if epoch == run.start_epoch else 0
    if run.sampler is not None:
        run.sampler.set_epoch(epoch)
        run.sampler.skip(start)
        steps = run.sampler.batches_per_epoch
    else:
        steps = len(run.train_loader)
        if hasattr(run.train_loader.dataset, "set_epoch"):
            run.train_loader.dataset.set_epoch(epoch)
        start = 0  # a streamed dataset restarts its epoch
    if start == 0:
        run.epoch_loss = [0.0, 0]
    if run.mixup is not None and args.mixup_off_epoch and epoch >= args.mixup_off_epoch:
        run.mixup.mixup_enabled = False
    accum = args.grad_accum_steps
    model.train()
    optimizer.zero_grad(set_to_none=True)
    bar = iterate(run.train_loader, total=steps - start, desc=f"train {epoch}", progress=None if run.primary else False)
    shown_bar = bar if bar is not run.train_loader else None
    tic, seen = time.perf_counter(), 0
    batch_idx = start
    try:
        for images, targets in bar:
            if batch_idx >= steps:
                break
            need_update = (batch_idx + 1) % accum == 0 or batch_idx + 1 == steps
            loss = _forward_backward(run, images, targets, need_update)
            if need_update:
                _after_update(run)
            run.epoch_loss[0] += loss * images.shape[0]
            run.epoch_loss[1] += images.shape[0]
            seen += images.shape[0]
            batch_idx += 1
            if run.primary and args.log_interval and (batch_idx % args.log_interval == 0 or batch_idx == steps):
                rate = seen * run.world_size / max(time.perf_counter() - tic, 1e-9)
                lr = optimizer.param_groups[0]["lr"]
                log_step(_logger, shown_bar, f"epoch {epoch} [{batch_idx}/{steps}] loss {loss:.4f} "
                         f"(avg {run.epoch_loss[0] / run.epoch_loss[1]:.4f}) lr {lr:.3e} {rate:.1f} img/s")
            if need_update and batch_idx < steps:
                stop, = _any_rank(run, run.stop_requested)
                interval = args.recovery_interval
                if stop or (interval and run.num_updates % interval == 0):
                    save_recovery(run, epoch, batch_idx)
                if stop:
                    run.stop_requested = True
                    break
    finally:
        if shown_bar is not None:
            shown_bar.close()
    return {"loss": run.epoch_loss[0] / max(run.epoch_loss[1], 1)}


def _forward_backward(run: TrainRun, images, targets, need_update: bool) -> float:
    args, model = run.args, run.model
    if args.no_prefetcher:
        images, targets = images.to(run.device), targets.to(run.device)
    if run.mixup is not None and run.mixup.mixup_enabled:
        images, targets = run.mixup(images, targets)
    if args.channels_last:
        images = images.contiguous(memory_format=torch.channels_last)
    if args.multi_label and targets.ndim == 1:
        targets = torch.nn.functional.one_hot(targets, run.num_classes).float()
    sync = contextlib.nullcontext()
    if run.distributed and not need_update and hasattr(model, "no_sync"):
        sync = model.no_sync()  # accumulate locally; all-reduce once per update
    with sync:
        with run.autocast():
            output = model(images)
            loss = run.loss_fn(output, targets)
        value = float(loss.detach())
        bad, = _any_rank(run, not math.isfinite(value))
        if bad:
            last = os.path.join(run.output_dir, "last.pth.tar")
            kept = f"the last good checkpoint is {last}" if os.path.exists(last) else "no checkpoint was saved yet"
            raise TrainingDiverged(f"loss is {value} at update {run.num_updates + 1}: training stopped before "
                                   f"applying it; {kept}. Lower --lr, add --clip-grad, or check the data.")
        if args.grad_accum_steps > 1:
            loss = loss / args.grad_accum_steps
        params = model.parameters() if args.clip_grad is not None else None
        run.scaler(loss, run.optimizer, clip_grad=args.clip_grad, clip_mode=args.clip_mode, parameters=params,
                   need_update=need_update)
    return value


def _after_update(run: TrainRun) -> None:
    run.optimizer.zero_grad(set_to_none=True)
    run.num_updates += 1
    if run.model_ema is not None:
        run.model_ema.update(run.model, step=run.num_updates)
    if run.scheduler is not None:
        run.scheduler.step_update(num_updates=run.num_updates)
    if run.args.synchronize_step and run.device.type == "cuda":
        torch.cuda.synchronize()


def _evaluate(run: TrainRun) -> Dict[str, float]:
    from ..utils.distributed import distribute_bn

    args = run.args
    if run.distributed and args.dist_bn in ("broadcast", "reduce"):
        distribute_bn(run.model, run.world_size, args.dist_bn == "reduce")
    if run.eval_loader is None:
        return {}
    kwargs = dict(loss_fn=run.eval_loss_fn, device=run.device, amp_dtype=run.amp_dtype,
                  channels_last=args.channels_last, multi_label=args.multi_label, log_interval=args.log_interval,
                  progress=None if run.primary else False)
    loader = _MultiHot(run.eval_loader, run.num_classes) if args.multi_label else run.eval_loader
    metrics = evaluate(run.model, loader, **kwargs)
    if run.model_ema is not None and not args.model_ema_force_cpu:
        if run.distributed and args.dist_bn in ("broadcast", "reduce"):
            distribute_bn(run.model_ema, run.world_size, args.dist_bn == "reduce")
        ema_metrics = evaluate(run.model_ema, loader, **kwargs)
        _logger.info("EMA: %s", _fmt(ema_metrics))
        metrics = ema_metrics  # the averaged weights are the ones to keep and rank, as the reference does
    return metrics


class _MultiHot:
    """Class-index targets (an image folder) as multi-hot rows, the form multi-label evaluation scores."""

    def __init__(self, loader, num_classes: int):
        self.loader, self.num_classes = loader, num_classes

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        for images, targets in self.loader:
            if targets.ndim == 1:
                targets = torch.nn.functional.one_hot(targets, self.num_classes)
            yield images, targets


def _fmt(metrics: Dict[str, float]) -> str:
    return " ".join(f"{k} {v:.4f}" for k, v in metrics.items())


@contextlib.contextmanager
def _sigterm_saves(run: TrainRun):
    """SIGTERM (a scheduler preempting the job) asks the loop to checkpoint and stop at the next update."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        run.stop_requested = True

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def train_loop(run: TrainRun) -> Dict[str, Any]:
    """Epochs ``start_epoch .. num_epochs - 1``; returns the best metric and the last epoch's metrics."""
    from ..utils.misc import update_summary
    from .plot import plot_summary

    args = run.args
    eval_metrics: Dict[str, float] = {}
    best = (None, None)
    last_plot = time.monotonic()
    with _sigterm_saves(run):
        for epoch in range(run.start_epoch, run.num_epochs):
            train_metrics = train_one_epoch(run, epoch)
            if run.stop_requested:
                _logger.info("stopped by SIGTERM at epoch %d; continue with --resume auto (or --resume %s)",
                             epoch, run.saver.curr_recovery_file if run.saver else "<recovery file>")
                return {"stopped": True, "epoch": epoch}
            eval_metrics = _evaluate(run)
            metric = eval_metrics.get(args.eval_metric) if eval_metrics else None
            if eval_metrics and metric is None:
                raise TrainError(f"--eval-metric {args.eval_metric!r} is not reported; choose one of {', '.join(eval_metrics)}")
            if run.scheduler is not None:
                run.scheduler.step(epoch + 1, metric)
            lr = run.optimizer.param_groups[0]["lr"]
            rngs = _gather_rng(run)
            if run.primary:
                _logger.info("epoch %d: train loss %.4f | eval %s | lr %.3e", epoch, train_metrics["loss"],
                             _fmt(eval_metrics), lr)
                summary = os.path.join(run.output_dir, "summary.csv")
                update_summary(epoch, train_metrics, eval_metrics, summary, lr=lr)
                if run.saver is not None:
                    run.saver.rng_states = rngs
                    run.saver.progress = lambda: (epoch + 1, 0, run.num_updates, [0.0, 0])
                    best = run.saver.save_checkpoint(epoch, metric=metric)
                    run.saver.remove_recovery_files()
                # drawing costs seconds (matplotlib): at most once a minute, and after the last epoch
                if epoch + 1 == run.num_epochs or time.monotonic() - last_plot > 60:
                    plot_summary(summary, os.path.join(run.output_dir, "summary.png"))
                    last_plot = time.monotonic()
            stop, = _any_rank(run, run.stop_requested)  # SIGTERM during the last batch or evaluation
            if stop and epoch + 1 < run.num_epochs:
                _logger.info("stopped by SIGTERM after epoch %d; continue with --resume auto", epoch)
                return {"stopped": True, "epoch": epoch}
    if best[0] is not None:
        _logger.info("*** best metric: %s (epoch %s)", best[0], best[1])
    return {"stopped": False, "best_metric": best[0], "best_epoch": best[1], "eval": eval_metrics,
            "epoch": run.num_epochs - 1}


def run(args) -> Dict[str, Any]:
    """Train as the flags say; returns ``{'stopped', 'best_metric', 'best_epoch', 'eval', 'epoch'}``."""
    from .setup import build_run

    from .data import shutdown_workers

    train_run = build_run(args)
    finished = False
    try:
        result = train_loop(train_run)
        finished = True
        return result
    finally:
        for loader in (train_run.train_loader, train_run.eval_loader):
            shutdown_workers(loader)
        if train_run.distributed and dist.is_initialized():
            _close_process_group(train_run, finished)
        sys.stdout.flush()


def _close_process_group(train_run: TrainRun, finished: bool) -> None:
    """Tear the process group down while the interpreter is fully alive.

    The DDP wrapper holds the group and sits in reference cycles (its autograd hooks), so without
    help it is freed at interpreter exit, where destroying gloo's worker threads aborts the process
    ("terminate called without an active exception", exit -6, seen in CI). So: wait for every rank
    (a finished run only; after an error another rank may never arrive), drop the wrapper, collect
    the cycles, then destroy the group.
    """
    import gc

    if finished:
        dist.barrier()
    train_run.model = None
    train_run.saver = None
    gc.collect()
    dist.destroy_process_group()
    gc.collect()
