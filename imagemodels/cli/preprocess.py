"""Opening the image the demo classifies, with an error that names the file when it cannot.

The transform itself comes from ``imagemodels.data`` (``create_transform`` with the model's own
data config), the same one training and validation use.
"""
from __future__ import annotations

from pathlib import Path
from typing import Union

__all__ = ["ImageError", "load_image"]


class ImageError(ValueError):
    """An image path that does not exist or does not hold a readable image."""


def load_image(path: Union[str, Path]):
    """Open ``path`` as an RGB ``PIL.Image``, with an error that names the file when it cannot."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.exists():
        raise ImageError(f"image not found: {path}")
    if path.is_dir():
        raise ImageError(f"expected an image file, got a folder: {path}")
    try:
        with Image.open(path) as img:
            return img.convert("RGB")
    except (UnidentifiedImageError, OSError) as err:
        raise ImageError(f"cannot read {path} as an image ({err})") from None
