"""ResNet and its descendants: ResNeXt, SE-/ECA-ResNet, ResNet-C/-D/-S/-T stems, ResNet-RS,
anti-aliased, wide, GroupNorm and pruned variants. Checkpoint-compatible with timm's ``resnet`` module.

Papers:

* He et al., "Deep Residual Learning for Image Recognition", 2015 (arXiv:1512.03385)
* Xie et al., "Aggregated Residual Transformations for Deep Neural Networks" (ResNeXt), 2016 (arXiv:1611.05431)
* He et al., "Bag of Tricks for Image Classification with Convolutional Neural Networks"
  (the deep 'c' stem and the 'd' average-pool shortcut), 2018 (arXiv:1812.01187)
* Zagoruyko & Komodakis, "Wide Residual Networks", 2016 (arXiv:1605.07146)
* Hu et al., "Squeeze-and-Excitation Networks" (SE-ResNet, SENet-154), 2017 (arXiv:1709.01507)
* Wang et al., "ECA-Net: Efficient Channel Attention for Deep CNNs", 2019 (arXiv:1910.03151)
* Bello et al., "Revisiting ResNets: Improved Training and Scaling Strategies" (ResNet-RS), 2021 (arXiv:2103.07579)
* Zhang, "Making Convolutional Networks Shift-Invariant Again" (blur / anti-aliased), 2019 (arXiv:1904.11486)
* Wu & He, "Group Normalization", 2018 (arXiv:1803.08494)
* Wightman et al., "ResNet strikes back: An improved training procedure in timm", 2021 (arXiv:2110.00476)

Layout: the blocks and the network, then ``RESNETS`` (one row per registered name), then the
weight metadata, then registration.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    AvgPool2dSame, DropBlock2d, DropPath, GroupNorm, SEModule, create_aa, create_attn, create_classifier,
    factory_kwargs, get_aa_layer, get_act_layer, get_attn, get_norm_layer, get_padding,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants
from ._resnet_pruned import PRUNED_BLOCK_WIDTHS as _PRUNED

__all__ = ["ResNet", "BasicBlock", "Bottleneck"]

LayerFn = Callable[..., nn.Module]


class BasicBlock(nn.Module):
    """Two 3x3 convs and a shortcut (ResNet-18/34)."""

    expansion = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        cardinality: int = 1,
        base_width: int = 64,
        reduce_first: int = 1,
        dilation: int = 1,
        first_dilation: Optional[int] = None,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d,
        attn_layer: Optional[LayerFn] = None,
        aa_layer: Optional[LayerFn] = None,
        drop_block: Optional[LayerFn] = None,
        drop_path: Optional[nn.Module] = None,
        widths: Optional[Sequence[int]] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        """``widths`` = (conv1 out, conv2 out) overrides the widths ``planes`` implies (pruned nets)."""
        super().__init__()
        if cardinality != 1 or base_width != 64:
            raise ValueError(
                f"BasicBlock has no grouped conv: it needs cardinality=1 and base_width=64, got {cardinality} and "
                f"{base_width}; use block=Bottleneck for ResNeXt / wide variants"
            )
        first_planes = planes // reduce_first
        outplanes = planes * self.expansion
        if widths is not None:
            first_planes, outplanes = widths[0], widths[-1]
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        # with anti-aliasing the conv keeps stride 1 and the blur/avg pool after it downsamples
        use_aa = aa_layer is not None and (stride == 2 or first_dilation != dilation)

        self.conv1 = nn.Conv2d(
            inplanes, first_planes, kernel_size=3, stride=1 if use_aa else stride,
            padding=first_dilation, dilation=first_dilation, bias=False, **dd,
        )
        self.bn1 = norm_layer(first_planes, **dd)
        self.drop_block = drop_block() if drop_block is not None else nn.Identity()
        self.act1 = act_layer(inplace=True)
        self.aa = create_aa(aa_layer, channels=first_planes, stride=stride, enable=use_aa, **dd)
        self.conv2 = nn.Conv2d(
            first_planes, outplanes, kernel_size=3, padding=dilation, dilation=dilation, bias=False, **dd)
        self.bn2 = norm_layer(outplanes, **dd)
        # attention is sized by the unpruned width (the pruned checkpoints kept those gates)
        self.se = create_attn(attn_layer, planes * self.expansion, **dd)
        self.act2 = act_layer(inplace=True)
        self.downsample = downsample
        self.stride = stride
        self.dilation = dilation
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.bn2, "weight", None) is not None:
            nn.init.zeros_(self.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.act1(self.drop_block(self.bn1(self.conv1(x))))
        x = self.bn2(self.conv2(self.aa(x)))
        if self.se is not None:
            x = self.se(x)
        if self.drop_path is not None:
            x = self.drop_path(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x += shortcut  # in place: saves one feature-map allocation per block
        return self.act2(x)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (grouped for ResNeXt), 1x1 expand by 4, and a shortcut (ResNet-50 and deeper)."""

    expansion = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: Optional[nn.Module] = None,
        cardinality: int = 1,
        base_width: int = 64,
        reduce_first: int = 1,
        dilation: int = 1,
        first_dilation: Optional[int] = None,
        act_layer: LayerFn = nn.ReLU,
        norm_layer: LayerFn = nn.BatchNorm2d,
        attn_layer: Optional[LayerFn] = None,
        aa_layer: Optional[LayerFn] = None,
        drop_block: Optional[LayerFn] = None,
        drop_path: Optional[nn.Module] = None,
        widths: Optional[Sequence[int]] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        """``widths`` = (conv1 out, conv2 out, conv3 out) overrides the widths ``planes`` implies (pruned nets)."""
        super().__init__()
        width = int(math.floor(planes * (base_width / 64)) * cardinality)
        first_planes = width // reduce_first
        outplanes = planes * self.expansion
        if widths is not None:
            first_planes, width, outplanes = widths
        dd = factory_kwargs(device, dtype)
        first_dilation = first_dilation or dilation
        use_aa = aa_layer is not None and (stride == 2 or first_dilation != dilation)

        self.conv1 = nn.Conv2d(inplanes, first_planes, kernel_size=1, bias=False, **dd)
        self.bn1 = norm_layer(first_planes, **dd)
        self.act1 = act_layer(inplace=True)
        self.conv2 = nn.Conv2d(
            first_planes, width, kernel_size=3, stride=1 if use_aa else stride,
            padding=first_dilation, dilation=first_dilation, groups=cardinality, bias=False, **dd,
        )
        self.bn2 = norm_layer(width, **dd)
        self.drop_block = drop_block() if drop_block is not None else nn.Identity()
        self.act2 = act_layer(inplace=True)
        self.aa = create_aa(aa_layer, channels=width, stride=stride, enable=use_aa, **dd)
        self.conv3 = nn.Conv2d(width, outplanes, kernel_size=1, bias=False, **dd)
        self.bn3 = norm_layer(outplanes, **dd)
        self.se = create_attn(attn_layer, planes * self.expansion, **dd)
        self.act3 = act_layer(inplace=True)
        self.downsample = downsample
        self.stride = stride
        self.dilation = dilation
        self.drop_path = drop_path

    def zero_init_last(self) -> None:
        if getattr(self.bn3, "weight", None) is not None:
            nn.init.zeros_(self.bn3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.act2(self.drop_block(self.bn2(self.conv2(x))))
        x = self.bn3(self.conv3(self.aa(x)))
        if self.se is not None:
            x = self.se(x)
        if self.drop_path is not None:
            x = self.drop_path(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x += shortcut  # in place: saves one feature-map allocation per block
        return self.act3(x)


def downsample_conv(
    in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, dilation: int = 1,
    first_dilation: Optional[int] = None, norm_layer: LayerFn = nn.BatchNorm2d, **dd: Any,
) -> nn.Module:
    """Shortcut projection by a (strided) conv: ResNet-B style, or 3x3 for SENet-154."""
    kernel_size = 1 if stride == 1 and dilation == 1 else kernel_size
    first_dilation = (first_dilation or dilation) if kernel_size > 1 else 1
    padding = get_padding(kernel_size, stride, first_dilation)
    return nn.Sequential(
        nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=padding, dilation=first_dilation, bias=False, **dd),
        norm_layer(out_chs, **dd),
    )


def downsample_avg(
    in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, dilation: int = 1,
    first_dilation: Optional[int] = None, norm_layer: LayerFn = nn.BatchNorm2d, **dd: Any,
) -> nn.Module:
    """Shortcut projection ResNet-D style: 2x2 average pool then a 1x1 conv, so no input is skipped."""
    if stride == 1 and dilation == 1:
        pool = nn.Identity()
    elif dilation == 1:
        pool = nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
    else:
        # a dilated stage keeps the resolution: a stride-1 pool padded to the same size
        pool = AvgPool2dSame(2, 1, ceil_mode=True, count_include_pad=False)
    return nn.Sequential(pool, nn.Conv2d(in_chs, out_chs, 1, stride=1, bias=False, **dd), norm_layer(out_chs, **dd))


# DropBlock only in the last two stages, where the maps are small enough for blocks to matter
_DROP_BLOCK_STAGES = {2: dict(block_size=5, gamma_scale=0.25), 3: dict(block_size=3, gamma_scale=1.0)}


def make_stages(
    block_fns: Sequence[Type[nn.Module]],
    channels: Sequence[int],
    layers: Sequence[int],
    inplanes: int,
    output_stride: int = 32,
    down_kernel_size: int = 1,
    avg_down: bool = False,
    norm_layer: LayerFn = nn.BatchNorm2d,
    drop_block_rate: float = 0.0,
    drop_path_rate: float = 0.0,
    block_widths: Optional[Sequence[Sequence[Sequence[int]]]] = None,
    dd: Optional[Dict[str, Any]] = None,
    **block_kwargs: Any,
) -> Tuple[List[Tuple[str, nn.Sequential]], List[Dict[str, Any]]]:
    """The four residual stages and their feature_info.

    Past ``output_stride`` a stage keeps stride 1 and dilates its convs instead; the first block of a
    stage uses the previous stage's dilation for its strided conv. Stochastic depth grows linearly
    from 0 at the first block to ``drop_path_rate`` at the last.
    """
    dd = dd or {}
    stages, feature_info = [], []
    total_blocks = sum(layers)
    block_idx_net = 0
    net_stride = 4  # after the stem
    dilation = prev_dilation = 1
    for stage_idx, (block_fn, planes, num_blocks) in enumerate(zip(block_fns, channels, layers)):
        stride = 1 if stage_idx == 0 else 2
        if net_stride >= output_stride:
            dilation *= stride
            stride = 1
        else:
            net_stride *= stride
        widths = block_widths[stage_idx] if block_widths is not None else [None] * num_blocks
        outplanes = widths[0][-1] if widths[0] is not None else planes * block_fn.expansion

        downsample = None
        if stride != 1 or inplanes != outplanes:
            make_down = downsample_avg if avg_down else downsample_conv
            downsample = make_down(
                inplanes, outplanes, down_kernel_size, stride=stride, dilation=dilation,
                first_dilation=prev_dilation, norm_layer=norm_layer, **dd,
            )
        drop_block = None
        if drop_block_rate and stage_idx in _DROP_BLOCK_STAGES:
            drop_block = partial(DropBlock2d, drop_prob=drop_block_rate, **_DROP_BLOCK_STAGES[stage_idx])

        blocks = []
        for block_idx in range(num_blocks):
            block_dpr = drop_path_rate * block_idx_net / max(total_blocks - 1, 1)
            blocks.append(block_fn(
                inplanes,
                planes,
                stride if block_idx == 0 else 1,
                downsample if block_idx == 0 else None,
                dilation=dilation,
                first_dilation=prev_dilation,
                norm_layer=norm_layer,
                drop_block=drop_block,
                drop_path=DropPath(block_dpr) if block_dpr > 0.0 else None,
                widths=widths[block_idx],
                **dd,
                **block_kwargs,
            ))
            prev_dilation = dilation
            inplanes = outplanes
            block_idx_net += 1
        name = f"layer{stage_idx + 1}"
        stages.append((name, nn.Sequential(*blocks)))
        feature_info.append(dict(num_chs=inplanes, reduction=net_stride, module=name))
    return stages, feature_info


class ResNet(nn.Module):
    """ResNet / ResNeXt / SE-ResNeXt / ResNet-D and relatives, configured by arguments.

    Stem (``stem_type``): '' is one 7x7 stride-2 conv (ResNet-B); 'deep' is three 3x3 convs of
    ``stem_width``, ``stem_width``, ``2 * stem_width`` channels (ResNet-C); 'deep_tiered' narrows the first
    to ``3 * stem_width // 4``. ``replace_stem_pool`` swaps the stem max-pool for a strided conv
    (ResNet-RS). ``avg_down`` makes the shortcut projections average-pool then 1x1 conv (ResNet-D).
    ``cardinality`` / ``base_width`` give ResNeXt's grouped and wide 3x3 convs. ``attn_layer`` (or
    ``block_args=dict(attn_layer=...)``) adds channel attention to every block, ``aa_layer``
    anti-aliased downsampling. ``block_widths`` sets every block's conv widths (pruned networks).
    """

    def __init__(
        self,
        block: Union[Type[nn.Module], Sequence[Type[nn.Module]]] = Bottleneck,
        layers: Sequence[int] = (3, 4, 6, 3),
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        global_pool: str = "avg",
        cardinality: int = 1,
        base_width: int = 64,
        stem_width: int = 64,
        stem_type: str = "",
        replace_stem_pool: bool = False,
        block_reduce_first: int = 1,
        down_kernel_size: int = 1,
        avg_down: bool = False,
        channels: Sequence[int] = (64, 128, 256, 512),
        act_layer: Union[str, LayerFn] = nn.ReLU,
        norm_layer: Union[str, LayerFn] = nn.BatchNorm2d,
        aa_layer: Union[str, LayerFn, None] = None,
        attn_layer: Union[str, LayerFn, None] = None,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        drop_block_rate: float = 0.0,
        zero_init_last: bool = True,
        block_args: Optional[Dict[str, Any]] = None,
        block_widths: Optional[Sequence[Sequence[Sequence[int]]]] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        if stem_type not in ("", "deep", "deep_tiered"):
            raise ValueError(f"stem_type must be '', 'deep' or 'deep_tiered', got {stem_type!r}")
        block_fns = list(block) if isinstance(block, (list, tuple)) else [block] * len(layers)
        if not len(layers) == len(channels) == len(block_fns) == 4:
            raise ValueError(
                f"layers, channels and block need one entry per stage (4), got {len(layers)}, {len(channels)} "
                f"and {len(block_fns)}"
            )
        if block_widths is not None and [len(s) for s in block_widths] != list(layers):
            raise ValueError(
                f"block_widths must have one entry per block, {list(layers)} per stage, "
                f"got {[len(s) for s in block_widths]}"
            )

        # strings become classes here, once: the blocks only ever see classes
        act_layer = get_act_layer(act_layer)
        norm_layer = get_norm_layer(norm_layer)
        aa_layer = get_aa_layer(aa_layer) if aa_layer else None
        block_args = dict(block_args or {})
        if attn_layer is not None:
            block_args.setdefault("attn_layer", attn_layer)
        if "attn_layer" in block_args:
            block_args["attn_layer"] = get_attn(block_args["attn_layer"])

        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        # stem
        deep_stem = "deep" in stem_type
        inplanes = stem_width * 2 if deep_stem else 64
        if deep_stem:
            stem_chs = (3 * (stem_width // 4), stem_width) if "tiered" in stem_type else (stem_width, stem_width)
            self.conv1 = nn.Sequential(
                nn.Conv2d(in_chans, stem_chs[0], 3, stride=2, padding=1, bias=False, **dd),
                norm_layer(stem_chs[0], **dd),
                act_layer(inplace=True),
                nn.Conv2d(stem_chs[0], stem_chs[1], 3, stride=1, padding=1, bias=False, **dd),
                norm_layer(stem_chs[1], **dd),
                act_layer(inplace=True),
                nn.Conv2d(stem_chs[1], inplanes, 3, stride=1, padding=1, bias=False, **dd),
            )
        else:
            self.conv1 = nn.Conv2d(in_chans, inplanes, kernel_size=7, stride=2, padding=3, bias=False, **dd)
        self.bn1 = norm_layer(inplanes, **dd)
        self.act1 = act_layer(inplace=True)
        self.feature_info = [dict(num_chs=inplanes, reduction=2, module="act1")]
        self.maxpool = self._stem_pool(inplanes, replace_stem_pool, aa_layer, act_layer, norm_layer, dd)

        stages, stage_info = make_stages(
            block_fns, channels, layers, inplanes,
            output_stride=output_stride,
            down_kernel_size=down_kernel_size,
            avg_down=avg_down,
            norm_layer=norm_layer,
            drop_block_rate=drop_block_rate,
            drop_path_rate=drop_path_rate,
            block_widths=block_widths,
            dd=dd,
            cardinality=cardinality,
            base_width=base_width,
            reduce_first=block_reduce_first,
            act_layer=act_layer,
            aa_layer=aa_layer,
            **block_args,
        )
        for name, stage in stages:
            self.add_module(name, stage)
        self.feature_info.extend(stage_info)

        self.num_features = self.head_hidden_size = stage_info[-1]["num_chs"]
        self._dd = dd
        self.global_pool, self.fc = create_classifier(self.num_features, self.num_classes, pool_type=global_pool, **dd)
        self.init_weights(zero_init_last=zero_init_last)

    @staticmethod
    def _stem_pool(
        inplanes: int, replace_stem_pool: bool, aa_layer: Optional[LayerFn], act_layer: LayerFn, norm_layer: LayerFn,
        dd: Dict[str, Any],
    ) -> nn.Module:
        """The stem's stride-2 step: max pool, a strided conv (ResNet-RS), or an anti-aliased version of either."""
        if replace_stem_pool:
            layers = [nn.Conv2d(inplanes, inplanes, 3, stride=1 if aa_layer else 2, padding=1, bias=False, **dd)]
            if aa_layer is not None:
                layers.append(create_aa(aa_layer, channels=inplanes, stride=2, **dd))
            layers += [norm_layer(inplanes, **dd), act_layer(inplace=True)]
            return nn.Sequential(*layers)
        if aa_layer is None:
            return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        if isinstance(aa_layer, type) and issubclass(aa_layer, nn.AvgPool2d):
            return aa_layer(2)  # the average pool replaces the max pool outright
        return nn.Sequential(nn.MaxPool2d(kernel_size=3, stride=1, padding=1), aa_layer(channels=inplanes, stride=2, **dd))

    def init_weights(self, zero_init_last: bool = True) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if zero_init_last:
            # each residual branch starts as zero, so every block starts as the identity
            for m in self.modules():
                if hasattr(m, "zero_init_last"):
                    m.zero_init_last()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^conv1|bn1|maxpool", blocks=r"^layer(\d+)" if coarse else r"^layer(\d+)\.(\d+)")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(
            self.num_features, self.num_classes, pool_type=global_pool, **self._dd)

    def _stages(self) -> List[nn.Module]:
        return [self.layer1, self.layer2, self.layer3, self.layer4]

    def _run_stem(self, x: torch.Tensor) -> torch.Tensor:
        return self.act1(self.bn1(self.conv1(x)))

    def _run_stage(self, stage: nn.Module, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting() and isinstance(stage, nn.Sequential):
            return checkpoint_seq(stage, x)
        return stage(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Feature maps at ``indices`` of the 5 feature points (stem, layer1..layer4), as in ``feature_info``.

        ``indices``: None for all, an int for the last n, or a list. Returns ``(final_features, maps)``,
        or only the maps with ``intermediates_only``. ``stop_early`` skips stages past the last one asked for.
        ``norm`` is accepted for the common signature; a ResNet has no final norm.
        """
        if output_fmt != "NCHW":
            raise ValueError(f"ResNet feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(5, indices)
        intermediates = []
        x = self._run_stem(x)
        if 0 in take_indices:
            intermediates.append(x)
        x = self.maxpool(x)
        stages = self._stages()
        if stop_early:
            stages = stages[:max_index]
        for feat_idx, stage in enumerate(stages, start=1):
            x = self._run_stage(stage, x)
            if feat_idx in take_indices:
                intermediates.append(x)
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the stages after the last of ``indices`` (and the head), for feature extraction."""
        take_indices, max_index = feature_take_indices(5, indices)
        for name in ("layer1", "layer2", "layer3", "layer4")[max_index:]:
            setattr(self, name, nn.Identity())
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self._run_stem(x))
        if self.grad_checkpointing and not torch.jit.is_scripting():
            # one checkpoint segment per block, across the stage boundaries
            blocks = [b for s in self._stages() for b in (s if isinstance(s, nn.Sequential) else [s])]
            return checkpoint_seq(blocks, x)
        for stage in self._stages():
            x = stage(x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate:
            x = F.dropout(x, p=float(self.drop_rate), training=self.training)
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# stems: 'c' deep 3x3 stem, 'd' deep stem + avg-pool shortcut, 't' tiered deep stem + avg-pool shortcut,
# 's' wide deep stem; 'rs' adds the strided-conv stem pool of ResNet-RS.

_C = dict(stem_width=32, stem_type="deep")
_D = dict(stem_width=32, stem_type="deep", avg_down=True)
_T = dict(stem_width=32, stem_type="deep_tiered", avg_down=True)
_S = dict(stem_width=64, stem_type="deep")
_RS = dict(_D, replace_stem_pool=True, attn_layer=partial(SEModule, rd_ratio=0.25))
_X32x4 = dict(cardinality=32, base_width=4)
_X32x8 = dict(cardinality=32, base_width=8)
_X64x4 = dict(cardinality=64, base_width=4)
_B, _BN = BasicBlock, Bottleneck

RESNETS: Dict[str, Dict[str, Any]] = {
    "resnet10t": dict(block=_B, layers=(1, 1, 1, 1), **_T),
    "resnet14t": dict(block=_BN, layers=(1, 1, 1, 1), **_T),
    "resnet18": dict(block=_B, layers=(2, 2, 2, 2)),
    "resnet18d": dict(block=_B, layers=(2, 2, 2, 2), **_D),
    "resnet34": dict(block=_B, layers=(3, 4, 6, 3)),
    "resnet34d": dict(block=_B, layers=(3, 4, 6, 3), **_D),
    "resnet26": dict(block=_BN, layers=(2, 2, 2, 2)),
    "resnet26t": dict(block=_BN, layers=(2, 2, 2, 2), **_T),
    "resnet26d": dict(block=_BN, layers=(2, 2, 2, 2), **_D),
    "resnet50": dict(block=_BN, layers=(3, 4, 6, 3)),
    "resnet50c": dict(block=_BN, layers=(3, 4, 6, 3), **_C),
    "resnet50d": dict(block=_BN, layers=(3, 4, 6, 3), **_D),
    "resnet50s": dict(block=_BN, layers=(3, 4, 6, 3), **_S),
    "resnet50t": dict(block=_BN, layers=(3, 4, 6, 3), **_T),
    "resnet101": dict(block=_BN, layers=(3, 4, 23, 3)),
    "resnet101c": dict(block=_BN, layers=(3, 4, 23, 3), **_C),
    "resnet101d": dict(block=_BN, layers=(3, 4, 23, 3), **_D),
    "resnet101s": dict(block=_BN, layers=(3, 4, 23, 3), **_S),
    "resnet152": dict(block=_BN, layers=(3, 8, 36, 3)),
    "resnet152c": dict(block=_BN, layers=(3, 8, 36, 3), **_C),
    "resnet152d": dict(block=_BN, layers=(3, 8, 36, 3), **_D),
    "resnet152s": dict(block=_BN, layers=(3, 8, 36, 3), **_S),
    "resnet200": dict(block=_BN, layers=(3, 24, 36, 3)),
    "resnet200d": dict(block=_BN, layers=(3, 24, 36, 3), **_D),
    "wide_resnet50_2": dict(block=_BN, layers=(3, 4, 6, 3), base_width=128),
    "wide_resnet101_2": dict(block=_BN, layers=(3, 4, 23, 3), base_width=128),
    "resnet50_gn": dict(block=_BN, layers=(3, 4, 6, 3), norm_layer=GroupNorm),
    "resnext50_32x4d": dict(block=_BN, layers=(3, 4, 6, 3), **_X32x4),
    "resnext50d_32x4d": dict(block=_BN, layers=(3, 4, 6, 3), **_X32x4, **_D),
    "resnext101_32x4d": dict(block=_BN, layers=(3, 4, 23, 3), **_X32x4),
    "resnext101_32x8d": dict(block=_BN, layers=(3, 4, 23, 3), **_X32x8),
    "resnext101_32x16d": dict(block=_BN, layers=(3, 4, 23, 3), cardinality=32, base_width=16),
    "resnext101_32x32d": dict(block=_BN, layers=(3, 4, 23, 3), cardinality=32, base_width=32),
    "resnext101_64x4d": dict(block=_BN, layers=(3, 4, 23, 3), **_X64x4),
    "ecaresnet26t": dict(block=_BN, layers=(2, 2, 2, 2), attn_layer="eca", **_T),
    "ecaresnetlight": dict(block=_BN, layers=(1, 1, 11, 3), stem_width=32, avg_down=True, attn_layer="eca"),
    "ecaresnet50d": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="eca", **_D),
    "ecaresnet50d_pruned": dict(
        block=_BN, layers=(3, 4, 6, 3), attn_layer="eca", block_widths=_PRUNED["ecaresnet50d_pruned"], **_D),
    "ecaresnet50t": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="eca", **_T),
    "ecaresnet101d": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="eca", **_D),
    "ecaresnet101d_pruned": dict(
        block=_BN, layers=(3, 4, 23, 3), attn_layer="eca", block_widths=_PRUNED["ecaresnet101d_pruned"], **_D),
    "ecaresnet200d": dict(block=_BN, layers=(3, 24, 36, 3), attn_layer="eca", **_D),
    "ecaresnet269d": dict(block=_BN, layers=(3, 30, 48, 8), attn_layer="eca", **_D),
    "ecaresnext26t_32x4d": dict(block=_BN, layers=(2, 2, 2, 2), attn_layer="eca", **_X32x4, **_T),
    "ecaresnext50t_32x4d": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="eca", **_X32x4, **_T),
    "seresnet18": dict(block=_B, layers=(2, 2, 2, 2), attn_layer="se"),
    "seresnet34": dict(block=_B, layers=(3, 4, 6, 3), attn_layer="se"),
    "seresnet50": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="se"),
    "seresnet50t": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="se", **_T),
    "seresnet101": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="se"),
    "seresnet152": dict(block=_BN, layers=(3, 8, 36, 3), attn_layer="se"),
    "seresnet152d": dict(block=_BN, layers=(3, 8, 36, 3), attn_layer="se", **_D),
    "seresnet200d": dict(block=_BN, layers=(3, 24, 36, 3), attn_layer="se", **_D),
    "seresnet269d": dict(block=_BN, layers=(3, 30, 48, 8), attn_layer="se", **_D),
    "seresnext26d_32x4d": dict(block=_BN, layers=(2, 2, 2, 2), attn_layer="se", **_X32x4, **_D),
    "seresnext26t_32x4d": dict(block=_BN, layers=(2, 2, 2, 2), attn_layer="se", **_X32x4, **_T),
    "seresnext50_32x4d": dict(block=_BN, layers=(3, 4, 6, 3), attn_layer="se", **_X32x4),
    "seresnext101_32x4d": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="se", **_X32x4),
    "seresnext101_32x8d": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="se", **_X32x8),
    "seresnext101d_32x8d": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="se", **_X32x8, **_D),
    "seresnext101_64x4d": dict(block=_BN, layers=(3, 4, 23, 3), attn_layer="se", **_X64x4),
    "senet154": dict(
        block=_BN, layers=(3, 8, 36, 3), attn_layer="se", stem_type="deep", down_kernel_size=3, block_reduce_first=2,
        **_X64x4),
    "resnetblur18": dict(block=_B, layers=(2, 2, 2, 2), aa_layer="blur"),
    "resnetblur50": dict(block=_BN, layers=(3, 4, 6, 3), aa_layer="blur"),
    "resnetblur50d": dict(block=_BN, layers=(3, 4, 6, 3), aa_layer="blur", **_D),
    "resnetblur101d": dict(block=_BN, layers=(3, 4, 23, 3), aa_layer="blur", **_D),
    "resnetaa34d": dict(block=_B, layers=(3, 4, 6, 3), aa_layer="avg", **_D),
    "resnetaa50": dict(block=_BN, layers=(3, 4, 6, 3), aa_layer="avg"),
    "resnetaa50d": dict(block=_BN, layers=(3, 4, 6, 3), aa_layer="avg", **_D),
    "resnetaa101d": dict(block=_BN, layers=(3, 4, 23, 3), aa_layer="avg", **_D),
    "seresnetaa50d": dict(block=_BN, layers=(3, 4, 6, 3), aa_layer="avg", attn_layer="se", **_D),
    "seresnextaa101d_32x8d": dict(block=_BN, layers=(3, 4, 23, 3), aa_layer="avg", attn_layer="se", **_X32x8, **_D),
    "seresnextaa201d_32x8d": dict(
        block=_BN, layers=(3, 24, 36, 4), aa_layer="avg", attn_layer="se", **_X32x8, **dict(_D, stem_width=64)),
    "resnetrs50": dict(block=_BN, layers=(3, 4, 6, 3), **_RS),
    "resnetrs101": dict(block=_BN, layers=(3, 4, 23, 3), **_RS),
    "resnetrs152": dict(block=_BN, layers=(3, 8, 36, 3), **_RS),
    "resnetrs200": dict(block=_BN, layers=(3, 24, 36, 3), **_RS),
    "resnetrs270": dict(block=_BN, layers=(4, 29, 53, 4), **_RS),
    "resnetrs350": dict(block=_BN, layers=(4, 36, 72, 4), **_RS),
    "resnetrs420": dict(block=_BN, layers=(4, 44, 87, 4), **_RS),
    "test_resnet": dict(
        block=(_B, _B, _BN, _B), layers=(1, 1, 1, 1), channels=(32, 48, 48, 96), stem_width=16, stem_type="deep",
        avg_down=True),
}


