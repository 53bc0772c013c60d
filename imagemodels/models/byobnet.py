"""Bring-Your-Own-Blocks network: one generic CNN assembled from typed stage specs.

Every variant is a :class:`ByobCfg` row: a stem, then stages of :class:`BlockSpec` (basic, bottleneck,
dark, edge, RepVGG, MobileOne or self-attention blocks), an optional final 1x1 conv, and a head.
Checkpoint-compatible with timm's ``byobnet`` module (the self-attention variants live in byoanet.py).

Papers:

* Ding et al., "RepVGG: Making VGG-style ConvNets Great Again", 2021 (arXiv:2101.03697)
* Vasu et al., "MobileOne: An Improved One millisecond Mobile Backbone", 2022 (arXiv:2206.04040)
* Lin et al., "Neural Architecture Design for GPU-Efficient Networks" (GENet / GerNet), 2020 (arXiv:2006.14090)
* Dollár et al., "Fast and Accurate Model Scaling" (RegNetZ), 2021 (arXiv:2103.06877)
* Cao et al., "GCNet: Non-local Networks Meet Squeeze-Excitation Networks and Beyond", 2019 (arXiv:1904.11492)
* Radford et al., "Learning Transferable Visual Models From Natural Language Supervision" (CLIP ResNets),
  2021 (arXiv:2103.00020)

Layout: specs, layer bundle, blocks, stem, the network, then ``BYOBNETS`` (one row per name), weight
metadata, registration.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    AttentionPool2d, BatNonLocalAttn, ClassifierHead, ConvNormAct, DropPath, EvoNorm2dS0, EvoNorm2dS0a, GlobalContext,
    NormMlpClassifierHead, create_conv2d, factory_kwargs, get_act_layer, get_aa_layer, get_attn,
    get_norm_act_layer, get_padding, make_divisible, to_2tuple,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = [
    "ByobNet", "ByobCfg", "BlockSpec", "BasicBlock", "BottleneckBlock", "DarkBlock", "EdgeBlock", "RepVggBlock",
    "MobileOneBlock", "SelfAttnBlock", "Stem", "ByoBlockCfg", "ByoModelCfg",
]

LayerFn = Callable[..., nn.Module]
GroupSize = Union[None, int, Callable[[int, int], int]]


# --- specs -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlockSpec:
    """``depth`` blocks of one ``type`` with ``out_chs`` outputs; the stage's first block strides.

    ``group_size``: channels per group of the kxk conv (0/None: one group, 1: depthwise), or a
    function ``(channels, block_index) -> group_size`` (RepVGG's alternating grouped layers).
    ``bottle_ratio`` sets the inner width; ``attn_*`` / ``self_attn_*`` / ``block_kwargs`` override
    the network-wide settings for these blocks.
    """

    type: str
    depth: int
    out_chs: float
    stride: int = 2
    group_size: GroupSize = None
    bottle_ratio: float = 1.0
    attn_layer: Optional[str] = None
    attn_kwargs: Optional[Dict[str, Any]] = None
    self_attn_layer: Optional[Any] = None
    self_attn_kwargs: Optional[Dict[str, Any]] = None
    block_kwargs: Optional[Dict[str, Any]] = None


class ByoBlockCfg(BlockSpec):
    """:class:`BlockSpec` under the reference's short field names (``d``, ``c``, ``s``, ``gs``, ``br``),
    so block tables written for it build unchanged; the short names stay readable as properties."""

    def __init__(
        self, type: Union[str, nn.Module], d: int, c: int, s: int = 2, gs: GroupSize = None, br: float = 1.0,
        attn_layer: Optional[str] = None, attn_kwargs: Optional[Dict[str, Any]] = None,
        self_attn_layer: Optional[str] = None, self_attn_kwargs: Optional[Dict[str, Any]] = None,
        block_kwargs: Optional[Dict[str, Any]] = None,
    ):
        super().__init__(type, d, c, stride=s, group_size=gs, bottle_ratio=br, attn_layer=attn_layer,
                         attn_kwargs=attn_kwargs, self_attn_layer=self_attn_layer,
                         self_attn_kwargs=self_attn_kwargs, block_kwargs=block_kwargs)

    d = property(lambda self: self.depth)
    c = property(lambda self: self.out_chs)
    s = property(lambda self: self.stride)
    gs = property(lambda self: self.group_size)
    br = property(lambda self: self.bottle_ratio)


Stage = Union[BlockSpec, Tuple[BlockSpec, ...]]


@dataclass(frozen=True)
class ByobCfg:
    """A whole network. A stage is one :class:`BlockSpec` or a tuple of them (run in order).

    ``stem_type``: '3x3' / '7x7' (one conv), 'tiered' / 'deep' / 'quad' / 'quad2' (a conv stack),
    'rep' / 'one' (a RepVGG / MobileOne block), '' with a tuple ``stem_chs`` (explicit widths).
    ``downsample``: the shortcut where the shape changes, 'conv1x1', 'avg' or '' (no shortcut).
    ``head_type``: 'classifier', 'mlp' (norm + hidden layer) or 'attn_abs' (CLIP attention pool).
    """

    blocks: Tuple[Stage, ...]
    downsample: str = "conv1x1"
    stem_type: str = "3x3"
    stem_pool: Optional[str] = "maxpool"
    stem_chs: Union[int, Tuple[int, ...]] = 32
    width_factor: float = 1.0
    num_features: int = 0
    zero_init_last: bool = True
    fixed_input_size: bool = False
    act_layer: Any = "relu"
    norm_layer: Any = "batchnorm"
    aa_layer: Optional[str] = ""
    head_hidden_size: Optional[int] = None
    head_type: str = "classifier"
    attn_layer: Optional[str] = None
    attn_kwargs: Dict[str, Any] = field(default_factory=dict)
    self_attn_layer: Optional[Any] = None
    self_attn_kwargs: Dict[str, Any] = field(default_factory=dict)
    block_kwargs: Dict[str, Any] = field(default_factory=dict)


ByoModelCfg = ByobCfg  # the reference's name for the same network config (same fields)


def num_groups(group_size: Optional[int], channels: int) -> int:
    if not group_size:
        return 1
    if channels % group_size:
        raise ValueError(f"group_size {group_size} must divide the {channels} channels")
    return channels // group_size


# attention names this family adds to the shared lookup
_FAMILY_ATTN: Dict[str, LayerFn] = {
    "gca": partial(GlobalContext, fuse_add=True, fuse_scale=False),
    "bat": BatNonLocalAttn,
}


def _get_attn(name: Any) -> Optional[LayerFn]:
    if isinstance(name, str) and name in _FAMILY_ATTN:
        return _FAMILY_ATTN[name]
    return get_attn(name)


# --- the layer bundle blocks are built with ------------------------------------------------------------

@dataclass
class BlockLayers:
    """Norm / act / anti-aliasing / attention classes, bound once per network (or per stage)."""

    norm_layer: Any
    act_layer: LayerFn
    aa_layer: Optional[LayerFn] = None
    attn: Optional[LayerFn] = None
    self_attn: Optional[LayerFn] = None
    dd: Dict[str, Any] = field(default_factory=dict)

    def _own_act_norm(self) -> bool:
        """EvoNorm carries its own nonlinearity: it replaces the fused norm+act as is."""
        base = self.norm_layer.func if isinstance(self.norm_layer, partial) else self.norm_layer
        return isinstance(base, type) and issubclass(base, EvoNorm2dS0)

    def norm_act(self, channels: int, apply_act: bool = True) -> nn.Module:
        if self._own_act_norm():
            return self.norm_layer(channels, apply_act=apply_act, **self.dd)
        return get_norm_act_layer(self.norm_layer, self.act_layer)(channels, apply_act=apply_act, **self.dd)

    def conv_norm_act(
        self, in_chs: int, out_chs: int, kernel_size: int = 1, stride: int = 1, dilation: int = 1, groups: int = 1,
        apply_act: bool = True, use_aa: bool = False,
    ) -> ConvNormAct:
        aa_layer = self.aa_layer if use_aa else None
        if self._own_act_norm():
            m = ConvNormAct(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation, groups=groups,
                            apply_norm=False, aa_layer=aa_layer, **self.dd)
            m.bn = self.norm_act(out_chs, apply_act=apply_act)
            return m
        return ConvNormAct(
            in_chs, out_chs, kernel_size, stride=stride, dilation=dilation, groups=groups, apply_act=apply_act,
            norm_layer=self.norm_layer, act_layer=self.act_layer, aa_layer=aa_layer, **self.dd,
        )

    def act(self) -> nn.Module:
        return self.act_layer(inplace=True)

    def make_attn(self, channels: int) -> nn.Module:
        return self.attn(channels, **self.dd) if self.attn is not None else nn.Identity()


def _drop_path(rate: float) -> nn.Module:
    return DropPath(rate) if rate > 0.0 else nn.Identity()


class DownsampleAvg(nn.Module):
    """Shortcut projection: average-pool (2x2, or a padded stride-1 pool when dilated) then 1x1 conv + norm."""

    def __init__(self, in_chs: int, out_chs: int, stride: int = 1, dilation: int = 1, apply_act: bool = False,
                 layers: Optional[BlockLayers] = None):
        super().__init__()
        if stride == 1 and dilation == 1:
            self.pool = nn.Identity()
        else:
            pool_stride = stride if dilation == 1 else 1
            self.pool = nn.AvgPool2d(2, pool_stride, ceil_mode=True, count_include_pad=False) if pool_stride > 1 \
                else nn.AvgPool2d(2, 1, padding=0, ceil_mode=True, count_include_pad=False)
        self.conv = layers.conv_norm_act(in_chs, out_chs, 1, apply_act=apply_act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.pool(x))


def create_shortcut(
    downsample: str, in_chs: int, out_chs: int, stride: int, dilation: Tuple[int, int], layers: BlockLayers,
) -> Optional[nn.Module]:
    """Identity where the shape is kept; a projection (or None: no residual) where it changes."""
    if in_chs == out_chs and stride == 1 and dilation[0] == dilation[1]:
        return nn.Identity()
    if not downsample:
        return None
    if downsample == "avg":
        return DownsampleAvg(in_chs, out_chs, stride=stride, dilation=dilation[0], layers=layers)
    if downsample == "conv1x1":
        return layers.conv_norm_act(in_chs, out_chs, 1, stride=stride, apply_act=False)
    raise ValueError(f"downsample must be 'conv1x1', 'avg' or '', got {downsample!r}")


# --- blocks --------------------------------------------------------------------------------------------

class _ResidualBlock(nn.Module):
    """Shared tail: drop-path on the residual branch, add the shortcut (if any), final activation."""

    shortcut: Optional[nn.Module]

    def _finish(self, x: torch.Tensor, shortcut: torch.Tensor) -> torch.Tensor:
        x = self.drop_path(x)
        if self.shortcut is not None:
            x = x + self.shortcut(shortcut)
        return self.act(x)

    def _last_norm(self) -> Optional[nn.Module]:
        raise NotImplementedError

    def init_weights(self, zero_init_last: bool = False) -> None:
        bn = self._last_norm()
        if zero_init_last and self.shortcut is not None and getattr(bn, "weight", None) is not None:
            nn.init.zeros_(bn.weight)


class BasicBlock(_ResidualBlock):
    """kxk conv -> kxk conv (ResNet basic block); attention after the last conv by default."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        group_size: Optional[int] = None, bottle_ratio: float = 1.0, downsample: str = "avg", attn_last: bool = True,
        linear_out: bool = False, layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None,
        drop_path_rate: float = 0.0,
    ):
        super().__init__()
        mid_chs = make_divisible(out_chs * bottle_ratio)
        groups = num_groups(group_size, mid_chs)
        self.shortcut = create_shortcut(downsample, in_chs, out_chs, stride, dilation, layers)
        self.conv1_kxk = layers.conv_norm_act(in_chs, mid_chs, kernel_size, stride=stride, dilation=dilation[0])
        self.attn = nn.Identity() if attn_last else layers.make_attn(mid_chs)
        self.conv2_kxk = layers.conv_norm_act(mid_chs, out_chs, kernel_size, dilation=dilation[1], groups=groups,
                                              apply_act=False)
        self.attn_last = layers.make_attn(out_chs) if attn_last else nn.Identity()
        self.drop_path = _drop_path(drop_path_rate)
        self.act = nn.Identity() if linear_out else layers.act()

    def _last_norm(self) -> Optional[nn.Module]:
        return self.conv2_kxk.bn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.attn_last(self.conv2_kxk(self.attn(self.conv1_kxk(x))))
        return self._finish(x, shortcut)


