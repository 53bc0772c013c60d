"""``imagemodels.pipeline(name_or_checkpoint)(image)``: classification in one line.

    >>> classify = imagemodels.pipeline("resnet50.a1_in1k")
    >>> classify("cat.jpg")
    [('tabby', 0.41), ('tiger cat', 0.22), ...]

The model's own preprocessing is applied (its ``pretrained_cfg``, or what a training checkpoint
recorded), and outputs are named with the weights' label names (ImageNet-1k's for a 1000-way head,
a checkpoint's saved class names, or ``label_names``).
"""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence, Union

__all__ = ["pipeline"]

_CHECKPOINT_SUFFIXES = (".pth", ".pt", ".bin", ".tar", ".safetensors", ".ckpt")


def pipeline(
    model,
    *,
    checkpoint: Optional[Union[str, os.PathLike]] = None,
    pretrained: Optional[bool] = None,
    topk: int = 5,
    device="cpu",
    label_names: Optional[Sequence[str]] = None,
    num_classes: Optional[int] = None,
    use_ema: bool = True,
    **data_overrides,
):
    """A :class:`~imagemodels.engine.predict.Classifier` for ``model``.

    Args:
        model: a model name (``'resnet50'``, ``'resnet50.a1_in1k'``), a checkpoint file written by
            training or by ``clean-checkpoint`` (its architecture is read from the file), or an
            ``nn.Module``.
        checkpoint: weights to load into the named model.
        pretrained: load the tag's pretrained weights; defaults to True for a name with no checkpoint.
        topk: how many ``(label, probability)`` pairs to return per image.
        label_names: names of the outputs, overriding the built-in ones.
        **data_overrides: ``img_size``, ``input_size``, ``crop_pct``, ``crop_mode``, ``interpolation``,
            ``mean``, ``std`` for the eval transform.
    """
    import torch

    from .engine.checkpoints import load_model
    from .engine.predict import Classifier, data_config_for

    meta = None
    if isinstance(model, torch.nn.Module):
        net = model
    else:
        name = os.fspath(model)
        if checkpoint is None and (os.path.isfile(name) or name.endswith(_CHECKPOINT_SUFFIXES)):
            name, checkpoint = None, name
        if pretrained is None:
            pretrained = checkpoint is None
        net, meta = load_model(name, checkpoint, pretrained=pretrained, num_classes=num_classes, use_ema=use_ema)
    if label_names is None and meta is not None:
        label_names = meta.label_names
    config = data_config_for(net, meta.args if meta is not None else None, **data_overrides)
    return Classifier(net, data_config=config, label_names=label_names, topk=topk, device=device)


class _CallableModule(type(os)):
    """``import imagemodels.pipeline`` binds this module to the name users call as a function; calling
    the module calls :func:`pipeline`, so both spellings work."""

    def __call__(self, *args, **kwargs):
        return pipeline(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
