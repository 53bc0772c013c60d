"""Samplers for multi-process training and evaluation.

- :class:`OrderedDistributedSampler`: evaluation; each rank reads one contiguous slice (padded by
  wrapping to equal sizes), so gathered outputs come back in dataset order.
- :class:`RepeatAugSampler`: repeated augmentation (Hoffer et al., https://arxiv.org/abs/1901.09335,
  as used by DeiT): each sample appears ``num_repeats`` times per epoch, the copies spread across ranks
  so each gets its own augmentation, and the epoch is cut back to about one dataset's worth of samples
  (rounded down to a multiple of ``selected_round``).

Without an initialised process group both act as a single rank.
"""
from __future__ import annotations

import math
from typing import Optional

import torch
import torch.distributed as dist
from torch.utils.data import Sampler

__all__ = ["OrderedDistributedSampler", "RepeatAugSampler"]


def _world(num_replicas: Optional[int], rank: Optional[int]):
    initialised = dist.is_available() and dist.is_initialized()
    if num_replicas is None:
        num_replicas = dist.get_world_size() if initialised else 1
    if rank is None:
        rank = dist.get_rank() if initialised else 0
    if not 0 <= rank < num_replicas:
        raise ValueError(f"rank must be in [0, {num_replicas}), got {rank}")
    return num_replicas, rank


class OrderedDistributedSampler(Sampler):
    def __init__(self, dataset, num_replicas: Optional[int] = None, rank: Optional[int] = None):
        self.dataset = dataset
        self.num_replicas, self.rank = _world(num_replicas, rank)
        self.num_samples = int(math.ceil(len(dataset) / self.num_replicas))
        self.total_size = self.num_samples * self.num_replicas

    def __iter__(self):
        indices = list(range(len(self.dataset)))
        indices += indices[: self.total_size - len(indices)]  # wrap so every rank gets num_samples
        start = self.rank * self.num_samples
        return iter(indices[start:start + self.num_samples])

    def __len__(self):
        return self.num_samples


class RepeatAugSampler(Sampler):
    def __init__(
        self,
        dataset,
        num_replicas: Optional[int] = None,
        rank: Optional[int] = None,
        shuffle: bool = True,
        num_repeats: float = 3,
        selected_round: int = 256,
        selected_ratio: float = 0,
    ):
        if num_repeats <= 0:
            raise ValueError(f"num_repeats must be > 0, got {num_repeats}")
        self.dataset = dataset
        self.num_replicas, self.rank = _world(num_replicas, rank)
        self.shuffle = shuffle
        self.num_repeats = num_repeats
        self.epoch = 0
        self.num_samples = int(math.ceil(len(dataset) * num_repeats / self.num_replicas))
        self.total_size = self.num_samples * self.num_replicas
        # how much of the repeated epoch each rank keeps: about len(dataset) / selected_ratio samples
        selected_ratio = selected_ratio or self.num_replicas
        if selected_round and len(dataset) >= selected_round:  # rounding a small dataset down would empty it
            self.num_selected_samples = int(math.floor(len(dataset) // selected_round * selected_round / selected_ratio))
        else:
            self.num_selected_samples = int(math.ceil(len(dataset) / selected_ratio))
        self.num_selected_samples = min(self.num_selected_samples, self.num_samples)

    def __iter__(self):
        generator = torch.Generator()
        generator.manual_seed(self.epoch)  # the same order on every rank
        n = len(self.dataset)
        indices = torch.randperm(n, generator=generator) if self.shuffle else torch.arange(n)
        if isinstance(self.num_repeats, float) and not self.num_repeats.is_integer():
            repeat_size = math.ceil(self.num_repeats * n)
            indices = indices[torch.tensor([int(i // self.num_repeats) for i in range(repeat_size)])]
        else:
            indices = torch.repeat_interleave(indices, repeats=int(self.num_repeats), dim=0)
        indices = indices.tolist()
        # consecutive copies of a sample land on different ranks; wrap around to pad the last round
        positions = range(self.rank, self.total_size, self.num_replicas)[: self.num_selected_samples]
        return iter([indices[p % len(indices)] for p in positions])

    def __len__(self):
        return self.num_selected_samples

    def set_epoch(self, epoch: int):
        self.epoch = epoch
