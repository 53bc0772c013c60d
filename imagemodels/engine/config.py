"""The training flags (timm's train.py names, defaults and meanings) and the YAML recipe layer.

``parse_train_args(argv)`` reads ``--config recipe.yaml`` first; the file's keys become the parser's
defaults, so a flag on the command line always wins over the recipe, and the recipe over the built-in
default. Only argparse is imported at module level (PyYAML when a recipe is given).

Where we differ from the reference script, on purpose:
  * ``--device`` defaults to CUDA when it is available and the CPU otherwise (the reference fails
    without CUDA unless told ``--device cpu``).
  * ``--num-classes`` left unset takes the training set's class count (the reference keeps the model's
    1000-way head), so ``--dataset digits`` trains a 10-way model without a flag.
  * ``--resume auto`` resumes from the newest readable checkpoint in the run's output folder.
  * ``--multi-label``, ``--recovery-interval`` (mid-epoch, in optimizer updates) and the hidden
    ``--max-steps-per-epoch`` (tests) are ours.
"""
from __future__ import annotations

import argparse
import os
from typing import List, Optional

__all__ = ["build_train_parser", "parse_train_args", "load_recipe", "args_to_yaml", "ConfigError"]


class ConfigError(ValueError):
    """A recipe or flag combination the training run cannot use."""


def _kwargs_action():
    from ..utils.misc import ParseKwargs  # imports argparse/ast only

    return ParseKwargs


def _add_data(parser):
    group = parser.add_argument_group("Dataset")
    group.add_argument("data", nargs="?", metavar="DIR", const=None, help="path to dataset (positional is *deprecated*, use --data-dir)")
    group.add_argument("--data-dir", metavar="DIR", help="path to dataset (root dir)")
    group.add_argument("--dataset", "-d", metavar="NAME", default="",
                       help="dataset type + name ('<type>/<name>'): '' / folder, 'digits' (embedded), 'hfds/...', 'wds/...'")
    group.add_argument("--train-split", metavar="NAME", default="train", help="dataset train split (default: train)")
    group.add_argument("--val-split", metavar="NAME", default="validation", help="dataset validation split (default: validation)")
    group.add_argument("--train-num-samples", default=None, type=int, metavar="N", help="manually specify num samples in train split, for IterableDatasets")
    group.add_argument("--val-num-samples", default=None, type=int, metavar="N", help="manually specify num samples in validation split, for IterableDatasets")
    group.add_argument("--dataset-download", action="store_true", default=False, help="allow download of dataset for torch/ and tfds/ datasets that support it")
    group.add_argument("--class-map", default="", type=str, metavar="FILENAME", help='path to class to idx mapping file (default: "")')
    group.add_argument("--input-img-mode", default=None, type=str, help="dataset image conversion mode for input images")
    group.add_argument("--input-key", default=None, type=str, help="dataset key for input images")
    group.add_argument("--target-key", default=None, type=str, help="dataset key for target labels")
    group.add_argument("--dataset-trust-remote-code", action="store_true", default=False, help="allow hfds datasets to run their own code")


