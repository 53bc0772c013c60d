"""Building a model: resolve its weight tag, construct it, load and adapt weights, wrap for features.

``create_model`` -> family entry point -> :func:`build_model_with_cfg` -> ``model_cls(**kwargs)``
-> :func:`load_pretrained` -> optional :class:`FeatureListNet`. Families call only
:func:`build_model_with_cfg`.
"""
from __future__ import annotations

import inspect
import logging
from dataclasses import replace
from typing import Any, Callable, Dict, Optional, Sequence, Union

from torch import nn

from ._features import FeatureDictNet, FeatureHookNet, FeatureInfo, FeatureListNet
from ._helpers import adapt_input_conv, check_state_dict_fits, load_state_dict
from ._hub import download_cached_file, find_local_weights, load_state_dict_from_hf, load_state_dict_from_url, weights_in_folder
from ._pretrained import PretrainedCfg, resolve_cfg_overlay
from ._registry import get_pretrained_cfg, registered_default_cfg

__all__ = [
    "build_model_with_cfg", "load_pretrained", "resolve_pretrained_cfg", "FeatureGetterNet", "load_custom_pretrained",
    "set_pretrained_download_progress", "set_pretrained_check_hash", "get_model_args",
]

_logger = logging.getLogger(__name__)

# process-wide switches for URL downloads of pretrained weights (the Hub has its own progress bars)
_DOWNLOAD_PROGRESS = False
_CHECK_HASH = False


def set_pretrained_download_progress(enable: bool = True) -> None:
    """Show a progress bar while pretrained weights download from a URL."""
    global _DOWNLOAD_PROGRESS
    _DOWNLOAD_PROGRESS = enable


def set_pretrained_check_hash(enable: bool = True) -> None:
    """Verify URL-downloaded weights against the sha256 prefix in their file name (``name-<hash>.pth``)."""
    global _CHECK_HASH
    _CHECK_HASH = enable


def resolve_pretrained_cfg(
    variant: str,
    pretrained_cfg: Union[str, Dict[str, Any], PretrainedCfg, None] = None,
    pretrained_cfg_overlay: Optional[Dict[str, Any]] = None,
) -> PretrainedCfg:
    """The cfg for ``variant``: a given cfg object/dict, a tag name, or the variant's default tag."""
    if isinstance(pretrained_cfg, PretrainedCfg):
        cfg = pretrained_cfg
    elif isinstance(pretrained_cfg, dict):
        cfg = PretrainedCfg(**pretrained_cfg)
    else:
        name = f"{variant}.{pretrained_cfg}" if pretrained_cfg else variant
        cfg = get_pretrained_cfg(name, allow_unregistered=True)
        if cfg is None:  # a model registered outside the manifest with no cfgs
            cfg = PretrainedCfg(architecture=variant)
    if cfg.architecture is None:
        cfg = replace(cfg, architecture=variant)
    return resolve_cfg_overlay(cfg, pretrained_cfg_overlay)


def _resolve_source(cfg: PretrainedCfg) -> tuple:
    """Where to read weights from, most specific first."""
    if cfg.state_dict is not None:
        return "state_dict", cfg.state_dict
    if cfg.file:
        return "file", cfg.file
    tagged = f"{cfg.architecture}.{cfg.tag}" if cfg.tag else cfg.architecture
    if cfg.source != "hf-hub" and tagged:
        local = find_local_weights(tagged)
        if local:
            return "file", local
    if cfg.hf_hub_id:
        return "hf-hub", cfg.hf_hub_id
    if cfg.url:
        return "url", cfg.url
    return "", None


def _first_conv_names(cfg: PretrainedCfg) -> Sequence[str]:
    first = cfg.first_conv
    if not first:
        return ()
    return (first,) if isinstance(first, str) else tuple(first)


def _classifier_names(cfg: PretrainedCfg) -> Sequence[str]:
    clf = cfg.classifier
    if not clf:
        return ()
    return (clf,) if isinstance(clf, str) else tuple(clf)


