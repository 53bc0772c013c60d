"""Unit tests for imagemodels.layers: shapes, options, state_dict names, and numerical parity with the
reference library's layers where it is installed."""
import pytest
import torch
from torch import nn

from imagemodels import layers as L

POOL_TYPES = ["avg", "max", "avgmax", "catavgmax", "fast", "fastavg", "fastmax", "fastavgmax", "fastcatavgmax"]


@pytest.fixture
def x():
    torch.manual_seed(0)
    return torch.randn(2, 64, 9, 9)


def reference_layers():
    return pytest.importorskip("timm.layers")


# --- pooling and heads ------------------------------------------------------------------------------

@pytest.mark.parametrize("pool_type", POOL_TYPES)
@pytest.mark.parametrize("flatten", [True, False])
def test_select_adaptive_pool_shapes(x, pool_type, flatten):
    pool = L.SelectAdaptivePool2d(pool_type=pool_type, flatten=flatten)
    mult = 2 if pool_type.endswith("catavgmax") else 1
    assert pool.feat_mult() == mult and not pool.is_identity()
    expected = (2, 64 * mult) if flatten else (2, 64 * mult, 1, 1)
    assert pool(x).shape == expected


def test_select_adaptive_pool_values(x):
    avg, mx = x.mean((2, 3)), x.amax((2, 3))
    for pool_type, want in [("avg", avg), ("max", mx), ("avgmax", 0.5 * (avg + mx)), ("catavgmax", torch.cat((avg, mx), 1))]:
        for prefix in ("", "fast"):
            got = L.SelectAdaptivePool2d(pool_type=prefix + pool_type, flatten=True)(x)
            torch.testing.assert_close(got, want)


def test_empty_pool_type_is_identity(x):
    pool = L.SelectAdaptivePool2d(pool_type="", flatten=False)
    assert pool.is_identity()
    assert pool(x) is x


def test_fast_pool_on_channels_last(x):
    nhwc = x.permute(0, 2, 3, 1)
    for pool_type in ("fastavg", "fastcatavgmax", "avg"):
        got = L.SelectAdaptivePool2d(pool_type=pool_type, flatten=True, input_fmt="NHWC")(nhwc)
        want = L.SelectAdaptivePool2d(pool_type=pool_type, flatten=True)(x)
        torch.testing.assert_close(got, want)


def test_bad_pool_type_says_what_is_valid():
    with pytest.raises(ValueError, match="catavgmax"):
        L.SelectAdaptivePool2d(pool_type="mean")
    with pytest.raises(ValueError, match="output_size must be 1"):
        L.SelectAdaptivePool2d(output_size=2, pool_type="fastavg")


@pytest.mark.parametrize("pool_type", ["avg", "max", "avgmax", "catavgmax"])
def test_functional_pools_match_module(x, pool_type):
    torch.testing.assert_close(L.select_adaptive_pool2d(x, pool_type), L.SelectAdaptivePool2d(pool_type=pool_type)(x))
    if pool_type == "avgmax":
        torch.testing.assert_close(L.adaptive_avgmax_pool2d(x), L.select_adaptive_pool2d(x, "avgmax"))


def test_create_classifier_variants():
    pool, fc = L.create_classifier(64, 10, pool_type="catavgmax")
    assert isinstance(fc, nn.Linear) and fc.in_features == 128  # catavgmax doubles the features
    pool, fc = L.create_classifier(64, 0, pool_type="avg")
    assert isinstance(fc, nn.Identity)
    pool, drop, fc = L.create_classifier(64, 10, drop_rate=0.2)
    assert isinstance(drop, nn.Dropout) and drop.p == 0.2
    pool, fc = L.create_classifier(64, 10, use_conv=True)
    assert isinstance(fc, nn.Conv2d) and pool(torch.randn(2, 64, 3, 3)).shape == (2, 64, 1, 1)


def test_classifier_head(x):
    head = L.ClassifierHead(64, 10, pool_type="avg", drop_rate=0.1).eval()
    assert head(x).shape == (2, 10)
    assert head(x, pre_logits=True).shape == (2, 64)
    head.reset(5, pool_type="catavgmax")
    assert head(x).shape == (2, 5)
    conv_head = L.ClassifierHead(64, 10, use_conv=True).eval()
    assert conv_head(x).shape == (2, 10)
    assert set(conv_head.state_dict()) == {"fc.weight", "fc.bias"}


