"""Dual Path Networks: every block feeds a residual path (features re-used, summed) and a densely
connected path (new features, concatenated), so the net gets ResNet's re-use and DenseNet's
exploration at once. Checkpoint-compatible with timm's ``dpn`` module (weights ported from the
authors' MXNet release).

Paper: Chen et al., "Dual Path Networks", 2017 (arXiv:1707.01629)

Layout: pre-activation pieces, the dual-path block, the network, then ``DPNS`` (one row per name),
the weight metadata and registration.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import BatchNormAct2d, ConvNormAct, create_classifier, factory_kwargs, get_act_layer

from ._builder import build_model_with_cfg
from ._features import FeatureListNet, FeatureDictNet, feature_take_indices
from ._manipulate import checkpoint
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["DPN", "DualPathBlock"]

LayerFn = Callable[..., nn.Module]
DualMaps = Tuple[torch.Tensor, torch.Tensor]  # (residual path, dense path)

# the MXNet originals used eps 1e-3 everywhere
_BN_EPS = 1e-3


def _cat(x: Union[torch.Tensor, DualMaps]) -> torch.Tensor:
    return torch.cat(x, dim=1) if isinstance(x, tuple) else x


class CatBnAct(nn.Module):
    """Join the two paths and apply the final pre-activation (norm + act) before the head."""

    def __init__(self, in_chs: int, norm_layer: LayerFn, **dd: Any):
        super().__init__()
        self.bn = norm_layer(in_chs, **dd)

    def forward(self, x: Union[torch.Tensor, DualMaps]) -> torch.Tensor:
        return self.bn(_cat(x))


class BnAct(nn.Module):
    """Norm + act only: the 'b' blocks' pre-activation before their two separate output convs."""

    def __init__(self, in_chs: int, norm_layer: LayerFn, **dd: Any):
        super().__init__()
        self.bn = norm_layer(in_chs, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(x)


class BnActConv2d(nn.Module):
    """Pre-activation conv: norm + act, then a bias-free conv."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int, stride: int = 1, groups: int = 1,
                 norm_layer: LayerFn = BatchNormAct2d, **dd: Any):
        super().__init__()
        self.bn = norm_layer(in_chs, **dd)
        self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=kernel_size // 2, groups=groups,
                              bias=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.bn(x))


class DualPathBlock(nn.Module):
    """1x1 -> grouped 3x3 -> 1x1 bottleneck whose output splits into ``num_1x1_c`` channels added to the
    residual path and ``inc`` channels appended to the dense path.

    ``block_type``: 'proj' (first block of stage 2) and 'down' (first block of stages 3-5, stride 2)
    project the input into fresh (residual, 2 * inc dense) paths; 'normal' blocks take the previous
    block's pair. ``b`` variants (DPN-68b) split the last 1x1 into two convs after a shared pre-activation.
    """

    def __init__(
        self, in_chs: int, num_1x1_a: int, num_3x3_b: int, num_1x1_c: int, inc: int, groups: int,
        block_type: str = "normal", b: bool = False, norm_layer: LayerFn = BatchNormAct2d, **dd: Any,
    ):
        super().__init__()
        if block_type not in ("proj", "down", "normal"):
            raise ValueError(f"block_type must be 'proj', 'down' or 'normal', got {block_type!r}")
        self.num_1x1_c = num_1x1_c
        self.inc = inc
        self.b = b
        stride = 2 if block_type == "down" else 1
        bnc = partial(BnActConv2d, norm_layer=norm_layer, **dd)
        # the projection's attribute name (stride 1 or 2) is part of the checkpoint layout
        if block_type == "proj":
            self.c1x1_w_s1 = bnc(in_chs, num_1x1_c + 2 * inc, 1)
            self.c1x1_w_s2 = None
        elif block_type == "down":
            self.c1x1_w_s1 = None
            self.c1x1_w_s2 = bnc(in_chs, num_1x1_c + 2 * inc, 1, stride=2)
        else:
            self.c1x1_w_s1 = self.c1x1_w_s2 = None
        self.c1x1_a = bnc(in_chs, num_1x1_a, 1)
        self.c3x3_b = bnc(num_1x1_a, num_3x3_b, 3, stride=stride, groups=groups)
        if b:
            self.c1x1_c = BnAct(num_3x3_b, norm_layer, **dd)
            self.c1x1_c1 = nn.Conv2d(num_3x3_b, num_1x1_c, 1, bias=False, **dd)
            self.c1x1_c2 = nn.Conv2d(num_3x3_b, inc, 1, bias=False, **dd)
        else:
            self.c1x1_c = bnc(num_3x3_b, num_1x1_c + inc, 1)
            self.c1x1_c1 = self.c1x1_c2 = None

    def forward(self, x: Union[torch.Tensor, DualMaps]) -> DualMaps:
        x_in = _cat(x)
        proj = self.c1x1_w_s1 if self.c1x1_w_s1 is not None else self.c1x1_w_s2
        if proj is not None:
            x_s = proj(x_in)
            x_s1, x_s2 = x_s[:, :self.num_1x1_c], x_s[:, self.num_1x1_c:]
        else:
            x_s1, x_s2 = x
        x_in = self.c3x3_b(self.c1x1_a(x_in))
        x_in = self.c1x1_c(x_in)
        if self.b:
            out1, out2 = self.c1x1_c1(x_in), self.c1x1_c2(x_in)
        else:
            out1, out2 = x_in[:, :self.num_1x1_c], x_in[:, self.num_1x1_c:]
        return x_s1 + out1, torch.cat([x_s2, out2], dim=1)


class DPN(nn.Module):
    """Stem (3x3 for the small nets, else 7x7, then a max pool), four stages of dual-path blocks named
    ``conv{stage}_{block}`` inside ``features``, the joined paths' pre-activation, and a 1x1-conv classifier.

    ``k_r`` / ``groups`` set the bottleneck width and cardinality, ``k_sec`` the blocks per stage,
    ``inc_sec`` each stage's dense-path growth. ``small`` uses the narrow residual paths of DPN-68.
    """

    def __init__(
        self,
        k_sec: Sequence[int] = (3, 4, 20, 3),
        inc_sec: Sequence[int] = (16, 32, 24, 128),
        k_r: int = 96,
        groups: int = 32,
        num_classes: int = 1000,
        in_chans: int = 3,
        output_stride: int = 32,
        global_pool: str = "avg",
        small: bool = False,
        num_init_features: int = 64,
        b: bool = False,
        drop_rate: float = 0.0,
        norm_layer: str = "batchnorm",
        act_layer: Union[str, LayerFn] = "relu",
        fc_act_layer: Union[str, LayerFn, None] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride != 32:
            raise ValueError(f"DPN supports output_stride=32 only, got {output_stride}")
        if norm_layer != "batchnorm":
            raise ValueError(f"DPN uses batch norm (norm_layer='batchnorm'), got {norm_layer!r}")
        act_layer = get_act_layer(act_layer)
        fc_act_layer = get_act_layer(fc_act_layer) if fc_act_layer is not None else act_layer
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.b = b
        self.grad_checkpointing = False
        # the blocks keep ReLU whatever the stem's activation (as the reference's checkpoints were trained)
        block_norm = partial(BatchNormAct2d, eps=_BN_EPS)
        bw_factor = 1 if small else 4

        blocks: "OrderedDict[str, nn.Module]" = OrderedDict()
        blocks["conv1_1"] = ConvNormAct(
            in_chans, num_init_features, kernel_size=3 if small else 7, stride=2, norm_kwargs=dict(eps=_BN_EPS),
            act_layer=act_layer, **dd)
        blocks["conv1_pool"] = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.feature_info = [dict(num_chs=num_init_features, reduction=2, module="features.conv1_1")]

        in_chs = num_init_features
        for stage_idx, (num_blocks, inc) in enumerate(zip(k_sec, inc_sec)):
            bw = 64 * bw_factor * 2 ** stage_idx
            r = (k_r * bw) // (64 * bw_factor)
            for block_idx in range(num_blocks):
                block_type = "normal" if block_idx else ("proj" if stage_idx == 0 else "down")
                blocks[f"conv{stage_idx + 2}_{block_idx + 1}"] = DualPathBlock(
                    in_chs, r, r, bw, inc, groups, block_type, b, norm_layer=block_norm, **dd)
                in_chs = bw + 3 * inc if block_idx == 0 else in_chs + inc
            self.feature_info.append(dict(
                num_chs=in_chs, reduction=4 * 2 ** stage_idx, module=f"features.conv{stage_idx + 2}_{num_blocks}"))
        blocks["conv5_bn_ac"] = CatBnAct(
            in_chs, partial(BatchNormAct2d, eps=_BN_EPS, act_layer=fc_act_layer, inplace=False), **dd)
        self.features = nn.Sequential(blocks)

        self.num_features = self.head_hidden_size = in_chs
        self._dd = dd
        self.global_pool, self.classifier = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, use_conv=True, **dd)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^features\.conv1",
            blocks=[
                (r"^features\.conv(\d+)" if coarse else r"^features\.conv(\d+)_(\d+)", None),
                (r"^features\.conv5_bn_ac", (99999,)),
            ],
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
            self.num_features, num_classes, pool_type=global_pool, use_conv=True, **self._dd)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()

    def _points(self) -> List[str]:
        return [info["module"].split(".")[-1] for info in self.feature_info]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the 5 feature points (stem conv, last block of each stage, the two paths
        concatenated). The final map is ``forward_features``' unless ``stop_early`` cut the run short."""
        if output_fmt != "NCHW":
            raise ValueError(f"DPN feature maps are NCHW only, got output_fmt={output_fmt!r}")
        points = self._points()
        take_indices, max_index = feature_take_indices(len(points), indices)
        point_index = {name: i for i, name in enumerate(points)}
        intermediates = []
        for name, module in self.features.named_children():
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = checkpoint(module, x, use_reentrant=False)
            else:
                x = module(x)
            idx = point_index.get(name)
            if idx is None:
                continue
            if idx in take_indices:
                intermediates.append(_cat(x))
            if (stop_early or intermediates_only) and idx >= max_index:
                break
        if intermediates_only:
            return intermediates
        return _cat(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the blocks after the last feature point asked for (the final norm too unless that is the last
        stage and ``prune_norm`` is False), and the head."""
        points = self._points()
        take_indices, max_index = feature_take_indices(len(points), indices)
        names = [name for name, _ in self.features.named_children()]
        keep_upto = names.index(points[max_index])
        if max_index == len(points) - 1 and not prune_norm:
            keep_upto = len(names) - 1
        for name in names[keep_upto + 1:]:
            delattr(self.features, name)
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            for module in self.features:
                x = checkpoint(module, x, use_reentrant=False)
            return _cat(x)
        return _cat(self.features(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.global_pool(x)
        if self.drop_rate > 0.0:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        if pre_logits:
            return self.flatten(x)
        return self.flatten(self.classifier(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

DPNS: Dict[str, Dict[str, Any]] = {
    "dpn48b": dict(small=True, num_init_features=10, k_r=128, groups=32, b=True, k_sec=(3, 4, 6, 3),
                   inc_sec=(16, 32, 32, 64), act_layer="silu"),
    "dpn68": dict(small=True, num_init_features=10, k_r=128, groups=32, k_sec=(3, 4, 12, 3),
                  inc_sec=(16, 32, 32, 64)),
    "dpn68b": dict(small=True, num_init_features=10, k_r=128, groups=32, b=True, k_sec=(3, 4, 12, 3),
                   inc_sec=(16, 32, 32, 64)),
    "dpn92": dict(num_init_features=64, k_r=96, groups=32, k_sec=(3, 4, 20, 3), inc_sec=(16, 32, 24, 128)),
    "dpn98": dict(num_init_features=96, k_r=160, groups=40, k_sec=(3, 6, 20, 3), inc_sec=(16, 32, 32, 128)),
    "dpn131": dict(num_init_features=128, k_r=160, groups=40, k_sec=(4, 8, 28, 3), inc_sec=(16, 32, 32, 128)),
    "dpn107": dict(num_init_features=128, k_r=200, groups=50, k_sec=(4, 8, 20, 3), inc_sec=(20, 64, 64, 128)),
}


# --- weight metadata --------------------------------------------------------------------------------

_DPN_MEAN = (124 / 255, 117 / 255, 104 / 255)
_DPN_STD = (1 / (0.0167 * 255),) * 3
_IMAGENET = dict(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.875,
        interpolation="bicubic", mean=_DPN_MEAN, std=_DPN_STD, first_conv="features.conv1_1.conv",
        classifier="classifier", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


DPN_WEIGHTS = {
    "dpn48b.untrained": _cfg(hf_hub_id=None, **_IMAGENET),
    "dpn68.mx_in1k": _cfg(),
    "dpn68b.ra_in1k": _cfg(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0, **_IMAGENET),
    "dpn68b.mx_in1k": _cfg(),
    "dpn92.mx_in1k": _cfg(),
    "dpn98.mx_in1k": _cfg(),
    "dpn107.mx_in1k": _cfg(),
    "dpn131.mx_in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(DPN_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_dpn(variant: str, pretrained: bool = False, **kwargs: Any) -> nn.Module:
    # a stage's last block returns the (residual, dense) pair: the feature wrapper concatenates it
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3, 4))
    feature_cls = kwargs.pop("feature_cls", "list")
    output_fmt = kwargs.pop("output_fmt", "NCHW")
    model = build_model_with_cfg(DPN, variant, pretrained, **kwargs)
    if not features_only:
        return model
    if feature_cls not in ("list", "dict"):
        raise ValueError(f"DPN features_only supports feature_cls 'list' or 'dict', got {feature_cls!r}")
    wrapper = FeatureListNet if feature_cls == "list" else FeatureDictNet
    features = wrapper(model, out_indices, output_fmt=output_fmt, feature_concat=True, flatten_sequential=True)
    features.pretrained_cfg = features.default_cfg = model.pretrained_cfg
    return features


register_variants(DPNS, _create_dpn, globals())