class BottleneckBlock(_ResidualBlock):
    """1x1 reduce -> kxk (grouped) -> [kxk] -> 1x1 expand. ``bottle_in`` sizes the inner width from the
    input (RegNetZ's inverted bottleneck), ``extra_conv`` adds the second kxk (ResNet-61q)."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "avg", attn_last: bool = False,
        linear_out: bool = False, extra_conv: bool = False, bottle_in: bool = False,
        layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
    ):
        super().__init__()
        mid_chs = make_divisible((in_chs if bottle_in else out_chs) * bottle_ratio)
        groups = num_groups(group_size, mid_chs)
        self.shortcut = create_shortcut(downsample, in_chs, out_chs, stride, dilation, layers)
        self.conv1_1x1 = layers.conv_norm_act(in_chs, mid_chs, 1)
        self.conv2_kxk = layers.conv_norm_act(mid_chs, mid_chs, kernel_size, stride=stride, dilation=dilation[0],
                                              groups=groups, use_aa=stride > 1)
        if extra_conv:
            self.conv2b_kxk = layers.conv_norm_act(mid_chs, mid_chs, kernel_size, dilation=dilation[1], groups=groups)
        else:
            self.conv2b_kxk = nn.Identity()
        self.attn = nn.Identity() if attn_last else layers.make_attn(mid_chs)
        self.conv3_1x1 = layers.conv_norm_act(mid_chs, out_chs, 1, apply_act=False)
        self.attn_last = layers.make_attn(out_chs) if attn_last else nn.Identity()
        self.drop_path = _drop_path(drop_path_rate)
        self.act = nn.Identity() if linear_out else layers.act()

    def _last_norm(self) -> Optional[nn.Module]:
        return self.conv3_1x1.bn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv2b_kxk(self.conv2_kxk(self.conv1_1x1(x)))
        x = self.attn_last(self.conv3_1x1(self.attn(x)))
        return self._finish(x, shortcut)


class DarkBlock(_ResidualBlock):
    """1x1 -> kxk (CSPDarkNet's block, here with a downsampling kxk)."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "avg", attn_last: bool = True,
        linear_out: bool = False, layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None,
        drop_path_rate: float = 0.0,
    ):
        super().__init__()
        mid_chs = make_divisible(out_chs * bottle_ratio)
        groups = num_groups(group_size, mid_chs)
        self.shortcut = create_shortcut(downsample, in_chs, out_chs, stride, dilation, layers)
        self.conv1_1x1 = layers.conv_norm_act(in_chs, mid_chs, 1)
        self.attn = nn.Identity() if attn_last else layers.make_attn(mid_chs)
        self.conv2_kxk = layers.conv_norm_act(mid_chs, out_chs, kernel_size, stride=stride, dilation=dilation[0],
                                              groups=groups, apply_act=False)
        self.attn_last = layers.make_attn(out_chs) if attn_last else nn.Identity()
        self.drop_path = _drop_path(drop_path_rate)
        self.act = nn.Identity() if linear_out else layers.act()

    def _last_norm(self) -> Optional[nn.Module]:
        return self.conv2_kxk.bn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.attn_last(self.conv2_kxk(self.attn(self.conv1_1x1(x))))
        return self._finish(x, shortcut)