@pytest.mark.parametrize("pool_type", POOL_TYPES + [""])
def test_pool_parity_with_reference(x, pool_type):
    ref = reference_layers()
    for flatten in (True, False):
        want = ref.SelectAdaptivePool2d(pool_type=pool_type, flatten=flatten)(x)
        got = L.SelectAdaptivePool2d(pool_type=pool_type, flatten=flatten)(x)
        assert got.shape == want.shape
        torch.testing.assert_close(got, want)


# --- drop path / drop block ---------------------------------------------------------------------------

def test_drop_path_eval_is_identity(x):
    layer = L.DropPath(0.5).eval()
    assert layer(x) is x
    assert L.drop_path(x, 0.5, training=False) is x
    assert L.DropPath(0.0).train()(x) is x


def test_drop_path_drops_whole_samples():
    torch.manual_seed(0)
    x = torch.ones(256, 3, 4, 4)
    out = L.DropPath(0.5).train()(x)
    per_sample = out.flatten(1)
    # each sample is either dropped (all 0) or kept and scaled by 1 / keep_prob (all 2)
    assert set(per_sample.unique().tolist()) <= {0.0, 2.0}
    assert torch.all(per_sample.min(1).values == per_sample.max(1).values)
    assert 0.3 < (per_sample[:, 0] == 0).float().mean() < 0.7
    assert "drop_prob=0.500" in repr(L.DropPath(0.5))


def test_drop_block_eval_and_zero_prob_are_identity(x):
    assert L.DropBlock2d(0.3, 3).eval()(x) is x
    assert L.DropBlock2d(0.0, 3).train()(x) is x


def test_drop_block_drops_blocks_and_keeps_scale():
    torch.manual_seed(0)
    x = torch.ones(8, 4, 32, 32)
    out = L.DropBlock2d(0.2, block_size=5).train()(x)
    dropped = out == 0
    frac = dropped.float().mean().item()
    assert 0.05 < frac < 0.4
    # coupled channels: every channel is dropped in the same places
    assert torch.equal(dropped[:, :1].expand_as(dropped), dropped)
    # kept values are rescaled so the mean stays about the same
    assert abs(out.mean().item() - 1.0) < 1e-4
    uncoupled = L.drop_block_2d(x, 0.2, 5, couple_channels=False)
    assert not torch.equal((uncoupled == 0)[:, :1].expand(-1, 4, -1, -1), uncoupled == 0)


def test_drop_block_with_noise_and_odd_sizes():
    torch.manual_seed(0)
    x = torch.ones(2, 3, 7, 5)
    assert L.drop_block_2d(x, 0.3, block_size=4).shape == x.shape  # even block, block larger than a side
    assert L.drop_block_2d(x, 0.3, block_size=3, with_noise=True).shape == x.shape


def test_drop_rejects_bad_probability():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        L.DropPath(1.5)
    with pytest.raises(TypeError, match="unexpected"):
        L.DropBlock2d(0.1, 5, blocksize=3)


# --- attention --------------------------------------------------------------------------------------

def test_se_module_names_and_widths(x):
    se = L.SEModule(256)
    assert list(se.state_dict()) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert se.fc1.out_channels == 16 and isinstance(se.bn, nn.Identity)
    assert L.SEModule(256, rd_ratio=0.25).fc1.out_channels == 64
    assert L.SEModule(64, norm_layer=nn.BatchNorm2d).bn.num_features == 8
    assert L.SqueezeExcite is L.SEModule
    assert L.SEModule(64)(x).shape == x.shape


@pytest.mark.parametrize("channels, kernel", [(64, 3), (256, 5), (512, 5), (2048, 7)])
def test_eca_kernel_size_from_channels(channels, kernel):
    eca = L.EcaModule(channels)
    assert list(eca.state_dict()) == ["conv.weight"]
    assert eca.conv.kernel_size == (kernel,)


def test_eca_and_ceca_shapes(x):
    assert L.EcaModule(64)(x).shape == x.shape
    assert L.CecaModule(64)(x).shape == x.shape
    assert L.EcaModule(64, use_mlp=True)(x).shape == x.shape
    with pytest.raises(ValueError, match="odd"):
        L.EcaModule(kernel_size=4)


def test_create_attn_lookup():
    assert isinstance(L.create_attn("se", 64), L.SEModule)
    assert isinstance(L.create_attn("eca", 64), L.EcaModule)
    assert isinstance(L.create_attn("ceca", 64), L.CecaModule)
    assert isinstance(L.create_attn(True, 64), L.SEModule)
    assert L.create_attn(None, 64) is None and L.get_attn("") is None
    assert L.get_attn(L.EcaModule) is L.EcaModule
    with pytest.raises(ValueError, match="known: .*eca"):
        L.get_attn("cbam_typo")


