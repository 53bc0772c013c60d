"""CheckpointSaver: top-k ranking, best/last files, recovery pruning, and atomic writes."""
import argparse
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import torch
from torch import nn

from imagemodels.utils import CheckpointSaver, sample_image_path  # noqa: F401


def _saver(tmp_path, **kw):
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    args = argparse.Namespace(model="tiny", lr=0.1, path=tmp_path)  # a Path must not need unpickling
    return model, CheckpointSaver(model, opt, args=args, checkpoint_dir=str(tmp_path),
                                  recovery_dir=str(tmp_path), **kw)


def _kept(saver):
    return [(os.path.basename(p), m) for p, m in saver.checkpoint_files]


@pytest.mark.parametrize("decreasing", [False, True])
def test_utils_top_k_kept_and_evicted_in_order(tmp_path, decreasing):
    metrics = [1.0, 5.0, 3.0, 4.0, 2.0, 6.0]
    _, saver = _saver(tmp_path, max_history=3, decreasing=decreasing)
    for epoch, m in enumerate(metrics):
        best = saver.save_checkpoint(epoch, m)
    ranked = sorted(enumerate(metrics), key=lambda e: e[1], reverse=not decreasing)[:3]
    assert _kept(saver) == [(f"checkpoint-{e}.pth.tar", m) for e, m in ranked]
    on_disk = sorted(f for f in os.listdir(tmp_path) if f.startswith("checkpoint-"))
    assert on_disk == sorted(f"checkpoint-{e}.pth.tar" for e, _ in ranked)
    best_epoch, best_metric = ranked[0]
    assert best == (best_metric, best_epoch)
    best_ckpt = torch.load(tmp_path / "model_best.pth.tar", weights_only=True)
    assert best_ckpt["epoch"] == best_epoch and best_ckpt["metric"] == best_metric
    last = torch.load(tmp_path / "last.pth.tar", weights_only=True)
    assert last["epoch"] == len(metrics) - 1
    assert last["args"]["model"] == "tiny" and last["arch"] == "tiny" and last["version"] == 2
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp")]
    for epoch, _ in ranked:  # hard-linked copies of an old `last` still hold their own epoch
        assert torch.load(tmp_path / f"checkpoint-{epoch}.pth.tar", weights_only=True)["epoch"] == epoch


@pytest.mark.parametrize("decreasing", [False, True])
def test_utils_ranking_matches_reference(tmp_path, decreasing):
    timm_utils = pytest.importorskip("timm.utils")
    metrics = [0.3, 0.1, 0.9, 0.5, 0.5, 0.2, 0.95, 0.05]
    results = []
    for cls, sub in ((CheckpointSaver, "ours"), (timm_utils.CheckpointSaver, "ref")):
        d = tmp_path / sub
        d.mkdir()
        model = nn.Linear(2, 2)
        saver = cls(model, torch.optim.SGD(model.parameters(), lr=0.1), checkpoint_dir=str(d),
                    max_history=4, decreasing=decreasing)
        bests = [saver.save_checkpoint(e, m) for e, m in enumerate(metrics)]
        results.append((bests, [(os.path.basename(p), m) for p, m in saver.checkpoint_files],
                        sorted(f for f in os.listdir(d) if f.startswith("checkpoint-"))))
    assert results[0] == results[1]


def test_utils_checkpoint_contents_load_with_weights_only(tmp_path):
    model, saver = _saver(tmp_path)
    ema = nn.Linear(3, 2)
    saver.model_ema = ema
    saver.save_checkpoint(0, 0.5)
    ckpt = torch.load(tmp_path / "checkpoint-0.pth.tar", weights_only=True)
    for k, v in model.state_dict().items():
        assert torch.equal(ckpt["state_dict"][k], v)
    for k, v in ema.state_dict().items():
        assert torch.equal(ckpt["state_dict_ema"][k], v)
    assert "optimizer" in ckpt and ckpt["args"]["path"] == str(tmp_path)


def test_utils_recovery_pruned_and_found(tmp_path):
    _, saver = _saver(tmp_path)
    assert saver.find_recovery() == ""
    for batch in range(5):
        saver.save_recovery(1, batch_idx=batch)
    left = sorted(f for f in os.listdir(tmp_path) if f.startswith("recovery"))
    assert left == ["recovery-1-3.pth.tar", "recovery-1-4.pth.tar"]
    assert os.path.basename(saver.find_recovery()) == "recovery-1-3.pth.tar"
    assert torch.load(saver.find_recovery(), weights_only=True)["epoch"] == 1


