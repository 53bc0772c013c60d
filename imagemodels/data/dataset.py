"""``ImageDataset``: decode what a reader points at, apply the transform, skip what cannot be read."""
from __future__ import annotations

import logging
import os
import warnings

import torch.utils.data as data
from PIL import Image

from .readers import Reader, create_reader

__all__ = ["ImageDataset", "IterableImageDataset", "AugMixDataset", "CorruptImageError", "DEFAULT_MAX_BAD_FRACTION"]

_logger = logging.getLogger(__name__)

# more unreadable images than this (as a fraction of the dataset) means the data is broken, not noisy
DEFAULT_MAX_BAD_FRACTION = 0.01


class CorruptImageError(RuntimeError):
    """Too many images of a dataset could not be read."""


class ImageDataset(data.Dataset):
    """Samples of an image folder / tar as ``(image, target)``.

    An image that cannot be decoded is skipped (the next readable one is returned in its place) with a
    warning naming the file; ``bad_files`` lists those seen by this process. Once more than
    ``max_bad_fraction`` of the dataset has failed, reading raises :class:`CorruptImageError`.
    :meth:`check_images` decodes everything up front and drops the bad samples, for a count that
    covers all worker processes.
    """

    def __init__(
        self,
        root,
        reader=None,
        split: str = "train",
        class_map=None,
        load_bytes: bool = False,
        input_img_mode: str = "RGB",
        transform=None,
        target_transform=None,
        additional_features=None,
        max_bad_fraction: float = DEFAULT_MAX_BAD_FRACTION,
        **kwargs,
    ):
        if additional_features:
            raise NotImplementedError("additional_features is not supported by imagemodels yet")
        if reader is None or isinstance(reader, str):
            reader = create_reader(reader or "", root=root, split=split, class_map=class_map, **kwargs)
        self.reader: Reader = reader
        self.root = root
        self.load_bytes = load_bytes
        self.input_img_mode = input_img_mode
        self.transform = transform
        self.target_transform = target_transform
        if not 0.0 <= max_bad_fraction <= 1.0:
            raise ValueError(f"max_bad_fraction must be in [0, 1], got {max_bad_fraction}")
        self.max_bad_fraction = max_bad_fraction
        self.bad_files: list = []

    @property
    def class_to_idx(self):
        return self.reader.class_to_idx

    def _decode(self, index):
        fileobj, target = self.reader[index]
        with fileobj:
            if self.load_bytes:
                return fileobj.read(), target
            img = Image.open(fileobj)
            # convert() decodes the pixels, so a truncated file fails here rather than in a transform
            img = img.convert(self.input_img_mode) if self.input_img_mode else img.copy()
        return img, target

    def _record_bad(self, index, err):
        name = self.reader.filename(index)
        self.bad_files.append(name)
        warnings.warn(f"skipped unreadable image {name} ({type(err).__name__}: {err}); "
                      f"{len(self.bad_files)} skipped so far", RuntimeWarning, stacklevel=3)
        if len(self.bad_files) > self.max_bad_fraction * len(self):
            raise CorruptImageError(
                f"{len(self.bad_files)} of {len(self)} images under {self.root} could not be read "
                f"(more than max_bad_fraction={self.max_bad_fraction}); first: {self.bad_files[:5]}"
            )

    def __getitem__(self, index):
        for _ in range(len(self)):
            try:
                img, target = self._decode(index)
                break
            except (OSError, ValueError, SyntaxError) as err:  # what PIL raises for unreadable / truncated files
                self._record_bad(index, err)
                index = (index + 1) % len(self)
        else:
            raise CorruptImageError(f"none of the {len(self)} images under {self.root} could be read")
        if self.transform is not None:
            img = self.transform(img)
        if target is None:
            target = -1
        elif self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def check_images(self) -> list:
        """Decode every image now; drop the unreadable ones from the dataset and return their names.

        Raises :class:`CorruptImageError` when more than ``max_bad_fraction`` of them fail.
        """
        bad, good = [], []
        for index in range(len(self)):
            try:
                self._decode(index)
                good.append(index)
            except (OSError, ValueError, SyntaxError) as err:
                bad.append((index, err))
        total = len(self)
        for index, err in bad:
            warnings.warn(f"skipped unreadable image {self.reader.filename(index)} ({type(err).__name__}: {err})",
                          RuntimeWarning, stacklevel=2)
        names = [self.reader.filename(i) for i, _ in bad]
        if len(bad) > self.max_bad_fraction * total:
            raise CorruptImageError(
                f"{len(bad)} of {total} images under {self.root} could not be read "
                f"(more than max_bad_fraction={self.max_bad_fraction}); first: {names[:5]}"
            )
        if bad:
            _logger.warning("%d of %d images could not be read and were dropped", len(bad), total)
            keep = set(good)
            self.reader.samples = [s for i, s in enumerate(self.reader.samples) if i in keep]
            if hasattr(self.reader, "_members"):
                self.reader._members = [m for i, m in enumerate(self.reader._members) if i in keep]
        self.bad_files = names
        return names

    def __len__(self):
        return len(self.reader)

    def filename(self, index, basename=False, absolute=False):
        return self.reader.filename(index, basename, absolute)

    def filenames(self, basename=False, absolute=False):
        return self.reader.filenames(basename, absolute)


