"""Training speed and accuracy of ``imagemodels train`` next to the reference library, same recipe.

The reference ships its training script outside its wheel (it is not in ``pip install timm``), so
the reference side here is that script's loop rebuilt from the reference's public API, step for
step as its train.py runs it on the CPU: ``create_dataset`` + ``create_loader`` (prefetcher on,
same augmentation arguments), ``create_optimizer_v2``, ``create_scheduler_v2`` stepped per update
and per epoch, label-smoothing cross-entropy, an evaluation pass after every epoch.
Both sides run as fresh subprocesses on the embedded digits set with the recipe in
``configs/digits_quick.yaml`` (same seed, same epochs), alternating which goes first. Reported:
wall time of the whole run divided by its epochs (process start-up, imports and dataset set-up
included on both sides) and the final top-1.

    python benchmarks/train_vs_reference.py                       # configs/digits_quick.yaml, 2 rounds
    python benchmarks/train_vs_reference.py --epochs 3 --rounds 1
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The reference side: the CPU path of the reference's train.py, written against its public API.
REFERENCE_LOOP = r'''
import json, sys
import torch
import timm
from timm.data import create_dataset, create_loader, resolve_data_config
from timm.loss import LabelSmoothingCrossEntropy
from timm.optim import create_optimizer_v2
from timm.scheduler import create_scheduler_v2
from timm.utils import accuracy

cfg, root = json.loads(sys.argv[1]), sys.argv[2]
torch.manual_seed(cfg["seed"])
model = timm.create_model(cfg["model"], num_classes=10)
data_config = resolve_data_config(dict(input_size=(3, cfg["img_size"], cfg["img_size"])), model=model)
train_ds = create_dataset("", root=root, split="train", is_training=True)
eval_ds = create_dataset("", root=root, split="val")
train_loader = create_loader(
    train_ds, input_size=data_config["input_size"], batch_size=cfg["batch_size"], is_training=True,
    use_prefetcher=True, scale=cfg["scale"], ratio=cfg["ratio"], hflip=cfg["hflip"], color_jitter=cfg["color_jitter"],
    interpolation="random", mean=data_config["mean"], std=data_config["std"], num_workers=cfg["workers"],
    device=torch.device("cpu"))
eval_loader = create_loader(
    eval_ds, input_size=data_config["input_size"], batch_size=cfg["batch_size"], is_training=False,
    use_prefetcher=True, interpolation=data_config["interpolation"], mean=data_config["mean"],
    std=data_config["std"], num_workers=cfg["workers"], crop_pct=data_config["crop_pct"], device=torch.device("cpu"))
optimizer = create_optimizer_v2(model, opt=cfg["opt"], lr=cfg["lr"], weight_decay=cfg["weight_decay"])
scheduler, epochs = create_scheduler_v2(optimizer, sched=cfg["sched"], num_epochs=cfg["epochs"],
                                        warmup_epochs=cfg["warmup_epochs"], warmup_lr=cfg["warmup_lr"],
                                        updates_per_epoch=len(train_loader))
loss_fn = LabelSmoothingCrossEntropy(smoothing=cfg["smoothing"])
top1 = 0.0
for epoch in range(epochs):
    model.train()
    num_updates = epoch * len(train_loader)
    for x, y in train_loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        num_updates += 1
        scheduler.step_update(num_updates=num_updates)
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in eval_loader:
            acc1 = accuracy(model(x), y, topk=(1,))[0]
            correct += acc1.item() * x.shape[0]
            total += x.shape[0]
    top1 = correct / total
    scheduler.step(epoch + 1, top1)
print(json.dumps(dict(top1=top1)))
'''


def recipe(path: Path, epochs: int | None) -> dict:
    import yaml

    cfg = yaml.safe_load(path.read_text())
    if epochs:
        cfg["epochs"] = epochs
    cfg.setdefault("seed", 42)
    cfg.setdefault("workers", 1)
    return cfg


def run_reference(cfg: dict, root: Path) -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", REFERENCE_LOOP, json.dumps(cfg), str(root)],
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return dict(json.loads(out.stdout.strip().splitlines()[-1]), epoch_time=wall / cfg["epochs"])


def run_ours(config: Path, cfg: dict, root: Path, output: Path) -> dict:
    env = dict(os.environ, IMAGEMODELS_DATA_DIR=str(root.parent), PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "imagemodels.train", "--config", str(config), "--epochs", str(cfg["epochs"]),
           "--seed", str(cfg["seed"]), "--output", str(output), "--experiment", "bench"]
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    wall = time.perf_counter() - start
    with open(output / "bench" / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    return dict(epoch_time=wall / cfg["epochs"], top1=float(rows[-1]["eval_top1"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(REPO / "configs" / "digits_quick.yaml"))
    parser.add_argument("--epochs", type=int, default=None, help="override the recipe's epochs")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    config = Path(args.config)
    cfg = recipe(config, args.epochs)
    sys.path.insert(0, str(REPO))
    from imagemodels.data.digits import materialize_digits

    with tempfile.TemporaryDirectory() as tmp:
        root = materialize_digits(Path(tmp) / "digits")
        results = {"imagemodels": [], "timm": []}
        for r in range(args.rounds):
            order = ["imagemodels", "timm"] if r % 2 == 0 else ["timm", "imagemodels"]
            for lib in order:
                res = run_ours(config, cfg, root, Path(tmp) / f"run{r}") if lib == "imagemodels" \
                    else run_reference(cfg, root)
                results[lib].append(res)
                print(f"round {r} {lib}: {res['epoch_time']:.2f} s/epoch, top-1 {res['top1']:.2f}",
                      flush=True)
    print(f"\n{cfg['model']} on digits, {cfg['epochs']} epochs, batch {cfg['batch_size']}, {cfg['img_size']}px")
    print("| library | s/epoch (median over rounds) | final top-1 |\n|---|---:|---:|")
    med = {}
    for lib, runs in results.items():
        med[lib] = statistics.median(run["epoch_time"] for run in runs)
        print(f"| {lib} | {med[lib]:.2f} | {statistics.median(run['top1'] for run in runs):.2f} |")
    print(f"\ntime per epoch, imagemodels / timm: {med['imagemodels'] / med['timm']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
