"""metrics, model helpers (unwrap, freeze, reparameterize), distributed helpers and the model summary."""
import argparse
import os

import pytest
import torch
from torch import nn

import imagemodels.utils as U


# --- metrics -------------------------------------------------------------------------------------
def test_utils_accuracy_equals_reference():
    timm_utils = pytest.importorskip("timm.utils")
    g = torch.Generator().manual_seed(0)
    output = torch.randn(37, 10, generator=g)
    target = torch.randint(0, 10, (37,), generator=g)
    for topk in [(1,), (1, 5), (1, 3, 10, 20)]:
        ours = U.accuracy(output, target, topk=topk)
        ref = timm_utils.accuracy(output, target, topk=topk)
        assert [float(a) for a in ours] == [float(b) for b in ref]
    assert float(U.accuracy(output, target, topk=(20,))[0]) == 100.0


def test_utils_accuracy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="rows"):
        U.accuracy(torch.randn(4, 3), torch.zeros(5, dtype=torch.long))


def test_utils_average_meter():
    meter = U.AverageMeter()
    meter.update(2.0, n=3)
    meter.update(4.0)
    assert meter.val == 4.0 and meter.count == 4 and meter.sum == 10.0 and meter.avg == 2.5
    meter.reset()
    assert meter.count == 0 and meter.avg == 0


# --- model helpers -------------------------------------------------------------------------------
def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU()),
                         nn.Sequential(nn.Conv2d(4, 4, 3), nn.BatchNorm2d(4)), nn.Flatten())


def test_utils_unwrap_and_state_dict():
    model = _net()
    ema = U.ModelEmaV3(model)

    class Compiled(nn.Module):
        def __init__(self, m):
            super().__init__()
            self._orig_mod = m

    assert U.unwrap_model(ema) is ema.module
    assert U.unwrap_model(Compiled(model)) is model
    assert list(U.get_state_dict(ema)) == list(model.state_dict())


@pytest.mark.parametrize("submodules", [[], ["0"], ["1", "0.0"]])
def test_utils_freeze_matches_reference_and_unfreezes(submodules):
    timm_utils = pytest.importorskip("timm.utils")
    ours, ref = _net(), _net()
    U.freeze(ours, submodules)
    timm_utils.freeze(ref, submodules)
    assert [p.requires_grad for p in ours.parameters()] == [p.requires_grad for p in ref.parameters()]
    ours_bn = [type(m).__name__ for m in ours.modules()]
    ref_bn = [type(m).__name__ for m in ref.modules()]
    assert ours_bn == ref_bn
    x = torch.randn(2, 3, 8, 8)
    ours.train(), ref.train()
    torch.testing.assert_close(ours(x), ref(x))  # frozen BN uses running stats even in train mode
    U.unfreeze(ours, submodules)
    assert all(p.requires_grad for p in ours.parameters())
    assert not [m for m in ours.modules() if "Frozen" in type(m).__name__]


def test_utils_freeze_unknown_submodule_says_what_exists():
    with pytest.raises(KeyError, match="named_modules"):
        U.freeze(_net(), ["backbone"])


def test_utils_reparameterize_model_calls_hooks_on_a_copy():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(3, 3), nn.Linear(3, 3)
            self.fused = None

        def reparameterize(self):  # fold a + b into one linear layer
            self.fused = nn.Linear(3, 3)
            with torch.no_grad():
                self.fused.weight.copy_(self.a.weight + self.b.weight)
                self.fused.bias.copy_(self.a.bias + self.b.bias)

        def forward(self, x):
            return self.fused(x) if self.fused is not None else self.a(x) + self.b(x)

    model = nn.Sequential(Branchy(), nn.ReLU())
    x = torch.randn(2, 3)
    fused = U.reparameterize_model(model)
    assert model[0].fused is None and fused[0].fused is not None
    torch.testing.assert_close(fused(x), model(x))
    same = U.reparameterize_model(model, inplace=True)
    assert same is model and model[0].fused is not None


