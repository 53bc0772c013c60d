"""``create_model``: the one door to every model.

A name is ``arch``, ``arch.tag``, ``hf-hub:org/repo`` (a Hub repo with config.json + weights) or
``local-dir:/path`` (the same layout in a folder, e.g. written by ``save_for_hf``).
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple, Union

from torch import nn

from ._helpers import load_checkpoint
from ._hub import load_model_config_from_hf, load_model_config_from_path
from ._pretrained import PretrainedCfg, split_model_name_tag
from ._registry import is_model, model_entrypoint, resolve_deprecated_name, unknown_model_error

__all__ = ["create_model", "parse_model_name"]


def parse_model_name(model_name: str) -> Tuple[Optional[str], str]:
    """``'hf-hub:timm/resnet50.a1_in1k'`` -> ``('hf-hub', 'timm/resnet50.a1_in1k')``; plain names -> ``(None, name)``."""
    if model_name.startswith("hf_hub:"):  # older spelling
        model_name = "hf-hub:" + model_name[len("hf_hub:"):]
    for source in ("hf-hub", "local-dir"):
        if model_name.startswith(source + ":"):
            return source, model_name[len(source) + 1:]
    return None, model_name


def create_model(
    model_name: str,
    pretrained: bool = False,
    pretrained_cfg: Union[str, Dict[str, Any], PretrainedCfg, None] = None,
    pretrained_cfg_overlay: Optional[Dict[str, Any]] = None,
    checkpoint_path: Optional[Union[str, os.PathLike]] = None,
    cache_dir: Optional[Union[str, os.PathLike]] = None,
    scriptable: Optional[bool] = None,
    exportable: Optional[bool] = None,
    no_jit: Optional[bool] = None,
    **kwargs: Any,
) -> nn.Module:
    """Build a model by name.

    Args:
        model_name: ``arch``, ``arch.tag``, ``hf-hub:repo`` or ``local-dir:path``.
        pretrained: load the tag's weights (Hub, URL, local file or ``$IMAGEMODELS_WEIGHTS_DIR``).
        pretrained_cfg: a tag name, a dict or a ``PretrainedCfg`` to use instead of the registered one.
        pretrained_cfg_overlay: fields to override, e.g. ``dict(file='weights.safetensors')``.
        checkpoint_path: a checkpoint to load after building (e.g. your own fine-tune).
        **kwargs: ``num_classes``, ``in_chans``, ``drop_rate``, ``drop_path_rate``, ``global_pool``,
            ``features_only``, ``out_indices``, ``output_stride`` and the family's own arguments.
            Arguments set to None are dropped, so the model's defaults apply.
    """
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    source, name = parse_model_name(model_name)
    if source is not None:
        if pretrained_cfg is not None:
            raise ValueError(f"pass either a {source}: name or pretrained_cfg, not both")
        if source == "hf-hub":
            cfg_dict, name, model_args = load_model_config_from_hf(name, cache_dir=None if cache_dir is None else str(cache_dir))
        else:
            cfg_dict, name, model_args = load_model_config_from_path(name)
        pretrained_cfg = cfg_dict
        kwargs = {**model_args, **kwargs}
    else:
        name, tag = split_model_name_tag(resolve_deprecated_name(name))
        if tag and pretrained_cfg is None:
            pretrained_cfg = tag
    if not is_model(name):
        raise unknown_model_error(model_name)
    if cache_dir is not None:
        kwargs["cache_dir"] = str(cache_dir)
    create_fn = model_entrypoint(name)
    model = create_fn(
        pretrained=pretrained,
        pretrained_cfg=pretrained_cfg,
        pretrained_cfg_overlay=pretrained_cfg_overlay,
        **kwargs,
    )
    model._model_args = {k: v for k, v in kwargs.items() if k != "cache_dir"}  # read by get_model_args
    if checkpoint_path:
        load_checkpoint(model, str(checkpoint_path))
    return model
