"""The embedded default dataset: scikit-learn's handwritten digits as an image folder.

1,797 grayscale 8x8 images of the digits 0-9 (the UCI optical-recognition test set that ships inside
scikit-learn, so no download) written as 32x32 PNGs to ``<root>/train/<digit>/`` and
``<root>/val/<digit>/``. The split is fixed: every fifth sample (index % 5 == 0) is validation, which
gives 1,437 train / 360 val images with every class in both.

``python -m imagemodels.data.digits [ROOT]`` writes it and prints the folder.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Optional, Union

__all__ = ["DIGITS_IMAGE_SIZE", "default_digits_root", "materialize_digits"]

DIGITS_IMAGE_SIZE = 32
_VAL_EVERY = 5
_MARKER = ".imagemodels-digits-v1"  # written last: a folder without it is incomplete and is rebuilt


def default_digits_root() -> Path:
    """``$IMAGEMODELS_DATA_DIR/digits`` if set, else ``$XDG_CACHE_HOME`` (or ``~/.cache``) ``/imagemodels/digits``."""
    if os.environ.get("IMAGEMODELS_DATA_DIR"):
        return Path(os.environ["IMAGEMODELS_DATA_DIR"]) / "digits"
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "imagemodels" / "digits"


def materialize_digits(root: Optional[Union[str, os.PathLike]] = None) -> Path:
    """Write the digits image folder to ``root`` (default :func:`default_digits_root`) unless it is there; return ``root``."""
    root = Path(root) if root is not None else default_digits_root()
    if (root / _MARKER).is_file():
        return root
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("the 'digits' dataset needs scikit-learn: pip install 'imagemodels[digits]'") from None
    import numpy as np
    from PIL import Image

    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} exists and is not a digits folder written by imagemodels; give an empty or new root")
    digits = load_digits()
    root.parent.mkdir(parents=True, exist_ok=True)
    # write beside the target and rename, so a crash or a concurrent writer never leaves half a dataset
    tmp = Path(tempfile.mkdtemp(prefix=".digits-", dir=root.parent))
    try:
        for index, (pixels, label) in enumerate(zip(digits.images, digits.target)):
            split = "val" if index % _VAL_EVERY == 0 else "train"
            folder = tmp / split / str(int(label))
            folder.mkdir(parents=True, exist_ok=True)
            # values are 0..16 ink counts; scale to 0..255 and upscale smoothly
            img = Image.fromarray(np.round(pixels * (255.0 / 16.0)).astype(np.uint8), mode="L")
            img = img.resize((DIGITS_IMAGE_SIZE, DIGITS_IMAGE_SIZE), Image.BILINEAR)
            img.save(folder / f"{index:04d}.png")
        (tmp / _MARKER).write_text("scikit-learn load_digits; val = index % 5 == 0\n")
        if root.exists():
            root.rmdir()  # empty (checked above)
        os.replace(tmp, root)
    except FileExistsError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process finished first
        if not (root / _MARKER).is_file():
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root


if __name__ == "__main__":
    print(materialize_digits(sys.argv[1] if len(sys.argv) > 1 else None))