def _add_model(parser):
    group = parser.add_argument_group("Model parameters")
    group.add_argument("--model", default="resnet50", type=str, metavar="MODEL", help='name of model to train (default: "resnet50")')
    group.add_argument("--pretrained", action="store_true", default=False, help="start with pretrained version of specified network (if avail)")
    group.add_argument("--pretrained-path", default=None, type=str, help="load this checkpoint as if it were the pretrained weights (with adaptation)")
    group.add_argument("--initial-checkpoint", default="", type=str, metavar="PATH", help="load this checkpoint into model after initialization (default: none)")
    group.add_argument("--resume", default="", type=str, metavar="PATH",
                       help="resume full model and optimizer state from checkpoint, or 'auto': the newest valid one in the output folder")
    group.add_argument("--no-resume-opt", action="store_true", default=False, help="prevent resume of optimizer state when resuming model")
    group.add_argument("--num-classes", type=int, default=None, metavar="N", help="number of label classes (default: the training set's)")
    group.add_argument("--gp", default=None, type=str, metavar="POOL", help="global pool type: fast, avg, max, avgmax, avgmaxc")
    group.add_argument("--img-size", type=int, default=None, metavar="N", help="image size (default: None => model default)")
    group.add_argument("--in-chans", type=int, default=None, metavar="N", help="image input channels (default: None => 3)")
    group.add_argument("--input-size", default=None, nargs=3, type=int, metavar="N", help="input all image dimensions (d h w, e.g. --input-size 3 224 224)")
    group.add_argument("--crop-pct", default=None, type=float, metavar="N", help="input image center crop percent (for validation only)")
    group.add_argument("--mean", type=float, nargs="+", default=None, metavar="MEAN", help="override mean pixel value of dataset")
    group.add_argument("--std", type=float, nargs="+", default=None, metavar="STD", help="override std deviation of dataset")
    group.add_argument("--interpolation", default="", type=str, metavar="NAME", help="image resize interpolation type (overrides model)")
    group.add_argument("-b", "--batch-size", type=int, default=128, metavar="N", help="input batch size for training (default: 128)")
    group.add_argument("-vb", "--validation-batch-size", type=int, default=None, metavar="N", help="validation batch size override (default: None)")
    group.add_argument("--channels-last", action="store_true", default=False, help="use channels_last memory layout")
    group.add_argument("--fuser", default="", type=str, help="select jit fuser: one of ('', 'te', 'old', 'nvfuser')")
    group.add_argument("--grad-accum-steps", type=int, default=1, metavar="N", help="the number of steps to accumulate gradients (default: 1)")
    group.add_argument("--grad-checkpointing", action="store_true", default=False, help="enable gradient checkpointing through model blocks/stages")
    group.add_argument("--fast-norm", default=False, action="store_true", help="enable experimental fast-norm")
    group.add_argument("--model-kwargs", nargs="*", default={}, action=_kwargs_action(), help="extra model keyword arguments: key=value ...")
    group.add_argument("--head-init-scale", default=None, type=float, help="head initialization scale")
    group.add_argument("--head-init-bias", default=None, type=float, help="head initialization bias value")
    group.add_argument("--torchcompile-mode", type=str, default=None, help="torch.compile mode (default: None)")
    scripting = group.add_mutually_exclusive_group()
    scripting.add_argument("--torchscript", dest="torchscript", action="store_true", help="torch.jit.script the full model")
    scripting.add_argument("--torchcompile", nargs="?", type=str, default=None, const="inductor",
                           help="enable compilation w/ specified backend (default: inductor)")


def _add_device(parser):
    group = parser.add_argument_group("Device parameters")
    group.add_argument("--device", default=None, type=str, help="device to use for training (default: cuda if available, else cpu)")
    group.add_argument("--amp", action="store_true", default=False, help="use native torch AMP for mixed precision training")
    group.add_argument("--amp-dtype", default="float16", type=str, help="lower precision AMP dtype (default: float16)")
    group.add_argument("--amp-impl", default="native", type=str, help='AMP impl to use, "native" or "apex" (default: native)')
    group.add_argument("--model-dtype", default=None, type=str, help="model dtype override (non-AMP) (default: float32)")
    group.add_argument("--no-ddp-bb", action="store_true", default=False, help="force broadcast buffers for native DDP to off")
    group.add_argument("--synchronize-step", action="store_true", default=False, help="torch.cuda.synchronize() end of each step")
    group.add_argument("--local_rank", "--local-rank", default=0, type=int, help=argparse.SUPPRESS)
    group.add_argument("--device-modules", default=None, type=str, nargs="+", help="python imports for device backend modules")
    group.add_argument("--dist-backend", default=None, type=str, help=argparse.SUPPRESS)
    group.add_argument("--dist-url", default=None, type=str, help=argparse.SUPPRESS)


