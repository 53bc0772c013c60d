"""utils.fuse_conv_bn: BatchNorm folded into the conv feeding it, outputs kept, the unsafe cases refused."""
import pytest
import torch
from torch import nn

import imagemodels
from imagemodels.layers import StdConv2d
from imagemodels.utils import fuse_conv_bn

import parity


def _count_bn(model: nn.Module) -> int:
    return sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())


@pytest.mark.parametrize("name,size,left", [
    ("resnet18", 64, 0),
    ("mobilenetv3_small_050", 64, 0),
    ("tf_efficientnet_b0", 64, 0),  # "same"-padded convs (Conv2dSame)
    ("densenet121", 64, 62),  # pre-activation: the 62 norms that read a concatenation stay
    ("inception_v3", 75, 0),
])
@torch.no_grad()
def test_folded_model_keeps_outputs(name, size, left):
    model = imagemodels.create_model(name).eval()
    model.load_state_dict(parity.randomise_norm_stats(model.state_dict()))  # stats that matter
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(2, 3, size, size)
    fused = fuse_conv_bn(model, x)
    assert _count_bn(model) > _count_bn(fused) == left
    y, y_fused = model(x), fused(x)
    assert (y_fused - y).abs().max() <= 1e-4 * max(1.0, y.abs().max().item())
    # the original is untouched: same modules, same tensors
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_default_example_is_the_pretrained_input_size():
    model = imagemodels.create_model("resnet10t", in_chans=1).eval()
    fused = fuse_conv_bn(model)  # 1 channel found from the first conv, 224 px from the cfg
    assert _count_bn(fused) == 0


def test_training_mode_is_refused():
    model = imagemodels.create_model("resnet10t")
    with pytest.raises(ValueError, match="eval"):
        fuse_conv_bn(model, torch.randn(1, 3, 64, 64))


class _ConvReadTwice(nn.Module):
    """The conv output feeds the BatchNorm *and* a residual: folding would change the residual."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)

    def forward(self, x):
        y = self.conv(x)
        return self.bn(y) + y


class _NotFoldable(nn.Module):
    def __init__(self):
        super().__init__()
        self.std = StdConv2d(3, 4, 3, padding=1)  # rescales its weight on every call
        self.bn1 = nn.BatchNorm2d(4)
        self.shared = nn.Conv2d(4, 4, 1)  # run twice
        self.bn2 = nn.BatchNorm2d(4)

    def forward(self, x):
        x = self.bn1(self.std(x))
        return self.bn2(self.shared(self.shared(x)))


def _with_stats(model: nn.Module) -> nn.Module:
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            m.weight.data.uniform_(0.5, 2)
            m.bias.data.uniform_(-1, 1)
    return model.eval()


def test_a_conv_output_read_twice_is_caught():
    model = _with_stats(_ConvReadTwice())
    with pytest.raises(RuntimeError, match="more than its BatchNorm"):
        fuse_conv_bn(model, torch.randn(2, 3, 8, 8))


@torch.no_grad()
def test_standardised_and_shared_convs_are_left_alone():
    model = _with_stats(_NotFoldable())
    x = torch.randn(2, 3, 8, 8)
    fused = fuse_conv_bn(model, x)
    assert _count_bn(fused) == 2
    assert torch.equal(fused(x), model(x))
