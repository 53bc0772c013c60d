"""``create_loader``: a DataLoader with the dataset's transform set from keywords, and the prefetcher.

With ``use_prefetcher`` (the default) workers hand over ``uint8`` images and the :class:`PrefetchLoader`
moves each batch to ``device``, converts and normalises it there (and applies random erasing), which
keeps float conversion off the worker processes. On a machine without CUDA the device is the CPU and
the same code path runs.
"""
from __future__ import annotations

import random
from functools import partial
from typing import Callable, Optional

import numpy as np
import torch
import torch.utils.data

from .constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
from .distributed_sampler import OrderedDistributedSampler, RepeatAugSampler
from .transforms_factory import create_transform

__all__ = ["create_loader", "fast_collate", "PrefetchLoader", "MultiEpochsDataLoader", "seed_worker"]


def _as_uint8_tensor(img) -> torch.Tensor:
    if isinstance(img, np.ndarray):
        return torch.from_numpy(img)
    if isinstance(img, torch.Tensor):
        return img
    raise TypeError(f"fast_collate expects uint8 numpy arrays or tensors (use_prefetcher transforms), got {type(img).__name__}")


def fast_collate(batch):
    """Stack ``(uint8 image, int target)`` samples into a uint8 batch and an int64 target tensor.

    A sample whose image is a tuple (one view per augmentation split) contributes each view, grouped
    view by view: all first views, then all second views, ...
    """
    if not batch:
        raise ValueError("fast_collate got an empty batch")
    first = batch[0][0]
    if isinstance(first, (tuple, list)):
        views = len(first)
        images = [_as_uint8_tensor(sample[0][v]) for v in range(views) for sample in batch]
        targets = torch.tensor([sample[1] for sample in batch] * views, dtype=torch.int64)
    else:
        images = [_as_uint8_tensor(sample[0]) for sample in batch]
        targets = torch.tensor([sample[1] for sample in batch], dtype=torch.int64)
    return torch.stack(images), targets


class PrefetchLoader:
    """Wraps a loader of uint8 batches: to ``device``, to float (``img_dtype``), normalised, optionally erased."""

    def __init__(
        self,
        loader,
        mean=IMAGENET_DEFAULT_MEAN,
        std=IMAGENET_DEFAULT_STD,
        channels: int = 3,
        device: Optional[torch.device] = None,
        img_dtype: Optional[torch.dtype] = None,
        fp16: bool = False,
        re_prob: float = 0.0,
        re_mode: str = "const",
        re_count: int = 1,
        re_num_splits: int = 0,
    ):
        self.loader = loader
        self.device = torch.device(device) if device is not None else _default_device()
        self.img_dtype = torch.float16 if fp16 else (img_dtype or torch.float32)
        shape = (1, channels, 1, 1)
        # mean/std on the 0..255 scale so the uint8 batch is normalised in one step
        self.mean = torch.tensor([x * 255 for x in _per_channel(mean, channels)], device=self.device).view(shape).to(self.img_dtype)
        self.std = torch.tensor([x * 255 for x in _per_channel(std, channels)], device=self.device).view(shape).to(self.img_dtype)
        self.random_erasing = None
        if re_prob > 0:
            from .random_erasing import RandomErasing

            self.random_erasing = RandomErasing(re_prob, mode=re_mode, max_count=re_count,
                                                num_splits=re_num_splits, device=self.device)

    def _prepare(self, images: torch.Tensor, targets: torch.Tensor):
        non_blocking = self.device.type == "cuda"
        images = images.to(self.device, non_blocking=non_blocking).to(self.img_dtype).sub_(self.mean).div_(self.std)
        targets = targets.to(self.device, non_blocking=non_blocking)
        if self.random_erasing is not None:
            images = self.random_erasing(images)
        return images, targets

    def __iter__(self):
        if self.device.type != "cuda":
            for images, targets in self.loader:
                yield self._prepare(images, targets)
            return
        # On CUDA, batch i+1 is copied and normalised on a side stream while the caller's kernels for
        # batch i run on the current stream; the current stream waits for the side stream before a
        # batch is handed out, and the batch's memory is tied to the current stream so the caching
        # allocator cannot hand it to the side stream while it is still being read.
        side = torch.cuda.Stream(device=self.device)
        ready = None
        for images, targets in self.loader:
            with torch.cuda.stream(side):
                prepared = self._prepare(images, targets)
            if ready is not None:
                yield ready
            current = torch.cuda.current_stream(self.device)
            current.wait_stream(side)
            for t in prepared:
                t.record_stream(current)
            ready = prepared
        if ready is not None:
            yield ready

    def __len__(self):
        return len(self.loader)

    @property
    def sampler(self):
        return self.loader.sampler

    @property
    def dataset(self):
        return self.loader.dataset

    @property
    def mixup_enabled(self):
        collate = getattr(self.loader, "collate_fn", None)
        return bool(getattr(collate, "mixup_enabled", False))

    @mixup_enabled.setter
    def mixup_enabled(self, value):
        collate = getattr(self.loader, "collate_fn", None)
        if hasattr(collate, "mixup_enabled"):
            collate.mixup_enabled = value