def _add_optimizer(parser):
    group = parser.add_argument_group("Optimizer parameters")
    group.add_argument("--opt", default="sgd", type=str, metavar="OPTIMIZER", help='optimizer (default: "sgd")')
    group.add_argument("--opt-eps", default=None, type=float, metavar="EPSILON", help="optimizer epsilon (default: None, use opt default)")
    group.add_argument("--opt-betas", default=None, type=float, nargs="+", metavar="BETA", help="optimizer betas (default: None, use opt default)")
    group.add_argument("--momentum", type=float, default=0.9, metavar="M", help="optimizer momentum (default: 0.9)")
    group.add_argument("--weight-decay", type=float, default=2e-5, help="weight decay (default: 2e-5)")
    group.add_argument("--clip-grad", type=float, default=None, metavar="NORM", help="clip gradient norm (default: None, no clipping)")
    group.add_argument("--clip-mode", type=str, default="norm", help='gradient clipping mode. One of ("norm", "value", "agc")')
    group.add_argument("--layer-decay", type=float, default=None, help="layer-wise learning rate decay (default: None)")
    group.add_argument("--layer-decay-min-scale", type=float, default=0, help="layer-wise lr decay minimum scale")
    group.add_argument("--layer-decay-no-opt-scale", type=float, default=None, help="layer-wise lr decay no optimization scale")
    group.add_argument("--opt-kwargs", nargs="*", default={}, action=_kwargs_action(), help="extra optimizer keyword arguments")


def _add_scheduler(parser):
    group = parser.add_argument_group("Learning rate schedule parameters")
    group.add_argument("--sched", type=str, default="cosine", metavar="SCHEDULER", help='LR scheduler (default: "cosine")')
    group.add_argument("--sched-on-updates", action="store_true", default=False, help="apply LR scheduler step on update instead of epoch end")
    group.add_argument("--lr", type=float, default=None, metavar="LR", help="learning rate, overrides lr-base if set (default: None)")
    group.add_argument("--lr-base", type=float, default=0.1, metavar="LR", help="base learning rate: lr = lr_base * global_batch_size / base_size")
    group.add_argument("--lr-base-size", type=int, default=256, metavar="DIV", help="base learning rate batch size (divisor, default: 256)")
    group.add_argument("--lr-base-scale", type=str, default="", metavar="SCALE", help='base learning rate vs batch_size scaling ("linear", "sqrt", based on opt if empty)')
    group.add_argument("--lr-noise", type=float, nargs="+", default=None, metavar="pct, pct", help="learning rate noise on/off epoch percentages")
    group.add_argument("--lr-noise-pct", type=float, default=0.67, metavar="PERCENT", help="learning rate noise limit percent (default: 0.67)")
    group.add_argument("--lr-noise-std", type=float, default=1.0, metavar="STDDEV", help="learning rate noise std-dev (default: 1.0)")
    group.add_argument("--lr-cycle-mul", type=float, default=1.0, metavar="MULT", help="learning rate cycle len multiplier (default: 1.0)")
    group.add_argument("--lr-cycle-decay", type=float, default=0.5, metavar="MULT", help="amount to decay each learning rate cycle (default: 0.5)")
    group.add_argument("--lr-cycle-limit", type=int, default=1, metavar="N", help="learning rate cycle limit, cycles enabled if > 1")
    group.add_argument("--lr-k-decay", type=float, default=1.0, help="learning rate k-decay for cosine/poly (default: 1.0)")
    group.add_argument("--warmup-lr", type=float, default=1e-5, metavar="LR", help="warmup learning rate (default: 1e-5)")
    group.add_argument("--min-lr", type=float, default=0, metavar="LR", help="lower lr bound for cyclic schedulers that hit 0 (default: 0)")
    group.add_argument("--epochs", type=int, default=300, metavar="N", help="number of epochs to train (default: 300)")
    group.add_argument("--epoch-repeats", type=float, default=0.0, metavar="N", help="epoch repeat multiplier (number of times to repeat dataset epoch per train epoch)")
    group.add_argument("--start-epoch", default=None, type=int, metavar="N", help="manual epoch number (useful on restarts)")
    group.add_argument("--decay-milestones", default=[90, 180, 270], type=int, nargs="+", metavar="MILESTONES", help="list of decay epoch indices for multistep lr. must be increasing")
    group.add_argument("--decay-epochs", type=float, default=90, metavar="N", help="epoch interval to decay LR")
    group.add_argument("--warmup-epochs", type=int, default=5, metavar="N", help="epochs to warmup LR, if scheduler supports")
    group.add_argument("--warmup-prefix", action="store_true", default=False, help="exclude warmup period from decay schedule")
    group.add_argument("--cooldown-epochs", type=int, default=0, metavar="N", help="epochs to cooldown LR at min_lr, after cyclic schedule ends")
    group.add_argument("--patience-epochs", type=int, default=10, metavar="N", help="patience epochs for Plateau LR scheduler (default: 10)")
    group.add_argument("--decay-rate", "--dr", type=float, default=0.1, metavar="RATE", help="LR decay rate (default: 0.1)")


