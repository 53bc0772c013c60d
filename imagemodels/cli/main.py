"""``imagemodels`` command line: parse the arguments, run one command, turn bad input into one line.

Only argparse is imported here, so ``imagemodels --help`` and ``imagemodels list`` stay fast; each
command module imports torch (if it needs it) when it runs.

Exit codes: 0 success, 1 a failure that is not the user's input (e.g. weights could not be
downloaded), 2 bad input (unknown model or tag, missing image, bad arguments).
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

__all__ = ["main", "build_parser", "CommandError"]


class CommandError(Exception):
    """A failure to report as one line on stderr (no traceback), exiting with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def _cmd_list(args: argparse.Namespace) -> int:
    from .listing import list_command

    return list_command(args.filters, module=args.module, pretrained=args.pretrained)


def _cmd_info(args: argparse.Namespace) -> int:
    from .info import info_command

    return info_command(args.name, as_json=args.json)


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import demo_command

    return demo_command(args.model, image=args.image, pretrained=args.pretrained, topk=args.topk)


def _cmd_train(args: argparse.Namespace) -> int:
    from .train import train_command

    return train_command(args.train_args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imagemodels",
        description="Image models for PyTorch, checkpoint-compatible with timm.",
        epilog=(
            "examples:\n"
            "  imagemodels list resnet --pretrained      every ResNet weight tag\n"
            "  imagemodels info resnet50.a1_in1k --json  size, cost, preprocessing, tags, features\n"
            "  imagemodels demo --model resnet18         classify the bundled photo (random weights)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list model names", description=(
        "List model names. A FILTER with a wildcard (* ? [) is matched as written ('resnet*'); "
        "a plain word matches anywhere in the name ('resnet' means '*resnet*')."))
    p.add_argument("filters", nargs="*", metavar="FILTER", help="name filters; a name matching any is listed")
    p.add_argument("--pretrained", action="store_true", help="only names with weights, as arch.tag")
    p.add_argument("--module", metavar="M", help="only models of this family module, e.g. resnet")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("info", help="describe a model and its weights", description=(
        "Architecture, parameter count, GMACs at the default input size, preprocessing, every "
        "weight tag with its top-1, and the feature maps of features_only=True. GMACs count the "
        "multiply-accumulates of convolutions, linear layers and matrix products "
        "(torch FlopCounterMode FLOPs / 2); norms and activations are not counted."))
    p.add_argument("name", help="arch or arch.tag, e.g. resnet50 or resnet50.a1_in1k")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("demo", help="build a model and classify a photo", description=(
        "List a few models, build one (random weights unless --pretrained), classify a photo "
        "with the model's own preprocessing and show its feature map shapes."))
    p.add_argument("--model", default="resnet18", help="model name (default: resnet18)")
    p.add_argument("--image", metavar="PATH", help="image to classify (default: the bundled photo of a cat)")
    p.add_argument("--pretrained", action="store_true", help="download and use the pretrained weights")
    p.add_argument("--topk", type=int, default=5, help="how many classes to show (default: 5)")
    p.set_defaults(func=_cmd_demo)
    _add_tool_commands(sub)

    # every flag of the reference train.py (and --config recipe.yaml) is parsed by engine/config.py;
    # prefix '+' makes this parser hand the whole '--flag' list through untouched
    p = sub.add_parser("train", help="train a model (timm train.py flags; --help lists them)", add_help=False,
                       prefix_chars="+", description="imagemodels train --help lists every flag")
    p.add_argument("train_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=_cmd_train)
    return parser


def _add_tool_commands(sub) -> None:
    """validate, predict, benchmark, checkpoints, export, schedule: each module adds its own parser
    (their modules import only argparse and the standard library at the top)."""
    from . import benchmark, checkpoints, export, predict, schedule, validate

    for module in (validate, predict, benchmark, checkpoints, export, schedule):
        module.register(sub)


def _known_error_code(err: Exception) -> Optional[int]:
    """The exit code for an error that is the user's input, not a bug; None means re-raise."""
    if isinstance(err, CommandError):
        return err.exit_code
    from ..models import UnknownModelError  # the registry alone: no torch, no model module
    from .preprocess import ImageError

    if isinstance(err, (UnknownModelError, ImageError)):
        return 2
    if type(err).__name__ == "CheckpointMismatchError":  # by name: importing its module imports torch
        return 2
    return None


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from ..version import __version__

        print(__version__)
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `imagemodels list | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:
        code = _known_error_code(err)
        if code is None:
            raise
        print(f"imagemodels {args.command}: error: {err}", file=sys.stderr)
        return code
