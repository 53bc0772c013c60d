"""Datasets (folder, tar, folder of tars, digits), class maps, split search, bad layouts, corrupt images, loaders."""
import os
import random
import tarfile
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from imagemodels import data


def _write_image(path, value=0, size=(20, 16)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((size[1], size[0], 3), value, np.uint8)).save(path)


@pytest.fixture
def folder(tmp_path):
    """train: cat x3, dog x2 (one nested deeper), class10 x1, class2 x1; val: cat, dog."""
    root = tmp_path / "ds"
    for i in range(3):
        _write_image(root / "train" / "cat" / f"{i}.jpg", 10 * i)
    _write_image(root / "train" / "dog" / "a.png", 100)
    _write_image(root / "train" / "x" / "dog" / "b.png", 110)  # nested: the class is the leaf folder
    _write_image(root / "train" / "class10" / "a.png", 200)
    _write_image(root / "train" / "class2" / "a.jpeg", 210)
    (root / "train" / "cat" / "notes.txt").write_text("not an image")
    _write_image(root / "validation" / "cat" / "0.png", 50)
    _write_image(root / "validation" / "dog" / "0.png", 150)
    return root


def test_folder_classes_naturally_sorted_and_nested(folder):
    ds = data.create_dataset("", root=folder, split="train")
    assert ds.class_to_idx == {"cat": 0, "class2": 1, "class10": 2, "dog": 3}
    assert len(ds) == 7
    img, target = ds[0]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and target == 0
    assert sorted(ds.filenames(basename=True)) == sorted(["0.jpg", "1.jpg", "2.jpg", "a.png", "b.png", "a.png", "a.jpeg"])


def test_search_split_synonyms(folder):
    assert data.search_split(folder, "val") == os.path.join(folder, "validation")
    assert data.search_split(folder, "train[:50%]") == os.path.join(folder, "train")
    assert data.search_split(folder, "test") == os.fspath(folder)


def test_val_missing_classes_uses_train_indices(folder):
    val = data.create_dataset("", root=folder, split="validation")
    assert val.class_to_idx["dog"] == 3  # indexed as in train, not 1
    assert sorted(t for _, t in val.reader.samples) == [0, 3]


def test_val_with_class_not_in_train_is_an_error(folder):
    _write_image(folder / "validation" / "zebra" / "0.png")
    with pytest.raises(ValueError, match="validation has classes that train does not: \\['zebra'\\]"):
        data.create_dataset("", root=folder, split="val")


def test_class_map_file_and_dict(folder):
    (folder / "map.txt").write_text("dog\ncat\n")
    ds = data.create_dataset("", root=folder, split="train", class_map="map.txt")
    assert ds.class_to_idx == {"dog": 0, "cat": 1} and len(ds) == 5  # other classes left out
    ds = data.create_dataset("", root=folder, split="train", class_map={"cat": 7})
    assert {t for _, t in ds.reader.samples} == {7}
    with pytest.raises(FileNotFoundError, match="class map file not found: nope.txt"):
        data.create_dataset("", root=folder, split="train", class_map="nope.txt")
    (folder / "map.pkl").write_bytes(b"x")
    with pytest.raises(ValueError, match="must be a .txt"):
        data.create_dataset("", root=folder, split="train", class_map="map.pkl")


def test_bad_layouts_have_clear_errors(tmp_path):
    (tmp_path / "empty" / "train" / "a").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="no images found under .*empty"):
        data.create_dataset("", root=tmp_path / "empty", split="train")
    _write_image(tmp_path / "one" / "train" / "only" / "0.png")
    with pytest.raises(ValueError, match="has one class \\('only'\\)"):
        data.create_dataset("", root=tmp_path / "one", split="train", is_training=True)
    with pytest.raises(FileNotFoundError, match="dataset root does not exist"):
        data.create_dataset("", root=tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="'torch/cifar10' found no data under .*download=True"):
        data.create_dataset("torch/cifar10", root=tmp_path)
    with pytest.raises(ValueError, match="unknown torchvision dataset 'torch/cifar11'"):
        data.create_dataset("torch/cifar11", root=tmp_path)
    with pytest.raises(NotImplementedError, match="'tfds/' is not supported.*'torch/'"):
        data.create_dataset("tfds/imagenet2012", root=tmp_path)