def _add_augmentation(parser):
    group = parser.add_argument_group("Augmentation and regularization parameters")
    group.add_argument("--no-aug", action="store_true", default=False, help="disable all training augmentation, override other train aug args")
    group.add_argument("--train-crop-mode", type=str, default=None, help="crop-mode in train")
    group.add_argument("--scale", type=float, nargs="+", default=[0.08, 1.0], metavar="PCT", help="random resize scale (default: 0.08 1.0)")
    group.add_argument("--ratio", type=float, nargs="+", default=[3.0 / 4.0, 4.0 / 3.0], metavar="RATIO", help="random resize aspect ratio (default: 0.75 1.33)")
    group.add_argument("--hflip", type=float, default=0.5, help="horizontal flip training aug probability")
    group.add_argument("--vflip", type=float, default=0.0, help="vertical flip training aug probability")
    group.add_argument("--color-jitter", type=float, default=0.4, metavar="PCT", help="color jitter factor (default: 0.4)")
    group.add_argument("--color-jitter-prob", type=float, default=None, metavar="PCT", help="probability of applying any color jitter")
    group.add_argument("--grayscale-prob", type=float, default=None, metavar="PCT", help="probability of applying random grayscale conversion")
    group.add_argument("--gaussian-blur-prob", type=float, default=None, metavar="PCT", help="probability of applying gaussian blur")
    group.add_argument("--aa", type=str, default=None, metavar="NAME", help='use AutoAugment policy. "v0" or "original". (default: None)')
    group.add_argument("--aug-repeats", type=float, default=0, help="number of augmentation repetitions (distributed training only) (default: 0)")
    group.add_argument("--aug-splits", type=int, default=0, help="number of augmentation splits (default: 0, valid: 0 or >=2)")
    group.add_argument("--jsd-loss", action="store_true", default=False, help="enable Jensen-Shannon divergence + CE loss. Use with --aug-splits")
    group.add_argument("--bce-loss", action="store_true", default=False, help="enable BCE loss w/ mixup/cutmix use")
    group.add_argument("--bce-sum", action="store_true", default=False, help="sum over classes when using BCE loss")
    group.add_argument("--bce-target-thresh", type=float, default=None, help="threshold for binarizing softened BCE targets (default: None, disabled)")
    group.add_argument("--bce-pos-weight", type=float, default=None, help="positive weighting for BCE loss")
    group.add_argument("--reprob", type=float, default=0.0, metavar="PCT", help="random erase prob (default: 0.)")
    group.add_argument("--remode", type=str, default="pixel", help='random erase mode (default: "pixel")')
    group.add_argument("--recount", type=int, default=1, help="random erase count (default: 1)")
    group.add_argument("--resplit", action="store_true", default=False, help="do not random erase first (clean) augmentation split")
    group.add_argument("--mixup", type=float, default=0.0, help="mixup alpha, mixup enabled if > 0. (default: 0.)")
    group.add_argument("--cutmix", type=float, default=0.0, help="cutmix alpha, cutmix enabled if > 0. (default: 0.)")
    group.add_argument("--cutmix-minmax", type=float, nargs="+", default=None, help="cutmix min/max ratio, overrides alpha and enables cutmix if set")
    group.add_argument("--mixup-prob", type=float, default=1.0, help="probability of performing mixup or cutmix when either/both is enabled")
    group.add_argument("--mixup-switch-prob", type=float, default=0.5, help="probability of switching to cutmix when both mixup and cutmix enabled")
    group.add_argument("--mixup-mode", type=str, default="batch", help='how to apply mixup/cutmix params. Per "batch", "pair", or "elem"')
    group.add_argument("--mixup-off-epoch", default=0, type=int, metavar="N", help="turn off mixup after this epoch, disabled if 0 (default: 0)")
    group.add_argument("--smoothing", type=float, default=0.1, help="label smoothing (default: 0.1)")
    group.add_argument("--train-interpolation", type=str, default="random", help='training interpolation (random, bilinear, bicubic default: "random")')
    group.add_argument("--drop", type=float, default=0.0, metavar="PCT", help="dropout rate (default: 0.)")
    group.add_argument("--drop-connect", type=float, default=None, metavar="PCT", help="drop connect rate, DEPRECATED, use drop-path (default: None)")
    group.add_argument("--drop-path", type=float, default=None, metavar="PCT", help="drop path rate (default: None)")
    group.add_argument("--drop-block", type=float, default=None, metavar="PCT", help="drop block rate (default: None)")
    group.add_argument("--multi-label", action="store_true", default=False, help="multi-label targets: BCE loss, report mAP")


