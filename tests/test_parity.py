"""Parity with the reference library for every name both know.

Fast tier (every push): ``parity.fast_names()`` at 64x64. Slow tier (``pytest -m slow``): every
shared name at its default input size.
"""
import pytest

import parity

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.mark.parametrize("name", parity.fast_names())
def test_parity_fast(name):
    parity.check_parity(name, fast=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", parity.shared_names())
def test_parity_full(name):
    parity.check_parity(name, fast=False, batch=1)
