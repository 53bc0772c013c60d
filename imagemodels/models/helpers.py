"""Old import path kept for code written against older timm (``timm.models.helpers``).

Everything here moved to ``imagemodels.models``; importing this module still works, with a warning.
"""
import warnings

from ._builder import *  # noqa: F401,F403
from ._helpers import *  # noqa: F401,F403
from ._manipulate import *  # noqa: F401,F403

warnings.warn(f"{__name__} is an old import path; import from imagemodels.models instead",
              FutureWarning, stacklevel=2)
