"""Training augmentation: random crops, flips, jitter, random erasing, Mixup/CutMix.

Where the reference library's op draws from the same generators in the same order, the same seed
must give the same tensor; the effect tests check what each op promises on its own.
"""
import random

import numpy as np
import pytest
import torch
from PIL import Image

from imagemodels import data
from imagemodels.utils import sample_image_path

timm = pytest.importorskip("timm")
import timm.data  # noqa: E402
from timm.data.random_erasing import RandomErasing as RefRandomErasing  # noqa: E402

IMG = Image.open(sample_image_path()).convert("RGB")


def _seeded(fn, seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return fn()


TRAIN_CASES = [
    dict(input_size=(3, 96, 96)),
    dict(input_size=(3, 64, 80), interpolation="random", scale=(0.3, 0.9), ratio=(0.5, 2.0), vflip=0.5),
    dict(input_size=(3, 64, 64), interpolation="bicubic", color_jitter=(0.3, 0.2, 0.1, 0.05), color_jitter_prob=0.5,
         grayscale_prob=0.3, gaussian_blur_prob=0.3),
    dict(input_size=(3, 72, 72), train_crop_mode="rkrc", interpolation="bilinear"),
    dict(input_size=(3, 72, 60), train_crop_mode="rkrr", interpolation="random", scale=(0.5, 1.0)),
    dict(input_size=(3, 64, 64), re_prob=1.0, re_mode="pixel", re_count=3),
    dict(input_size=(3, 64, 64), use_prefetcher=True),
    dict(input_size=(3, 64, 64), no_aug=True, interpolation="random"),
]


@pytest.mark.parametrize("case", TRAIN_CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items() if k != "input_size"))
def test_train_transform_equals_reference_under_same_seed(case):
    ours = data.create_transform(is_training=True, **case)
    ref = timm.data.create_transform(is_training=True, **case)
    for seed in range(4):
        a = _seeded(lambda: ours(IMG), seed)
        b = _seeded(lambda: ref(IMG), seed)
        assert torch.equal(a, b), f"seed {seed}"
    # and the augmentation is random: different seeds, different crops
    assert case.get("no_aug") or not torch.equal(_seeded(lambda: ours(IMG), 0), _seeded(lambda: ours(IMG), 1))


def test_separate_train_transform_has_three_stages():
    primary, secondary, final = data.create_transform(64, is_training=True, separate=True)
    out = final(secondary(primary(IMG)))
    assert out.shape == (3, 64, 64) and out.dtype == torch.float32


def test_random_resized_crop_respects_scale_and_ratio():
    rrc = data.RandomResizedCropAndInterpolation(32, scale=(0.25, 0.5), ratio=(0.5, 2.0))
    area = IMG.width * IMG.height
    random.seed(0)
    for _ in range(200):
        top, left, h, w = rrc.get_params(IMG, rrc.scale, rrc.ratio)
        assert 0.24 * area <= h * w <= 0.51 * area
        assert 0.49 <= w / h <= 2.05
        assert 0 <= top <= IMG.height - h and 0 <= left <= IMG.width - w


@pytest.mark.parametrize("mode", ["const", "rand", "pixel"])
@pytest.mark.parametrize("count,num_splits", [(1, 0), (3, 0), (2, 2)])
def test_random_erasing_equals_reference(mode, count, num_splits):
    x = torch.randn(6, 3, 40, 48)
    ours = data.RandomErasing(0.7, mode=mode, max_count=count, num_splits=num_splits, device="cpu")
    ref = RefRandomErasing(0.7, mode=mode, max_count=count, num_splits=num_splits, device="cpu")
    for seed in range(3):
        assert torch.equal(_seeded(lambda: ours(x.clone()), seed), _seeded(lambda: ref(x.clone()), seed))


def test_random_erasing_fills_as_its_mode_says():
    def erased(mode):
        x = torch.full((3, 64, 64), 5.0)
        random.seed(1)
        data.RandomErasing(1.0, mode=mode, device="cpu")(x)
        return x, x != 5.0

    x, mask = erased("const")
    assert mask.any() and (x[mask] == 0).all()
    assert (mask.sum(0) > 0).float().mean() <= 1 / 3 + 0.01  # at most max_area
    x, mask = erased("rand")
    assert all(x[c][mask[c]].unique().numel() == 1 for c in range(3))  # one colour per channel
    x, mask = erased("pixel")
    assert x[0][mask[0]].unique().numel() > 10  # noise
    with pytest.raises(ValueError, match="mode must be one of const, rand, pixel, got 'noise'"):
        data.RandomErasing(mode="noise")
    kept = torch.full((4, 3, 32, 32), 5.0)
    data.RandomErasing(1.0, num_splits=2, device="cpu")(kept)
    assert (kept[:2] == 5.0).all() and (kept[2:] != 5.0).any()  # the clean split is untouched


MIXUP_CASES = [
    dict(mixup_alpha=0.8, mode="batch"),
    dict(mixup_alpha=0.0, cutmix_alpha=1.0, mode="batch"),
    dict(mixup_alpha=0.8, cutmix_alpha=1.0, switch_prob=0.5, mode="batch"),
    dict(mixup_alpha=0.8, cutmix_alpha=1.0, mode="pair", prob=0.8),
    dict(mixup_alpha=0.8, cutmix_alpha=1.0, mode="elem", label_smoothing=0.0),
    dict(mixup_alpha=0.0, cutmix_minmax=(0.2, 0.6), mode="elem"),
    dict(mixup_alpha=0.4, cutmix_alpha=1.0, correct_lam=False, mode="batch"),
]


