"""Readers: where the samples of a dataset are, and their class index.

A reader maps an index to ``(file object or path, target)`` and knows each sample's file name;
decoding is left to :class:`~imagemodels.data.dataset.ImageDataset`.

- :class:`ReaderImageFolder`: one sub-folder per class, nested folders allowed (the class is the
  leaf folder's name);
- :class:`ReaderImageInTar`: one tar holding class folders, or a folder of tars (one tar per class).
"""
from __future__ import annotations

import io
import os
import re
import tarfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

__all__ = [
    "IMG_EXTENSIONS", "natural_key", "load_class_map", "find_images_and_targets",
    "Reader", "ReaderImageFolder", "ReaderImageInTar", "create_reader",
    "get_img_extensions", "set_img_extensions", "add_img_extensions", "del_img_extensions", "is_img_extension",
]

# The one extension set every reader here consults; the functions below replace it (never mutate it) so a
# caller holding an old ``IMG_EXTENSIONS`` tuple keeps a consistent snapshot.
IMG_EXTENSIONS: Tuple[str, ...] = (".png", ".jpg", ".jpeg")
_IMG_EXTENSIONS_SET = frozenset(IMG_EXTENSIONS)


def _checked_extensions(ext: Union[str, Sequence[str]]) -> Tuple[str, ...]:
    """One extension or a sequence of them, each checked to look like '.jpg' (a dot, then at least one character)."""
    exts = (ext,) if isinstance(ext, str) else tuple(ext)
    for x in exts:
        if not isinstance(x, str) or len(x) < 2 or not x.startswith("."):
            raise ValueError(f"an image extension is a string starting with a dot, like '.webp'; got {x!r}")
    return exts


def _replace_extensions(exts: Sequence[str]) -> None:
    global IMG_EXTENSIONS, _IMG_EXTENSIONS_SET
    IMG_EXTENSIONS = tuple(dict.fromkeys(exts))  # drop repeats, keep order
    _IMG_EXTENSIONS_SET = frozenset(IMG_EXTENSIONS)


def get_img_extensions(as_set: bool = False) -> Union[Tuple[str, ...], set]:
    """The extensions the folder and tar readers treat as images (a tuple, or a new set with ``as_set``)."""
    return set(_IMG_EXTENSIONS_SET) if as_set else IMG_EXTENSIONS


def set_img_extensions(extensions: Union[str, Sequence[str]]) -> None:
    """Replace the whole image extension set, e.g. ``('.png', '.webp')``."""
    _replace_extensions(_checked_extensions(extensions))


def add_img_extensions(ext: Union[str, Sequence[str]]) -> None:
    """Also read files with ``ext`` (one extension or several) as images."""
    _replace_extensions(IMG_EXTENSIONS + _checked_extensions(ext))


def del_img_extensions(ext: Union[str, Sequence[str]]) -> None:
    """Stop reading files with ``ext`` as images; extensions not in the set are ignored."""
    drop = set(_checked_extensions(ext))
    _replace_extensions([x for x in IMG_EXTENSIONS if x not in drop])


def is_img_extension(ext: str) -> bool:
    """Whether ``ext`` (with its dot, case as given) is in the image extension set."""
    return ext in _IMG_EXTENSIONS_SET


def _has_img_extension(name: str) -> bool:
    """Readers match extensions case-insensitively, so 'A.JPG' is read when '.jpg' is in the set."""
    return os.path.splitext(name)[1].lower() in {x.lower() for x in _IMG_EXTENSIONS_SET}


