"""``torchrun --nproc-per-node 2 -m imagemodels.train`` on CPU (gloo): two ranks of batch b train the same
model as one process of batch 2b.

The resumable sampler deals every global batch out over the ranks and DDP averages the ranks'
gradients, so the only difference left is the order of float sums. BatchNorm would normalise each
rank's half on its own (and SyncBatchNorm is GPU-only), so the model uses GroupNorm.
"""
import os
import socket
import subprocess
import sys
from pathlib import Path

import torch

from imagemodels.cli.train import train_command

REPO = Path(__file__).resolve().parents[1]
ARGS = ["--dataset", "digits", "--model", "test_resnet", "--model-kwargs", "norm_layer=groupnorm1",
        "--img-size", "16", "--epochs", "1", "--max-steps-per-epoch", "3", "-j", "0", "--device", "cpu",
        "--opt", "sgd", "--lr", "0.05", "--warmup-epochs", "0", "--aa", "rand-m9-mstd0.5", "--smoothing", "0.1",
        "--val-split", "", "--log-interval", "1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_ranks_equal_one_process_with_the_global_batch(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-addr", "127.0.0.1",
           "--master-port", str(free_port()), "-m", "imagemodels.train", *ARGS, "-b", "8",
           "--output", str(tmp_path), "--experiment", "ddp"]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "x 8 x 2 ranks" in result.stderr  # both ranks joined one process group

    torch.set_num_threads(1)
    assert train_command([*ARGS, "-b", "16", "--output", str(tmp_path), "--experiment", "single"]) == 0
    ddp = torch.load(tmp_path / "ddp" / "last.pth.tar", map_location="cpu", weights_only=True)
    single = torch.load(tmp_path / "single" / "last.pth.tar", map_location="cpu", weights_only=True)
    assert not any(k.startswith("module.") for k in ddp["state_dict"])  # saved unwrapped
    for name, value in single["state_dict"].items():
        torch.testing.assert_close(ddp["state_dict"][name], value, rtol=1e-5, atol=1e-6, msg=name)
    # rank 0 alone saved: last and checkpoint-0 (no model_best without an eval metric)
    assert sorted(p.name for p in tmp_path.glob("ddp/*.pth.tar")) == ["checkpoint-0.pth.tar", "last.pth.tar"]


def test_rank_batches_share_out_the_global_batch():
    from imagemodels.engine.data import ResumableBatchSampler

    single = ResumableBatchSampler(100, 16, seed=3)
    ranks = [ResumableBatchSampler(100, 8, seed=3, world_size=2, rank=r) for r in range(2)]
    for s in (single, *ranks):
        s.set_epoch(5)
    for whole, half0, half1 in zip(single, *ranks):
        assert whole[0::2] == half0 and whole[1::2] == half1  # same images, same augmentation seeds
    assert len(single) == len(ranks[0]) == 6
    repeated = [ResumableBatchSampler(100, 6, seed=3, world_size=3, rank=r, repeats=3) for r in range(3)]
    first = [next(iter(s))[0][0] for s in repeated]
    assert first[0] == first[1] == first[2]  # an image's three copies go to three ranks
