"""DLA: Deep Layer Aggregation. Stages are trees of residual blocks whose outputs are merged by 1x1
'root' convs, iteratively across depth and hierarchically across the tree. Bottleneck, ResNeXt and
Res2Net blocks give the larger variants. Checkpoint-compatible with timm's ``dla`` module.

Papers:

* Yu et al., "Deep Layer Aggregation", 2017 (arXiv:1707.06484)
* Gao et al., "Res2Net: A New Multi-scale Backbone Architecture" (the res2net blocks), 2019 (arXiv:1904.01169)
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, Union

import torch
from torch import nn

from imagemodels.layers import DropPath, create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["DLA", "DlaBasic", "DlaBottleneck", "DlaBottle2neck", "DlaTree", "DlaRoot"]


def _drop(rate: float) -> nn.Module:
    return DropPath(rate) if rate > 0 else nn.Identity()


class DlaBasic(nn.Module):
    """Two 3x3 convs; the tree passes in the (projected) shortcut."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1, dilation: int = 1, drop_path: float = 0.0,
                 **dd: Any):
        super().__init__()
        dd = {k: dd[k] for k in ("device", "dtype") if k in dd}
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=dilation, dilation=dilation, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(planes, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=dilation, dilation=dilation, bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(planes, **dd)
        self.drop_path = _drop(drop_path)

    def forward(self, x: torch.Tensor, shortcut: Optional[torch.Tensor] = None) -> torch.Tensor:
        shortcut = x if shortcut is None else shortcut
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(self.drop_path(out) + shortcut)


class DlaBottleneck(nn.Module):
    """1x1 -> 3x3 (grouped for ResNeXt) -> 1x1, expansion 2."""

    expansion = 2

    def __init__(self, inplanes: int, outplanes: int, stride: int = 1, dilation: int = 1, cardinality: int = 1,
                 base_width: int = 64, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        mid = int(math.floor(outplanes * (base_width / 64)) * cardinality) // self.expansion
        self.conv1 = nn.Conv2d(inplanes, mid, 1, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(mid, **dd)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride=stride, padding=dilation, dilation=dilation, groups=cardinality,
                               bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(mid, **dd)
        self.conv3 = nn.Conv2d(mid, outplanes, 1, bias=False, **dd)
        self.bn3 = nn.BatchNorm2d(outplanes, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.drop_path = _drop(drop_path)

    def forward(self, x: torch.Tensor, shortcut: Optional[torch.Tensor] = None) -> torch.Tensor:
        shortcut = x if shortcut is None else shortcut
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(self.drop_path(out) + shortcut)


class DlaBottle2neck(nn.Module):
    """Res2Net bottleneck: the 1x1 output is split in ``scale`` groups, each 3x3 conv also sees the previous
    group's result (hierarchical residual); a strided block convolves every group and pools the last."""

    expansion = 2

    def __init__(self, inplanes: int, outplanes: int, stride: int = 1, dilation: int = 1, scale: int = 4,
                 cardinality: int = 8, base_width: int = 4, drop_path: float = 0.0, **dd: Any):
        super().__init__()
        self.is_first = stride > 1
        self.scale = scale
        mid = int(math.floor(outplanes * (base_width / 64)) * cardinality) // self.expansion
        self.width = mid
        self.conv1 = nn.Conv2d(inplanes, mid * scale, 1, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(mid * scale, **dd)
        num_scale_convs = max(1, scale - 1)
        self.convs = nn.ModuleList([
            nn.Conv2d(mid, mid, 3, stride=stride, padding=dilation, dilation=dilation, groups=cardinality,
                      bias=False, **dd) for _ in range(num_scale_convs)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(mid, **dd) for _ in range(num_scale_convs)])
        self.pool = nn.AvgPool2d(3, stride=stride, padding=1) if self.is_first else None
        self.conv3 = nn.Conv2d(mid * scale, outplanes, 1, bias=False, **dd)
        self.bn3 = nn.BatchNorm2d(outplanes, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.drop_path = _drop(drop_path)

    def forward(self, x: torch.Tensor, shortcut: Optional[torch.Tensor] = None) -> torch.Tensor:
        shortcut = x if shortcut is None else shortcut
        out = self.relu(self.bn1(self.conv1(x)))
        splits = torch.split(out, self.width, 1)
        outs = []
        sp = splits[0]
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            sp = splits[i] if i == 0 or self.is_first else sp + splits[i]
            sp = self.relu(bn(conv(sp)))
            outs.append(sp)
        if self.scale > 1:
            outs.append(self.pool(splits[-1]) if self.pool is not None else splits[-1])
        out = self.bn3(self.conv3(torch.cat(outs, 1)))
        return self.relu(self.drop_path(out) + shortcut)


class DlaRoot(nn.Module):
    """Aggregation node: 1x1 conv over the concatenated children (+ the first child when ``shortcut``)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, shortcut: bool, **dd: Any):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, padding=(kernel_size - 1) // 2, bias=False, **dd)
        self.bn = nn.BatchNorm2d(out_channels, **dd)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = shortcut

    def forward(self, x_children: List[torch.Tensor]) -> torch.Tensor:
        x = self.bn(self.conv(torch.cat(x_children, 1)))
        if self.shortcut:
            x = x + x_children[0]
        return self.relu(x)


class DlaTree(nn.Module):
    """A tree of ``levels``: two blocks and a root at level 1, else two subtrees where the second's root
    also aggregates the first's output (and, for a ``level_root``, the downsampled input)."""

    def __init__(
        self, levels: int, block: Type[nn.Module], in_channels: int, out_channels: int, stride: int = 1,
        dilation: int = 1, cardinality: int = 1, base_width: int = 64, level_root: bool = False, root_dim: int = 0,
        root_kernel_size: int = 1, root_shortcut: bool = False, drop_path: float = 0.0, **dd: Any,
    ):
        super().__init__()
        if root_dim == 0:
            root_dim = 2 * out_channels
        if level_root:
            root_dim += in_channels
        self.downsample = nn.MaxPool2d(stride, stride=stride) if stride > 1 else nn.Identity()
        self.project = nn.Identity()
        block_kw = dict(dilation=dilation, drop_path=drop_path, **dd)
        if block is not DlaBasic:
            block_kw.update(cardinality=cardinality, base_width=base_width)
        if levels == 1:
            self.tree1 = block(in_channels, out_channels, stride, **block_kw)
            self.tree2 = block(out_channels, out_channels, 1, **block_kw)
            if in_channels != out_channels:
                self.project = nn.Sequential(
                    nn.Conv2d(in_channels, out_channels, 1, bias=False, **dd), nn.BatchNorm2d(out_channels, **dd))
            self.root = DlaRoot(root_dim, out_channels, root_kernel_size, root_shortcut, **dd)
        else:
            tree_kw = dict(dilation=dilation, cardinality=cardinality, base_width=base_width,
                           root_kernel_size=root_kernel_size, root_shortcut=root_shortcut, drop_path=drop_path, **dd)
            self.tree1 = DlaTree(levels - 1, block, in_channels, out_channels, stride, root_dim=0, **tree_kw)
            self.tree2 = DlaTree(levels - 1, block, out_channels, out_channels, root_dim=root_dim + out_channels,
                                 **tree_kw)
            self.root = None
        self.level_root = level_root
        self.levels = levels

    def forward(self, x: torch.Tensor, shortcut: Optional[torch.Tensor] = None,
                children: Optional[List[torch.Tensor]] = None) -> torch.Tensor:
        children = [] if children is None else children
        bottom = self.downsample(x)
        shortcut = self.project(bottom)  # a subtree computes its own shortcut; the one passed in is for blocks
        if self.level_root:
            children.append(bottom)
        x1 = self.tree1(x, shortcut)
        if self.root is not None:
            x2 = self.tree2(x1)
            return self.root([x2, x1] + children)
        children.append(x1)
        return self.tree2(x1, None, children)


class DLA(nn.Module):
    """7x7 stem (stride 1) -> two plain conv levels -> four aggregation trees -> 1x1-conv classifier.

    ``levels`` and ``channels`` give the six levels' depths and widths; ``block`` (with ``cardinality``,
    ``base_width``) picks the residual unit; ``shortcut_root`` adds a residual to every root.
    """

    def __init__(
        self,
        levels: Sequence[int],
        channels: Sequence[int],
        output_stride: int = 32,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "avg",
        cardinality: int = 1,
        base_width: int = 64,
        block: Type[nn.Module] = DlaBottle2neck,
        shortcut_root: bool = False,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"DLA supports output_stride=32 only, got {output_stride}")
        if len(levels) != 6 or len(channels) != 6:
            raise ValueError(f"levels and channels need 6 entries, got {len(levels)} and {len(channels)}")
        self.channels = channels
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False
        self._dd = dd
        self.base_layer = nn.Sequential(
            nn.Conv2d(in_chans, channels[0], 7, padding=3, bias=False, **dd), nn.BatchNorm2d(channels[0], **dd),
            nn.ReLU(inplace=True))
        self.level0 = self._conv_level(channels[0], channels[0], levels[0], 1, dd)
        self.level1 = self._conv_level(channels[0], channels[1], levels[1], 2, dd)
        # stochastic depth at one rate for every block (the trees have no natural block order)
        tree_kw = dict(cardinality=cardinality, base_width=base_width, root_shortcut=shortcut_root,
                       drop_path=drop_path_rate, **dd)
        self.level2 = DlaTree(levels[2], block, channels[1], channels[2], 2, level_root=False, **tree_kw)
        self.level3 = DlaTree(levels[3], block, channels[2], channels[3], 2, level_root=True, **tree_kw)
        self.level4 = DlaTree(levels[4], block, channels[3], channels[4], 2, level_root=True, **tree_kw)
        self.level5 = DlaTree(levels[5], block, channels[4], channels[5], 2, level_root=True, **tree_kw)
        self.feature_info = [
            dict(num_chs=channels[i], reduction=2 ** i, module=f"level{i}") for i in range(6)]

        self.num_features = self.head_hidden_size = channels[-1]
        self._make_head(global_pool)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, math.sqrt(2.0 / n))
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()

    @staticmethod
    def _conv_level(inplanes: int, planes: int, convs: int, stride: int, dd: Dict[str, Any]) -> nn.Sequential:
        layers = []
        for i in range(convs):
            layers += [
                nn.Conv2d(inplanes, planes, 3, stride=stride if i == 0 else 1, padding=1, bias=False, **dd),
                nn.BatchNorm2d(planes, **dd), nn.ReLU(inplace=True)]
            inplanes = planes
        return nn.Sequential(*layers)

    def _make_head(self, global_pool: str) -> None:
        # the classifier is a 1x1 conv on the pooled map (the released weights are conv weights)
        self.global_pool, self.fc = create_classifier(
            self.num_features, self.num_classes, pool_type=global_pool, use_conv=True, **self._dd)
        self.head_drop = nn.Dropout(self.drop_rate)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^base_layer",
            blocks=r"^level(\d+)" if coarse else [
                (r"^level(\d+)\.tree(\d+)", None), (r"^level(\d+)\.root", (2,)), (r"^level(\d+)", (1,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self._make_head(global_pool if global_pool is not None else self.global_pool.pool_type)

    def _levels(self) -> List[nn.Module]:
        return [self.level0, self.level1, self.level2, self.level3, self.level4, self.level5]

    def _run(self, level: nn.Module, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and self.training and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(level, x, use_reentrant=False)
        return level(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 6 levels (strides 1 to 32)."""
        if output_fmt != "NCHW":
            raise ValueError(f"DLA feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(6, indices)
        x = self.base_layer(x)
        intermediates = []
        levels = self._levels()[:max_index + 1] if stop_early else self._levels()
        for i, level in enumerate(levels):
            x = self._run(level, x)
            if i in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(6, indices)
        for i in range(max_index + 1, 6):
            setattr(self, f"level{i}", nn.Identity())
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.base_layer(x)
        for level in self._levels():
            x = self._run(level, x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        if pre_logits:
            return self.flatten(x)
        return self.flatten(self.fc(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_L60, _L102 = (1, 1, 1, 2, 3, 1), (1, 1, 1, 3, 4, 1)
_WIDE, _NARROW = (16, 32, 128, 256, 512, 1024), (16, 32, 64, 64, 128, 256)
_BN = DlaBottleneck
DLAS: Dict[str, Dict[str, Any]] = {
    "dla34": dict(levels=(1, 1, 1, 2, 2, 1), channels=(16, 32, 64, 128, 256, 512), block=DlaBasic),
    "dla46_c": dict(levels=(1, 1, 1, 2, 2, 1), channels=_NARROW, block=_BN),
    "dla46x_c": dict(levels=(1, 1, 1, 2, 2, 1), channels=_NARROW, block=_BN, cardinality=32, base_width=4),
    "dla60x_c": dict(levels=_L60, channels=_NARROW, block=_BN, cardinality=32, base_width=4),
    "dla60": dict(levels=_L60, channels=_WIDE, block=_BN),
    "dla60x": dict(levels=_L60, channels=_WIDE, block=_BN, cardinality=32, base_width=4),
    "dla102": dict(levels=_L102, channels=_WIDE, block=_BN, shortcut_root=True),
    "dla102x": dict(levels=_L102, channels=_WIDE, block=_BN, cardinality=32, base_width=4, shortcut_root=True),
    "dla102x2": dict(levels=_L102, channels=_WIDE, block=_BN, cardinality=64, base_width=4, shortcut_root=True),
    "dla169": dict(levels=(1, 1, 2, 3, 5, 1), channels=_WIDE, block=_BN, shortcut_root=True),
    "dla60_res2net": dict(levels=_L60, channels=_WIDE, block=DlaBottle2neck, cardinality=1, base_width=28),
    "dla60_res2next": dict(levels=_L60, channels=_WIDE, block=DlaBottle2neck, cardinality=8, base_width=4),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7),
        interpolation="bilinear", first_conv="base_layer.0", classifier="fc", license="bsd-3-clause",
    )
    cfg.update(kwargs)
    return cfg


DLA_WEIGHTS = {
    "dla34.in1k": _cfg(),
    "dla46_c.in1k": _cfg(),
    "dla46x_c.in1k": _cfg(),
    "dla60.in1k": _cfg(),
    "dla60_res2net.in1k": _cfg(license="unknown"),
    "dla60_res2next.in1k": _cfg(license="unknown"),
    "dla60x.in1k": _cfg(),
    "dla60x_c.in1k": _cfg(),
    "dla102.in1k": _cfg(),
    "dla102x.in1k": _cfg(),
    "dla102x2.in1k": _cfg(),
    "dla169.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(DLA_WEIGHTS)


def _create_dla(variant: str, pretrained: bool = False, **kwargs: Any) -> DLA:
    # features_only skips level0 (stride 1) by default, as the reference does
    return build_model_with_cfg(DLA, variant, pretrained, feature_cfg=dict(out_indices=(1, 2, 3, 4, 5)), **kwargs)


register_variants(DLAS, _create_dla, globals())
