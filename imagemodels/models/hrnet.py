"""HRNet: High-Resolution Networks. Parallel branches at strides 4, 8, 16 and 32 run side by side and
exchange information at the end of every module (multi-resolution fusion), so a full-resolution
representation is kept through the whole net. The classification head ('incre') widens each branch
with a bottleneck and merges them from fine to coarse with strided convs. Checkpoint-compatible with
timm's ``hrnet`` module.

Papers:

* Sun et al., "Deep High-Resolution Representation Learning for Human Pose Estimation", 2019 (arXiv:1902.09212)
* Wang et al., "Deep High-Resolution Representation Learning for Visual Recognition", 2019 (arXiv:1908.07919)

Layout: the fusion module, the network, ``HighResolutionNetFeatures`` (features_only), then the
variant table (typed stage specs), the weight metadata and registration. The residual blocks are
ResNet's (models/resnet.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, Union

import torch
from torch import nn

from imagemodels.layers import create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._features import FeatureInfo, feature_take_indices
from ._manipulate import checkpoint
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .resnet import BasicBlock, Bottleneck

__all__ = ["HighResolutionNet", "HighResolutionNetFeatures", "HighResolutionModule", "StageSpec"]

Maps = List[torch.Tensor]  # one map per branch, finest first

_BLOCKS: Dict[str, Type[nn.Module]] = {"basic": BasicBlock, "bottleneck": Bottleneck}
# bottleneck widths of the 'incre' head, one per branch (outputs 128, 256, 512, 1024)
_HEAD_CHANNELS = (32, 64, 128, 256)


@dataclass(frozen=True)
class StageSpec:
    """One stage: ``num_modules`` fusion modules, each with ``len(num_channels)`` branches of
    ``num_blocks[i]`` ``block`` blocks ('basic' or 'bottleneck') of width ``num_channels[i]``."""

    num_modules: int
    num_blocks: Tuple[int, ...]
    num_channels: Tuple[int, ...]
    block: str = "basic"


def _conv_bn(in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, act: Optional[bool] = None,
             bias: bool = False, **dd: Any) -> nn.Sequential:
    """conv -> BN (-> ReLU: ``act=True`` in place, ``act=False`` not in place, None none) as a Sequential."""
    layers: List[nn.Module] = [
        nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=kernel_size // 2, bias=bias, **dd),
        nn.BatchNorm2d(out_chs, **dd),
    ]
    if act is not None:
        layers.append(nn.ReLU(inplace=act))
    return nn.Sequential(*layers)


def _make_layer(block: Type[nn.Module], inplanes: int, planes: int, num_blocks: int, stride: int = 1,
                **dd: Any) -> nn.Sequential:
    """A residual branch: the first block projects the shortcut when the width or stride changes."""
    downsample = None
    if stride != 1 or inplanes != planes * block.expansion:
        downsample = nn.Sequential(
            nn.Conv2d(inplanes, planes * block.expansion, 1, stride=stride, bias=False, **dd),
            nn.BatchNorm2d(planes * block.expansion, **dd),
        )
    layers = [block(inplanes, planes, stride, downsample, **dd)]
    for _ in range(1, num_blocks):
        layers.append(block(planes * block.expansion, planes, **dd))
    return nn.Sequential(*layers)


class HighResolutionModule(nn.Module):
    """Parallel residual branches, then every output branch sums all inputs brought to its resolution:
    finer inputs by a chain of strided 3x3 convs, coarser ones by a 1x1 conv and nearest upsampling."""

    def __init__(self, block: Type[nn.Module], num_blocks: Sequence[int], in_chs: Sequence[int],
                 num_channels: Sequence[int], **dd: Any):
        super().__init__()
        n = len(num_channels)
        if not len(num_blocks) == len(in_chs) == n:
            raise ValueError(
                f"num_blocks, in_chs and num_channels need one entry per branch, got {len(num_blocks)}, "
                f"{len(in_chs)} and {n}")
        self.branches = nn.ModuleList(
            _make_layer(block, in_chs[i], num_channels[i], num_blocks[i], **dd) for i in range(n))
        chs = [c * block.expansion for c in num_channels]
        self.out_chs = chs
        self.fuse_layers = nn.ModuleList()
        for i in range(n):
            row = []
            for j in range(n):
                if j > i:
                    row.append(nn.Sequential(
                        nn.Conv2d(chs[j], chs[i], 1, bias=False, **dd), nn.BatchNorm2d(chs[i], **dd),
                        nn.Upsample(scale_factor=2.0 ** (j - i), mode="nearest")))
                elif j == i:
                    row.append(nn.Identity())
                else:
                    steps = []
                    for k in range(i - j):
                        last = k == i - j - 1
                        steps.append(_conv_bn(chs[j], chs[i] if last else chs[j], 3, 2, act=None if last else False,
                                              **dd))
                    row.append(nn.Sequential(*steps))
            self.fuse_layers.append(nn.ModuleList(row))
        self.fuse_act = nn.ReLU(inplace=False)

    def forward(self, x: Maps) -> Maps:
        x = [branch(t) for branch, t in zip(self.branches, x)]
        out = []
        for row in self.fuse_layers:
            y = row[0](x[0])
            for j in range(1, len(row)):
                y = y + row[j](x[j])
            out.append(self.fuse_act(y))
        return out


def _transition(pre_chs: Sequence[int], cur_chs: Sequence[int], **dd: Any) -> nn.ModuleList:
    """Between stages: adapt the existing branches' widths (3x3 conv, or nothing) and grow new, coarser
    branches from the coarsest existing one by strided 3x3 convs."""
    layers = []
    for i, out_chs in enumerate(cur_chs):
        if i < len(pre_chs):
            layers.append(_conv_bn(pre_chs[i], out_chs, 3, act=True, **dd) if out_chs != pre_chs[i] else nn.Identity())
        else:
            steps = []
            for j in range(i + 1 - len(pre_chs)):
                in_chs = pre_chs[-1]
                steps.append(_conv_bn(in_chs, out_chs if j == i - len(pre_chs) else in_chs, 3, 2, act=True, **dd))
            layers.append(nn.Sequential(*steps))
    return nn.ModuleList(layers)


class HighResolutionNet(nn.Module):
    """Two stride-2 3x3 convs (stem), a bottleneck stage at stride 4 (``layer1``), then stages 2-4 of
    fusion modules with 2, 3, 4 branches, each preceded by a transition.

    ``head``: 'classification' = the 'incre' bottlenecks, fine-to-coarse strided merging, a 1x1 conv to
    2048 and a pooled linear classifier; 'incre' = only the per-branch bottlenecks (feature maps); '' =
    no head (the raw branch maps). ``head_conv_bias`` gives the merge convs a bias (False for the
    PaddlePaddle SSLD weights).
    """

    def __init__(
        self,
        stages: Sequence[StageSpec],
        stem_width: int = 64,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        head: str = "classification",
        head_conv_bias: bool = True,
        output_stride: int = 32,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"HRNet supports output_stride=32 only, got {output_stride}")
        if head not in ("classification", "incre", ""):
            raise ValueError(f"head must be 'classification', 'incre' or '', got {head!r}")
        if len(stages) != 4:
            raise ValueError(f"HRNet needs 4 StageSpecs (layer1, stage2-4), got {len(stages)}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        self.conv1 = nn.Conv2d(in_chans, stem_width, 3, stride=2, padding=1, bias=False, **dd)
        self.bn1 = nn.BatchNorm2d(stem_width, **dd)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(stem_width, 64, 3, stride=2, padding=1, bias=False, **dd)
        self.bn2 = nn.BatchNorm2d(64, **dd)
        self.act2 = nn.ReLU(inplace=True)

        spec = stages[0]
        block = _BLOCKS[spec.block]
        self.layer1 = _make_layer(block, 64, spec.num_channels[0], spec.num_blocks[0], **dd)
        pre_chs = [spec.num_channels[0] * block.expansion]
        for idx, spec in enumerate(stages[1:], start=2):
            block = _BLOCKS[spec.block]
            cur_chs = [c * block.expansion for c in spec.num_channels]
            setattr(self, f"transition{idx - 1}", _transition(pre_chs, cur_chs, **dd))
            modules = []
            for _ in range(spec.num_modules):
                module = HighResolutionModule(block, spec.num_blocks, cur_chs, spec.num_channels, **dd)
                cur_chs = module.out_chs
                modules.append(module)
            setattr(self, f"stage{idx}", nn.Sequential(*modules))
            pre_chs = cur_chs
        self.head_type = head

        self.feature_info = [dict(num_chs=stem_width, reduction=2, module="stem")]
        if head:
            self.incre_modules = nn.ModuleList(
                _make_layer(Bottleneck, c, _HEAD_CHANNELS[i], 1, **dd) for i, c in enumerate(pre_chs))
            branch_chs = [c * Bottleneck.expansion for c in _HEAD_CHANNELS]
        else:
            self.incre_modules = None
            branch_chs = list(pre_chs)
        for i, c in enumerate(branch_chs):
            self.feature_info.append(dict(num_chs=c, reduction=4 * 2 ** i, module=f"stage{i + 1}"))

        self._dd = dd
        if head == "classification":
            self.downsamp_modules = nn.ModuleList(
                _conv_bn(branch_chs[i], branch_chs[i + 1], 3, 2, act=True, bias=head_conv_bias, **dd)
                for i in range(len(branch_chs) - 1))
            self.num_features = self.head_hidden_size = 2048
            self.final_layer = _conv_bn(branch_chs[-1], self.num_features, 1, act=True, bias=head_conv_bias, **dd)
            self.global_pool, self.head_drop, self.classifier = create_classifier(
                self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        else:
            self.downsamp_modules = self.final_layer = None
            self.num_features = self.head_hidden_size = branch_chs[-1]
            self.global_pool, self.head_drop, self.classifier = nn.Identity(), nn.Identity(), nn.Identity()

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^conv[12]|bn[12]",
            block_types=r"^(?:layer|stage|transition)(\d+)" if coarse else [
                (r"^layer(\d+)\.(\d+)", None), (r"^stage(\d+)\.(\d+)", None), (r"^transition(\d+)", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.classifier = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _run(self, module: nn.Module, x: Any) -> Any:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint(module, x, use_reentrant=False)
        return module(x)

    def _stem(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(the stride-2 feature point, the stride-4 stem output)."""
        x = self.act1(self.bn1(self.conv1(x)))
        return x, self.act2(self.bn2(self.conv2(x)))

    def _branches(self, x: torch.Tensor) -> Maps:
        """The four branch maps after stage 4 (strides 4, 8, 16, 32)."""
        maps = [self._run(self.layer1, x)]
        for idx in (2, 3, 4):
            transition = getattr(self, f"transition{idx - 1}")
            maps = [t(maps[i] if i < len(maps) else maps[-1]) for i, t in enumerate(transition)]
            for module in getattr(self, f"stage{idx}"):
                maps = self._run(module, maps)
        return maps

    def _incre(self, maps: Maps) -> Maps:
        if self.incre_modules is None:
            return maps
        return [incre(m) for incre, m in zip(self.incre_modules, maps)]

    def _merge(self, maps: Maps) -> torch.Tensor:
        """Fine to coarse: each merged map is strided down and added to the next branch."""
        y = maps[0]
        for down, m in zip(self.downsamp_modules, maps[1:]):
            y = m + down(y)
        return self.final_layer(y)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 5 feature points: the stride-2 stem, then each branch through its
        'incre' bottleneck (strides 4-32). Every branch is computed together, so ``stop_early`` saves
        only the head."""
        if output_fmt != "NCHW":
            raise ValueError(f"HRNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        stem, x = self._stem(x)
        maps = self._incre(self._branches(x))
        intermediates = [t for i, t in enumerate([stem] + maps) if i in take_indices]
        if intermediates_only:
            return intermediates
        if stop_early or self.final_layer is None:
            return maps[max_index - 1] if max_index else stem, intermediates
        return self._merge(maps), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """The branches run together, so only the merging head can go (with ``prune_head``)."""
        take_indices, _ = feature_take_indices(len(self.feature_info), indices)
        if prune_head:
            self.downsamp_modules = self.final_layer = None
            self.num_features = self.head_hidden_size = self.feature_info[-1]["num_chs"]
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        _, x = self._stem(x)
        maps = self._incre(self._branches(x))
        if self.final_layer is None:
            return maps[-1]
        return self._merge(maps)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.classifier(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


class HighResolutionNetFeatures(HighResolutionNet):
    """features_only HRNet: returns the maps at ``feature_indices`` of the stem and the four branches,
    through the 'incre' bottlenecks (``feature_location='incre'``) or raw (``''``). No merging head."""

    def __init__(self, *args: Any, feature_location: str = "incre", feature_indices: Sequence[int] = (0, 1, 2, 3, 4),
                 **kwargs: Any):
        if feature_location not in ("incre", ""):
            raise ValueError(f"feature_location must be 'incre' or '', got {feature_location!r}")
        kwargs.pop("num_classes", None)
        kwargs.pop("global_pool", None)
        super().__init__(*args, head=feature_location, num_classes=0, **kwargs)
        self.feature_info = FeatureInfo(self.feature_info, feature_indices)
        self.out_indices = list(self.feature_info.out_indices)

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:  # type: ignore[override]
        return self.forward_intermediates(x, indices=self.out_indices, intermediates_only=True)


# --- variants ---------------------------------------------------------------------------------------

def _wide(width: int) -> Tuple[StageSpec, ...]:
    """The standard HRNet-W{width}: 1 / 1 / 4 / 3 modules of 4 blocks per branch."""
    return (
        StageSpec(1, (4,), (64,), "bottleneck"),
        StageSpec(1, (4, 4), (width, 2 * width)),
        StageSpec(4, (4, 4, 4), (width, 2 * width, 4 * width)),
        StageSpec(3, (4, 4, 4, 4), (width, 2 * width, 4 * width, 8 * width)),
    )


HRNETS: Dict[str, Dict[str, Any]] = {
    "hrnet_w18_small": dict(stages=(
        StageSpec(1, (1,), (32,), "bottleneck"),
        StageSpec(1, (2, 2), (16, 32)),
        StageSpec(1, (2, 2, 2), (16, 32, 64)),
        StageSpec(1, (2, 2, 2, 2), (16, 32, 64, 128)),
    )),
    "hrnet_w18_small_v2": dict(stages=(
        StageSpec(1, (2,), (64,), "bottleneck"),
        StageSpec(1, (2, 2), (18, 36)),
        StageSpec(3, (2, 2, 2), (18, 36, 72)),
        StageSpec(2, (2, 2, 2, 2), (18, 36, 72, 144)),
    )),
    "hrnet_w18": dict(stages=_wide(18)),
    "hrnet_w18_ssld": dict(stages=_wide(18), head_conv_bias=False),
    "hrnet_w30": dict(stages=_wide(30)),
    "hrnet_w32": dict(stages=_wide(32)),
    "hrnet_w40": dict(stages=_wide(40)),
    "hrnet_w44": dict(stages=_wide(44)),
    "hrnet_w48": dict(stages=_wide(48)),
    "hrnet_w48_ssld": dict(stages=_wide(48), head_conv_bias=False),
    "hrnet_w64": dict(stages=_wide(64)),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bilinear", first_conv="conv1", classifier="classifier", license="mit",
    )
    cfg.update(kwargs)
    return cfg


_GLUON = dict(interpolation="bicubic", license="apache-2.0")
_SSLD = dict(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0)
HRNET_WEIGHTS = {
    "hrnet_w18.ms_aug_in1k": _cfg(crop_pct=0.95),
    "hrnet_w18.ms_in1k": _cfg(),
    "hrnet_w18_small.gluon_in1k": _cfg(**_GLUON),
    "hrnet_w18_small.ms_in1k": _cfg(),
    "hrnet_w18_small_v2.gluon_in1k": _cfg(**_GLUON),
    "hrnet_w18_small_v2.ms_in1k": _cfg(),
    "hrnet_w18_ssld.paddle_in1k": _cfg(**_SSLD),
    "hrnet_w30.ms_in1k": _cfg(),
    "hrnet_w32.ms_in1k": _cfg(),
    "hrnet_w40.ms_in1k": _cfg(),
    "hrnet_w44.ms_in1k": _cfg(),
    "hrnet_w48.ms_in1k": _cfg(),
    "hrnet_w48_ssld.paddle_in1k": _cfg(**_SSLD),
    "hrnet_w64.ms_in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(HRNET_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_hrnet(variant: str, pretrained: bool = False, **kwargs: Any) -> HighResolutionNet:
    if not kwargs.pop("features_only", False):
        return build_model_with_cfg(HighResolutionNet, variant, pretrained, **kwargs)
    # the feature net has its own forward (no merging head), so it is a model class, not a wrapper;
    # the classifier checkpoint's head keys are skipped when loading
    feature_cls = kwargs.pop("feature_cls", "list")
    if feature_cls != "list":
        raise ValueError(f"HRNet features_only returns a list (feature_cls='list'), got {feature_cls!r}")
    kwargs["feature_indices"] = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    return build_model_with_cfg(HighResolutionNetFeatures, variant, pretrained, pretrained_strict=False, **kwargs)


register_variants(HRNETS, _create_hrnet, globals())
