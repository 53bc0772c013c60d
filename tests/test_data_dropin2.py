"""Data names of the reference beyond the first batch: image extension set, dataset info, ReaL labels,
input config resolution and pad / crop transforms."""
import io
import json
import tarfile

import pytest
import torch

import imagemodels.data as imd

timm_data = pytest.importorskip("timm.data")


@pytest.fixture
def restore_extensions():
    """The extension set is process-wide state: put both libraries' sets back after a test changes them."""
    ours, theirs = imd.get_img_extensions(), timm_data.get_img_extensions()
    yield
    imd.set_img_extensions(ours)
    timm_data.set_img_extensions(theirs)


def test_img_extension_functions_follow_the_reference(restore_extensions):
    assert imd.get_img_extensions() == timm_data.get_img_extensions()
    assert imd.get_img_extensions(as_set=True) == timm_data.get_img_extensions(as_set=True)
    steps = [("add", ".webp"), ("add", [".bmp", ".GIF"]), ("del", ".webp"), ("del", ".not-there"),
             ("set", (".a", ".b")), ("add", ".a.b")]
    for op, arg in steps:
        getattr(imd, f"{op}_img_extensions")(arg)
        getattr(timm_data, f"{op}_img_extensions")(arg)
        assert imd.get_img_extensions() == timm_data.get_img_extensions(), (op, arg)
    for ext in (".a", ".A", "a", ".a.b", ".png"):
        assert imd.is_img_extension(ext) == timm_data.is_img_extension(ext), ext
    assert imd.IMG_EXTENSIONS == imd.get_img_extensions()


@pytest.mark.parametrize("bad", ["webp", ".", "", [".ok", "bad"]])
def test_bad_extension_is_a_clear_error(bad, restore_extensions):
    before = imd.get_img_extensions()
    with pytest.raises(ValueError, match="starting with a dot"):
        imd.add_img_extensions(bad)
    assert imd.get_img_extensions() == before


def _write_tree(root):
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        (root / cls / "a.png").write_bytes(b"png")
        (root / cls / "b.WEBP").write_bytes(b"webp")
        (root / cls / "c.txt").write_bytes(b"text")


def test_folder_and_tar_readers_read_the_current_set(tmp_path, restore_extensions):
    _write_tree(tmp_path / "tree")
    reader = imd.create_reader("", str(tmp_path / "tree"))
    assert sorted(reader.filenames(basename=True)) == ["a.png", "a.png"]
    imd.add_img_extensions(".webp")
    reader = imd.create_reader("", str(tmp_path / "tree"))
    assert sorted(reader.filenames(basename=True)) == ["a.png", "a.png", "b.WEBP", "b.WEBP"]

    tar_path = tmp_path / "images.tar"
    with tarfile.open(tar_path, "w") as tf:
        for cls in ("cat", "dog"):
            for name in ("a.png", "b.webp", "c.txt"):
                info = tarfile.TarInfo(f"{cls}/{name}")
                info.size = 3
                tf.addfile(info, io.BytesIO(b"xyz"))
    tar_reader = imd.ReaderImageInTar(str(tar_path))
    assert len(tar_reader) == 4
    imd.set_img_extensions([".txt"])
    assert sorted(imd.ReaderImageInTar(str(tar_path)).filenames(basename=True)) == ["c.txt", "c.txt"]


# ---------------------------------------------------------------- ReaL labels


def _val_name(i: int) -> str:
    return f"ILSVRC2012_val_{i + 1:08d}.JPEG"


def test_real_labels_match_the_reference(tmp_path):
    real_json = tmp_path / "real.json"
    labels = [[1, 3], [], [0], [2, 4], [4]]
    real_json.write_text(json.dumps(labels))
    files = [f"cls/{_val_name(i)}" for i in range(len(labels))]
    g = torch.Generator().manual_seed(0)
    outputs = torch.randn(len(labels), 5, generator=g)
    ours = imd.RealLabelsImagenet(files, real_json=str(real_json), topk=(1, 2))
    theirs = timm_data.RealLabelsImagenet(files, real_json=str(real_json), topk=(1, 2))
    for batch in (outputs[:2], outputs[2:]):
        ours.add_result(batch)
        theirs.add_result(batch)
    assert ours.get_accuracy() == pytest.approx(theirs.get_accuracy())
    assert ours.get_accuracy(2) == pytest.approx(theirs.get_accuracy(2))
    assert ours.is_correct == theirs.is_correct