# --- distributed ---------------------------------------------------------------------------------
def test_utils_is_primary_and_single_process_init(monkeypatch):
    for var in ("WORLD_SIZE", "SLURM_NTASKS", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(var, raising=False)
    args = argparse.Namespace(device="cpu")
    assert U.init_distributed_device(args) == torch.device("cpu")
    assert (args.distributed, args.world_size, args.rank, args.local_rank) == (False, 1, 0, 0)
    assert U.is_primary(args) and U.is_primary(argparse.Namespace(rank=1, local_rank=0), local=True)
    assert not U.is_primary(argparse.Namespace(rank=1, local_rank=0))


def _dist_worker(rank, world_size, port, out_dir):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), WORLD_SIZE=str(world_size),
                      RANK=str(rank), LOCAL_RANK=str(rank))
    import torch.distributed as dist
    args = argparse.Namespace(device="cpu")
    U.init_distributed_device(args)
    try:
        mean = U.reduce_tensor(torch.tensor([float(rank + 1), 10.0 * rank]), world_size)
        averaged, broadcast = nn.BatchNorm1d(2), nn.BatchNorm1d(2)
        for bn in (averaged, broadcast):
            bn.running_mean.fill_(float(rank))
            bn.running_var.fill_(float(rank + 2))
        U.distribute_bn(averaged, world_size, reduce=True)
        U.distribute_bn(broadcast, world_size, reduce=False)
        torch.save(dict(args=vars(args), mean=mean, avg=averaged.state_dict(), bcast=broadcast.state_dict()),
                   os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def test_utils_reduce_and_distribute_bn_with_gloo(tmp_path):
    import socket
    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mp.spawn(_dist_worker, args=(2, port, str(tmp_path)), nprocs=2, join=True)
    for rank in range(2):
        r = torch.load(tmp_path / f"rank{rank}.pt", weights_only=True)
        assert r["args"]["distributed"] and r["args"]["world_size"] == 2 and r["args"]["rank"] == rank
        torch.testing.assert_close(r["mean"], torch.tensor([1.5, 5.0]))
        torch.testing.assert_close(r["avg"]["running_mean"], torch.full((2,), 0.5))
        torch.testing.assert_close(r["avg"]["running_var"], torch.full((2,), 2.5))
        torch.testing.assert_close(r["bcast"]["running_mean"], torch.zeros(2))
        torch.testing.assert_close(r["bcast"]["running_var"], torch.full((2,), 2.0))


# --- summary -------------------------------------------------------------------------------------
def test_utils_model_summary_counts():
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
                          nn.Linear(8 * 16 * 16, 10))
    s = U.model_summary(model, (3, 16, 16))
    assert s["params"] == sum(p.numel() for p in model.parameters())
    assert s["macs"] == 8 * 16 * 16 * 3 * 9 + 8 * 16 * 16 * 10
    assert s["gmacs"] == pytest.approx(s["macs"] / 1e9)
    assert s["activations"] == 8 * 16 * 16 + 10
    assert U.model_summary(model, (3, 16, 16), batch_size=2)["activations"] == 2 * s["activations"]
    with pytest.raises(ValueError, match="batch dim"):
        U.model_summary(model, (0, 16, 16))


def test_utils_import_is_torch_free_and_lists_names():
    import subprocess
    import sys
    code = ("import sys, imagemodels.utils as u; u.sample_image_path(); "
            "print('torch' in sys.modules, 'CheckpointSaver' in dir(u))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_utils_every_public_name_resolves_and_accepts_reference_keywords():
    import inspect
    timm_utils = pytest.importorskip("timm.utils")
    for name in U.__all__:
        ours = getattr(U, name)
        ref = getattr(timm_utils, name, None)
        if ref is None or not callable(ref):
            continue
        ours_params = inspect.signature(ours).parameters
        missing = [p for p in inspect.signature(ref).parameters if p not in ours_params]
        assert not missing, f"{name} lacks the reference's keywords {missing}"
