"""End-to-end tests of the ``hfds/`` (Hugging Face datasets) and ``wds/`` (webdataset shards) sources."""
import io
import os
import tarfile

import numpy as np
import pytest
import torch
from PIL import Image

import imagemodels.data as imd
from imagemodels.data.reader_wds import expand_shard_pattern


def _image(value: int, size: int = 8) -> Image.Image:
    # a flat colour per sample: the pixel values read back identify the sample
    return Image.fromarray(np.full((size, size, 3), value, dtype=np.uint8))


def _png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# ---------------------------------------------------------------- hfds/


@pytest.fixture(scope="module")
def hf_saved(tmp_path_factory):
    datasets = pytest.importorskip("datasets")
    out = tmp_path_factory.mktemp("hf") / "toy"
    features = datasets.Features({"image": datasets.Image(), "label": datasets.ClassLabel(names=["cat", "dog"])})

    def split(values, labels):
        return datasets.Dataset.from_dict(
            {"image": [_image(v) for v in values], "label": labels}, features=features)

    train = split(list(range(0, 200, 10)), [i % 2 for i in range(20)])
    datasets.DatasetDict({"train": train, "validation": split([5, 6, 7], [1, 0, 1])}).save_to_disk(str(out))
    return out


def test_hfds_reads_images_and_labels(hf_saved):
    ds = imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train", is_training=True)
    assert len(ds) == 20
    assert ds.class_to_idx == {"cat": 0, "dog": 1}
    img, target = ds[3]
    assert isinstance(img, Image.Image) and img.mode == "RGB"
    assert np.asarray(img)[0, 0, 0] == 30 and target == 1
    assert len(ds.filenames()) == 20


def test_hfds_check_images_drops_bad_rows(tmp_path):
    datasets = pytest.importorskip("datasets")
    features = datasets.Features({"image": datasets.Image(decode=False), "label": datasets.Value("int64")})
    rows = [{"bytes": _png_bytes(_image(v)), "path": None} for v in range(10)]
    rows[4] = {"bytes": b"not an image", "path": None}
    datasets.Dataset.from_dict({"image": rows, "label": list(range(10))}, features=features).save_to_disk(
        str(tmp_path / "bad"))
    ds = imd.create_dataset("hfds/bad", root=str(tmp_path), split="train", max_bad_fraction=0.2)
    with pytest.warns(RuntimeWarning, match="train/4"):
        assert ds.check_images() == ["train/4"]
    assert [t for _, t in (ds[i] for i in range(len(ds)))] == [0, 1, 2, 3, 5, 6, 7, 8, 9]


def test_hfds_split_synonym_and_path_name(hf_saved):
    ds = imd.create_dataset(f"hfds/{hf_saved}", split="val")
    assert len(ds) == 3
    assert [t for _, t in (ds[i] for i in range(3))] == [1, 0, 1]