class _Endless:
    """A batch sampler replayed pass after pass, so one DataLoader iterator never runs dry."""

    def __init__(self, batch_sampler):
        self.batch_sampler = batch_sampler

    def __iter__(self):
        while True:
            yield from self.batch_sampler


class MultiEpochsDataLoader:
    """A loader whose worker processes live for the whole run.

    A plain DataLoader starts its workers at every epoch; here one iterator runs over an endless
    batch sampler and each epoch takes ``len(self)`` batches from it, so the workers (and whatever
    they opened) carry over. The sampler is re-drawn at each pass, so shuffling still changes per
    epoch. Map-style datasets only; an epoch's first indices can be drawn before ``set_epoch`` of a
    distributed sampler runs, as with any worker prefetching.
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False, sampler=None, drop_last: bool = False,
                 **loader_kwargs):
        if isinstance(dataset, torch.utils.data.IterableDataset):
            raise ValueError("MultiEpochsDataLoader needs a map-style dataset; an iterable dataset keeps "
                             "its workers with persistent_workers=True instead")
        if sampler is None:
            sampler = torch.utils.data.RandomSampler(dataset) if shuffle else torch.utils.data.SequentialSampler(dataset)
        loader_kwargs.pop("persistent_workers", None)  # the workers never stop anyway
        self.batch_sampler = torch.utils.data.BatchSampler(sampler, batch_size, drop_last)
        self.loader = torch.utils.data.DataLoader(dataset, batch_sampler=_Endless(self.batch_sampler), **loader_kwargs)
        self._iterator = None

    def __len__(self):
        return len(self.batch_sampler)

    def __iter__(self):
        if self._iterator is None:
            self._iterator = iter(self.loader)
        for _ in range(len(self)):
            yield next(self._iterator)

    @property
    def sampler(self):
        return self.batch_sampler.sampler

    @property
    def dataset(self):
        return self.loader.dataset

    @property
    def collate_fn(self):
        return self.loader.collate_fn


def _per_channel(values, channels):
    values = tuple(values)
    return values * channels if len(values) == 1 else values


def _default_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def seed_worker(worker_id: int, worker_seeding="all"):
    """DataLoader ``worker_init_fn``: every worker gets distinct, reproducible seeds.

    PyTorch already seeds ``torch`` and ``random`` in each worker from the loader's base seed;
    'all' also seeds numpy from it ('part' leaves numpy alone); a callable maps the worker info to a
    seed used for all three.
    """
    info = torch.utils.data.get_worker_info()
    if info is None or info.id != worker_id:
        raise RuntimeError("seed_worker must run inside a DataLoader worker")
    if callable(worker_seeding):
        seed = worker_seeding(info)
        random.seed(seed)
        torch.manual_seed(seed)
        np.random.seed(seed % (2**32 - 1))
    elif worker_seeding == "all":
        np.random.seed(info.seed % (2**32 - 1))
    elif worker_seeding != "part":
        raise ValueError(f"worker_seeding must be 'all', 'part' or a callable, got {worker_seeding!r}")


def create_loader(
    dataset,
    input_size,
    batch_size: int,
    is_training: bool = False,
    no_aug: bool = False,
    re_prob: float = 0.0,
    re_mode: str = "const",
    re_count: int = 1,
    re_split: bool = False,
    train_crop_mode: Optional[str] = None,
    scale=None,
    ratio=None,
    hflip: float = 0.5,
    vflip: float = 0.0,
    color_jitter: float = 0.4,
    color_jitter_prob: Optional[float] = None,
    grayscale_prob: float = 0.0,
    gaussian_blur_prob: float = 0.0,
    auto_augment: Optional[str] = None,
    num_aug_repeats: int = 0,
    num_aug_splits: int = 0,
    interpolation: str = "bilinear",
    mean=IMAGENET_DEFAULT_MEAN,
    std=IMAGENET_DEFAULT_STD,
    num_workers: int = 1,
    distributed: bool = False,
    crop_pct: Optional[float] = None,
    crop_mode: Optional[str] = None,
    crop_border_pixels: Optional[int] = None,
    collate_fn: Optional[Callable] = None,
    pin_memory: bool = False,
    fp16: bool = False,
    img_dtype: torch.dtype = torch.float32,
    device: Optional[torch.device] = None,
    use_prefetcher: bool = True,
    use_multi_epochs_loader: bool = False,
    persistent_workers: bool = True,
    worker_seeding="all",
    tf_preprocessing: bool = False,
    input_size_choices=None,
    batch_size_choices=None,
    batch_choice_weights=None,
    batch_choice_seed: int = 0,
    batch_choice_schedule: str = "constant",
    batch_schedule_epochs=None,
    batch_schedule_spread: float = 0.65,
    batch_schedule_random_mix: float = 0.1,
    num_batches=None,
):
    """Set ``dataset.transform`` from the keywords and wrap the dataset in a (prefetching) loader.

    ``device`` defaults to CUDA when available, else the CPU.
    """
    unsupported = dict(input_size_choices=input_size_choices, batch_size_choices=batch_size_choices,
                       num_batches=num_batches)
    on = [k for k, v in unsupported.items() if v]
    if on:
        raise NotImplementedError(f"{', '.join(on)} is not supported by imagemodels' create_loader yet")
    re_num_splits = (num_aug_splits or 2) if re_split else 0
    transform = create_transform(
        input_size, is_training=is_training, no_aug=no_aug, train_crop_mode=train_crop_mode, scale=scale,
        ratio=ratio, hflip=hflip, vflip=vflip, color_jitter=color_jitter, color_jitter_prob=color_jitter_prob,
        grayscale_prob=grayscale_prob, gaussian_blur_prob=gaussian_blur_prob, auto_augment=auto_augment,
        interpolation=interpolation, mean=mean, std=std, crop_pct=crop_pct, crop_mode=crop_mode,
        crop_border_pixels=crop_border_pixels, re_prob=re_prob, re_mode=re_mode, re_count=re_count,
        re_num_splits=re_num_splits, tf_preprocessing=tf_preprocessing, use_prefetcher=use_prefetcher,
        separate=num_aug_splits > 0,
    )
    dataset.transform = transform  # an AugMixDataset takes the three stages of a separate=True transform

    sampler = None
    iterable = isinstance(dataset, torch.utils.data.IterableDataset)
    if num_aug_repeats and (iterable or not is_training):
        raise ValueError("num_aug_repeats (repeated augmentation) needs a map-style training dataset (is_training=True)")
    if num_aug_repeats:
        # outside a process group this is one rank (the reference library only allows it distributed)
        sampler = RepeatAugSampler(dataset, num_repeats=num_aug_repeats)
    elif distributed and not iterable:
        if is_training:
            sampler = torch.utils.data.distributed.DistributedSampler(dataset)
        else:
            sampler = OrderedDistributedSampler(dataset)  # evaluation outputs gather back in dataset order
    if collate_fn is None:
        collate_fn = fast_collate if use_prefetcher else torch.utils.data.default_collate

    common = dict(num_workers=num_workers, collate_fn=collate_fn, pin_memory=pin_memory,
                  worker_init_fn=partial(seed_worker, worker_seeding=worker_seeding))
    if use_multi_epochs_loader:
        loader = MultiEpochsDataLoader(dataset, batch_size, shuffle=sampler is None and is_training, sampler=sampler,
                                       drop_last=is_training, **common)
    else:
        loader = torch.utils.data.DataLoader(
            dataset,
            batch_size=batch_size,
            shuffle=sampler is None and is_training and not iterable,
            sampler=sampler,
            drop_last=is_training,
            persistent_workers=persistent_workers and num_workers > 0,
            **common,
        )
    if use_prefetcher:
        in_chans = input_size[0] if isinstance(input_size, (tuple, list)) and len(input_size) == 3 else 3
        loader = PrefetchLoader(
            loader, mean=mean, std=std, channels=in_chans, device=device, img_dtype=img_dtype, fp16=fp16,
            re_prob=re_prob if is_training and not no_aug else 0.0, re_mode=re_mode, re_count=re_count,
            re_num_splits=re_num_splits,
        )
    return loader
