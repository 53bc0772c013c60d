"""`imagemodels validate` end to end on the embedded digits set, and its bad-input errors."""
import json

import pytest
import torch

from tools_helpers import ARCH, assert_one_line_error, biased_model, cli, save_training_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "model_best.pth.tar"
    return save_training_checkpoint(path, biased_model())


@pytest.fixture(scope="module")
def digit_targets():
    from imagemodels.data import create_dataset

    dataset = create_dataset("digits", split="validation")
    return torch.tensor([target for _, target in dataset.reader.samples])


def test_validate_reports_known_accuracy_from_a_training_checkpoint(capsys, tmp_path, checkpoint, digit_targets):
    # the checkpoint's head always ranks 3, 7, 1, 0, 9 first, so top-1 is the share of 3s in the split
    results = tmp_path / "results.json"
    rc, out, err = cli(capsys, "validate", "--dataset", "digits", "--checkpoint", checkpoint, "--img-size", 32,
                       "-b", 180, "-j", 0, "--results-file", results, "--no-progress")
    assert rc == 0, err
    (row,) = json.loads(results.read_text())
    assert row["model"] == ARCH  # read from the checkpoint: no --model given
    expected_top1 = 100.0 * float((digit_targets == 3).float().mean())
    expected_top5 = 100.0 * float(torch.isin(digit_targets, torch.tensor([3, 7, 1, 0, 9])).float().mean())
    assert row["top1"] == pytest.approx(expected_top1, abs=1e-3)
    assert row["top5"] == pytest.approx(expected_top5, abs=1e-3)
    assert row["img_size"] == 32
    assert ARCH in out and "top1" in out


def test_validate_csv_results_and_num_classes_flag(capsys, tmp_path, checkpoint):
    results = tmp_path / "r.csv"
    rc, _, err = cli(capsys, "validate", "--dataset", "digits", "--model", ARCH, "--checkpoint", checkpoint,
                     "--num-classes", 10, "--img-size", 32, "-b", 360, "-j", 0, "--results-file", results)
    assert rc == 0, err
    header, row = results.read_text().splitlines()
    assert header.startswith("model,top1,top1_err,top5,top5_err,loss")
    assert row.startswith(ARCH + ",")


def test_validate_missing_data_dir(capsys, tmp_path):
    assert_one_line_error(cli(capsys, "validate", tmp_path / "nope", "--model", ARCH), 2, "data dir not found")


def test_validate_unknown_model(capsys):
    assert_one_line_error(cli(capsys, "validate", "--dataset", "digits", "--model", "resnet10x"), 2,
                          "unknown model 'resnet10x'", "did you mean")


def test_validate_checkpoint_of_another_architecture(capsys, tmp_path):
    other = save_training_checkpoint(tmp_path / "r18.pth.tar", biased_model(arch="resnet18"), arch="resnet18")
    assert_one_line_error(cli(capsys, "validate", "--dataset", "digits", "--model", ARCH, "--checkpoint", other),
                          2, "does not fit resnet10t", "missing keys", "pass --model resnet18")


def test_validate_wildcard_without_match(capsys):
    assert_one_line_error(cli(capsys, "validate", "--dataset", "digits", "--model", "nosuchnet*"), 2, "no model matches")


def test_validate_head_smaller_than_dataset(capsys):
    assert_one_line_error(cli(capsys, "validate", "--dataset", "digits", "--model", ARCH, "--num-classes", 5), 2,
                          "10 classes", "--num-classes 10")


