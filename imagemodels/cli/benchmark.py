"""``imagemodels benchmark``: inference / training throughput, step time, peak memory, params, GMACs.

One model or every model a wildcard matches; a batch that runs out of memory is halved until it
fits (``--no-retry`` turns that off). GMACs count convolutions, linear layers and matrix products
at batch size 1.
"""
from __future__ import annotations

import argparse
import logging

from ._common import (add_runtime_flags, amp_dtype, expand_model_names, format_table, resolve_device,
                      setup_logging, write_results)
from .main import CommandError

_logger = logging.getLogger("imagemodels.benchmark")


def register(sub) -> None:
    p = sub.add_parser("benchmark", help="throughput, memory and cost of models", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", "-m", required=True, metavar="NAME", help="model name or wildcard, e.g. 'resnet1*'")
    p.add_argument("--bench", choices=["infer", "train", "both"], default="both", help="what to time (default: both)")
    p.add_argument("--batch-size", "-b", type=int, default=256, help="batch size to start from (default: 256)")
    p.add_argument("--img-size", type=int, help="input height and width (default: the model's)")
    p.add_argument("--input-size", type=int, nargs=3, metavar=("C", "H", "W"), help="input size, e.g. 3 224 224")
    p.add_argument("--num-classes", type=int, help="classifier outputs (default: the model's)")
    p.add_argument("--num-warm-iter", type=int, default=10, help="untimed warm-up steps (default: 10)")
    p.add_argument("--num-bench-iter", type=int, default=40, help="timed steps (default: 40)")
    p.add_argument("--no-retry", action="store_true", help="fail on out-of-memory instead of halving the batch")
    p.add_argument("--lr", type=float, default=1e-4, help="SGD learning rate of the training step")
    add_runtime_flags(p)
    p.add_argument("--results-file", metavar="PATH", help="write the results as CSV (or JSON by extension)")
    p.add_argument("--results-format", choices=["csv", "json"], help="override the results file format")
    p.set_defaults(func=run)


def benchmark_one(args, name: str, device) -> dict:
    import torch

    from ..data.config import resolve_data_config
    from ..engine.benchmark import benchmark_inference, benchmark_train, run_with_batch_retry
    from ..models import create_model
    from ..utils.complexity import count_macs

    def build():
        model = create_model(name, num_classes=args.num_classes)
        model = model.to(device)
        if args.channels_last:
            model = model.to(memory_format=torch.channels_last)
        return model

    model = build()
    config = resolve_data_config({"img_size": args.img_size, "input_size": args.input_size}, model=model)
    input_size = config["input_size"]
    row = {"model": name, "param_count": round(sum(p.numel() for p in model.parameters()) / 1e6, 3)}
    try:
        row["gmacs"] = round(count_macs(model, input_size) / 1e9, 3)
    except Exception as err:  # counting is a nicety; a model it cannot trace still gets timed
        _logger.warning("could not count MACs of %s: %s", name, err)
        row["gmacs"] = None
    dtype = amp_dtype(args, device)
    common = dict(device=device, amp_dtype=dtype, channels_last=args.channels_last,
                  warmup=args.num_warm_iter, iters=args.num_bench_iter)
    retry = not args.no_retry
    for kind, fn in (("infer", benchmark_inference), ("train", benchmark_train)):
        if args.bench not in (kind, "both"):
            continue

        def run_batch(batch_size, kind=kind, fn=fn):
            net = build() if kind == "train" else model  # training changes the weights; give it its own copy
            if args.torchcompile:
                net = torch.compile(net, backend=args.torchcompile)
            extra = {"lr": args.lr} if kind == "train" else {}
            return fn(net, input_size, batch_size, **common, **extra)

        result, _ = run_with_batch_retry(run_batch, args.batch_size, retry=retry)
        row.update(result)
        _logger.info("%s %s: %.1f samples/s, %.2f ms/step, batch %d", name, kind,
                     result[f"{kind}_samples_per_sec"], result[f"{kind}_step_time"], result[f"{kind}_batch_size"])
    return row


def run(args) -> int:
    setup_logging()
    if args.batch_size < 1 or args.num_bench_iter < 1 or args.num_warm_iter < 0:
        raise CommandError("--batch-size and --num-bench-iter must be at least 1, --num-warm-iter at least 0")
    names = expand_model_names(args.model, None)
    device = resolve_device(args.device)
    rows = []
    for name in names:
        try:
            rows.append(benchmark_one(args, name, device))
        except Exception as err:  # one failing model must not end a sweep
            if len(names) == 1:
                raise
            _logger.warning("%s failed (%s: %s); continuing", name, type(err).__name__, err)
    if not rows:
        raise CommandError(f"every model matching '{args.model}' failed")
    columns = ["model", "param_count", "gmacs"]
    for kind in ("infer", "train"):
        if args.bench in (kind, "both"):
            columns += [f"{kind}_samples_per_sec", f"{kind}_step_time", f"{kind}_batch_size", f"{kind}_peak_mem_mb"]
    print(format_table(rows, columns))
    if args.results_file:
        write_results(rows, args.results_file, args.results_format)
    return 0
