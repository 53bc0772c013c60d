"""``wds/<name>``: an iterable reader over webdataset tar shards, read with :mod:`tarfile` (no extra package).

A shard is a tar whose members are ``<key>.<ext>``; consecutive members with the same key form one
sample (``000001.jpg`` + ``000001.cls``). The split names the shards:

- a brace pattern relative to ``root``: ``train-{000000..000003}.tar``;
- a glob: ``train-*.tar``;
- a folder under ``root`` holding ``*.tar`` (``train/``), or a split name whose shards are
  ``root/<split>-*.tar`` / ``root/<split>_*.tar``;
- one ``.tar`` file.

An epoch is the shards, in epoch order, read end to end as one sequence of samples. Each distributed
rank, and within it each DataLoader worker, reads one contiguous range of that sequence, so every
sample is read once per epoch and a reader only opens the shards its range touches (samples before
the range in its first shard are skipped by their tar headers, without reading their bytes).
Training shuffles the shard order (the same order on every rank and worker, from ``seed`` and the
epoch), samples within a buffer, and gives every rank exactly ``ceil(samples / world_size)`` samples,
wrapping around to the start of the sequence to pad: DDP needs the same number of steps on every
rank, or the ranks with more wait forever in the gradient all-reduce. Evaluation never pads (a
sample counted twice would change the metric); rank counts then differ by at most one.
"""
from __future__ import annotations

import glob
import io
import json
import multiprocessing
import os
import random
import re
import tarfile
from typing import Dict, Iterator, List, Optional, Tuple

import torch
import torch.utils.data as data

__all__ = ["ReaderWds", "expand_shard_pattern", "find_shards"]

DEFAULT_INPUT_EXTS = ("jpg", "jpeg", "png", "webp")
DEFAULT_TARGET_EXTS = ("cls",)

_BRACE = re.compile(r"\{(\d+)\.\.(\d+)\}")


def expand_shard_pattern(pattern: str) -> List[str]:
    """``a-{000..002}.tar`` -> ``['a-000.tar', 'a-001.tar', 'a-002.tar']`` (zero padding kept; several ranges allowed)."""
    match = _BRACE.search(pattern)
    if match is None:
        return [pattern]
    lo, hi = match.group(1), match.group(2)
    if int(hi) < int(lo):
        raise ValueError(f"shard pattern range {{{lo}..{hi}}} is empty in {pattern!r}")
    width = len(lo)
    head, tail = pattern[: match.start()], pattern[match.end():]
    out = []
    for i in range(int(lo), int(hi) + 1):
        out.extend(expand_shard_pattern(f"{head}{i:0{width}d}{tail}"))
    return out


def find_shards(root: Optional[str], split: str) -> List[str]:
    """The shard files a split names (see the module docstring); a clear error when there are none."""
    root = os.fspath(root) if root is not None else ""

    def under(path):
        return path if os.path.isabs(path) or not root else os.path.join(root, path)

    if "{" in split:
        shards = [under(p) for p in expand_shard_pattern(split)]
        missing = [s for s in shards if not os.path.isfile(s)]
        if missing:
            raise FileNotFoundError(f"{len(missing)} of {len(shards)} shards of {split!r} are missing, "
                                    f"first: {missing[0]}")
        return shards
    if any(c in split for c in "*?["):
        shards = sorted(glob.glob(under(split)))
    elif os.path.isfile(under(split)):
        shards = [under(split)]
    elif os.path.isdir(under(split)) and split:
        shards = sorted(glob.glob(os.path.join(under(split), "*.tar")))
    else:
        shards = sorted(glob.glob(under(f"{split}-*.tar")) + glob.glob(under(f"{split}_*.tar")))
        if not shards and root and os.path.isdir(root) and not split:
            shards = sorted(glob.glob(os.path.join(root, "*.tar")))
    if not shards:
        raise FileNotFoundError(
            f"no webdataset shards for split {split!r} under {root or '.'} (looked for a brace pattern, a glob, "
            f"a folder of .tar files, or {split}-*.tar)"
        )
    return shards


def _exts(key, default) -> Tuple[str, ...]:
    if key is None:
        return default
    if isinstance(key, str):
        return tuple(k.strip().lower().lstrip(".") for k in key.split(";") if k.strip())
    return tuple(k.lower().lstrip(".") for k in key)


def _split_key(name: str) -> Tuple[str, str]:
    # the key is everything up to the first dot of the base name: 'a/000001.seg.png' -> ('a/000001', 'seg.png')
    dirname, base = os.path.split(name)
    stem, _, ext = base.partition(".")
    return (os.path.join(dirname, stem) if dirname else stem), ext.lower()


def _iter_tar_samples(path: str, skip: int = 0) -> Iterator[Dict[str, bytes]]:
    """Samples of one shard, in tar order, as ``{'__key__': key, ext: bytes, ...}``.

    The first ``skip`` samples are passed over by their headers; their payloads are never read.
    """
    current: Dict[str, bytes] = {}
    seen_keys = 0
    last_key = None
    with tarfile.open(path) as tf:
        for member in tf:
            if not member.isfile():
                continue
            key, ext = _split_key(member.name)
            if key != last_key:
                seen_keys += 1
                last_key = key
            if seen_keys <= skip:
                continue
            if current and current["__key__"] != key:
                yield current
                current = {}
            current["__key__"] = key
            current[ext] = tf.extractfile(member).read()
    if current:
        yield current


