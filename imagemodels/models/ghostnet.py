"""GhostNet V1 / V2 / V3: MobileNetV3-shaped networks whose pointwise convs are Ghost modules, half a
real 1x1 conv and half a cheap depthwise conv over its output. Checkpoint-compatible with timm's
``ghostnet`` module.

Papers:

* Han et al., "GhostNet: More Features from Cheap Operations", 2019 (arXiv:1911.11907)
* Tang et al., "GhostNetV2: Enhance Cheap Operation with Long-Range Attention" (DFC attention), 2022
  (arXiv:2211.12905)
* Liu et al., "GhostNetV3: Exploring the Training Strategies for Compact Models" (re-parameterisable
  branches), 2024 (arXiv:2404.11202)

Layout: Ghost modules, the bottlenecks, the network, then the variant table, weight metadata and
registration. V3 trains with parallel conv-BN branches that ``reparameterize()`` folds into one conv.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    BatchNormAct2d, SelectAdaptivePool2d, factory_kwargs, make_divisible,
)

from ._builder import build_model_with_cfg
from ._efficientnet_blocks import ConvBnAct, SqueezeExcite
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["GhostNet", "GhostModule", "GhostModuleV2", "GhostModuleV3", "GhostBottleneck", "GhostBottleneckV3"]

# The paper's Table 1, one row per block: (dw kernel, expansion width, out width, SE ratio, stride),
# grouped into the stages the checkpoints use (``blocks.<stage>.<block>``).
GHOST_STAGES: Tuple[Tuple[Tuple[int, int, int, float, int], ...], ...] = (
    ((3, 16, 16, 0, 1),),
    ((3, 48, 24, 0, 2),),
    ((3, 72, 24, 0, 1),),
    ((5, 72, 40, 0.25, 2),),
    ((5, 120, 40, 0.25, 1),),
    ((3, 240, 80, 0, 2),),
    ((3, 200, 80, 0, 1), (3, 184, 80, 0, 1), (3, 184, 80, 0, 1), (3, 480, 112, 0.25, 1), (3, 672, 112, 0.25, 1)),
    ((5, 672, 160, 0.25, 2),),
    ((5, 960, 160, 0, 1), (5, 960, 160, 0.25, 1), (5, 960, 160, 0, 1), (5, 960, 160, 0.25, 1)),
)

_divisible_by_4 = partial(make_divisible, divisor=4)


def _conv_bn(in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, groups: int = 1, dd=None) -> nn.Module:
    """A conv + BN branch of a re-parameterisable op (``conv`` / ``bn1`` keys, no activation)."""
    return ConvBnAct(
        in_chs, out_chs, kernel_size, stride=stride, group_size=in_chs // groups if groups > 1 else 0,
        act_layer=None, norm_layer=BatchNormAct2d, **(dd or {}))


def _fold_bn(kernel: torch.Tensor, bn: nn.BatchNorm2d) -> Tuple[torch.Tensor, torch.Tensor]:
    """The kernel and bias of ``bn(conv(x))`` as one conv (eval-mode statistics)."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return kernel * scale.reshape(-1, 1, 1, 1), bn.bias - bn.running_mean * scale