def test_hfds_through_loader(hf_saved):
    ds = imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train")
    loader = imd.create_loader(ds, input_size=(3, 8, 8), batch_size=5, use_prefetcher=False, num_workers=0,
                               crop_pct=1.0, interpolation="bilinear", mean=(0, 0, 0), std=(1, 1, 1))
    pixels, labels = [], []
    for x, y in loader:
        pixels += [round(v * 255) for v in x[:, 0, 4, 4].tolist()]
        labels += y.tolist()
    assert pixels == list(range(0, 200, 10))
    assert labels == [(v // 10) % 2 for v in range(0, 200, 10)]


def test_hfds_split_slice(hf_saved):
    ds = imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train[5:10]")
    assert [int(np.asarray(ds[i][0])[0, 0, 0]) for i in range(len(ds))] == [50, 60, 70, 80, 90]
    assert len(imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train[:50%]")) == 10


def test_hfds_load_dataset_parquet_offline(tmp_path):
    datasets = pytest.importorskip("datasets")
    features = datasets.Features({"img": datasets.Image(), "y": datasets.ClassLabel(names=["a", "b"])})
    folder = tmp_path / "pq"
    folder.mkdir()
    datasets.Dataset.from_dict({"img": [_image(v) for v in (1, 2, 3, 4)], "y": [0, 1, 1, 0]},
                               features=features).to_parquet(str(folder / "train-00000.parquet"))
    ds = imd.create_dataset(f"hfds/{folder}", root=str(tmp_path / "cache"), split="train", input_key="img",
                            target_key="y")
    assert [(int(np.asarray(img)[0, 0, 0]), t) for img, t in (ds[i] for i in range(4))] == [(1, 0), (2, 1), (3, 1), (4, 0)]


def test_hfds_errors(hf_saved):
    with pytest.raises(ValueError, match="split 'test' not found"):
        imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="test")
    with pytest.raises(ValueError, match="input_key 'img' is not a column"):
        imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train", input_key="img")
    with pytest.raises(ValueError, match="target_key 'y' is not a column"):
        imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train", target_key="y")
    with pytest.raises(TypeError, match="holds int, not an image"):
        imd.create_dataset("hfds/toy", root=str(hf_saved.parent), split="train", input_key="label")[0]


# ---------------------------------------------------------------- wds/


def _write_shards(folder, num_shards=3, per_shard=8, prefix="train", sizes=None):
    os.makedirs(folder, exist_ok=True)
    sizes = sizes or [per_shard] * num_shards
    for s, size in enumerate(sizes):
        with tarfile.open(os.path.join(folder, f"{prefix}-{s:06d}.tar"), "w") as tf:
            for i in range(size):
                index = sum(sizes[:s]) + i
                for ext, payload in (("png", _png_bytes(_image(index * 10))), ("cls", str(index % 3).encode())):
                    info = tarfile.TarInfo(f"{index:06d}.{ext}")
                    info.size = len(payload)
                    tf.addfile(info, io.BytesIO(payload))


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    root = tmp_path_factory.mktemp("wds")
    _write_shards(str(root))
    return root


def test_expand_shard_pattern():
    assert expand_shard_pattern("a-{00..02}.tar") == ["a-00.tar", "a-01.tar", "a-02.tar"]


@pytest.mark.parametrize("split", ["train-{000000..000002}.tar", "train", "train-*.tar"])
def test_wds_split_forms(shards, split):
    ds = imd.create_dataset("wds/toy", root=str(shards), split=split)
    assert isinstance(ds, torch.utils.data.IterableDataset)
    assert len(ds) == 24
    seen = [(int(np.asarray(img)[0, 0, 0]) // 10, t) for img, t in ds]
    assert seen == [(i, i % 3) for i in range(24)]


@pytest.mark.parametrize("num_workers", [0, 2])
@pytest.mark.parametrize("is_training", [False, True])
def test_wds_loader_sees_every_sample_once(shards, num_workers, is_training):
    ds = imd.create_dataset("wds/toy", root=str(shards), split="train-{000000..000002}.tar", is_training=is_training,
                            batch_size=4, seed=3)
    loader = imd.create_loader(ds, input_size=(3, 8, 8), batch_size=4, use_prefetcher=False, num_workers=num_workers,
                               is_training=False, crop_pct=1.0, mean=(0, 0, 0), std=(1, 1, 1),
                               persistent_workers=False)
    for epoch in range(2):
        ds.set_epoch(epoch)
        ids, labels = [], []
        for x, y in loader:
            ids += [round(v * 255) // 10 for v in x[:, 0, 4, 4].tolist()]
            labels += y.tolist()
        assert sorted(ids) == list(range(24))
        assert labels == [i % 3 for i in ids]
        if is_training and num_workers == 0:
            assert ids != list(range(24))  # shuffled


@pytest.mark.parametrize("is_training", [False, True])
def test_wds_ranks_split_shards(shards, monkeypatch, is_training):
    import imagemodels.data.reader_wds as reader_wds

    seen = []
    for rank in range(2):
        monkeypatch.setattr(reader_wds, "_dist_rank_world", lambda rank=rank: (rank, 2))
        ds = imd.create_dataset("wds/toy", root=str(shards), split="train", is_training=is_training, seed=5)
        seen.append([int(np.asarray(img)[0, 0, 0]) // 10 for img, _ in ds])
    assert not set(seen[0]) & set(seen[1])
    assert sorted(seen[0] + seen[1]) == list(range(24))


@pytest.fixture(scope="module")
def uneven_shards(tmp_path_factory):
    root = tmp_path_factory.mktemp("wds_uneven")
    _write_shards(str(root), sizes=[9, 2, 5, 1])  # 17 samples
    return root


def _ids_per_rank(root, monkeypatch, world, is_training, num_workers=0, epoch=0, **kwargs):
    import imagemodels.data.reader_wds as reader_wds

    per_rank = []
    for rank in range(world):
        monkeypatch.setattr(reader_wds, "_dist_rank_world", lambda rank=rank: (rank, world))
        ds = imd.create_dataset("wds/toy", root=str(root), split="train", is_training=is_training, seed=5, **kwargs)
        ds.set_epoch(epoch)
        loader = imd.create_loader(ds, input_size=(3, 8, 8), batch_size=1, use_prefetcher=False,
                                   num_workers=num_workers, crop_pct=1.0, mean=(0, 0, 0), std=(1, 1, 1),
                                   persistent_workers=False)
        per_rank.append([round(x[0, 0, 4, 4].item() * 255) // 10 for x, _ in loader])
        assert len(ds) == len(per_rank[-1]) or not is_training
    return per_rank


@pytest.mark.parametrize("num_workers", [0, 2])
@pytest.mark.parametrize("world", [2, 3])
def test_wds_training_ranks_get_equal_counts_from_uneven_shards(uneven_shards, monkeypatch, world, num_workers):
    # a rank with fewer samples would leave the others waiting forever in DDP's all-reduce
    for epoch in range(2):
        per_rank = _ids_per_rank(uneven_shards, monkeypatch, world, True, num_workers, epoch)
        assert {len(ids) for ids in per_rank} == {-(-17 // world)}
        seen = [i for ids in per_rank for i in ids]
        assert set(seen) == set(range(17))  # every sample, padding repeats only len(seen) - 17 of them
        assert len(seen) - 17 == -(-17 // world) * world - 17


@pytest.mark.parametrize("num_workers", [0, 2])
def test_wds_eval_ranks_read_each_sample_once_without_padding(uneven_shards, monkeypatch, num_workers):
    per_rank = _ids_per_rank(uneven_shards, monkeypatch, 3, False, num_workers)
    assert sorted(i for ids in per_rank for i in ids) == list(range(17))
    assert max(map(len, per_rank)) - min(map(len, per_rank)) <= 1


def test_wds_num_samples_sets_the_epoch_length(uneven_shards, monkeypatch):
    per_rank = _ids_per_rank(uneven_shards, monkeypatch, 2, True, num_samples=40)
    assert [len(ids) for ids in per_rank] == [20, 20]
    assert set(i for ids in per_rank for i in ids) == set(range(17))


def test_wds_skipping_inside_a_shard_reads_no_payload(uneven_shards, monkeypatch):
    from imagemodels.data import reader_wds

    reads = []
    real = tarfile.TarFile.extractfile
    monkeypatch.setattr(tarfile.TarFile, "extractfile", lambda self, m: reads.append(m.name) or real(self, m))
    samples = list(reader_wds._iter_tar_samples(str(uneven_shards / "train-000000.tar"), skip=7))
    assert [s["__key__"] for s in samples] == ["000007", "000008"]
    assert sorted(reads) == ["000007.cls", "000007.png", "000008.cls", "000008.png"]


def test_wds_set_epoch_reaches_persistent_workers(shards):
    ds = imd.create_dataset("wds/toy", root=str(shards), split="train", is_training=True, seed=0, shuffle_size=4)
    loader = imd.create_loader(ds, input_size=(3, 8, 8), batch_size=4, use_prefetcher=False, num_workers=2,
                               crop_pct=1.0, mean=(0, 0, 0), std=(1, 1, 1), persistent_workers=True)
    orders = []
    for epoch in range(3):
        ds.set_epoch(epoch)
        ids = [round(v * 255) // 10 for x, _ in loader for v in x[:, 0, 4, 4].tolist()]
        assert sorted(ids) == list(range(24))
        orders.append(ids)
    assert len({tuple(o) for o in orders}) > 1


def test_wds_shuffle_is_seeded(shards):
    def order(seed):
        ds = imd.create_dataset("wds/toy", root=str(shards), split="train", is_training=True, seed=seed)
        return [int(np.asarray(img)[0, 0, 0]) for img, _ in ds]

    assert order(1) == order(1)
    assert order(1) != order(2)


def test_wds_errors(shards, tmp_path):
    with pytest.raises(FileNotFoundError, match="no webdataset shards"):
        imd.create_dataset("wds/toy", root=str(tmp_path), split="train")
    with pytest.raises(FileNotFoundError, match="shards of .* are missing"):
        imd.create_dataset("wds/toy", root=str(shards), split="train-{000000..000009}.tar")
    with pytest.raises(ValueError, match="has no jpg member"):
        next(iter(imd.create_dataset("wds/toy", root=str(shards), split="train", input_key="jpg")))
    with pytest.raises(ValueError, match="has no lbl target"):
        next(iter(imd.create_dataset("wds/toy", root=str(shards), split="train", target_key="lbl")))