def load_pretrained(
    model: nn.Module,
    pretrained_cfg: Optional[PretrainedCfg] = None,
    num_classes: int = 1000,
    in_chans: int = 3,
    filter_fn: Optional[Callable] = None,
    strict: bool = True,
    cache_dir: Optional[str] = None,
) -> None:
    """Load the weights ``pretrained_cfg`` points at into ``model``, adapting the stem and the head.

    ``in_chans != 3`` adapts the first conv (see :func:`adapt_input_conv`); a ``num_classes`` other than
    the weights' drops the classifier so it keeps its fresh initialisation (``num_classes=0``: no head).
    """
    cfg = pretrained_cfg or getattr(model, "pretrained_cfg", None)
    if cfg is None:
        raise RuntimeError("pretrained=True but the model has no pretrained_cfg saying where its weights are")
    source, where = _resolve_source(cfg)
    name = f"{cfg.architecture}.{cfg.tag}" if cfg.tag else cfg.architecture
    if source == "state_dict":
        state_dict = dict(where)
    elif source == "file":
        path = weights_in_folder(where) if _is_dir(where) else where
        if path is None:
            raise FileNotFoundError(f"folder '{where}' holds no model.safetensors or pytorch_model.bin")
        state_dict = load_state_dict(path, use_ema=True)
    elif source == "hf-hub":
        state_dict = load_state_dict_from_hf(where, filename=cfg.hf_hub_filename, cache_dir=cache_dir, revision=cfg.hf_hub_revision)
    elif source == "url":
        state_dict = load_state_dict_from_url(
            where if isinstance(where, str) else where[0], cache_dir=cache_dir, progress=_DOWNLOAD_PROGRESS,
            check_hash=_CHECK_HASH)
    else:
        raise RuntimeError(
            f"'{name}' has no pretrained weights; see list_models('{cfg.architecture}', pretrained=True) "
            "for the tags that do, or pass pretrained_cfg_overlay=dict(file='path/to/weights.safetensors')"
        )

    if filter_fn is not None:
        state_dict = filter_fn(state_dict, model)

    if in_chans != 3:
        for conv in _first_conv_names(cfg):
            key = conv + ".weight"
            if key in state_dict:
                state_dict[key] = adapt_input_conv(in_chans, state_dict[key])
                _logger.info("adapted %s from 3 to %d input channels", key, in_chans)

    weight_classes = cfg.num_classes
    label_offset = cfg.label_offset or 0
    for clf in _classifier_names(cfg):
        if num_classes != weight_classes:
            if label_offset and num_classes == weight_classes - label_offset:
                # e.g. 1001-class TF weights used with 1000 classes: drop the background row
                for suffix in (".weight", ".bias"):
                    if clf + suffix in state_dict:
                        state_dict[clf + suffix] = state_dict[clf + suffix][label_offset:]
            else:
                for suffix in (".weight", ".bias"):
                    state_dict.pop(clf + suffix, None)
                strict = False
    check_state_dict_fits(model, state_dict, strict=strict, what=f"pretrained weights for '{name}'")
    incompatible = model.load_state_dict(state_dict, strict=strict)
    if not strict and incompatible.missing_keys:
        _logger.info("%s: kept fresh initialisation for %s", name, incompatible.missing_keys)


def load_custom_pretrained(
    model: nn.Module,
    pretrained_cfg: Optional[Union[Dict[str, Any], PretrainedCfg]] = None,
    load_fn: Optional[Callable] = None,
    cache_dir: Optional[str] = None,
) -> None:
    """Weights that are not a PyTorch state dict (e.g. a JAX ``.npz``): fetch the file the cfg points at
    and hand its local path to ``load_fn(model, path)``, or else to ``model.load_pretrained(path)``.

    A URL is downloaded into torch.hub's cache (honouring :func:`set_pretrained_download_progress` and
    :func:`set_pretrained_check_hash`). With no weights or no loader it warns and leaves the model as is.
    """
    cfg = pretrained_cfg if pretrained_cfg is not None else getattr(model, "pretrained_cfg", None)
    if isinstance(cfg, dict):
        cfg = PretrainedCfg(**cfg)
    if cfg is None:
        _logger.warning("no pretrained_cfg given or on the model; keeping the random initialisation")
        return
    source, where = _resolve_source(cfg)
    if source in ("", "state_dict"):
        _logger.warning("no pretrained weight file for %s; keeping the random initialisation", cfg.architecture)
        return
    if source == "hf-hub":
        _logger.warning("custom loading from the Hugging Face Hub is not supported; keeping the random initialisation")
        return
    if source == "url":
        where = download_cached_file(where if isinstance(where, str) else where[0], check_hash=_CHECK_HASH,
                                     progress=_DOWNLOAD_PROGRESS, cache_dir=cache_dir)
    if load_fn is not None:
        load_fn(model, where)
    elif hasattr(model, "load_pretrained"):
        model.load_pretrained(where)
    else:
        _logger.warning("%s has no load_pretrained method and no load_fn was given; keeping the random "
                        "initialisation", type(model).__name__)


