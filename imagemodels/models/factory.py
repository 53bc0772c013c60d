"""Old import path kept for code written against older timm (``timm.models.factory``).

Everything here moved to ``imagemodels.models``; importing this module still works, with a warning.
"""
import warnings

from ._factory import *  # noqa: F401,F403

warnings.warn(f"{__name__} is an old import path; import from imagemodels.models instead",
              FutureWarning, stacklevel=2)