def _add_norm_ema(parser):
    group = parser.add_argument_group("Batch norm parameters", "Only works with gen_efficientnet based models currently.")
    group.add_argument("--bn-momentum", type=float, default=None, help="BatchNorm momentum override (if not None)")
    group.add_argument("--bn-eps", type=float, default=None, help="BatchNorm epsilon override (if not None)")
    group.add_argument("--sync-bn", action="store_true", help="enable NVIDIA Apex or Torch synchronized BatchNorm.")
    group.add_argument("--dist-bn", type=str, default="reduce", help='distribute BatchNorm stats between nodes after each epoch ("broadcast", "reduce", or "")')
    group.add_argument("--split-bn", action="store_true", help="enable separate BN layers per augmentation split.")

    group = parser.add_argument_group("Model exponential moving average parameters")
    group.add_argument("--model-ema", action="store_true", default=False, help="enable tracking moving average of model weights.")
    group.add_argument("--model-ema-force-cpu", action="store_true", default=False, help="force ema to be tracked on CPU, rank=0 node only. Disables EMA validation.")
    group.add_argument("--model-ema-decay", type=float, default=0.9998, help="decay factor for model weights moving average (default: 0.9998)")
    group.add_argument("--model-ema-warmup", action="store_true", help="enable warmup for model EMA decay.")


