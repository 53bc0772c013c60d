"""Hybrid Vision Transformers: a CNN backbone makes the feature map that is cut into tokens.
Checkpoint-compatible with timm's ``vision_transformer_hybrid`` module.

Papers:

* Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", 2020
  (arXiv:2010.11929), section 3.1 "Hybrid Architecture": ResNet (BiT-style, StdConv + GroupNorm) stages
  feed a 1x1 patch projection
* Steiner et al., "How to train your ViT? Data, Augmentation, and Regularization in Vision Transformers"
  (AugReg), 2021 (arXiv:2106.10270): the R+Ti/16, R26+S/32 and R50+L/32 weights
* Vasu et al., "MobileCLIP: Fast Image-Text Models through Multi-Modal Reinforced Training", 2023
  (arXiv:2311.17049): the MCi image encoder, a ViT-B/16 behind a three-conv stem

The network is :class:`~imagemodels.models.vision_transformer.VisionTransformer`; only its patch
embedding differs: :class:`~imagemodels.layers.HybridEmbed` around a backbone built here from
:mod:`resnetv2` (post-activation, TF 'SAME' padding), :mod:`resnet` (ResNet-D, features_only) or a
small conv stem.

Layout: backbones, the variant table (``HYBRID_VITS``: a backbone factory + ViT arguments per name),
weight metadata, registration.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, Sequence

from torch import nn

from imagemodels.layers import ConvNormAct, HybridEmbed, StdConv2dSame

from ._builder import build_model_with_cfg
from ._pretrained import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD, generate_default_cfgs
from ._registry import register_model_deprecations, register_variants
from .vision_transformer import VisionTransformer, checkpoint_filter_fn

__all__ = ["ConvStem"]

# the JAX hybrid checkpoints standardise their conv weights with this epsilon
_STD_CONV_SAME = partial(StdConv2dSame, eps=1e-8)


# --- backbones ------------------------------------------------------------------------------------------

class ConvStem(nn.Sequential):
    """MobileCLIP's stem: conv 4x4/4 -> conv 2x2/2 (BatchNorm + GELU each) -> conv 2x2/2 to ``out_chs``
    (with bias, no norm): the 16x16-patch tokens of a ViT-B/16, computed by three convs."""

    def __init__(
        self, in_chs: int = 3, out_chs: int = 768, hidden_chs: int = 192, act_layer: Callable[..., nn.Module] = nn.GELU,
        device=None, dtype=None,
    ) -> None:
        dd = dict(device=device, dtype=dtype)
        super().__init__(
            ConvNormAct(in_chs, hidden_chs, 4, stride=4, padding=0, act_layer=act_layer, **dd),
            ConvNormAct(hidden_chs, hidden_chs, 2, stride=2, padding=0, act_layer=act_layer, **dd),
            ConvNormAct(hidden_chs, out_chs, 2, stride=2, padding=0, bias=True, apply_norm=False, **dd),
        )


def resnetv2_backbone(layers: Sequence[int], in_chans: int = 3, **kwargs: Any) -> nn.Module:
    """ResNetV2 as the ViT paper's hybrids use it: post-activation bottlenecks, 'SAME' stem, no head.
    ``layers=()`` gives the stem alone (conv 7x7/2 + max pool 3x3/2: a stride-4, 64-wide map)."""
    from .resnetv2 import ResNetV2, create_resnetv2_stem  # the backbone family is imported when used

    if not layers:
        return create_resnetv2_stem(in_chans, 64, stem_type="same", preact=False, conv_layer=_STD_CONV_SAME, **kwargs)
    return ResNetV2(layers=list(layers), num_classes=0, global_pool="", in_chans=in_chans, preact=False,
                    stem_type="same", conv_layer=_STD_CONV_SAME, **kwargs)


def resnet_backbone(name: str, out_index: int = 4, in_chans: int = 3, **kwargs: Any) -> nn.Module:
    """A registered :mod:`resnet` variant cut after stage ``out_index`` (features_only)."""
    from . import resnet  # the backbone family is imported when used

    return getattr(resnet, name)(pretrained=False, in_chans=in_chans, features_only=True, out_indices=[out_index], **kwargs)


def conv_stem_backbone(embed_dim: int = 768, in_chans: int = 3, **kwargs: Any) -> nn.Module:
    return ConvStem(in_chans, embed_dim, **kwargs)


# --- variants -----------------------------------------------------------------------------------------
# ``backbone`` builds the CNN; every other key is a VisionTransformer argument (defaults: ViT-Base, class
# token, qkv bias, LayerNorm eps 1e-6). ``patch_size`` is the patch on the backbone's map, not the image.

_R26 = partial(resnetv2_backbone, layers=(2, 2, 2, 2))
_R50_S16 = partial(resnetv2_backbone, layers=(3, 4, 9))
_R50_S32 = partial(resnetv2_backbone, layers=(3, 4, 6, 3))
_STEM = partial(resnetv2_backbone, layers=())
_S = dict(embed_dim=384, num_heads=6)
_L = dict(embed_dim=1024, depth=24, num_heads=16)
_TI = dict(embed_dim=192, num_heads=3)
_SMALL_D = dict(depth=8, num_heads=8, mlp_ratio=3.0)  # the "small" ResNet-D hybrids: 768 wide, 8 blocks

HYBRID_VITS: Dict[str, Dict[str, Any]] = {
    "vit_base_mci_224": dict(backbone=conv_stem_backbone, embed_proj=False, no_embed_class=True),
    "vit_base_r26_s32_224": dict(backbone=_R26),
    "vit_base_r50_s16_224": dict(backbone=_R50_S16),
    "vit_base_r50_s16_384": dict(backbone=_R50_S16, img_size=384),
    "vit_base_resnet26d_224": dict(backbone=partial(resnet_backbone, "resnet26d")),
    "vit_base_resnet50d_224": dict(backbone=partial(resnet_backbone, "resnet50d")),
    "vit_large_r50_s32_224": dict(backbone=_R50_S32, **_L),
    "vit_large_r50_s32_384": dict(backbone=_R50_S32, img_size=384, **_L),
    "vit_small_r26_s32_224": dict(backbone=_R26, **_S),
    "vit_small_r26_s32_384": dict(backbone=_R26, img_size=384, **_S),
    "vit_small_resnet26d_224": dict(backbone=partial(resnet_backbone, "resnet26d"), **_SMALL_D),
    "vit_small_resnet50d_s16_224": dict(backbone=partial(resnet_backbone, "resnet50d", out_index=3), **_SMALL_D),
    "vit_tiny_r_s16_p8_224": dict(backbone=_STEM, patch_size=8, **_TI),
    "vit_tiny_r_s16_p8_384": dict(backbone=_STEM, patch_size=8, img_size=384, **_TI),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"
_AUGREG = "https://storage.googleapis.com/vit_models/augreg/"
_MCI = dict(num_classes=512, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), first_conv="patch_embed.backbone.0.conv",
            license="apple-amlr")
_RESNET_D = dict(hf_hub_id=None, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, first_conv="patch_embed.backbone.conv1.0")
_TINY = dict(first_conv="patch_embed.backbone.conv", custom_load=True)


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), fixed_input_size=True,
        interpolation="bicubic", crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5),
        first_conv="patch_embed.backbone.stem.conv", classifier="head", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


HYBRID_VIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "vit_base_mci_224.apple_mclip_lt": _cfg("https://docs-assets.developer.apple.com/ml-research/datasets/mobileclip/mobileclip_blt.pt", hf_hub_id="apple/mobileclip_b_lt_timm", **_MCI),
    "vit_base_mci_224.apple_mclip": _cfg("https://docs-assets.developer.apple.com/ml-research/datasets/mobileclip/mobileclip_b.pt", hf_hub_id="apple/mobileclip_b_timm", **_MCI),
    "vit_base_mci_224.apple_mclip2_dfndr2b": _cfg(**_MCI),
    "vit_base_r26_s32_224.untrained": _cfg(hf_hub_id=None),
    "vit_base_r50_s16_224.orig_in21k": _cfg(num_classes=0),
    "vit_base_r50_s16_384.orig_in21k_ft_in1k": _cfg(_RELEASES + "v0.1-vitjx/jx_vit_base_resnet50_384-9fd3c705.pth", input_size=(3, 384, 384), crop_pct=1.0),
    "vit_base_resnet26d_224.untrained": _cfg(**_RESNET_D),
    "vit_base_resnet50d_224.untrained": _cfg(**_RESNET_D),
    "vit_large_r50_s32_224.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R50_L_32-i21k-300ep-lr_0.001-aug_medium1-wd_0.1-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.01-res_224.npz", custom_load=True),
    "vit_large_r50_s32_224.augreg_in21k": _cfg(_AUGREG + "R50_L_32-i21k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0.npz", num_classes=21843, custom_load=True),
    "vit_large_r50_s32_384.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R50_L_32-i21k-300ep-lr_0.001-aug_medium2-wd_0.1-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.01-res_384.npz", input_size=(3, 384, 384), crop_pct=1.0, custom_load=True),
    "vit_small_r26_s32_224.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R26_S_32-i21k-300ep-lr_0.001-aug_light0-wd_0.03-do_0.1-sd_0.1--imagenet2012-steps_20k-lr_0.03-res_224.npz", custom_load=True),
    "vit_small_r26_s32_224.augreg_in21k": _cfg(_AUGREG + "R26_S_32-i21k-300ep-lr_0.001-aug_medium2-wd_0.03-do_0.0-sd_0.0.npz", num_classes=21843, custom_load=True),
    "vit_small_r26_s32_384.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R26_S_32-i21k-300ep-lr_0.001-aug_medium2-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz", input_size=(3, 384, 384), crop_pct=1.0, custom_load=True),
    "vit_small_resnet26d_224.untrained": _cfg(**_RESNET_D),
    "vit_small_resnet50d_s16_224.untrained": _cfg(**_RESNET_D),
    "vit_tiny_r_s16_p8_224.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R_Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_224.npz", **_TINY),
    "vit_tiny_r_s16_p8_224.augreg_in21k": _cfg(_AUGREG + "R_Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0.npz", num_classes=21843, **_TINY),
    "vit_tiny_r_s16_p8_384.augreg_in21k_ft_in1k": _cfg(_AUGREG + "R_Ti_16-i21k-300ep-lr_0.001-aug_none-wd_0.03-do_0.0-sd_0.0--imagenet2012-steps_20k-lr_0.03-res_384.npz", input_size=(3, 384, 384), crop_pct=1.0, **_TINY),
}

default_cfgs = generate_default_cfgs(HYBRID_VIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_vision_transformer_hybrid(
    variant: str, pretrained: bool = False, backbone: Callable[..., nn.Module] = _R50_S16, embed_proj: bool = True,
    patch_size: int = 1, **kwargs: Any,
) -> VisionTransformer:
    dd = {k: kwargs[k] for k in ("device", "dtype") if kwargs.get(k) is not None}
    if isinstance(backbone, nn.Module):
        cnn = backbone  # a ready-made backbone passed by the caller
    elif backbone is conv_stem_backbone:
        cnn = backbone(kwargs.get("embed_dim", 768), in_chans=kwargs.get("in_chans", 3), **dd)
    else:
        cnn = backbone(in_chans=kwargs.get("in_chans", 3), **dd)
    embed_layer = partial(HybridEmbed, backbone=cnn, proj=embed_proj)
    # features come from forward_intermediates (the blocks are not top-level children); the last 3 by default
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        VisionTransformer, variant, pretrained, embed_layer=embed_layer, patch_size=patch_size,
        pretrained_filter_fn=checkpoint_filter_fn, feature_cfg=dict(feature_cls="getter", out_indices=out_indices),
        **kwargs)


register_variants(HYBRID_VITS, _create_vision_transformer_hybrid, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "vit_tiny_r_s16_p8_224_in21k": "vit_tiny_r_s16_p8_224.augreg_in21k",
    "vit_small_r26_s32_224_in21k": "vit_small_r26_s32_224.augreg_in21k",
    "vit_base_r50_s16_224_in21k": "vit_base_r50_s16_224.orig_in21k",
    "vit_base_resnet50_224_in21k": "vit_base_r50_s16_224.orig_in21k",
    "vit_large_r50_s32_224_in21k": "vit_large_r50_s32_224.augreg_in21k",
    "vit_base_resnet50_384": "vit_base_r50_s16_384.orig_in21k_ft_in1k",
})
