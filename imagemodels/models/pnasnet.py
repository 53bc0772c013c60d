"""PNASNet-5 Large: the cell found by progressive neural architecture search, TensorFlow-Slim weights.
Checkpoint-compatible with timm's ``pnasnet`` module ('same' padding like TensorFlow).

Paper: Liu et al., "Progressive Neural Architecture Search", 2017 (arXiv:1712.00559).

Every cell takes the outputs of the two cells before it; the older one is halved by a factorized
reduction when the newer one came from a reduction cell. A cell combines pairs of ops five times and
concatenates the five results. The ops are NASNet's (separable conv branches, 'same'-padded pools).
"""
from __future__ import annotations

from typing import Any, Dict, Optional

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import ConvNormAct, SelectAdaptivePool2d, create_conv2d, create_pool2d, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .nasnet import _BN, ActConvBn, BranchSeparables, _add_factorized_reduction, _factorized_reduce, _NasContract

__all__ = ["PNASNet5Large"]


class FactorizedReduction(nn.Module):
    """ReLU, then two 1x1 convs on stride-2 samples (the second shifted one pixel), concatenated, BN."""

    def __init__(self, in_chs: int, out_chs: int, dd=None):
        super().__init__()
        _add_factorized_reduction(self, in_chs, out_chs, dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _factorized_reduce(self, x)


def _max_pool(stride: int, padding: str) -> nn.Module:
    return create_pool2d("max", 3, stride=stride, padding=padding)


class _CellOps(nn.Module):
    """The PNASNet-5 cell's five combinations on ``left`` / ``right`` inputs (``chs`` channels after their
    1x1 convs; the stem cell's left input is the raw stem conv output of ``left_in`` channels)."""

    def _make_ops(self, left_in: int, chs: int, stride: int, padding: str, dd, stem: bool = False) -> None:
        self.comb_iter_0_left = BranchSeparables(left_in, chs, 5, stride, padding, dd)
        if stem:  # the stem conv output has other widths: pool, then a 1x1 conv to the cell's
            self.comb_iter_0_right = nn.Sequential()
            self.comb_iter_0_right.add_module("max_pool", _max_pool(stride, padding))
            self.comb_iter_0_right.add_module("conv", nn.Conv2d(left_in, chs, 1, bias=False, **(dd or {})))
            self.comb_iter_0_right.add_module("bn", nn.BatchNorm2d(chs, **_BN, **(dd or {})))
        else:
            self.comb_iter_0_right = _max_pool(stride, padding)
        self.comb_iter_1_left = BranchSeparables(chs, chs, 7, stride, padding, dd)
        self.comb_iter_1_right = _max_pool(stride, padding)
        self.comb_iter_2_left = BranchSeparables(chs, chs, 5, stride, padding, dd)
        self.comb_iter_2_right = BranchSeparables(chs, chs, 3, stride, padding, dd)
        self.comb_iter_3_left = BranchSeparables(chs, chs, 3, 1, padding, dd)
        self.comb_iter_3_right = _max_pool(stride, padding)
        self.comb_iter_4_left = BranchSeparables(left_in, chs, 3, stride, padding, dd)
        if stride > 1:  # the identity becomes a strided ReLU-1x1 conv-BN in reduction cells
            self.comb_iter_4_right = ActConvBn(chs, chs, dd)
            self.comb_iter_4_right.conv = create_conv2d(
                chs, chs, 1, stride=stride, padding=padding, bias=False, **(dd or {}))
        else:
            self.comb_iter_4_right = None

    def _combine(self, x_left: torch.Tensor, x_right: torch.Tensor) -> torch.Tensor:
        c0 = self.comb_iter_0_left(x_left) + self.comb_iter_0_right(x_left)
        c1 = self.comb_iter_1_left(x_right) + self.comb_iter_1_right(x_right)
        c2 = self.comb_iter_2_left(x_right) + self.comb_iter_2_right(x_right)
        c3 = self.comb_iter_3_left(c2) + self.comb_iter_3_right(x_right)
        c4 = self.comb_iter_4_left(x_left)
        c4 = c4 + (self.comb_iter_4_right(x_right) if self.comb_iter_4_right is not None else x_right)
        return torch.cat([c0, c1, c2, c3, c4], dim=1)


class CellStem0(_CellOps):
    """The first (reduction) cell: its one input is the stem conv output, plus that input's 1x1 conv."""

    def __init__(self, in_chs: int, chs: int, padding: str, dd=None):
        super().__init__()
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        self._make_ops(in_chs, chs, 2, padding, dd, stem=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._combine(x, self.conv_1x1(x))


class Cell(_CellOps):
    """A normal (``stride`` 1) or reduction (``stride`` 2) cell on (older input, newer input).

    ``reduce_prev``: the older input has twice the newer one's resolution (the newer came from a
    reduction cell), so it is brought over by a factorized reduction instead of a 1x1 conv."""

    def __init__(self, in_prev: int, in_chs: int, chs: int, stride: int, reduce_prev: bool, padding: str, dd=None):
        super().__init__()
        self.conv_prev_1x1 = FactorizedReduction(in_prev, chs, dd) if reduce_prev else ActConvBn(in_prev, chs, dd)
        self.conv_1x1 = ActConvBn(in_chs, chs, dd)
        self._make_ops(chs, chs, stride, padding, dd)

    def forward(self, x_prev: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return self._combine(self.conv_prev_1x1(x_prev), self.conv_1x1(x))


class PNASNet5Large(_NasContract):
    """3x3/2 stem conv -> two stem reduction cells -> 12 cells (``cell_4`` and ``cell_8`` reduce) -> ReLU ->
    pooled classifier (``last_linear``). Widths: 54 / 108 in the stem cells, then 216, 432, 864 (x5 out)."""

    _family = "PNASNet"

    def __init__(
        self,
        num_classes: int = 1000,
        in_chans: int = 3,
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
            raise ValueError(f"PNASNet supports output_stride=32 only, got {output_stride}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.num_features = self.head_hidden_size = 4320
        self.grad_checkpointing = False
        self._dd = dd

        self.conv_0 = ConvNormAct(in_chans, 96, 3, stride=2, padding=0, apply_act=False,
                                  norm_kwargs=dict(_BN), **dd)
        self.cell_stem_0 = CellStem0(96, 54, pad_type, dd)
        self.cell_stem_1 = Cell(96, 270, 108, 2, True, pad_type, dd)
        prev, cur, prev_reduced = 270, 540, True
        self._num_cells = 12
        for i in range(self._num_cells):
            reduction = i in (4, 8)
            width = 216 * 2 ** (i // 4)
            self.add_module(f"cell_{i}", Cell(prev, cur, width, 2 if reduction else 1, prev_reduced, pad_type, dd))
            prev, cur, prev_reduced = cur, 5 * width, reduction
        self.act = nn.ReLU()
        self.feature_info = [
            dict(num_chs=96, reduction=2, module="conv_0"),
            dict(num_chs=270, reduction=4, module="cell_stem_1.conv_1x1.act"),
            dict(num_chs=1080, reduction=8, module="cell_4.conv_1x1.act"),
            dict(num_chs=2160, reduction=16, module="cell_8.conv_1x1.act"),
            dict(num_chs=4320, reduction=32, module="act"),
        ]
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        self.head_drop = nn.Dropout(drop_rate)
        self.last_linear = nn.Linear(4320, num_classes, **dd) if num_classes > 0 else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^conv_0|cell_stem_[01]", blocks=r"^cell_(\d+)")

    def _forward(self, x: torch.Tensor, take: Optional[set] = None, last_point: int = 4):
        """Feature points: stem conv, the ReLU'd maps entering the stem's second cell and the two
        reduction cells, the final ReLU; collected when in ``take``, stopping after ``last_point``."""
        take = take if take is not None else set()
        feats = []
        x_conv = self.conv_0(x)
        if 0 in take:
            feats.append(x_conv)
        if last_point == 0:
            return x_conv, feats
        x_stem_0 = self._run(self.cell_stem_0, x_conv)
        if 1 in take:
            feats.append(F.relu(x_stem_0))
        if last_point == 1:
            return x_stem_0, feats
        prev, cur = x_stem_0, self._run(self.cell_stem_1, x_conv, x_stem_0)
        for i in range(self._num_cells):
            if i in (4, 8):  # the map before each reduction cell is a feature point
                point = 2 if i == 4 else 3
                if point in take:
                    feats.append(F.relu(cur))
                if last_point == point:
                    return cur, feats
            prev, cur = cur, self._run(getattr(self, f"cell_{i}"), prev, cur)
        x = self.act(cur)
        if 4 in take:
            feats.append(x)
        return x, feats



PNASNETS: Dict[str, Dict[str, Any]] = {"pnasnet5large": dict()}

PNASNET_WEIGHTS = {
    "pnasnet5large.tf_in1k": dict(
        hf_hub_id="timm/", input_size=(3, 331, 331), pool_size=(11, 11), crop_pct=0.911, mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5), first_conv="conv_0.conv", classifier="last_linear", license="apache-2.0"),
}

default_cfgs = generate_default_cfgs(PNASNET_WEIGHTS)


def _create_pnasnet(variant: str, pretrained: bool = False, **kwargs: Any) -> PNASNet5Large:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    model = build_model_with_cfg(PNASNet5Large, variant, pretrained, **kwargs)
    if features_only:
        # the reference's hook wrapper keeps the whole model under ``body``
        model = FeatureIntermediatesNet(model, out_indices, layout="body")
    return model


register_variants(PNASNETS, _create_pnasnet, globals())