def test_real_labels_bad_input(tmp_path):
    real_json = tmp_path / "real.json"
    real_json.write_text(json.dumps([[0], [1]]))
    with pytest.raises(ValueError, match="whole ImageNet validation set"):
        imd.RealLabelsImagenet([_val_name(0)], real_json=str(real_json))
    with pytest.raises(FileNotFoundError, match="reassessed-imagenet"):
        imd.RealLabelsImagenet([_val_name(0)], real_json=str(tmp_path / "missing.json"))


def test_validate_real_labels_flag(capsys, tmp_path):
    """`imagemodels validate --real-labels` scores top-1/5 against real.json instead of the folder labels."""
    import numpy as np
    from PIL import Image
    from tools_helpers import biased_model, cli, save_training_checkpoint

    # the biased model always ranks 3, 7, 1, 0, 9 first, whatever the image; the empty entry is left out
    labels = [[3], [7], [3, 5], [], [9], [2]]
    for i in range(len(labels)):
        folder = tmp_path / "val" / ("a" if i % 2 else "b")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((8, 8, 3), 10 * i, dtype=np.uint8)).save(folder / _val_name(i), format="JPEG")
    real_json = tmp_path / "real.json"
    real_json.write_text(json.dumps(labels))
    checkpoint = save_training_checkpoint(tmp_path / "model.pth.tar", biased_model())
    results = tmp_path / "r.json"
    rc, _, err = cli(capsys, "validate", tmp_path / "val", "--checkpoint", checkpoint, "--img-size", 32,
                     "-b", 4, "-j", 0, "--real-labels", real_json, "--results-file", results, "--no-progress")
    assert rc == 0, err
    (row,) = json.loads(results.read_text())
    assert row["top1"] == pytest.approx(40.0)  # 3 is a label of 2 of the 5 scored images
    assert row["top5"] == pytest.approx(80.0)  # one of 3, 7, 1, 0, 9 is a label of 4 of 5

    rc, _, err = cli(capsys, "validate", tmp_path / "val", "--checkpoint", checkpoint, "--img-size", 32,
                     "-j", 0, "--real-labels", tmp_path / "nope.json", "--no-progress")
    assert rc != 0 and "nope.json" in err


# ---------------------------------------------------------------- pad / crop transforms


@pytest.mark.parametrize("window", [(1, 1, 2, 3), (-1, -2, 6, 9), (2, 3, 4, 5), (0, 0, 4, 6)])
@pytest.mark.parametrize("padding_mode", ["constant", "reflect"])
def test_crop_or_pad(window, padding_mode):
    img = torch.arange(2 * 4 * 6, dtype=torch.float32).reshape(2, 4, 6)
    torch.testing.assert_close(imd.crop_or_pad(img, *window, fill=7, padding_mode=padding_mode),
                               timm_data.crop_or_pad(img, *window, fill=7, padding_mode=padding_mode))


@pytest.mark.parametrize("seed", range(4))
def test_random_pad_and_random_crop_or_pad_same_draws(seed):
    import random

    from PIL import Image

    img = torch.arange(2 * 4 * 6, dtype=torch.float32).reshape(2, 4, 6)
    for ours, theirs in [(imd.RandomPad((6, 9), fill=5), timm_data.RandomPad((6, 9), fill=5)),
                         (imd.RandomCropOrPad((3, 8), fill=1), timm_data.RandomCropOrPad((3, 8), fill=1))]:
        random.seed(seed)
        torch.manual_seed(seed)
        a = ours(img)
        random.seed(seed)
        torch.manual_seed(seed)
        torch.testing.assert_close(a, theirs(img))
    pil = Image.new("RGB", (6, 4))
    random.seed(seed)
    a = imd.RandomPad.get_params(pil, (6, 9))
    random.seed(seed)
    assert a == timm_data.RandomPad.get_params(pil, (6, 9))
    assert imd.RandomPad((6, 9))(pil).size == (9, 6)
    assert imd.RandomPad.get_params(img, (2, 3)) == (0, 0, 0, 0)  # larger images are left as they are


