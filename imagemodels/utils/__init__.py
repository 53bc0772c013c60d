"""Training helpers (checkpoints, EMA, gradient clipping, AMP scaling, metrics, distributed).

Every public name is resolved lazily (see ``imagemodels/_lazy.py``): ``import imagemodels.utils``
imports no torch, so ``sample_image_path()`` stays cheap for the CLI.
"""
from .._lazy import lazy_getattr
from ._assets import sample_image_path

_MODULES = {
    ".checkpoint_saver": ("CheckpointSaver",),
    ".model_ema": ("ModelEmaV3", "ModelEmaV2"),
    ".clip_grad": ("dispatch_clip_grad",),
    ".agc": ("adaptive_clip_grad",),
    ".cuda": ("NativeScaler",),
    ".metrics": ("AverageMeter", "accuracy"),
    ".model": ("unwrap_model", "get_state_dict", "freeze", "unfreeze", "reparameterize_model"),
    ".distributed": (
        "reduce_tensor", "distribute_bn", "init_distributed_device", "is_primary", "is_distributed_env",
        "world_info_from_env",
    ),
    ".summary": ("model_summary",),
    ".misc": (
        "random_seed", "get_outdir", "update_summary", "natural_key", "add_bool_arg", "ParseKwargs",
        "setup_default_logging", "FormatterNoInfo", "decay_batch_step", "check_batch_size_retry",
    ),
    ".complexity": ("count_params", "count_macs", "measure_model"),
    ".fuse": ("fuse_conv_bn",),
}
_NAMES = {name: module for module, names in _MODULES.items() for name in names}
# drop-in helpers
_NAMES.update({
    "ModelEma": ".model_ema", "ApexScaler": ".cuda", "trim_summary": ".summary", "AttentionExtract": ".attention_extract",
    "load_checkpoint_metadata": ".misc", "set_jit_fuser": ".misc", "set_jit_legacy": ".misc",
})
_SUBMODULES = ["checkpoint_saver", "model_ema", "clip_grad", "agc", "cuda", "metrics", "model", "distributed",
               "summary", "misc", "complexity", "fuse", "attention_extract"]

__getattr__ = lazy_getattr(__name__, _NAMES, _SUBMODULES)
__all__ = ["sample_image_path", *_NAMES]


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