# --- weight metadata --------------------------------------------------------------------------------
# One row per weight tag, in each architecture's tag order (the first tag with weights is the default).
# A row is a recipe (the preprocessing its training used) plus what differs. Derived for every row
# below: pool_size from input_size, first_conv from the architecture's stem. 'untrained' tags have no
# weights. top1 (ImageNet-1k top-1, %): torchvision's weights carry the figure torchvision publishes
# (measured with its own eval transforms) in their row; every other tag takes it from _TOP1 below.

_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_HF_RELEASES = "https://github.com/huggingface/pytorch-image-models/releases/download/"
_TV_URL = "https://download.pytorch.org/models/"
_FB_URL = "https://dl.fbaipublicfiles.com/semiweaksupervision/model_files/"
_GLUON_URL = "https://github.com/rwightman/pytorch-pretrained-gluonresnet/releases/download/v0.1/"
_TIMM_ORIGIN = "https://github.com/huggingface/pytorch-image-models"
_RSB_PAPER = "arXiv:2110.00476"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.875,
        interpolation="bilinear", classifier="fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


# 'ResNet strikes back' recipes: A1/A2/B/C/D at 224 (eval at 288), A3 at 160
_rsb = partial(_cfg, interpolation="bicubic", crop_pct=0.95, test_input_size=(3, 288, 288), test_crop_pct=1.0,
               origin_url=_TIMM_ORIGIN, paper_ids=_RSB_PAPER)