@pytest.mark.parametrize("case", MIXUP_CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_mixup_equals_reference(case):
    x = torch.randn(8, 3, 24, 20)
    y = torch.arange(8) % 5
    ours = data.Mixup(num_classes=5, **case)
    ref = timm.data.Mixup(num_classes=5, **case)
    for seed in range(4):
        xo, yo = _seeded(lambda: ours(x.clone(), y), seed)
        xr, yr = _seeded(lambda: ref(x.clone(), y), seed)
        torch.testing.assert_close(xo, xr, rtol=0, atol=1e-6)
        torch.testing.assert_close(yo, yr, rtol=0, atol=1e-6)


@pytest.mark.parametrize("case", MIXUP_CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_fast_collate_mixup_equals_reference(case):
    rng = np.random.default_rng(0)
    batch = [(rng.integers(0, 256, (3, 24, 20), dtype=np.uint8), i % 5) for i in range(8)]
    ours = data.FastCollateMixup(num_classes=5, **case)
    ref = timm.data.FastCollateMixup(num_classes=5, **case)
    for seed in range(4):
        xo, yo = _seeded(lambda: ours(batch), seed)
        xr, yr = _seeded(lambda: ref(batch), seed)
        assert torch.equal(xo, xr)
        torch.testing.assert_close(yo, yr, rtol=0, atol=1e-6)


def test_mixup_targets_sum_to_one_and_match_lambda():
    x = torch.zeros(4, 1, 8, 8)
    x[:2] = 1.0  # first half ones, second half zeros: the mean of a mixed image reveals lam
    y = torch.tensor([0, 1, 2, 3])
    np.random.seed(0)
    mixed, target = data.Mixup(mixup_alpha=1.0, label_smoothing=0.0, num_classes=4)(x.clone(), y)
    torch.testing.assert_close(target.sum(1), torch.ones(4))
    lam = target[0, 0].item()
    assert 0 < lam < 1
    torch.testing.assert_close(mixed[0].mean(), torch.tensor(lam))
    assert target[0, 3].item() == pytest.approx(1 - lam)  # mixed with its mirror


def test_cutmix_boxes_respect_minmax_and_lam_is_the_box_area():
    np.random.seed(0)
    for _ in range(100):
        (yl, yh, xl, xh), lam = data.cutmix_bbox_and_lam((3, 50, 40), 0.5, ratio_minmax=(0.2, 0.6))
        assert 10 <= yh - yl < 30 and 8 <= xh - xl < 24
        assert 0 <= yl and yh <= 50 and 0 <= xl and xh <= 40
        assert lam == pytest.approx(1 - (yh - yl) * (xh - xl) / 2000)
    x = torch.zeros(2, 1, 50, 40)
    x[1] = 1.0
    mixed, target = data.Mixup(mixup_alpha=0.0, cutmix_minmax=(0.2, 0.6), label_smoothing=0.0, num_classes=2)(x, torch.tensor([0, 1]))
    assert set(mixed.unique().tolist()) <= {0.0, 1.0}  # pasted, not blended
    assert target[0, 1].item() == pytest.approx(mixed[0].mean().item())


def test_multi_label_mixup_equals_reference():
    x = torch.randn(6, 3, 16, 16)
    y = (torch.rand(6, 4) > 0.5).float()
    ours = data.Mixup(mixup_alpha=0.8, cutmix_alpha=1.0, num_classes=4, multi_label=True)
    ref = timm.data.Mixup(mixup_alpha=0.8, cutmix_alpha=1.0, num_classes=4, multi_label=True)
    for seed in range(3):
        xo, yo = _seeded(lambda: ours(x.clone(), y), seed)
        xr, yr = _seeded(lambda: ref(x.clone(), y), seed)
        assert torch.equal(xo, xr) and torch.equal(yo, yr)
    with pytest.raises(ValueError, match="dense targets of shape"):
        ours(x.clone(), torch.arange(6))


def test_mixup_errors():
    with pytest.raises(ValueError, match="batch size must be even, got 3"):
        data.Mixup()(torch.zeros(3, 1, 4, 4), torch.zeros(3))
    with pytest.raises(ValueError, match="mode must be one of"):
        data.Mixup(mode="row")
    with pytest.raises(ValueError, match="cutmix_minmax must be"):
        data.Mixup(cutmix_minmax=(0.1,))


def test_loader_with_fast_collate_mixup(tmp_path):
    pytest.importorskip("sklearn")
    ds = data.create_dataset("digits", root=data.materialize_digits(tmp_path / "d"), split="train", is_training=True)
    mixup = data.FastCollateMixup(mixup_alpha=0.8, cutmix_alpha=1.0, num_classes=10)
    loader = data.create_loader(ds, (3, 32, 32), batch_size=16, is_training=True, collate_fn=mixup, num_workers=0,
                                device="cpu")
    x, y = next(iter(loader))
    assert x.shape == (16, 3, 32, 32) and y.shape == (16, 10)
    torch.testing.assert_close(y.sum(1), torch.ones(16))
    assert loader.mixup_enabled
    loader.mixup_enabled = False
    assert not mixup.mixup_enabled
