"""``wds/<name>``: an iterable reader over webdataset tar shards, read with :mod:`tarfile` (no extra package).

A shard is a tar whose members are ``<key>.<ext>``; consecutive members with the same key form one
sample (``000001.jpg`` + ``000001.cls``). The split names the shards:

- a brace pattern relative to ``root``: ``train-{000000..000003}.tar``;
- a glob: ``train-*.tar``;
- a folder under ``root`` holding ``*.tar`` (``train/``), or a split name whose shards are
  ``root/<split>-*.tar`` / ``root/<split>_*.tar``;
- one ``.tar`` file.

Shards are divided between distributed ranks, then between DataLoader workers, so each sample is
read once per epoch. Training shuffles the shard order (the same order on every rank and worker,
from ``seed`` and the epoch) and then samples within a buffer.
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


def _iter_tar_samples(path: str) -> Iterator[Dict[str, bytes]]:
    """Samples of one shard, in tar order, as ``{'__key__': key, ext: bytes, ...}``."""
    current: Dict[str, bytes] = {}
    with tarfile.open(path) as tf:
        for member in tf:
            if not member.isfile():
                continue
            key, ext = _split_key(member.name)
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
        self._total = None

    @property
    def epoch(self) -> int:
        return self._epoch.value

    def set_epoch(self, epoch: int):
        self._epoch.value = int(epoch)

    @property
    def total_samples(self) -> int:
        if self._total is None:
            self._total = sum(_count_samples(s) for s in self.shards)
        return self._total

    def __len__(self):
        # samples this rank reads in an epoch (shards are split by rank, so this is an estimate when uneven)
        total = self._num_samples if self._num_samples is not None else self.total_samples
        _, world = _dist_rank_world()
        return -(-total // world)

    def _my_shards(self) -> List[str]:
        shards = list(self.shards)
        if self.is_training:
            random.Random(self.seed + self.epoch).shuffle(shards)  # same order in every rank and worker
        rank, world = _dist_rank_world()
        info = data.get_worker_info()
        worker, num_workers = (info.id, info.num_workers) if info is not None else (0, 1)
        slot, slots = rank * num_workers + worker, world * num_workers
        return shards[slot::slots]

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
        for shard in self._my_shards():
            for sample in _iter_tar_samples(shard):
                item = self._decode_sample(sample, shard)
                if not self.shuffle_size:
                    yield item
                    continue
                buffer.append(item)
                if len(buffer) >= self.shuffle_size:
                    yield buffer.pop(rng.randrange(len(buffer)))
        rng.shuffle(buffer)
        yield from buffer
