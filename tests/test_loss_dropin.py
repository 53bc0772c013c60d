"""The reference's newer classification losses and loss factory: same values and gradients on random inputs."""
import json

import pytest
import torch

import imagemodels.loss as ours

timm_loss = pytest.importorskip("timm.loss")


def _inputs(seed=0, batch=6, classes=5):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, classes, generator=g) * 2
    binary = (torch.rand(batch, classes, generator=g) > 0.6).float()
    binary[0] = 0  # a sample with no positives
    binary[1] = 1  # and one with no negatives
    soft = torch.rand(batch, classes, generator=g)
    index = torch.randint(0, classes, (batch,), generator=g)
    return x, {"binary": binary, "soft": soft, "index": index, "dist": soft.softmax(-1)}


def _assert_same(ours_loss, their_loss, x, target):
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    a, b = ours_loss(xa, target), their_loss(xb, target)
    torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
    a.sum().backward()
    b.sum().backward()
    torch.testing.assert_close(xa.grad, xb.grad, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, dict(epsilon=1.0, smoothing=0.1), dict(reduction="none"), dict(reduction="sum")])
@pytest.mark.parametrize("target", ["index", "dist"])
def test_poly_cross_entropy(kwargs, target):
    x, t = _inputs()
    _assert_same(ours.PolyCrossEntropy(**kwargs), timm_loss.PolyCrossEntropy(**kwargs), x, t[target])


@pytest.mark.parametrize("kwargs", [{}, dict(gamma=2.0, alpha=0.25, smoothing=0.1), dict(reduction="batchmean", gamma=1.0),
                                    dict(reduction="none"), dict(reduction="sum", epsilon=0.5)])
@pytest.mark.parametrize("target", ["binary", "soft"])
def test_poly_binary_cross_entropy(kwargs, target):
    x, t = _inputs(1)
    _assert_same(ours.PolyBinaryCrossEntropy(**kwargs), timm_loss.PolyBinaryCrossEntropy(**kwargs), x, t[target])


@pytest.mark.parametrize("target", ["binary", "soft"])
def test_zlpr(target):
    x, t = _inputs(2)
    _assert_same(ours.ZlprLoss(), timm_loss.ZlprLoss(), x, t[target])


@pytest.mark.parametrize("kwargs", [{}, dict(tp=2.0, tn=0.5)])
def test_two_way(kwargs):
    x, t = _inputs(3)
    _assert_same(ours.TwoWayLoss(**kwargs), timm_loss.TwoWayLoss(**kwargs), x, t["binary"])


@pytest.mark.parametrize("kwargs", [{}, dict(focal_gamma=0.0), dict(neg_scale=1.0, init_bias=0.0),
                                    dict(smoothing=0.1, reduction="batchmean"), dict(reduction="none", focal_balance=1.0)])
@pytest.mark.parametrize("target", ["binary", "soft"])
def test_distribution_balanced(kwargs, target):
    x, t = _inputs(4)
    counts = [3, 0, 10, 50, 7]
    _assert_same(ours.DistributionBalancedLoss(counts, 100, **kwargs),
                 timm_loss.DistributionBalancedLoss(counts, 100, **kwargs), x, t[target])
    assert dict(ours.DistributionBalancedLoss(counts, 100).named_buffers()).keys() == \
        dict(timm_loss.DistributionBalancedLoss(counts, 100).named_buffers()).keys()


def test_constants():
    for name in ("LOSS_TYPES", "MULTI_LABEL_LOSS_TYPES", "CLASS_WEIGHT_METHODS", "CLASS_WEIGHT_METHOD_KINDS"):
        assert getattr(ours, name) == getattr(timm_loss, name), name


_FACTORY_CASES = [
    {}, dict(smoothing=0.1), dict(soft_targets=True, smoothing=0.1), dict(multi_label=True, smoothing=0.1),
    dict(loss_type="bce", smoothing=0.1, bce_target_thresh=0.2, bce_sum=True, class_weight=[1, 2, 1, 1, 1], pos_weight=3.0),
    dict(loss_type="bce", soft_targets=True, smoothing=0.1), dict(loss_type="asl", smoothing=0.1),
    dict(loss_type="asl", multi_label=True, class_weight=[1, 2, 1, 1, 1], pos_weight=2.0, asl_clip=None,
         asl_reduction="mean", smoothing=0.1),
    dict(loss_type="poly", smoothing=0.1), dict(loss_type="poly", smoothing=0.1, soft_targets=True),
    dict(loss_type="poly", multi_label=True, smoothing=0.1, poly_gamma=2.0, poly_alpha=0.25, poly_epsilon=1.0),
    dict(loss_type="jsd", jsd_splits=2, smoothing=0.1), dict(loss_type="twoway", multi_label=True, twoway_tp=2.0),
    dict(loss_type="zlpr", multi_label=True),
    dict(loss_type="db", multi_label=True, class_counts=[1, 2, 3, 0, 5], num_samples=10, smoothing=0.1,
         db_neg_scale=1.5, db_init_bias=0.1, db_focal_gamma=1.0),
]