class EdgeBlock(_ResidualBlock):
    """kxk -> 1x1 (EfficientNet-EdgeTPU's fused-MBConv, residual)."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "avg", attn_last: bool = False,
        linear_out: bool = False, layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None,
        drop_path_rate: float = 0.0,
    ):
        super().__init__()
        mid_chs = make_divisible(out_chs * bottle_ratio)
        groups = num_groups(group_size, mid_chs)
        self.shortcut = create_shortcut(downsample, in_chs, out_chs, stride, dilation, layers)
        self.conv1_kxk = layers.conv_norm_act(in_chs, mid_chs, kernel_size, stride=stride, dilation=dilation[0],
                                              groups=groups)
        self.attn = nn.Identity() if attn_last else layers.make_attn(mid_chs)
        self.conv2_1x1 = layers.conv_norm_act(mid_chs, out_chs, 1, apply_act=False)
        self.attn_last = layers.make_attn(out_chs) if attn_last else nn.Identity()
        self.drop_path = _drop_path(drop_path_rate)
        self.act = nn.Identity() if linear_out else layers.act()

    def _last_norm(self) -> Optional[nn.Module]:
        return self.conv2_1x1.bn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.attn_last(self.conv2_1x1(self.attn(self.conv1_kxk(x))))
        return self._finish(x, shortcut)


def _fuse_conv_bn(weight: torch.Tensor, bn: nn.BatchNorm2d) -> Tuple[torch.Tensor, torch.Tensor]:
    """The (weight, bias) of one conv equal to conv -> eval-mode batch norm."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return weight * scale.reshape(-1, 1, 1, 1), bn.bias - bn.running_mean * scale


def _identity_kernel(channels: int, groups: int, kernel_size: int, like: torch.Tensor) -> torch.Tensor:
    """A kxk grouped conv kernel that passes its input through unchanged."""
    in_per_group = channels // groups
    kernel = torch.zeros(channels, in_per_group, kernel_size, kernel_size, dtype=like.dtype, device=like.device)
    idx = torch.arange(channels, device=like.device)
    kernel[idx, idx % in_per_group, kernel_size // 2, kernel_size // 2] = 1.0
    return kernel


class _Reparameterizable(nn.Module):
    """Multi-branch at training time, one conv at inference: ``reparameterize()`` folds every branch
    (convs + batch norms, and the identity norm) into ``reparam_conv``; outputs in eval mode are unchanged."""

    reparam_conv: Optional[nn.Conv2d]

    def _branches(self) -> List[nn.Module]:
        raise NotImplementedError

    @torch.no_grad()
    def reparameterize(self) -> None:
        if self.reparam_conv is not None:
            return
        ref = self._branches()[0].conv
        k = ref.kernel_size[0]
        weight = torch.zeros_like(ref.weight)
        bias = torch.zeros(ref.out_channels, dtype=ref.weight.dtype, device=ref.weight.device)
        for branch in self._branches():
            w, b = _fuse_conv_bn(branch.conv.weight, branch.bn)
            pad = (k - w.shape[-1]) // 2
            weight += F.pad(w, [pad] * 4)  # a 1x1 kernel sits at the kxk centre
            bias += b
        if self.identity is not None:
            w, b = _fuse_conv_bn(_identity_kernel(ref.out_channels, ref.groups, k, ref.weight), self.identity)
            weight += w
            bias += b
        conv = nn.Conv2d(ref.in_channels, ref.out_channels, k, stride=ref.stride, padding=ref.padding,
                         dilation=ref.dilation, groups=ref.groups, bias=True, device=ref.weight.device,
                         dtype=ref.weight.dtype)
        conv.weight.copy_(weight)
        conv.bias.copy_(bias)
        self.reparam_conv = conv
        self._drop_branches()

    def _drop_branches(self) -> None:
        raise NotImplementedError


class RepVggBlock(_Reparameterizable):
    """kxk conv+bn, 1x1 conv+bn and (same shape) an identity bn, summed; ``inference_mode`` builds the
    already-folded single conv."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "", inference_mode: bool = False,
        layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
    ):
        super().__init__()
        groups = num_groups(group_size, in_chs)
        use_ident = in_chs == out_chs and stride == 1 and dilation[0] == dilation[1]
        if inference_mode:
            self.reparam_conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation[0],
                                          padding=get_padding(kernel_size, stride, dilation[0]), groups=groups,
                                          bias=True, **layers.dd)
            self.identity = self.conv_kxk = self.conv_1x1 = None
            self.drop_path = nn.Identity()
        else:
            self.reparam_conv = None
            self.identity = layers.norm_act(out_chs, apply_act=False) if use_ident else None
            self.conv_kxk = layers.conv_norm_act(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation[0],
                                                 groups=groups, apply_act=False)
            self.conv_1x1 = layers.conv_norm_act(in_chs, out_chs, 1, stride=stride, groups=groups, apply_act=False)
            self.drop_path = _drop_path(drop_path_rate) if use_ident else nn.Identity()
        self.attn = layers.make_attn(out_chs)
        self.act = layers.act()

    def _branches(self) -> List[nn.Module]:
        return [self.conv_kxk, self.conv_1x1]

    def _drop_branches(self) -> None:
        self.conv_kxk = self.conv_1x1 = self.identity = None
        self.drop_path = nn.Identity()

    def init_weights(self, zero_init_last: bool = False) -> None:
        # RepVGG's recipe: small random norm scales so no branch dominates at the start
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                nn.init.normal_(m.weight, 0.1, 0.1)
                nn.init.normal_(m.bias, 0, 0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.reparam_conv is not None:
            return self.act(self.attn(self.reparam_conv(x)))
        out = self.drop_path(self.conv_1x1(x) + self.conv_kxk(x))
        if self.identity is not None:
            out = out + self.identity(x)
        return self.act(self.attn(out))


class MobileOneBlock(_Reparameterizable):
    """``num_conv_branches`` kxk conv+bn, a 1x1 'scale' conv+bn (kxk > 1) and an identity bn, summed."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "", inference_mode: bool = False,
        num_conv_branches: int = 1, layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None,
        drop_path_rate: float = 0.0,
    ):
        super().__init__()
        groups = num_groups(group_size, in_chs)
        use_ident = in_chs == out_chs and stride == 1 and dilation[0] == dilation[1]
        if inference_mode:
            self.reparam_conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, dilation=dilation[0],
                                          padding=get_padding(kernel_size, stride, dilation[0]), groups=groups,
                                          bias=True, **layers.dd)
            self.identity = self.conv_kxk = self.conv_scale = None
            self.drop_path = nn.Identity()
        else:
            self.reparam_conv = None
            self.identity = layers.norm_act(out_chs, apply_act=False) if use_ident else None
            self.conv_kxk = nn.ModuleList([
                layers.conv_norm_act(in_chs, out_chs, kernel_size, stride=stride, groups=groups, apply_act=False)
                for _ in range(num_conv_branches)
            ])
            self.conv_scale = None
            if kernel_size > 1:
                self.conv_scale = layers.conv_norm_act(in_chs, out_chs, 1, stride=stride, groups=groups,
                                                       apply_act=False)
            self.drop_path = _drop_path(drop_path_rate) if use_ident else nn.Identity()
        self.attn = layers.make_attn(out_chs)
        self.act = layers.act()

    def _branches(self) -> List[nn.Module]:
        return list(self.conv_kxk) + ([self.conv_scale] if self.conv_scale is not None else [])

    def _drop_branches(self) -> None:
        self.conv_kxk = self.conv_scale = self.identity = None
        self.drop_path = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.reparam_conv is not None:
            return self.act(self.attn(self.reparam_conv(x)))
        out = self.conv_scale(x) if self.conv_scale is not None else 0
        for conv in self.conv_kxk:
            out = out + conv(x)
        out = self.drop_path(out)
        if self.identity is not None:
            out = out + self.identity(x)
        return self.act(self.attn(out))


