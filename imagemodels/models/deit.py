"""DeiT: data-efficient image transformers, with the distillation token, and DeiT III.
Checkpoint-compatible with timm's ``deit`` module.

Papers:

* Touvron et al., "Training data-efficient image transformers & distillation through attention", 2020
  (arXiv:2012.12877)
* Touvron et al., "DeiT III: Revenge of the ViT", 2022 (arXiv:2204.07118)

The plain DeiT / DeiT III models are :class:`VisionTransformer` rows; the distilled ones add a second
prefix token (``dist_token``) with its own head (``head_dist``). At eval the two heads' logits are averaged;
with ``set_distilled_training(True)`` a training-mode forward returns both so the distillation loss can use
the second.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import add_abs_pos_embed, trunc_normal_

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants
from .vision_transformer import VisionTransformer, checkpoint_filter_fn

__all__ = ["VisionTransformerDistilled"]


class VisionTransformerDistilled(VisionTransformer):
    """ViT with class and distillation tokens, each read by its own linear head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        weight_init = kwargs.pop("weight_init", "")
        super().__init__(*args, **kwargs, weight_init="skip")
        if not self.has_class_token or self.global_pool != "token":
            raise ValueError("the distilled ViT reads its class and distillation tokens: class_token=True, global_pool='token'")
        if self.no_embed_class:
            raise ValueError("the distilled ViT embeds its prefix tokens (no_embed_class=False)")
        self.num_prefix_tokens = 2 + self.num_reg_tokens
        self.dist_token = nn.Parameter(torch.zeros(1, 1, self.embed_dim, device=self.cls_token.device))
        if self.pos_embed is not None:
            # one more embedded prefix token than the plain model
            self.pos_embed = nn.Parameter(torch.zeros(
                1, self.patch_embed.num_patches + self.num_prefix_tokens, self.embed_dim, device=self.cls_token.device))
        self.head_dist = nn.Linear(self.embed_dim, self.num_classes) if self.num_classes > 0 else nn.Identity()
        self.distilled_training = False
        if weight_init != "skip":
            self.init_weights(weight_init)

    def init_weights(self, mode: str = "") -> None:
        super().init_weights(mode)
        if getattr(self, "dist_token", None) is not None:
            trunc_normal_(self.dist_token, std=0.02)

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|pos_embed|patch_embed|dist_token",
                    blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

    @torch.jit.ignore
    def get_classifier(self) -> Tuple[nn.Module, nn.Module]:
        return self.head, self.head_dist  # both heads, as the reference returns them

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        # the heads read the two tokens, whatever pooling is asked for
        self.num_classes = num_classes
        device = self.cls_token.device
        self.head = nn.Linear(self.embed_dim, num_classes, device=device) if num_classes > 0 else nn.Identity()
        self.head_dist = nn.Linear(self.embed_dim, num_classes, device=device) if num_classes > 0 else nn.Identity()

    @torch.jit.ignore
    def set_distilled_training(self, enable: bool = True) -> None:
        self.distilled_training = enable

    def _pos_embed(self, x: torch.Tensor) -> torch.Tensor:
        x = add_abs_pos_embed(x, self.pos_embed, (self.cls_token, self.dist_token, self.reg_token),
                              self.patch_embed.grid_size)
        return self.pos_drop(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        x, x_dist = x[:, 0], x[:, 1]
        if pre_logits:
            return (x + x_dist) / 2
        x, x_dist = self.head(x), self.head_dist(x_dist)
        if self.distilled_training and self.training and not torch.jit.is_scripting():
            return x, x_dist  # the distillation loss needs both
        return (x + x_dist) / 2


# --- variants -----------------------------------------------------------------------------------------

DEITS: Dict[str, Dict[str, Any]] = {
    "deit3_base_patch16_224": dict(init_values=1e-06, no_embed_class=True),
    "deit3_base_patch16_384": dict(img_size=384, init_values=1e-06, no_embed_class=True),
    "deit3_huge_patch14_224": dict(patch_size=14, embed_dim=1280, depth=32, num_heads=16, init_values=1e-06, no_embed_class=True),
    "deit3_large_patch16_224": dict(embed_dim=1024, depth=24, num_heads=16, init_values=1e-06, no_embed_class=True),
    "deit3_large_patch16_384": dict(img_size=384, embed_dim=1024, depth=24, num_heads=16, init_values=1e-06, no_embed_class=True),
    "deit3_medium_patch16_224": dict(embed_dim=512, num_heads=8, init_values=1e-06, no_embed_class=True),
    "deit3_small_patch16_224": dict(embed_dim=384, num_heads=6, init_values=1e-06, no_embed_class=True),
    "deit3_small_patch16_384": dict(img_size=384, embed_dim=384, num_heads=6, init_values=1e-06, no_embed_class=True),
    "deit_base_distilled_patch16_224": dict(distilled=True),
    "deit_base_distilled_patch16_384": dict(distilled=True, img_size=384),
    "deit_base_patch16_224": dict(),
    "deit_base_patch16_384": dict(img_size=384),
    "deit_small_distilled_patch16_224": dict(distilled=True, embed_dim=384, num_heads=6),
    "deit_small_patch16_224": dict(embed_dim=384, num_heads=6),
    "deit_tiny_distilled_patch16_224": dict(distilled=True, embed_dim=192, num_heads=3),
    "deit_tiny_patch16_224": dict(embed_dim=192, num_heads=3),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

_DISTILLED_HEADS = ("head", "head_dist")


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), fixed_input_size=True,
        interpolation="bicubic", crop_pct=0.9, first_conv="patch_embed.proj", classifier="head",
        license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


DEIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "deit3_base_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_base_224_1k.pth'),
    "deit3_base_patch16_224.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_base_224_21k.pth', crop_pct=1.0),
    "deit3_base_patch16_384.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_base_384_1k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit3_base_patch16_384.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_base_384_21k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit3_huge_patch14_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_huge_224_1k.pth'),
    "deit3_huge_patch14_224.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_huge_224_21k_v1.pth', crop_pct=1.0),
    "deit3_large_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_large_224_1k.pth'),
    "deit3_large_patch16_224.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_large_224_21k.pth', crop_pct=1.0),
    "deit3_large_patch16_384.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_large_384_1k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit3_large_patch16_384.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_large_384_21k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit3_medium_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_medium_224_1k.pth'),
    "deit3_medium_patch16_224.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_medium_224_21k.pth', crop_pct=1.0),
    "deit3_small_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_small_224_1k.pth'),
    "deit3_small_patch16_224.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_small_224_21k.pth', crop_pct=1.0),
    "deit3_small_patch16_384.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_small_384_1k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit3_small_patch16_384.fb_in22k_ft_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_3_small_384_21k.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit_base_distilled_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_base_distilled_patch16_224-df68dfff.pth', classifier=_DISTILLED_HEADS),
    "deit_base_distilled_patch16_384.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_base_distilled_patch16_384-d0272ac0.pth', input_size=(3, 384, 384), crop_pct=1.0, classifier=_DISTILLED_HEADS),
    "deit_base_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth'),
    "deit_base_patch16_384.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_base_patch16_384-8de9b5d1.pth', input_size=(3, 384, 384), crop_pct=1.0),
    "deit_small_distilled_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_small_distilled_patch16_224-649709d9.pth', classifier=_DISTILLED_HEADS),
    "deit_small_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_small_patch16_224-cd65a155.pth'),
    "deit_tiny_distilled_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_tiny_distilled_patch16_224-b40b3cf7.pth', classifier=_DISTILLED_HEADS),
    "deit_tiny_patch16_224.fb_in1k": _cfg(url='https://dl.fbaipublicfiles.com/deit/deit_tiny_patch16_224-a1311bcf.pth'),
}

