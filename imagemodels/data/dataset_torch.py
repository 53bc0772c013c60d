"""``torch/<name>``: torchvision's datasets behind ``create_dataset``, with the split names of the others.

``torch/cifar10``, ``cifar100``, ``mnist``, ``kmnist``, ``fashion_mnist``, ``qmnist`` pick the train or
test half from ``split``; ``torch/imagenet`` and ``torch/places365`` take the split as the dataset
names it; ``torch/inaturalist`` (alias ``inat``) reads ``<version>_train`` / ``<version>_valid`` with the
version in ``kwargs`` (default 2021); ``torch/folder`` (alias ``image_folder``) is torchvision's
``ImageFolder``. torchvision is imported when one of these is asked for, never before.

``create_loader`` sets ``dataset.transform``, which every torchvision dataset applies in ``__getitem__``.
"""
from __future__ import annotations

import os
from typing import Any, Optional

__all__ = ["create_torch_dataset", "TORCH_DATASETS"]

_TRAIN = ("train", "training")
_BASIC = {"cifar10": "CIFAR10", "cifar100": "CIFAR100", "mnist": "MNIST", "kmnist": "KMNIST",
          "fashion_mnist": "FashionMNIST", "qmnist": "QMNIST"}
TORCH_DATASETS = tuple(_BASIC) + ("imagenet", "places365", "inaturalist", "inat", "folder", "image_folder")


def create_torch_dataset(name: str, root: Optional[str], split: str, download: bool = False,
                         search_split: bool = True, **kwargs: Any):
    """The torchvision dataset ``torch/<name>``; a missing dataset says how to get it."""
    if name not in TORCH_DATASETS:
        raise ValueError(f"unknown torchvision dataset 'torch/{name}'; known: {', '.join(TORCH_DATASETS)}")
    if root is None:
        raise ValueError(f"'torch/{name}' needs root: the folder that holds (or will hold, with download=True) the data")
    try:
        import torchvision.datasets as tvd
    except ImportError as e:  # pragma: no cover - torchvision is a dependency, but may be broken
        raise ImportError(f"'torch/{name}' needs torchvision: pip install torchvision") from e
    root = os.fspath(root)
    base = split.split("[")[0].lower()
    is_train = base in _TRAIN
    try:
        if name in _BASIC:
            return getattr(tvd, _BASIC[name])(root=root, train=is_train, download=download)
        if name == "imagenet":  # torchvision's ImageNet never downloads; it unpacks archives found in root
            return tvd.ImageNet(root=root, split="train" if is_train else "val")
        if name == "places365":
            return tvd.Places365(root=root, split="train-standard" if is_train else "val", download=download)
        if name in ("inaturalist", "inat"):
            version = str(kwargs.pop("version", "2021"))
            version = f"{version}_train" if is_train else f"{version}_valid"
            return tvd.INaturalist(root=root, version=version, download=download, **kwargs)
        if search_split and os.path.isdir(root):
            from .dataset_factory import search_split as find_split

            root = find_split(root, split)
        return tvd.ImageFolder(root, **kwargs)
    except RuntimeError as e:
        if "not found" in str(e).lower() or "download" in str(e).lower():
            hint = "pass download=True (train: --dataset-download)" if name not in ("imagenet", "folder", "image_folder") \
                else "place the data there first (this dataset cannot be downloaded automatically)"
            raise FileNotFoundError(f"'torch/{name}' found no data under {root}: {hint}") from e
        raise
