"""torch.distributed helpers: average a metric across ranks, sync BatchNorm stats, set up from env vars.

The launcher (``torchrun``) or SLURM sets ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE``;
``init_distributed_device`` reads them, starts the process group and picks this rank's device.
"""
from __future__ import annotations

import os
from typing import Optional

import torch
import torch.distributed as dist

from .model import unwrap_model

__all__ = ["reduce_tensor", "distribute_bn", "init_distributed_device", "is_primary", "is_local_primary",
           "is_global_primary", "is_distributed_env", "world_info_from_env"]


def reduce_tensor(tensor: torch.Tensor, n: int) -> torch.Tensor:
    """The sum of ``tensor`` over all ranks divided by ``n`` (the world size gives the mean)."""
    out = tensor.clone()
    dist.all_reduce(out, op=dist.ReduceOp.SUM)
    out /= n
    return out


def distribute_bn(model, world_size: int, reduce: bool = False):
    """Make BatchNorm running stats agree across ranks: averaged (``reduce=True``) or rank 0's copied."""
    for name, buf in unwrap_model(model).named_buffers(recurse=True):
        if "running_mean" in name or "running_var" in name:
            if reduce:
                dist.all_reduce(buf, op=dist.ReduceOp.SUM)
                buf /= float(world_size)
            else:
                dist.broadcast(buf, 0)


def is_global_primary(args) -> bool:
    return getattr(args, "rank", 0) == 0


def is_local_primary(args) -> bool:
    return getattr(args, "local_rank", 0) == 0


def is_primary(args, local: bool = False) -> bool:
    """Whether this process should log and save: rank 0 overall, or on this node with ``local``."""
    return is_local_primary(args) if local else is_global_primary(args)


def is_distributed_env() -> bool:
    if "WORLD_SIZE" in os.environ:
        return int(os.environ["WORLD_SIZE"]) > 1
    if "SLURM_NTASKS" in os.environ:
        return int(os.environ["SLURM_NTASKS"]) > 1
    return False


def world_info_from_env():
    """``(local_rank, global_rank, world_size)`` from torchrun / MPI / SLURM variables (0, 0, 1 without)."""
    def first(*names, default=0):
        for name in names:
            if name in os.environ:
                return int(os.environ[name])
        return default

    local_rank = first("LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK")
    global_rank = first("RANK", "PMI_RANK", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK")
    world_size = first("WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS", "OMPI_COMM_WORLD_SIZE", default=1)
    return local_rank, global_rank, world_size


def init_distributed_device(args) -> torch.device:
    """Start the process group when the environment says so; set ``args.distributed``, ``world_size``,
    ``rank``, ``local_rank`` and ``device`` (a string such as ``'cuda:1'``); return the device."""
    requested = getattr(args, "device", None) or "cuda"
    backend: Optional[str] = getattr(args, "dist_backend", None)
    url: Optional[str] = getattr(args, "dist_url", None)
    device_type = torch.device(requested).type
    if device_type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' was requested but CUDA is not available; pass --device cpu")

    local_rank, rank, world_size = 0, 0, 1
    distributed = is_distributed_env()
    if distributed:
        local_rank, rank, world_size = world_info_from_env()
        if backend is None:
            backend = "nccl" if device_type == "cuda" else "gloo"
        if not dist.is_initialized():
            # env:// reads MASTER_ADDR/MASTER_PORT; RANK/WORLD_SIZE are passed because SLURM names differ
            dist.init_process_group(backend=backend, init_method=url or "env://", world_size=world_size,
                                    rank=rank)
        world_size, rank = dist.get_world_size(), dist.get_rank()

    device = requested
    if device_type != "cpu" and ":" not in requested:
        device = f"{device_type}:{local_rank}" if distributed else f"{device_type}:0"
    if device_type == "cuda":
        torch.cuda.set_device(device)

    args.distributed = distributed
    args.world_size = world_size
    args.rank = rank
    args.local_rank = local_rank
    args.device = device
    return torch.device(device)
