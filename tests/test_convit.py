"""ConViT behaviour: GPSA starts as a soft convolution, the class token joins late."""
import torch

from imagemodels.models.convit import GPSA, ConVit, relative_indices


def test_relative_indices():
    rel = relative_indices(3)
    assert rel.shape == (1, 9, 9, 3)
    # patch 0 is (0, 0), patch 5 is (x=2, y=1): offset (2, 1), squared distance 5
    assert rel[0, 0, 5].tolist() == [2.0, 1.0, 5.0]


def test_local_init_attends_to_neighbours():
    attn = GPSA(dim=16, num_heads=4, locality_strength=10.0)
    attn.local_init()
    with torch.no_grad():
        attn.gating_param.fill_(20.0)  # gate fully positional
        weights = attn.attention(torch.randn(1, 25, 16))
    center = 12  # patch (2, 2) of a 5x5 grid
    targets = sorted(int(weights[0, h, center].argmax()) for h in range(4))
    # a 2x2 neighbourhood: each head looks at a different patch next to the query
    assert len(set(targets)) == 4 and all(abs(t % 5 - 2) <= 1 and abs(t // 5 - 2) <= 1 for t in targets)
    assert torch.allclose(weights.sum(-1), torch.ones(1, 4, 25))


def test_class_token_joins_before_first_plain_block():
    model = ConVit(img_size=32, patch_size=8, embed_dim=16, depth=3, num_heads=4, local_up_to_layer=2,
                   num_classes=3).eval()
    assert [b.use_gpsa for b in model.blocks] == [True, True, False]
    with torch.no_grad():
        feats = model.forward_features(torch.randn(1, 3, 32, 32))
        maps = model.forward_intermediates(torch.randn(1, 3, 32, 32), intermediates_only=True)
    assert feats.shape == (1, 17, 16)
    assert all(m.shape == (1, 16, 4, 4) for m in maps)
