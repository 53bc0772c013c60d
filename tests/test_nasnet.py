"""NASNet-A Large / PNASNet-5 Large: TF 'same' padding on any input size, features under ``body``."""
import pytest
import torch

import imagemodels


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nasnetalarge", "pnasnet5large"])
@torch.no_grad()
def test_same_padding_any_size_and_features(name):
    model = imagemodels.create_model(name, num_classes=0).eval()
    # odd sizes: the stride-2 'same' ops pad at run time, so every reduction rounds up (TF behaviour)
    final, maps = model.forward_intermediates(torch.randn(1, 3, 75, 75))
    assert [m.shape[-1] for m in maps] == [37, 19, 10, 5, 3]
    feats = imagemodels.create_model(name, features_only=True, out_indices=(1, 4))
    assert all(k.startswith("body.") for k in feats.state_dict())
    assert [o.shape[1] for o in feats(torch.randn(1, 3, 64, 64))] == feats.feature_info.channels()