def _count_samples(path: str) -> int:
    keys = set()
    with tarfile.open(path) as tf:
        for member in tf:
            if member.isfile():
                keys.add(_split_key(member.name)[0])
    return len(keys)


def _dist_rank_world() -> Tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


class ReaderWds:
    """Iterates ``(file object, target)`` over the shards of a split; targets come from ``.cls`` (an int as text)
    or a ``.json`` with the target key."""

    def __init__(
        self,
        root,
        split: str = "train",
        is_training: bool = False,
        batch_size: int = 1,
        num_samples: Optional[int] = None,
        seed: int = 42,
        input_key=None,
        target_key=None,
        shuffle_size: int = 1000,
        class_map=None,
        **kwargs,
    ):
        self.root = os.fspath(root) if root is not None else None
        self.split = split
        self.shards = find_shards(self.root, split)
        self.is_training = is_training
        self.batch_size = batch_size
        self.seed = seed
        # shared memory, so set_epoch in the main process reaches persistent DataLoader workers too
        self._epoch = multiprocessing.Value("i", 0)
        self.shuffle_size = shuffle_size if is_training else 0
        self.input_exts = _exts(input_key, DEFAULT_INPUT_EXTS)
        self.target_exts = _exts(target_key, DEFAULT_TARGET_EXTS) if target_key != "" else ()
        self.class_to_idx: Dict[str, int] = dict(class_map) if isinstance(class_map, dict) else {}
        self._num_samples = num_samples
        self._counts: Optional[List[int]] = None

    @property
    def epoch(self) -> int:
        return self._epoch.value

    def set_epoch(self, epoch: int):
        self._epoch.value = int(epoch)

    @property
    def shard_counts(self) -> List[int]:
        """Samples per shard (read once from the tar headers, then cached)."""
        if self._counts is None:
            self._counts = [_count_samples(s) for s in self.shards]
        return self._counts

    @property
    def total_samples(self) -> int:
        return sum(self.shard_counts)

    def _epoch_length(self) -> int:
        return self._num_samples if self._num_samples is not None else self.total_samples

    def __len__(self):
        # samples this rank reads in an epoch: exact when training (padded), at most one more otherwise
        _, world = _dist_rank_world()
        return -(-self._epoch_length() // world)

    def _rank_range(self, rank: int, world: int) -> Tuple[int, int]:
        """Positions ``[start, end)`` of the epoch sequence this rank reads (training may run past its end)."""
        length = self._epoch_length()
        if self.is_training:
            per_rank = -(-length // world)
            return rank * per_rank, (rank + 1) * per_rank
        return rank * length // world, (rank + 1) * length // world

    def _my_range(self) -> Tuple[int, int]:
        rank, world = _dist_rank_world()
        start, end = self._rank_range(rank, world)
        info = data.get_worker_info()
        worker, num_workers = (info.id, info.num_workers) if info is not None else (0, 1)
        span = end - start
        return start + worker * span // num_workers, start + (worker + 1) * span // num_workers

    def _epoch_order(self) -> List[int]:
        order = list(range(len(self.shards)))
        if self.is_training:
            random.Random(self.seed + self.epoch).shuffle(order)  # same order in every rank and worker
        return order

    def _iter_range(self, start: int, end: int) -> Iterator[Tuple[Dict[str, bytes], str]]:
        """The samples at positions ``[start, end)`` of the epoch sequence, wrapping past its end."""
        order, counts = self._epoch_order(), self.shard_counts
        total = sum(counts)
        if total == 0 or end <= start:
            return
        position = start
        while position < end:
            # find the shard holding `position` (mod total) and the offset inside it
            offset = position % total
            for i in order:
                if offset < counts[i]:
                    break
                offset -= counts[i]
            shard = self.shards[i]
            for sample in _iter_tar_samples(shard, skip=offset):
                yield sample, shard
                position += 1
                if position >= end:
                    return

    def _decode_sample(self, sample, shard):
        image_ext = next((e for e in self.input_exts if e in sample), None)
        if image_ext is None:
            raise ValueError(f"sample {sample['__key__']!r} in {shard} has no {'/'.join(self.input_exts)} member "
                             f"(it has {sorted(k for k in sample if k != '__key__')}); set input_key")
        target = None
        if self.target_exts:
            target_ext = next((e for e in self.target_exts if e in sample), None)
            if target_ext is None and "json" in sample:
                meta = json.loads(sample["json"])
                for k in self.target_exts:
                    if isinstance(meta, dict) and k in meta:
                        target = int(meta[k])
                        break
            elif target_ext is not None:
                target = int(sample[target_ext].decode("utf-8").strip())
            if target is None:
                raise ValueError(f"sample {sample['__key__']!r} in {shard} has no {'/'.join(self.target_exts)} "
                                 f"target (it has {sorted(k for k in sample if k != '__key__')}); set target_key")
        return io.BytesIO(sample[image_ext]), target, f"{os.path.basename(shard)}/{sample['__key__']}.{image_ext}"

    def __iter__(self):
        info = data.get_worker_info()
        rank, _ = _dist_rank_world()
        rng = random.Random(f"{self.seed}-{self.epoch}-{rank}-{info.id if info else 0}")
        buffer = []
        for sample, shard in self._iter_range(*self._my_range()):
            item = self._decode_sample(sample, shard)
            if not self.shuffle_size:
                yield item
                continue
            buffer.append(item)
            if len(buffer) >= self.shuffle_size:
                yield buffer.pop(rng.randrange(len(buffer)))
        rng.shuffle(buffer)
        yield from buffer