def _is_dir(path: Any) -> bool:
    import os

    return isinstance(path, str) and os.path.isdir(path)


class FeatureGetterNet(nn.Module):
    """Features through the model's own ``forward_intermediates`` (for models whose feature points
    are not top-level children). Keeps the model under ``self.model``."""

    def __init__(
        self, model: nn.Module, out_indices: Sequence[int] = (0, 1, 2, 3, 4), output_fmt: str = "NCHW",
        norm: bool = False, prune: bool = True,
    ):
        """``norm``: apply the model's final norm to the maps; without it the norm is pruned away
        (as the reference does, so the weights' keys match)."""
        super().__init__()
        self.feature_info = FeatureInfo(model.feature_info, out_indices)
        self.out_indices = list(self.feature_info.out_indices)
        if prune and hasattr(model, "prune_intermediate_layers"):
            model.prune_intermediate_layers(self.out_indices, prune_norm=not norm, prune_head=True)
        self.model = model
        self.output_fmt = output_fmt
        self.norm = norm

    def forward(self, x):
        return self.model.forward_intermediates(
            x, indices=self.out_indices, norm=self.norm, intermediates_only=True, output_fmt=self.output_fmt)


def _accepted_args(model_cls: Callable) -> Optional[set]:
    """The keyword names ``model_cls`` accepts, or None when it takes ``**kwargs``."""
    params = inspect.signature(model_cls.__init__ if isinstance(model_cls, type) else model_cls).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    return {k for k in params if k != "self"}


def _check_kwargs(accepted: Optional[set], variant: str, kwargs: Dict[str, Any]) -> None:
    """Name every argument the model does not accept, instead of a TypeError from deep inside."""
    if accepted is None:
        return
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        raise TypeError(
            f"{variant} does not accept argument(s) {', '.join(repr(k) for k in unknown)}; "
            f"it accepts: {', '.join(sorted(accepted))}"
        )


def build_model_with_cfg(
    model_cls: Callable[..., nn.Module],
    variant: str,
    pretrained: bool,
    pretrained_cfg: Union[str, Dict[str, Any], PretrainedCfg, None] = None,
    pretrained_cfg_overlay: Optional[Dict[str, Any]] = None,
    model_cfg: Optional[Any] = None,
    feature_cfg: Optional[Dict[str, Any]] = None,
    pretrained_strict: bool = True,
    pretrained_filter_fn: Optional[Callable] = None,
    cache_dir: Optional[str] = None,
    kwargs_filter: Optional[Sequence[str]] = None,
    pretrained_model_args: Optional[Dict[str, Any]] = None,
    **kwargs: Any,
) -> nn.Module:
    """Construct ``model_cls`` for ``variant`` with its weight metadata, weights and feature wrapper.

    Family arguments pass straight to ``model_cls``; ``features_only``, ``out_indices``,
    ``output_fmt``, ``feature_cls`` and ``flatten_sequential`` choose the feature wrapper.
    ``pretrained_model_args`` are architecture arguments that come with the weights (e.g. from a
    Hub repo's config.json); the caller's own arguments win over them.
    """
    cfg = resolve_pretrained_cfg(variant, pretrained_cfg, pretrained_cfg_overlay)
    if pretrained_model_args:
        kwargs = {**pretrained_model_args, **kwargs}
    feature_cfg = dict(feature_cfg or {})
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", feature_cfg.pop("out_indices", (0, 1, 2, 3, 4)))
    output_fmt = kwargs.pop("output_fmt", feature_cfg.pop("output_fmt", "NCHW"))
    feature_cls = kwargs.pop("feature_cls", feature_cfg.pop("feature_cls", "list"))
    flatten_sequential = kwargs.pop("flatten_sequential", feature_cfg.pop("flatten_sequential", False))
    if not features_only and "out_indices" in feature_cfg:
        feature_cfg.pop("out_indices")

    # the weights decide the defaults for the head and the stem, unless the caller says otherwise
    accepted = _accepted_args(model_cls)
    defaults = {"num_classes": cfg.num_classes, "in_chans": cfg.input_size[0] if cfg.input_size else None}
    for key, value in defaults.items():
        if value is not None and key not in (kwargs_filter or ()) and (accepted is None or key in accepted):
            kwargs.setdefault(key, value)
    for key in kwargs_filter or ():
        kwargs.pop(key, None)

    if model_cfg is not None:
        kwargs["cfg"] = model_cfg
    _check_kwargs(accepted, variant, kwargs)
    model = model_cls(**kwargs)
    model.pretrained_cfg = cfg
    model.default_cfg = cfg  # older name, still read by downstream code

    if pretrained and cfg.custom_load and hasattr(model, "load_pretrained"):
        load_custom_pretrained(model, cfg, cache_dir=cache_dir)
    elif pretrained:
        load_pretrained(
            model,
            cfg,
            num_classes=getattr(model, "num_classes", kwargs.get("num_classes", 1000)),
            in_chans=kwargs.get("in_chans", 3),
            filter_fn=pretrained_filter_fn,
            strict=pretrained_strict,
            cache_dir=cache_dir,
        )

    if features_only:
        if not hasattr(model, "feature_info"):
            raise ValueError(f"{variant} does not describe its feature maps (no feature_info); features_only is not supported")
        if feature_cls == "list":
            model = FeatureListNet(model, out_indices, output_fmt=output_fmt, flatten_sequential=flatten_sequential)
        elif feature_cls == "dict":
            model = FeatureDictNet(model, out_indices, output_fmt=output_fmt, flatten_sequential=flatten_sequential)
        elif feature_cls == "getter":
            model = FeatureGetterNet(model, out_indices, output_fmt=output_fmt)
        elif feature_cls == "hook":
            hook_args = {k: v for k, v in feature_cfg.items() if k in ("out_map", "return_dict", "no_rewrite", "default_hook_type")}
            model = FeatureHookNet(model, out_indices, output_fmt=output_fmt, flatten_sequential=flatten_sequential,
                                   **hook_args)
        elif feature_cls == "fx":
            from ._features_fx import FeatureGraphNet

            model = FeatureGraphNet(model, out_indices, output_fmt=output_fmt)
        else:
            raise ValueError(f"feature_cls must be 'list', 'dict', 'getter', 'hook' or 'fx', got {feature_cls!r}")
        model.pretrained_cfg = model.default_cfg = cfg
    return model


