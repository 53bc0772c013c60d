"""`imagemodels schedule`: the previewed learning rates are the ones training would use."""
import json

import pytest
import torch

from tools_helpers import assert_one_line_error, cli


def _reference_lrs(epochs, **kwargs):
    timm_scheduler = pytest.importorskip("timm.scheduler")
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler, num_epochs = timm_scheduler.create_scheduler_v2(optimizer, num_epochs=epochs, **kwargs)
    lrs = []
    for epoch in range(num_epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step(epoch + 1)
    return lrs


@pytest.mark.parametrize("flags, kwargs", [
    (["--sched", "cosine", "--warmup-epochs", 3], dict(sched="cosine", warmup_epochs=3, cycle_decay=0.5)),
    (["--sched", "step", "--decay-epochs", 4, "--warmup-epochs", 0], dict(sched="step", decay_epochs=4, warmup_epochs=0)),
    (["--sched", "cosine", "--lr-cycle-limit", 2, "--warmup-epochs", 1, "--min-lr", 1e-4],
     dict(sched="cosine", cycle_limit=2, warmup_epochs=1, min_lr=1e-4, cycle_decay=0.5)),
])
def test_schedule_table_equals_reference(capsys, tmp_path, flags, kwargs):
    results = tmp_path / "lr.json"
    rc, out, err = cli(capsys, "schedule", "--epochs", 12, *flags, "--results-file", results)
    assert rc == 0, err
    rows = json.loads(results.read_text())
    expected = _reference_lrs(12, **kwargs)
    assert [r["epoch"] for r in rows] == list(range(len(expected)))
    assert [r["lr"] for r in rows] == pytest.approx(expected, rel=1e-6)
    assert out.splitlines()[0].split() == ["epoch", "lr"]


def test_schedule_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "lr.png"
    rc, _, err = cli(capsys, "schedule", "--epochs", 20, "--warmup-epochs", 2, "--sched-on-updates",
                     "--updates-per-epoch", 10, "--plot", png, "-q")
    assert rc == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_schedule_plot_without_matplotlib(capsys, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    assert_one_line_error(cli(capsys, "schedule", "--epochs", 3, "--plot", tmp_path / "x.png", "-q"), 1,
                          "pip install imagemodels[plot]")


def test_schedule_unknown_name(capsys):
    assert_one_line_error(cli(capsys, "schedule", "--sched", "cosne"), 2, "unknown scheduler 'cosne'", "cosine")
