"""One way to show progress: a tqdm bar when a person watches stderr, plain log lines otherwise.

A bar in a log file is a wall of carriage returns; a log line per ``log_interval`` steps in a
terminal is noise. ``progress=None`` picks by ``sys.stderr.isatty()``.
"""
from __future__ import annotations

import logging
import sys
from typing import Iterable, Optional

__all__ = ["use_bar", "iterate"]


def use_bar(progress: Optional[bool]) -> bool:
    """``progress`` as given, or whether stderr is a terminal when it is None."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def iterate(items: Iterable, *, total: Optional[int], desc: str, progress: Optional[bool]):
    """``items`` wrapped in a tqdm bar when :func:`use_bar` says so, else returned as they are."""
    if not use_bar(progress):
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, file=sys.stderr, leave=False, dynamic_ncols=True)


def log_step(logger: logging.Logger, bar, message: str) -> None:
    """Show ``message`` on the bar when there is one, else as a log line."""
    if bar is not None and hasattr(bar, "set_postfix_str"):
        bar.set_postfix_str(message, refresh=False)
    else:
        logger.info(message)