@pytest.mark.parametrize("kwargs", _FACTORY_CASES, ids=str)
def test_factory_builds_the_same_loss(kwargs):
    a, b = ours.create_classification_loss(**kwargs), timm_loss.create_classification_loss(**kwargs)
    assert type(a).__name__ == type(b).__name__
    x, t = _inputs(5)
    if kwargs.get("multi_label"):
        target = t["binary"]
    elif kwargs.get("soft_targets"):
        target = t["dist"]
    else:
        target = t["index"]
    if kwargs.get("loss_type") == "jsd":
        x, target = torch.cat([x, x.flip(0)]), torch.cat([t["index"], t["index"]])
    _assert_same(a, b, x, target)


@pytest.mark.parametrize("kwargs", [
    dict(loss_type="ce", class_weight=[1, 2]), dict(loss_type="asl", soft_targets=True), dict(loss_type="jsd"),
    dict(loss_type="jsd", jsd_splits=3, multi_label=True), dict(loss_type="twoway"),
    dict(loss_type="zlpr", multi_label=True, smoothing=0.1), dict(loss_type="db", multi_label=True),
    dict(loss_type="xx"),
], ids=str)
def test_factory_rejects_what_the_reference_rejects(kwargs):
    with pytest.raises(ValueError):
        timm_loss.create_classification_loss(**kwargs)
    with pytest.raises(ValueError):
        ours.create_classification_loss(**kwargs)


@pytest.mark.parametrize("method", ["neg_pos", "inv_freq", "effective_num"])
@pytest.mark.parametrize("kwargs", [{}, dict(power=0.5, max_weight=3.0, beta=0.99), dict(power=2.0, max_weight=1.0, beta=0.9)])
def test_compute_class_weights(method, kwargs):
    counts = [0, 5, 10, 50, 100]
    kind, weights = ours.compute_class_weights(counts, 200, method=method, **kwargs)
    ref_kind, ref_weights = timm_loss.compute_class_weights(counts, 200, method=method, **kwargs)
    assert kind == ref_kind and weights.dtype == ref_weights.dtype
    torch.testing.assert_close(weights, ref_weights)


def test_load_and_resolve_class_weights(tmp_path):
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"pos_counts": [0, 5, 10, 50, 100], "num_samples": 200,
                                 "pos_weight": [1, 2, 3, 4, 5], "class_weight": [0.5, 0.5, 1, 1, 2]}))
    text = tmp_path / "w.txt"
    text.write_text("1, 2 3\n4")
    plain = tmp_path / "l.json"
    plain.write_text("[1, 2]")
    for value in [None, "", 2, 2.5, "3", "1,2,3", "1 2", "4,", [1, 2], [5], (1, 2), torch.tensor([1.0, 2.0]),
                  str(stats), str(text), str(plain)]:
        a, b = ours.load_class_weights(value), timm_loss.load_class_weights(value)
        assert type(a) is type(b), value
        if isinstance(a, torch.Tensor):
            torch.testing.assert_close(a, b)
        else:
            assert a == b, value
    torch.testing.assert_close(ours.load_class_weights(str(stats), key="pos_weight"), torch.arange(1.0, 6.0))
    loaded = ours.load_class_stats(str(stats))
    ref = timm_loss.load_class_stats(str(stats))
    torch.testing.assert_close(loaded[0], ref[0])
    assert loaded[1] == ref[1] == 200 and ours.load_class_stats("") is None
    for value, kind in [("neg_pos", "pos_weight"), ("inv_freq", "class_weight"), ("effective_num", "class_weight"),
                        ("1,2", "pos_weight"), (str(stats), "pos_weight")]:
        torch.testing.assert_close(ours.resolve_class_weights(value, kind, loaded),
                                   timm_loss.resolve_class_weights(value, kind, ref))
    with pytest.raises(ValueError, match="pos_weight"):
        ours.resolve_class_weights("neg_pos", "class_weight", loaded)
    with pytest.raises(ValueError, match="load_class_stats"):
        ours.resolve_class_weights("neg_pos", "pos_weight", None)
    with pytest.raises(ValueError, match="neither a file"):
        ours.load_class_weights("missing.json")
    with pytest.raises(ValueError, match="unknown class weight method"):
        ours.compute_class_weights([1, 2], 3, method="sqrt")
