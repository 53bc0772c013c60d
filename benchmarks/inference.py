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
from typing import Callable, Dict, List

import torch


def _time_once(fn: Callable[[], object], iters: int) -> float:
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) / iters


def _paired(ours_t: List[float], theirs_t: List[float]) -> tuple:
    # each round times both back to back, so a round's ratio is untouched by drift between rounds;
    # the spread of these paired ratios is the measurement's own noise band
    paired = sorted(t / o for o, t in zip(ours_t, theirs_t))
    return statistics.median(paired), paired[0], paired[-1]


class _WithOneDNN(torch.nn.Module):
    """imagemodels with its opt-in oneDNN linear path switched on (layers/onednn_linear.py)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        from imagemodels.layers import set_onednn_linear

        with set_onednn_linear(True):
            return self.model(x)


def measure(name: str, batch: int, size: int, rounds: int, iters: int, threads: int, fuse: bool = False,
            onednn: bool = False) -> dict:
    import timm

    import imagemodels

    torch.set_num_threads(threads)
    theirs = timm.create_model(name).eval()
    ours = imagemodels.create_model(name).eval()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(0))
    candidates = {"ours": ours, "theirs": theirs}
    if fuse:
        from imagemodels.utils import fuse_conv_bn

        candidates["fused"] = fuse_conv_bn(ours, x)
    if onednn:
        candidates["onednn"] = _WithOneDNN(ours)
    with torch.inference_mode():
        want = theirs(x)
        # randomly initialised nets can have huge logits (inception_v3: ~1e12), so the tolerance
        # scales with the output; the default path is bit-identical anyway
        scale = max(1.0, want.abs().max().item())
        diffs = {k: (m(x) - want).abs().max().item() for k, m in candidates.items() if k != "theirs"}
        for key, diff in diffs.items():
            if not diff <= 1e-4 * scale:
                raise SystemExit(f"{name} ({key}): outputs differ by {diff} (output scale {scale:.3g}); "
                                 "fix parity before timing")
        for model in candidates.values():  # warm-up: allocator, kernels, caches
            _time_once(lambda: model(x), 2)
        times: Dict[str, List[float]] = {k: [] for k in candidates}
        order = list(candidates)
        for i in range(rounds):
            # the order rotates every round, so no variant always runs on a warm (or cold) cache
            for key in order[i % len(order):] + order[:i % len(order)]:
                times[key].append(_time_once(lambda: candidates[key](x), iters))
    ips = {k: batch / statistics.median(v) for k, v in times.items()}
    out = dict(model=name, ours=ips["ours"], theirs=ips["theirs"], ratio=ips["ours"] / ips["theirs"],
               diff=diffs["ours"])
    out["paired"], out["low"], out["high"] = _paired(times["ours"], times["theirs"])
    if fuse:
        out.update(fused=ips["fused"], fused_ratio=ips["fused"] / ips["theirs"], fused_diff=diffs["fused"],
                   fused_rel=diffs["fused"] / scale)
        out["fpaired"], out["flow"], out["fhigh"] = _paired(times["fused"], times["theirs"])
    if onednn:
        out.update(onednn=ips["onednn"], onednn_ratio=ips["onednn"] / ips["theirs"], onednn_diff=diffs["onednn"])
        out["opaired"], out["olow"], out["ohigh"] = _paired(times["onednn"], times["theirs"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=["resnet50"])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iters", type=int, default=3, help="forward passes per timed round")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--fuse", action="store_true",
                        help="also time imagemodels after utils.fuse_conv_bn (BatchNorm folded into its conv)")
    parser.add_argument("--onednn", action="store_true",
                        help="also time imagemodels with set_onednn_linear(True) (oneDNN matmuls, opt-in)")
    args = parser.parse_args()
    print(f"fp32, CPU, batch {args.batch}, {args.size}x{args.size}, {args.threads} threads, torch {torch.__version__}\n")
    print("| model | imagemodels img/s | timm img/s | ratio | paired ratio (min-max) | max abs diff |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name in args.models:
        r = measure(name, args.batch, args.size, args.rounds, args.iters, args.threads, args.fuse, args.onednn)
        print(f"| {r['model']} | {r['ours']:.1f} | {r['theirs']:.1f} | {r['ratio']:.2f} | "
              f"{r['paired']:.2f} ({r['low']:.2f}-{r['high']:.2f}) | {r['diff']:.1e} |", flush=True)
        if args.fuse:
            print(f"| {r['model']} + fuse_conv_bn | {r['fused']:.1f} | {r['theirs']:.1f} | {r['fused_ratio']:.2f} | "
                  f"{r['fpaired']:.2f} ({r['flow']:.2f}-{r['fhigh']:.2f}) | {r['fused_diff']:.1e} "
                  f"(relative {r['fused_rel']:.1e}) |", flush=True)
        if args.onednn:
            print(f"| {r['model']} + oneDNN linear | {r['onednn']:.1f} | {r['theirs']:.1f} | {r['onednn_ratio']:.2f} | "
                  f"{r['opaired']:.2f} ({r['olow']:.2f}-{r['ohigh']:.2f}) | {r['onednn_diff']:.1e} |", flush=True)


if __name__ == "__main__":
    main()
