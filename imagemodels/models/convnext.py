"""ConvNeXt V1 and V2: a ResNet modernised step by step towards a vision transformer's design.
Checkpoint-compatible with timm's ``convnext`` module.

Papers:

* Liu et al., "A ConvNet for the 2020s", 2022 (arXiv:2201.03545)
* Woo et al., "ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders" (GRN), 2023
  (arXiv:2301.00808)

A block is a 7x7 depthwise conv, a norm, and an inverted MLP (x4) with a learned per-channel scale
(layer scale, V1) or Global Response Normalization inside the MLP (V2), plus a residual. Four stages
after a stride-4 patchify stem; between stages a norm and a 2x2 stride-2 conv. The trunk ends
without a norm: the head pools, then normalizes (``head_norm_first`` normalizes first, as the
original code did for one model).

``conv_mlp`` keeps the MLP as 1x1 convs on NCHW (faster for the small models); otherwise the block
permutes to NHWC and uses linears. Both give the same function and the same weight shapes except
that 1x1 conv weights carry two trailing singleton dims.

Layout: blocks and the network, then ``CONVNEXTS`` (one row per registered name), then the weight
metadata, then registration.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    calculate_drop_path_rates,
    ClassifierHead, DropPath, GlobalResponseNormMlp, LayerNorm, LayerNorm2d, Mlp, NormMlpClassifierHead, RmsNorm,
    RmsNorm2d, SimpleNorm, SimpleNorm2d, add_into, can_overwrite, create_conv2d, factory_kwargs, get_act_layer,
    make_divisible, to_ntuple,
    trunc_normal_,
)
from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import (
    IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, generate_default_cfgs,
)
from ._registry import register_model_deprecations, register_variants

__all__ = ["ConvNeXt", "ConvNeXtBlock", "ConvNeXtStage"]

LayerFn = Callable[..., nn.Module]

# norm name -> (NCHW norm for stem / downsample / conv-MLP blocks, NHWC norm for linear-MLP blocks)
_NORMS: Dict[str, Tuple[LayerFn, LayerFn]] = {
    "layernorm": (LayerNorm2d, LayerNorm),
    "layernorm2d": (LayerNorm2d, LayerNorm),
    "rmsnorm": (RmsNorm2d, RmsNorm),
    "rmsnorm2d": (RmsNorm2d, RmsNorm),
    "simplenorm": (SimpleNorm2d, SimpleNorm),
    "simplenorm2d": (SimpleNorm2d, SimpleNorm),
}


def _norm_layers(norm_layer: Union[str, LayerFn, None], conv_mlp: bool, norm_eps: Optional[float]) -> Tuple[LayerFn, LayerFn]:
    """(NCHW norm, the blocks' norm); a class given by the caller is used for both."""
    if norm_layer is None:
        norm_layer = "layernorm"
    if isinstance(norm_layer, str):
        key = norm_layer.lower().replace("_", "")
        if key not in _NORMS:
            raise ValueError(f"norm_layer must be one of {sorted(_NORMS)} or a class, got {norm_layer!r}")
        norm_2d, norm_cl = _NORMS[key]
    else:
        norm_2d = norm_cl = norm_layer
    if conv_mlp:
        norm_cl = norm_2d
    if norm_eps is not None:
        norm_2d, norm_cl = partial(norm_2d, eps=norm_eps), partial(norm_cl, eps=norm_eps)
    return norm_2d, norm_cl


class Downsample(nn.Module):
    """Shortcut of a block that changes width or stride: 2x2 average pool, then a 1x1 conv."""

    def __init__(self, in_chs: int, out_chs: int, stride: int = 1, dilation: int = 1, device: Any = None, dtype: Any = None):
        super().__init__()
        if stride > 1 and dilation == 1:
            self.pool = nn.AvgPool2d(2, stride=stride, ceil_mode=True, count_include_pad=False)
        else:
            self.pool = nn.Identity()  # a dilated block keeps the resolution
        if in_chs != out_chs:
            self.conv = create_conv2d(in_chs, out_chs, 1, stride=1, bias=False, **factory_kwargs(device, dtype))
        else:
            self.conv = nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.pool(x))


