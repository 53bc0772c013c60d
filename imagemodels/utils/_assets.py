"""Files shipped inside the package (see ``imagemodels/assets/README.md`` for their sources)."""
from __future__ import annotations

from pathlib import Path

_ASSETS = Path(__file__).resolve().parent.parent / "assets"


def sample_image_path() -> Path:
    """The bundled photo (Chelsea the cat, CC0, from scikit-image) used by ``imagemodels demo``."""
    path = _ASSETS / "chelsea.jpg"
    if not path.is_file():
        raise FileNotFoundError(f"the bundled sample image is missing at {path}; reinstall imagemodels")
    return path
