"""Family-specific behaviour of senet, rexnet, vovnet, dla, selecsls, tresnet and hrnet: the options the
parity harness does not exercise (output_stride, features_only modes, checkpoint layouts)."""
import pytest
import torch

import imagemodels

timm = pytest.importorskip("timm")


def _load_ref(ours, ref):
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours.eval(), ref.eval()


@pytest.mark.parametrize("output_stride", [8, 16])
def test_rexnet_output_stride_matches_reference(output_stride):
    ours, ref = _load_ref(imagemodels.create_model("rexnetr_100", output_stride=output_stride),
                          timm.create_model("rexnetr_100", output_stride=output_stride))
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=1e-5)
    assert max(ours.feature_info[i]["reduction"] for i in range(len(ours.feature_info))) == output_stride


def test_senet_basic_block_gates_after_relu():
    # the SE-ResNet-18/34 release applies a ReLU before the SE gate; the bottlenecks do not
    model = imagemodels.create_model("legacy_seresnet18").eval()
    block = model.layer1[0]
    x = torch.randn(1, 64, 8, 8)
    with torch.no_grad():
        y = block.relu(block.bn2(block.conv2(block.relu(block.bn1(block.conv1(x))))))
        expected = torch.relu(block.se_module(y) + x)
        torch.testing.assert_close(block(x), expected)