_rsb_a3 = partial(_cfg, interpolation="bicubic", input_size=(3, 160, 160), crop_pct=0.95, test_input_size=(3, 224, 224),
                  test_crop_pct=0.95, origin_url=_TIMM_ORIGIN, paper_ids=_RSB_PAPER)
# other timm-trained weights
_timm = partial(_cfg, interpolation="bicubic", test_input_size=(3, 288, 288), test_crop_pct=0.95,
                origin_url=_TIMM_ORIGIN)
_timm_full = partial(_cfg, interpolation="bicubic", crop_pct=0.95, test_input_size=(3, 288, 288), test_crop_pct=1.0,
                     origin_url=_TIMM_ORIGIN)
# torchvision's original (V1) and improved-recipe (V2) weights
_tv = partial(_cfg, license="bsd-3-clause", origin_url="https://github.com/pytorch/vision")
_tv2 = partial(_tv, input_size=(3, 176, 176), test_input_size=(3, 224, 224), test_crop_pct=0.965)
_gluon = partial(_cfg, interpolation="bicubic", origin_url="https://cv.gluon.ai/model_zoo/classification.html")
# Facebook's semi-/weakly-supervised (non-commercial) weights
_fb_ssl = partial(_cfg, license="cc-by-nc-4.0",
                  origin_url="https://github.com/facebookresearch/semi-supervised-ImageNet1K-models")
