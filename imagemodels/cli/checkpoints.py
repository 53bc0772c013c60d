"""``imagemodels avg-checkpoints`` and ``imagemodels clean-checkpoint``: weights files from training runs.

avg-checkpoints averages the best ``-n`` checkpoints of a run (ranked by the metric each saved), or the
files listed; clean-checkpoint keeps only a checkpoint's weights (EMA by default) and prints the sha256.
"""
from __future__ import annotations

import argparse
import os

from .main import CommandError


def register(sub) -> None:
    p = sub.add_parser("avg-checkpoints", help="average the weights of several checkpoints", description=(
        "Average the weights of the best -n checkpoints in --input (ranked by their saved metric, highest "
        "first), or of the CHECKPOINT files given. Floating tensors are averaged in float64."))
    p.add_argument("checkpoints", nargs="*", metavar="CHECKPOINT", help="checkpoint files (instead of --input)")
    p.add_argument("--input", metavar="DIR", help="folder of a training run's checkpoints")
    p.add_argument("--filter", default="*.pth.tar", help="file pattern in --input (default: *.pth.tar)")
    p.add_argument("--output", default=None, help="output file (default: ./averaged.pth or .safetensors)")
    p.add_argument("-n", type=int, default=5, help="how many checkpoints to average (default: 5)")
    p.add_argument("--no-sort", action="store_true", help="take the first -n in name order, not the best by metric")
    p.add_argument("--use-ema", action=argparse.BooleanOptionalAction, default=True,
                   help="average the EMA weights where checkpoints have them (default: yes)")
    p.add_argument("--safetensors", action="store_true", help="write safetensors")
    p.set_defaults(func=run_average)

    p = sub.add_parser("clean-checkpoint", help="strip a training checkpoint down to its weights", description=(
        "Keep only the weights of a training checkpoint (no optimizer, no args), strip 'module.' prefixes, "
        "write .pth or .safetensors and print its sha256; the file name gets the hash's first 8 digits."))
    p.add_argument("checkpoint_pos", nargs="?", metavar="CHECKPOINT", help="checkpoint file (same as --checkpoint)")
    p.add_argument("--checkpoint", metavar="PATH", help="checkpoint file")
    p.add_argument("--output", metavar="PATH", help="output file (default: beside the input, '-clean' added)")
    p.add_argument("--use-ema", action=argparse.BooleanOptionalAction, default=True,
                   help="keep the EMA weights where the checkpoint has them (default: yes)")
    p.add_argument("--no-hash", action="store_true", help="do not add the sha256 prefix to the file name")
    p.add_argument("--clean-aux-bn", action="store_true", help="drop split-BN auxiliary layers (AugMix training)")
    p.add_argument("--safetensors", action="store_true", help="write safetensors")
    p.set_defaults(func=run_clean)


def run_average(args) -> int:
    from ..engine.checkpoints import CheckpointError, average_checkpoints, file_sha256, find_checkpoints, save_weights
    from ..models._helpers import CheckpointMismatchError

    if args.n < 1:
        raise CommandError(f"-n must be at least 1, got {args.n}")
    if bool(args.checkpoints) == bool(args.input):
        raise CommandError("pass either --input DIR or checkpoint files, not both and not neither")
    if args.input:
        if not os.path.isdir(args.input):
            raise CommandError(f"checkpoint folder not found: {args.input}")
        paths = find_checkpoints(args.input, args.filter)
        if not paths:
            raise CommandError(f"no checkpoints matching '{args.filter}' in {args.input}")
    else:
        missing = [p for p in args.checkpoints if not os.path.isfile(p)]
        if missing:
            raise CommandError(f"checkpoint not found: {', '.join(missing)}")
        paths = list(args.checkpoints)
    try:
        state_dict, used = average_checkpoints(paths, top_k=args.n, sort_by_metric=not args.no_sort,
                                               use_ema=args.use_ema)
    except (CheckpointError, CheckpointMismatchError) as err:
        raise CommandError(str(err)) from None
    output = args.output or ("./averaged.safetensors" if args.safetensors else "./averaged.pth")
    if args.safetensors and not output.endswith(".safetensors"):
        output = os.path.splitext(output)[0] + ".safetensors"
    arch = next((m.arch for m in used if m.arch), None)
    save_weights(state_dict, output, arch=arch, label_names=used[0].label_names)
    for meta in used:
        metric = f"metric {meta.metric:.4f}" if meta.metric is not None else "no metric"
        print(f"  {meta.path}  ({metric}{', ' + meta.used_key if meta.used_key else ''})")
    print(f"averaged {len(used)} checkpoints -> {output}  sha256 {file_sha256(output)}")
    return 0


def run_clean(args) -> int:
    from ..engine.checkpoints import CheckpointError, clean_checkpoint

    checkpoint = args.checkpoint or args.checkpoint_pos
    if checkpoint is None:
        raise CommandError("pass the checkpoint to clean (CHECKPOINT or --checkpoint)")
    if not os.path.isfile(checkpoint):
        raise CommandError(f"checkpoint not found: {checkpoint}")
    try:
        path, digest, meta = clean_checkpoint(checkpoint, args.output, use_ema=args.use_ema,
                                              safetensors=args.safetensors, add_hash=not args.no_hash,
                                              clean_aux_bn=args.clean_aux_bn)
    except CheckpointError as err:
        raise CommandError(str(err)) from None
    print(f"weights from '{meta.used_key or 'the file itself'}' of {checkpoint}")
    print(f"wrote {path}")
    print(f"sha256 {digest}")
    return 0
