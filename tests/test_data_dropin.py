"""Every name we share with the reference's ``timm.data`` takes every keyword the reference's takes."""
import inspect

import pytest

from imagemodels import data

timm = pytest.importorskip("timm")
import timm.data  # noqa: E402
import timm.data.random_erasing  # noqa: E402


def _ref(name):
    if name == "RandomErasing":
        return timm.data.random_erasing.RandomErasing
    return getattr(timm.data, name)


SHARED = sorted(n for n in data.__all__ if n == "RandomErasing" or hasattr(timm.data, n))


def test_most_reference_names_exist():
    wanted = {"create_transform", "create_loader", "create_dataset", "resolve_data_config", "resolve_model_data_config",
              "ImageDataset", "AugMixDataset", "Mixup", "FastCollateMixup", "RandomErasing", "rand_augment_transform",
              "auto_augment_transform", "IMAGENET_DEFAULT_MEAN", "str_to_interp_mode"}
    assert wanted <= set(SHARED)


@pytest.mark.parametrize("name", SHARED)
def test_keywords_are_accepted(name):
    ours, ref = getattr(data, name), _ref(name)
    if not callable(ref) or not callable(ours):
        assert ours == ref
        return
    try:
        ref_params = inspect.signature(ref).parameters
    except (TypeError, ValueError):
        pytest.skip(f"{name}: no signature")
    ours_params = inspect.signature(ours).parameters
    takes_var_kw = any(p.kind is p.VAR_KEYWORD for p in ours_params.values())
    missing = [k for k, p in ref_params.items()
               if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and k not in ours_params and not takes_var_kw]
    assert not missing, f"{name} lacks the reference's keywords {missing}"
    # positional order of the reference's leading parameters is kept
    ref_pos = [k for k, p in ref_params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    ours_pos = [k for k, p in ours_params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert ours_pos[:len(ref_pos)] == ref_pos or takes_var_kw, f"{name}: {ours_pos} vs {ref_pos}"
