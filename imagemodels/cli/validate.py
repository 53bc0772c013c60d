"""``imagemodels validate``: top-1/top-5 (or mAP) of one model, or of every model a wildcard matches.

Flag names follow the reference's validate.py. Data: ``--dataset digits`` (embedded), an image
folder or tar (``DATA`` / ``--data-dir``), ``hfds/<name>`` or ``wds/<name>``.
"""
from __future__ import annotations

import argparse
import logging
import os
import time

from ._common import (add_model_flags, add_runtime_flags, amp_dtype, checked_model, expand_model_names,
                      format_table, resolve_device, setup_logging, write_results)
from .main import CommandError

_logger = logging.getLogger("imagemodels.validate")


def register(sub) -> None:
    p = sub.add_parser("validate", help="accuracy of a model on a dataset", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", nargs="?", metavar="DATA", help="dataset root (same as --data-dir)")
    p.add_argument("--data-dir", metavar="DIR", help="dataset root: an image folder, a tar, or a folder of tars")
    p.add_argument("--dataset", "-d", default="", metavar="NAME",
                   help="'' (folder/tar), 'digits', 'hfds/<name>' or 'wds/<name>'")
    p.add_argument("--split", default="validation", help="dataset split (default: validation)")
    p.add_argument("--class-map", default="", metavar="FILE", help="class name -> index file")
    p.add_argument("--input-key", help="hfds/wds: the image field")
    p.add_argument("--target-key", help="hfds/wds: the label field")
    add_model_flags(p)
    p.add_argument("--batch-size", "-b", type=int, default=256, help="batch size (default: 256)")
    p.add_argument("--workers", "-j", type=int, default=4, help="data loader processes (default: 4)")
    p.add_argument("--img-size", type=int, help="input height and width")
    p.add_argument("--input-size", type=int, nargs=3, metavar=("C", "H", "W"), help="input size, e.g. 3 224 224")
    p.add_argument("--use-train-size", action="store_true", help="the training size even when weights have a test size")
    p.add_argument("--crop-pct", type=float, help="center crop fraction")
    p.add_argument("--crop-mode", help="center, squash or border")
    p.add_argument("--mean", type=float, nargs="+", help="normalisation mean")
    p.add_argument("--std", type=float, nargs="+", help="normalisation std")
    p.add_argument("--interpolation", help="resize interpolation (bilinear, bicubic, ...)")
    p.add_argument("--crop-border-pixels", type=int, help="trim this many pixels from each border before resizing")
    p.add_argument("--input-img-mode", default="RGB", help="PIL mode images are converted to (default: RGB)")
    p.add_argument("--pin-mem", action="store_true", help="pinned host memory for faster transfer to the GPU")
    p.add_argument("--reparam", action="store_true", help="fuse re-parameterizable blocks before evaluating")
    p.add_argument("--retry", action="store_true", help="halve the batch size after an out-of-memory error and retry")
    p.add_argument("--test-pool", action="store_true", help="test-time pooling when the input is larger than training's")
    p.add_argument("--no-prefetcher", action="store_true", help="normalise in the workers instead of on the device")
    p.add_argument("--multi-label", action="store_true", help="multi-hot targets: report mAP instead of top-k")
    p.add_argument("--real-labels", default="", metavar="FILE",
                   help="ImageNet ReaL labels (real.json): top-1/5 are scored against them instead of the folder labels")
    p.add_argument("--log-freq", type=int, default=10, help="log every N batches (default: 10)")
    add_runtime_flags(p)
    p.add_argument("--results-file", metavar="PATH", help="write results as CSV or JSON (by extension)")
    p.add_argument("--results-format", choices=["csv", "json"], help="override the results file format")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="tqdm bar (default: when stderr is a terminal)")
    p.set_defaults(func=run)


def _dataset(args):
    from ..data import create_dataset

    root = args.data or args.data_dir
    name = args.dataset or ""
    if name.lower() != "digits" and not name.lower().startswith("hfds/"):
        if root is None:
            raise CommandError("pass the dataset root (DATA or --data-dir), or --dataset digits")
        if not os.path.exists(root):
            raise CommandError(f"data dir not found: {root}")
    extra = {k: v for k, v in (("input_key", args.input_key), ("target_key", args.target_key)) if v}
    try:
        return create_dataset(name, root=root, split=args.split, class_map=args.class_map or None,
                              input_img_mode=args.input_img_mode, **extra)
    except (FileNotFoundError, NotImplementedError) as err:
        raise CommandError(str(err)) from None


def validate_one(args, name, dataset, device) -> dict:
    """One model's row; with ``--retry`` an out-of-memory batch is halved until it fits."""
    from ..engine.benchmark import run_with_batch_retry

    row, batch_size = run_with_batch_retry(lambda b: _validate_at(args, name, dataset, device, b),
                                           args.batch_size, retry=args.retry)
    row["batch_size"] = batch_size
    return row