def _fold_branches(
    convs: Sequence[nn.Module], scale: Optional[nn.Module], skip: Optional[nn.BatchNorm2d],
    kernel_size: int, in_per_group: int,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Sum of kxk conv-BN branches, a 1x1 conv-BN branch (padded to kxk) and a BN identity branch."""
    kernel, bias = 0, 0
    for branch in convs:
        k, b = _fold_bn(branch.conv.weight, branch.bn1)
        kernel, bias = kernel + k, bias + b
    if scale is not None:
        k, b = _fold_bn(scale.conv.weight, scale.bn1)
        pad = kernel_size // 2
        kernel, bias = kernel + F.pad(k, [pad, pad, pad, pad]), bias + b
    if skip is not None:
        # the identity as a kxk conv: a 1 at the centre tap of each channel's own input
        ident = torch.zeros(skip.num_features, in_per_group, kernel_size, kernel_size,
                            dtype=skip.weight.dtype, device=skip.weight.device)
        ident[torch.arange(skip.num_features), torch.arange(skip.num_features) % in_per_group,
              kernel_size // 2, kernel_size // 2] = 1
        k, b = _fold_bn(ident, skip)
        kernel, bias = kernel + k, bias + b
    return kernel, bias


class GhostModule(nn.Module):
    """``out_chs`` channels as ``ceil(out_chs / ratio)`` from a 1x1 conv plus their cheap depthwise
    ``dw_size`` transforms, concatenated (and cut to ``out_chs``)."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 1, ratio: int = 2, dw_size: int = 3, stride: int = 1,
        use_act: bool = True, act_layer: Any = nn.ReLU, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.out_chs = out_chs
        init_chs = math.ceil(out_chs / ratio)
        new_chs = init_chs * (ratio - 1)
        self.primary_conv = nn.Sequential(
            nn.Conv2d(in_chs, init_chs, kernel_size, stride, kernel_size // 2, bias=False, **dd),
            nn.BatchNorm2d(init_chs, **dd),
            act_layer(inplace=True) if use_act else nn.Identity(),
        )
        self.cheap_operation = nn.Sequential(
            nn.Conv2d(init_chs, new_chs, dw_size, 1, dw_size // 2, groups=init_chs, bias=False, **dd),
            nn.BatchNorm2d(new_chs, **dd),
            act_layer(inplace=True) if use_act else nn.Identity(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1 = self.primary_conv(x)
        x2 = self.cheap_operation(x1)
        return torch.cat([x1, x2], dim=1)[:, :self.out_chs]


def _dfc_attention(in_chs: int, out_chs: int, kernel_size: int, stride: int, dd: Dict[str, Any]) -> nn.Sequential:
    """V2's decoupled fully-connected attention: 1x1 conv, then 1x5 and 5x1 depthwise convs (each with BN),
    run at half resolution."""
    return nn.Sequential(
        nn.Conv2d(in_chs, out_chs, kernel_size, stride, kernel_size // 2, bias=False, **dd),
        nn.BatchNorm2d(out_chs, **dd),
        nn.Conv2d(out_chs, out_chs, (1, 5), 1, (0, 2), groups=out_chs, bias=False, **dd),
        nn.BatchNorm2d(out_chs, **dd),
        nn.Conv2d(out_chs, out_chs, (5, 1), 1, (2, 0), groups=out_chs, bias=False, **dd),
        nn.BatchNorm2d(out_chs, **dd),
    )


def _apply_dfc(module: nn.Module, x: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    # the attention map is computed on a 2x average-pooled input and upsampled (nearest) to the output
    attn = module.short_conv(F.avg_pool2d(x, kernel_size=2, stride=2))
    return out * F.interpolate(module.gate_fn(attn), size=out.shape[-2:], mode="nearest")


class GhostModuleV2(GhostModule):
    """A Ghost module whose output is gated by DFC attention computed from its input (V2)."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 1, ratio: int = 2, dw_size: int = 3, stride: int = 1,
        use_act: bool = True, act_layer: Any = nn.ReLU, device: Any = None, dtype: Any = None,
    ):
        dd = factory_kwargs(device, dtype)
        super().__init__(in_chs, out_chs, kernel_size, ratio, dw_size, stride, use_act, act_layer, **dd)
        self.gate_fn = nn.Sigmoid()
        self.short_conv = _dfc_attention(in_chs, out_chs, kernel_size, stride, dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _apply_dfc(self, x, super().forward(x))


class GhostModuleV3(nn.Module):
    """V3's Ghost module: while training, the primary 1x1 conv is ``num_conv_branches`` parallel conv-BN
    branches and the cheap depthwise conv adds a 1x1 branch and a BN identity branch; ``reparameterize()``
    folds each into a single conv with bias (``primary_conv.0`` / ``cheap_operation.0``).
    ``mode='attn'`` adds V2's DFC attention."""

    def __init__(
        self, in_chs: int, out_chs: int, kernel_size: int = 1, ratio: int = 2, dw_size: int = 3, stride: int = 1,
        use_act: bool = True, act_layer: Any = nn.ReLU, mode: str = "original", num_conv_branches: int = 3,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if mode not in ("original", "attn"):
            raise ValueError(f"mode must be 'original' or 'attn', got {mode!r}")
        self.out_chs = out_chs
        self.mode = mode
        self.kernel_size, self.dw_size, self.stride = kernel_size, dw_size, stride
        self.in_chs, self.init_chs = in_chs, math.ceil(out_chs / ratio)
        new_chs = self.init_chs * (ratio - 1)
        self.infer_mode = False
        self.gate_fn = nn.Sigmoid()
        self.primary_conv = nn.Identity()  # the folded convs live here after reparameterize()
        self.cheap_operation = nn.Identity()
        self.primary_rpr_conv = nn.ModuleList([
            _conv_bn(in_chs, self.init_chs, kernel_size, stride, dd=dd) for _ in range(num_conv_branches)])
        self.primary_activation = act_layer(inplace=True) if use_act else nn.Identity()
        self.cheap_rpr_skip = nn.BatchNorm2d(new_chs, **dd)
        self.cheap_rpr_conv = nn.ModuleList([
            _conv_bn(self.init_chs, new_chs, dw_size, groups=self.init_chs, dd=dd) for _ in range(num_conv_branches)])
        self.cheap_rpr_scale = _conv_bn(self.init_chs, new_chs, 1, groups=self.init_chs, dd=dd)
        self.cheap_activation = act_layer(inplace=True) if use_act else nn.Identity()
        self.short_conv = _dfc_attention(in_chs, out_chs, kernel_size, stride, dd) if mode == "attn" else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.infer_mode:
            x1 = self.primary_conv(x)
            x2 = self.cheap_operation(x1)
        else:
            x1 = self.primary_activation(sum(branch(x) for branch in self.primary_rpr_conv))
            x2 = self.cheap_rpr_scale(x1) + self.cheap_rpr_skip(x1)
            for branch in self.cheap_rpr_conv:
                x2 = x2 + branch(x1)
            x2 = self.cheap_activation(x2)
        out = torch.cat([x1, x2], dim=1)[:, :self.out_chs]
        return _apply_dfc(self, x, out) if self.mode == "attn" else out

    @torch.no_grad()
    def reparameterize(self) -> None:
        if self.infer_mode:
            return
        k, b = _fold_branches(self.primary_rpr_conv, None, None, self.kernel_size, self.in_chs)
        conv = self.primary_rpr_conv[0].conv
        primary = nn.Conv2d(self.in_chs, self.init_chs, self.kernel_size, self.stride, self.kernel_size // 2,
                            bias=True, device=k.device, dtype=k.dtype)
        primary.weight.copy_(k)
        primary.bias.copy_(b)
        k, b = _fold_branches(self.cheap_rpr_conv, self.cheap_rpr_scale, self.cheap_rpr_skip, self.dw_size, 1)
        cheap = nn.Conv2d(self.init_chs, k.shape[0], self.dw_size, 1, self.dw_size // 2, groups=self.init_chs,
                          bias=True, device=k.device, dtype=k.dtype)
        cheap.weight.copy_(k)
        cheap.bias.copy_(b)
        del conv
        self.primary_conv = nn.Sequential(primary, self.primary_activation)
        self.cheap_operation = nn.Sequential(cheap, self.cheap_activation)
        del self.primary_rpr_conv, self.cheap_rpr_conv, self.cheap_rpr_scale, self.cheap_rpr_skip
        self.infer_mode = True


def _projection_shortcut(in_chs: int, out_chs: int, kernel_size: int, stride: int, dd: Dict[str, Any]) -> nn.Module:
    """Depthwise kxk (strided) + BN, then 1x1 + BN: the shortcut when the block changes shape."""
    return nn.Sequential(
        nn.Conv2d(in_chs, in_chs, kernel_size, stride, (kernel_size - 1) // 2, groups=in_chs, bias=False, **dd),
        nn.BatchNorm2d(in_chs, **dd),
        nn.Conv2d(in_chs, out_chs, 1, bias=False, **dd),
        nn.BatchNorm2d(out_chs, **dd),
    )


class GhostBottleneck(nn.Module):
    """Ghost module (expand, ReLU) -> strided depthwise conv + BN (stride 2 only) -> SE -> Ghost module
    (project, linear), plus the shortcut. ``mode='attn'`` makes the expanding module a V2 one."""

    def __init__(
        self, in_chs: int, mid_chs: int, out_chs: int, dw_kernel_size: int = 3, stride: int = 1,
        act_layer: Any = nn.ReLU, se_ratio: float = 0.0, mode: str = "original", device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.stride = stride
        ghost_cls = GhostModuleV2 if mode == "attn" else GhostModule
        self.ghost1 = ghost_cls(in_chs, mid_chs, use_act=True, act_layer=act_layer, **dd)
        if stride > 1:
            self.conv_dw = nn.Conv2d(mid_chs, mid_chs, dw_kernel_size, stride, (dw_kernel_size - 1) // 2,
                                     groups=mid_chs, bias=False, **dd)
            self.bn_dw = nn.BatchNorm2d(mid_chs, **dd)
        else:
            self.conv_dw = self.bn_dw = None
        self.se = _se(mid_chs, se_ratio, dd)
        self.ghost2 = GhostModule(mid_chs, out_chs, use_act=False, **dd)
        if in_chs == out_chs and stride == 1:
            self.shortcut = nn.Sequential()
        else:
            self.shortcut = _projection_shortcut(in_chs, out_chs, dw_kernel_size, stride, dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.ghost1(x)
        if self.conv_dw is not None:
            x = self.bn_dw(self.conv_dw(x))
        if self.se is not None:
            x = self.se(x)
        return self.ghost2(x) + self.shortcut(shortcut)


def _se(chs: int, se_ratio: float, dd: Dict[str, Any]) -> Optional[nn.Module]:
    if not se_ratio:
        return None
    return SqueezeExcite(chs, rd_ratio=se_ratio, rd_round_fn=_divisible_by_4, gate_layer=nn.Hardsigmoid, **dd)


class GhostBottleneckV3(nn.Module):
    """:class:`GhostBottleneck` with V3 Ghost modules and, for stride 2, a re-parameterisable depthwise conv
    (``num_conv_branches`` kxk conv-BN branches plus a 1x1 one, folded into ``conv_dw`` by ``reparameterize()``)."""

    def __init__(
        self, in_chs: int, mid_chs: int, out_chs: int, dw_kernel_size: int = 3, stride: int = 1,
        act_layer: Any = nn.ReLU, se_ratio: float = 0.0, mode: str = "original", num_conv_branches: int = 3,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.stride, self.dw_kernel_size, self.mid_chs = stride, dw_kernel_size, mid_chs
        self.infer_mode = False
        self.conv_dw = nn.Identity()  # the folded depthwise conv lives here after reparameterize()
        self.bn_dw = nn.Identity()
        self.ghost1 = GhostModuleV3(in_chs, mid_chs, use_act=True, act_layer=act_layer, mode=mode,
                                    num_conv_branches=num_conv_branches, **dd)
        if stride > 1:
            self.dw_rpr_conv = nn.ModuleList([
                _conv_bn(mid_chs, mid_chs, dw_kernel_size, stride, groups=mid_chs, dd=dd)
                for _ in range(num_conv_branches)])
            self.dw_rpr_scale = _conv_bn(mid_chs, mid_chs, 1, stride, groups=mid_chs, dd=dd)
        else:
            self.dw_rpr_conv = nn.ModuleList()
            self.dw_rpr_scale = nn.Identity()
        self.se = _se(mid_chs, se_ratio, dd) or nn.Identity()
        self.ghost2 = GhostModuleV3(mid_chs, out_chs, use_act=False, num_conv_branches=num_conv_branches, **dd)
        if in_chs == out_chs and stride == 1:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = _projection_shortcut(in_chs, out_chs, dw_kernel_size, stride, dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.ghost1(x)
        if self.stride > 1:
            if self.infer_mode:
                x = self.conv_dw(x)
            else:
                x = self.dw_rpr_scale(x) + sum(branch(x) for branch in self.dw_rpr_conv)
        x = self.se(x)
        return self.ghost2(x) + self.shortcut(shortcut)

    @torch.no_grad()
    def reparameterize(self) -> None:
        if self.infer_mode:
            return
        if self.stride > 1:
            k, b = _fold_branches(self.dw_rpr_conv, self.dw_rpr_scale, None, self.dw_kernel_size, 1)
            pad = (self.dw_kernel_size - 1) // 2
            conv = nn.Conv2d(self.mid_chs, self.mid_chs, self.dw_kernel_size, self.stride, pad, groups=self.mid_chs,
                             bias=True, device=k.device, dtype=k.dtype)
            conv.weight.copy_(k)
            conv.bias.copy_(b)
            self.conv_dw = conv
        del self.dw_rpr_conv, self.dw_rpr_scale
        self.infer_mode = True


class GhostNet(nn.Module):
    """Stem conv -> Ghost bottleneck stages (``blocks.0``-``blocks.8``) -> 1x1 ConvBnAct (``blocks.9``) ->
    global pool -> 1x1 ``conv_head`` (1280, ReLU) -> ``classifier``.

    ``version`` 'v1' uses plain Ghost modules, 'v2' DFC attention from the third block on, 'v3' V2's layout
    with re-parameterisable branches. ``width`` scales every width (rounded to multiples of 4).
    """

    def __init__(
        self,
        cfgs: Sequence[Sequence[Tuple[int, int, int, float, int]]] = GHOST_STAGES,
        num_classes: int = 1000,
        width: float = 1.0,
        in_chans: int = 3,
        output_stride: int = 32,
        global_pool: str = "avg",
        drop_rate: float = 0.2,
        version: str = "v1",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"GhostNet supports output_stride=32 only (no dilation), got {output_stride}")
        if version not in ("v1", "v2", "v3"):
            raise ValueError(f"version must be 'v1', 'v2' or 'v3', got {version!r}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        self._dd = dd

        stem_chs = _divisible_by_4(16 * width)
        self.conv_stem = nn.Conv2d(in_chans, stem_chs, 3, 2, 1, bias=False, **dd)
        self.feature_info = [dict(num_chs=stem_chs, reduction=2, module="conv_stem")]
        self.bn1 = nn.BatchNorm2d(stem_chs, **dd)
        self.act1 = nn.ReLU(inplace=True)

        stages, in_chs, net_stride, layer_id = [], stem_chs, 2, 0
        for stage_idx, stage_cfg in enumerate(cfgs):
            blocks = []
            for kernel, exp, chs, se_ratio, stride in stage_cfg:
                out_chs = _divisible_by_4(chs * width)
                mid_chs = _divisible_by_4(exp * width)
                # V2/V3 put DFC attention in every block after the first two
                mode = "attn" if version != "v1" and layer_id > 1 else "original"
                block_cls = GhostBottleneckV3 if version == "v3" else GhostBottleneck
                blocks.append(block_cls(in_chs, mid_chs, out_chs, kernel, stride, se_ratio=se_ratio, mode=mode, **dd))
                in_chs = out_chs
                layer_id += 1
            # the reference's feature points are the stride-2 stages themselves
            if stage_cfg[0][4] > 1:
                net_stride *= stage_cfg[0][4]
                self.feature_info.append(dict(num_chs=in_chs, reduction=net_stride, module=f"blocks.{stage_idx}"))
            stages.append(nn.Sequential(*blocks))
        self.num_features = _divisible_by_4(cfgs[-1][-1][1] * width)
        stages.append(nn.Sequential(ConvBnAct(in_chs, self.num_features, 1, norm_layer=BatchNormAct2d, **dd)))
        self.blocks = nn.Sequential(*stages)

        self.head_hidden_size = 1280
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
        self.conv_head = nn.Conv2d(self.num_features, self.head_hidden_size, 1, bias=True, **dd)
        self.act2 = nn.ReLU(inplace=True)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = nn.Linear(self.head_hidden_size, num_classes, **dd) if num_classes > 0 else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^conv_stem|bn1",
            blocks=[(r"^blocks\.(\d+)" if coarse else r"^blocks\.(\d+)\.(\d+)", None), (r"conv_head", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            pooled_chs = self.num_features * (2 if global_pool == "catavgmax" else 1)
            head = self.conv_head
            if isinstance(head, nn.Conv2d) and head.in_channels != pooled_chs:
                # a pool of another width needs a new (freshly initialised) head conv
                self.conv_head = nn.Conv2d(pooled_chs, head.out_channels, 1, bias=True, **self._dd)
            self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
            self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = nn.Linear(self.head_hidden_size, num_classes, **self._dd) if num_classes > 0 else nn.Identity()

    def _stage_ends(self) -> List[int]:
        return [int(f["module"].split(".")[-1]) for f in self.feature_info[1:]]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the ``feature_info`` points (the stem conv's output, then the stride-2
        stages); the final features include the closing 1x1 ConvBnAct."""
        if output_fmt != "NCHW":
            raise ValueError(f"GhostNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        ends = self._stage_ends()
        take_indices, max_index = feature_take_indices(len(ends) + 1, indices)
        intermediates = []
        x = self.conv_stem(x)
        if 0 in take_indices:
            intermediates.append(x)
        x = self.act1(self.bn1(x))
        take_stages = {ends[i - 1] for i in take_indices if i > 0}
        last = (ends[max_index - 1] if max_index > 0 else -1) if stop_early else len(self.blocks) - 1
        for i, stage in enumerate(self.blocks[:last + 1]):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint_seq(stage, x)
            else:
                x = stage(x)
            if i in take_stages:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        ends = self._stage_ends()
        take_indices, max_index = feature_take_indices(len(ends) + 1, indices)
        self.blocks = self.blocks[:(ends[max_index - 1] if max_index > 0 else -1) + 1]
        if prune_head:
            self.reset_classifier(0, "")
            self.conv_head = nn.Identity()
            self.act2 = nn.Identity()
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act1(self.bn1(self.conv_stem(x)))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x, flatten=True)
        return self.blocks(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.flatten(self.act2(self.conv_head(self.global_pool(x))))
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        return x if pre_logits else self.classifier(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

GHOSTNETS: Dict[str, Dict[str, Any]] = {
    **{f"ghostnet_{int(w * 100):03d}": dict(width=w) for w in (0.5, 1.0, 1.3)},
    **{f"ghostnetv2_{int(w * 100):03d}": dict(width=w, version="v2") for w in (1.0, 1.3, 1.6)},
    **{f"ghostnetv3_{int(w * 100):03d}": dict(width=w, version="v3") for w in (0.5, 1.0, 1.3, 1.6)},
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(url=url, pool_size=(7, 7), first_conv="conv_stem", classifier="classifier", license="apache-2.0")
    cfg.update(kwargs)
    return cfg


GHOSTNET_WEIGHTS = {
    "ghostnet_050.untrained": _cfg(),
    "ghostnet_100.in1k": _cfg(hf_hub_id="timm/"),
    "ghostnet_130.untrained": _cfg(),
    "ghostnetv2_100.in1k": _cfg(hf_hub_id="timm/"),
    "ghostnetv2_130.in1k": _cfg(hf_hub_id="timm/"),
    "ghostnetv2_160.in1k": _cfg(hf_hub_id="timm/"),
    "ghostnetv3_050.untrained": _cfg(),
    "ghostnetv3_100.in1k": _cfg(hf_hub_id="timm/"),
    "ghostnetv3_130.untrained": _cfg(),
    "ghostnetv3_160.untrained": _cfg(),
}

default_cfgs = generate_default_cfgs(GHOSTNET_WEIGHTS)


def _create_ghostnet(variant: str, pretrained: bool = False, **kwargs: Any) -> GhostNet:
    return build_model_with_cfg(
        GhostNet, variant, pretrained, feature_cfg=dict(flatten_sequential=True), **kwargs)


register_variants(GHOSTNETS, _create_ghostnet, globals())