class IterableImageDataset(data.IterableDataset):
    """Samples of a streaming reader (``wds/`` shards) as ``(image, target)``, in the reader's order.

    ``set_epoch`` reshuffles (training); ``len`` is the reader's sample count for this rank.
    """

    def __init__(
        self,
        root,
        reader=None,
        split: str = "train",
        class_map=None,
        is_training: bool = False,
        batch_size: int = 1,
        num_samples=None,
        seed: int = 42,
        repeats: int = 0,
        download: bool = False,
        input_img_mode: str = "RGB",
        input_key=None,
        target_key=None,
        transform=None,
        target_transform=None,
        max_steps=None,
        load_bytes: bool = False,
        **kwargs,
    ):
        if repeats or max_steps:
            raise NotImplementedError("repeats / max_steps are not supported by imagemodels' IterableImageDataset yet")
        if reader is None or isinstance(reader, str):
            if not (reader or "").lower().startswith("wds/"):
                raise NotImplementedError(f"streaming reader {reader!r} is not supported; imagemodels streams 'wds/' shards")
            from .reader_wds import ReaderWds

            reader = ReaderWds(root, split=split, is_training=is_training, batch_size=batch_size,
                               num_samples=num_samples, seed=seed, class_map=class_map, input_key=input_key,
                               target_key=target_key, **kwargs)
        self.reader = reader
        self.root = root
        self.load_bytes = load_bytes
        self.input_img_mode = input_img_mode
        self.transform = transform
        self.target_transform = target_transform

    @property
    def class_to_idx(self):
        return self.reader.class_to_idx

    def set_epoch(self, epoch: int):
        self.reader.set_epoch(epoch)

    def __iter__(self):
        for fileobj, target, _ in self.reader:
            with fileobj:
                if self.load_bytes:
                    img = fileobj.read()
                else:
                    img = Image.open(fileobj)
                    img = img.convert(self.input_img_mode) if self.input_img_mode else img.copy()
            if self.transform is not None:
                img = self.transform(img)
            if target is None:
                target = -1
            elif self.target_transform is not None:
                target = self.target_transform(target)
            yield img, target

    def __len__(self):
        return len(self.reader)

    def filenames(self, basename=False, absolute=False):
        """Names of the samples this process would read, in order (reads the shards)."""
        names = [name for _, _, name in self.reader]
        return [os.path.basename(n) for n in names] if basename else names


class AugMixDataset(data.Dataset):
    """Each sample as ``num_splits`` views: the clean one, then ``num_splits - 1`` augmented ones (AugMix / JSD training).

    Its ``transform`` is the 3-stage tuple ``create_transform(..., separate=True)`` returns: the first
    stage (crop, flip) runs once per sample, the second (colour / auto-augment) once per augmented
    view, the third (to tensor, normalise) on every view.
    """

    def __init__(self, dataset: ImageDataset, num_splits: int = 2):
        if num_splits < 2:
            raise ValueError(f"AugMixDataset needs num_splits >= 2 (one clean view + augmented ones), got {num_splits}")
        self.dataset = dataset
        self.num_splits = num_splits
        self.augmentation = None
        self.normalize = None
        if dataset.transform is not None:
            self.transform = dataset.transform

    @property
    def transform(self):
        return self.dataset.transform

    @transform.setter
    def transform(self, stages):
        if not (isinstance(stages, (tuple, list)) and len(stages) == 3):
            raise ValueError("AugMixDataset.transform must be the 3 stages of create_transform(..., separate=True) "
                             "(create_loader(..., num_aug_splits=N) does this)")
        self.dataset.transform, self.augmentation, self.normalize = stages

    def _normalize(self, x):
        return x if self.normalize is None else self.normalize(x)

    def __getitem__(self, index):
        x, y = self.dataset[index]
        views = [self._normalize(x)]
        for _ in range(self.num_splits - 1):
            views.append(self._normalize(self.augmentation(x)))
        return tuple(views), y

    def __len__(self):
        return len(self.dataset)
