"""Layout census: for every name both libraries register, the model built at its default size (on the
meta device: no memory, no compute) has exactly the reference's state_dict keys and shapes.

The fast parity tier builds small variants at small sizes, so a variant whose default size changes
the layout (a 384 Swin whose last stage must use window 12, not 7) slips past it; this test does not.
"""
from __future__ import annotations

import warnings

import pytest

import imagemodels

pytest.importorskip("timm")
import parity  # noqa: E402  (tests/ is on sys.path via conftest)


@pytest.mark.parametrize("module", imagemodels.list_modules())
def test_default_size_layout(module):
    names = [n for n in imagemodels.list_models(module=module) if n in set(parity.shared_names())]
    problems = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            try:
                parity.check_meta(name)
            except AssertionError as e:
                problems.append(str(e))
    assert not problems, f"{len(problems)} of {len(names)} names differ:\n" + "\n".join(problems[:20])