default_cfgs = generate_default_cfgs(DEIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_deit(variant: str, pretrained: bool = False, distilled: bool = False, **kwargs: Any) -> VisionTransformer:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        VisionTransformerDistilled if distilled else VisionTransformer, variant, pretrained,
        pretrained_filter_fn=checkpoint_filter_fn, feature_cfg=dict(feature_cls="getter", out_indices=out_indices),
        **kwargs)


register_variants(DEITS, _create_deit, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "deit3_small_patch16_224_in21ft1k": "deit3_small_patch16_224.fb_in22k_ft_in1k",
    "deit3_small_patch16_384_in21ft1k": "deit3_small_patch16_384.fb_in22k_ft_in1k",
    "deit3_medium_patch16_224_in21ft1k": "deit3_medium_patch16_224.fb_in22k_ft_in1k",
    "deit3_base_patch16_224_in21ft1k": "deit3_base_patch16_224.fb_in22k_ft_in1k",
    "deit3_base_patch16_384_in21ft1k": "deit3_base_patch16_384.fb_in22k_ft_in1k",
    "deit3_large_patch16_224_in21ft1k": "deit3_large_patch16_224.fb_in22k_ft_in1k",
    "deit3_large_patch16_384_in21ft1k": "deit3_large_patch16_384.fb_in22k_ft_in1k",
    "deit3_huge_patch14_224_in21ft1k": "deit3_huge_patch14_224.fb_in22k_ft_in1k",
})
