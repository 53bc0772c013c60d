"""CaiT: Class-Attention in Image Transformers. Checkpoint-compatible with timm's ``cait`` module.

Paper: Touvron et al., "Going deeper with Image Transformers", 2021 (arXiv:2103.17239).

Two ideas make the deep CaiT models train: LayerScale (each residual branch is multiplied by a
learned per-channel ``gamma`` that starts near zero) and a late class token. The patch tokens go
through ``depth`` self-attention blocks (talking-heads attention: the heads are mixed by a linear map
before and after the softmax) without any class token; only then do ``depth_token_only`` class-attention
blocks let a class token read the patch tokens (the patches are not updated there).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    DropPath, Mlp, PatchEmbed, check_token_pool, pool_tokens, token_pool_width, trunc_normal_, use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["Cait", "ClassAttn", "TalkingHeadAttn", "LayerScaleBlock", "LayerScaleBlockClassAttn"]

LayerFn = Callable[..., nn.Module]


class ClassAttn(nn.Module):
    """Attention where only the class token (token 0) queries; keys / values are all tokens.
    Returns the updated class token, shape (B, 1, C)."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.q = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.k = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.v = nn.Linear(dim, dim, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, num_tokens, dim = x.shape
        heads = lambda t: t.reshape(batch, -1, self.num_heads, self.head_dim).transpose(1, 2)  # noqa: E731
        q, k, v = heads(self.q(x[:, :1])), heads(self.k(x)), heads(self.v(x))
        out = scaled_dot_product(q, k, v, fused=self.fused_attn, scale=self.scale,
                                 dropout_p=self.attn_drop.p if self.training else 0.0, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, 1, dim)
        return self.proj_drop(self.proj(out))