def test_utils_save_that_fails_mid_write_leaves_last_intact(tmp_path, monkeypatch):
    model, saver = _saver(tmp_path)
    saver.save_checkpoint(0, 1.0)
    before = (tmp_path / "last.pth.tar").read_bytes()

    real_save = torch.save

    def dying_save(obj, f, *a, **kw):
        f.write(b"PK\x03\x04 half a zip")  # partial bytes, then the "kill"
        raise KeyboardInterrupt("killed mid-save")

    monkeypatch.setattr(torch, "save", dying_save)
    with torch.no_grad():
        model.weight.add_(1.0)
    with pytest.raises(KeyboardInterrupt):
        saver.save_checkpoint(1, 2.0)
    monkeypatch.setattr(torch, "save", real_save)
    assert (tmp_path / "last.pth.tar").read_bytes() == before
    assert torch.load(tmp_path / "last.pth.tar", weights_only=True)["epoch"] == 0
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp")]  # the temp file is cleaned up


def test_utils_sigkill_mid_save_leaves_last_loadable(tmp_path):
    # The child saves epoch 0, then starts saving epoch 1 with a torch.save that writes part of the
    # file, signals the parent, and blocks; the parent SIGKILLs it there (deterministic: no timing race).
    script = textwrap.dedent(f"""
        import os, sys, time, torch
        from torch import nn
        from imagemodels.utils import CheckpointSaver
        model = nn.Linear(64, 64)
        saver = CheckpointSaver(model, torch.optim.SGD(model.parameters(), lr=0.1), checkpoint_dir={str(tmp_path)!r})
        saver.save_checkpoint(0, 1.0)
        real = torch.save
        def stuck_save(obj, f, *a, **kw):
            f.write(b"PK\\x03\\x04 partial")
            f.flush()
            print("WRITING", flush=True)
            time.sleep(60)
        torch.save = stuck_save
        saver.save_checkpoint(1, 2.0)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "WRITING"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    ckpt = torch.load(tmp_path / "last.pth.tar", weights_only=True)
    assert ckpt["epoch"] == 0 and ckpt["state_dict"]["weight"].shape == (64, 64)
    assert torch.load(tmp_path / "checkpoint-0.pth.tar", weights_only=True)["epoch"] == 0


def test_utils_resume_round_trip_restores_model_optimizer_scaler(tmp_path):
    from imagemodels.utils import NativeScaler
    torch.manual_seed(0)
    model = nn.Linear(4, 2)
    opt = torch.optim.AdamW(model.parameters(), lr=0.01)
    scaler = NativeScaler("cpu", enabled=True)
    model(torch.randn(3, 4)).sum().backward()
    opt.step()
    saver = CheckpointSaver(model, opt, amp_scaler=scaler, checkpoint_dir=str(tmp_path))
    saver.save_checkpoint(3, 0.25)
    ckpt = torch.load(tmp_path / "last.pth.tar", weights_only=True)

    fresh = nn.Linear(4, 2)
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=0.01)
    fresh_scaler = NativeScaler("cpu", enabled=True)
    fresh.load_state_dict(ckpt["state_dict"])
    fresh_opt.load_state_dict(ckpt["optimizer"])
    fresh_scaler.load_state_dict(ckpt[NativeScaler.state_dict_key])
    assert ckpt["epoch"] == 3 and ckpt["metric"] == 0.25
    assert torch.equal(fresh.weight, model.weight)
    assert torch.equal(fresh_opt.state_dict()["state"][0]["exp_avg"], opt.state_dict()["state"][0]["exp_avg"])
    assert fresh_scaler.state_dict() == scaler.state_dict()


def test_utils_dataclass_args_saved_as_plain_dict(tmp_path):
    import dataclasses

    @dataclasses.dataclass
    class Config:
        model: str = "tinynet"
        epochs: int = 3
        betas: tuple = (0.9, 0.999)

    model = nn.Linear(2, 2)
    saver = CheckpointSaver(model, torch.optim.SGD(model.parameters(), lr=0.1), args=Config(),
                            checkpoint_dir=str(tmp_path))
    saver.save_checkpoint(0)
    ckpt = torch.load(tmp_path / "last.pth.tar", weights_only=True)
    assert ckpt["args"] == {"model": "tinynet", "epochs": 3, "betas": (0.9, 0.999)} and ckpt["arch"] == "tinynet"