_fb_wsl = partial(_cfg, license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/WSL-Images")

RESNET_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "resnet10t.c3_in1k": _timm(
        _TIMM_RELEASES + "v0.1-rsb-weights/resnet10t_176_c3-f3215ab1.pth", input_size=(3, 176, 176),
        test_input_size=(3, 224, 224)),
    "resnet14t.c3_in1k": _timm(
        _TIMM_RELEASES + "v0.1-rsb-weights/resnet14t_176_c3-c4ed2c37.pth", input_size=(3, 176, 176),
        test_input_size=(3, 224, 224)),
    "resnet18.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet18_a1_0-d63eafa0.pth"),
    "resnet18.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet18_a2_0-b61bd467.pth"),
    "resnet18.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet18_a3_0-40c531c8.pth"),
    "resnet18.tv_in1k": _tv(_TV_URL + "resnet18-f37072fd.pth", top1=69.758),
    "resnet18.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnet18-d92f0530.pth"),
    "resnet18.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnet18-118f1556.pth"),
    "resnet18.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet18_v1b-0757602b.pth"),
    "resnet18d.ra2_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet18d_ra2-48a79e06.pth"),
    "resnet18d.ra4_e3600_r224_in1k": _rsb(crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "resnet34.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet34_a1_0-46f8f793.pth"),
    "resnet34.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet34_a2_0-82d47d71.pth"),
    "resnet34.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet34_a3_0-a20cabb6.pth"),
    "resnet34.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet34-43635321.pth"),
    "resnet34.ra4_e3600_r224_in1k": _rsb(crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "resnet34.tv_in1k": _tv(_TV_URL + "resnet34-b627a593.pth", top1=73.314),
    "resnet34.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet34_v1b-c6d82d59.pth"),
    "resnet34d.ra2_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet34d_ra2-f8dcfcaf.pth"),
    "resnet26.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet26-9aa10e23.pth"),
    "resnet26d.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet26d-69e92c46.pth"),
    "resnet26t.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-attn-weights/resnet26t_256_ra2-6f6fa748.pth", input_size=(3, 256, 256), crop_pct=0.94,
        test_input_size=(3, 320, 320)),
    "resnet50.a1_in1k": _rsb(_TIMM_RELEASES + "v0.1-rsb-weights/resnet50_a1_0-14fe96d1.pth"),
    "resnet50.a1h_in1k": _rsb(
        _HF_RELEASES + "v0.1-rsb-weights/resnet50_a1h2_176-001a1197.pth", input_size=(3, 176, 176), crop_pct=0.9,
        test_input_size=(3, 224, 224)),
    "resnet50.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_a2_0-a2746f79.pth"),
    "resnet50.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet50_a3_0-59cae1ef.pth"),
    "resnet50.b1k_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_b1k-532a802a.pth"),
    "resnet50.b2k_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_b2k-1ba180c1.pth"),
    "resnet50.c1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_c1-5ba5e060.pth"),
    "resnet50.c2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_c2-d01e05b2.pth"),
    "resnet50.d_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50_d-f39db8af.pth"),
    "resnet50.ram_in1k": _timm(_HF_RELEASES + "v0.1-weights/resnet50_ram-a26f946b.pth"),
    "resnet50.am_in1k": _cfg(_HF_RELEASES + "v0.1-weights/resnet50_am-6c502b37.pth", interpolation="bicubic"),
    "resnet50.ra_in1k": _timm(_HF_RELEASES + "v0.1-weights/resnet50_ra-85ebb6e5.pth"),
    "resnet50.bt_in1k": _timm(_HF_RELEASES + "v0.1-weights/rw_resnet50-86acaeed.pth"),
    "resnet50.tv_in1k": _tv(_TV_URL + "resnet50-0676ba61.pth", top1=76.13),
    "resnet50.tv2_in1k": _tv2(_TV_URL + "resnet50-11ad3fa6.pth", top1=80.858),
    "resnet50.bamboo": _cfg(interpolation="bicubic", crop_pct=1.0, num_classes=0, license=None,
                            origin_url="https://github.com/ZhangYuanhan-AI/Bamboo", paper_ids="arXiv:2203.07845"),
    "resnet50.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnet50-08389792.pth"),
    "resnet50.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnet50-16a12f1b.pth"),
    "resnet50.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet50_v1b-0ebe02e2.pth"),
    "resnet50d.ra2_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnet50d_ra2-464e36ba.pth"),
    "resnet50d.ra4_e3600_r224_in1k": _rsb(mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "resnet50d.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50d_a1_0-e20cff14.pth"),
    "resnet50d.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet50d_a2_0-a3adc64d.pth"),
    "resnet50d.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet50d_a3_0-403fdfad.pth"),
    "resnet50d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet50_v1d-818a1b1b.pth"),
    "resnet50t.untrained": _timm(hf_hub_id=None),
    "resnet101.a1h_in1k": _rsb(_TIMM_RELEASES + "v0.1-rsb-weights/resnet101_a1h-36d3f2aa.pth"),
    "resnet101.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet101_a1_0-cdcb52a9.pth"),
    "resnet101.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet101_a2_0-6edb36c7.pth"),
    "resnet101.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet101_a3_0-1db14157.pth"),
    "resnet101.tv_in1k": _tv(_TV_URL + "resnet101-63fe2227.pth", top1=77.374),
    "resnet101.tv2_in1k": _tv2(_TV_URL + "resnet101-cd907fc2.pth", top1=81.886),
    "resnet101.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet101_v1b-3b017079.pth"),
    "resnet101d.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-weights/resnet101d_ra2-2803ffab.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320)),
    "resnet101d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet101_v1d-0f9c8644.pth"),
    "resnet152.a1h_in1k": _rsb(_TIMM_RELEASES + "v0.1-rsb-weights/resnet152_a1h-dc400468.pth"),
    "resnet152.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet152_a1_0-2eee8a7a.pth"),
    "resnet152.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnet152_a2_0-b4c6978f.pth"),
    "resnet152.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnet152_a3_0-134d4688.pth"),
    "resnet152.tv_in1k": _tv(_TV_URL + "resnet152-394f9c45.pth", top1=78.312),
    "resnet152.tv2_in1k": _tv2(_TV_URL + "resnet152-f82ba261.pth", top1=82.284),
    "resnet152.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet152_v1b-c1edb0dd.pth"),
    "resnet152d.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-weights/resnet152d_ra2-5cac0439.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320)),
    "resnet152d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet152_v1d-bd354e12.pth"),
    "resnet200.untrained": _timm(hf_hub_id=None),
    "resnet200d.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-weights/resnet200d_ra2-bdba9bf9.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320)),
    "wide_resnet50_2.racm_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/wide_resnet50_racm-8234f177.pth"),
    "wide_resnet50_2.tv_in1k": _tv(_TV_URL + "wide_resnet50_2-95faca4d.pth", top1=78.468),
    "wide_resnet50_2.tv2_in1k": _tv2(_TV_URL + "wide_resnet50_2-9ba9bcbe.pth", top1=81.602),
    "wide_resnet101_2.tv_in1k": _tv(_TV_URL + "wide_resnet101_2-32ee1156.pth", top1=78.848),
    "wide_resnet101_2.tv2_in1k": _tv2(_TV_URL + "wide_resnet101_2-d733dc28.pth", top1=82.51),
    "resnet50_gn.a1h_in1k": _timm(_TIMM_RELEASES + "v0.1-rsb-weights/resnet50_gn_a1h2-8fe6c4d0.pth", crop_pct=0.94),
    "resnext50_32x4d.a1h_in1k": _rsb(_TIMM_RELEASES + "v0.1-rsb-weights/resnext50_32x4d_a1h-0146ab0a.pth"),
    "resnext50_32x4d.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnext50_32x4d_a1_0-b5a91a1d.pth"),
    "resnext50_32x4d.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/resnext50_32x4d_a2_0-efc76add.pth"),
    "resnext50_32x4d.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/resnext50_32x4d_a3_0-3e450271.pth"),
    "resnext50_32x4d.ra_in1k": _timm(_HF_RELEASES + "v0.1-weights/resnext50_32x4d_ra-d733960d.pth"),
    "resnext50_32x4d.tv_in1k": _tv(_TV_URL + "resnext50_32x4d-7cdf4587.pth", top1=77.618),
    "resnext50_32x4d.tv2_in1k": _tv2(_TV_URL + "resnext50_32x4d-1a0047aa.pth", top1=81.198),
    "resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnext50_32x4-ddb3e555.pth"),
    "resnext50_32x4d.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnext50_32x4-72679e44.pth"),
    "resnext50_32x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnext50_32x4d-e6a097c1.pth"),
    "resnext50d_32x4d.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnext50d_32x4d-103e99f8.pth"),
    "resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnext101_32x4-dc43570a.pth"),
    "resnext101_32x4d.untrained": _timm(hf_hub_id=None),
    "resnext101_32x4d.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnext101_32x4-3f87e46b.pth"),
    "resnext101_32x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnext101_32x4d-b253c8c4.pth"),
    "resnext101_64x4d.c1_in1k": _rsb(_TIMM_RELEASES + "v0.1-tpu-weights/resnext101_64x4d_c-0d0e0cc0.pth"),
    "resnext101_64x4d.tv_in1k": _tv(_TV_URL + "resnext101_64x4d-173b62eb.pth", top1=83.246),
    "resnext101_64x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnext101_64x4d-f9a8e184.pth"),
    "resnext101_32x8d.tv_in1k": _tv(_TV_URL + "resnext101_32x8d-8ba56ff5.pth", top1=79.312),
    "resnext101_32x8d.tv2_in1k": _tv2(_TV_URL + "resnext101_32x8d-110c445d.pth", top1=82.834),
    "resnext101_32x8d.fb_wsl_ig1b_ft_in1k": _fb_wsl(_TV_URL + "ig_resnext101_32x8-c38310e5.pth"),
    "resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnext101_32x8-2cfe2f8b.pth"),
    "resnext101_32x8d.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnext101_32x8-b4712904.pth"),
    "resnext101_32x16d.fb_wsl_ig1b_ft_in1k": _fb_wsl(_TV_URL + "ig_resnext101_32x16-c6f796b0.pth"),
    "resnext101_32x16d.fb_ssl_yfcc100m_ft_in1k": _fb_ssl(_FB_URL + "semi_supervised_resnext101_32x16-15fffa57.pth"),
    "resnext101_32x16d.fb_swsl_ig1b_ft_in1k": _fb_ssl(_FB_URL + "semi_weakly_supervised_resnext101_32x16-f3559a9c.pth"),
    "resnext101_32x32d.fb_wsl_ig1b_ft_in1k": _fb_wsl(_TV_URL + "ig_resnext101_32x32-e4b90b00.pth"),
    "ecaresnet26t.ra2_in1k": _timm(
        _TIMM_RELEASES + "v0.1-weights/ecaresnet26t_ra2-46609757.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320)),
    "ecaresnetlight.miil_in1k": _timm(_TIMM_RELEASES + "v0.1-tresnet/ecaresnetlight-75a9c627.pth", origin_url=None),
    "ecaresnet50d.miil_in1k": _timm(_TIMM_RELEASES + "v0.1-tresnet/ecaresnet50d-93c81e3b.pth", origin_url=None),
    "ecaresnet50d_pruned.miil_in1k": _timm(
        _TIMM_RELEASES + "v0.1-tresnet/ecaresnet50d_p-e4fa23c2.pth", origin_url=None),
    "ecaresnet50t.ra2_in1k": _timm(
        _TIMM_RELEASES + "v0.1-weights/ecaresnet50t_ra2-f7ac63c4.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320), origin_url=None),
    "ecaresnet50t.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/ecaresnet50t_a1_0-99bd76a8.pth"),
    "ecaresnet50t.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/ecaresnet50t_a2_0-b1c7b745.pth"),
    "ecaresnet50t.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/ecaresnet50t_a3_0-8cc311f1.pth"),
    "ecaresnet101d.miil_in1k": _timm(_TIMM_RELEASES + "v0.1-tresnet/ecaresnet101d-153dad65.pth", origin_url=None),
    "ecaresnet101d_pruned.miil_in1k": _timm(
        _TIMM_RELEASES + "v0.1-tresnet/ecaresnet101d_p-9e74cb91.pth", origin_url=None),
    "ecaresnet200d.untrained": _timm(input_size=(3, 256, 256), crop_pct=0.95, hf_hub_id=None),
    "ecaresnet269d.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-weights/ecaresnet269d_320_ra2-7baa55cb.pth", input_size=(3, 320, 320),
        test_input_size=(3, 352, 352)),
    "ecaresnext26t_32x4d.untrained": _cfg(interpolation="bicubic", hf_hub_id=None),
    "ecaresnext50t_32x4d.untrained": _cfg(interpolation="bicubic", hf_hub_id=None),
    "seresnet18.untrained": _timm(hf_hub_id=None),
    "seresnet34.untrained": _timm(hf_hub_id=None),
    "seresnet50.a1_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/seresnet50_a1_0-ffa00869.pth"),
    "seresnet50.a2_in1k": _rsb(_HF_RELEASES + "v0.1-rsb-weights/seresnet50_a2_0-850de0d9.pth"),
    "seresnet50.a3_in1k": _rsb_a3(_HF_RELEASES + "v0.1-rsb-weights/seresnet50_a3_0-317ecd56.pth"),
    "seresnet50.ra2_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/seresnet50_ra_224-8efdb4bb.pth"),
    "seresnet50t.untrained": _timm(hf_hub_id=None),
    "seresnet101.untrained": _timm(hf_hub_id=None),
    "seresnet152.untrained": _timm(hf_hub_id=None),
    "seresnet152d.ra2_in1k": _timm_full(
        _TIMM_RELEASES + "v0.1-weights/seresnet152d_ra2-04464dd2.pth", input_size=(3, 256, 256),
        test_input_size=(3, 320, 320)),
    "seresnet200d.untrained": _timm(input_size=(3, 256, 256), hf_hub_id=None),
    "seresnet269d.untrained": _timm(input_size=(3, 256, 256), hf_hub_id=None),
    "seresnext26d_32x4d.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/seresnext26d_32x4d-80fa48a3.pth"),
    "seresnext26t_32x4d.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/seresnext26tn_32x4d-569cb627.pth"),
    "seresnext50_32x4d.racm_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/seresnext50_32x4d_racm-a304a460.pth"),
    "seresnext50_32x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_seresnext50_32x4d-90cf2d6e.pth"),
    "seresnext101_32x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_seresnext101_32x4d-cf52900d.pth"),
    "seresnext101_32x4d.untrained": _timm(hf_hub_id=None),
    "seresnext101_32x8d.ah_in1k": _rsb(_TIMM_RELEASES + "v0.1-tpu-weights/seresnext101_32x8d_ah-e6bc4c0a.pth"),
    "seresnext101d_32x8d.ah_in1k": _rsb(_TIMM_RELEASES + "v0.1-tpu-weights/seresnext101d_32x8d_ah-191d7b94.pth"),
    "resnetaa50d.sw_in12k_ft_in1k": _timm_full(),
    "resnetaa50d.sw_in12k": _timm_full(num_classes=11821),
    "resnetaa50d.d_in12k": _timm_full(num_classes=11821),
    "resnetaa101d.sw_in12k_ft_in1k": _timm_full(),
    "resnetaa101d.sw_in12k": _timm_full(num_classes=11821),
    "seresnextaa101d_32x8d.sw_in12k_ft_in1k_288": _timm_full(input_size=(3, 288, 288), test_input_size=(3, 320, 320)),
    "seresnextaa101d_32x8d.sw_in12k_ft_in1k": _timm(test_crop_pct=1.0),
    "seresnextaa101d_32x8d.sw_in12k": _timm_full(num_classes=11821),
    "seresnextaa101d_32x8d.ah_in1k": _rsb(_TIMM_RELEASES + "v0.1-tpu-weights/seresnextaa101d_32x8d_ah-83c8ae12.pth"),
    "seresnextaa201d_32x8d.sw_in12k_ft_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0, interpolation="bicubic"),
    "seresnextaa201d_32x8d.sw_in12k": _timm_full(
        num_classes=11821, input_size=(3, 320, 320), test_input_size=(3, 384, 384), origin_url=None),
    "resnetblur18.untrained": _timm(hf_hub_id=None),
    "resnetblur50.bt_in1k": _timm(_TIMM_RELEASES + "v0.1-weights/resnetblur50-84f4748f.pth"),
    "resnetblur50d.untrained": _timm(hf_hub_id=None),
    "resnetblur101d.untrained": _timm(hf_hub_id=None),
    "resnetaa34d.untrained": _timm(hf_hub_id=None),
    "resnetaa50.a1h_in1k": _rsb(_TIMM_RELEASES + "v0.1-rsb-weights/resnetaa50_a1h-4cf422b3.pth"),
    "seresnetaa50d.untrained": _timm(hf_hub_id=None),
    "resnetrs50.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs50_ema-6b53758b.pth", input_size=(3, 160, 160), crop_pct=0.91,
        interpolation="bicubic", test_input_size=(3, 224, 224)),
    "resnetrs101.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs101_i192_ema-1509bbf6.pth", input_size=(3, 192, 192),
        crop_pct=0.94, interpolation="bicubic", test_input_size=(3, 288, 288)),
    "resnetrs152.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs152_i256_ema-a9aff7f9.pth", input_size=(3, 256, 256), crop_pct=1.0,
        interpolation="bicubic", test_input_size=(3, 320, 320)),
    "resnetrs200.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-tpu-weights/resnetrs200_c-6b698b88.pth", input_size=(3, 256, 256), crop_pct=1.0,
        interpolation="bicubic", test_input_size=(3, 320, 320)),
    "resnetrs270.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs270_ema-b40e674c.pth", input_size=(3, 256, 256), crop_pct=1.0,
        interpolation="bicubic", test_input_size=(3, 352, 352)),
    "resnetrs350.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs350_i256_ema-5a1aa8f1.pth", input_size=(3, 288, 288), crop_pct=1.0,
        interpolation="bicubic", test_input_size=(3, 384, 384)),
    "resnetrs420.tf_in1k": _cfg(
        _TIMM_RELEASES + "v0.1-rs-weights/resnetrs420_ema-972dee69.pth", input_size=(3, 320, 320), crop_pct=1.0,
        interpolation="bicubic", test_input_size=(3, 416, 416)),
    "resnet50c.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet50_v1c-48092f55.pth"),
    "resnet101c.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet101_v1c-1f26822a.pth"),
    "resnet152c.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet152_v1c-a3bb0b98.pth"),
    "resnet50s.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet50_v1s-1762acc0.pth"),
    "resnet101s.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet101_v1s-60fe0cc1.pth"),
    "resnet152s.gluon_in1k": _gluon(_GLUON_URL + "gluon_resnet152_v1s-dcc41b81.pth"),
    "seresnext101_64x4d.gluon_in1k": _gluon(_GLUON_URL + "gluon_seresnext101_64x4d-f9926f93.pth"),
    "senet154.gluon_in1k": _gluon(_GLUON_URL + "gluon_senet154-70a1a3c0.pth"),
    "test_resnet.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
}