def natural_key(text: str) -> list:
    """Sort key putting 'class2' before 'class10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]


def load_class_map(map_or_filename: Union[str, os.PathLike, Dict[str, int]], root: Union[str, os.PathLike] = "") -> Dict[str, int]:
    """A ``{class name: index}`` dict, or a ``.txt`` file with one class name per line (index = line number).

    A relative file name is looked up as given, then under ``root``.
    """
    if isinstance(map_or_filename, dict):
        if not map_or_filename:
            raise ValueError("class_map is an empty dict; give at least one class name -> index")
        return map_or_filename
    path = Path(map_or_filename)
    if not path.exists() and root:
        path = Path(root) / path
    if not path.is_file():
        raise FileNotFoundError(f"class map file not found: {map_or_filename} (also looked under {root or '.'})")
    if path.suffix.lower() != ".txt":
        # pickled maps are not read: unpickling a file can run code
        raise ValueError(f"class map file must be a .txt with one class name per line, got {path.name}")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    names = [n for n in names if n]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"class map {path} lists a class more than once: {dupes}")
    return {name: index for index, name in enumerate(names)}


def _index_classes(labels, class_to_idx: Optional[Dict[str, int]]) -> Dict[str, int]:
    if class_to_idx is not None:
        return class_to_idx
    return {label: index for index, label in enumerate(sorted(set(labels), key=natural_key))}


def find_images_and_targets(
    folder: Union[str, os.PathLike],
    types: Optional[Sequence[str]] = None,
    class_to_idx: Optional[Dict[str, int]] = None,
    leaf_name_only: bool = True,
    sort: bool = True,
) -> Tuple[List[Tuple[str, int]], Dict[str, int]]:
    """Walk ``folder`` for images; each image's class is its folder's name (or its relative path, '_'-joined).

    Images whose class is not in a given ``class_to_idx`` are left out.
    """
    types = {t.lower() for t in (types or get_img_extensions())}
    folder = os.fspath(folder)
    files, labels = [], []
    for dirpath, _, filenames in os.walk(folder, followlinks=True):
        rel = os.path.relpath(dirpath, folder) if dirpath != folder else ""
        label = os.path.basename(rel) if leaf_name_only else rel.replace(os.path.sep, "_")
        for name in filenames:
            if os.path.splitext(name)[1].lower() in types:
                files.append(os.path.join(dirpath, name))
                labels.append(label)
    class_to_idx = _index_classes(labels, class_to_idx)
    samples = [(f, class_to_idx[label]) for f, label in zip(files, labels) if label in class_to_idx]
    if sort:
        samples.sort(key=lambda s: natural_key(s[0]))
    return samples, class_to_idx


class Reader:
    samples: List[Tuple[str, int]]
    class_to_idx: Dict[str, int]

    def __len__(self) -> int:
        return len(self.samples)

    def _filename(self, index: int) -> str:
        return self.samples[index][0]

    def filename(self, index: int, basename: bool = False, absolute: bool = False) -> str:
        name = self._filename(index)
        if basename:
            return os.path.basename(name)
        if absolute:
            return os.path.abspath(name)
        return name

    def filenames(self, basename: bool = False, absolute: bool = False) -> List[str]:
        return [self.filename(i, basename, absolute) for i in range(len(self))]


class ReaderImageFolder(Reader):
    def __init__(self, root, class_map: Union[str, Dict[str, int], None] = "", input_key=None, **kwargs):
        self.root = os.fspath(root)
        class_to_idx = load_class_map(class_map, root) if class_map else None
        self.samples, self.class_to_idx = find_images_and_targets(self.root, class_to_idx=class_to_idx)
        if not self.samples:
            raise FileNotFoundError(
                f"no images found under {self.root} (looked for {', '.join(IMG_EXTENSIONS)} files, one sub-folder per class"
                + (", of the classes in class_map)" if class_to_idx else ")")
            )

    def __getitem__(self, index):
        path, target = self.samples[index]
        return open(path, "rb"), target

    def _filename(self, index):
        return os.path.relpath(self.samples[index][0], self.root)


class ReaderImageInTar(Reader):
    """Images inside tar files: ``root`` is one ``.tar`` (classes = folders inside it) or a folder of tars (class = tar name)."""

    def __init__(self, root, class_map: Union[str, Dict[str, int], None] = "", **kwargs):
        self.root = os.fspath(root)
        class_to_idx = load_class_map(class_map, os.path.dirname(self.root) if os.path.isfile(self.root) else self.root) if class_map else None
        if os.path.isfile(self.root):
            tars = [self.root]
        else:
            tars = sorted((os.path.join(self.root, f) for f in os.listdir(self.root) if f.endswith(".tar")), key=natural_key)
            if not tars:
                raise FileNotFoundError(f"no .tar files found in {self.root}")
        files, labels = [], []  # files: (tar path, member name)
        for tar_path in tars:
            tar_class = os.path.splitext(os.path.basename(tar_path))[0] if len(tars) > 1 or not os.path.isfile(self.root) else None
            with tarfile.open(tar_path) as tf:
                for member in tf.getmembers():
                    if member.isfile() and _has_img_extension(member.name):
                        files.append((tar_path, member.name))
                        labels.append(tar_class if tar_class is not None else os.path.basename(os.path.dirname(member.name)))
        self.class_to_idx = _index_classes(labels, class_to_idx)
        members = sorted(
            ((f, self.class_to_idx[label]) for f, label in zip(files, labels) if label in self.class_to_idx),
            key=lambda s: natural_key(f"{s[0][0]}/{s[0][1]}"),
        )
        if not members:
            raise FileNotFoundError(f"no images found under {self.root} (looked inside its tar files for {', '.join(IMG_EXTENSIONS)})")
        self._members = members
        self.samples = [(f"{os.path.basename(tar)}/{name}", target) for (tar, name), target in members]
        self._open: Dict[str, tarfile.TarFile] = {}  # per process: tar handles are opened lazily in each worker

    def __getitem__(self, index):
        (tar_path, name), target = self._members[index]
        tf = self._open.get(tar_path)
        if tf is None:
            tf = self._open[tar_path] = tarfile.open(tar_path)
        return io.BytesIO(tf.extractfile(name).read()), target

    def __getstate__(self):
        # open tar handles do not pickle (DataLoader workers); each worker reopens its own
        state = dict(self.__dict__)
        state["_open"] = {}
        return state


def create_reader(name: str, root, split: str = "train", **kwargs) -> Reader:
    """A reader by name: '' / 'folder' / 'imagefolder' -> folder or tar (from ``root``), 'tar' -> tar."""
    name = (name or "").lower()
    if "/" in name:
        prefix = name.split("/", 1)[0]
        raise NotImplementedError(f"dataset source '{prefix}/' is not supported by imagemodels yet; use an image folder or tar")
    if name not in ("", "folder", "imagefolder", "image_folder", "tar"):
        raise ValueError(f"unknown reader {name!r}; use '' (image folder or tar, by root), 'folder' or 'tar'")
    root = os.fspath(root)
    if not os.path.exists(root):
        raise FileNotFoundError(f"dataset root does not exist: {root}")
    if name == "tar" or (os.path.isfile(root) and root.endswith(".tar")):
        return ReaderImageInTar(root, **kwargs)
    if os.path.isdir(root) and any(f.endswith(".tar") for f in os.listdir(root)) and not any(
        os.path.isdir(os.path.join(root, f)) for f in os.listdir(root)
    ):
        return ReaderImageInTar(root, **kwargs)
    return ReaderImageFolder(root, **kwargs)
