"""Fold eval-mode BatchNorm into the convolution that feeds it: a faster model for inference.

At inference a BatchNorm is a fixed per-channel affine map, ``y = (x - mean) / sqrt(var + eps) * gamma
+ beta``. When ``x`` is the output of a convolution and nothing else reads it, the map can be moved
into the convolution's weight and bias, and the BatchNorm pass over the activations disappears (12.6%
of mobilenetv3_large_100's CPU time at batch 8). The reference library has no such step.

Which convolution feeds which BatchNorm is found by running the model once with hooks (a BatchNorm
whose input *is* the tensor a convolution returned), so no family has to declare its pairs. Because a
hook cannot see whether something else also reads that tensor (a residual, a second branch), the
folded model is run on the same input and compared with the original; if they differ, nothing is
returned and the error says so. The result is a copy, for inference only: its ``state_dict`` no
longer has the BatchNorm keys, and training it would train the folded weights.
"""
from __future__ import annotations

import copy
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn

from imagemodels.layers.conv2d_same import Conv2dSame
from imagemodels.layers.norm_act import BatchNormAct2d

__all__ = ["fuse_conv_bn"]

# convolutions whose forward uses ``self.weight`` / ``self.bias`` as they are (weight-standardised
# convs rescale the weight on every call, conditional convs mix experts: folding would be wrong)
_FOLDABLE_CONVS = (nn.Conv2d, Conv2dSame)


class _DropAct(nn.Module):
    """What is left of a BatchNormAct2d once its normalisation is folded away: drop, then activation."""

    def __init__(self, drop: nn.Module, act: nn.Module):
        super().__init__()
        self.drop = drop
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(x))


def _is_foldable_bn(module: nn.Module) -> bool:
    return (type(module) is nn.BatchNorm2d or type(module) is BatchNormAct2d) and module.running_mean is not None


def _find_pairs(model: nn.Module, example: torch.Tensor) -> List[Tuple[str, str]]:
    """(conv name, bn name) for every BatchNorm whose input is exactly a convolution's output."""
    names = {module: name for name, module in model.named_modules()}
    produced: Dict[int, Tuple[str, torch.Tensor]] = {}  # id(output) -> (conv, output): the ref keeps ids unique
    calls: Dict[str, int] = {}
    pairs: List[Tuple[str, str]] = []

    def after_conv(module, _inputs, output):
        calls[names[module]] = calls.get(names[module], 0) + 1
        produced[id(output)] = (names[module], output)

    def before_bn(module, inputs):
        calls[names[module]] = calls.get(names[module], 0) + 1
        source = produced.get(id(inputs[0]))
        if source is not None and source[1] is inputs[0]:
            pairs.append((source[0], names[module]))

    handles = []
    for module in model.modules():
        if type(module) in _FOLDABLE_CONVS:
            handles.append(module.register_forward_hook(after_conv))
        elif _is_foldable_bn(module):
            handles.append(module.register_forward_pre_hook(before_bn))
    try:
        model(example)
    finally:
        for handle in handles:
            handle.remove()
    # a module run more than once (shared between branches) is left alone
    return [(c, b) for c, b in pairs if calls[c] == 1 and calls[b] == 1]


def _fold(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> None:
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps) if bn.affine else 1 / torch.sqrt(bn.running_var + bn.eps)
    shift = bn.bias if bn.affine else torch.zeros_like(bn.running_mean)
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    conv.weight = nn.Parameter(conv.weight * scale.reshape(-1, 1, 1, 1))
    conv.bias = nn.Parameter((bias - bn.running_mean) * scale + shift)


def _replace(model: nn.Module, old: nn.Module, new: nn.Module) -> None:
    for parent in model.modules():
        for key, child in list(parent._modules.items()):
            if child is old:
                parent._modules[key] = new


def _tensors(out) -> List[torch.Tensor]:
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, dict):
        out = list(out.values())
    return [t for item in out for t in _tensors(item)]


def _default_example(model: nn.Module) -> torch.Tensor:
    cfg = getattr(model, "pretrained_cfg", None)
    size = tuple(getattr(cfg, "input_size", None) or (3, 224, 224))
    first_conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    chans = first_conv.in_channels if first_conv is not None else size[0]
    param = next(model.parameters())
    return torch.randn(2, chans, *size[1:], generator=torch.Generator().manual_seed(0)).to(param.device, param.dtype)


@torch.no_grad()
def fuse_conv_bn(model: nn.Module, example_input: Optional[torch.Tensor] = None,
                 atol: float = 1e-4, rtol: float = 1e-4) -> nn.Module:
    """A copy of ``model`` (in eval mode) with every BatchNorm that reads a convolution's output folded
    into that convolution; the original is untouched.

    ``example_input`` is what the pairs are found and the result checked on (default: two random
    images at the model's pretrained ``input_size``). Raises ``ValueError`` for a model in training
    mode and ``RuntimeError`` if the folded model's outputs differ from the original's by more than
    ``atol + rtol * max|output|``.
    """
    if model.training:
        raise ValueError("fuse_conv_bn folds BatchNorm's running statistics, which only eval mode uses: "
                         "call model.eval() first")
    example = _default_example(model) if example_input is None else example_input
    pairs = _find_pairs(model, example)
    fused = copy.deepcopy(model)
    if not pairs:
        return fused
    modules = dict(fused.named_modules())
    for conv_name, bn_name in pairs:
        conv, bn = modules[conv_name], modules[bn_name]
        _fold(conv, bn)
        _replace(fused, bn, _DropAct(bn.drop, bn.act) if isinstance(bn, BatchNormAct2d) else nn.Identity())
    expected, got = _tensors(model(example)), _tensors(fused(example))
    for want, have in zip(expected, got):
        # against the output's scale, not element by element: folding reorders float arithmetic, so an
        # output near zero inside a large-valued map may move by rtol of the map, not of itself
        worst = (have - want).abs().max().item() if want.shape == have.shape else float("inf")
        if not worst <= atol + rtol * want.abs().max().item():
            raise RuntimeError(
                f"folding {len(pairs)} BatchNorm layers changed {type(model).__name__}'s outputs (max diff "
                f"{worst:.3g}): some convolution output is read by more than its BatchNorm. Use the model "
                f"unfused, and please report the model name.")
    return fused
