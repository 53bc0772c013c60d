"""Rules of the house that a grep can check: the package never imports the reference library,
every torch.load is weights_only, and user input is never rejected with a bare assert."""
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "imagemodels"
SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_source_rules(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import timm|from timm\b)", text, re.M), "the package must not import the reference"
    for call in re.findall(r"torch\.load\([^)]*\)", text):
        assert "weights_only=True" in call, f"torch.load without weights_only=True: {call}"
    assert not re.search(r"^\s*assert\s", text, re.M), "reject bad input with an error that says what to do, not assert"


def test_layers_never_import_models():
    for path in (PACKAGE / "layers").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from\s+(imagemodels\.models|\.\.models)|import\s+imagemodels\.models)", text, re.M), path