# Source: timm's published results-imagenet.csv (huggingface/pytorch-image-models, commit 0173a139),
# evaluated at the tag's test size; torchvision's tags keep torchvision's own figure. Tags with no row there
# (the ra4 and seresnextaa201d weights, in12k/bamboo heads that are not ImageNet-1k classifiers) keep None.
_TOP1: Dict[str, float] = {
    "resnet10t.c3_in1k": 68.358,
    "resnet14t.c3_in1k": 72.254,
    "resnet18.a1_in1k": 73.158, "resnet18.a2_in1k": 72.372, "resnet18.a3_in1k": 68.254,
    "resnet18.fb_ssl_yfcc100m_ft_in1k": 72.594, "resnet18.fb_swsl_ig1b_ft_in1k": 73.282, "resnet18.gluon_in1k": 70.838,
    "resnet18d.ra2_in1k": 73.794,
    "resnet34.a1_in1k": 77.918, "resnet34.a2_in1k": 77.158, "resnet34.a3_in1k": 72.97, "resnet34.bt_in1k": 76.48,
    "resnet34.gluon_in1k": 74.578,
    "resnet34d.ra2_in1k": 78.436,
    "resnet26.bt_in1k": 76.366,
    "resnet26d.bt_in1k": 77.408,
    "resnet26t.ra2_in1k": 78.332,
    "resnet50.a1_in1k": 81.214, "resnet50.a1h_in1k": 80.676, "resnet50.a2_in1k": 80.772, "resnet50.a3_in1k": 78.048,
    "resnet50.b1k_in1k": 80.706, "resnet50.b2k_in1k": 80.454, "resnet50.c1_in1k": 80.912, "resnet50.c2_in1k": 80.87,
    "resnet50.d_in1k": 80.972, "resnet50.ram_in1k": 79.976, "resnet50.am_in1k": 78.998, "resnet50.ra_in1k": 79.836,
    "resnet50.bt_in1k": 79.64, "resnet50.fb_ssl_yfcc100m_ft_in1k": 79.234, "resnet50.fb_swsl_ig1b_ft_in1k": 81.182,
    "resnet50.gluon_in1k": 77.58,
    "resnet50d.ra2_in1k": 81.356, "resnet50d.a1_in1k": 81.45, "resnet50d.a2_in1k": 81.164, "resnet50d.a3_in1k": 78.722,
    "resnet50d.gluon_in1k": 79.078,
    "resnet101.a1h_in1k": 82.778, "resnet101.a1_in1k": 82.322, "resnet101.a2_in1k": 82.236, "resnet101.a3_in1k": 79.814,
    "resnet101.gluon_in1k": 79.31,
    "resnet101d.ra2_in1k": 83.016, "resnet101d.gluon_in1k": 80.426,
    "resnet152.a1h_in1k": 83.45, "resnet152.a1_in1k": 82.732, "resnet152.a2_in1k": 82.608, "resnet152.a3_in1k": 80.546,
    "resnet152.gluon_in1k": 79.694,
    "resnet152d.ra2_in1k": 83.684, "resnet152d.gluon_in1k": 80.476,
    "resnet200d.ra2_in1k": 83.964,
    "wide_resnet50_2.racm_in1k": 82.28,
    "resnet50_gn.a1h_in1k": 81.216,
    "resnext50_32x4d.a1h_in1k": 82.014, "resnext50_32x4d.a1_in1k": 81.466, "resnext50_32x4d.a2_in1k": 81.304,
    "resnext50_32x4d.a3_in1k": 79.268, "resnext50_32x4d.ra_in1k": 80.698,
    "resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k": 80.338, "resnext50_32x4d.fb_swsl_ig1b_ft_in1k": 82.174,
    "resnext50_32x4d.gluon_in1k": 79.36,
    "resnext50d_32x4d.bt_in1k": 80.664,
    "resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k": 80.924, "resnext101_32x4d.fb_swsl_ig1b_ft_in1k": 83.232,
    "resnext101_32x4d.gluon_in1k": 80.34,
    "resnext101_64x4d.c1_in1k": 83.156, "resnext101_64x4d.gluon_in1k": 80.6,
    "resnext101_32x8d.fb_wsl_ig1b_ft_in1k": 82.698, "resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k": 81.606,
    "resnext101_32x8d.fb_swsl_ig1b_ft_in1k": 84.302,
    "resnext101_32x16d.fb_wsl_ig1b_ft_in1k": 84.166, "resnext101_32x16d.fb_ssl_yfcc100m_ft_in1k": 81.842,
    "resnext101_32x16d.fb_swsl_ig1b_ft_in1k": 83.336,
    "resnext101_32x32d.fb_wsl_ig1b_ft_in1k": 85.098,
    "ecaresnet26t.ra2_in1k": 79.85,
    "ecaresnetlight.miil_in1k": 81.408,
    "ecaresnet50d.miil_in1k": 81.65,
    "ecaresnet50d_pruned.miil_in1k": 80.79,
    "ecaresnet50t.ra2_in1k": 82.352, "ecaresnet50t.a1_in1k": 82.128, "ecaresnet50t.a2_in1k": 81.658,
    "ecaresnet50t.a3_in1k": 79.552,
    "ecaresnet101d.miil_in1k": 82.984,
    "ecaresnet101d_pruned.miil_in1k": 81.998,
    "ecaresnet269d.ra2_in1k": 84.966,
    "seresnet50.a1_in1k": 81.102, "seresnet50.a2_in1k": 81.106, "seresnet50.a3_in1k": 77.028,
    "seresnet50.ra2_in1k": 81.284,
    "seresnet152d.ra2_in1k": 84.36,
    "seresnext26d_32x4d.bt_in1k": 78.814,
    "seresnext26t_32x4d.bt_in1k": 78.744,
    "seresnext50_32x4d.racm_in1k": 82.196, "seresnext50_32x4d.gluon_in1k": 79.91,
    "seresnext101_32x4d.gluon_in1k": 80.892,
    "seresnext101_32x8d.ah_in1k": 84.186,
    "seresnext101d_32x8d.ah_in1k": 84.358,
    "resnetaa50d.sw_in12k_ft_in1k": 82.6,
    "resnetaa101d.sw_in12k_ft_in1k": 84.124,
    "seresnextaa101d_32x8d.sw_in12k_ft_in1k_288": 86.724, "seresnextaa101d_32x8d.sw_in12k_ft_in1k": 86.484,
    "seresnextaa101d_32x8d.ah_in1k": 84.566,
    "resnetblur50.bt_in1k": 80.234,
    "resnetaa50.a1h_in1k": 81.614,
    "resnetrs50.tf_in1k": 79.896,
    "resnetrs101.tf_in1k": 82.284,
    "resnetrs152.tf_in1k": 83.702,
    "resnetrs200.tf_in1k": 84.444,
    "resnetrs270.tf_in1k": 84.428,
    "resnetrs350.tf_in1k": 84.714,
    "resnetrs420.tf_in1k": 85.006,
    "resnet50c.gluon_in1k": 78.012,
    "resnet101c.gluon_in1k": 79.542,
    "resnet152c.gluon_in1k": 79.91,
    "resnet50s.gluon_in1k": 78.718,
    "resnet101s.gluon_in1k": 80.302,
    "resnet152s.gluon_in1k": 81.002,
    "seresnext101_64x4d.gluon_in1k": 80.896,
    "senet154.gluon_in1k": 81.226,
}