@pytest.mark.parametrize("name, kwargs", [
    ("SEModule", {}), ("SEModule", dict(rd_ratio=0.25)), ("SEModule", dict(add_maxpool=True)),
    ("EcaModule", {}), ("EcaModule", dict(use_mlp=True)), ("CecaModule", {}), ("EffectiveSEModule", {}),
])
def test_attention_parity_with_reference(x, name, kwargs):
    ref = reference_layers()
    want_layer = getattr(ref, name)(64, **kwargs).eval()
    got_layer = getattr(L, name)(64, **kwargs).eval()
    got_layer.load_state_dict(want_layer.state_dict(), strict=True)
    torch.testing.assert_close(got_layer(x), want_layer(x))


# --- anti-aliasing -----------------------------------------------------------------------------------

def test_blur_pool(x):
    blur = L.BlurPool2d(64)
    assert blur.state_dict() == {}  # the filter is a non-persistent buffer
    assert blur.filt.shape == (64, 1, 3, 3)
    assert blur(x).shape == (2, 64, 5, 5)
    const = torch.full((1, 3, 8, 8), 3.0)
    torch.testing.assert_close(L.BlurPool2d()(const), torch.full((1, 3, 4, 4), 3.0))


def test_blur_pool_parity_with_reference(x):
    ref = reference_layers()
    for kwargs in (dict(channels=64), dict(), dict(channels=64, filt_size=5), dict(pad_mode="constant")):
        torch.testing.assert_close(L.BlurPool2d(**kwargs)(x), ref.BlurPool2d(**kwargs)(x))


def test_create_aa():
    avg = L.create_aa("avg", channels=64, stride=2)
    assert isinstance(avg, nn.AvgPool2d) and avg.kernel_size == 2 and avg.stride == 2
    assert isinstance(L.create_aa(nn.AvgPool2d, channels=64), nn.AvgPool2d)
    assert isinstance(L.create_aa("blur", channels=64), L.BlurPool2d)
    assert isinstance(L.create_aa(L.BlurPool2d, channels=64, enable=False), nn.Identity)
    assert L.create_aa(None, noop=None) is None
    with pytest.raises(ValueError, match="known"):
        L.create_aa("gauss", channels=8)


def test_avg_pool_same_keeps_size():
    y = torch.randn(1, 3, 7, 6)
    assert L.AvgPool2dSame(2, 1, ceil_mode=True, count_include_pad=False)(y).shape == y.shape
    assert L.AvgPool2dSame(3, 2)(y).shape == (1, 3, 4, 3)


# --- lookups and helpers -----------------------------------------------------------------------------

def test_act_layer_lookup():
    assert L.get_act_layer("relu") is nn.ReLU
    assert L.get_act_layer("swish") is nn.SiLU
    assert L.get_act_layer(nn.GELU) is nn.GELU
    assert L.get_act_layer(None) is None
    relu = L.create_act_layer("relu", inplace=True)
    assert isinstance(relu, nn.ReLU) and relu.inplace
    assert isinstance(L.create_act_layer("sigmoid", inplace=True), nn.Sigmoid)  # inplace dropped where unsupported
    assert L.create_act_layer(None) is None
    with pytest.raises(ValueError, match="known: .*relu"):
        L.get_act_layer("rleu")


def test_norm_layers():
    gn = L.GroupNorm(64)
    assert gn.num_groups == 32 and gn.num_channels == 64
    assert L.get_norm_layer("groupnorm") is L.GroupNorm
    assert L.get_norm_layer("batchnorm2d") is nn.BatchNorm2d
    assert L.get_norm_layer(nn.LayerNorm) is nn.LayerNorm
    with pytest.raises(ValueError, match="unknown norm"):
        L.get_norm_layer("fancynorm")


def test_helpers():
    assert L.make_divisible(256 / 16) == 16
    assert L.make_divisible(10, 8) == 16  # rounding down to 8 would lose more than 10%
    assert L.make_divisible(10, 8, round_limit=0.0) == 8
    assert L.to_2tuple(3) == (3, 3) and L.to_2tuple((1, 2)) == (1, 2) and L.to_2tuple("ab") == ("ab", "ab")
    assert L.get_padding(3) == 1 and L.get_padding(7, stride=2) == 3 and L.get_padding(3, dilation=2) == 2
    assert L.get_padding((3, 5)) == [1, 2]
    t = L.trunc_normal_(torch.empty(10000), std=1.0, a=-0.5, b=0.5)
    assert t.min() >= -0.5 and t.max() <= 0.5


def test_layers_never_import_models():
    import subprocess
    import sys

    code = "import sys, imagemodels.layers; sys.exit(int(any(m.startswith('imagemodels.models') for m in sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
