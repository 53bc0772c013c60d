"""``imagemodels list``: names from the manifest; imports neither torch nor any model family."""
from __future__ import annotations

import sys
from typing import Optional, Sequence

from .main import CommandError

__all__ = ["list_command", "expand_filter"]

_WILDCARDS = set("*?[")


def expand_filter(text: str) -> str:
    """A plain word matches anywhere in a name; a pattern with a wildcard is used as written."""
    return text if _WILDCARDS & set(text) else f"*{text}*"


def list_command(filters: Sequence[str], module: Optional[str] = None, pretrained: bool = False) -> int:
    from ..models import list_models, list_modules

    if module and module not in list_modules():
        known = ", ".join(list_modules()) or "(none yet)"
        raise CommandError(f"no model module named '{module}'; the modules are: {known}")
    patterns = [expand_filter(f) for f in filters]
    names = list_models(patterns, module=module or "", pretrained=pretrained)
    if names:
        print("\n".join(names))
        return 0

    # nothing on stdout, so `imagemodels list x | wc -l` says 0; the why goes to stderr
    if not list_models():
        print("no models are registered yet", file=sys.stderr)
        return 0
    what = " or ".join(repr(p) for p in patterns) or "any name"
    where = f" in module '{module}'" if module else ""
    with_weights = " with pretrained weights" if pretrained else ""
    print(
        f"no model{with_weights}{where} matches {what}; "
        f"try a shorter word, a wildcard such as 'resnet*', or `imagemodels list` for all names",
        file=sys.stderr,
    )
    return 0