def default_cfg_for(variant: str) -> PretrainedCfg:
    """The default tag's cfg of a registered architecture."""
    return registered_default_cfg(variant).default


# arguments that change how a model trains or where it lives, not what it is: not needed to rebuild it
_RUNTIME_ARGS = frozenset({
    "drop_rate", "drop_path_rate", "drop_block_rate", "proj_drop_rate", "attn_drop_rate", "pos_drop_rate",
    "patch_drop_rate", "device", "dtype", "pretrained", "pretrained_cfg", "pretrained_cfg_overlay", "cache_dir",
    "checkpoint_path", "scriptable", "exportable", "no_jit",
})


def _pool_type(global_pool: Any) -> Optional[str]:
    if isinstance(global_pool, str):
        return global_pool
    pool_type = getattr(global_pool, "pool_type", None)
    return pool_type if isinstance(pool_type, str) else None


def get_model_args(model: nn.Module, overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The ``create_model`` arguments that rebuild ``model``'s architecture as it is now.

    Starts from the arguments it was created with, minus runtime ones (drop rates, device, weight
    sources; pass them in ``overrides`` to keep them), and takes ``num_classes`` and ``global_pool``
    from the model itself so a later ``reset_classifier`` is reflected. A model not made by
    ``create_model`` gives just ``overrides``.
    """
    recorded = getattr(model, "_model_args", None)
    if recorded is None:
        return dict(overrides or {})
    args = {k: v for k, v in recorded.items() if k not in _RUNTIME_ARGS}
    if "img_size" in args and isinstance(args["img_size"], int):
        args["img_size"] = (args["img_size"], args["img_size"])
    cfg = getattr(model, "pretrained_cfg", None)
    input_size = getattr(cfg, "input_size", None)
    if "in_chans" not in args:
        args["in_chans"] = input_size[0] if input_size else 3
    if "img_size" not in args and getattr(cfg, "fixed_input_size", False) and input_size:
        args["img_size"] = tuple(input_size[-2:])  # position tables are sized for it: part of the architecture
    if not args.get("features_only"):
        if isinstance(getattr(model, "num_classes", None), int):
            args["num_classes"] = model.num_classes
        pool = _pool_type(getattr(model, "global_pool", None))
        if pool is not None:
            args["global_pool"] = pool
    args.update(overrides or {})
    return args