def _write_mnist_idx(raw, prefix, images, labels):
    """The MNIST files as torchvision reads them: big-endian idx headers, then uint8 data."""
    import struct

    raw.mkdir(parents=True, exist_ok=True)
    n, h, w = images.shape
    (raw / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">iiii", 2051, n, h, w) + images.tobytes())
    (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(struct.pack(">ii", 2049, n) + labels.tobytes())


def test_torch_mnist_through_create_loader(tmp_path):
    # the embedded digits, upscaled to 28x28 and written in MNIST's own file format
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.kron(digits.images, np.ones((4, 4)))[:, 2:30, 2:30] * (255 / 16)
    images, labels = images.astype(np.uint8), digits.target.astype(np.uint8)
    _write_mnist_idx(tmp_path / "MNIST" / "raw", "train", images[:100], labels[:100])
    _write_mnist_idx(tmp_path / "MNIST" / "raw", "t10k", images[100:130], labels[100:130])
    train = data.create_dataset("torch/mnist", root=tmp_path, split="train")
    val = data.create_dataset("torch/mnist", root=tmp_path, split="validation")
    assert (len(train), len(val)) == (100, 30)
    loader = data.create_loader(val, input_size=(1, 28, 28), batch_size=30, use_prefetcher=False, crop_pct=1.0,
                                mean=(0.5,), std=(0.5,))
    x, y = next(iter(loader))
    assert x.shape == (30, 1, 28, 28) and y.tolist() == labels[100:130].tolist()
    expected = (torch.from_numpy(images[100:130]).float() / 255 - 0.5) / 0.5
    torch.testing.assert_close(x[:, 0], expected, atol=1e-6, rtol=0)


def test_torch_folder_searches_the_split(folder):
    # torchvision's ImageFolder, with its own (plain sort) class order; only the split search is ours
    ds = data.create_dataset("torch/folder", root=folder, split="train")
    assert os.path.normpath(ds.root) == os.path.normpath(folder / "train")
    assert type(ds).__name__ == "ImageFolder" and len(ds) > 0


def test_tar_and_folder_of_tars_match_the_folder(folder, tmp_path):
    tar_path = tmp_path / "train.tar"
    with tarfile.open(tar_path, "w") as tf:
        tf.add(folder / "train", arcname="train")
    from_tar = data.create_dataset("", root=tar_path)
    from_folder = data.create_dataset("", root=folder, split="train")
    assert from_tar.class_to_idx == from_folder.class_to_idx
    assert len(from_tar) == len(from_folder)
    assert sorted(np.asarray(img).mean() for img, _ in from_tar) == sorted(np.asarray(img).mean() for img, _ in from_folder)

    tars = tmp_path / "tars"
    tars.mkdir()
    for cls in ("cat", "dog"):
        with tarfile.open(tars / f"{cls}.tar", "w") as tf:
            tf.add(folder / "train" / cls, arcname=cls)
    ds = data.create_dataset("tar", root=tars)
    assert ds.class_to_idx == {"cat": 0, "dog": 1} and len(ds) == 4
    assert [t for _, t in ds] == [0, 0, 0, 1]


def test_corrupt_images_are_skipped_counted_and_bounded(folder):
    bad = folder / "train" / "cat" / "1.jpg"
    bad.write_bytes(b"\xff\xd8 this is not a jpeg")
    ds = data.create_dataset("", root=folder, split="train", max_bad_fraction=0.5)
    index = ds.filenames(basename=True).index("1.jpg")
    with pytest.warns(RuntimeWarning, match="skipped unreadable image cat/1.jpg"):
        img, target = ds[index]
    assert isinstance(img, Image.Image) and ds.bad_files == ["cat/1.jpg"]

    with pytest.warns(RuntimeWarning, match="cat/1.jpg"):
        assert ds.check_images() == ["cat/1.jpg"]
    assert len(ds) == 6

    strict = data.create_dataset("", root=folder, split="train")  # default max_bad_fraction 1%
    with pytest.raises(data.CorruptImageError, match="1 of 7 images .* could not be read"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            strict.check_images()


def test_all_images_unreadable_is_an_error(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        (tmp_path / cls / "x.png").write_bytes(b"garbage")
    ds = data.ImageDataset(tmp_path, max_bad_fraction=1.0)
    with pytest.warns(RuntimeWarning), pytest.raises(data.CorruptImageError, match="none of the 2 images"):
        ds[0]


def test_digits_materialise_once_with_fixed_split(tmp_path):
    pytest.importorskip("sklearn")
    root = data.materialize_digits(tmp_path / "digits")
    train = data.create_dataset("digits", root=root, split="train", is_training=True)
    val = data.create_dataset("digits", root=root, split="validation")
    assert (len(train), len(val)) == (1437, 360)
    assert train.class_to_idx == val.class_to_idx == {str(i): i for i in range(10)}
    img, _ = val[0]
    assert img.size == (32, 32) and img.mode == "RGB"
    mtime = os.path.getmtime(root / "val" / "0" / "0000.png")
    assert data.materialize_digits(root) == root and os.path.getmtime(root / "val" / "0" / "0000.png") == mtime
    with pytest.raises(FileExistsError, match="not a digits folder"):
        data.materialize_digits(tmp_path / "digits" / "train")


@pytest.mark.parametrize("num_workers", [0, 2])
@pytest.mark.parametrize("use_prefetcher", [True, False])
def test_loader_end_to_end(tmp_path, num_workers, use_prefetcher):
    pytest.importorskip("sklearn")
    root = data.materialize_digits(tmp_path / "digits")
    ds = data.create_dataset("digits", root=root, split="val")
    loader = data.create_loader(ds, (3, 32, 32), batch_size=64, num_workers=num_workers, crop_pct=1.0,
                                mean=(0.5,), std=(0.5,), use_prefetcher=use_prefetcher, device="cpu",
                                interpolation="bilinear")
    batches = list(loader)
    assert len(batches) == 6
    x, y = batches[0]
    assert x.shape == (64, 3, 32, 32) and x.dtype == torch.float32 and y.dtype == torch.int64
    assert -1.0 <= x.min() < -0.99 and 0.9 < x.max() <= 1.0  # normalised with mean/std 0.5
    assert sum(len(b[1]) for b in batches) == 360


def test_prefetcher_equals_eval_transform(tmp_path):
    pytest.importorskip("sklearn")
    root = data.materialize_digits(tmp_path / "digits")
    kw = dict(input_size=(3, 28, 28), batch_size=16, crop_pct=0.875, num_workers=0, device="cpu")
    fast, _ = next(iter(data.create_loader(data.create_dataset("digits", root=root, split="val"), use_prefetcher=True, **kw)))
    slow, _ = next(iter(data.create_loader(data.create_dataset("digits", root=root, split="val"), use_prefetcher=False, **kw)))
    torch.testing.assert_close(fast, slow, atol=1e-5, rtol=0)


def test_training_loader_is_deterministic_with_workers(tmp_path):
    pytest.importorskip("sklearn")
    root = data.materialize_digits(tmp_path / "digits")

    def first_batch():
        # workers derive their seeds from torch's; erasing on the device side draws from this process's `random`
        torch.manual_seed(0)
        random.seed(0)
        ds = data.create_dataset("digits", root=root, split="train", is_training=True)
        loader = data.create_loader(ds, (3, 32, 32), batch_size=32, is_training=True, num_workers=2, device="cpu",
                                    re_prob=0.5, persistent_workers=False)
        return next(iter(loader))

    (x1, y1), (x2, y2) = first_batch(), first_batch()
    assert torch.equal(x1, x2) and torch.equal(y1, y2)


def test_digits_command_line_hook(tmp_path):
    pytest.importorskip("sklearn")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "imagemodels.data.digits", str(tmp_path / "d")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(tmp_path / "d") and len(list((tmp_path / "d" / "val").rglob("*.png"))) == 360


@pytest.mark.parametrize("num_repeats,replicas,size", [(3, 1, 1000), (3, 2, 1000), (2.5, 4, 1000), (3, 8, 100)])
def test_repeat_aug_sampler_equals_reference(num_repeats, replicas, size):
    ref_module = pytest.importorskip("timm.data.distributed_sampler")
    dataset = list(range(size))
    for rank in range(replicas):
        ours = data.RepeatAugSampler(dataset, num_replicas=replicas, rank=rank, num_repeats=num_repeats)
        ref = ref_module.RepeatAugSampler(dataset, num_replicas=replicas, rank=rank, num_repeats=num_repeats)
        for epoch in (0, 3):
            ours.set_epoch(epoch)
            ref.set_epoch(epoch)
            assert list(ours) == list(ref) and len(ours) == len(ref)


def test_ordered_sampler_splits_in_order():
    parts = [list(data.OrderedDistributedSampler(list(range(10)), num_replicas=3, rank=r)) for r in range(3)]
    assert parts == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1]]


def test_loader_with_repeated_augmentation(tmp_path):
    pytest.importorskip("sklearn")
    ds = data.create_dataset("digits", root=data.materialize_digits(tmp_path / "d"), split="train", is_training=True)
    loader = data.create_loader(ds, (3, 32, 32), batch_size=64, is_training=True, num_aug_repeats=3, num_workers=0,
                                device="cpu")
    assert isinstance(loader.sampler, data.RepeatAugSampler)
    indices = list(loader.sampler)
    assert len(indices) == 1280  # 1437 rounded down to a multiple of 256
    assert indices[0] == indices[1] == indices[2]  # one rank sees each sample's three copies


class _PidDataset(torch.utils.data.Dataset):
    """Item i -> (a tiny image, (i, pid of the process that loaded it)); ignores the .transform
    create_loader sets, since only the sampling and the workers are under test."""

    def __init__(self, n=12):
        self.n, self.transform = n, None

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return torch.zeros(3, 4, 4), torch.tensor([i, os.getpid()])


def test_multi_epochs_loader_keeps_workers_and_sees_each_sample_once():
    from imagemodels.data import MultiEpochsDataLoader, create_loader

    loader = create_loader(_PidDataset(), input_size=(3, 4, 4), batch_size=4, is_training=True,
                           use_prefetcher=False, num_workers=2, use_multi_epochs_loader=True)
    assert isinstance(loader, MultiEpochsDataLoader) and len(loader) == 3
    epochs = []
    for _ in range(3):
        targets = torch.cat([t for _, t in loader])
        assert sorted(targets[:, 0].tolist()) == list(range(12)), "every sample once per epoch"
        epochs.append(targets)
    pids = [set(e[:, 1].tolist()) for e in epochs]
    assert pids[0] == pids[1] == pids[2] and len(pids[0]) == 2, "the same two workers serve every epoch"
    assert any(not torch.equal(epochs[0][:, 0], e[:, 0]) for e in epochs[1:]), "shuffled anew each epoch"
    with pytest.raises(ValueError, match="map-style"):
        MultiEpochsDataLoader(_Iterable(), batch_size=2)


class _Iterable(torch.utils.data.IterableDataset):
    def __iter__(self):
        yield from range(3)
