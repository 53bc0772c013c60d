"""Training data that can stop anywhere and come back the same: the resumable batch sampler.

An epoch's sample order is a permutation drawn from ``(seed, epoch)`` alone, and every sample carries
its own augmentation seed drawn with it. A worker reseeds ``random``, ``numpy`` and ``torch`` from that
seed before transforming the sample, so an image's augmentation depends neither on which worker
happened to load it nor on what that worker loaded before. Skipping the first ``k`` batches of an
epoch (a resumed run) therefore yields exactly the batches ``k, k+1, ...`` of the uninterrupted run.

Distributed ranks share each *global* batch (``batch_size * world_size`` consecutive positions of the
permutation; rank r takes positions r, r + N, r + 2N, ...), so N ranks of batch ``b`` see, step for
step, the same images as one process of batch ``N * b``; with gradient averaging the two runs are the
same run. With ``repeats`` (repeated augmentation) an image's copies are consecutive positions, so
they are spread over the ranks, as the reference's RepeatAugSampler does.
"""
from __future__ import annotations

import logging
import random
import numpy as np
import torch
import torch.utils.data

__all__ = ["ResumableBatchSampler", "SeededSamples", "create_train_loader", "workers_ignore_sigterm",
           "shutdown_workers"]

_logger = logging.getLogger(__name__)


class ResumableBatchSampler:
    """Batches of ``(index, sample_seed)`` for one rank; ``set_epoch(e)`` and ``skip(k)`` before iterating."""

    def __init__(self, num_samples: int, batch_size: int, *, seed: int = 0, shuffle: bool = True,
                 world_size: int = 1, rank: int = 0, repeats: int = 0, max_batches: int = 0):
        if num_samples < batch_size * world_size:
            raise ValueError(f"the training set has {num_samples} images, fewer than one global batch "
                             f"({batch_size} x {world_size} ranks); lower --batch-size")
        self.num_samples = num_samples
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.world_size = world_size
        self.rank = rank
        self.repeats = int(repeats)
        self.max_batches = max_batches
        self.epoch = 0
        self.start = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self.start = 0

    def skip(self, batches: int) -> None:
        """Start this epoch after its first ``batches`` batches (what a resumed run already did)."""
        self.start = batches

    @property
    def batches_per_epoch(self) -> int:
        full = self.num_samples // (self.batch_size * self.world_size)
        return min(full, self.max_batches) if self.max_batches else full

    def __len__(self) -> int:
        return max(0, self.batches_per_epoch - self.start)

    def _order(self):
        g = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
        order = torch.randperm(self.num_samples, generator=g) if self.shuffle else torch.arange(self.num_samples)
        if self.repeats > 1:
            # repeated augmentation: each picked image appears `repeats` times (each copy its own seed)
            order = order.repeat_interleave(self.repeats)[: self.num_samples]
        seeds = torch.randint(0, 2**62, (self.num_samples,), generator=g)
        return order.tolist(), seeds.tolist()

    def __iter__(self):
        order, seeds = self._order()
        global_batch = self.batch_size * self.world_size
        for step in range(self.start, self.batches_per_epoch):
            # every world_size-th position of the global batch, from this rank's offset: consecutive
            # copies of a repeated image land on different ranks
            positions = range(step * global_batch + self.rank, (step + 1) * global_batch, self.world_size)
            yield [(order[p], seeds[p]) for p in positions]


class SeededSamples(torch.utils.data.Dataset):
    """``dataset[(index, seed)]``: reseed the worker's RNGs, then load and transform the image."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __getitem__(self, key):
        index, seed = key
        in_main = torch.utils.data.get_worker_info() is None
        if in_main:  # num_workers=0: leave the training step's own RNG stream untouched
            saved = random.getstate(), np.random.get_state(), torch.get_rng_state()
        random.seed(seed)
        np.random.seed(seed % (2**32 - 1))
        # the CPU generator only: torch.manual_seed would also queue a lazy CUDA/XPU seeding call,
        # each recording a formatted stack trace (~0.3 ms, and a list that grows with every sample)
        torch.default_generator.manual_seed(seed)
        try:
            return self.dataset[index]
        finally:
            if in_main:
                random.setstate(saved[0])
                np.random.set_state(saved[1])
                torch.set_rng_state(saved[2])

    def __len__(self):
        return len(self.dataset)


def _ignore_sigterm() -> None:
    """In a loader worker: a job scheduler's SIGTERM to the whole process group is for the main
    process, which checkpoints and then shuts its workers down; a worker dying first would crash it."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)


class _WorkerInit:
    """A picklable ``worker_init_fn``: ignore SIGTERM, then run the loader's own init (if any)."""

    def __init__(self, inner=None):
        self.inner = inner

    def __call__(self, worker_id: int) -> None:
        _ignore_sigterm()
        if self.inner is not None:
            self.inner(worker_id)


def workers_ignore_sigterm(loader) -> None:
    """Make a built DataLoader's workers (also one inside a PrefetchLoader) ignore SIGTERM."""
    inner = getattr(loader, "loader", loader)
    if isinstance(inner, torch.utils.data.DataLoader) and not isinstance(inner.worker_init_fn, _WorkerInit):
        inner.worker_init_fn = _WorkerInit(inner.worker_init_fn)


def shutdown_workers(loader) -> None:
    """Stop a persistent DataLoader's workers now. At exit Python would SIGTERM them (which they
    ignore) and wait forever; asked through the loader they finish cleanly."""
    inner = getattr(loader, "loader", loader)
    iterator = getattr(inner, "_iterator", None)
    if iterator is not None and hasattr(iterator, "_shutdown_workers"):
        iterator._shutdown_workers()
        inner._iterator = None


def create_train_loader(dataset, batch_sampler: ResumableBatchSampler, *, num_workers: int, collate_fn,
                        pin_memory: bool = False, seed: int = 0, persistent_workers: bool = True):
    """A DataLoader over :class:`SeededSamples`; the caller wraps it in a PrefetchLoader when it prefetches."""
    generator = torch.Generator().manual_seed(seed)  # worker base seeds: fixed by the run's seed
    return torch.utils.data.DataLoader(
        SeededSamples(dataset), batch_sampler=batch_sampler, num_workers=num_workers, collate_fn=collate_fn,
        pin_memory=pin_memory, generator=generator, persistent_workers=persistent_workers and num_workers > 0,
        worker_init_fn=_WorkerInit(),
    )
