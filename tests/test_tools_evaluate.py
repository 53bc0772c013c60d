"""engine.evaluate: accuracy and loss match a direct computation; mAP matches scikit-learn; DDP sums."""
import os

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from imagemodels.engine.evaluate import evaluate, mean_average_precision
from imagemodels.utils.metrics import accuracy


class Linear(nn.Module):
    def __init__(self, classes=7):
        super().__init__()
        torch.manual_seed(0)
        self.fc = nn.Linear(3 * 4 * 4, classes)

    def forward(self, x):
        return self.fc(x.flatten(1))


def _data(n=53, classes=7, multi=False):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, 3, 4, 4, generator=g)
    y = (torch.rand(n, classes, generator=g) > 0.6).float() if multi else torch.randint(0, classes, (n,), generator=g)
    return x, y


def test_accuracy_and_loss_equal_direct_computation():
    model = Linear()
    x, y = _data()
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    model.train()
    out = evaluate(model, loader, progress=False)
    assert model.training, "the caller's train mode is restored"
    with torch.no_grad():
        logits = model.eval()(x)
    top1, top5 = accuracy(logits, y, topk=(1, 5))
    assert out["top1"] == pytest.approx(float(top1), abs=1e-4)
    assert out["top5"] == pytest.approx(float(top5), abs=1e-4)
    assert out["loss"] == pytest.approx(float(nn.functional.cross_entropy(logits, y)), abs=1e-5)


def test_channels_last_and_bar_do_not_change_numbers():
    model = Linear()
    x, y = _data()
    loader = DataLoader(TensorDataset(x, y), batch_size=16)
    a = evaluate(model, loader, progress=False)
    b = evaluate(model, loader, progress=True, channels_last=True, amp_dtype=torch.bfloat16)
    assert a["top1"] == pytest.approx(b["top1"], abs=15)  # bf16 may flip a near tie
    assert set(a) == {"loss", "top1", "top5"}


def test_multi_label_map_equals_sklearn():
    sklearn = pytest.importorskip("sklearn.metrics")
    model = Linear()
    x, y = _data(multi=True)
    out = evaluate(model, DataLoader(TensorDataset(x, y), batch_size=10), multi_label=True, progress=False)
    assert set(out) == {"loss", "map"}
    with torch.no_grad():
        scores = model(x)
    expected = sklearn.average_precision_score(y.numpy(), scores.numpy(), average="macro") * 100
    assert out["map"] == pytest.approx(expected, abs=1e-3)
    assert out["loss"] == pytest.approx(float(nn.functional.binary_cross_entropy_with_logits(scores, y)), abs=1e-5)


def test_map_skips_classes_without_positives():
    scores = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.5, 0.3]])
    targets = torch.tensor([[1, 0], [0, 0], [1, 0]])
    assert mean_average_precision(scores, targets) == pytest.approx(100.0)


def _ddp_worker(rank, world, port, result_path):
    import torch.distributed as dist

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    model = Linear()
    x, y = _data(n=53)
    # uneven shards: rank 0 gets 40 samples, rank 1 gets 13
    idx = slice(0, 40) if rank == 0 else slice(40, 53)
    loader = DataLoader(TensorDataset(x[idx], y[idx]), batch_size=8)
    out = evaluate(model, loader, progress=False)
    xm, ym = _data(n=53, multi=True)
    out_ml = evaluate(model, DataLoader(TensorDataset(xm[idx], ym[idx]), batch_size=8), multi_label=True, progress=False)
    if rank == 0:
        torch.save({**out, "map": out_ml["map"]}, result_path)
    dist.destroy_process_group()


@pytest.mark.slow  # spawns two interpreters: ~4 s idle, ~30 s on a loaded 2-core machine
def test_distributed_metrics_equal_single_process(tmp_path):
    import socket

    import torch.multiprocessing as mp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = str(tmp_path / "r.pt")
    mp.spawn(_ddp_worker, args=(2, port, path), nprocs=2, join=True)
    got = torch.load(path, weights_only=True)
    model = Linear()
    x, y = _data(n=53)
    single = evaluate(model, DataLoader(TensorDataset(x, y), batch_size=8), progress=False)
    xm, ym = _data(n=53, multi=True)
    single_ml = evaluate(model, DataLoader(TensorDataset(xm, ym), batch_size=8), multi_label=True, progress=False)
    for key in ("loss", "top1", "top5"):
        assert got[key] == pytest.approx(single[key], abs=1e-4)
    assert got["map"] == pytest.approx(single_ml["map"], abs=1e-4)


def test_multi_label_accepts_class_indices():
    model = Linear()
    x, y = _data()
    loader = DataLoader(TensorDataset(x, y), batch_size=16)
    hot = torch.nn.functional.one_hot(y, 7).float()
    a = evaluate(model, loader, multi_label=True, progress=False)
    b = evaluate(model, DataLoader(TensorDataset(x, hot), batch_size=16), multi_label=True, progress=False)
    assert a == pytest.approx(b)
