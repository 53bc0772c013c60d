"""Swin V2 / V2-cr checks the generic parity and contract tests do not cover.

The V2 blocks start with zero post-norm gains, so a freshly built model's attention and MLP
branches add nothing: the generic parity test passes without exercising them. Every comparison
here first gives the norms (and biases, logit scales) random values.

Covered: checkpoints loaded at another window / image size (the continuous position bias needs no
resampling, only its buffers change), pretrained window sizes, the extra norms of the cr variants,
any-size inputs, set_input_size, and the original releases' checkpoint layouts.
"""
import math

import pytest
import torch

import imagemodels
from imagemodels.models.swin_transformer_v2 import checkpoint_filter_fn, log_relative_coords
from imagemodels.models.swin_transformer_v2_cr import checkpoint_filter_fn as cr_checkpoint_filter_fn

# small widths keep every test fast; both libraries get the same arguments
SMALL = dict(embed_dim=32, depths=(2, 2, 2, 2), num_heads=(1, 2, 4, 8))


def reference():
    return pytest.importorskip("timm")


def randomised(state_dict, seed=0):
    """Norm gains around 1, norm/attention biases and logit scales moved off their init values."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for key, value in state_dict.items():
        noise = torch.randn(value.shape, generator=gen) if value.is_floating_point() else None
        if noise is not None and "norm" in key:
            out[key] = 1.0 + 0.5 * noise if key.endswith("weight") else 0.5 * noise
        elif noise is not None and (key.endswith("bias") or "logit_scale" in key):
            out[key] = value + 0.2 * noise
        else:
            out[key] = value
    return out


def both(name, **kwargs):
    timm = reference()
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()
    state = randomised(ref.state_dict())
    ref.load_state_dict(state)
    ours.load_state_dict(state, strict=True)
    return ours, ref


def assert_same(ours, ref, x):
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize("name", [
    "swinv2_tiny_window8_256",
    "swinv2_tiny_window16_256",  # the last stage's map (8) is smaller than the window: clipped, unshifted
    "swinv2_base_window12to16_192to256",  # pretrained_window_sizes
])
def test_v2_matches_reference_with_trained_norms(name):
    ours, ref = both(name, **SMALL)
    assert_same(ours, ref, torch.randn(2, 3, 256, 256))


@pytest.mark.parametrize("name,size", [
    ("swinv2_cr_tiny_ns_224", 224),  # norm3 ending every stage
    ("swinv2_cr_huge_224", 224),  # norm3 every 6th block
    ("swinv2_cr_small_ns_256", 256),
])
def test_cr_matches_reference_with_trained_norms(name, size):
    kwargs = dict(SMALL, depths=(2, 2, 12, 2)) if "huge" in name else SMALL
    ours, ref = both(name, **kwargs)
    assert_same(ours, ref, torch.randn(2, 3, size, size))


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name,saved,loaded", [
    ("swinv2_tiny_window8_256", {}, dict(img_size=256, window_size=16)),
    ("swinv2_tiny_window8_256", {}, dict(img_size=384, window_size=12)),
    ("swinv2_cr_tiny_ns_224", {}, dict(img_size=256)),  # window follows the image: 256 / 4 / 8 = 8
    ("swinv2_cr_tiny_ns_224", {}, dict(img_size=224, window_size=14)),
])
def test_checkpoint_loads_at_another_window_and_size(tmp_path, name, saved, loaded):
    timm = reference()
    path = tmp_path / "weights.pth"
    torch.save(randomised(timm.create_model(name, **SMALL, **saved).state_dict()), path)
    kwargs = dict(SMALL, **loaded, pretrained=True, pretrained_cfg_overlay=dict(file=str(path)))
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()
    first = ours.layers[0].blocks[0] if hasattr(ours, "layers") else ours.stages[0].blocks[0]
    if "window_size" in loaded:
        assert first.window_size == (loaded["window_size"],) * 2
    size = loaded["img_size"]
    assert_same(ours, ref, torch.randn(1, 3, size, size))


def test_any_input_size_pads_to_windows():
    ours, ref = both("swinv2_tiny_window8_256", strict_img_size=False, **SMALL)
    assert_same(ours, ref, torch.randn(1, 3, 100, 132))  # 25 x 33 tokens: no stage is whole windows
    ours, ref = both("swinv2_cr_tiny_ns_224", strict_img_size=False, **SMALL)
    assert_same(ours, ref, torch.randn(1, 3, 224, 320))


@pytest.mark.parametrize("name,kwargs,size", [
    ("swinv2_tiny_window8_256", dict(dynamic_img_size=True), (192, 320)),
    ("swinv2_cr_tiny_224", dict(dynamic_img_size=True), (192, 320)),
    ("swinv2_tiny_window16_256", dict(always_partition=True), (256, 256)),  # last stage: 8x8 map padded to 16
    ("swinv2_cr_tiny_384", dict(always_partition=True), (384, 384)),
])
def test_dynamic_size_and_always_partition(name, kwargs, size):
    ours, ref = both(name, **kwargs, **SMALL)
    assert_same(ours, ref, torch.randn(1, 3, *size))


@pytest.mark.parametrize("name,change", [
    ("swinv2_tiny_window8_256", dict(img_size=(384, 384), window_ratio=8)),
    ("swinv2_tiny_window8_256", dict(window_size=4)),
    ("swinv2_cr_tiny_ns_224", dict(img_size=(384, 384))),
    ("swinv2_cr_tiny_ns_224", dict(window_ratio=4)),
])
def test_set_input_size_matches_reference(name, change):
    ours, ref = both(name, **SMALL)
    ours.set_input_size(**change)
    ref.set_input_size(**change)
    size = change.get("img_size", ref.pretrained_cfg["input_size"][1:])
    assert_same(ours, ref, torch.randn(1, 3, *size))


def test_original_v2_checkpoint_layout_is_converted():
    """The Microsoft release: patch merging stored at the end of the previous stage, a bare head, buffers."""
    model = imagemodels.create_model("swinv2_tiny_window8_256", **SMALL)
    native = model.state_dict()
    original = {}
    for key, value in native.items():
        if ".downsample." in key:
            stage = int(key.split(".")[1])
            key = key.replace(f"layers.{stage}.", f"layers.{stage - 1}.", 1)
        original[key.replace("head.fc.", "head.")] = value
    original["layers.0.blocks.0.attn.relative_coords_table"] = torch.zeros(1)
    original["layers.0.blocks.1.attn_mask"] = torch.zeros(1)
    converted = checkpoint_filter_fn({"model": original}, model)
    assert converted.keys() == native.keys()
    model.load_state_dict(converted, strict=True)


def test_original_cr_checkpoint_tau_becomes_logit_scale():
    model = imagemodels.create_model("swinv2_cr_tiny_ns_224", **SMALL)
    original = {k.replace("head.fc.", "head."): v for k, v in model.state_dict().items()}
    original["stages.0.blocks.0.attn.tau"] = torch.tensor([0.5])
    del original["stages.0.blocks.0.attn.logit_scale"]
    converted = cr_checkpoint_filter_fn(original, model)
    torch.testing.assert_close(converted["stages.0.blocks.0.attn.logit_scale"], torch.tensor([math.log(2.0)]))
    assert "head.fc.weight" in converted and "head.weight" not in converted


def test_log_coords_are_normalised_by_the_pretrained_window():
    table = log_relative_coords((16, 16), (12, 12))
    assert table.shape == (1, 31, 31, 2)
    # offset 11 of a 12-window is the edge: 8 before the log, log2(9) / log2(8) after
    torch.testing.assert_close(table[0, 15 + 11, 15, 0], torch.tensor(math.log2(9) / 3))
    assert table[0, 15, 15].abs().sum() == 0


def test_post_norms_start_at_zero():
    v2 = imagemodels.create_model("swinv2_tiny_window8_256", **SMALL)
    assert v2.layers[1].blocks[0].norm1.weight.abs().sum() == 0
    assert v2.layers[1].downsample.norm.weight.eq(1).all()
    cr = imagemodels.create_model("swinv2_cr_tiny_ns_224", init_values=0.5, **SMALL)
    assert cr.stages[1].blocks[1].norm2.weight.eq(0.5).all() and cr.stages[1].blocks[1].norm3.weight.eq(1).all()


def test_cr_features_are_nchw_and_there_is_no_final_norm():
    model = imagemodels.create_model("swinv2_cr_tiny_ns_224", features_only=True, out_indices=(0, 3), **SMALL).eval()
    with torch.no_grad():
        maps = model(torch.randn(1, 3, 224, 224))
    assert [tuple(m.shape) for m in maps] == [(1, 32, 56, 56), (1, 256, 7, 7)]
    full = imagemodels.create_model("swinv2_cr_tiny_ns_224", **SMALL).eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        final, inter = full.forward_intermediates(x, norm=True)
        torch.testing.assert_close(final, full.forward_features(x))
        torch.testing.assert_close(inter[-1], final)


def test_giant_builds_on_the_meta_device_with_the_reference_layout():
    """2.6B parameters: the parity harness compares it by key names and shapes on the meta device."""
    reference()
    import parity

    report = parity.check_meta("swinv2_cr_giant_224")
    assert report.params == 2_598_761_896
