"""AutoAugment / RandAugment / AugMix: config strings, their errors, op effects, and equality with the reference."""
import random

import numpy as np
import pytest
import torch
from PIL import Image

from imagemodels import data
from imagemodels.data import auto_augment as aa
from imagemodels.utils import sample_image_path

timm = pytest.importorskip("timm")
import timm.data  # noqa: E402

IMG = Image.open(sample_image_path()).convert("RGB").resize((96, 80))

CONFIGS = [
    "rand-m9-mstd0.5-inc1", "rand-m9-n3-mstd101", "rand-m7-mstd0.5-tweights", "rand-t3aw", "rand-m9-p0.8-mmax12",
    "original", "v0", "originalr", "v0r", "3a", "v0-mstd0.5", "augmix-m5-w4-d2", "augmix-m3-b1",
]


def _seeded(fn, seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return fn()


@pytest.mark.parametrize("config", CONFIGS)
def test_train_transform_with_auto_augment_equals_reference(config):
    kw = dict(input_size=(3, 64, 64), is_training=True, auto_augment=config, interpolation="random")
    ours, ref = data.create_transform(**kw), timm.data.create_transform(**kw)
    for seed in range(5):
        assert torch.equal(_seeded(lambda: ours(IMG), seed), _seeded(lambda: ref(IMG), seed)), f"seed {seed}"


def test_rand_augment_config_is_parsed():
    ra = data.rand_augment_transform("rand-m7-n3-mstd0.5-mmax12-p0.8", {})
    assert ra.num_layers == 3 and {op.magnitude for op in ra.ops} == {7} and {op.prob for op in ra.ops} == {0.8}
    assert {op.magnitude_std for op in ra.ops} == {0.5} and {op.magnitude_max for op in ra.ops} == {12}
    assert data.rand_augment_transform("rand-mstd101", {}).ops[0].magnitude_std == float("inf")
    plain = [op.name for op in data.rand_augment_transform("rand-m9", {}).ops]
    inc = [op.name for op in data.rand_augment_transform("rand-m9-inc1", {}).ops]
    assert "Posterize" in plain and "PosterizeIncreasing" in inc and "Posterize" not in inc
    weighted = data.rand_augment_transform("rand-tweights", {})
    assert weighted.choice_weights is not None and abs(weighted.choice_weights.sum() - 1) < 1e-9
    mix = data.augment_and_mix_transform("augmix-m5-w4-d2-a0.5-b1", {})
    assert (mix.width, mix.depth, mix.alpha, mix.blended, mix.ops[0].magnitude) == (4, 2, 0.5, True, 5)
    assert data.augment_and_mix_transform("augmix-d-1", {}).depth == -1


@pytest.mark.parametrize("config,token", [
    ("rand-m9-x3", "'x3'"), ("rand-mfoo", "'mfoo'"), ("rand-m9.5", "'m9.5'"), ("rand-n2-mstdx", "'mstdx'"),
    ("rand-tnope", "'tnope'"), ("rand-m", "'m'"), ("augmix-m5-z2", "'z2'"), ("augmix-w", "'w'"),
    ("v0-mstd", "'mstd'"), ("original-q1", "'q1'"), ("rand-M9", "'M9'"),
])
def test_malformed_config_names_the_bad_token(config, token):
    with pytest.raises(ValueError, match=token):
        data.create_transform(64, is_training=True, auto_augment=config)


def test_unknown_policy_is_named():
    with pytest.raises(ValueError, match="unknown AutoAugment policy 'v1'"):
        data.create_transform(64, is_training=True, auto_augment="v1")


def _strength(name, magnitude):
    """Mean absolute pixel change of one op at a magnitude (averaged over sign flips)."""
    op = aa.AugmentOp(name, prob=1.0, magnitude=magnitude)
    base = np.asarray(IMG, dtype=np.float32)
    random.seed(0)
    return np.mean([np.abs(np.asarray(op(IMG), dtype=np.float32) - base).mean() for _ in range(8)])


@pytest.mark.parametrize("name", ["PosterizeIncreasing", "SolarizeIncreasing", "ColorIncreasing", "ContrastIncreasing",
                                  "BrightnessIncreasing", "SharpnessIncreasing", "Rotate", "ShearX", "TranslateXRel"])
def test_increasing_ops_get_stronger_with_magnitude(name):
    strengths = [_strength(name, m) for m in (0, 3, 6, 10)]
    if name != "PosterizeIncreasing":  # which keeps 4 bits at magnitude 0
        assert strengths[0] < 1.0, strengths  # magnitude 0 is (nearly) the identity
    assert strengths == sorted(strengths) and strengths[-1] > strengths[1] + 1.0, strengths


def test_inc1_increases_the_effect_of_rand_augment_magnitude():
    def mean_change(config):
        ra = data.rand_augment_transform(config, {})
        base = np.asarray(IMG, dtype=np.float32)
        np.random.seed(0)
        random.seed(0)
        return np.mean([np.abs(np.asarray(ra(IMG), dtype=np.float32) - base).mean() for _ in range(60)])

    assert mean_change("rand-m2-inc1-p1") < mean_change("rand-m9-inc1-p1")
    # without inc1 the classic enhance ops are identity at m5 and strongest at 0/10, so m9 vs m2 is not monotone;
    # with inc1 magnitude 0 means no change at all
    assert mean_change("rand-m0-inc1-p1-n1") < mean_change("rand-m0-p1-n1")


def test_augmix_dataset_views_and_loader(tmp_path):
    pytest.importorskip("sklearn")
    ds = data.create_dataset("digits", root=data.materialize_digits(tmp_path / "d"), split="train", is_training=True)
    mix = data.AugMixDataset(ds, num_splits=3)
    loader = data.create_loader(mix, (3, 32, 32), batch_size=4, is_training=True, num_aug_splits=3, re_prob=1.0,
                                re_split=True, auto_augment="augmix-m3-w2", num_workers=0, device="cpu")
    x, y = next(iter(loader))
    assert x.shape == (12, 3, 32, 32) and torch.equal(y[:4], y[4:8]) and torch.equal(y[:4], y[8:])
    assert not torch.equal(x[:4], x[4:8])  # augmented views differ from the clean one
    with pytest.raises(ValueError, match="3 stages"):
        mix.transform = data.create_transform(32)


def test_posterize_keeping_no_bits_is_black():
    # magnitude 10 of the increasing form keeps 0 bits; Pillow rejects that, so the op answers black itself
    out = aa.AugmentOp("PosterizeIncreasing", prob=1.0, magnitude=10)(IMG)
    assert out.size == IMG.size and np.asarray(out).max() == 0
