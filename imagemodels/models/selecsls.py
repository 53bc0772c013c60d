"""SelecSLS: selective long- and short-range skip connections, a CNN built for fast multi-person 3D
pose estimation (XNect). Each block chains three 3x3 / 1x1 pairs, concatenates their outputs
(short-range skips) and, after a stage's first block, the stage's first output (the long-range skip).
Checkpoint-compatible with timm's ``selecsls`` module.

Paper: Mehta et al., "XNect: Real-time Multi-Person 3D Motion Capture with a Single RGB Camera", 2019
(arXiv:1907.00837)
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import create_classifier, factory_kwargs

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._features import feature_take_indices
from ._manipulate import checkpoint
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["SelecSls", "SelecSlsBlock"]

Pair = List[torch.Tensor]  # [block output, the stage's long-range skip]


def conv_bn(in_chs: int, out_chs: int, kernel_size: int = 3, stride: int = 1, **dd: Any) -> nn.Sequential:
    """conv -> BN -> ReLU as a plain Sequential (keys ``0.weight`` / ``1.*``: the checkpoint layout)."""
    return nn.Sequential(
        nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=kernel_size // 2, bias=False, **dd),
        nn.BatchNorm2d(out_chs, **dd),
        nn.ReLU(inplace=True),
    )


class SelecSlsBlock(nn.Module):
    """3x3 (strided for a stage's first block) -> [1x1 -> 3x3 half] x 2, the three outputs concatenated
    (plus the long-range skip after the first block) and fused by a 1x1 to ``out_chs``.

    Takes and returns ``[x, skip]``; a stage's first block makes its own output the skip.
    """

    def __init__(self, in_chs: int, skip_chs: int, mid_chs: int, out_chs: int, is_first: bool, stride: int,
                 **dd: Any):
        super().__init__()
        self.is_first = is_first
        self.conv1 = conv_bn(in_chs, mid_chs, 3, stride, **dd)
        self.conv2 = conv_bn(mid_chs, mid_chs, 1, **dd)
        self.conv3 = conv_bn(mid_chs, mid_chs // 2, 3, **dd)
        self.conv4 = conv_bn(mid_chs // 2, mid_chs, 1, **dd)
        self.conv5 = conv_bn(mid_chs, mid_chs // 2, 3, **dd)
        self.conv6 = conv_bn(2 * mid_chs + (0 if is_first else skip_chs), out_chs, 1, **dd)

    def forward(self, x: Pair) -> Pair:
        d1 = self.conv1(x[0])
        d2 = self.conv3(self.conv2(d1))
        d3 = self.conv5(self.conv4(d2))
        if self.is_first:
            out = self.conv6(torch.cat([d1, d2, d3], 1))
            return [out, out]
        return [self.conv6(torch.cat([d1, d2, d3, x[1]], 1)), x[1]]


class SelecSls(nn.Module):
    """3x3 stride-2 stem, SelecSLS stages, then four plain convs (the 'head' of the original, at strides 32
    and 64) before global pooling and a linear classifier.

    ``stages``: one ``(mid_chs, block_out_chs)`` per stage, the first block strided with
    ``block_out_chs[0] == mid_chs``. ``head``: one ``(out_chs, kernel_size, stride)`` per conv.
    Feature points: the stem, each stage's last block, ``head.1`` and ``head.3``.
    """

    def __init__(
        self,
        stages: Sequence[Tuple[int, Sequence[int]]],
        head: Sequence[Tuple[int, int, int]],
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"SelecSls supports output_stride=32 only, got {output_stride}")
        if len(head) != 4:
            raise ValueError(f"head needs 4 (out_chs, kernel_size, stride) rows, got {len(head)}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.grad_checkpointing = False

        self.stem = conv_bn(in_chans, 32, 3, stride=2, **dd)
        self.feature_info = [dict(num_chs=32, reduction=2, module="stem.2")]
        blocks, in_chs, reduction = [], 32, 2
        for mid_chs, outs in stages:
            if outs[0] != mid_chs:
                raise ValueError(f"a stage's first block outputs its mid width: got {outs[0]} for mid {mid_chs}")
            for i, out_chs in enumerate(outs):
                blocks.append(SelecSlsBlock(in_chs, outs[0], mid_chs, out_chs, i == 0, 2 if i == 0 else 1, **dd))
                in_chs = out_chs
            reduction *= 2
            self.feature_info.append(dict(num_chs=in_chs, reduction=reduction, module=f"features.{len(blocks) - 1}"))
        self.features = nn.Sequential(*blocks)

        convs = []
        for i, (out_chs, kernel_size, stride) in enumerate(head):
            convs.append(conv_bn(in_chs, out_chs, kernel_size, stride, **dd))
            in_chs, reduction = out_chs, reduction * stride
            if i % 2:
                self.feature_info.append(dict(num_chs=out_chs, reduction=reduction, module=f"head.{i}"))
        self.head = nn.Sequential(*convs)

        self.num_features = self.head_hidden_size = in_chs
        self._dd = dd
        self.global_pool, self.head_drop, self.fc = create_classifier(
            in_chs, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, str]:
        return dict(stem=r"^stem", blocks=r"^features\.(\d+)", blocks_head=r"^head")

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _run(self, module: nn.Module, x: Any) -> Any:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint(module, x, use_reentrant=False)
        return module(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the feature points (stem, each stage's end, head.1, head.3)."""
        if output_fmt != "NCHW":
            raise ValueError(f"SelecSls feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        stop = stop_early or intermediates_only
        intermediates = []
        x = self.stem(x)
        if 0 in take_indices:
            intermediates.append(x)
        ends = {int(info["module"].split(".")[1]): i for i, info in enumerate(self.feature_info)
                if info["module"].startswith("features.")}
        pair: Pair = [x]
        last_feat = 0
        for block_idx, block in enumerate(self.features):
            pair = self._run(block, pair)
            if block_idx in ends:
                last_feat = ends[block_idx]
                if last_feat in take_indices:
                    intermediates.append(pair[0])
                if stop and last_feat >= max_index:
                    break
        x = pair[0]
        if not (stop and last_feat >= max_index):
            for i, conv in enumerate(self.head):
                x = self._run(conv, x)
                if i % 2:
                    last_feat += 1
                    if last_feat in take_indices:
                        intermediates.append(x)
                    if stop and last_feat >= max_index:
                        break
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the blocks / head convs after the last feature point asked for (and the classifier)."""
        take_indices, max_index = feature_take_indices(len(self.feature_info), indices)
        module = self.feature_info[max_index]["module"]
        if module.startswith("head."):
            self.head = self.head[:int(module.split(".")[1]) + 1]
        else:
            if module.startswith("features."):
                self.features = self.features[:int(module.split(".")[1]) + 1]
            else:
                self.features = nn.Sequential()
            self.head = nn.Sequential()
        self.num_features = self.feature_info[max_index]["num_chs"]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        pair: Pair = [self.stem(x)]
        for block in self.features:
            pair = self._run(block, pair)
        x = pair[0]
        for conv in self.head:
            x = self._run(conv, x)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# stages: (mid width, each block's output width); head: (out, kernel, stride) per conv. The 'b' nets end
# the head 1280 -> 1024 instead of 1024 -> 1280.

_STAGES42 = ((64, (64, 128)), (144, (144, 288)), (304, (304, 480)))
_STAGES60 = ((64, (64, 128)), (128, (128, 128, 288)), (288, (288, 288, 288, 416)))
_STAGES84 = ((64, (64, 144)), (144, (144, 144, 144, 144, 304)), (304, (304, 304, 304, 304, 304, 512)))
SELECSLS: Dict[str, Dict[str, Any]] = {
    "selecsls42": dict(stages=_STAGES42, head=((960, 3, 2), (1024, 3, 1), (1024, 3, 2), (1280, 1, 1))),
    "selecsls42b": dict(stages=_STAGES42, head=((960, 3, 2), (1024, 3, 1), (1280, 3, 2), (1024, 1, 1))),
    "selecsls60": dict(stages=_STAGES60, head=((756, 3, 2), (1024, 3, 1), (1024, 3, 2), (1280, 1, 1))),
    "selecsls60b": dict(stages=_STAGES60, head=((756, 3, 2), (1024, 3, 1), (1280, 3, 2), (1024, 1, 1))),
    "selecsls84": dict(stages=_STAGES84, head=((960, 3, 2), (1024, 3, 1), (1024, 3, 2), (1280, 3, 1))),
}


# --- weight metadata --------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(4, 4), crop_pct=0.875,
        interpolation="bicubic", first_conv="stem.0", classifier="fc", license="cc-by-4.0",
    )
    cfg.update(kwargs)
    return cfg


SELECSLS_WEIGHTS = {
    "selecsls42.untrained": _cfg(hf_hub_id=None),
    "selecsls42b.in1k": _cfg(),
    "selecsls60.in1k": _cfg(),
    "selecsls60b.in1k": _cfg(),
    "selecsls84.untrained": _cfg(hf_hub_id=None),
}

default_cfgs = generate_default_cfgs(SELECSLS_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_selecsls(variant: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    model = build_model_with_cfg(SelecSls, variant, pretrained, **kwargs)
    if features_only:  # blocks pass [x, skip] pairs: the maps come from forward_intermediates
        cfg = model.pretrained_cfg
        model = FeatureIntermediatesNet(model, out_indices, layout="flat")
        model.pretrained_cfg = model.default_cfg = cfg
    return model


register_variants(SELECSLS, _create_selecsls, globals())
