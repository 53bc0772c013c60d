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