def _add_misc(parser):
    group = parser.add_argument_group("Miscellaneous parameters")
    group.add_argument("--seed", type=int, default=42, metavar="S", help="random seed (default: 42)")
    group.add_argument("--worker-seeding", type=str, default="all", help="worker seed mode (default: all)")
    group.add_argument("--log-interval", type=int, default=50, metavar="N", help="how many batches to wait before logging training status")
    group.add_argument("--recovery-interval", type=int, default=0, metavar="N",
                       help="save a mid-epoch recovery checkpoint every N optimizer updates (default: 0, off)")
    group.add_argument("--checkpoint-hist", type=int, default=10, metavar="N", help="number of checkpoints to keep (default: 10)")
    group.add_argument("-j", "--workers", type=int, default=4, metavar="N", help="how many training processes to use (default: 4)")
    group.add_argument("--save-images", action="store_true", default=False, help="save images of input batches every log interval for debugging")
    group.add_argument("--pin-mem", action="store_true", default=False, help="Pin CPU memory in DataLoader for more efficient transfer to GPU.")
    group.add_argument("--no-prefetcher", action="store_true", default=False, help="disable fast prefetcher")
    group.add_argument("--output", default="", type=str, metavar="PATH", help="path to output folder (default: none, current dir)")
    group.add_argument("--experiment", default="", type=str, metavar="NAME", help="name of train experiment, name of sub-folder for output")
    group.add_argument("--eval-metric", default="top1", type=str, metavar="EVAL_METRIC", help='best metric (default: "top1")')
    group.add_argument("--tta", type=int, default=0, metavar="N", help="test/inference time augmentation (oversampling) factor. 0=None (default: 0)")
    group.add_argument("--use-multi-epochs-loader", action="store_true", default=False, help="use the multi-epochs-loader to save time at the beginning of every epoch")
    group.add_argument("--log-wandb", action="store_true", default=False, help="log training and validation metrics to wandb")
    group.add_argument("--wandb-project", default=None, type=str, help="wandb project name")
    group.add_argument("--wandb-tags", default=[], type=str, nargs="+", help="wandb tags")
    group.add_argument("--wandb-resume-id", default="", type=str, help="If resuming a run, the id of the run in wandb")
    group.add_argument("--max-steps-per-epoch", type=int, default=0, help=argparse.SUPPRESS)  # tests: short epochs


def build_train_parser(prog: str = "imagemodels train") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Train an image model (the flags of timm's train.py).")
    parser.add_argument("-c", "--config", default="", type=str, metavar="FILE", help="YAML config file specifying default arguments")
    for add in (_add_data, _add_model, _add_device, _add_optimizer, _add_scheduler, _add_augmentation, _add_norm_ema, _add_misc):
        add(parser)
    return parser


def load_recipe(path: str, parser: argparse.ArgumentParser) -> dict:
    """The YAML file's keys (flag names with '-' or '_'), checked against the parser's destinations."""
    if not os.path.isfile(path):
        raise ConfigError(f"config file not found: {path}")
    import yaml

    with open(path) as f:
        try:
            recipe = yaml.safe_load(f) or {}
        except yaml.YAMLError as err:
            raise ConfigError(f"config file {path} is not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(recipe, dict):
        raise ConfigError(f"config file {path} must be a mapping of flag names to values, got {type(recipe).__name__}")
    known = {action.dest for action in parser._actions}
    recipe = {str(k).replace("-", "_"): v for k, v in recipe.items()}
    unknown = sorted(set(recipe) - known)
    if unknown:
        import difflib

        hints = [f"{k} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(k, known, n=1)) else k for k in unknown]
        raise ConfigError(f"config file {path} has unknown keys: {', '.join(hints)}")
    return recipe


def parse_train_args(argv: Optional[List[str]] = None, prog: str = "imagemodels train") -> argparse.Namespace:
    """Flags over recipe over defaults; ``args.config`` keeps the recipe's path."""
    config_parser = argparse.ArgumentParser(add_help=False)
    config_parser.add_argument("-c", "--config", default="", type=str)
    known, _ = config_parser.parse_known_args(argv)
    parser = build_train_parser(prog)
    if known.config:
        parser.set_defaults(**load_recipe(known.config, parser))
    args = parser.parse_args(argv)
    if args.data and not args.data_dir:
        args.data_dir = args.data
    return args


def args_to_yaml(args: argparse.Namespace) -> str:
    """The flags of a run as a recipe: ``--config args.yaml`` repeats it (run-time fields such as rank are left out)."""
    import yaml

    flags = {a.dest for a in build_train_parser()._actions} - {"help", "config"}
    return yaml.safe_dump({k: v for k, v in sorted(vars(args).items()) if k in flags}, default_flow_style=False)