def _validate_at(args, name, dataset, device, batch_size: int) -> dict:
    import torch

    from ..data import create_loader
    from ..engine.evaluate import evaluate
    from ..engine.predict import data_config_for
    from ..layers.test_time_pool import apply_test_time_pool

    model, meta = checked_model(args, name)
    arch = name or meta.arch
    if args.reparam:
        from ..utils.model import reparameterize_model

        model = reparameterize_model(model)
    config = data_config_for(model, meta.args if meta else None, use_test_size=not args.use_train_size,
                             img_size=args.img_size, input_size=args.input_size, crop_pct=args.crop_pct,
                             crop_mode=args.crop_mode, mean=args.mean, std=args.std, interpolation=args.interpolation)
    test_pool = False
    if args.test_pool:
        model, test_pool = apply_test_time_pool(model, config, use_test_size=not args.use_train_size)
    classes = len(getattr(dataset, "class_to_idx", None) or {}) or None
    if classes and not args.multi_label and getattr(model, "num_classes", classes) < classes:
        raise CommandError(f"the dataset has {classes} classes but {arch} has {model.num_classes} outputs; "
                           f"pass --num-classes {classes} with a --checkpoint trained on it")
    model = model.to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    if args.torchcompile:
        model = torch.compile(model, backend=args.torchcompile)
    loader = create_loader(dataset, input_size=config["input_size"], batch_size=batch_size,
                           use_prefetcher=not args.no_prefetcher, interpolation=config["interpolation"],
                           mean=config["mean"], std=config["std"], num_workers=args.workers,
                           crop_pct=config["crop_pct"], crop_mode=config["crop_mode"], device=device,
                           crop_border_pixels=args.crop_border_pixels, pin_memory=args.pin_mem,
                           distributed=getattr(args, "distributed", False))
    real = _real_labels(args, dataset)
    # evaluate() runs the model once per batch, in dataset order: a hook sees each batch's outputs.
    hook = model.register_forward_hook(lambda _m, _i, out: real.add_result(out)) if real else None
    start = time.perf_counter()
    try:
        metrics = evaluate(model, loader, device=device, amp_dtype=amp_dtype(args, device),
                           channels_last=args.channels_last, multi_label=args.multi_label,
                           log_interval=args.log_freq, progress=args.progress)
    finally:
        if hook is not None:
            hook.remove()
    seconds = time.perf_counter() - start
    if real:
        metrics.update(top1=real.get_accuracy(k=1), top5=real.get_accuracy(k=5))
    n_params = sum(p.numel() for p in model.parameters())
    row = {"model": arch}
    if args.multi_label:
        row["map"] = round(metrics["map"], 4)
    else:
        row.update(top1=round(metrics["top1"], 4), top1_err=round(100 - metrics["top1"], 4),
                   top5=round(metrics["top5"], 4), top5_err=round(100 - metrics["top5"], 4))
    row.update(loss=round(metrics["loss"], 4), param_count=round(n_params / 1e6, 3),
               img_size=config["input_size"][-1], crop_pct=config["crop_pct"],
               interpolation=config["interpolation"], test_pool=test_pool,
               samples_per_sec=round(len(dataset) / seconds, 1) if seconds > 0 else None)
    return row


def _real_labels(args, dataset):
    """A ReaL scorer for ``--real-labels``, or None."""
    if not args.real_labels:
        return None
    from ..data.real_labels import RealLabelsImagenet

    if args.multi_label or getattr(args, "distributed", False):
        raise CommandError("--real-labels scores single-label top-k in one process; drop --multi-label / distributed")
    if not hasattr(dataset, "filenames"):
        raise CommandError("--real-labels needs a dataset that knows its file names (an image folder or tar)")
    try:
        return RealLabelsImagenet(dataset.filenames(basename=True), real_json=args.real_labels)
    except (FileNotFoundError, ValueError) as err:
        raise CommandError(str(err)) from None


def _device(args):
    """This rank's device under torchrun / SLURM (starting the process group), else ``--device``.

    Distributed evaluation shards the data with ``OrderedDistributedSampler``, which pads the last
    shard by repeating samples so every rank runs the same number of batches: with N samples and W
    ranks up to W - 1 samples are counted twice, as in the reference.
    """
    from ..utils.distributed import init_distributed_device, is_distributed_env

    if not is_distributed_env():
        return resolve_device(args.device)
    import torch

    if args.device is None:
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    device = init_distributed_device(args)
    if args.rank != 0:
        logging.getLogger().setLevel(logging.WARNING)
    return device


def run(args) -> int:
    setup_logging()
    if args.batch_size < 1:
        raise CommandError(f"--batch-size must be at least 1, got {args.batch_size}")
    names = expand_model_names(args.model, args.checkpoint, pretrained=args.pretrained)
    dataset = _dataset(args)
    device = _device(args)
    rows = []
    for name in names:
        try:
            rows.append(validate_one(args, name, dataset, device))
        except Exception as err:  # one broken model must not end a sweep over a wildcard
            if len(names) == 1:
                raise
            _logger.warning("%s failed (%s: %s); continuing with the next model", name, type(err).__name__, err)
    if getattr(args, "distributed", False):
        import torch.distributed as dist

        dist.destroy_process_group()
        if args.rank != 0:  # every rank holds the same reduced metrics; rank 0 reports them
            return 0
    if not rows:
        raise CommandError(f"every model matching '{args.model}' failed")
    key = "map" if args.multi_label else "top1"
    rows.sort(key=lambda r: -r[key])
    print(format_table(rows, ["model", key, *(["top5"] if key == "top1" else []), "loss", "param_count",
                              "img_size", "crop_pct"]))
    if args.results_file:
        write_results(rows, args.results_file, args.results_format)
    return 0
