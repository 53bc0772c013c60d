"""Old import path kept for code written against older timm (``timm.models.layers``).

Everything here moved to ``imagemodels.layers``; importing this module still works, with a warning.
"""
import warnings

from imagemodels.layers import *  # noqa: F401,F403

warnings.warn(f"{__name__} is an old import path; import from imagemodels.layers instead",
              FutureWarning, stacklevel=2)
