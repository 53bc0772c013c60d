"""ConvMixer: patches, then depthwise (spatial mixing) and pointwise (channel mixing) convs at one
resolution throughout. Checkpoint-compatible with timm's ``convmixer`` module.

Paper: Trockman & Kolter, "Patches Are All You Need?", 2022 (arXiv:2201.09792)

Layout: the network, then ``CONVMIXERS`` (one row per registered name), then the weight metadata,
then registration.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import DropPath, SelectAdaptivePool2d, factory_kwargs, get_act_layer

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["ConvMixer"]


class Residual(nn.Module):
    """``drop_path(fn(x)) + x``: a module so that the checkpoint keys stay ``blocks.i.0.fn.*``."""

    def __init__(self, fn: nn.Module, drop_path: float = 0.0):
        super().__init__()
        self.fn = fn
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop_path(self.fn(x)) + x


def _mixer_block(
    dim: int, kernel_size: int, act_layer: Callable[..., nn.Module], drop_path: float, dd: Dict[str, Any],
) -> nn.Sequential:
    """Residual depthwise conv -> act -> BN, then pointwise conv -> act -> BN."""
    return nn.Sequential(
        Residual(nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size, groups=dim, padding="same", **dd),
            act_layer(),
            nn.BatchNorm2d(dim, **dd),
        ), drop_path),
        nn.Conv2d(dim, dim, kernel_size=1, **dd),
        act_layer(),
        nn.BatchNorm2d(dim, **dd),
    )


class ConvMixer(nn.Module):
    """``dim`` channels at stride ``patch_size`` through ``depth`` mixer blocks; every block is a feature point.

    ``drop_path_rate`` (not in the paper, zero for the published weights) adds stochastic depth to the
    residual branches, growing linearly to the last block.
    """

    def __init__(
        self,
        dim: int,
        depth: int,
        kernel_size: int = 9,
        patch_size: int = 7,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        act_layer: Union[str, Callable[..., nn.Module]] = nn.GELU,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        act_layer = get_act_layer(act_layer)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.num_features = self.head_hidden_size = dim
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self._dd = dd

        self.stem = nn.Sequential(
            nn.Conv2d(in_chans, dim, kernel_size=patch_size, stride=patch_size, **dd),
            act_layer(),
            nn.BatchNorm2d(dim, **dd),
        )
        self.blocks = nn.Sequential(*[
            _mixer_block(dim, kernel_size, act_layer, drop_path_rate * i / max(depth - 1, 1), dd) for i in range(depth)
        ])
        self.feature_info = [dict(num_chs=dim, reduction=patch_size, module=f"blocks.{i}") for i in range(depth)]
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(dim, num_classes, **dd) if num_classes > 0 else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^stem", blocks=r"^blocks\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        width = self.num_features * self.global_pool.feat_mult()
        self.head = nn.Linear(width, num_classes, **self._dd) if num_classes > 0 else nn.Identity()

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Block outputs at ``indices`` (None: all, int: the last n, or a list). ``norm`` is accepted
        for the common signature; ConvMixer has no final norm."""
        if output_fmt != "NCHW":
            raise ValueError(f"ConvMixer feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        intermediates = []
        x = self.stem(x)
        blocks = self.blocks if not stop_early else self.blocks[:max_index + 1]
        for i, block in enumerate(blocks):
            x = block(x)
            if i in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Keep the blocks up to the last of ``indices``; drop the head."""
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate:
            x = F.dropout(x, p=float(self.drop_rate), training=self.training)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


CONVMIXERS: Dict[str, Dict[str, Any]] = {
    "convmixer_1536_20": dict(dim=1536, depth=20, kernel_size=9, patch_size=7),
    "convmixer_768_32": dict(dim=768, depth=32, kernel_size=7, patch_size=7, act_layer=nn.ReLU),
    "convmixer_1024_20_ks9_p14": dict(dim=1024, depth=20, kernel_size=9, patch_size=14),
}


def _cfg(**kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=None, crop_pct=0.96,
        interpolation="bicubic", first_conv="stem.0", classifier="head", license="mit",
    )
    cfg.update(kwargs)
    return cfg


CONVMIXER_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "convmixer_1536_20.in1k": _cfg(),
    "convmixer_768_32.in1k": _cfg(),
    "convmixer_1024_20_ks9_p14.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(CONVMIXER_WEIGHTS)


def _create_convmixer(variant: str, pretrained: bool = False, **kwargs: Any) -> ConvMixer:
    # every block is a feature point at the same stride: by default the last three
    return build_model_with_cfg(
        ConvMixer, variant, pretrained, feature_cfg=dict(out_indices=3, feature_cls="getter"), **kwargs)


register_variants(CONVMIXERS, _create_convmixer, globals())