@pytest.mark.parametrize("size", [(3, 8), (6, 4), (2, 2), (4, 6)])
def test_random_crop_or_pad_params(size):
    import random

    img = torch.zeros(1, 4, 6)
    for seed in range(6):
        random.seed(seed)
        a = imd.RandomCropOrPad.get_params(img, size)
        random.seed(seed)
        assert a == timm_data.RandomCropOrPad.get_params(img, size)


# ---------------------------------------------------------------- dataset info


@pytest.mark.parametrize("cfg", [{"num_classes": n} for n in (1000, 1001, 11821, 21841, 21842, 21843, 11221, 10, 0)]
                         + [{}, {"num_classes": 1000, "label_offset": 1}], ids=str)
def test_infer_imagenet_subset_from_cfg(cfg):
    assert imd.infer_imagenet_subset(cfg) == timm_data.infer_imagenet_subset(cfg)


@pytest.mark.parametrize("num_classes", [None, 10, 0])
def test_infer_imagenet_subset_from_model(num_classes):
    import timm

    import imagemodels

    kwargs = {} if num_classes is None else {"num_classes": num_classes}
    assert imd.infer_imagenet_subset(imagemodels.create_model("resnet18", **kwargs)) == \
        timm_data.infer_imagenet_subset(timm.create_model("resnet18", **kwargs))


def _outcome(fn):
    try:
        return fn()
    except (KeyError, IndexError, AssertionError):
        return "missing"  # the reference asserts where we raise IndexError with a message


@pytest.mark.parametrize("args", [(["a", "b"], None), ({0: "a", 2: "c"}, {"a": "Alpha", "c": "Gamma"}),
                                  ({"0": "a", "3": "d"}, None), (("a", "b"), {"a": "A", "b": "B", "z": "Z"})], ids=str)
def test_custom_dataset_info(args):
    ours, theirs = imd.CustomDatasetInfo(*args), timm_data.CustomDatasetInfo(*args)
    assert isinstance(ours, imd.DatasetInfo)
    for method in ("num_classes", "label_names", "label_indices", "label_descriptions"):
        assert getattr(ours, method)() == getattr(theirs, method)(), method
    for index in range(-1, 5):
        for method in ("has_label", "index_to_label_name", "index_to_description"):
            assert _outcome(lambda: getattr(ours, method)(index)) == _outcome(lambda: getattr(theirs, method)(index))
    for label in ("a", "c", "zz"):
        assert _outcome(lambda: ours.label_name_to_description(label)) == \
            _outcome(lambda: theirs.label_name_to_description(label))


@pytest.mark.parametrize("args", [([],), ("ab",), ({"x": "a"},), ({-1: "a"},), ({0: "a", 2: "c"}, {"a": "A"})], ids=str)
def test_custom_dataset_info_rejects(args):
    with pytest.raises(ValueError):
        timm_data.CustomDatasetInfo(*args)
    with pytest.raises(ValueError):
        imd.CustomDatasetInfo(*args)
    with pytest.raises(TypeError):
        imd.DatasetInfo()


# ---------------------------------------------------------------- resolve_input_data_config


@pytest.mark.parametrize("name,model_kwargs", [("resnet18", {}), ("resnet18", {"in_chans": 1}),
                                               ("vit_tiny_patch16_224", {}),
                                               ("vit_tiny_patch16_224", {"dynamic_img_size": True})], ids=str)
@pytest.mark.parametrize("args", [None, {"img_size": 160}, {"input_size": (3, 256, 256)}, {"in_chans": 1},
                                  {"crop_pct": 0.9, "interpolation": "bilinear"}], ids=str)
def test_resolve_input_data_config(name, model_kwargs, args):
    import timm

    import imagemodels

    ref_model, model = timm.create_model(name, **model_kwargs), imagemodels.create_model(name, **model_kwargs)
    for use_test_size in (False, True):
        try:
            expected = timm_data.resolve_input_data_config(ref_model, args=args, use_test_size=use_test_size)
        except ValueError:
            with pytest.raises(ValueError):
                imd.resolve_input_data_config(model, args=args, use_test_size=use_test_size)
            continue
        assert imd.resolve_input_data_config(model, args=args, use_test_size=use_test_size) == expected
