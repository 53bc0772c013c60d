"""Everything a run needs to continue exactly where it stopped, saved atomically and read back with
``torch.load(weights_only=True)``.

A checkpoint keeps timm's layout (``epoch``, ``arch``, ``state_dict``, ``optimizer``, ``args``,
``amp_scaler``, ``state_dict_ema``, ``metric``), so other tools read it, and adds:

* ``scheduler``: the LR scheduler's state;
* ``train_state``: where to continue (``resume_epoch``, ``resume_batch`` = batches of that epoch
  already done), ``num_updates``, and the saver's ranking (best metric, kept files);
* ``rng``: python, numpy and torch (CPU and every CUDA device) generator states, as lists and uint8
  tensors so the weights-only loader accepts them. Data-worker randomness needs no state: each sample
  is seeded from ``(seed, epoch, position)`` (see ``engine/data.py``).
"""
from __future__ import annotations

import glob
import logging
import os
import random
from typing import Optional

import numpy as np
import torch

from ..utils.checkpoint_saver import CheckpointSaver

__all__ = ["TrainCheckpointSaver", "capture_rng", "restore_rng", "read_checkpoint", "find_auto_resume",
           "progress_of", "ResumeError"]

_logger = logging.getLogger(__name__)


class ResumeError(RuntimeError):
    """A checkpoint that cannot be resumed into this run (unreadable, or another architecture)."""


def capture_rng() -> dict:
    version, internal, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    state = {
        "python": [version, list(internal), gauss],
        "numpy": [kind, keys.tolist(), int(pos), int(has_gauss), float(cached)],
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


class TrainCheckpointSaver(CheckpointSaver):
    """:class:`CheckpointSaver` whose files also carry the scheduler, progress and RNG states.

    ``progress`` is a callable returning ``(resume_epoch, resume_batch, num_updates, epoch_loss)`` at
    save time (``epoch_loss``: the running ``[sum, count]`` of the epoch's training loss); ``rng_states``
    holds every rank's RNG states, gathered by the caller just before the save.
    """

    def __init__(self, *args, scheduler=None, progress=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheduler = scheduler
        self.progress = progress
        self.rng_states = None

    def checkpoint_state(self, epoch: int, metric=None) -> dict:
        state = super().checkpoint_state(epoch, metric)
        if self.scheduler is not None:
            state["scheduler"] = self.scheduler.state_dict()
        resume_epoch, resume_batch, num_updates, epoch_loss = self.progress() if self.progress else (epoch + 1, 0, 0, [0.0, 0])
        state["train_state"] = {
            "resume_epoch": resume_epoch,
            "resume_batch": resume_batch,
            "num_updates": num_updates,
            "epoch_loss": [float(epoch_loss[0]), int(epoch_loss[1])],
            "best_metric": self.best_metric,
            "best_epoch": self.best_epoch,
            "checkpoint_files": [[os.path.basename(p), m] for p, m in self.checkpoint_files],
        }
        rngs = self.rng_states or [capture_rng()]
        state["rng"] = rngs[0]
        state["rng_per_rank"] = rngs
        return state

    def restore_ranking(self, train_state: dict) -> None:
        self.best_metric = train_state.get("best_metric")
        self.best_epoch = train_state.get("best_epoch")
        files = [(os.path.join(self.checkpoint_dir, name), m) for name, m in train_state.get("checkpoint_files", [])]
        self.checkpoint_files = [(p, m) for p, m in files if os.path.exists(p)]

    def remove_recovery_files(self) -> None:
        """After a whole epoch is saved, its mid-epoch recovery files are history."""
        pattern = os.path.join(self.recovery_dir, glob.escape(self.recovery_prefix) + "-*" + self.extension)
        for path in glob.glob(pattern):
            try:
                os.remove(path)
            except OSError as err:
                _logger.warning("could not remove recovery file %s: %s", path, err)
        self.curr_recovery_file = self.prev_recovery_file = ""


def read_checkpoint(path: str) -> dict:
    if not os.path.isfile(path):
        raise ResumeError(f"no checkpoint file at '{path}'")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:
        raise ResumeError(f"could not read checkpoint '{path}': {str(err).splitlines()[0]}") from None
    if not isinstance(checkpoint, dict) or "state_dict" not in checkpoint:
        raise ResumeError(f"'{path}' is not a training checkpoint (no 'state_dict'); "
                          "to start from its weights use --initial-checkpoint")
    return checkpoint


def progress_of(checkpoint: dict) -> tuple:
    """``(resume_epoch, resume_batch)``; a reference-library checkpoint (no train_state) resumes after its epoch."""
    ts = checkpoint.get("train_state")
    if ts:
        return int(ts["resume_epoch"]), int(ts["resume_batch"])
    return int(checkpoint.get("epoch", -1)) + 1, 0


def find_auto_resume(output_dir: str) -> Optional[str]:
    """The checkpoint in ``output_dir`` that got furthest (``last`` or a recovery file), skipping unreadable ones."""
    candidates = glob.glob(os.path.join(glob.escape(output_dir), "last.pth.tar"))
    candidates += glob.glob(os.path.join(glob.escape(output_dir), "recovery-*.pth.tar"))
    best, best_progress = None, None
    for path in candidates:
        try:
            progress = progress_of(read_checkpoint(path))
        except ResumeError as err:
            _logger.warning("--resume auto: skipping %s (%s)", path, err)
            continue
        if best_progress is None or progress > best_progress:
            best, best_progress = path, progress
    return best
