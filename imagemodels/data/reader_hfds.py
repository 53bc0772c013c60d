"""``hfds/<name-or-path>``: a map-style reader over a Hugging Face ``datasets`` dataset.

The dataset is found, in order, as: a folder written by ``save_to_disk`` (``root/<name>``, ``<name>``
or ``root`` itself), else whatever ``datasets.load_dataset(name, split=...)`` resolves (a hub name,
a local imagefolder / parquet folder), cached under ``root``. The image column is read undecoded
(bytes or a path), so decoding stays in :class:`~imagemodels.data.dataset.ImageDataset` like the
other readers. ``download`` is accepted for the reference's signature: ``load_dataset`` downloads a hub
dataset that is not cached either way (set ``HF_DATASETS_OFFLINE=1`` to forbid it).
"""
from __future__ import annotations

import io
import os
import re
from typing import Dict, Optional

from .readers import Reader, load_class_map

__all__ = ["ReaderHfds"]

_SPLIT_SYNONYMS = (("train", "training"), ("validation", "val", "valid", "eval", "evaluation"), ("test", "testing"))


def _import_datasets():
    try:
        import datasets
    except ImportError as err:
        raise ImportError("'hfds/' datasets need the Hugging Face datasets package: "
                          "pip install 'imagemodels[hfds]' (or pip install datasets)") from err
    return datasets


def _pick_split(splits, split: str) -> str:
    """The split name in ``splits`` that ``split`` means (exact, else a synonym); a clear error otherwise."""
    if split in splits:
        return split
    for synonyms in _SPLIT_SYNONYMS:
        if split in synonyms:
            for candidate in synonyms:
                if candidate in splits:
                    return candidate
    raise ValueError(f"split {split!r} not found in the dataset; it has {sorted(splits)}")


_SLICE = re.compile(r"^[^\[]*\[\s*(-?\d*)(%?)\s*:\s*(-?\d*)(%?)\s*\]$")


def _slice(ds, split: str):
    """Apply a ``split[a:b]`` / ``split[a%:b%]`` slice (as load_dataset does) to an already loaded dataset."""
    if "[" not in split:
        return ds
    match = _SLICE.match(split)
    if match is None:
        raise ValueError(f"cannot read the slice in split {split!r}; use e.g. 'train[:100]' or 'train[10%:]'")
    n = len(ds)

    def bound(value, percent, default):
        if value == "":
            return default
        return int(value) * n // 100 if percent else int(value)

    start, stop = bound(match.group(1), match.group(2), 0), bound(match.group(3), match.group(4), n)
    return ds.select(range(n)[start:stop])


def _load(name: str, root: Optional[str], split: str, download: bool, trust_remote_code: bool):
    datasets = _import_datasets()
    candidates = [os.path.join(root, name) if root and name else None, name or None, root]
    for path in candidates:
        if path and os.path.isdir(path) and (
            os.path.isfile(os.path.join(path, "dataset_dict.json")) or os.path.isfile(os.path.join(path, "state.json"))
        ):
            loaded = datasets.load_from_disk(path)
            if isinstance(loaded, datasets.DatasetDict):
                loaded = loaded[_pick_split(loaded.keys(), split.split("[")[0])]
            return _slice(loaded, split)
    if not name:
        raise ValueError("'hfds/' needs a dataset name or path after the slash, e.g. 'hfds/beans'")
    kwargs = {}
    if trust_remote_code:
        kwargs["trust_remote_code"] = True  # only passed when asked for: newer datasets releases dropped it
    if root:
        kwargs["cache_dir"] = root
    try:
        return datasets.load_dataset(name, split=split, **kwargs)
    except ValueError as err:
        if "split" in str(err).lower():
            raise ValueError(f"split {split!r} of hfds/{name}: {err}") from err
        raise


class ReaderHfds(Reader):
    """Samples of a Hugging Face dataset: ``input_key`` holds the image, ``target_key`` the class (or ``None``)."""

    def __init__(
        self,
        name: str,
        root: Optional[str] = None,
        split: str = "train",
        class_map=None,
        input_key: str = "image",
        target_key: Optional[str] = "label",
        download: bool = False,
        trust_remote_code: bool = False,
        **kwargs,
    ):
        datasets = _import_datasets()
        self.name = name
        self.split = split
        ds = _load(name, os.fspath(root) if root is not None else None, split, download, trust_remote_code)
        columns = list(ds.column_names)
        if input_key not in columns:
            raise ValueError(f"input_key {input_key!r} is not a column of hfds/{name} ({split}); columns: {columns}")
        if target_key and target_key not in columns:
            raise ValueError(f"target_key {target_key!r} is not a column of hfds/{name} ({split}); columns: {columns}")
        feature = ds.features[input_key]
        if isinstance(feature, datasets.Image):
            ds = ds.cast_column(input_key, datasets.Image(decode=False))  # bytes/path: ImageDataset decodes
        self.input_key = input_key
        self.target_key = target_key or None
        self.dataset = ds

        self.class_to_idx: Dict[str, int] = {}
        self._remap = None
        target_feature = ds.features[target_key] if self.target_key else None
        if isinstance(target_feature, datasets.ClassLabel):
            self.class_to_idx = {n: i for i, n in enumerate(target_feature.names)}
        if class_map:
            wanted = load_class_map(class_map, root or "")
            if self.class_to_idx:
                # dataset label index -> class_map index, by class name
                self._remap = {self.class_to_idx[n]: i for n, i in wanted.items() if n in self.class_to_idx}
            self.class_to_idx = wanted
        # row indices into the dataset: ImageDataset.check_images narrows this list to the readable rows
        self.samples = list(range(len(ds)))

    def __getitem__(self, index):
        row = self.dataset[self.samples[index]]
        image = row[self.input_key]
        if isinstance(image, dict):  # an undecoded datasets.Image
            fileobj = io.BytesIO(image["bytes"]) if image.get("bytes") is not None else open(image["path"], "rb")
        elif isinstance(image, (bytes, bytearray)):
            fileobj = io.BytesIO(image)
        elif isinstance(image, str):
            fileobj = open(image, "rb")
        else:
            # TypeError, not ValueError: ImageDataset would skip a ValueError as one unreadable image
            raise TypeError(f"hfds/{self.name}: column {self.input_key!r} holds {type(image).__name__}, "
                             "not an image, bytes or a path")
        target = row[self.target_key] if self.target_key else None
        if self._remap is not None and target is not None:
            target = self._remap.get(target, -1)
        return fileobj, target

    def _filename(self, index):
        row = self.samples[index]
        image = self.dataset[row][self.input_key]
        if isinstance(image, dict) and image.get("path"):
            return image["path"]
        if isinstance(image, str):
            return image
        return f"{self.split}/{row}"
