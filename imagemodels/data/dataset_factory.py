"""``create_dataset``: a dataset by name and root, finding the split's folder under the root."""
from __future__ import annotations

import os
from typing import Optional

from .dataset import ImageDataset
from .readers import find_images_and_targets, load_class_map

__all__ = ["create_dataset", "search_split", "check_split_classes"]

_TRAIN_SPLITS = ("train", "training")
_EVAL_SPLITS = ("val", "valid", "validation", "eval", "evaluation")


def search_split(root, split: str) -> str:
    """``root/<split>`` if it exists, else the first existing synonym (train/training, val/validation/...), else ``root``."""
    root = os.fspath(root)
    name = split.split("[")[0]  # 'train[:90%]' style slices name the same folder
    if os.path.exists(os.path.join(root, name)):
        return os.path.join(root, name)
    for synonyms in (_TRAIN_SPLITS, _EVAL_SPLITS):
        if name in synonyms:
            for candidate in synonyms:
                if os.path.exists(os.path.join(root, candidate)):
                    return os.path.join(root, candidate)
    return root


def check_split_classes(root, split_root) -> Optional[dict]:
    """For an eval split beside a train split: its classes must be the train classes (or a subset of them).

    Returns the train split's ``class_to_idx`` when the eval split lacks some classes, so that both
    splits index classes the same way; ``None`` when they already agree (or there is no train split).
    """
    train_root = search_split(root, "train")
    if os.path.normpath(train_root) in (os.path.normpath(os.fspath(root)), os.path.normpath(os.fspath(split_root))):
        return None
    if not os.path.isdir(train_root) or not os.path.isdir(split_root):
        return None
    _, train_classes = find_images_and_targets(train_root)
    _, split_classes = find_images_and_targets(split_root)
    extra = sorted(set(split_classes) - set(train_classes))
    if extra:
        raise ValueError(
            f"{os.path.basename(split_root)} has classes that train does not: {extra[:10]}"
            f"{' ...' if len(extra) > 10 else ''} (under {root}); every evaluation class needs training images"
        )
    return None if set(split_classes) == set(train_classes) else train_classes


def create_dataset(
    name: str,
    root: Optional[str] = None,
    split: str = "validation",
    search_split: bool = True,
    class_map: dict = None,
    load_bytes: bool = False,
    is_training: bool = False,
    download: bool = False,
    batch_size: int = 1,
    num_samples: Optional[int] = None,
    seed: int = 42,
    repeats: int = 0,
    input_img_mode: str = "RGB",
    trust_remote_code: bool = False,
    **kwargs,
):
    """A dataset: ``name`` '' / 'folder' / 'tar' reads ``root``; 'digits' is the embedded digits set (no data needed).

    ``torch/<name>`` is a torchvision dataset (see ``dataset_torch.py``). ``hfds/<name or path>`` reads a Hugging Face ``datasets`` dataset (``input_key`` / ``target_key`` name
    its columns); ``wds/<name>`` streams webdataset tar shards under ``root`` named by ``split`` (a brace
    pattern such as ``train-{000000..000003}.tar``, a glob, a folder of tars or ``<split>-*.tar``).

    With ``search_split`` a ``root`` holding ``train/`` and ``val/`` (or their synonyms) is narrowed to
    the split's folder. Training needs at least two classes; an evaluation split may not hold classes
    its sibling train split lacks.
    """
    name = name or ""
    if name.lower().startswith("hfds/"):
        from .reader_hfds import ReaderHfds

        reader = ReaderHfds(name.split("/", 1)[1], root=root, split=split, class_map=class_map, download=download,
                            trust_remote_code=trust_remote_code, **_reader_keys(kwargs))
        return ImageDataset(root, reader=reader, load_bytes=load_bytes, input_img_mode=input_img_mode, **kwargs)
    if name.lower().startswith("wds/"):
        from .dataset import IterableImageDataset

        return IterableImageDataset(root, reader=name, split=split, class_map=class_map, is_training=is_training,
                                    batch_size=batch_size, num_samples=num_samples, seed=seed, repeats=repeats,
                                    download=download, input_img_mode=input_img_mode, load_bytes=load_bytes, **kwargs)
    name = name.lower()
    if name.startswith("torch/"):
        from .dataset_torch import create_torch_dataset

        return create_torch_dataset(name.split("/", 1)[1], root, split, download=download,
                                    search_split=search_split, **kwargs)
    if name.startswith(("hfids/", "tfds/")):
        raise NotImplementedError(
            f"dataset source '{name.split('/')[0]}/' is not supported by imagemodels; use 'hfds/' (Hugging Face "
            "datasets, map-style), 'wds/' (webdataset shards, streamed), 'torch/' (torchvision), an image folder, "
            "a tar, or 'digits'")
    if name == "digits":
        from .digits import materialize_digits

        root = materialize_digits(root)
        name = ""
    if root is None:
        raise ValueError(f"create_dataset({name!r}) needs root (an image folder, a .tar or a folder of tars)")
    root = os.fspath(root)
    if not os.path.exists(root):
        raise FileNotFoundError(f"dataset root does not exist: {root}")

    if class_map is not None and not isinstance(class_map, dict) and class_map != "":
        # a relative class map file is looked up beside the splits, not inside one
        class_map = load_class_map(class_map, root if os.path.isdir(root) else os.path.dirname(root))
    split_root = root
    if search_split and os.path.isdir(root):
        split_root = search_split_fn(root, split)
        if class_map is None and split.split("[")[0] not in _TRAIN_SPLITS and split_root != root:
            class_map = check_split_classes(root, split_root)

    dataset = ImageDataset(split_root, reader=name, split=split, class_map=class_map, load_bytes=load_bytes,
                           input_img_mode=input_img_mode, **kwargs)
    if is_training and len(dataset.class_to_idx) < 2:
        raise ValueError(
            f"{split_root} has one class ({next(iter(dataset.class_to_idx), '')!r}); a training set needs one "
            "sub-folder per class with at least two classes (did you point root at a single class folder?)"
        )
    return dataset


def _reader_keys(kwargs: dict) -> dict:
    """Pop the reader-only keywords (which sample fields hold the input and the target) out of ``kwargs``."""
    return {k: kwargs.pop(k) for k in ("input_key", "target_key", "shuffle_size") if k in kwargs}


search_split_fn = search_split  # create_dataset's keyword of the same name shadows the function
