"""``imagemodels train`` / ``python -m imagemodels.train``: flags (and a YAML recipe) -> ``engine.train.run``."""
from __future__ import annotations

import logging
from typing import List, Optional

__all__ = ["train_command"]


def train_command(argv: Optional[List[str]] = None, prog: str = "imagemodels train") -> int:
    """Parse, train, and turn input errors into :class:`CommandError` (one line, exit 2; a diverged run exits 1)."""
    from ..engine.config import ConfigError, parse_train_args
    from .main import CommandError

    try:
        args = parse_train_args(argv, prog=prog)
    except ConfigError as err:
        raise CommandError(str(err)) from None
    from ..utils.misc import setup_default_logging

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    setup_default_logging()
    from ..engine.setup import TrainError
    from ..engine.train import TrainingDiverged, run
    from ..models import UnknownModelError
    from ..models._helpers import CheckpointMismatchError

    try:
        result = run(args)
    except (TrainError, ConfigError, UnknownModelError, CheckpointMismatchError) as err:
        raise CommandError(" ".join(str(err).split("\n"))) from None
    except TrainingDiverged as err:
        raise CommandError(str(err), exit_code=1) from None
    finally:  # called in-process (tests, notebooks): leave logging as we found it
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(level)
    return 0 if result else 1
