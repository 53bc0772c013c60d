"""``imagemodels train``: the reference recipes' flag sets run, recipes and flags combine, bad input is one line.

Runs are in-process (``train_command``) on the embedded digits set with the tiny ``test_resnet`` at
16x16 and two steps per epoch, so each takes seconds; the reference's documented recipes run with the
models they name (efficientnet_b2, mobilenetv3_large_100, resnet50, resnext50_32x4d, seresnet34).
"""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml

from imagemodels.cli.main import main
from imagemodels.cli.train import train_command
from imagemodels.engine.config import ConfigError, parse_train_args

REPO = Path(__file__).resolve().parents[1]
TINY = ["--dataset", "digits", "--model", "test_resnet", "--img-size", "16", "--epochs", "1", "-b", "8",
        "--max-steps-per-epoch", "2", "-j", "0", "--log-interval", "1", "--device", "cpu"]


@pytest.fixture(autouse=True)
def one_thread():
    # a shared 2-core box: one intra-op thread is several times faster than two fighting for it
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def train(tmp_path, *flags, experiment="run"):
    code = train_command([*TINY, "--output", str(tmp_path), "--experiment", experiment, *flags])
    return code, tmp_path / experiment


# the reference's documented recipes with their own models, one short epoch each
RECIPES = {
    "efficientnet_b2": "--model efficientnet_b2 --sched step --decay-epochs 2.4 --decay-rate .97 --opt rmsproptf --opt-eps .001 "
                       "--warmup-lr 1e-6 --weight-decay 1e-5 --drop 0.3 --drop-connect 0.2 --model-ema "
                       "--model-ema-decay 0.9999 --aa rand-m9-mstd0.5 --remode pixel --reprob 0.2 --amp --lr .016",
    "lr_noise": "--model mobilenetv3_large_100 --sched step --lr-noise 0.42 0.9 --lr .05",
    "augmix_jsd": "--model resnet50 --aug-splits 3 --jsd --split-bn --resplit --dist-bn reduce --aa augmix-m3-w3 --reprob 0.3",
    "randaug_inc": "--model resnext50_32x4d --recount 3 --aa rand-m7-mstd0.5-inc1 --reprob 0.4 --remode pixel",
    "cosine_warmup": "--model seresnet34 --sched cosine --warmup-epochs 5 --reprob 0.5 --remode pixel --lr 0.1 --aug-repeats 3",
    "mixup_bce": "--mixup 0.2 --cutmix 1.0 --bce-loss --smoothing 0.1 --opt lamb --lr 1e-3",
    "accum_clip": "--grad-accum-steps 2 --clip-grad 1.0 --clip-mode norm --layer-decay 0.8 --channels-last "
                  "--opt adamw --lr 1e-3 --sched-on-updates --no-prefetcher --grad-checkpointing",
}


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_reference_recipe_flags_train_one_epoch(tmp_path, name):
    code, out = train(tmp_path, *RECIPES[name].split())
    assert code == 0
    with open(out / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"]
    assert len(rows) == 1 and float(rows[0]["train_loss"]) > 0
    model = RECIPES[name].split("--model ")[1].split()[0] if "--model " in RECIPES[name] else "test_resnet"
    saved = yaml.safe_load((out / "args.yaml").read_text())
    assert saved["model"] == model and saved["epochs"] == 1
    assert vars(parse_train_args(["--config", str(out / "args.yaml")]))["model"] == model  # a recipe again
    checkpoint = torch.load(out / "last.pth.tar", map_location="cpu", weights_only=True)
    assert {"state_dict", "optimizer", "scheduler", "train_state", "rng", "epoch", "arch"} <= set(checkpoint)
    assert checkpoint["train_state"]["resume_epoch"] == 1
    if "--model-ema" in RECIPES[name]:
        assert "state_dict_ema" in checkpoint


def test_multi_label_reports_map(tmp_path):
    code, out = train(tmp_path, "--multi-label", "--eval-metric", "map")
    assert code == 0
    with open(out / "summary.csv") as f:
        row = next(csv.DictReader(f))
    assert "eval_map" in row and 0 <= float(row["eval_map"]) <= 100


def test_summary_png_when_matplotlib_is_installed(tmp_path):
    pytest.importorskip("matplotlib")
    code, out = train(tmp_path)
    assert code == 0 and (out / "summary.png").stat().st_size > 1000


def test_recipe_sets_defaults_and_flags_win(tmp_path):
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("model: resnet18\nlr: 0.5\nepochs: 7\nbatch-size: 12\nopt_eps: 0.001\n")
    args = parse_train_args(["--config", str(recipe), "--lr", "0.1", "--dataset", "digits"])
    assert (args.model, args.lr, args.epochs, args.batch_size, args.opt_eps) == ("resnet18", 0.1, 7, 12, 0.001)
    assert args.sched == "cosine"  # untouched by the recipe: the built-in default


def test_recipe_with_unknown_key_is_rejected_with_a_hint(tmp_path):
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("modle: resnet18\n")
    with pytest.raises(ConfigError, match="modle .did you mean model"):
        parse_train_args(["--config", str(recipe)])


def test_positional_data_dir_and_accepted_flag_spellings():
    args = parse_train_args(["/data/imagenet", "--jsd", "--dr", "0.5", "--local-rank", "0", "--torchcompile"])
    assert args.data_dir == "/data/imagenet" and args.jsd_loss and args.decay_rate == 0.5
    assert args.torchcompile == "inductor"


def test_shipped_recipes_parse():
    for path in sorted((REPO / "configs").glob("*.yaml")):
        parse_train_args(["--config", str(path)])


# --- bad input: one line, non-zero exit ----------------------------------------------------------

def _cli(capsys, *argv):
    code = main(["train", *argv])
    return code, capsys.readouterr().err.strip().splitlines()


def test_missing_data_dir_is_one_line(capsys, tmp_path):
    code, err = _cli(capsys, "--model", "test_resnet", "--data-dir", str(tmp_path / "nope"), "--output", str(tmp_path))
    assert code == 2 and "does not exist" in err[-1] and err[-1].startswith("imagemodels train: error:")
    code, err = _cli(capsys, "--model", "test_resnet", "--output", str(tmp_path))
    assert code == 2 and "--data-dir" in err[-1] and "--dataset digits" in err[-1]


def test_unknown_model_is_one_line(capsys, tmp_path):
    code, err = _cli(capsys, *TINY, "--model", "resnet5O", "--output", str(tmp_path))
    assert code == 2 and "resnet5O" in err[-1] and "did you mean" in err[-1]


def test_checkpoint_of_another_architecture_is_one_line(capsys, tmp_path):
    other = tmp_path / "other.pth.tar"
    from imagemodels import create_model

    torch.save({"state_dict": create_model("resnet10t", num_classes=10).state_dict(), "epoch": 0}, other)
    for flag in ("--resume", "--initial-checkpoint"):
        code, err = _cli(capsys, *TINY, flag, str(other), "--output", str(tmp_path))
        assert code == 2, err
        assert str(other) in err[-1] and "does not fit" in err[-1] and "Traceback" not in "\n".join(err)


def test_bad_config_file_is_one_line(capsys, tmp_path):
    code, err = _cli(capsys, "--config", str(tmp_path / "missing.yaml"))
    assert code == 2 and err == [f"imagemodels train: error: config file not found: {tmp_path / 'missing.yaml'}"]


def test_python_dash_m_entry_point_shows_the_flags():
    result = subprocess.run([sys.executable, "-m", "imagemodels.train", "--help"], capture_output=True, text=True,
                            cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert result.returncode == 0
    for flag in ("--model-ema-decay", "--aug-splits", "--recovery-interval", "--resume", "--config"):
        assert flag in result.stdout




def test_sampler_order_depends_on_seed_and_epoch_and_skips_exactly():
    from imagemodels.engine.data import ResumableBatchSampler

    sampler = ResumableBatchSampler(50, 4, seed=1)
    sampler.set_epoch(2)
    epoch2 = list(sampler)
    sampler.set_epoch(3)
    assert list(sampler) != epoch2
    sampler.set_epoch(2)
    sampler.skip(5)
    assert list(sampler) == epoch2[5:] and len(sampler) == len(epoch2) - 5
    assert sorted(i for batch in epoch2 for i, _ in batch) == sorted(set(i for batch in epoch2 for i, _ in batch))
