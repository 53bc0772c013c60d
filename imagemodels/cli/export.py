"""``imagemodels export``: a model (with a checkpoint's weights) to ONNX, checked with onnxruntime.

The batch dimension is dynamic; ``--dynamic-size`` makes height and width dynamic too. The check runs
the file on a different batch size (and, with ``--dynamic-size``, a larger image) and fails when the
output differs from PyTorch's by more than ``--atol``. Needs ``pip install imagemodels[export]``.
"""
from __future__ import annotations

import argparse
import os

from ._common import add_model_flags, checked_model, expand_model_names
from .main import CommandError


def register(sub) -> None:
    p = sub.add_parser("export", help="export a model to ONNX", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output", metavar="OUTPUT", help="the .onnx file to write")
    add_model_flags(p, wildcard=False)
    p.add_argument("--img-size", type=int, help="input height and width (default: the model's)")
    p.add_argument("--input-size", type=int, nargs=3, metavar=("C", "H", "W"), help="input size, e.g. 3 224 224")
    p.add_argument("--opset", type=int, help="ONNX opset version (default: the exporter's)")
    p.add_argument("--dynamic-size", action="store_true", help="dynamic height and width as well as batch")
    p.add_argument("--batch-size", "-b", type=int, default=2, help="batch of the traced example (default: 2)")
    p.add_argument("--dynamo", action=argparse.BooleanOptionalAction, default=True,
                   help="torch.export-based exporter (default); --no-dynamo uses the TorchScript tracer")
    p.add_argument("--check", action=argparse.BooleanOptionalAction, default=True,
                   help="compare onnxruntime's output with PyTorch's (default: yes)")
    p.add_argument("--atol", type=float, default=1e-3, help="largest allowed absolute difference (default: 1e-3)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..engine.export import ExportCheckError, ExportDependencyError, export_onnx, require_dependencies

    if not args.output.endswith(".onnx"):
        raise CommandError(f"OUTPUT must end in .onnx, got {args.output}")
    (name,) = expand_model_names(args.model, args.checkpoint)
    try:
        require_dependencies(dynamo=args.dynamo, check=args.check)
    except ExportDependencyError as err:
        raise CommandError(str(err), exit_code=1) from None
    model, meta = checked_model(args, name, exportable=True)
    from ..data.config import resolve_data_config

    config = resolve_data_config({"img_size": args.img_size, "input_size": args.input_size}, model=model)
    try:
        info = export_onnx(model, args.output, input_size=config["input_size"], batch_size=args.batch_size,
                           opset=args.opset, dynamic_size=args.dynamic_size, dynamo=args.dynamo,
                           check=args.check, atol=args.atol)
    except ExportCheckError as err:
        raise CommandError(f"{err}; the file is at {args.output} but should not be trusted", exit_code=1) from None
    except ValueError as err:
        raise CommandError(str(err)) from None
    size = os.path.getsize(args.output) / 2**20
    print(f"wrote {args.output} ({size:.1f} MB, {info['exporter']} exporter, input {info['input_size']}, "
          f"dynamic batch{' and size' if args.dynamic_size else ''})")
    if "max_abs_diff" in info:
        print(f"onnxruntime check: max abs diff {info['max_abs_diff']:.2e} (tolerance {args.atol:.0e})")
    return 0