class SelfAttnBlock(_ResidualBlock):
    """1x1 -> [kxk] -> self-attention (strides itself) -> norm/act -> 1x1: the BoTNet / HaloNet /
    LambdaNet bottleneck, with the 3x3 conv replaced by a self-attention layer."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, dilation: Tuple[int, int] = (1, 1),
        bottle_ratio: float = 1.0, group_size: Optional[int] = None, downsample: str = "avg", extra_conv: bool = False,
        linear_out: bool = False, bottle_in: bool = False, post_attn_na: bool = True, feat_size: Any = None,
        layers: Optional[BlockLayers] = None, drop_block: Optional[LayerFn] = None, drop_path_rate: float = 0.0,
    ):
        super().__init__()
        if layers.self_attn is None:
            raise ValueError("a 'self_attn' block needs self_attn_layer (e.g. 'bottleneck', 'halo', 'lambda')")
        mid_chs = make_divisible((in_chs if bottle_in else out_chs) * bottle_ratio)
        groups = num_groups(group_size, mid_chs)
        self.shortcut = create_shortcut(downsample, in_chs, out_chs, stride, dilation, layers)
        self.conv1_1x1 = layers.conv_norm_act(in_chs, mid_chs, 1)
        if extra_conv:
            self.conv2_kxk = layers.conv_norm_act(mid_chs, mid_chs, kernel_size, stride=stride, dilation=dilation[0],
                                                  groups=groups)
            stride = 1  # the conv did the striding
        else:
            self.conv2_kxk = nn.Identity()
        opt_kwargs = {} if feat_size is None else dict(feat_size=feat_size)
        self.self_attn = layers.self_attn(mid_chs, stride=stride, **opt_kwargs, **layers.dd)
        self.post_attn = layers.norm_act(mid_chs) if post_attn_na else nn.Identity()
        self.conv3_1x1 = layers.conv_norm_act(mid_chs, out_chs, 1, apply_act=False)
        self.drop_path = _drop_path(drop_path_rate)
        self.act = nn.Identity() if linear_out else layers.act()

    def _last_norm(self) -> Optional[nn.Module]:
        return self.conv3_1x1.bn

    def init_weights(self, zero_init_last: bool = False) -> None:
        super().init_weights(zero_init_last)
        if hasattr(self.self_attn, "reset_parameters"):
            self.self_attn.reset_parameters()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.self_attn(self.conv2_kxk(self.conv1_1x1(x)))
        x = self.conv3_1x1(self.post_attn(x))
        return self._finish(x, shortcut)


_BLOCKS: Dict[str, LayerFn] = {
    "basic": BasicBlock, "bottle": BottleneckBlock, "dark": DarkBlock, "edge": EdgeBlock,
    "rep": RepVggBlock, "one": MobileOneBlock, "self_attn": SelfAttnBlock,
}


# --- stem --------------------------------------------------------------------------------------------

class Stem(nn.Sequential):
    """A stack of convs (``conv1`` ...) with total stride 4: the first conv strides, then either a
    pool or the last conv strides. A Sequential so that feature extraction can tap its layers.

    The first ``len(out_chs) - num_act`` convs are plain convs (no norm / act), as in ResNet-51q.
    """

    def __init__(
        self, in_chs: int, out_chs: Sequence[int], kernel_size: int = 3, pool: Optional[str] = "maxpool",
        num_act: Optional[int] = None, layers: Optional[BlockLayers] = None,
    ):
        super().__init__()
        num_rep = len(out_chs)
        num_act = num_rep if num_act is None else num_act
        prev_chs, prev_name = in_chs, ""
        for i, chs in enumerate(out_chs):
            stride = 2 if i == 0 or (not pool and i == num_rep - 1) else 1
            if stride == 2 and i > 0:
                self.feature_module, self.feature_chs = prev_name, prev_chs
            name = f"conv{i + 1}"
            if i < num_rep - num_act:
                conv = create_conv2d(prev_chs, chs, kernel_size, stride=stride, **layers.dd)
            else:
                conv = layers.conv_norm_act(prev_chs, chs, kernel_size, stride=stride)
            self.add_module(name, conv)
            prev_chs, prev_name = chs, name
        if pool:
            self.feature_module, self.feature_chs = prev_name, prev_chs
            self.add_module("pool", _stem_pool(pool))
        self.out_chs = prev_chs

    def forward_with_feature(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """The stem output and the stride-2 feature map (``feature_module``'s output)."""
        feature = x
        for name, module in self.named_children():
            x = module(x)
            if name == self.feature_module:
                feature = x
        return x, feature


def _stem_pool(pool: str) -> nn.Module:
    if pool in ("max", "maxpool"):
        return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
    if pool == "max2":
        return nn.MaxPool2d(2)
    if pool == "avg2":
        return nn.AvgPool2d(2)
    if pool == "avg":
        return nn.AvgPool2d(kernel_size=3, stride=2, padding=1, count_include_pad=False)
    raise ValueError(f"stem_pool must be 'maxpool', 'max2', 'avg', 'avg2' or ''/None, got {pool!r}")


def create_stem(
    in_chs: int, out_chs: Union[int, Tuple[int, ...]], stem_type: str, pool: Optional[str], layers: BlockLayers,
) -> Tuple[nn.Module, Dict[str, Any], int]:
    """The stem, its stride-2 feature point, and its total stride (2 or 4)."""
    if isinstance(out_chs, (tuple, list)):
        widths: Optional[List[int]] = list(out_chs)
        last = widths[-1]
    else:
        widths, last = None, out_chs
    num_act = None
    if "quad" in stem_type:
        widths = widths or [last // 8, last // 4, last // 2, last]
        num_act = 2 if stem_type == "quad2" else None
    elif stem_type == "tiered":
        widths = widths or [3 * last // 8, last // 2, last]
    elif stem_type == "deep":
        widths = widths or [last, last, last]
    elif stem_type == "rep":
        stem = RepVggBlock(in_chs, last, stride=2, layers=layers)
        return stem, dict(num_chs=last, reduction=2, module="stem"), 2
    elif stem_type == "one":
        stem = MobileOneBlock(in_chs, last, kernel_size=3, stride=2, layers=layers)
        return stem, dict(num_chs=last, reduction=2, module="stem"), 2
    elif stem_type in ("7x7", "3x3", ""):
        if widths is None:
            kernel_size = 7 if stem_type == "7x7" else 3
            if pool:
                stem = Stem(in_chs, [last], kernel_size, pool=pool, layers=layers)
                return stem, dict(num_chs=last, reduction=2, module="stem.conv1"), 4
            stem = layers.conv_norm_act(in_chs, last, kernel_size, stride=2)
            return stem, dict(num_chs=last, reduction=2, module="stem"), 2
    else:
        raise ValueError(f"unknown stem_type {stem_type!r}")
    stem = Stem(in_chs, widths, 3, pool=pool, num_act=num_act, layers=layers)
    return stem, dict(num_chs=stem.feature_chs, reduction=2, module=f"stem.{stem.feature_module}"), 4


# --- the network -------------------------------------------------------------------------------------

def _stage_specs(stage: Stage) -> List[BlockSpec]:
    """One spec per block (a run of ``depth`` expands to ``depth`` rows)."""
    specs = stage if isinstance(stage, tuple) else (stage,)
    return [spec for spec in specs for _ in range(spec.depth)]


def _block_layers(base: BlockLayers, cfg: ByobCfg, spec: BlockSpec) -> BlockLayers:
    """The network's layers with this spec's attention / self-attention overrides."""
    attn_name, attn_kwargs = cfg.attn_layer, cfg.attn_kwargs
    if spec.attn_layer is not None:
        attn_name, attn_kwargs = spec.attn_layer, spec.attn_kwargs or {}
    sa_name, sa_kwargs = cfg.self_attn_layer, cfg.self_attn_kwargs
    if spec.self_attn_layer is not None:
        sa_name, sa_kwargs = spec.self_attn_layer, spec.self_attn_kwargs or {}
    attn = _get_attn(attn_name) if attn_name else None
    if attn is not None and attn_kwargs:
        attn = partial(attn, **attn_kwargs)
    self_attn = None
    if sa_name:
        from imagemodels.layers.create_self_attn import get_self_attn_layer
        self_attn = get_self_attn_layer(sa_name)
        if sa_kwargs:
            self_attn = partial(self_attn, **sa_kwargs)
    return replace(base, attn=attn, self_attn=self_attn)


class ByobNet(nn.Module):
    """A network assembled from a :class:`ByobCfg`: stem, stages of typed blocks, final conv, head.

    Keyword arguments named like a :class:`ByobCfg` field override the row
    (``create_model('resnet33ts', act_layer='relu')``).
    """

    def __init__(
        self,
        cfg: ByobCfg,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: Optional[str] = None,
        output_stride: int = 32,
        img_size: Optional[Union[int, Tuple[int, int]]] = None,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        zero_init_last: bool = True,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        unknown = set(kwargs) - set(ByobCfg.__dataclass_fields__)
        if unknown:
            raise TypeError(f"ByobNet got unexpected arguments {sorted(unknown)}; ByobCfg fields and the usual "
                            f"model arguments are accepted")
        cfg = replace(cfg, **kwargs)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self._dd = dd

        # strings become classes here, once
        norm_layer = cfg.norm_layer
        aa_layer = get_aa_layer(cfg.aa_layer) if cfg.aa_layer else None
        layers = BlockLayers(norm_layer=norm_layer, act_layer=get_act_layer(cfg.act_layer), aa_layer=aa_layer, dd=dd)
        stem_layers = _block_layers(layers, cfg, BlockSpec("stem", 1, 0))

        if isinstance(cfg.stem_chs, (tuple, list)):
            stem_chs: Any = tuple(int(c * cfg.width_factor) for c in cfg.stem_chs)
        else:
            stem_chs = int(round(cfg.stem_chs * cfg.width_factor))
        self.stem, stem_info, net_stride = create_stem(in_chans, stem_chs, cfg.stem_type, cfg.stem_pool, stem_layers)
        prev_chs = stem_chs[-1] if isinstance(stem_chs, tuple) else stem_chs
        self.feature_info = [dict(stem_info, stage=0)]

        per_stage = [_stage_specs(s) for s in cfg.blocks]
        total = sum(len(s) for s in per_stage)
        rates = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]
        feat_size = None
        if img_size is not None:
            feat_size = tuple(s // net_stride for s in to_2tuple(img_size))
        dilation = 1
        stages = []
        block_idx = 0
        for stage_idx, specs in enumerate(per_stage):
            stride = specs[0].stride
            if stride != 1 and stage_idx > 0:
                self.feature_info.append(
                    dict(num_chs=prev_chs, reduction=net_stride, module=f"stages.{stage_idx - 1}", stage=stage_idx))
            first_dilation = dilation
            if net_stride >= output_stride and stride > 1:
                dilation *= stride
                stride = 1
            net_stride *= stride
            blocks = []
            for i, spec in enumerate(specs):
                out_chs = make_divisible(spec.out_chs * cfg.width_factor)
                group_size = spec.group_size(out_chs, i) if callable(spec.group_size) else spec.group_size
                # a spec's own block_kwargs replace the network's (not merged), as the reference does
                block_kwargs = dict(cfg.block_kwargs if spec.block_kwargs is None else spec.block_kwargs)
                if spec.type == "self_attn" and feat_size is not None:
                    block_kwargs.setdefault("feat_size", feat_size)
                blocks.append(_BLOCKS[spec.type](
                    prev_chs, out_chs,
                    stride=stride if i == 0 else 1,
                    dilation=(first_dilation if i == 0 else dilation, dilation),
                    group_size=group_size,
                    bottle_ratio=spec.bottle_ratio,
                    downsample=cfg.downsample,
                    layers=_block_layers(layers, cfg, spec),
                    drop_path_rate=rates[block_idx],
                    **block_kwargs,
                ))
                prev_chs = out_chs
                block_idx += 1
                # the first block strides, and a self-attention layer attends before it pools: that block
                # gets the incoming map size, the rest the reduced one
                if i == 0 and feat_size is not None and stride > 1:
                    feat_size = tuple((s - 1) // stride + 1 for s in feat_size)
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)

        if cfg.num_features:
            self.num_features = int(round(cfg.width_factor * cfg.num_features))
            self.final_conv: nn.Module = layers.conv_norm_act(prev_chs, self.num_features, 1)
        else:
            self.num_features = prev_chs
            self.final_conv = nn.Identity()
        self.feature_info.append(dict(num_chs=self.num_features, reduction=net_stride, module="final_conv",
                                      stage=len(self.stages)))
        self.stage_ends = [info["stage"] for info in self.feature_info]

        self.head_type = cfg.head_type
        if cfg.head_type == "attn_abs":
            feat = to_2tuple(img_size or 224)
            feat = tuple(s // net_stride for s in feat)
            self.head: nn.Module = AttentionPool2d(self.num_features, feat_size=feat, out_features=num_classes,
                                                   qkv_separate=True, **dd)
            self.head_hidden_size = self.num_features
            self.global_pool = "token"
        elif cfg.head_type == "mlp":
            self.global_pool = global_pool or "avg"
            self.head = NormMlpClassifierHead(
                self.num_features, num_classes, hidden_size=cfg.head_hidden_size, pool_type=self.global_pool,
                norm_layer=nn.BatchNorm2d if norm_layer == "batchnorm" else norm_layer, act_layer=layers.act_layer,
                drop_rate=drop_rate, **dd)
            self.head_hidden_size = self.head.num_features
        elif cfg.head_type == "classifier":
            self.global_pool = global_pool or "avg"
            self.head = ClassifierHead(self.num_features, num_classes, pool_type=self.global_pool,
                                       drop_rate=drop_rate, **dd)
            self.head_hidden_size = self.num_features
        else:
            raise ValueError(f"head_type must be 'classifier', 'mlp' or 'attn_abs', got {cfg.head_type!r}")
        self._init_weights(zero_init_last and cfg.zero_init_last)

    def _init_weights(self, zero_init_last: bool) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
                nn.init.normal_(m.weight, 0.0, math.sqrt(2.0 / fan_out))
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 0.01)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        for m in self.modules():
            if hasattr(m, "init_weights") and m is not self:
                m.init_weights(zero_init_last=zero_init_last)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^stem",
            blocks=[(r"^stages\.(\d+)" if coarse else r"^stages\.(\d+)\.(\d+)", None), (r"^final_conv", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.proj if self.head_type == "attn_abs" else self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if self.head_type == "attn_abs":
            if global_pool in (None, "", "token"):
                self.head.reset(num_classes)
                return
            # asking for a pooling (avg, max, ...) swaps CLIP's attention pool for a plain pooled classifier
            self.head_type = "classifier"
            self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=self.drop_rate,
                                       **self._dd)
            self.global_pool = global_pool
            return
        if global_pool is not None:
            self.global_pool = global_pool
        self.head.reset(num_classes, pool_type=global_pool)

    def _run_stem(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        if isinstance(self.stem, Stem):
            return self.stem.forward_with_feature(x)
        x = self.stem(x)
        return x, x

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Feature maps at ``indices`` of the ``feature_info`` points (stem, the stage ending each
        resolution, final conv). ``norm`` is accepted for the common signature; there is no final norm."""
        if output_fmt != "NCHW":
            raise ValueError(f"ByobNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.stage_ends), indices)
        take_stages = {self.stage_ends[i] for i in take_indices}
        last_stage = self.stage_ends[max_index]
        num_stages = len(self.stages)
        intermediates = []
        x, stem_feature = self._run_stem(x)
        if 0 in take_stages:
            intermediates.append(stem_feature)
        stages = list(self.stages)[:last_stage] if stop_early else list(self.stages)
        feat_idx = 0
        for feat_idx, stage in enumerate(stages, start=1):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint_seq(stage, x)
            else:
                x = stage(x)
            if feat_idx == num_stages:
                x = self.final_conv(x)
            if feat_idx in take_stages:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the stages past the last of ``indices`` (and the final conv, and the head)."""
        take_indices, max_index = feature_take_indices(len(self.stage_ends), indices)
        last_stage = self.stage_ends[max_index]
        self.stages = self.stages[:last_stage]
        if last_stage < self.stage_ends[-1]:
            self.final_conv = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.stages, x)
        else:
            x = self.stages(x)
        return self.final_conv(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=pre_logits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ----------------------------------------------------------------------------------------

B = BlockSpec


def _rep_vgg_groups(groups: int) -> Callable[[int, int], int]:
    """RepVGG-g: every other layer (odd index within the stage) has ``groups`` groups."""
    return lambda chs, idx: chs // groups if idx % 2 else 0


def _rep_vgg(depths: Sequence[int], widths: Sequence[float], groups: int = 0, **kwargs: Any) -> ByobCfg:
    """RepVGG: four stages of rep blocks after a rep stem of ``min(64, widths[0])`` channels."""
    gs = _rep_vgg_groups(groups) if groups else 0
    blocks = tuple(B("rep", d, c, group_size=gs) for d, c in zip(depths, widths))
    return ByobCfg(blocks=blocks, stem_type="rep", stem_chs=min(64, int(widths[0])), **kwargs)


def _mobileone(widths: Sequence[float], branches: int = 1, stem_chs: int = 64, se: bool = False) -> ByobCfg:
    """MobileOne: each layer is a depthwise kxk block then a pointwise block; (2, 8, 10, 1) layers per
    stage. The S4 model adds squeeze-excite to the last 5 layers of stage 3 and to stage 4."""
    stages, prev = [], stem_chs
    for stage_idx, (depth, width) in enumerate(zip((2, 8, 10, 1), widths)):
        specs = []
        for layer_idx in range(depth):
            use_se = se and (stage_idx == 3 or (stage_idx == 2 and layer_idx >= depth - 5))
            attn = dict(attn_layer="se") if use_se else {}
            specs.append(B("one", 1, prev, group_size=1, block_kwargs=dict(num_conv_branches=branches), **attn))
            specs.append(B("one", 1, width, group_size=0,
                           block_kwargs=dict(kernel_size=1, num_conv_branches=branches), **attn))
            prev = width
        stages.append(tuple(specs))
    return ByobCfg(blocks=tuple(stages), stem_type="one", stem_chs=stem_chs)


def _bottle4(depths: Sequence[int], widths: Sequence[int], gs: Optional[int] = None, br: float = 0.25,
             first_stride: int = 1) -> Tuple[BlockSpec, ...]:
    strides = (first_stride, 2, 2, 2)
    return tuple(B("bottle", d, c, stride=s, group_size=gs, bottle_ratio=br)
                 for d, c, s in zip(depths, widths, strides))


_RESNEXT26 = _bottle4((2, 2, 2, 2), (256, 512, 1024, 2048), gs=32)
_RESNET33 = _bottle4((2, 3, 3, 2), (256, 512, 1536, 1536), gs=0)
_ts = dict(stem_type="tiered", stem_chs=64, act_layer="silu")
_REGNETZ = dict(downsample="", stem_pool="", act_layer="silu", attn_layer="se", attn_kwargs=dict(rd_ratio=0.25),
                block_kwargs=dict(bottle_in=True, linear_out=True))


def _regnetz(depths, widths, gs, br, first_stride=2, **kwargs) -> ByobCfg:
    strides = (first_stride, 2, 2, 2)
    blocks = tuple(B("bottle", d, c, stride=s, group_size=gs, bottle_ratio=br)
                   for d, c, s in zip(depths, widths, strides))
    return ByobCfg(blocks=blocks, **dict(_REGNETZ, **kwargs))


def _clip(depths: Sequence[int], width_factor: float = 1.0, **kwargs: Any) -> ByobCfg:
    """OpenAI CLIP's ModifiedResNet: 3-conv stem + 2x2 avg pool, anti-aliased (avg-pool) strides."""
    return ByobCfg(
        blocks=_bottle4(depths, (256, 512, 1024, 2048)), downsample="avg", stem_type="", stem_pool="avg2",
        stem_chs=(32, 32, 64), width_factor=width_factor, aa_layer="avg", **kwargs)


_EVOS = partial(EvoNorm2dS0a, group_size=16)

BYOB_CFGS: Dict[str, ByobCfg] = {
    "gernet_l": ByobCfg(blocks=(
        B("basic", 1, 128), B("basic", 2, 192), B("bottle", 6, 640, bottle_ratio=0.25),
        B("bottle", 5, 640, group_size=1, bottle_ratio=3.0), B("bottle", 4, 640, stride=1, group_size=1, bottle_ratio=3.0),
    ), stem_pool=None, num_features=2560),
    "gernet_m": ByobCfg(blocks=(
        B("basic", 1, 128), B("basic", 2, 192), B("bottle", 6, 640, bottle_ratio=0.25),
        B("bottle", 4, 640, group_size=1, bottle_ratio=3.0), B("bottle", 1, 640, stride=1, group_size=1, bottle_ratio=3.0),
    ), stem_pool=None, num_features=2560),
    "gernet_s": ByobCfg(blocks=(
        B("basic", 1, 48), B("basic", 3, 48), B("bottle", 7, 384, bottle_ratio=0.25),
        B("bottle", 2, 560, group_size=1, bottle_ratio=3.0), B("bottle", 1, 256, stride=1, group_size=1, bottle_ratio=3.0),
    ), stem_pool=None, stem_chs=13, num_features=1920),
    "repvgg_a0": _rep_vgg((2, 4, 14, 1), (48, 96, 192, 1280)),
    "repvgg_a1": _rep_vgg((2, 4, 14, 1), (64, 128, 256, 1280)),
    "repvgg_a2": _rep_vgg((2, 4, 14, 1), (96, 192, 384, 1408)),
    "repvgg_b0": _rep_vgg((4, 6, 16, 1), (64, 128, 256, 1280)),
    "repvgg_b1": _rep_vgg((4, 6, 16, 1), (128, 256, 512, 2048)),
    "repvgg_b1g4": _rep_vgg((4, 6, 16, 1), (128, 256, 512, 2048), groups=4),
    "repvgg_b2": _rep_vgg((4, 6, 16, 1), (160, 320, 640, 2560)),
    "repvgg_b2g4": _rep_vgg((4, 6, 16, 1), (160, 320, 640, 2560), groups=4),
    "repvgg_b3": _rep_vgg((4, 6, 16, 1), (192, 384, 768, 2560)),
    "repvgg_b3g4": _rep_vgg((4, 6, 16, 1), (192, 384, 768, 2560), groups=4),
    "repvgg_d2se": _rep_vgg((8, 14, 24, 1), (160, 320, 640, 2560), attn_layer="se",
                            attn_kwargs=dict(rd_ratio=0.0625, rd_divisor=1)),
    "resnet51q": ByobCfg(blocks=(
        B("bottle", 2, 256, stride=1, group_size=32, bottle_ratio=0.25),
        B("bottle", 4, 512, group_size=32, bottle_ratio=0.25),
        B("bottle", 6, 1536, group_size=32, bottle_ratio=0.25),
        B("bottle", 4, 1536, group_size=1),
    ), stem_type="quad2", stem_pool=None, stem_chs=128, num_features=2048, act_layer="silu"),
    "resnet61q": ByobCfg(blocks=(
        B("edge", 1, 256, stride=1, group_size=0, block_kwargs={}),
        B("bottle", 4, 512, group_size=32, bottle_ratio=0.25),
        B("bottle", 6, 1536, group_size=32, bottle_ratio=0.25),
        B("bottle", 4, 1536, group_size=1),
    ), stem_type="quad", stem_pool=None, stem_chs=128, num_features=2048, act_layer="silu",
        block_kwargs=dict(extra_conv=True)),
    "resnext26ts": ByobCfg(blocks=_RESNEXT26, **_ts),
    "gcresnext26ts": ByobCfg(blocks=_RESNEXT26, attn_layer="gca", **_ts),
    "seresnext26ts": ByobCfg(blocks=_RESNEXT26, attn_layer="se", **_ts),
    "eca_resnext26ts": ByobCfg(blocks=_RESNEXT26, attn_layer="eca", **_ts),
    "bat_resnext26ts": ByobCfg(blocks=_RESNEXT26, attn_layer="bat", attn_kwargs=dict(block_size=8), **_ts),
    "resnet32ts": ByobCfg(blocks=_RESNET33, stem_pool="", **_ts),
    "resnet33ts": ByobCfg(blocks=_RESNET33, stem_pool="", num_features=1280, **_ts),
    "gcresnet33ts": ByobCfg(blocks=_RESNET33, stem_pool="", num_features=1280, attn_layer="gca", **_ts),
    "seresnet33ts": ByobCfg(blocks=_RESNET33, stem_pool="", num_features=1280, attn_layer="se", **_ts),
    "eca_resnet33ts": ByobCfg(blocks=_RESNET33, stem_pool="", num_features=1280, attn_layer="eca", **_ts),
    "gcresnet50t": ByobCfg(blocks=_bottle4((3, 4, 6, 3), (256, 512, 1024, 2048)), stem_type="tiered", stem_pool="",
                           stem_chs=64, attn_layer="gca"),
    "gcresnext50ts": ByobCfg(blocks=_bottle4((3, 4, 6, 3), (256, 512, 1024, 2048), gs=32), attn_layer="gca", **_ts),
    "regnetz_b16": _regnetz((2, 6, 12, 2), (48, 96, 192, 288), 16, 3, num_features=1536),
    "regnetz_c16": _regnetz((2, 6, 12, 2), (48, 96, 192, 288), 16, 4, num_features=1536),
    "regnetz_d32": _regnetz((3, 6, 12, 3), (64, 128, 256, 384), 32, 4, first_stride=1, stem_type="tiered",
                            stem_chs=64, num_features=1792),
    "regnetz_d8": _regnetz((3, 6, 12, 3), (64, 128, 256, 384), 8, 4, first_stride=1, stem_type="tiered",
                           stem_chs=64, num_features=1792),
    "regnetz_e8": _regnetz((3, 8, 16, 3), (96, 192, 384, 512), 8, 4, first_stride=1, stem_type="tiered",
                           stem_chs=64, num_features=2048),
    "regnetz_b16_evos": _regnetz((2, 6, 12, 2), (48, 96, 192, 288), 16, 3, num_features=1536, norm_layer=_EVOS),
    "regnetz_c16_evos": _regnetz((2, 6, 12, 2), (48, 96, 192, 288), 16, 4, num_features=1536, norm_layer=_EVOS),
    "regnetz_d8_evos": _regnetz((3, 6, 12, 3), (64, 128, 256, 384), 8, 4, first_stride=1, stem_type="deep",
                                stem_chs=64, num_features=1792, norm_layer=_EVOS),
    "mobileone_s0": _mobileone((48, 128, 256, 1024), branches=4, stem_chs=48),
    "mobileone_s1": _mobileone((96, 192, 512, 1280)),
    "mobileone_s2": _mobileone((96, 256, 640, 2048)),
    "mobileone_s3": _mobileone((128, 320, 768, 2048)),
    "mobileone_s4": _mobileone((192, 448, 896, 2048), se=True),
    "resnet50_clip": _clip((3, 4, 6, 3), head_type="attn_abs"),
    "resnet101_clip": _clip((3, 4, 23, 3), head_type="attn_abs"),
    "resnet50x4_clip": _clip((4, 6, 10, 6), width_factor=1.25, head_type="attn_abs"),
    "resnet50x16_clip": _clip((6, 8, 18, 8), width_factor=1.5, head_type="attn_abs"),
    "resnet50x64_clip": _clip((3, 15, 36, 10), width_factor=2.0, head_type="attn_abs"),
    "resnet50_mlp": _clip((3, 4, 6, 3), head_hidden_size=1024, head_type="mlp"),
    "test_byobnet": ByobCfg(blocks=(
        B("edge", 1, 32, group_size=0, bottle_ratio=0.5), B("dark", 1, 64, group_size=0, bottle_ratio=0.5),
        B("basic", 1, 128, group_size=32, bottle_ratio=0.25), B("bottle", 1, 256, group_size=64, bottle_ratio=0.25),
    ), downsample="avg", stem_pool="", stem_chs=24, attn_layer="se", attn_kwargs=dict(rd_ratio=0.25)),
    "resnet50_clip_gap": _clip((3, 4, 6, 3)),
    "resnet101_clip_gap": _clip((3, 4, 23, 3)),
    "resnet50x4_clip_gap": _clip((4, 6, 10, 6), width_factor=1.25),
    "resnet50x16_clip_gap": _clip((6, 8, 18, 8), width_factor=1.5),
    "resnet50x64_clip_gap": _clip((3, 15, 36, 10), width_factor=2.0),
}

# the CLIP attention-pool heads are built for the weights' input size
_CLIP_IMG_SIZE = {"resnet50x4_clip": 288, "resnet50x16_clip": 384, "resnet50x64_clip": 448}

BYOBNETS: Dict[str, Dict[str, Any]] = {
    name: dict(cfg=cfg, **({"img_size": _CLIP_IMG_SIZE[name]} if name in _CLIP_IMG_SIZE else {}))
    for name, cfg in BYOB_CFGS.items()
}


# --- weight metadata ---------------------------------------------------------------------------------

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.9,
        interpolation="bicubic", first_conv="stem.conv1.conv", classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


def _r256(url: str, **kwargs: Any) -> Dict[str, Any]:
    """timm's 256px-trained ResNet-style weights, evaluated at 288."""
    return _cfg(_RELEASES + url, **dict(dict(input_size=(3, 256, 256), test_input_size=(3, 288, 288),
                                             pool_size=(8, 8), test_crop_pct=1.0), **kwargs))


_gernet = partial(_cfg, crop_pct=0.875, interpolation="bilinear", first_conv="stem.conv")
_mobileone = partial(_cfg, interpolation="bilinear", first_conv=("stem.conv_kxk.0.conv", "stem.conv_scale.conv"),
                     license="mobileone-license")
_repvgg = partial(_cfg, crop_pct=0.875, interpolation="bilinear", first_conv=("stem.conv_kxk.conv", "stem.conv_1x1.conv"),
                  license="mit")
_clip_cfg = partial(_cfg, mean=_CLIP_MEAN, std=_CLIP_STD, classifier="head.proj", license="mit", fixed_input_size=True)
_clip_gap = partial(_cfg, num_classes=0, mean=_CLIP_MEAN, std=_CLIP_STD, license="mit")
_rz = dict(mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))

BYOBNET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "bat_resnext26ts.ch_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/bat_resnext26ts_256-fa6fd595.pth", input_size=(3, 256, 256), pool_size=(8, 8),
        min_input_size=(3, 256, 256)),
    "eca_resnet33ts.ra2_in1k": _r256("v0.1-attn-weights/eca_resnet33ts_256-8f98face.pth"),
    "eca_resnext26ts.ch_in1k": _r256("v0.1-attn-weights/eca_resnext26ts_256-5a1d030f.pth"),
    "gcresnet33ts.ra2_in1k": _r256("v0.1-attn-weights/gcresnet33ts_256-0e0cd345.pth"),
    "gcresnet50t.ra2_in1k": _r256("v0.1-attn-weights/gcresnet50t_256-96374d1c.pth"),
    "gcresnext26ts.ch_in1k": _r256("v0.1-attn-weights/gcresnext26ts_256-e414378b.pth"),
    "gcresnext50ts.ch_in1k": _r256("v0.1-attn-weights/gcresnext50ts_256-3e0f515e.pth"),
    "gernet_l.idstcv_in1k": _gernet(input_size=(3, 256, 256), pool_size=(8, 8)),
    "gernet_m.idstcv_in1k": _gernet(),
    "gernet_s.idstcv_in1k": _gernet(),
    "mobileone_s0.apple_in1k": _mobileone(crop_pct=0.875),
    "mobileone_s1.apple_in1k": _mobileone(),
    "mobileone_s2.apple_in1k": _mobileone(),
    "mobileone_s3.apple_in1k": _mobileone(),
    "mobileone_s4.apple_in1k": _mobileone(),
    "regnetz_b16.ra3_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/regnetz_b_raa-677d9606.pth", test_input_size=(3, 288, 288), crop_pct=0.94,
        test_crop_pct=1.0, first_conv="stem.conv", **_rz),
    "regnetz_b16_evos.untrained": _cfg(
        hf_hub_id=None, test_input_size=(3, 288, 288), crop_pct=0.95, first_conv="stem.conv", **_rz),
    "regnetz_c16.ra3_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/regnetz_c_rab2_256-a54bf36a.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.94, test_crop_pct=1.0, first_conv="stem.conv",
        **_rz),
    "regnetz_c16_evos.ch_in1k": _cfg(
        _RELEASES + "v0.1-tpu-weights/regnetz_c16_evos_ch-d8311942.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.95, first_conv="stem.conv", **_rz),
    "regnetz_d8.ra3_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/regnetz_d8_bh-afc03c55.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.94, test_crop_pct=1.0, **_rz),
    "regnetz_d8_evos.ch_in1k": _cfg(
        _RELEASES + "v0.1-tpu-weights/regnetz_d8_evos_ch-2bc12646.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.95, test_crop_pct=1.0, **_rz),
    "regnetz_d32.ra3_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/regnetz_d_rab_256-b8073a89.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.95, **_rz),
    "regnetz_e8.ra3_in1k": _cfg(
        _RELEASES + "v0.1-attn-weights/regnetz_e8_bh-aace8e6e.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), pool_size=(8, 8), crop_pct=0.94, test_crop_pct=1.0, **_rz),
    "repvgg_a0.rvgg_in1k": _repvgg(),
    "repvgg_a1.rvgg_in1k": _repvgg(),
    "repvgg_a2.rvgg_in1k": _repvgg(),
    "repvgg_b0.rvgg_in1k": _repvgg(),
    "repvgg_b1.rvgg_in1k": _repvgg(),
    "repvgg_b1g4.rvgg_in1k": _repvgg(),
    "repvgg_b2.rvgg_in1k": _repvgg(),
    "repvgg_b2g4.rvgg_in1k": _repvgg(),
    "repvgg_b3.rvgg_in1k": _repvgg(),
    "repvgg_b3g4.rvgg_in1k": _repvgg(),
    "repvgg_d2se.rvgg_in1k": _repvgg(input_size=(3, 320, 320), pool_size=(10, 10), crop_pct=1.0),
    "resnet32ts.ra2_in1k": _r256("v0.1-attn-weights/resnet32ts_256-aacf5250.pth"),
    "resnet33ts.ra2_in1k": _r256("v0.1-attn-weights/resnet33ts_256-e91b09a4.pth"),
    "resnet50_clip.openai": _clip_cfg(num_classes=1024),
    "resnet50_clip.cc12m": _clip_cfg(num_classes=1024),
    "resnet50_clip.yfcc15m": _clip_cfg(num_classes=1024),
    "resnet50_clip_gap.openai": _clip_gap(),
    "resnet50_clip_gap.cc12m": _clip_gap(),
    "resnet50_clip_gap.yfcc15m": _clip_gap(),
    "resnet50_mlp.untrained": _cfg(hf_hub_id=None, input_size=(3, 256, 256), pool_size=(8, 8)),
    "resnet50x4_clip.openai": _clip_cfg(num_classes=640, input_size=(3, 288, 288), pool_size=(9, 9)),
    "resnet50x4_clip_gap.openai": _clip_gap(input_size=(3, 288, 288), pool_size=(9, 9)),
    "resnet50x16_clip.openai": _clip_cfg(num_classes=768, input_size=(3, 384, 384), pool_size=(12, 12)),
    "resnet50x16_clip_gap.openai": _clip_gap(input_size=(3, 384, 384), pool_size=(12, 12)),
    "resnet50x64_clip.openai": _clip_cfg(num_classes=1024, input_size=(3, 448, 448), pool_size=(14, 14)),
    "resnet50x64_clip_gap.openai": _clip_gap(input_size=(3, 448, 448), pool_size=(14, 14)),
    "resnet51q.ra2_in1k": _r256(
        "v0.1-weights/resnet51q_ra2-d47dcc76.pth", crop_pct=0.875, interpolation="bilinear", first_conv="stem.conv1"),
    "resnet61q.ra2_in1k": _r256("v0.1-weights/resnet61q_ra2-6afc536c.pth"),
    "resnet101_clip.openai": _clip_cfg(num_classes=512),
    "resnet101_clip.yfcc15m": _clip_cfg(num_classes=512),
    "resnet101_clip_gap.openai": _clip_gap(),
    "resnet101_clip_gap.yfcc15m": _clip_gap(),
    "resnext26ts.ra2_in1k": _r256("v0.1-attn-weights/resnext26ts_256_ra2-8bbd9106.pth"),
    "seresnet33ts.ra2_in1k": _r256("v0.1-attn-weights/seresnet33ts_256-f8ad44d9.pth"),
    "seresnext26ts.ch_in1k": _r256("v0.1-attn-weights/seresnext26ts_256-6f0d74a3.pth"),
    "test_byobnet.r160_in1k": _cfg(input_size=(3, 160, 160), pool_size=(5, 5), crop_pct=0.95, first_conv="stem.conv"),
}

default_cfgs = generate_default_cfgs(BYOBNET_WEIGHTS)


# --- registration ------------------------------------------------------------------------------------

def _create_byobnet(variant: str, pretrained: bool = False, **kwargs: Any) -> ByobNet:
    return build_model_with_cfg(ByobNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(BYOBNETS, _create_byobnet, globals())
