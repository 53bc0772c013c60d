"""NASNet-A Large: the cell architecture found by neural architecture search, TensorFlow-Slim weights.
Checkpoint-compatible with timm's ``nasnet`` module ('same' padding like TensorFlow, so the ported
weights need no manual pad shifts).

Paper: Zoph et al., "Learning Transferable Architectures for Scalable Image Recognition", 2017
(arXiv:1707.07012).

Each cell takes the two previous cells' outputs, combines pairs of ops on them five times ("comb_iter"
0..4) and concatenates the results. Normal cells keep the resolution; reduction cells halve it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import ConvNormAct, SelectAdaptivePool2d, create_conv2d, create_pool2d, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["NASNetALarge"]

_BN = dict(eps=0.001, momentum=0.1)


class SeparableConv2d(nn.Module):
    """Depthwise kxk (its own channels) then pointwise 1x1, both without bias (TF's separable conv)."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, padding: str = "same", dd=None):
        super().__init__()
        dd = dd or {}
        self.depthwise_conv2d = create_conv2d(
            in_chs, in_chs, kernel_size, stride=stride, padding=padding, groups=in_chs, bias=False, **dd)
        self.pointwise_conv2d = nn.Conv2d(in_chs, out_chs, 1, bias=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise_conv2d(self.depthwise_conv2d(x))


class BranchSeparables(nn.Module):
    """ReLU -> separable conv (strided) -> BN -> ReLU -> separable conv -> BN: NASNet's 'sep kxk' op."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, padding: str = "same", dd=None):
        super().__init__()
        dd = dd or {}
        self.act_1 = nn.ReLU()  # not in place: the cell's input feeds other ops too
        self.separable_1 = SeparableConv2d(in_chs, out_chs, kernel_size, stride, padding, dd)
        self.bn_sep_1 = nn.BatchNorm2d(out_chs, **_BN, **dd)
        self.act_2 = nn.ReLU(inplace=True)
        self.separable_2 = SeparableConv2d(out_chs, out_chs, kernel_size, 1, padding, dd)
        self.bn_sep_2 = nn.BatchNorm2d(out_chs, **_BN, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn_sep_1(self.separable_1(self.act_1(x)))
        return self.bn_sep_2(self.separable_2(self.act_2(x)))


class ActConvBn(nn.Module):
    """ReLU -> 1x1 conv -> BN: how a cell brings an input to its width."""

    def __init__(self, in_chs: int, out_chs: int, dd=None):
        super().__init__()
        dd = dd or {}
        self.act = nn.ReLU()
        self.conv = nn.Conv2d(in_chs, out_chs, 1, bias=False, **dd)
        self.bn = nn.BatchNorm2d(out_chs, **_BN, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv(self.act(x)))


def _avg_pool(stride: int, padding: str) -> nn.Module:
    return create_pool2d("avg", 3, stride=stride, padding=padding, count_include_pad=False)


def _max_pool(padding: str) -> nn.Module:
    return create_pool2d("max", 3, stride=2, padding=padding)


def _add_factorized_reduction(cell: nn.Module, in_chs: int, out_chs: int, dd) -> None:
    """Give ``cell`` the modules that halve an input of twice its resolution: two 1x1 convs on stride-2
    samples, the second shifted by one pixel, concatenated and normalised (``path_1``, ``path_2``,
    ``final_path_bn``; the reference keeps them directly on the cell)."""
    dd = dd or {}
    cell.act = nn.ReLU()
    cell.path_1 = nn.Sequential()
    cell.path_1.add_module("avgpool", nn.AvgPool2d(1, stride=2, count_include_pad=False))
    cell.path_1.add_module("conv", nn.Conv2d(in_chs, out_chs // 2, 1, bias=False, **dd))
    cell.path_2 = nn.Sequential()
    cell.path_2.add_module("pad", nn.ZeroPad2d((-1, 1, -1, 1)))  # shift by one pixel (crop top-left)
    cell.path_2.add_module("avgpool", nn.AvgPool2d(1, stride=2, count_include_pad=False))
    cell.path_2.add_module("conv", nn.Conv2d(in_chs, out_chs // 2, 1, bias=False, **dd))
    cell.final_path_bn = nn.BatchNorm2d(out_chs, **_BN, **dd)


def _factorized_reduce(cell: nn.Module, x: torch.Tensor) -> torch.Tensor:
    x = cell.act(x)
    return cell.final_path_bn(torch.cat([cell.path_1(x), cell.path_2(x)], dim=1))


class _ReductionOps(nn.Module):
    """The five combinations of NASNet-A's reduction cell on (``left``, ``right``) inputs of ``chs`` channels."""

    def _make_ops(self, left_in: int, right_in: int, chs: int, padding: str, dd) -> None:
        self.comb_iter_0_left = BranchSeparables(left_in, chs, 5, 2, padding, dd)
        self.comb_iter_0_right = BranchSeparables(right_in, chs, 7, 2, padding, dd)
        self.comb_iter_1_left = _max_pool(padding)
        self.comb_iter_1_right = BranchSeparables(right_in, chs, 7, 2, padding, dd)
        self.comb_iter_2_left = _avg_pool(2, padding)
        self.comb_iter_2_right = BranchSeparables(right_in, chs, 5, 2, padding, dd)
        self.comb_iter_3_right = _avg_pool(1, padding)
        self.comb_iter_4_left = BranchSeparables(chs, chs, 3, 1, padding, dd)
        self.comb_iter_4_right = _max_pool(padding)

    def _combine(self, left: torch.Tensor, right: torch.Tensor) -> torch.Tensor:
        c0 = self.comb_iter_0_left(left) + self.comb_iter_0_right(right)
        c1 = self.comb_iter_1_left(left) + self.comb_iter_1_right(right)
        c2 = self.comb_iter_2_left(left) + self.comb_iter_2_right(right)
        c3 = self.comb_iter_3_right(c0) + c1
        c4 = self.comb_iter_4_left(c0) + self.comb_iter_4_right(left)
        return torch.cat([c1, c2, c3, c4], dim=1)


class CellStem0(_ReductionOps):
    """The first reduction cell: its only input is the stem conv's output (``right`` ops read it at full width)."""

    def __init__(self, stem_size: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_1x1 = ActConvBn(stem_size, chs, dd)
        self._make_ops(chs, stem_size, chs, padding, dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._combine(self.conv_1x1(x), x)


class CellStem1(_ReductionOps):
    """The second reduction cell: the stem conv's output is brought to its resolution by a factorized reduction."""

    def __init__(self, stem_size: int, in_chs: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        _add_factorized_reduction(self, stem_size, chs, dd)
        self._make_ops(chs, chs, chs, padding, dd)

    def forward(self, x_conv0: torch.Tensor, x_stem_0: torch.Tensor) -> torch.Tensor:
        x_right = _factorized_reduce(self, x_conv0)
        return self._combine(self.conv_1x1(x_stem_0), x_right)


class ReductionCell(_ReductionOps):
    """A reduction cell between stacks: both inputs brought to ``chs`` by 1x1 convs, then halved."""

    def __init__(self, in_prev: int, in_chs: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_prev_1x1 = ActConvBn(in_prev, chs, dd)
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        self._make_ops(chs, chs, chs, padding, dd)

    def forward(self, x: torch.Tensor, x_prev: torch.Tensor) -> torch.Tensor:
        return self._combine(self.conv_1x1(x), self.conv_prev_1x1(x_prev))


class _NormalOps(nn.Module):
    def _make_ops(self, chs: int, padding: str, dd) -> None:
        self.comb_iter_0_left = BranchSeparables(chs, chs, 5, 1, padding, dd)
        self.comb_iter_0_right = BranchSeparables(chs, chs, 3, 1, padding, dd)
        self.comb_iter_1_left = BranchSeparables(chs, chs, 5, 1, padding, dd)
        self.comb_iter_1_right = BranchSeparables(chs, chs, 3, 1, padding, dd)
        self.comb_iter_2_left = _avg_pool(1, padding)
        self.comb_iter_3_left = _avg_pool(1, padding)
        self.comb_iter_3_right = _avg_pool(1, padding)
        self.comb_iter_4_left = BranchSeparables(chs, chs, 3, 1, padding, dd)

    def _combine(self, x_left: torch.Tensor, x_right: torch.Tensor) -> torch.Tensor:
        c0 = self.comb_iter_0_left(x_right) + self.comb_iter_0_right(x_left)
        c1 = self.comb_iter_1_left(x_left) + self.comb_iter_1_right(x_left)
        c2 = self.comb_iter_2_left(x_right) + x_left
        c3 = self.comb_iter_3_left(x_left) + self.comb_iter_3_right(x_left)
        c4 = self.comb_iter_4_left(x_right) + x_right
        return torch.cat([x_left, c0, c1, c2, c3, c4], dim=1)


class FirstCell(_NormalOps):
    """The normal cell after a reduction: its older input is at twice the resolution, so it is reduced
    by a factorized reduction (to ``chs`` channels) instead of a 1x1 conv."""

    def __init__(self, in_prev: int, in_chs: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        _add_factorized_reduction(self, in_prev, chs, dd)
        self._make_ops(chs, padding, dd)

    def forward(self, x: torch.Tensor, x_prev: torch.Tensor) -> torch.Tensor:
        return self._combine(_factorized_reduce(self, x_prev), self.conv_1x1(x))


class NormalCell(_NormalOps):
    """NASNet-A's normal cell: both inputs at this resolution, brought to ``chs`` by 1x1 convs."""

    def __init__(self, in_prev: int, in_chs: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_prev_1x1 = ActConvBn(in_prev, chs, dd)
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        self._make_ops(chs, padding, dd)

    def forward(self, x: torch.Tensor, x_prev: torch.Tensor) -> torch.Tensor:
        return self._combine(self.conv_prev_1x1(x_prev), self.conv_1x1(x))


class _NasContract(nn.Module):
    """The model contract NASNet-A and PNASNet share: their heads, checkpointing and feature points.

    A subclass provides ``_forward(x, take, last_point) -> (final, feats)`` over its 5 feature points
    (stem conv, stem cell, the maps entering the two reductions, the final ReLU) and ``_family``.
    """

    _family = "NASNet"

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.last_linear

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        in_features = self.num_features * self.global_pool.feat_mult()
        self.last_linear = nn.Linear(in_features, num_classes, **self._dd) if num_classes > 0 else nn.Identity()

    def _run(self, fn: nn.Module, *args: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting() and torch.is_grad_enabled():
            return torch.utils.checkpoint.checkpoint(fn, *args, use_reentrant=False)
        return fn(*args)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 5 ``feature_info`` points (see the subclass's ``_forward``)."""
        if output_fmt != "NCHW":
            raise ValueError(f"{self._family} feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        final, feats = self._forward(x, set(take_indices), max_index if stop_early or intermediates_only else 4)
        if intermediates_only:
            return feats
        return final, feats

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, _ = feature_take_indices(len(self.feature_info), indices)
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self._forward(x)[0]

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.last_linear(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))



class NASNetALarge(_NasContract):
    """3x3/2 stem conv -> two stem reduction cells -> 3 stacks of 6 normal cells with a reduction cell
    between stacks -> ReLU -> pooled classifier (``last_linear``).

    ``num_features`` (4032) = 24 x the first stack's cell width; the widths double after each reduction.
    The reference's wiring feeds the first cell after each reduction the output of the cell two before
    the reduction (``cell_4`` -> ``cell_6``, ``cell_10`` -> ``cell_12``); the weights expect it.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_chans: int = 3,
        stem_size: int = 96,
        channel_multiplier: int = 2,
        num_features: int = 4032,
        output_stride: int = 32,
        drop_rate: float = 0.0,
        global_pool: str = "avg",
        pad_type: str = "same",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"NASNet supports output_stride=32 only, got {output_stride}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.num_features = self.head_hidden_size = num_features
        self.grad_checkpointing = False
        self._dd = dd
        chs = num_features // 24
        mult = channel_multiplier

        self.conv0 = ConvNormAct(in_chans, stem_size, 3, stride=2, padding=0, apply_act=False,
                                 norm_kwargs=dict(_BN), **dd)
        self.cell_stem_0 = CellStem0(stem_size, chs // mult ** 2, pad_type, dd)
        self.cell_stem_1 = CellStem1(stem_size, 4 * chs // mult ** 2, chs // mult, pad_type, dd)
        stem0_out, stem1_out = 4 * chs // mult ** 2, 4 * chs // mult
        cells: List[Tuple[str, nn.Module]] = []
        prev, cur = stem0_out, stem1_out
        width = chs
        for stack in range(3):
            if stack > 0:
                red = f"reduction_cell_{stack - 1}"
                cells.append((red, ReductionCell(cur, cur, width * mult, pad_type, dd)))
                width *= mult
                # the first cell's older input is the cell two before the reduction (same width as ``cur``)
                prev, cur = cur, 4 * width
            for i in range(6):
                idx = stack * 6 + i
                if i == 0:
                    cells.append((f"cell_{idx}", FirstCell(prev, cur, width, pad_type, dd)))
                else:
                    cells.append((f"cell_{idx}", NormalCell(prev, cur, width, pad_type, dd)))
                prev, cur = cur, 6 * width
        for name, cell in cells:
            self.add_module(name, cell)
        self._cell_names = [name for name, _ in cells]
        self.act = nn.ReLU(inplace=True)
        self.feature_info = [
            dict(num_chs=stem_size, reduction=2, module="conv0"),
            dict(num_chs=stem0_out, reduction=4, module="cell_stem_1.conv_1x1.act"),
            dict(num_chs=6 * chs, reduction=8, module="reduction_cell_0.conv_1x1.act"),
            dict(num_chs=6 * chs * mult, reduction=16, module="reduction_cell_1.conv_1x1.act"),
            dict(num_chs=num_features, reduction=32, module="act"),
        ]
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        self.head_drop = nn.Dropout(drop_rate)
        self.last_linear = nn.Linear(num_features, num_classes, **dd) if num_classes > 0 else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^conv0|cell_stem_[01]", blocks=[
            (r"^cell_(\d+)", None), (r"^reduction_cell_0", (6,)), (r"^reduction_cell_1", (12,))])

    def _forward(self, x: torch.Tensor, take: Optional[set] = None, last_point: int = 4) -> Tuple[torch.Tensor, list]:
        """Run the network, collecting feature point ``i`` when ``i`` is in ``take``; stop after
        ``last_point``. Points: stem conv, then the ReLU'd outputs of the last cell at strides 4, 8, 16,
        and the final ReLU."""
        feats = []
        take = take if take is not None else set()
        x_conv0 = self.conv0(x)
        if 0 in take:
            feats.append(x_conv0)
        if last_point == 0:
            return x_conv0, feats
        x_stem_0 = self._run(self.cell_stem_0, x_conv0)
        if 1 in take:
            feats.append(F.relu(x_stem_0))
        if last_point == 1:
            return x_stem_0, feats
        prev, cur = x_stem_0, self._run(self.cell_stem_1, x_conv0, x_stem_0)
        history = [prev, cur]
        point = 1
        for name in self._cell_names:
            cell = getattr(self, name)
            if name.startswith("reduction_cell"):
                point += 1
                if point in take:
                    feats.append(F.relu(cur))
                if last_point == point:
                    return cur, feats
                out = self._run(cell, cur, prev)
                # the next cell's older input skips the reduction: the cell two before it
                prev, cur = history[-2], out
            else:
                out = self._run(cell, cur, prev)
                prev, cur = cur, out
            history.append(out)
        x = self.act(cur)
        if 4 in take:
            feats.append(x)
        return x, feats



NASNETS: Dict[str, Dict[str, Any]] = {"nasnetalarge": dict()}

NASNET_WEIGHTS = {
    "nasnetalarge.tf_in1k": dict(
        url="https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-weights/nasnetalarge-dc4a7b8b.pth",
        hf_hub_id="timm/", input_size=(3, 331, 331), pool_size=(11, 11), crop_pct=0.911, mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5), first_conv="conv0.conv", classifier="last_linear", license="apache-2.0"),
}

default_cfgs = generate_default_cfgs(NASNET_WEIGHTS)


def _create_nasnet(variant: str, pretrained: bool = False, **kwargs: Any) -> NASNetALarge:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    model = build_model_with_cfg(NASNetALarge, variant, pretrained, **kwargs)
    if features_only:
        # the reference's hook wrapper keeps the whole model under ``body``
        model = FeatureIntermediatesNet(model, out_indices, layout="body")
    return model


register_variants(NASNETS, _create_nasnet, globals())
