"""`imagemodels avg-checkpoints` and `imagemodels clean-checkpoint` end to end."""
import hashlib

import pytest
import torch

import imagemodels
from imagemodels.engine.checkpoints import read_checkpoint
from tools_helpers import ARCH, assert_one_line_error, cli, save_training_checkpoint


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """Three epochs of a 'run': different weights, EMA weights offset by +1, metrics 10 / 30 / 20."""
    folder = tmp_path_factory.mktemp("run")
    models = []
    for epoch, metric in enumerate([10.0, 30.0, 20.0]):
        torch.manual_seed(epoch)
        model = imagemodels.create_model(ARCH, num_classes=3)
        ema = imagemodels.create_model(ARCH, num_classes=3)
        ema.load_state_dict({k: v + 1 if v.is_floating_point() else v for k, v in model.state_dict().items()})
        save_training_checkpoint(folder / f"checkpoint-{epoch}.pth.tar", model, metric=metric, ema=ema)
        models.append(model)
    save_training_checkpoint(folder / "last.pth.tar", models[-1], metric=20.0)  # a copy: must be skipped
    return folder, models


def test_avg_checkpoints_top2_by_metric(capsys, tmp_path, run_dir):
    folder, models = run_dir
    out_path = tmp_path / "avg.safetensors"
    rc, out, err = cli(capsys, "avg-checkpoints", "--input", folder, "-n", 2, "--output", out_path, "--no-use-ema")
    assert rc == 0, err
    assert "checkpoint-1" in out and "checkpoint-2" in out and "checkpoint-0" not in out
    averaged, meta = read_checkpoint(str(out_path))
    assert meta.arch == ARCH  # kept in the safetensors metadata
    a, b = models[1].state_dict(), models[2].state_dict()
    key = "conv1.0.weight"
    torch.testing.assert_close(averaged[key], (a[key].double() + b[key].double()).div(2).float())
    assert averaged["bn1.num_batches_tracked"].dtype == torch.int64
    model = imagemodels.create_model(ARCH, num_classes=3)
    model.load_state_dict(averaged)  # loads as-is


def test_avg_checkpoints_explicit_files_use_ema_by_default(capsys, tmp_path, run_dir):
    folder, models = run_dir
    out_path = tmp_path / "avg.pth"
    files = [folder / "checkpoint-0.pth.tar", folder / "checkpoint-1.pth.tar"]
    rc, _, err = cli(capsys, "avg-checkpoints", *files, "--output", out_path)
    assert rc == 0, err
    averaged = torch.load(out_path, weights_only=True)
    key = "fc.bias"
    expected = (models[0].state_dict()[key] + models[1].state_dict()[key]) / 2 + 1  # the EMA copies
    torch.testing.assert_close(averaged[key], expected)


def test_clean_checkpoint_hash_and_ema(capsys, tmp_path, run_dir):
    folder, models = run_dir
    rc, out, err = cli(capsys, "clean-checkpoint", "--checkpoint", folder / "checkpoint-0.pth.tar",
                       "--output", tmp_path / "clean.safetensors")
    assert rc == 0, err
    digest = out.split("sha256 ")[1].split()[0]
    (written,) = tmp_path.glob("clean-*.safetensors")
    assert written.name == f"clean-{digest[:8]}.safetensors"
    assert hashlib.sha256(written.read_bytes()).hexdigest() == digest
    weights, meta = read_checkpoint(str(written))
    assert meta.used_key is None and meta.arch == ARCH
    torch.testing.assert_close(weights["fc.bias"], models[0].state_dict()["fc.bias"] + 1)  # EMA by default
    imagemodels.create_model(ARCH, num_classes=3, checkpoint_path=str(written))


def test_clean_checkpoint_plain_weights_no_hash(capsys, tmp_path, run_dir):
    folder, models = run_dir
    out_path = tmp_path / "plain.pth"
    rc, _, err = cli(capsys, "clean-checkpoint", folder / "checkpoint-2.pth.tar", "--output", out_path,
                     "--no-use-ema", "--no-hash")
    assert rc == 0, err
    weights = torch.load(out_path, weights_only=True)
    assert set(weights) == set(models[2].state_dict())  # no optimizer, no args, no epoch
    torch.testing.assert_close(weights["fc.bias"], models[2].state_dict()["fc.bias"])


def test_checkpoint_commands_bad_input(capsys, tmp_path):
    assert_one_line_error(cli(capsys, "avg-checkpoints", "--input", tmp_path / "nope"), 2, "checkpoint folder not found")
    assert_one_line_error(cli(capsys, "avg-checkpoints", "--input", tmp_path), 2, "no checkpoints matching")
    assert_one_line_error(cli(capsys, "clean-checkpoint", tmp_path / "nope.pth"), 2, "checkpoint not found")
    junk = tmp_path / "junk.pth"
    junk.write_bytes(b"not a checkpoint")
    assert_one_line_error(cli(capsys, "clean-checkpoint", junk), 2, "could not read checkpoint")


def test_avg_checkpoints_of_different_models(capsys, tmp_path):
    a = save_training_checkpoint(tmp_path / "a.pth.tar", imagemodels.create_model(ARCH, num_classes=3))
    b = save_training_checkpoint(tmp_path / "b.pth.tar", imagemodels.create_model(ARCH, num_classes=4))
    assert_one_line_error(cli(capsys, "avg-checkpoints", a, b, "--output", tmp_path / "x.pth"), 2, "fc.weight")