class TalkingHeadAttn(nn.Module):
    """Self-attention whose per-head attention logits are mixed across heads by ``proj_l`` before the
    softmax and the probabilities again by ``proj_w`` after it (Shazeer et al., arXiv:2003.02436)."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_l = nn.Linear(num_heads, num_heads, **dd)
        self.proj_w = nn.Linear(num_heads, num_heads, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, num_tokens, dim = x.shape
        q, k, v = self.qkv(x).reshape(batch, num_tokens, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn = (q * self.scale) @ k.transpose(-2, -1)  # (B, heads, N, N)
        # the head mixing is a linear map over the head axis: move it last, mix, move it back
        attn = self.proj_l(attn.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        attn = attn.softmax(dim=-1)
        attn = self.proj_w(attn.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        attn = self.attn_drop(attn)
        out = (attn @ v).transpose(1, 2).reshape(batch, num_tokens, dim)
        return self.proj_drop(self.proj(out))


class LayerScaleBlock(nn.Module):
    """Pre-norm transformer block whose two residual branches are scaled by ``gamma_1`` / ``gamma_2``."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm,
                 attn_block: LayerFn = TalkingHeadAttn, mlp_block: LayerFn = Mlp, init_values: float = 1e-4,
                 device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.norm1 = norm_layer(dim, **dd)
        self.attn = attn_block(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
                               proj_drop=proj_drop, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = mlp_block(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop, **dd)
        self.gamma_1 = nn.Parameter(torch.full((dim,), float(init_values), **dd))
        self.gamma_2 = nn.Parameter(torch.full((dim,), float(init_values), **dd))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path(self.gamma_1 * self.attn(self.norm1(x)))
        return x + self.drop_path(self.gamma_2 * self.mlp(self.norm2(x)))


class LayerScaleBlockClassAttn(LayerScaleBlock):
    """The class-attention block: updates the class token from [class token, patch tokens]."""

    def __init__(self, *args: Any, attn_block: LayerFn = ClassAttn, **kwargs: Any):
        super().__init__(*args, attn_block=attn_block, **kwargs)

    def forward(self, x: torch.Tensor, x_cls: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        tokens = torch.cat([x_cls, x], dim=1)
        x_cls = x_cls + self.drop_path(self.gamma_1 * self.attn(self.norm1(tokens)))
        return x_cls + self.drop_path(self.gamma_2 * self.mlp(self.norm2(x_cls)))


class Cait(nn.Module):
    """Patch embedding + position embedding -> ``depth`` LayerScale blocks over the patch tokens ->
    ``depth_token_only`` class-attention blocks (class token joins here) -> norm -> pool -> head.

    The token grid is fixed at construction (``img_size`` / ``patch_size``): the learned position
    embedding has one entry per patch.
    """

    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "token",
        embed_dim: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        block_layers: LayerFn = LayerScaleBlock,
        block_layers_token: LayerFn = LayerScaleBlockClassAttn,
        patch_layer: LayerFn = PatchEmbed,
        norm_layer: LayerFn = partial(nn.LayerNorm, eps=1e-6),
        act_layer: LayerFn = nn.GELU,
        attn_block: LayerFn = TalkingHeadAttn,
        mlp_block: LayerFn = Mlp,
        init_values: float = 1e-4,
        attn_block_token_only: LayerFn = ClassAttn,
        mlp_block_token_only: LayerFn = Mlp,
        depth_token_only: int = 2,
        mlp_ratio_token_only: float = 4.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_classes = num_classes
        self.global_pool = check_token_pool(global_pool)
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_prefix_tokens = 1
        self.grad_checkpointing = False

        self.patch_embed = patch_layer(img_size=img_size, patch_size=patch_size, in_chans=in_chans,
                                       embed_dim=embed_dim, **dd)
        num_patches = self.patch_embed.num_patches
        reduction = self.patch_embed.feat_ratio() if hasattr(self.patch_embed, "feat_ratio") else patch_size
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches, embed_dim, **dd))
        self.pos_drop = nn.Dropout(p=pos_drop_rate)

        # CaiT drops every patch block's branches with the same rate (not a linear ramp)
        self.blocks = nn.Sequential(*[
            block_layers(embed_dim, num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate,
                         attn_drop=attn_drop_rate, drop_path=drop_path_rate, act_layer=act_layer,
                         norm_layer=norm_layer, attn_block=attn_block, mlp_block=mlp_block,
                         init_values=init_values, **dd)
            for _ in range(depth)])
        self.feature_info = [dict(num_chs=embed_dim, reduction=reduction, module=f"blocks.{i}") for i in range(depth)]
        self.blocks_token_only = nn.ModuleList([
            block_layers_token(embed_dim, num_heads, mlp_ratio=mlp_ratio_token_only, qkv_bias=qkv_bias,
                               act_layer=act_layer, norm_layer=norm_layer, attn_block=attn_block_token_only,
                               mlp_block=mlp_block_token_only, init_values=init_values, **dd)
            for _ in range(depth_token_only)])
        self.norm = norm_layer(embed_dim, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)

        trunc_normal_(self.pos_embed, std=0.02)
        trunc_normal_(self.cls_token, std=0.02)
        self.apply(self._init_weights)

    def _make_head(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        width = token_pool_width(self.embed_dim, self.global_pool)
        return nn.Linear(width, num_classes, device=self.pos_embed.device, dtype=self.pos_embed.dtype)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.zeros_(m.bias)
            nn.init.ones_(m.weight)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {"pos_embed", "cls_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        # patch blocks, then the class-attention blocks as later layers; the final norm joins the last
        return dict(
            stem=r"^cls_token|pos_embed|patch_embed",
            blocks=r"^blocks\.(\d+)",
            blocks_token_only=[(r"^blocks_token_only\.(\d+)", None), (r"^norm", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = check_token_pool(global_pool)
        self.head = self._make_head(num_classes)

    def _run_block(self, block: nn.Module, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
        return block(x)

    def _class_attention(self, x: torch.Tensor) -> torch.Tensor:
        """Run the class-attention blocks; returns [class token, patch tokens] (un-normalised)."""
        if self.cls_token is None:  # pruned for feature extraction
            return x
        cls_tokens = self.cls_token.expand(x.shape[0], -1, -1)
        for block in self.blocks_token_only:
            cls_tokens = block(x, cls_tokens)
        return torch.cat([cls_tokens, x], dim=1)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Patch-block outputs at ``indices`` as NCHW maps (or NLC tokens with ``output_fmt='NLC'``);
        ``norm`` applies the final norm to each. Returns ``(final features, maps)`` or only the maps."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x = self.pos_drop(self.patch_embed(x) + self.pos_embed)
        blocks = self.blocks[:max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            x = self._run_block(block, x)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)
        if output_fmt == "NCHW":
            grid_h, grid_w = self.patch_embed.dynamic_feat_size((height, width))
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous()
                             for y in intermediates]
        if intermediates_only:
            return intermediates
        return self.norm(self._class_attention(x)), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the patch blocks after the last of ``indices``; with ``prune_head`` also the class-attention
        blocks and the head (``prune_norm``: the final norm)."""
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            # no class token is read any more: its parameter goes too (the reference's pruned layout)
            self.blocks_token_only = nn.ModuleList()
            self.cls_token = None
            self.global_pool = ""
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pos_drop(self.patch_embed(x) + self.pos_embed)
        for block in self.blocks:
            x = self._run_block(block, x)
        return self.norm(self._class_attention(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = pool_tokens(x, self.global_pool, self.num_prefix_tokens)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: Cait) -> Dict[str, torch.Tensor]:
    """The original Facebook checkpoints wrap the weights in 'model' and prefix them with 'module.'."""
    state_dict = state_dict.get("model", state_dict)
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in state_dict.items()}


# --- variants -----------------------------------------------------------------------------------------
# XXS / XS / S / M widths; the deeper (36, 48) and wider models start their LayerScale smaller.

CAITS: Dict[str, Dict[str, Any]] = {
    "cait_xxs24_224": dict(img_size=224, embed_dim=192, depth=24, num_heads=4, init_values=1e-5),
    "cait_xxs24_384": dict(img_size=384, embed_dim=192, depth=24, num_heads=4, init_values=1e-5),
    "cait_xxs36_224": dict(img_size=224, embed_dim=192, depth=36, num_heads=4, init_values=1e-5),
    "cait_xxs36_384": dict(img_size=384, embed_dim=192, depth=36, num_heads=4, init_values=1e-5),
    "cait_xs24_384": dict(img_size=384, embed_dim=288, depth=24, num_heads=6, init_values=1e-5),
    "cait_s24_224": dict(img_size=224, embed_dim=384, depth=24, num_heads=8, init_values=1e-5),
    "cait_s24_384": dict(img_size=384, embed_dim=384, depth=24, num_heads=8, init_values=1e-5),
    "cait_s36_384": dict(img_size=384, embed_dim=384, depth=36, num_heads=8, init_values=1e-6),
    "cait_m36_384": dict(img_size=384, embed_dim=768, depth=36, num_heads=16, init_values=1e-6),
    "cait_m48_448": dict(img_size=448, embed_dim=768, depth=48, num_heads=16, init_values=1e-6),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

_FB = "https://dl.fbaipublicfiles.com/deit/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 384, 384), crop_pct=1.0,
        interpolation="bicubic", first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


CAIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "cait_m36_384.fb_dist_in1k": _cfg(_FB + "M36_384.pth"),
    "cait_m48_448.fb_dist_in1k": _cfg(_FB + "M48_448.pth", input_size=(3, 448, 448)),
    "cait_s24_224.fb_dist_in1k": _cfg(_FB + "S24_224.pth", input_size=(3, 224, 224)),
    "cait_s24_384.fb_dist_in1k": _cfg(_FB + "S24_384.pth"),
    "cait_s36_384.fb_dist_in1k": _cfg(_FB + "S36_384.pth"),
    "cait_xs24_384.fb_dist_in1k": _cfg(_FB + "XS24_384.pth"),
    "cait_xxs24_224.fb_dist_in1k": _cfg(_FB + "XXS24_224.pth", input_size=(3, 224, 224)),
    "cait_xxs24_384.fb_dist_in1k": _cfg(_FB + "XXS24_384.pth"),
    "cait_xxs36_224.fb_dist_in1k": _cfg(_FB + "XXS36_224.pth", input_size=(3, 224, 224)),
    "cait_xxs36_384.fb_dist_in1k": _cfg(_FB + "XXS36_384.pth"),
}

default_cfgs = generate_default_cfgs(CAIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_cait(variant: str, pretrained: bool = False, **kwargs: Any) -> Cait:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        Cait, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(CAITS, _create_cait, globals())
