"""Inference throughput of imagemodels next to timm, same weights, same input, one run.

For each model: build it in both libraries, copy the reference weights into ours (strict), check the
outputs agree (max abs diff <= 1e-4), then time ``model(x)`` under ``torch.inference_mode`` in
alternating rounds (ours, theirs, ours, ...) so machine-load drift hits both alike. Reports median
images/s and ours/theirs.

    python benchmarks/inference.py resnet50 --batch 8 --size 224 --rounds 7
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable, List

import torch


def _time_once(fn: Callable[[], object], iters: int) -> float:
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) / iters


def measure(name: str, batch: int, size: int, rounds: int, iters: int, threads: int) -> dict:
    import timm

    import imagemodels

    torch.set_num_threads(threads)
    theirs = timm.create_model(name).eval()
    ours = imagemodels.create_model(name).eval()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        diff = (ours(x) - theirs(x)).abs().max().item()
        if not diff <= 1e-4:
            raise SystemExit(f"{name}: outputs differ by {diff}; fix parity before timing")
        for model in (ours, theirs):  # warm-up: allocator, kernels, caches
            _time_once(lambda: model(x), 2)
        ours_t: List[float] = []
        theirs_t: List[float] = []
        for i in range(rounds):
            # which library goes first swaps every round, so neither always runs on a warm cache
            pair = [(ours_t, ours), (theirs_t, theirs)]
            for times, model in (pair if i % 2 == 0 else pair[::-1]):
                times.append(_time_once(lambda: model(x), iters))
    ours_ips = batch / statistics.median(ours_t)
    theirs_ips = batch / statistics.median(theirs_t)
    # each round times both back to back, so a round's ratio is untouched by drift between rounds;
    # the spread of these paired ratios is the measurement's own noise band
    paired = sorted(t / o for o, t in zip(ours_t, theirs_t))
    return dict(model=name, ours=ours_ips, theirs=theirs_ips, ratio=ours_ips / theirs_ips, diff=diff,
                paired=statistics.median(paired), low=paired[0], high=paired[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=["resnet50"])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iters", type=int, default=3, help="forward passes per timed round")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    print(f"fp32, CPU, batch {args.batch}, {args.size}x{args.size}, {args.threads} threads, torch {torch.__version__}\n")
    print("| model | imagemodels img/s | timm img/s | ratio | paired ratio (min-max) | max abs diff |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name in args.models:
        r = measure(name, args.batch, args.size, args.rounds, args.iters, args.threads)
        print(f"| {r['model']} | {r['ours']:.1f} | {r['theirs']:.1f} | {r['ratio']:.2f} | "
              f"{r['paired']:.2f} ({r['low']:.2f}-{r['high']:.2f}) | {r['diff']:.1e} |", flush=True)


if __name__ == "__main__":
    main()