@pytest.mark.slow  # a fresh interpreter importing torch: ~25 s on a loaded 2-core machine
def test_validate_through_a_subprocess(tmp_path, checkpoint):
    """The installed entry point, exactly as a user types it."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "imagemodels", "validate", "--dataset", "digits", "--checkpoint",
                             str(checkpoint), "--img-size", "32", "-b", "360", "-j", "0"],
                            cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert ARCH in result.stdout
    assert "loss" in result.stderr  # the progress lines: stderr is not a terminal here


@pytest.mark.slow  # two fresh interpreters under torchrun: ~1 min on a loaded 2-core machine
def test_validate_under_torchrun_equals_one_process(tmp_path, checkpoint, digit_targets):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    results = tmp_path / "ddp.json"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29581",
           "-m", "imagemodels", "validate", "--dataset", "digits", "--checkpoint", str(checkpoint),
           "--img-size", "32", "-b", "60", "-j", "0", "--device", "cpu", "--results-file", str(results)]
    result = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    (row,) = json.loads(results.read_text())
    # 360 samples split 180/180: no padding, so the summed metrics equal one process's exactly
    assert row["top1"] == pytest.approx(100.0 * float((digit_targets == 3).float().mean()), abs=1e-3)
    assert result.stdout.count(ARCH) == 1  # only rank 0 reports


@pytest.mark.slow  # imports the reference library (~10 s) and evaluates twice
def test_validate_equals_the_reference_pipeline(capsys, tmp_path):
    """Same weights, same split: the reference's data config, transform, loader and model give the same
    loss and accuracy as `imagemodels validate` (random weights make every logit depend on preprocessing)."""
    timm = pytest.importorskip("timm")
    from timm.data import create_dataset, create_loader, resolve_data_config
    from timm.utils import accuracy

    import imagemodels

    torch.manual_seed(0)
    model = imagemodels.create_model(ARCH, num_classes=10)
    ckpt = save_training_checkpoint(tmp_path / "random.pth.tar", model)
    results = tmp_path / "r.json"
    rc, _, err = cli(capsys, "validate", "--dataset", "digits", "--checkpoint", ckpt, "--img-size", 48, "-b", 120,
                     "-j", 0, "--results-file", results, "--no-progress")
    assert rc == 0, err
    (row,) = json.loads(results.read_text())

    from imagemodels.data import default_digits_root

    ref = timm.create_model(ARCH, num_classes=10)
    ref.load_state_dict(model.state_dict())
    ref.eval()
    config = resolve_data_config({"img_size": 48}, model=ref, use_test_size=True)
    dataset = create_dataset("", root=str(default_digits_root() / "val"), split="validation")
    loader = create_loader(dataset, input_size=config["input_size"], batch_size=120, use_prefetcher=False,
                           interpolation=config["interpolation"], mean=config["mean"], std=config["std"],
                           crop_pct=config["crop_pct"], crop_mode=config["crop_mode"], num_workers=0)
    logits, targets = [], []
    with torch.no_grad():
        for x, y in loader:
            logits.append(ref(x))
            targets.append(y)
    logits, targets = torch.cat(logits), torch.cat(targets)
    top1, top5 = accuracy(logits, targets, topk=(1, 5))
    assert row["top1"] == pytest.approx(float(top1), abs=1e-3)
    assert row["top5"] == pytest.approx(float(top5), abs=1e-3)
    assert row["loss"] == pytest.approx(float(torch.nn.functional.cross_entropy(logits, targets)), abs=1e-3)


def test_model_wildcards_expand_to_registered_names():
    from imagemodels.cli._common import expand_model_names
    from imagemodels.cli.main import CommandError

    names = expand_model_names("resnet1[08]*", None)
    assert "resnet10t" in names and "resnet18" in names and all(n.startswith(("resnet10", "resnet18")) for n in names)
    assert expand_model_names(None, "best.pth.tar") == [None]  # the checkpoint names its arch
    with pytest.raises(CommandError, match="one model"):
        expand_model_names("resnet*", "best.pth.tar")
    with pytest.raises(CommandError, match="--model NAME, --checkpoint PATH"):
        expand_model_names(None, None)


@pytest.mark.slow  # importing datasets (pyarrow, pandas) alone takes ~20 s on a loaded 2-core machine
def test_validate_hfds_dataset(capsys, tmp_path):
    """A Hugging Face dataset saved to disk, read through --dataset hfds/<name> --data-dir."""
    datasets = pytest.importorskip("datasets")
    from PIL import Image

    features = datasets.Features({"image": datasets.Image(), "label": datasets.ClassLabel(names=[str(i) for i in range(10)])})
    labels = [3, 3, 7, 1, 5, 3]
    images = [Image.new("RGB", (24, 24), (30 * i, 0, 0)) for i in range(len(labels))]
    split = datasets.Dataset.from_dict({"image": images, "label": labels}, features=features)
    datasets.DatasetDict({"validation": split}).save_to_disk(str(tmp_path / "toy"))
    ckpt = save_training_checkpoint(tmp_path / "best.pth.tar", biased_model())
    results = tmp_path / "r.json"
    rc, _, err = cli(capsys, "validate", "--dataset", "hfds/toy", "--data-dir", tmp_path, "--checkpoint", ckpt,
                     "--img-size", 32, "-j", 0, "--results-file", results)
    assert rc == 0, err
    (row,) = json.loads(results.read_text())
    assert row["top1"] == pytest.approx(50.0)  # three of six are 3s
    assert row["top5"] == pytest.approx(100.0 * 5 / 6)  # 5 is outside the head's top five (3, 7, 1, 0, 9)
