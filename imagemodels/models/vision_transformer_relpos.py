"""Vision Transformer with relative position bias from an MLP (no absolute position embedding).
Checkpoint-compatible with timm's ``vision_transformer_relpos`` module.

Papers:

* Dosovitskiy et al., "An Image is Worth 16x16 Words", 2020 (arXiv:2010.11929)
* Liu et al., "Swin Transformer V2: Scaling Up Capacity and Resolution", 2021 (arXiv:2111.09883): the
  log-spaced continuous position bias that :class:`~imagemodels.layers.RelPosMlp` computes

Each attention layer adds a per-head bias ``(heads, N, N)`` to its logits, produced by a small MLP over
the log-spaced relative offsets of the token grid (``srelpos``: one MLP shared by all blocks). The bias
is passed to the attention as an additive mask, so the blocks are :mod:`vision_transformer`'s ``Block``
/ ``ResPostBlock`` and the network is its :class:`VisionTransformer` without a position embedding.

Layout: attention, the network, the variant table (``RELPOS_VITS``), weight metadata, registration.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import Attention, RelPosMlp, to_2tuple

from ._builder import build_model_with_cfg
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .vision_transformer import Block, ResPostBlock, VisionTransformer, checkpoint_filter_fn

__all__ = ["VisionTransformerRelPos", "RelPosAttention"]


class RelPosAttention(Attention):
    """:class:`Attention` plus its own relative position bias (``rel_pos``), added to the logits."""

    def __init__(self, dim: int, *, rel_pos_cls: Optional[Callable[..., nn.Module]] = None, **kwargs: Any) -> None:
        super().__init__(dim, **kwargs)
        dd = dict(device=self.qkv.weight.device, dtype=self.qkv.weight.dtype)
        self.rel_pos = rel_pos_cls(num_heads=self.num_heads, **dd) if rel_pos_cls is not None else None

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False) -> torch.Tensor:
        if self.rel_pos is not None:
            bias = self.rel_pos.get_bias()
            attn_mask = bias if attn_mask is None else attn_mask + bias
        return super().forward(x, attn_mask=attn_mask, is_causal=is_causal)


class VisionTransformerRelPos(VisionTransformer):
    """:class:`VisionTransformer` whose position information is a relative bias in every attention layer.

    ``rel_pos_dim`` is the hidden width of the bias MLP; ``shared_rel_pos`` computes one bias per forward
    (``shared_rel_pos`` module) and hands it to every block instead of one MLP per block. Other
    arguments are :class:`VisionTransformer`'s (the token grid is fixed: no dynamic image size).
    """

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        patch_size: Union[int, Tuple[int, int]] = 16,
        num_heads: int = 12,
        global_pool: str = "avg",
        class_token: bool = False,
        fc_norm: bool = False,
        init_values: Optional[float] = 1e-6,
        rel_pos_type: str = "mlp",
        rel_pos_dim: Optional[int] = None,
        shared_rel_pos: bool = False,
        block_fn: Callable[..., nn.Module] = Block,
        weight_init: str = "",
        **kwargs: Any,
    ) -> None:
        if rel_pos_type != "mlp":
            raise ValueError(f"rel_pos_type must be 'mlp' (the bias MLP), got {rel_pos_type!r}")
        for unsupported in ("dynamic_img_size", "pos_embed", "no_embed_class", "reg_tokens"):
            if kwargs.get(unsupported):
                raise ValueError(f"{unsupported} is not supported: the relative bias is built for a fixed token grid")
        grid = tuple(s // p for s, p in zip(to_2tuple(img_size), to_2tuple(patch_size)))
        rel_pos_cls = partial(RelPosMlp, window_size=grid, hidden_dim=rel_pos_dim or 128,
                              prefix_tokens=1 if class_token else 0)
        attn_layer = Attention if shared_rel_pos else partial(RelPosAttention, rel_pos_cls=rel_pos_cls)
        super().__init__(
            img_size=img_size, patch_size=patch_size, num_heads=num_heads, global_pool=global_pool,
            class_token=class_token, fc_norm=fc_norm, init_values=init_values, pos_embed="none", block_fn=block_fn,
            attn_layer=attn_layer, weight_init="skip", **kwargs)
        device = self.patch_embed.proj.weight.device
        self.shared_rel_pos = rel_pos_cls(num_heads=num_heads, device=device) if shared_rel_pos else None
        if weight_init != "skip":
            self.init_weights(weight_init)

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|patch_embed|shared_rel_pos",
                    blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

    @torch.jit.ignore
    def no_weight_decay(self):
        return {"cls_token"}

    def set_input_size(self, img_size: Optional[Tuple[int, int]] = None, patch_size: Optional[Tuple[int, int]] = None) -> None:
        """Rebuild for another input / patch size: the bias MLPs are size-free, only their grids change."""
        super().set_input_size(img_size=img_size, patch_size=patch_size)
        for module in self.modules():
            if isinstance(module, RelPosMlp):
                module.set_window_size(self.patch_embed.grid_size)

    def _with_shared_bias(self, attn_mask: Optional[torch.Tensor]) -> Optional[torch.Tensor]:
        if self.shared_rel_pos is None:
            return attn_mask
        bias = self.shared_rel_pos.get_bias()
        return bias if attn_mask is None else attn_mask + bias

    def forward_intermediates(self, x: torch.Tensor, *args: Any, attn_mask: Optional[torch.Tensor] = None, **kwargs: Any):
        return super().forward_intermediates(x, *args, attn_mask=self._with_shared_bias(attn_mask), **kwargs)

    def forward_features(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        return super().forward_features(x, attn_mask=self._with_shared_bias(attn_mask))


# --- variants -----------------------------------------------------------------------------------------
# Unlisted arguments keep the class defaults: ViT-Base/16 at 224, no qkv bias where noted, LayerScale 1e-6,
# average pooling over the patch tokens, bias MLP 128 wide.

_M = dict(embed_dim=512, num_heads=8)
_S = dict(embed_dim=384, num_heads=6)
_PLUS = dict(embed_dim=896, num_heads=14)

RELPOS_VITS: Dict[str, Dict[str, Any]] = {
    "test_vit_relpos": dict(img_size=160, embed_dim=96, depth=9, num_heads=3, mlp_ratio=2.0, qkv_bias=False, fc_norm=True),
    "vit_relpos_base_patch16_224": dict(qkv_bias=False, fc_norm=True),
    "vit_relpos_base_patch16_cls_224": dict(qkv_bias=False, class_token=True, global_pool="token"),
    "vit_relpos_base_patch16_clsgap_224": dict(qkv_bias=False, class_token=True, fc_norm=True),
    "vit_relpos_base_patch16_plus_240": dict(img_size=240, **_PLUS),
    "vit_relpos_base_patch16_rpn_224": dict(qkv_bias=False, block_fn=ResPostBlock),
    "vit_relpos_base_patch32_plus_rpn_256": dict(img_size=256, patch_size=32, block_fn=ResPostBlock, **_PLUS),
    "vit_relpos_medium_patch16_224": dict(qkv_bias=False, fc_norm=True, **_M),
    "vit_relpos_medium_patch16_cls_224": dict(qkv_bias=False, class_token=True, global_pool="token", rel_pos_dim=256, **_M),
    "vit_relpos_medium_patch16_rpn_224": dict(qkv_bias=False, block_fn=ResPostBlock, **_M),
    "vit_relpos_small_patch16_224": dict(qkv_bias=False, fc_norm=True, **_S),
    "vit_relpos_small_patch16_rpn_224": dict(qkv_bias=False, block_fn=ResPostBlock, **_S),
    "vit_srelpos_medium_patch16_224": dict(qkv_bias=False, shared_rel_pos=True, rel_pos_dim=512, **_M),
    "vit_srelpos_small_patch16_224": dict(qkv_bias=False, shared_rel_pos=True, rel_pos_dim=384, **_S),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), fixed_input_size=True,
        interpolation="bicubic", crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5),
        first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


RELPOS_VIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "test_vit_relpos.untrained": _cfg(hf_hub_id=None, input_size=(3, 160, 160), crop_pct=0.95),
    "vit_relpos_base_patch16_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_base_patch16_224-sw-49049aed.pth"),
    "vit_relpos_base_patch16_cls_224.untrained": _cfg(hf_hub_id=None),
    "vit_relpos_base_patch16_clsgap_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_base_patch16_gapcls_224-sw-1a341d6c.pth"),
    "vit_relpos_base_patch16_plus_240.untrained": _cfg(hf_hub_id=None, input_size=(3, 240, 240)),
    "vit_relpos_base_patch16_rpn_224.untrained": _cfg(hf_hub_id=None),
    "vit_relpos_base_patch32_plus_rpn_256.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_replos_base_patch32_plus_rpn_256-sw-dd486f51.pth", input_size=(3, 256, 256)),
    "vit_relpos_medium_patch16_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_medium_patch16_224-sw-11c174af.pth"),
    "vit_relpos_medium_patch16_cls_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_medium_patch16_cls_224-sw-cfe8e259.pth"),
    "vit_relpos_medium_patch16_rpn_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_medium_patch16_rpn_224-sw-5d2befd8.pth"),
    "vit_relpos_small_patch16_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_relpos_small_patch16_224-sw-ec2778b4.pth"),
    "vit_relpos_small_patch16_rpn_224.untrained": _cfg(hf_hub_id=None),
    "vit_srelpos_medium_patch16_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_srelpos_medium_patch16_224-sw-ad702b8c.pth"),
    "vit_srelpos_small_patch16_224.sw_in1k": _cfg(_RELEASES + "v0.1-tpu-weights/vit_srelpos_small_patch16_224-sw-6cdb8849.pth"),
}

default_cfgs = generate_default_cfgs(RELPOS_VIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_vision_transformer_relpos(variant: str, pretrained: bool = False, **kwargs: Any) -> VisionTransformerRelPos:
    # features come from forward_intermediates (the blocks are not top-level children); the last 3 by default
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        VisionTransformerRelPos, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(RELPOS_VITS, _create_vision_transformer_relpos, globals())
