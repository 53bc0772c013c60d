"""Throughput of a model: inference and training steps per second, step time, peak memory, size, cost.

Timing waits for the device (``torch.cuda.synchronize``) around every measured step, after warm-up
steps that absorb one-off costs (cuDNN autotuning, ``torch.compile``, allocator growth).
Peak memory is ``torch.cuda.max_memory_allocated`` on CUDA; on the CPU it is the process's peak
resident set (Linux ``VmHWM``, reset before each run), so it includes the interpreter and torch
itself: compare CPU numbers with each other, not with CUDA's.
"""
from __future__ import annotations

import contextlib
import logging
import time
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

import torch
from torch import nn

__all__ = ["benchmark_inference", "benchmark_train", "run_with_batch_retry", "is_oom", "PeakMemory"]

_logger = logging.getLogger(__name__)


def is_oom(err: BaseException) -> bool:
    """Whether ``err`` is an out-of-memory failure that a smaller batch may avoid."""
    if isinstance(err, torch.OutOfMemoryError):
        return True
    text = str(err).lower()
    return isinstance(err, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def run_with_batch_retry(fn: Callable[[int], Any], batch_size: int, *, retry: bool = True) -> Tuple[Any, int]:
    """``(fn(batch), batch)`` for the largest ``batch`` in ``batch_size, batch_size // 2, ..., 1`` that fits."""
    while True:
        try:
            return fn(batch_size), batch_size
        except Exception as err:
            if not retry or not is_oom(err) or batch_size <= 1:
                raise
            _logger.warning("batch size %d ran out of memory; trying %d", batch_size, batch_size // 2)
            batch_size //= 2
            if torch.cuda.is_available():
                torch.cuda.empty_cache()


class PeakMemory:
    """Peak memory in MB over a ``with`` block (CUDA allocator peak, or CPU peak RSS where readable)."""

    def __init__(self, device: torch.device):
        self.device = device
        self.mb: Optional[float] = None

    def __enter__(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
        else:
            try:  # writing 5 resets VmHWM (Linux >= 4.0); elsewhere the peak is the process's lifetime one
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass
        return self

    def __exit__(self, *exc):
        if self.device.type == "cuda":
            self.mb = torch.cuda.max_memory_allocated(self.device) / 2**20
        else:
            self.mb = _cpu_peak_rss_mb()
        return False


def _cpu_peak_rss_mb() -> Optional[float]:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except (ImportError, OSError):
        return None


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _inputs(batch_size: int, input_size: Sequence[int], device, channels_last: bool) -> torch.Tensor:
    x = torch.randn((batch_size, *input_size), device=device)
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x


def _autocast(device: torch.device, amp_dtype: Optional[torch.dtype]):
    return torch.autocast(device_type=device.type, dtype=amp_dtype) if amp_dtype else contextlib.nullcontext()


def _time_steps(step: Callable[[], None], device: torch.device, warmup: int, iters: int) -> Tuple[float, float]:
    """(mean seconds per step, peak MB) over ``iters`` steps after ``warmup``."""
    for _ in range(warmup):
        step()
    _sync(device)
    with PeakMemory(device) as peak:
        start = time.perf_counter()
        for _ in range(iters):
            step()
        _sync(device)
        seconds = (time.perf_counter() - start) / max(iters, 1)
    return seconds, peak.mb


def _result(prefix: str, batch_size: int, input_size, seconds: float, peak_mb) -> Dict[str, Any]:
    return {
        f"{prefix}_samples_per_sec": round(batch_size / seconds, 2),
        f"{prefix}_step_time": round(seconds * 1000, 3),  # milliseconds
        f"{prefix}_batch_size": batch_size,
        f"{prefix}_img_size": input_size[-1],
        f"{prefix}_peak_mem_mb": round(peak_mb, 1) if peak_mb is not None else None,
    }


def benchmark_inference(model: nn.Module, input_size: Sequence[int], batch_size: int, *, device=torch.device("cpu"),
                        amp_dtype: Optional[torch.dtype] = None, channels_last: bool = False, warmup: int = 5,
                        iters: int = 20) -> Dict[str, Any]:
    """``infer_samples_per_sec``, ``infer_step_time`` (ms), ``infer_batch_size``, ``infer_img_size``, ``infer_peak_mem_mb``."""
    device = torch.device(device)
    model.eval()
    x = _inputs(batch_size, input_size, device, channels_last)

    def step():
        with torch.inference_mode(), _autocast(device, amp_dtype):
            model(x)

    seconds, peak = _time_steps(step, device, warmup, iters)
    return _result("infer", batch_size, input_size, seconds, peak)


def benchmark_train(model: nn.Module, input_size: Sequence[int], batch_size: int, *, device=torch.device("cpu"),
                    amp_dtype: Optional[torch.dtype] = None, channels_last: bool = False, warmup: int = 5,
                    iters: int = 20, lr: float = 1e-4) -> Dict[str, Any]:
    """One training step is forward, cross-entropy, backward and an SGD step; same keys as inference with ``train_``."""
    device = torch.device(device)
    model.train()
    x = _inputs(batch_size, input_size, device, channels_last)
    num_classes = getattr(model, "num_classes", None) or 1000
    target = torch.randint(0, num_classes, (batch_size,), device=device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    scaler = torch.amp.GradScaler(device.type) if amp_dtype == torch.float16 and device.type == "cuda" else None

    def step():
        optimizer.zero_grad(set_to_none=True)
        with _autocast(device, amp_dtype):
            loss = loss_fn(model(x), target)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            optimizer.step()

    try:
        seconds, peak = _time_steps(step, device, warmup, iters)
    finally:
        optimizer.zero_grad(set_to_none=True)
    return _result("train", batch_size, input_size, seconds, peak)
