"""Keep the best ``max_history`` checkpoints of a run, plus ``last`` and ``model_best``, and recovery files.

Every file is written atomically (temporary file in the same directory, fsync, ``os.replace``), so a
process killed mid-save leaves the previous ``last.pth.tar`` whole: a reader sees the old file or the
new one, never half of one. The ranked copies are hard links to ``last``; replacing ``last`` by rename
(never rewriting it in place) is also what keeps those links pointing at their own epoch's bytes.
"""
from __future__ import annotations

import dataclasses
import glob
import logging
import operator
import os
import tempfile
from argparse import Namespace
from typing import List, Optional, Tuple

import torch

from .model import get_state_dict, unwrap_model

__all__ = ["CheckpointSaver"]

_logger = logging.getLogger(__name__)


def _plain(value):
    """Turn args into builtins so ``torch.load(weights_only=True)`` can read the checkpoint back."""
    if isinstance(value, Namespace):
        value = vars(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # paths, dtypes, devices, enums: a readable record, not an object to unpickle


def _atomic_save(obj, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pth.tar", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable (POSIX only)
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _link_or_copy(src: str, dst: str) -> None:
    """Point ``dst`` at ``src``'s bytes atomically: a hard link made under a temporary name, then renamed."""
    directory = os.path.dirname(os.path.abspath(dst))
    tmp = os.path.join(directory, f".tmp-link-{os.getpid()}-{os.path.basename(dst)}")
    if os.path.exists(tmp):
        os.unlink(tmp)
    try:
        os.link(src, tmp)
    except OSError:  # file systems without hard links
        import shutil
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


class CheckpointSaver:
    def __init__(
            self,
            model,
            optimizer,
            args=None,
            model_ema=None,
            amp_scaler=None,
            checkpoint_prefix: str = "checkpoint",
            recovery_prefix: str = "recovery",
            checkpoint_dir: str = "",
            recovery_dir: str = "",
            decreasing: bool = False,
            max_history: int = 10,
            unwrap_fn=unwrap_model,
            task=None,
    ):
        if max_history < 1:
            raise ValueError(f"max_history must be at least 1, got {max_history}")
        self.model = model
        self.optimizer = optimizer
        self.args = args
        self.model_ema = model_ema
        self.amp_scaler = amp_scaler
        self.task = task
        # (path, metric), best first
        self.checkpoint_files: List[Tuple[str, Optional[float]]] = []
        self.best_epoch = None
        self.best_metric = None
        self.curr_recovery_file = ""
        self.prev_recovery_file = ""
        self.can_hardlink = True
        self.checkpoint_dir = checkpoint_dir
        self.recovery_dir = recovery_dir
        self.save_prefix = checkpoint_prefix
        self.recovery_prefix = recovery_prefix
        self.extension = ".pth.tar"
        self.decreasing = decreasing
        self.cmp = operator.lt if decreasing else operator.gt  # cmp(a, b): a is better than b
        self.max_history = max_history
        self.unwrap_fn = unwrap_fn

    def _path(self, directory: str, name: str) -> str:
        return os.path.join(directory, name + self.extension)

    def _is_better(self, metric, other) -> bool:
        if other is None:
            return metric is not None
        return metric is not None and self.cmp(metric, other)

    def _sort(self):
        # unranked (metric None) entries go last, the rest best first
        ranked = [e for e in self.checkpoint_files if e[1] is not None]
        unranked = [e for e in self.checkpoint_files if e[1] is None]
        ranked.sort(key=lambda e: e[1], reverse=not self.decreasing)
        self.checkpoint_files = ranked + unranked

    def save_checkpoint(self, epoch: int, metric: Optional[float] = None):
        """Save ``last``; keep it as ``checkpoint-{epoch}`` when it ranks in the top ``max_history``;
        update ``model_best`` when ``metric`` is the best so far. Returns ``(best_metric, best_epoch)``."""
        if epoch < 0:
            raise ValueError(f"epoch must be >= 0, got {epoch}")
        os.makedirs(self.checkpoint_dir or ".", exist_ok=True)
        last_path = self._path(self.checkpoint_dir, "last")
        self._save(last_path, epoch, metric)

        worst = self.checkpoint_files[-1] if self.checkpoint_files else None
        full = len(self.checkpoint_files) >= self.max_history
        if not full or metric is None or worst is None or self._is_better(metric, worst[1]):
            if full:
                self._cleanup_checkpoints(1)
            path = self._path(self.checkpoint_dir, f"{self.save_prefix}-{epoch}")
            _link_or_copy(last_path, path)
            self.checkpoint_files = [e for e in self.checkpoint_files if e[0] != path]
            self.checkpoint_files.append((path, metric))
            self._sort()
            _logger.info("current checkpoints:\n%s", "\n".join(f" {p} {m}" for p, m in self.checkpoint_files))
            if metric is not None and self._is_better(metric, self.best_metric):
                self.best_epoch, self.best_metric = epoch, metric
                _link_or_copy(last_path, self._path(self.checkpoint_dir, "model_best"))
        if self.best_metric is None:
            return None, None
        return self.best_metric, self.best_epoch

    def _save(self, path: str, epoch: int, metric=None):
        _atomic_save(self.checkpoint_state(epoch, metric), path)

    def checkpoint_state(self, epoch: int, metric=None) -> dict:
        """What one checkpoint file holds (a training engine extends this with its own state)."""
        state = {
            "epoch": epoch,
            "arch": type(self.model).__name__.lower(),
            "state_dict": get_state_dict(self.model, self.unwrap_fn),
            "optimizer": self.optimizer.state_dict(),
            "version": 2,  # the timm checkpoint layout
        }
        if self.args is not None:
            args = _plain(self.args)
            state["arch"] = args.get("model", state["arch"]) if isinstance(args, dict) else state["arch"]
            state["args"] = args
        if self.amp_scaler is not None:
            state[getattr(self.amp_scaler, "state_dict_key", "amp_scaler")] = self.amp_scaler.state_dict()
        if self.model_ema is not None:
            state["state_dict_ema"] = get_state_dict(self.model_ema, self.unwrap_fn)
        if metric is not None:
            state["metric"] = metric
        return state

    def _cleanup_checkpoints(self, trim: int = 0):
        keep = max(0, min(len(self.checkpoint_files), self.max_history - trim))
        for path, _ in self.checkpoint_files[keep:]:
            try:
                _logger.debug("removing checkpoint %s", path)
                os.remove(path)
            except OSError as e:
                _logger.error("could not remove checkpoint %s: %s", path, e)
        self.checkpoint_files = self.checkpoint_files[:keep]

    def save_recovery(self, epoch: int, batch_idx: int = 0):
        """Save ``recovery-{epoch}-{batch_idx}``; keeps this one and the one before it."""
        os.makedirs(self.recovery_dir or ".", exist_ok=True)
        path = self._path(self.recovery_dir, f"{self.recovery_prefix}-{epoch}-{batch_idx}")
        self._save(path, epoch)
        if self.prev_recovery_file and os.path.exists(self.prev_recovery_file) \
                and self.prev_recovery_file != path:
            try:
                os.remove(self.prev_recovery_file)
            except OSError as e:
                _logger.error("could not remove recovery file %s: %s", self.prev_recovery_file, e)
        self.prev_recovery_file = self.curr_recovery_file
        self.curr_recovery_file = path

    def find_recovery(self) -> str:
        """The first recovery file (sorted by name) in ``recovery_dir``, or ``''`` when there is none."""
        pattern = os.path.join(self.recovery_dir, glob.escape(self.recovery_prefix) + "*" + self.extension)
        files = sorted(glob.glob(pattern))
        return files[0] if files else ""