class ConvNeXtBlock(nn.Module):
    """depthwise conv -> norm -> MLP (x ``mlp_ratio``) -> layer scale -> drop path -> + shortcut.

    ``conv_mlp`` runs the norm and MLP on NCHW with 1x1 convs; otherwise they run on NHWC with
    linears (``norm_layer`` must then be a channels-last norm). ``use_grn`` puts Global Response
    Normalization inside the MLP (V2). ``ls_init_value=None`` means no layer scale.
    """

    def __init__(
        self,
        in_chs: int,
        out_chs: Optional[int] = None,
        kernel_size: int = 7,
        stride: int = 1,
        dilation: Union[int, Tuple[int, int]] = (1, 1),
        mlp_ratio: float = 4,
        conv_mlp: bool = False,
        conv_bias: bool = True,
        use_grn: bool = False,
        ls_init_value: Optional[float] = 1e-6,
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: Optional[LayerFn] = None,
        drop_path: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        out_chs = out_chs or in_chs
        dilation = to_ntuple(2)(dilation)
        act_layer = get_act_layer(act_layer)
        if not norm_layer:
            norm_layer = LayerNorm2d if conv_mlp else LayerNorm
        mlp_layer = partial(GlobalResponseNormMlp if use_grn else Mlp, use_conv=conv_mlp)
        self.use_conv_mlp = conv_mlp
        self.conv_dw = create_conv2d(
            in_chs, out_chs, kernel_size, stride=stride, dilation=dilation[0], depthwise=True, bias=conv_bias, **dd)
        self.norm = norm_layer(out_chs, **dd)
        self.mlp = mlp_layer(out_chs, int(mlp_ratio * out_chs), act_layer=act_layer, **dd)
        self.gamma = nn.Parameter(ls_init_value * torch.ones(out_chs, **dd)) if ls_init_value is not None else None
        if in_chs != out_chs or stride != 1 or dilation[0] != dilation[1]:
            self.shortcut = Downsample(in_chs, out_chs, stride=stride, dilation=dilation[0], **dd)
        else:
            self.shortcut = nn.Identity()
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.conv_dw(x)
        if self.use_conv_mlp:
            x = self.mlp(self.norm(x))
        else:
            x = self.mlp(self.norm(x.permute(0, 2, 3, 1))).permute(0, 3, 1, 2)
        if can_overwrite(x, self):  # inference: scale and residual sum land in the MLP's fresh output
            if self.gamma is not None:
                x = x.mul_(self.gamma.reshape(1, -1, 1, 1))
            return add_into(self.drop_path(x), self.shortcut(shortcut))
        if self.gamma is not None:
            x = x * self.gamma.reshape(1, -1, 1, 1)
        return self.drop_path(x) + self.shortcut(shortcut)


class ConvNeXtStage(nn.Module):
    """Optional downsample (norm, then a strided or dilated conv), then ``depth`` blocks."""

    def __init__(
        self,
        in_chs: int,
        out_chs: int,
        kernel_size: int = 7,
        stride: int = 2,
        depth: int = 2,
        dilation: Tuple[int, int] = (1, 1),
        drop_path_rates: Optional[Sequence[float]] = None,
        ls_init_value: Optional[float] = 1.0,
        conv_mlp: bool = False,
        conv_bias: bool = True,
        use_grn: bool = False,
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: Optional[LayerFn] = None,
        norm_layer_cl: Optional[LayerFn] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        """``dilation`` = (dilation entering the stage, dilation inside it); they differ when the stage
        would have downsampled but ``output_stride`` keeps the resolution."""
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.grad_checkpointing = False
        if in_chs != out_chs or stride > 1 or dilation[0] != dilation[1]:
            kernel = 2 if stride > 1 or dilation[0] != dilation[1] else 1
            # a dilated 2x2 conv has no symmetric padding: 'same' pads it on the fly
            padding = "same" if dilation[1] > 1 else 0
            self.downsample = nn.Sequential(
                norm_layer(in_chs, **dd),
                create_conv2d(in_chs, out_chs, kernel, stride=stride, dilation=dilation[0], padding=padding,
                              bias=conv_bias, **dd),
            )
            in_chs = out_chs
        else:
            self.downsample = nn.Identity()
        drop_path_rates = drop_path_rates or [0.0] * depth
        self.blocks = nn.Sequential(*[
            ConvNeXtBlock(
                in_chs if i == 0 else out_chs, out_chs, kernel_size=kernel_size, dilation=dilation[1],
                drop_path=drop_path_rates[i], ls_init_value=ls_init_value, conv_mlp=conv_mlp, conv_bias=conv_bias,
                use_grn=use_grn, act_layer=act_layer, norm_layer=norm_layer if conv_mlp else norm_layer_cl, **dd,
            )
            for i in range(depth)
        ])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


def _make_stem(
    stem_type: str, in_chans: int, out_chs: int, patch_size: int, conv_bias: bool, act_layer: LayerFn,
    norm_layer: LayerFn, dd: Dict[str, Any],
) -> nn.Sequential:
    """Stride-4 stem: 'patch' is one patch_size x patch_size conv; 'overlap' two stride-2 3x3 convs
    ('_tiered': the first half as wide, '_act': an activation between them); then a norm."""
    if stem_type == "patch":
        return nn.Sequential(
            nn.Conv2d(in_chans, out_chs, kernel_size=patch_size, stride=patch_size, bias=conv_bias, **dd),
            norm_layer(out_chs, **dd),
        )
    mid_chs = make_divisible(out_chs // 2) if "tiered" in stem_type else out_chs
    layers: List[nn.Module] = [nn.Conv2d(in_chans, mid_chs, kernel_size=3, stride=2, padding=1, bias=conv_bias, **dd)]
    if "act" in stem_type:
        layers.append(act_layer())
    layers += [
        nn.Conv2d(mid_chs, out_chs, kernel_size=3, stride=2, padding=1, bias=conv_bias, **dd),
        norm_layer(out_chs, **dd),
    ]
    return nn.Sequential(*layers)


_STEM_TYPES = ("patch", "overlap", "overlap_tiered", "overlap_act")


class ConvNeXt(nn.Module):
    """ConvNeXt V1 / V2, configured by arguments.

    ``depths`` / ``dims``: blocks and width per stage. ``kernel_sizes``: depthwise kernel (one for
    all stages or one per stage). ``ls_init_value``: layer scale init (None: no layer scale, as V2).
    ``use_grn``: V2's Global Response Norm. ``conv_mlp``: NCHW 1x1-conv MLPs. ``head_norm_first``:
    norm before pooling instead of after. ``head_hidden_size``: a Linear + GELU before the classifier.
    ``norm_layer``: 'layernorm' (default), 'rmsnorm' or 'simplenorm' (or a class), ``norm_eps`` its eps.
    ``output_stride`` 8 or 16 dilates the last stages instead of downsampling.
    """

    def __init__(
        self,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        output_stride: int = 32,
        depths: Sequence[int] = (3, 3, 9, 3),
        dims: Sequence[int] = (96, 192, 384, 768),
        kernel_sizes: Union[int, Sequence[int]] = 7,
        ls_init_value: Optional[float] = 1e-6,
        stem_type: str = "patch",
        patch_size: int = 4,
        head_init_scale: float = 1.0,
        head_norm_first: bool = False,
        head_hidden_size: Optional[int] = None,
        conv_mlp: bool = False,
        conv_bias: bool = True,
        use_grn: bool = False,
        act_layer: Union[str, LayerFn] = "gelu",
        norm_layer: Union[str, LayerFn, None] = None,
        norm_eps: Optional[float] = None,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if output_stride not in (8, 16, 32):
            raise ValueError(f"output_stride must be 8, 16 or 32, got {output_stride}")
        if stem_type not in _STEM_TYPES:
            raise ValueError(f"stem_type must be one of {_STEM_TYPES}, got {stem_type!r}")
        if len(depths) != len(dims):
            raise ValueError(f"depths and dims need one entry per stage, got {len(depths)} and {len(dims)}")
        num_stages = len(depths)
        kernel_sizes = to_ntuple(num_stages)(kernel_sizes)
        act_layer = get_act_layer(act_layer)
        norm_2d, norm_cl = _norm_layers(norm_layer, conv_mlp, norm_eps)

        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.feature_info: List[Dict[str, Any]] = []
        self._dd = dd

        self.stem = _make_stem(stem_type, in_chans, dims[0], patch_size, conv_bias, act_layer, norm_2d, dd)
        net_stride = patch_size if stem_type == "patch" else 4  # after the stem
        dilation = 1
        dp_rates = calculate_drop_path_rates(drop_path_rate, depths, stagewise=True)
        stages = []
        prev_chs = dims[0]
        for i in range(num_stages):
            # a stride-2 stem leaves the first stage to downsample, so stage 0 is still at stride 4
            stride = 2 if i > 0 or net_stride == 2 else 1
            if net_stride >= output_stride and stride > 1:
                dilation *= stride
                stride = 1
            net_stride *= stride
            first_dilation = 1 if dilation in (1, 2) else 2
            stages.append(ConvNeXtStage(
                prev_chs, dims[i], kernel_size=kernel_sizes[i], stride=stride, depth=depths[i],
                dilation=(first_dilation, dilation), drop_path_rates=dp_rates[i], ls_init_value=ls_init_value,
                conv_mlp=conv_mlp, conv_bias=conv_bias, use_grn=use_grn, act_layer=act_layer, norm_layer=norm_2d,
                norm_layer_cl=norm_cl, **dd,
            ))
            prev_chs = dims[i]
            self.feature_info.append(dict(num_chs=prev_chs, reduction=net_stride, module=f"stages.{i}"))
        self.stages = nn.Sequential(*stages)
        self.num_features = prev_chs

        if head_norm_first:
            # the original 'hnf' ordering: normalize the map, then pool
            self.norm_pre = norm_2d(self.num_features, **dd)
            self.head = ClassifierHead(self.num_features, num_classes, pool_type=global_pool, drop_rate=drop_rate, **dd)
        else:
            self.norm_pre = nn.Identity()
            self.head = NormMlpClassifierHead(
                self.num_features, num_classes, hidden_size=head_hidden_size, pool_type=global_pool,
                drop_rate=drop_rate, norm_layer=norm_2d, act_layer="gelu", **dd,
            )
        self.head_hidden_size = getattr(self.head, "num_features", self.num_features)
        self.init_weights(head_init_scale)

    def init_weights(self, head_init_scale: float = 1.0) -> None:
        for name, m in self.named_modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
                if name == "head.fc":
                    m.weight.data.mul_(head_init_scale)
                    m.bias.data.mul_(head_init_scale)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        if coarse:
            return dict(stem=r"^stem", blocks=r"^stages\.(\d+)")
        return dict(stem=r"^stem", blocks=[
            (r"^stages\.(\d+)\.downsample", (0,)),  # a stage's downsample groups before its blocks
            (r"^stages\.(\d+)\.blocks\.(\d+)", None),
            (r"^norm_pre", (99999,)),
        ])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        for stage in self.stages:
            stage.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = global_pool
        self.head.reset(num_classes, global_pool)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Stage outputs at ``indices`` (None: all, int: the last n, or a list), as in ``feature_info``.

        ``norm`` applies ``norm_pre`` to the last stage's map (only ``head_norm_first`` models have one).
        Returns ``(final_features, maps)``, or only the maps with ``intermediates_only``.
        """
        if output_fmt != "NCHW":
            raise ValueError(f"ConvNeXt feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        last_idx = len(self.stages) - 1
        intermediates = []
        x = self.stem(x)
        stages = self.stages if not stop_early else self.stages[:max_index + 1]
        for feat_idx, stage in enumerate(stages):
            x = stage(x)
            if feat_idx in take_indices:
                intermediates.append(self.norm_pre(x) if norm and feat_idx == last_idx else x)
        if intermediates_only:
            return intermediates
        if feat_idx == last_idx:
            x = self.norm_pre(x)
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Keep the stages up to the last of ``indices``; the head and final norm go when stages do."""
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        if max_index < len(self.stages) - 1:
            prune_norm = prune_head = True  # they were sized for the last stage
        self.stages = self.stages[:max_index + 1]
        if prune_norm:
            self.norm_pre = nn.Identity()
        if prune_head:
            self.global_pool = ""
            self.num_classes = 0
            if isinstance(self.head, NormMlpClassifierHead):
                self.head.reset(0, "", reset_other=True)
            else:
                self.head.reset(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stages(self.stem(x))
        return self.norm_pre(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        return self.head(x, pre_logits=True) if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# V1 sizes follow the paper (T/S/B/L/XL); the small 'atto'..'nano' models (and '_ols': overlapping
# 3x3 stem) are timm's, with conv MLPs; V2 drops layer scale for GRN.

_T, _S = dict(depths=(3, 3, 9, 3)), dict(depths=(3, 3, 27, 3))
_SMALL = dict(depths=(2, 2, 6, 2), conv_mlp=True)
_V2 = dict(use_grn=True, ls_init_value=None)
_TEST = dict(norm_eps=1e-5, act_layer="gelu_tanh")

CONVNEXTS: Dict[str, Dict[str, Any]] = {
    "convnext_zepto_rms": dict(_SMALL, depths=(2, 2, 4, 2), dims=(32, 64, 128, 256), norm_layer="simplenorm"),
    "convnext_zepto_rms_ols": dict(
        _SMALL, depths=(2, 2, 4, 2), dims=(32, 64, 128, 256), norm_layer="simplenorm", stem_type="overlap_act"),
    "convnext_atto": dict(_SMALL, dims=(40, 80, 160, 320)),
    "convnext_atto_ols": dict(_SMALL, dims=(40, 80, 160, 320), stem_type="overlap_tiered"),
    "convnext_atto_rms": dict(_SMALL, dims=(40, 80, 160, 320), norm_layer="rmsnorm2d"),
    "convnext_femto": dict(_SMALL, dims=(48, 96, 192, 384)),
    "convnext_femto_ols": dict(_SMALL, dims=(48, 96, 192, 384), stem_type="overlap_tiered"),
    "convnext_pico": dict(_SMALL, dims=(64, 128, 256, 512)),
    "convnext_pico_ols": dict(_SMALL, dims=(64, 128, 256, 512), stem_type="overlap_tiered"),
    "convnext_nano": dict(_SMALL, depths=(2, 2, 8, 2), dims=(80, 160, 320, 640)),
    "convnext_nano_ols": dict(_SMALL, depths=(2, 2, 8, 2), dims=(80, 160, 320, 640), stem_type="overlap"),
    "convnext_tiny_hnf": dict(_T, dims=(96, 192, 384, 768), head_norm_first=True, conv_mlp=True),
    "convnext_tiny": dict(_T, dims=(96, 192, 384, 768)),
    "convnext_small": dict(_S, dims=(96, 192, 384, 768)),
    "convnext_base": dict(_S, dims=(128, 256, 512, 1024)),
    "convnext_large": dict(_S, dims=(192, 384, 768, 1536)),
    "convnext_large_mlp": dict(_S, dims=(192, 384, 768, 1536), head_hidden_size=1536),
    "convnext_xlarge": dict(_S, dims=(256, 512, 1024, 2048)),
    "convnext_xxlarge": dict(depths=(3, 4, 30, 3), dims=(384, 768, 1536, 3072), norm_eps=1e-5),
    "convnextv2_atto": dict(_SMALL, dims=(40, 80, 160, 320), **_V2),
    "convnextv2_femto": dict(_SMALL, dims=(48, 96, 192, 384), **_V2),
    "convnextv2_pico": dict(_SMALL, dims=(64, 128, 256, 512), **_V2),
    "convnextv2_nano": dict(_SMALL, depths=(2, 2, 8, 2), dims=(80, 160, 320, 640), **_V2),
    "convnextv2_tiny": dict(_T, dims=(96, 192, 384, 768), **_V2),
    "convnextv2_small": dict(_S, dims=(96, 192, 384, 768), **_V2),
    "convnextv2_base": dict(_S, dims=(128, 256, 512, 1024), **_V2),
    "convnextv2_large": dict(_S, dims=(192, 384, 768, 1536), **_V2),
    "convnextv2_huge": dict(_S, dims=(352, 704, 1408, 2816), **_V2),
    "test_convnext": dict(depths=(1, 2, 4, 2), dims=(24, 32, 48, 64), **_TEST),
    "test_convnext2": dict(depths=(1, 1, 1, 1), dims=(32, 64, 96, 128), **_TEST),
    "test_convnext3": dict(depths=(1, 1, 1, 1), dims=(32, 64, 96, 128), kernel_sizes=(7, 5, 5, 3), norm_eps=1e-5,
                           act_layer="silu"),
}


# --- weight metadata --------------------------------------------------------------------------------
# One row per weight tag, in the reference's tag order (the first tag with weights is the default).
# pool_size is derived from input_size (stride 32) unless a row says otherwise.

_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_FB = "https://dl.fbaipublicfiles.com/convnext/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.875,
        interpolation="bicubic", first_conv="stem.0", classifier="head.fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


CONVNEXT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "convnext_atto.d2_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_atto_d2-01bb0f51.pth",
        test_input_size=(3, 288, 288), test_crop_pct=0.95),
    "convnext_atto_ols.a2_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_atto_ols_a2-78d1c8f3.pth",
        test_input_size=(3, 288, 288), test_crop_pct=0.95),
    "convnext_atto_rms.untrained": _cfg(hf_hub_id=None, test_input_size=(3, 256, 256), test_crop_pct=0.95),
    "convnext_base.fb_in22k_ft_in1k": _cfg(url=_FB + "convnext_base_22k_1k_224.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_base.fb_in1k": _cfg(url=_FB + "convnext_base_1k_224_ema.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_base.fb_in22k_ft_in1k_384": _cfg(url=_FB + "convnext_base_22k_1k_384.pth", input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash"),
    "convnext_base.fb_in22k": _cfg(url=_FB + "convnext_base_22k_224.pth", num_classes=21841),
    "convnext_base.clip_laion2b_augreg_ft_in12k_in1k": _cfg(input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laion2b_augreg_ft_in12k_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0,
        crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laion2b_augreg_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=1.0, mean=OPENAI_CLIP_MEAN,
        std=OPENAI_CLIP_STD),
    "convnext_base.clip_laiona_augreg_ft_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laion2b_augreg_ft_in12k": _cfg(num_classes=11821, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laion2b": _cfg(num_classes=640, input_size=(3, 256, 256), crop_pct=1.0, mean=OPENAI_CLIP_MEAN,
        std=OPENAI_CLIP_STD),
    "convnext_base.clip_laion2b_augreg": _cfg(num_classes=640, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laiona": _cfg(num_classes=640, input_size=(3, 256, 256), crop_pct=1.0, mean=OPENAI_CLIP_MEAN,
        std=OPENAI_CLIP_STD),
    "convnext_base.clip_laiona_320": _cfg(num_classes=640, input_size=(3, 320, 320), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.clip_laiona_augreg_320": _cfg(num_classes=640, input_size=(3, 320, 320), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_base.dinov3_lvd1689m": _cfg(num_classes=0, crop_pct=1.0, license="dinov3-license"),
    "convnext_base.eupe_lvd1689m": _cfg(num_classes=0, input_size=(3, 256, 256), crop_pct=1.0,
        license="fair-noncommercial-research-license"),
    "convnext_femto.d1_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_femto_d1-d71d5b4c.pth",
        test_input_size=(3, 288, 288), test_crop_pct=0.95),
    "convnext_femto_ols.d1_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_femto_ols_d1-246bf2ed.pth",
        test_input_size=(3, 288, 288), test_crop_pct=0.95),
    "convnext_large.fb_in22k_ft_in1k": _cfg(url=_FB + "convnext_large_22k_1k_224.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_large.fb_in1k": _cfg(url=_FB + "convnext_large_1k_224_ema.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_large.fb_in22k_ft_in1k_384": _cfg(url=_FB + "convnext_large_22k_1k_384.pth", input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash"),
    "convnext_large.fb_in22k": _cfg(url=_FB + "convnext_large_22k_224.pth", num_classes=21841),
    "convnext_large.dinov3_lvd1689m": _cfg(num_classes=0, crop_pct=1.0, license="dinov3-license"),
    "convnext_large_mlp.clip_laion2b_soup_ft_in12k_in1k_320": _cfg(input_size=(3, 320, 320), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_soup_ft_in12k_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0,
        crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_augreg_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_augreg_ft_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0,
        crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_soup_ft_in12k_320": _cfg(num_classes=11821, input_size=(3, 320, 320),
        crop_pct=1.0, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_augreg_ft_in12k_384": _cfg(num_classes=11821, input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_soup_ft_in12k_384": _cfg(num_classes=11821, input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_augreg": _cfg(num_classes=768, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_ft_320": _cfg(num_classes=768, input_size=(3, 320, 320), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_large_mlp.clip_laion2b_ft_soup_320": _cfg(num_classes=768, input_size=(3, 320, 320), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_nano.in12k_ft_in1k": _cfg(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_nano.d1h_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_nano_d1h-7eb4bdea.pth",
        test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_nano.r384_in12k_ft_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "convnext_nano.in12k": _cfg(num_classes=11821, crop_pct=0.95),
    "convnext_nano.r384_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384), crop_pct=1.0),
    "convnext_nano.r384_ad_in12k": _cfg(num_classes=11821, input_size=(3, 384, 384), crop_pct=1.0),
    "convnext_nano_ols.d1h_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_nano_ols_d1h-ae424a9a.pth",
        test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_pico.d1_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_pico_d1-10ad7f0d.pth",
        test_input_size=(3, 288, 288), test_crop_pct=0.95),
    "convnext_pico_ols.d1_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_pico_ols_d1-611f0ca7.pth",
        test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_small.in12k_ft_in1k": _cfg(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_small.in12k_ft_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash"),
    "convnext_small.in12k": _cfg(num_classes=11821, crop_pct=0.95),
    "convnext_small.fb_in22k_ft_in1k": _cfg(url=_FB + "convnext_small_22k_1k_224.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_small.fb_in1k": _cfg(url=_FB + "convnext_small_1k_224_ema.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_small.fb_in22k_ft_in1k_384": _cfg(url=_FB + "convnext_small_22k_1k_384.pth", input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash"),
    "convnext_small.fb_in22k": _cfg(url=_FB + "convnext_small_22k_224.pth", num_classes=21841),
    "convnext_small.dinov3_lvd1689m": _cfg(num_classes=0, crop_pct=1.0, license="dinov3-license"),
    "convnext_small.eupe_lvd1689m": _cfg(num_classes=0, input_size=(3, 256, 256), crop_pct=1.0,
        license="fair-noncommercial-research-license"),
    "convnext_tiny.in12k_ft_in1k": _cfg(test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_tiny.in12k_ft_in1k_384": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash"),
    "convnext_tiny.in12k": _cfg(num_classes=11821, crop_pct=0.95),
    "convnext_tiny.fb_in22k_ft_in1k": _cfg(url=_FB + "convnext_tiny_22k_1k_224.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_tiny.fb_in1k": _cfg(url=_FB + "convnext_tiny_1k_224_ema.pth", test_input_size=(3, 288, 288),
        test_crop_pct=1.0),
    "convnext_tiny.fb_in22k_ft_in1k_384": _cfg(url=_FB + "convnext_tiny_22k_1k_384.pth", input_size=(3, 384, 384),
        crop_pct=1.0, crop_mode="squash"),
    "convnext_tiny.fb_in22k": _cfg(url=_FB + "convnext_tiny_22k_224.pth", num_classes=21841),
    "convnext_tiny.dinov3_lvd1689m": _cfg(num_classes=0, crop_pct=1.0, license="dinov3-license"),
    "convnext_tiny.eupe_lvd1689m": _cfg(num_classes=0, input_size=(3, 256, 256), crop_pct=1.0,
        license="fair-noncommercial-research-license"),
    "convnext_tiny_hnf.a2h_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-rsb-weights/convnext_tiny_hnf_a2h-ab7e9df2.pth",
        test_input_size=(3, 288, 288), crop_pct=0.95, test_crop_pct=1.0),
    "convnext_xlarge.fb_in22k_ft_in1k": _cfg(url=_FB + "convnext_xlarge_22k_1k_224_ema.pth",
        test_input_size=(3, 288, 288), test_crop_pct=1.0),
    "convnext_xlarge.fb_in22k_ft_in1k_384": _cfg(url=_FB + "convnext_xlarge_22k_1k_384_ema.pth",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash"),
    "convnext_xlarge.fb_in22k": _cfg(url=_FB + "convnext_xlarge_22k_224.pth", num_classes=21841),
    "convnext_xxlarge.clip_laion2b_soup_ft_in1k": _cfg(input_size=(3, 256, 256), crop_pct=1.0, mean=OPENAI_CLIP_MEAN,
        std=OPENAI_CLIP_STD),
    "convnext_xxlarge.clip_laion2b_soup_ft_in12k": _cfg(num_classes=11821, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_xxlarge.clip_laion2b_soup": _cfg(num_classes=1024, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_xxlarge.clip_laion2b_rewind": _cfg(num_classes=1024, input_size=(3, 256, 256), crop_pct=1.0,
        mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "convnext_zepto_rms.ra4_e3600_r224_in1k": _cfg(mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "convnext_zepto_rms_ols.ra4_e3600_r224_in1k": _cfg(crop_pct=0.9, mean=IMAGENET_INCEPTION_MEAN,
        std=IMAGENET_INCEPTION_STD),
    "convnextv2_atto.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_atto_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=0.95, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_atto.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_atto_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_base.fcmae_ft_in22k_in1k": _cfg(url=_FB + "convnextv2/im22k/convnextv2_base_22k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_base.fcmae_ft_in22k_in1k_384": _cfg(url=_FB + "convnextv2/im22k/convnextv2_base_22k_384_ema.pt",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_base.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_base_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_base.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_base_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_femto.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_femto_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=0.95, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_femto.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_femto_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_huge.fcmae_ft_in22k_in1k_384": _cfg(url=_FB + "convnextv2/im22k/convnextv2_huge_22k_384_ema.pt",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_huge.fcmae_ft_in22k_in1k_512": _cfg(url=_FB + "convnextv2/im22k/convnextv2_huge_22k_512_ema.pt",
        input_size=(3, 512, 512), pool_size=(15, 15), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_huge.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_huge_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_huge.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_huge_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_large.fcmae_ft_in22k_in1k": _cfg(url=_FB + "convnextv2/im22k/convnextv2_large_22k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_large.fcmae_ft_in22k_in1k_384": _cfg(url=_FB + "convnextv2/im22k/convnextv2_large_22k_384_ema.pt",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_large.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_large_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_large.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_large_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_nano.fcmae_ft_in22k_in1k": _cfg(url=_FB + "convnextv2/im22k/convnextv2_nano_22k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_nano.fcmae_ft_in22k_in1k_384": _cfg(url=_FB + "convnextv2/im22k/convnextv2_nano_22k_384_ema.pt",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_nano.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_nano_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_nano.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_nano_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_pico.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_pico_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=0.95, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_pico.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_pico_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_small.untrained": _cfg(hf_hub_id=None),
    "convnextv2_tiny.fcmae_ft_in22k_in1k": _cfg(url=_FB + "convnextv2/im22k/convnextv2_tiny_22k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_tiny.fcmae_ft_in22k_in1k_384": _cfg(url=_FB + "convnextv2/im22k/convnextv2_tiny_22k_384_ema.pt",
        input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash", license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_tiny.fcmae_ft_in1k": _cfg(url=_FB + "convnextv2/im1k/convnextv2_tiny_1k_224_ema.pt",
        test_input_size=(3, 288, 288), test_crop_pct=1.0, license="cc-by-nc-4.0",
        origin_url="https://github.com/facebookresearch/ConvNeXt-V2", paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "convnextv2_tiny.fcmae": _cfg(url=_FB + "convnextv2/pt_only/convnextv2_tiny_1k_224_fcmae.pt", num_classes=0,
        license="cc-by-nc-4.0", origin_url="https://github.com/facebookresearch/ConvNeXt-V2",
        paper_ids="arXiv:2301.00808",
        paper_name="ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders"),
    "test_convnext.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95, mean=IMAGENET_INCEPTION_MEAN,
        std=IMAGENET_INCEPTION_STD),
    "test_convnext2.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95, mean=IMAGENET_INCEPTION_MEAN,
        std=IMAGENET_INCEPTION_STD),
    "test_convnext3.r160_in1k": _cfg(input_size=(3, 160, 160), crop_pct=0.95, mean=IMAGENET_INCEPTION_MEAN,
        std=IMAGENET_INCEPTION_STD),
}


def _complete(cfg: Dict[str, Any]) -> Dict[str, Any]:
    _, height, width = cfg["input_size"]
    cfg.setdefault("pool_size", (math.ceil(height / 32), math.ceil(width / 32)))
    return cfg


default_cfgs = generate_default_cfgs({name: _complete(cfg) for name, cfg in CONVNEXT_WEIGHTS.items()})


# --- registration -----------------------------------------------------------------------------------

def _create_convnext(variant: str, pretrained: bool = False, **kwargs: Any) -> ConvNeXt:
    return build_model_with_cfg(
        ConvNeXt, variant, pretrained, feature_cfg=dict(out_indices=(0, 1, 2, 3), flatten_sequential=True), **kwargs)


register_variants(CONVNEXTS, _create_convnext, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "convnext_tiny_in22ft1k": "convnext_tiny.fb_in22k_ft_in1k",
    "convnext_small_in22ft1k": "convnext_small.fb_in22k_ft_in1k",
    "convnext_base_in22ft1k": "convnext_base.fb_in22k_ft_in1k",
    "convnext_large_in22ft1k": "convnext_large.fb_in22k_ft_in1k",
    "convnext_xlarge_in22ft1k": "convnext_xlarge.fb_in22k_ft_in1k",
    "convnext_tiny_384_in22ft1k": "convnext_tiny.fb_in22k_ft_in1k_384",
    "convnext_small_384_in22ft1k": "convnext_small.fb_in22k_ft_in1k_384",
    "convnext_base_384_in22ft1k": "convnext_base.fb_in22k_ft_in1k_384",
    "convnext_large_384_in22ft1k": "convnext_large.fb_in22k_ft_in1k_384",
    "convnext_xlarge_384_in22ft1k": "convnext_xlarge.fb_in22k_ft_in1k_384",
    "convnext_tiny_in22k": "convnext_tiny.fb_in22k",
    "convnext_small_in22k": "convnext_small.fb_in22k",
    "convnext_base_in22k": "convnext_base.fb_in22k",
    "convnext_large_in22k": "convnext_large.fb_in22k",
    "convnext_xlarge_in22k": "convnext_xlarge.fb_in22k",
})
