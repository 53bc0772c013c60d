"""Build the pieces of a training run from its flags: datasets, model, loaders, loss, optimizer.

Each function takes the parsed ``args`` (timm's train.py names) and returns one piece; ``train.run``
puts them together. Errors a user can fix raise :class:`TrainError` with what to do.
"""
from __future__ import annotations

import logging
import math
from typing import Optional

import torch
from torch import nn

__all__ = ["TrainError", "resolve_lr", "create_datasets", "create_train_model", "create_train_loaders",
           "create_losses", "amp_settings", "build_run", "output_folder"]

_logger = logging.getLogger(__name__)

_AMP_DTYPES = {"float16": torch.float16, "fp16": torch.float16, "half": torch.float16,
               "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}


class TrainError(RuntimeError):
    """Bad input to a training run; the command line prints it as one line."""


def resolve_lr(args, world_size: int) -> float:
    """``--lr``, or ``--lr-base`` scaled by the global batch (sqrt for adaptive optimizers, as the reference)."""
    if args.lr is not None:
        return args.lr
    global_batch = args.batch_size * world_size * args.grad_accum_steps
    ratio = global_batch / args.lr_base_size
    scale = args.lr_base_scale or ("sqrt" if any(o in args.opt.lower() for o in ("ada", "lamb")) else "linear")
    if scale == "sqrt":
        ratio = ratio ** 0.5
    return args.lr_base * ratio


def _in_chans(args) -> int:
    if args.in_chans is not None:
        return args.in_chans
    return args.input_size[0] if args.input_size is not None else 3


def create_datasets(args):
    """``(train, eval)`` datasets; the eval one is None for an empty ``--val-split``."""
    from ..data import create_dataset

    name = args.dataset or ""
    if not args.data_dir and name.lower() in ("", "folder", "tar"):
        raise TrainError("no training data: give --data-dir DIR (an image folder with train/ and val/ inside) "
                         "or --dataset digits for the embedded digits set")
    extra = {k: getattr(args, k) for k in ("input_key", "target_key") if getattr(args, k) is not None}
    img_mode = args.input_img_mode or ("RGB" if _in_chans(args) == 3 else "L")
    common = dict(root=args.data_dir, class_map=args.class_map, download=args.dataset_download,
                  batch_size=args.batch_size, seed=args.seed, input_img_mode=img_mode,
                  trust_remote_code=args.dataset_trust_remote_code, **extra)
    try:
        train = create_dataset(name, split=args.train_split, is_training=True, repeats=args.epoch_repeats,
                               num_samples=args.train_num_samples, **common)
        evaluation = None
        if args.val_split:
            evaluation = create_dataset(name, split=args.val_split, is_training=False,
                                        num_samples=args.val_num_samples, **common)
    except (FileNotFoundError, NotImplementedError) as err:
        raise TrainError(str(err)) from None
    return train, evaluation


def _classifier_layer(head: nn.Module) -> nn.Module:
    """The layer holding a head's class weights (LeViT's head is BatchNorm + Linear)."""
    layers = [m for m in head.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    if not layers:
        raise TrainError(f"--head-init-scale/--head-init-bias: the classifier ({type(head).__name__}) has no "
                         "linear or conv layer; leave the flags out for this model")
    return layers[-1]


def create_train_model(args, num_classes: int):
    """The model as the flags describe it (head, dropout rates, BN overrides, grad checkpointing)."""
    from ..models import create_model

    overlay = dict(file=args.pretrained_path) if args.pretrained_path else None
    drop_path = args.drop_path if args.drop_path is not None else args.drop_connect
    model = create_model(
        args.model, pretrained=args.pretrained, pretrained_cfg_overlay=overlay, in_chans=_in_chans(args),
        num_classes=num_classes, drop_rate=args.drop, drop_path_rate=drop_path, drop_block_rate=args.drop_block,
        global_pool=args.gp, scriptable=args.torchscript or None,
        checkpoint_path=args.initial_checkpoint or None, **args.model_kwargs,
    )
    if args.head_init_scale is not None or args.head_init_bias is not None:
        heads = model.get_classifier()  # distilled models (DeiT, LeViT) return both heads
        with torch.no_grad():
            for head in heads if isinstance(heads, tuple) else (heads,):
                head = _classifier_layer(head)
                if args.head_init_scale is not None:
                    head.weight.mul_(args.head_init_scale)
                if args.head_init_bias is not None:
                    nn.init.constant_(head.bias, args.head_init_bias)
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            if args.bn_momentum is not None:
                module.momentum = args.bn_momentum
            if args.bn_eps is not None:
                module.eps = args.bn_eps
    if args.grad_checkpointing:
        model.set_grad_checkpointing(enable=True)
    if args.split_bn:
        if args.aug_splits < 2:
            raise TrainError("--split-bn needs --aug-splits 2 or more")
        from ..layers.split_batchnorm import convert_splitbn_model

        model = convert_splitbn_model(model, args.aug_splits)
    return model


def amp_settings(args, device: torch.device):
    """``(autocast context factory, amp dtype or None, loss scaling on?)``."""
    from contextlib import nullcontext
    from functools import partial

    if not args.amp:
        return nullcontext, None, False
    if args.amp_dtype not in _AMP_DTYPES:
        raise TrainError(f"--amp-dtype must be float16 or bfloat16, got {args.amp_dtype!r}")
    dtype = _AMP_DTYPES[args.amp_dtype]
    # loss scaling is for fp16 on an accelerator; bf16 keeps fp32's range
    return partial(torch.autocast, device_type=device.type, dtype=dtype), dtype, dtype == torch.float16 and device.type != "cpu"


def create_train_loaders(args, dataset_train, dataset_eval, data_config, device, world_size: int, rank: int):
    """``(train_loader, batch_sampler or None, eval_loader or None)``."""
    from ..data import create_loader
    from ..data.dataset import AugMixDataset
    from ..data.loader import PrefetchLoader, fast_collate
    from ..data.transforms_factory import create_transform
    from .data import ResumableBatchSampler, create_train_loader, workers_ignore_sigterm

    prefetch = not args.no_prefetcher
    splits = args.aug_splits
    if splits == 1 or splits < 0:
        raise TrainError(f"--aug-splits must be 0 or >= 2, got {splits}")
    interpolation = args.train_interpolation or data_config["interpolation"]
    re_splits = (splits or 2) if args.resplit else 0
    iterable = isinstance(dataset_train, torch.utils.data.IterableDataset)
    if iterable:  # streamed shards: the library loader (resumes at epoch boundaries only)
        train_loader = create_loader(
            dataset_train, input_size=data_config["input_size"], batch_size=args.batch_size, is_training=True,
            no_aug=args.no_aug, re_prob=args.reprob, re_mode=args.remode, re_count=args.recount, re_split=args.resplit,
            train_crop_mode=args.train_crop_mode, scale=args.scale, ratio=args.ratio, hflip=args.hflip, vflip=args.vflip,
            color_jitter=args.color_jitter, color_jitter_prob=args.color_jitter_prob,
            grayscale_prob=args.grayscale_prob or 0.0, gaussian_blur_prob=args.gaussian_blur_prob or 0.0,
            auto_augment=args.aa, num_aug_splits=splits, interpolation=interpolation, mean=data_config["mean"],
            std=data_config["std"], num_workers=args.workers, distributed=world_size > 1, pin_memory=args.pin_mem,
            device=device, use_prefetcher=prefetch, worker_seeding=args.worker_seeding)
        workers_ignore_sigterm(train_loader)
        sampler = None
    else:
        if splits > 1:
            dataset_train = AugMixDataset(dataset_train, num_splits=splits)
        dataset_train.transform = create_transform(
            data_config["input_size"], is_training=True, no_aug=args.no_aug, train_crop_mode=args.train_crop_mode,
            scale=args.scale, ratio=args.ratio, hflip=args.hflip, vflip=args.vflip, color_jitter=args.color_jitter,
            color_jitter_prob=args.color_jitter_prob, grayscale_prob=args.grayscale_prob or 0.0,
            gaussian_blur_prob=args.gaussian_blur_prob or 0.0, auto_augment=args.aa, interpolation=interpolation,
            mean=data_config["mean"], std=data_config["std"], re_prob=args.reprob, re_mode=args.remode,
            re_count=args.recount, re_num_splits=re_splits, use_prefetcher=prefetch, separate=splits > 0)
        sampler = ResumableBatchSampler(
            len(dataset_train), args.batch_size, seed=args.seed, world_size=world_size, rank=rank,
            repeats=args.aug_repeats, max_batches=args.max_steps_per_epoch)
        train_loader = create_train_loader(
            dataset_train, sampler, num_workers=args.workers, pin_memory=args.pin_mem, seed=args.seed,
            collate_fn=fast_collate if prefetch else torch.utils.data.default_collate)
        if prefetch:
            train_loader = PrefetchLoader(
                train_loader, mean=data_config["mean"], std=data_config["std"], channels=data_config["input_size"][0],
                device=device, re_prob=0.0 if args.no_aug else args.reprob, re_mode=args.remode,
                re_count=args.recount, re_num_splits=re_splits)

    eval_loader = None
    if dataset_eval is not None:
        eval_loader = create_loader(
            dataset_eval, input_size=data_config["input_size"], batch_size=args.validation_batch_size or args.batch_size,
            is_training=False, interpolation=data_config["interpolation"], mean=data_config["mean"],
            std=data_config["std"], num_workers=args.workers, distributed=world_size > 1,
            crop_pct=data_config["crop_pct"], pin_memory=args.pin_mem, device=device, use_prefetcher=prefetch)
        workers_ignore_sigterm(eval_loader)
        inner = getattr(eval_loader, "loader", eval_loader)
        # its own generator: drawing worker seeds must not consume the global RNG the training step uses
        inner.generator = torch.Generator().manual_seed(args.seed)
    return train_loader, sampler, eval_loader


def create_losses(args, mixup_active: bool):
    """``(train_loss_fn, eval_loss_fn)`` chosen as the reference script chooses them."""
    from ..loss import BinaryCrossEntropy, JsdCrossEntropy, LabelSmoothingCrossEntropy, SoftTargetCrossEntropy

    bce = dict(target_threshold=args.bce_target_thresh, sum_classes=args.bce_sum, pos_weight=args.bce_pos_weight)
    if args.multi_label:
        train = BinaryCrossEntropy(smoothing=args.smoothing, **bce)
        return train, BinaryCrossEntropy(smoothing=0.0)
    if args.jsd_loss:
        if args.aug_splits < 2:
            raise TrainError("--jsd-loss needs --aug-splits 2 or more")
        train = JsdCrossEntropy(num_splits=args.aug_splits, smoothing=args.smoothing)
    elif mixup_active:
        train = BinaryCrossEntropy(**bce) if args.bce_loss else SoftTargetCrossEntropy()
    elif args.smoothing:
        train = BinaryCrossEntropy(smoothing=args.smoothing, **bce) if args.bce_loss \
            else LabelSmoothingCrossEntropy(smoothing=args.smoothing)
    else:
        train = BinaryCrossEntropy(**bce) if args.bce_loss else nn.CrossEntropyLoss()
    return train, nn.CrossEntropyLoss()


def output_folder(args) -> str:
    """``--output`` (default ./output/train) / ``--experiment`` (default: time-model-size)."""
    import os
    from datetime import datetime

    name = args.experiment
    if not name:
        size = args.img_size or (args.input_size[-1] if args.input_size else "")
        name = "-".join(str(p) for p in (datetime.now().strftime("%Y%m%d-%H%M%S"), args.model.replace("/", "_"), size) if p != "")
    return os.path.join(args.output or os.path.join(".", "output", "train"), name)


def _num_classes(args, dataset_train) -> Optional[int]:
    if args.num_classes is not None:
        return args.num_classes
    classes = getattr(dataset_train, "class_to_idx", None) or getattr(getattr(dataset_train, "reader", None), "class_to_idx", None)
    return len(classes) if classes else None


def _load_resume(args, model, device) -> Optional[dict]:
    """The checkpoint ``--resume`` names (``auto``: the furthest one in the output folder), its weights loaded."""
    from ..models._helpers import CheckpointMismatchError, check_state_dict_fits, clean_state_dict
    from .state import ResumeError, find_auto_resume, read_checkpoint

    path = args.resume
    if path == "auto":
        path = find_auto_resume(args.output_dir)
        if path is None:
            _logger.info("--resume auto: no checkpoint in %s yet; starting from scratch", args.output_dir)
            return None
    try:
        checkpoint = read_checkpoint(path)
        state = clean_state_dict(checkpoint["state_dict"])
        check_state_dict_fits(model, state, what=f"--resume checkpoint '{path}' (saved from '{checkpoint.get('arch', '?')}')")
    except (ResumeError, CheckpointMismatchError) as err:
        raise TrainError(" ".join(line.strip() for line in str(err).splitlines())) from None
    model.load_state_dict(state)
    checkpoint["_path"] = path
    return checkpoint


def _mixup(args, num_classes):
    from ..data import Mixup

    if not (args.mixup > 0 or args.cutmix > 0 or args.cutmix_minmax is not None):
        return None
    return Mixup(mixup_alpha=args.mixup, cutmix_alpha=args.cutmix, cutmix_minmax=args.cutmix_minmax,
                 prob=args.mixup_prob, switch_prob=args.mixup_switch_prob, mode=args.mixup_mode,
                 label_smoothing=args.smoothing, num_classes=num_classes)


# flags of the reference script this engine accepts (so recipes run unchanged) but does not act on
_IGNORED = {
    "torchscript": "torch.jit.script is deprecated upstream; use --torchcompile",
    "fuser": "TorchScript fusers do not apply without --torchscript",
    "fast_norm": "no fused norm kernels here",
    "log_wandb": "no wandb logging; summary.csv and summary.png hold the curves",
    "save_images": "batches are not written to disk",
    "tta": "test-time augmentation is not applied during training evaluation",
    "model_dtype": "the model trains in float32 (use --amp for lower precision)",
    "device_modules": "no extra device backends are imported",
    "use_multi_epochs_loader": "the training loader keeps its workers across epochs anyway",
}


def _warn_ignored(args) -> None:
    for name, why in _IGNORED.items():
        if getattr(args, name, None):
            _logger.warning("--%s is accepted but has no effect: %s", name.replace("_", "-"), why)
    if args.amp_impl != "native":
        _logger.warning("--amp-impl %s: only native torch AMP exists here; using it", args.amp_impl)


def build_run(args):
    """Datasets, model, optimizer, scheduler, loaders, saver and resumed state: a ready :class:`TrainRun`."""
    import os

    from ..data import resolve_data_config
    from ..optim import create_optimizer_v2
    from ..optim._factory import optimizer_kwargs
    from ..scheduler import create_scheduler_v2
    from ..scheduler.scheduler_factory import scheduler_kwargs
    from ..utils import ModelEmaV3, NativeScaler, init_distributed_device, random_seed
    from ..utils.misc import get_outdir
    from .config import args_to_yaml
    from .state import TrainCheckpointSaver
    from .train import TrainRun

    _warn_ignored(args)
    if args.device is None:
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = init_distributed_device(args)
    except RuntimeError as err:
        raise TrainError(str(err)) from None
    world, rank = args.world_size, args.rank
    random_seed(args.seed, rank)
    args.output_dir = output_folder(args)

    dataset_train, dataset_eval = create_datasets(args)
    num_classes = _num_classes(args, dataset_train)
    model = create_train_model(args, num_classes)
    num_classes = model.num_classes
    data_config = resolve_data_config(vars(args), model=model, verbose=rank == 0)
    model.to(device)
    if args.channels_last:
        model.to(memory_format=torch.channels_last)
    checkpoint = _load_resume(args, model, device) if args.resume else None

    args.lr = resolve_lr(args, world)
    optimizer = create_optimizer_v2(model, **optimizer_kwargs(args), **args.opt_kwargs)
    autocast, amp_dtype, scaling = amp_settings(args, device)
    scaler = NativeScaler(device.type, enabled=scaling)
    model_ema = None
    if args.model_ema:
        model_ema = ModelEmaV3(model, decay=args.model_ema_decay, use_warmup=args.model_ema_warmup,
                               device="cpu" if args.model_ema_force_cpu else None)
    if world > 1:
        if args.sync_bn:
            if device.type != "cuda":
                raise TrainError("--sync-bn needs CUDA devices (PyTorch's SyncBatchNorm runs on GPUs only); "
                                 "on CPUs drop it or use a model without BatchNorm")
            model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
        ids = [device] if device.type == "cuda" else None
        model = nn.parallel.DistributedDataParallel(model, device_ids=ids, broadcast_buffers=not args.no_ddp_bb)
    if args.torchcompile:
        model = torch.compile(model, backend=args.torchcompile, mode=args.torchcompile_mode)

    train_loader, sampler, eval_loader = create_train_loaders(args, dataset_train, dataset_eval, data_config,
                                                              device, world, rank)
    mixup = _mixup(args, num_classes)
    loss_fn, eval_loss_fn = create_losses(args, mixup is not None)
    batches = sampler.batches_per_epoch if sampler is not None else len(train_loader)
    scheduler, num_epochs = create_scheduler_v2(optimizer, **scheduler_kwargs(args),
                                                updates_per_epoch=math.ceil(batches / args.grad_accum_steps))

    run = TrainRun(args=args, model=model, optimizer=optimizer, scheduler=scheduler, scaler=scaler,
                   loss_fn=loss_fn.to(device), eval_loss_fn=eval_loss_fn.to(device), train_loader=train_loader,
                   sampler=sampler, eval_loader=eval_loader, device=device, autocast=autocast, amp_dtype=amp_dtype,
                   model_ema=model_ema, mixup=mixup, output_dir=args.output_dir, world_size=world, rank=rank,
                   num_epochs=num_epochs, num_classes=num_classes)
    if rank == 0:
        try:
            get_outdir(args.output_dir)
            with open(os.path.join(args.output_dir, "args.yaml"), "w") as f:
                f.write(args_to_yaml(args))
        except OSError as err:
            raise TrainError(f"cannot write to the output folder {args.output_dir}: {err.strerror}") from None
        decreasing = "loss" in args.eval_metric
        run.saver = TrainCheckpointSaver(
            model, optimizer, args=args, model_ema=model_ema, amp_scaler=scaler if scaling else None,
            checkpoint_dir=args.output_dir, recovery_dir=args.output_dir, decreasing=decreasing,
            max_history=args.checkpoint_hist, scheduler=scheduler)
    if checkpoint is not None:
        _restore(run, checkpoint)
    elif args.start_epoch is not None:
        run.start_epoch = args.start_epoch
    if scheduler is not None and (run.start_epoch or run.num_updates):
        scheduler.step(run.start_epoch)
        scheduler.step_update(run.num_updates)
    _logger.info("training %s (%d classes) on %s: %d epochs of %d batches x %d x %d ranks, lr %.3g, output %s",
                 args.model, num_classes, device, num_epochs, batches, args.batch_size, world, args.lr, args.output_dir)
    return run


def _restore(run, checkpoint: dict) -> None:
    """Optimizer, scaler, scheduler, EMA, progress and RNG from a checkpoint whose weights are loaded."""
    from .state import progress_of, restore_rng

    args = run.args
    if not args.no_resume_opt:
        if "optimizer" in checkpoint:
            run.optimizer.load_state_dict(checkpoint["optimizer"])
        if run.scaler.enabled and run.scaler.state_dict_key in checkpoint:
            run.scaler.load_state_dict(checkpoint[run.scaler.state_dict_key])
        if run.scheduler is not None and "scheduler" in checkpoint:
            run.scheduler.load_state_dict(checkpoint["scheduler"])
    if run.model_ema is not None:
        ema_state = checkpoint.get("state_dict_ema")
        if ema_state:
            from ..models._helpers import clean_state_dict

            run.model_ema.module.load_state_dict(clean_state_dict(ema_state))
    run.start_epoch, run.start_batch = progress_of(checkpoint)
    ts = checkpoint.get("train_state") or {}
    run.num_updates = int(ts.get("num_updates", 0))
    run.epoch_loss = list(ts.get("epoch_loss", [0.0, 0]))
    if run.saver is not None:
        run.saver.restore_ranking(ts)
    rngs = checkpoint.get("rng_per_rank") or []
    if len(rngs) == run.world_size:
        restore_rng(rngs[run.rank])
    elif "rng" in checkpoint:
        restore_rng(checkpoint["rng"])
    _logger.info("resumed from %s at epoch %d, batch %d (%d updates)", checkpoint["_path"], run.start_epoch,
                 run.start_batch, run.num_updates)
