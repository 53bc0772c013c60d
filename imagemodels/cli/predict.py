"""``imagemodels predict`` (alias ``infer``): top-k classes of images, folders or globs.

ImageNet-1k names are built in for 1000-way heads; a checkpoint's saved class names, or
``--label-map`` (one name per line, or a JSON list / {index: name} object), name other heads.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from ._common import (add_model_flags, add_runtime_flags, amp_dtype, checked_model, dumps_results,
                      expand_model_names, resolve_device, setup_logging)
from .main import CommandError


def register(sub) -> None:
    p = sub.add_parser("predict", aliases=["infer"], help="classify images", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="IMAGE", help="image files, folders (searched recursively) or globs")
    add_model_flags(p, wildcard=False)
    p.add_argument("--topk", type=int, default=5, help="classes per image (default: 5)")
    p.add_argument("--label-map", "--class-map", dest="label_map", metavar="FILE",
                   help="output names: one per line, or a JSON list / {index: name} object")
    p.add_argument("--batch-size", "-b", type=int, default=32, help="batch size (default: 32)")
    p.add_argument("--workers", "-j", type=int, default=0, help="image reading processes (default: 0)")
    p.add_argument("--img-size", type=int, help="input height and width")
    p.add_argument("--input-size", type=int, nargs=3, metavar=("C", "H", "W"), help="input size, e.g. 3 224 224")
    p.add_argument("--crop-pct", type=float, help="center crop fraction")
    p.add_argument("--crop-mode", help="center, squash or border")
    p.add_argument("--interpolation", help="resize interpolation")
    add_runtime_flags(p)
    p.add_argument("--results-format", choices=["table", "csv", "json"], default=None,
                   help="output format (default: table, or the --results-file extension)")
    p.add_argument("--results-file", metavar="PATH", help="write the results here instead of stdout")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="tqdm bar (default: when stderr is a terminal)")
    p.set_defaults(func=run)


def read_label_map(path: str) -> list:
    if not os.path.isfile(path):
        raise CommandError(f"label map not found: {path}")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise CommandError(f"label map {path} is not valid JSON: {err}") from None
        if isinstance(data, dict):
            try:
                by_index = {int(k): str(v) for k, v in data.items()}
            except ValueError:  # {name: index}, the class_to_idx direction
                by_index = {int(v): str(k) for k, v in data.items()}
            return [by_index.get(i, str(i)) for i in range(max(by_index) + 1)]
        return [str(v) for v in data]
    # one name per line, as a class map file; 'name index' pairs keep only the name
    return [line.strip() for line in text.splitlines() if line.strip()]


def _rows(results):
    for path, top in results:
        row = {"image": str(path)}
        for rank, (label, prob, index) in enumerate(top, 1):
            row.update({f"label_{rank}": label, f"prob_{rank}": round(prob, 6), f"index_{rank}": index})
        yield row


def _table(results) -> str:
    lines = []
    for path, top in results:
        lines.append(str(path))
        lines += [f"  {rank}. {prob * 100:6.2f}%  {label}" for rank, (label, prob, _) in enumerate(top, 1)]
    return "\n".join(lines)


def run(args) -> int:
    setup_logging()
    from ..engine.predict import Classifier, data_config_for, find_images

    if args.topk < 1:
        raise CommandError(f"--topk must be at least 1, got {args.topk}")
    (name,) = expand_model_names(args.model, args.checkpoint)
    fmt = args.results_format or (os.path.splitext(args.results_file)[1].lstrip(".") if args.results_file else "table")
    if fmt not in ("table", "csv", "json"):
        raise CommandError(f"--results-format must be table, csv or json, got '{fmt}'")
    paths = find_images(args.inputs)  # before building anything: a bad path fails fast
    labels = read_label_map(args.label_map) if args.label_map else None
    model, meta = checked_model(args, name)
    if labels is None and meta is not None:
        labels = meta.label_names
    if labels is not None and len(labels) != model.num_classes:
        raise CommandError(f"{len(labels)} label names for a head of {model.num_classes} classes "
                           "(check --label-map / --num-classes)")
    device = resolve_device(args.device)
    config = data_config_for(model, meta.args if meta else None, use_test_size=True, img_size=args.img_size,
                             input_size=args.input_size, crop_pct=args.crop_pct, crop_mode=args.crop_mode,
                             interpolation=args.interpolation)
    if args.torchcompile:
        import torch

        model = torch.compile(model, backend=args.torchcompile)
    classifier = Classifier(model, data_config=config, label_names=labels, topk=args.topk, device=device,
                            amp_dtype=amp_dtype(args, device), channels_last=args.channels_last)
    results = list(classifier.classify_paths(paths, batch_size=args.batch_size, workers=args.workers,
                                             progress=args.progress))
    text = _table(results) + "\n" if fmt == "table" else dumps_results(list(_rows(results)), fmt)
    if args.results_file:
        os.makedirs(os.path.dirname(os.path.abspath(args.results_file)), exist_ok=True)
        with open(args.results_file, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(f"wrote {len(results)} predictions to {args.results_file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