def _complete(name: str, cfg: Dict[str, Any]) -> Dict[str, Any]:
    """Fill the fields that follow from the architecture (the pooled map size and the first conv) and top1."""
    arch = name.split(".")[0]
    _, height, width = cfg["input_size"]
    cfg.setdefault("pool_size", (math.ceil(height / 32), math.ceil(width / 32)))
    cfg.setdefault("first_conv", "conv1.0" if RESNETS[arch].get("stem_type") else "conv1")
    if name in _TOP1:
        cfg.setdefault("top1", _TOP1[name])
    return cfg


default_cfgs = generate_default_cfgs({name: _complete(name, cfg) for name, cfg in RESNET_WEIGHTS.items()})


# --- registration -----------------------------------------------------------------------------------

def _create_resnet(variant: str, pretrained: bool = False, **kwargs: Any) -> ResNet:
    return build_model_with_cfg(ResNet, variant, pretrained, **kwargs)


register_variants(RESNETS, _create_resnet, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "tv_resnet34": "resnet34.tv_in1k",
    "tv_resnet50": "resnet50.tv_in1k",
    "tv_resnet101": "resnet101.tv_in1k",
    "tv_resnet152": "resnet152.tv_in1k",
    "tv_resnext50_32x4d": "resnext50_32x4d.tv_in1k",
    "ig_resnext101_32x8d": "resnext101_32x8d.fb_wsl_ig1b_ft_in1k",
    "ig_resnext101_32x16d": "resnext101_32x8d.fb_wsl_ig1b_ft_in1k",
    "ig_resnext101_32x32d": "resnext101_32x8d.fb_wsl_ig1b_ft_in1k",
    "ig_resnext101_32x48d": "resnext101_32x8d.fb_wsl_ig1b_ft_in1k",
    "ssl_resnet18": "resnet18.fb_ssl_yfcc100m_ft_in1k",
    "ssl_resnet50": "resnet50.fb_ssl_yfcc100m_ft_in1k",
    "ssl_resnext50_32x4d": "resnext50_32x4d.fb_ssl_yfcc100m_ft_in1k",
    "ssl_resnext101_32x4d": "resnext101_32x4d.fb_ssl_yfcc100m_ft_in1k",
    "ssl_resnext101_32x8d": "resnext101_32x8d.fb_ssl_yfcc100m_ft_in1k",
    "ssl_resnext101_32x16d": "resnext101_32x16d.fb_ssl_yfcc100m_ft_in1k",
    "swsl_resnet18": "resnet18.fb_swsl_ig1b_ft_in1k",
    "swsl_resnet50": "resnet50.fb_swsl_ig1b_ft_in1k",
    "swsl_resnext50_32x4d": "resnext50_32x4d.fb_swsl_ig1b_ft_in1k",
    "swsl_resnext101_32x4d": "resnext101_32x4d.fb_swsl_ig1b_ft_in1k",
    "swsl_resnext101_32x8d": "resnext101_32x8d.fb_swsl_ig1b_ft_in1k",
    "swsl_resnext101_32x16d": "resnext101_32x16d.fb_swsl_ig1b_ft_in1k",
    "gluon_resnet18_v1b": "resnet18.gluon_in1k",
    "gluon_resnet34_v1b": "resnet34.gluon_in1k",
    "gluon_resnet50_v1b": "resnet50.gluon_in1k",
    "gluon_resnet101_v1b": "resnet101.gluon_in1k",
    "gluon_resnet152_v1b": "resnet152.gluon_in1k",
    "gluon_resnet50_v1c": "resnet50c.gluon_in1k",
    "gluon_resnet101_v1c": "resnet101c.gluon_in1k",
    "gluon_resnet152_v1c": "resnet152c.gluon_in1k",
    "gluon_resnet50_v1d": "resnet50d.gluon_in1k",
    "gluon_resnet101_v1d": "resnet101d.gluon_in1k",
    "gluon_resnet152_v1d": "resnet152d.gluon_in1k",
    "gluon_resnet50_v1s": "resnet50s.gluon_in1k",
    "gluon_resnet101_v1s": "resnet101s.gluon_in1k",
    "gluon_resnet152_v1s": "resnet152s.gluon_in1k",
    "gluon_resnext50_32x4d": "resnext50_32x4d.gluon_in1k",
    "gluon_resnext101_32x4d": "resnext101_32x4d.gluon_in1k",
    "gluon_resnext101_64x4d": "resnext101_64x4d.gluon_in1k",
    "gluon_seresnext50_32x4d": "seresnext50_32x4d.gluon_in1k",
    "gluon_seresnext101_32x4d": "seresnext101_32x4d.gluon_in1k",
    "gluon_seresnext101_64x4d": "seresnext101_64x4d.gluon_in1k",
    "gluon_senet154": "senet154.gluon_in1k",
    "seresnext26tn_32x4d": "seresnext26t_32x4d",
})
