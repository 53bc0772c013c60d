"""Crash safety of ``imagemodels train``: a real SIGKILL mid-epoch, SIGTERM, and a diverging loss.

The killed / signalled runs are real subprocesses (slow tier: starting one costs ~15 s on a busy box);
the fast tier stops a run in-process at a fixed update the way SIGTERM does. The uninterrupted
reference and the resumed continuations run in-process (one intra-op thread everywhere, so float
reductions happen in the same order).
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from imagemodels.cli.main import main
from imagemodels.cli.train import train_command

REPO = Path(__file__).resolve().parents[1]
# every source of randomness on: augmentation in workers, random erasing + mixup + dropout in the
# main process, EMA, per-update schedule; recovery checkpoints every 2 updates
ARGS = ["--dataset", "digits", "--model", "test_resnet", "--img-size", "16", "--epochs", "2", "-b", "8",
        "--max-steps-per-epoch", "6", "-j", "1", "--device", "cpu", "--log-interval", "1", "--opt", "adamw",
        "--lr", "3e-3", "--aa", "rand-m9-mstd0.5", "--reprob", "0.5", "--mixup", "0.2", "--drop", "0.2",
        "--model-ema", "--model-ema-decay", "0.9", "--sched-on-updates", "--warmup-epochs", "1",
        "--recovery-interval", "2", "--val-split", ""]  # no evaluation: it is not what these tests check


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run's final checkpoint."""
    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("reference")
    assert train_command([*ARGS, "--output", str(out), "--experiment", "run"]) == 0
    return torch.load(out / "run" / "last.pth.tar", map_location="cpu", weights_only=True)


def start(out: Path, *extra):
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    log = open(out / "log.txt", "w")
    proc = subprocess.Popen([sys.executable, "-m", "imagemodels.train", *ARGS, "--output", str(out),
                             "--experiment", "run", *extra], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own process group, as a job scheduler's
    return proc, out / "log.txt"


def wait_for(condition, proc, timeout=240):
    deadline = time.time() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"training exited early with {proc.returncode}")
        if time.time() > deadline:
            proc.kill()
            raise AssertionError("timed out waiting for the training run")
        time.sleep(0.05)


def assert_same_run(checkpoint, reference):
    for key in ("state_dict", "state_dict_ema"):
        for name, value in reference[key].items():
            assert torch.equal(checkpoint[key][name], value), f"{key}.{name} differs"
    assert checkpoint["train_state"]["num_updates"] == reference["train_state"]["num_updates"] == 12


def test_stop_mid_epoch_then_resume_auto_gives_the_same_weights(tmp_path, reference, monkeypatch):
    from imagemodels.engine import train as engine

    after_update = engine._after_update

    def stop_at_update_7(run):  # what the SIGTERM handler does, at a fixed point (epoch 1, batch 1)
        after_update(run)
        if run.num_updates == 7:
            run.stop_requested = True

    monkeypatch.setattr(engine, "_after_update", stop_at_update_7)
    assert train_command([*ARGS, "--output", str(tmp_path), "--experiment", "run"]) == 0
    assert [p.name for p in (tmp_path / "run").glob("recovery-*")] == ["recovery-1-1.pth.tar"]
    monkeypatch.setattr(engine, "_after_update", after_update)
    assert train_command([*ARGS, "--output", str(tmp_path), "--experiment", "run", "--resume", "auto"]) == 0
    resumed = torch.load(tmp_path / "run" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert_same_run(resumed, reference)


def test_sigkill_mid_epoch_then_resume_auto_gives_the_same_weights(tmp_path, reference):
    proc, _ = start(tmp_path)
    # killed somewhere in the second epoch, after its first recovery checkpoint
    wait_for(lambda: (tmp_path / "run" / "recovery-1-2.pth.tar").exists(), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert train_command([*ARGS, "--output", str(tmp_path), "--experiment", "run", "--resume", "auto"]) == 0
    resumed = torch.load(tmp_path / "run" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert_same_run(resumed, reference)
    assert not list((tmp_path / "run").glob("recovery-*"))  # a finished epoch retires its recovery files
    assert len((tmp_path / "run" / "summary.csv").read_text().splitlines()) == 3  # header + one row per epoch


def test_sigterm_saves_a_recovery_checkpoint_and_exits_cleanly(tmp_path, reference):
    proc, log = start(tmp_path)
    wait_for(lambda: "epoch 0 [1/6]" in log.read_text(), proc)
    os.killpg(proc.pid, signal.SIGTERM)  # like a scheduler: the loader worker gets it too, and ignores it
    assert proc.wait(timeout=240) == 0
    text = log.read_text()
    assert "stopped by SIGTERM" in text and "Traceback" not in text
    # the periodic recovery files may be there too (how many depends on the machine's speed);
    # the SIGTERM one is the newest
    recovery = sorted((tmp_path / "run").glob("recovery-*.pth.tar"), key=lambda p: p.stat().st_mtime_ns)
    assert recovery
    # the stop happened mid-run: finish it and land on the uninterrupted weights
    assert train_command([*ARGS, "--output", str(tmp_path), "--experiment", "run", "--resume", str(recovery[-1])]) == 0
    resumed = torch.load(tmp_path / "run" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert_same_run(resumed, reference)


def test_nan_loss_stops_with_a_clear_message_and_keeps_the_last_good_checkpoint(tmp_path, capsys):
    # epoch 0 trains at the warmup lr; epoch 1 jumps to 1e20 and the loss blows up
    code = main(["train", "--dataset", "digits", "--model", "test_resnet", "--img-size", "16", "--epochs", "2",
                 "-b", "8", "--max-steps-per-epoch", "4", "-j", "0", "--device", "cpu", "--sched", "step",
                 "--warmup-epochs", "1", "--warmup-lr", "1e-4", "--lr", "1e20", "--output", str(tmp_path),
                 "--experiment", "run"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert "loss is nan" in err[-1] or "loss is inf" in err[-1]
    assert "last good checkpoint" in err[-1] and "Traceback" not in "\n".join(err)
    last = torch.load(tmp_path / "run" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert last["epoch"] == 0
    assert all(torch.isfinite(v).all() for v in last["state_dict"].values() if v.is_floating_point())


def test_resume_auto_with_nothing_to_resume_starts_fresh(tmp_path):
    flags = [a for a in ARGS if a not in ("--model-ema",)]
    flags[flags.index("--epochs") + 1] = "1"
    flags[flags.index("--max-steps-per-epoch") + 1] = "2"
    assert train_command([*flags, "--output", str(tmp_path), "--experiment", "run", "--resume", "auto"]) == 0
    ckpt = torch.load(tmp_path / "run" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert ckpt["train_state"]["resume_epoch"] == 1 and ckpt["train_state"]["num_updates"] == 2
