"""Import cost of imagemodels next to timm, measured in one run, in fresh interpreters.

Every sample is a new ``python -c`` subprocess (nothing cached in ``sys.modules``) that times, with
``time.perf_counter`` inside the process, ``import torch`` and then ``import imagemodels`` or
``import timm``; so "X over torch" is what importing X adds to a program that already uses torch.
The cases are run round-robin, ``--repeat`` times each, and medians are reported. Optionally the
first ``list_models()`` call and a ``create_model(NAME)`` are timed in the same processes.

    python benchmarks/import_time.py                  # 7 rounds, with list_models()
    python benchmarks/import_time.py --repeat 15 --create resnet50
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]

# Runs in the child, with its settings as JSON in argv[1]. Prints one JSON line of seconds.
_CHILD = """
import json, sys, time
LIB, LIST_MODELS, CREATE = json.loads(sys.argv[1])
out = {}
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
out["torch"] = t1 - t0
if LIB:
    import importlib
    mod = importlib.import_module(LIB)
    t2 = time.perf_counter()
    out["import"] = t2 - t1
    if LIST_MODELS:
        names = mod.list_models()
        t3 = time.perf_counter()
        out["list_models"] = t3 - t2
        out["n_models"] = len(names)
    if CREATE:
        t4 = time.perf_counter()
        if mod.is_model(CREATE):
            mod.create_model(CREATE)
            out["create_model"] = time.perf_counter() - t4
print(json.dumps(out))
"""


def run_child(lib: str, list_models: bool, create: Optional[str]) -> Dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    result = subprocess.run([sys.executable, "-c", _CHILD, json.dumps([lib, list_models, create])], cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"child for {lib or 'torch'} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(repeat: int, list_models: bool, create: Optional[str]) -> Dict[str, List[Dict[str, float]]]:
    samples: Dict[str, List[Dict[str, float]]] = {"": [], "imagemodels": [], "timm": []}
    run_child("", False, None)  # warm the OS file cache so the first case is not penalised
    for _ in range(repeat):  # round-robin, so drift in machine load hits every case alike
        for lib in samples:
            samples[lib].append(run_child(lib, list_models and bool(lib), create if lib else None))
    return samples


def median(samples: List[Dict[str, float]], key: str) -> Optional[float]:
    values = [s[key] for s in samples if key in s]
    return statistics.median(values) if values else None


def _fmt(seconds: Optional[float]) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f}"


def _ratio(ours: Optional[float], theirs: Optional[float]) -> str:
    if ours is None or theirs is None or ours <= 0:
        return "n/a"
    return f"{theirs / ours:.0f}x" if theirs / ours >= 10 else f"{theirs / ours:.1f}x"


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def report(samples, repeat: int, create: Optional[str]) -> str:
    ours, theirs = samples["imagemodels"], samples["timm"]
    lines = [
        f"import time, median of {repeat} fresh processes each (milliseconds; python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; torch {_version('torch')}, timm {_version('timm')})",
        "",
        "| case | median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for label, lib, key in [
        ("`import torch` alone", "", "torch"),
        ("`import torch` (in the imagemodels runs)", "imagemodels", "torch"),
        ("`import torch` (in the timm runs)", "timm", "torch"),
    ]:
        values = [s[key] for s in samples[lib]]
        lines.append(f"| {label} | {_fmt(statistics.median(values))} | {_fmt(min(values))} | {_fmt(max(values))} |")
    lines += ["", "| measure | imagemodels | timm | timm / imagemodels |", "|---|---:|---:|---:|"]
    for sample in ours + theirs:
        sample["total"] = sample["torch"] + sample["import"]
    rows = [("`import torch; import X` (total)", "total"), ("`import X` over `import torch`", "import")]
    if any("list_models" in s for s in ours):
        rows.append(("first `X.list_models()`", "list_models"))
    if create:
        rows.append((f"`X.create_model('{create}')`", "create_model"))
    for label, key in rows:
        a, b = median(ours, key), median(theirs, key)
        lines.append(f"| {label} | {_fmt(a)} | {_fmt(b)} | {_ratio(a, b)} |")
    if any("list_models" in s for s in ours):
        a = statistics.median(s["import"] + s["list_models"] for s in ours)
        b = statistics.median(s["import"] + s["list_models"] for s in theirs)
        lines.append(f"| import + first `list_models()` over torch | {_fmt(a)} | {_fmt(b)} | {_ratio(a, b)} |")
        lines.append(f"| models listed | {ours[0]['n_models']} | {theirs[0]['n_models']} | |")
    if create and median(ours, "create_model") is None:
        lines.append(f"\n`{create}` is not registered in imagemodels yet, so create_model was not timed for it.")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh processes per case (default 7)")
    parser.add_argument("--no-list", action="store_true", help="do not time the first list_models() call")
    parser.add_argument("--create", metavar="NAME", help="also time create_model(NAME) after the import")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    import importlib.util

    if importlib.util.find_spec("timm") is None:
        parser.error('timm is the reference here; install it with: pip install -e ".[test]"')
    samples = measure(args.repeat, not args.no_list, args.create)
    print(report(samples, args.repeat, args.create))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
