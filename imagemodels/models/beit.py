"""BEiT and BEiT v2: ViTs with per-block relative position bias and LayerScale, pre-trained by masked
image modelling. Checkpoint-compatible with timm's ``beit`` module.

Papers:

* Bao et al., "BEiT: BERT Pre-Training of Image Transformers", 2021 (arXiv:2106.08254)
* Peng et al., "BEiT v2: Masked Image Modeling with Vector-Quantized Visual Tokenizers", 2022 (arXiv:2208.06366)

Loading at another image size resamples each block's relative position bias table to the new window
(and the absolute position embedding, when the model has one).
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    DropPath, LayerNorm, Mlp, PatchEmbed, SwiGLU, add_abs_pos_embed, resample_abs_pos_embed, trunc_normal_,
    use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product
from imagemodels.layers.pos_embed_rel import gen_relative_position_index, resize_rel_pos_bias_table

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD, generate_default_cfgs
from ._registry import register_variants

__all__ = ["Beit", "BeitAttention", "BeitBlock", "checkpoint_filter_fn"]


class BeitAttention(nn.Module):
    """Self-attention with q / v biases (k has none) and a learned relative position bias over the
    window plus the class token."""

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        qkv_bias: bool = False,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        window_size: Optional[Tuple[int, int]] = None,
        attn_head_dim: Optional[int] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        head_dim = attn_head_dim or dim // num_heads
        attn_dim = head_dim * num_heads
        self.scale = head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.qkv = nn.Linear(dim, attn_dim * 3, bias=False, **dd)
        if qkv_bias:
            self.q_bias = nn.Parameter(torch.zeros(attn_dim, **dd))
            self.register_buffer("k_bias", torch.zeros(attn_dim, **dd), persistent=False)
            self.v_bias = nn.Parameter(torch.zeros(attn_dim, **dd))
        else:
            self.q_bias = self.k_bias = self.v_bias = None
        if window_size:
            self.window_size = tuple(window_size)
            self.num_relative_distance = (2 * window_size[0] - 1) * (2 * window_size[1] - 1) + 3
            self.relative_position_bias_table = nn.Parameter(torch.zeros(self.num_relative_distance, num_heads, **dd))
            self.register_buffer("relative_position_index",
                                 gen_relative_position_index(self.window_size, class_token=True).to(device),
                                 persistent=False)
        else:
            self.window_size = None
            self.relative_position_bias_table = None
            self.relative_position_index = None
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(attn_dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def _rel_pos_bias(self) -> torch.Tensor:
        num = self.window_size[0] * self.window_size[1] + 1
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)].view(num, num, -1)
        return bias.permute(2, 0, 1).contiguous()  # (heads, N+1, N+1)

    def forward(self, x: torch.Tensor, shared_rel_pos_bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        batch, tokens, _ = x.shape
        bias = torch.cat((self.q_bias, self.k_bias, self.v_bias)) if self.q_bias is not None else None
        q, k, v = F.linear(x, self.qkv.weight, bias).reshape(batch, tokens, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        mask = None
        if self.relative_position_bias_table is not None:
            mask = self._rel_pos_bias().unsqueeze(0)
        if shared_rel_pos_bias is not None:
            mask = shared_rel_pos_bias if mask is None else mask + shared_rel_pos_bias
        x = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=mask, attn_drop=self.attn_drop)
        x = x.transpose(1, 2).reshape(batch, tokens, -1)
        return self.proj_drop(self.proj(x))


class BeitBlock(nn.Module):
    """Pre-norm block with LayerScale stored as ``gamma_1`` / ``gamma_2`` on the block itself."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        qkv_bias: bool = False,
        mlp_ratio: float = 4.0,
        scale_mlp: bool = False,
        swiglu_mlp: bool = False,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
        init_values: Optional[float] = None,
        act_layer=nn.GELU,
        norm_layer=LayerNorm,
        window_size: Optional[Tuple[int, int]] = None,
        attn_head_dim: Optional[int] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.norm1 = norm_layer(dim, **dd)
        self.attn = BeitAttention(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                  proj_drop=proj_drop, window_size=window_size, attn_head_dim=attn_head_dim, **dd)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        hidden = int(dim * mlp_ratio)
        mlp_norm = norm_layer if scale_mlp else None
        if swiglu_mlp:
            self.mlp = SwiGLU(dim, hidden_features=hidden, norm_layer=mlp_norm, drop=proj_drop, **dd)
        else:
            self.mlp = Mlp(dim, hidden_features=hidden, act_layer=act_layer, norm_layer=mlp_norm, drop=proj_drop, **dd)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        if init_values:
            self.gamma_1 = nn.Parameter(torch.full((dim,), float(init_values), **dd))
            self.gamma_2 = nn.Parameter(torch.full((dim,), float(init_values), **dd))
        else:
            self.gamma_1 = self.gamma_2 = None

    def forward(self, x: torch.Tensor, shared_rel_pos_bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        y = self.attn(self.norm1(x), shared_rel_pos_bias=shared_rel_pos_bias)
        x = x + self.drop_path1(y if self.gamma_1 is None else self.gamma_1 * y)
        y = self.mlp(self.norm2(x))
        return x + self.drop_path2(y if self.gamma_2 is None else self.gamma_2 * y)


class Beit(nn.Module):
    """Patch embedding + class token -> BEiT blocks (relative position bias per block) -> mean of the
    patch tokens -> fc_norm -> head (``global_pool='token'``: class token through ``norm``)."""

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        patch_size: Union[int, Tuple[int, int]] = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        global_pool: str = "avg",
        embed_dim: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        qkv_bias: bool = True,
        mlp_ratio: float = 4.0,
        swiglu_mlp: bool = False,
        scale_mlp: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer=LayerNorm,
        init_values: Optional[float] = None,
        use_abs_pos_emb: bool = True,
        use_rel_pos_bias: bool = False,
        use_shared_rel_pos_bias: bool = False,
        head_init_scale: float = 0.001,
        use_fc_norm: Optional[bool] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if global_pool not in ("avg", "token", ""):
            raise ValueError(f"global_pool must be 'avg', 'token' or '', got {global_pool!r}")
        if use_shared_rel_pos_bias:
            raise ValueError("use_shared_rel_pos_bias is not supported (no published weights use it)")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.num_prefix_tokens = 1
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        use_fc_norm = global_pool == "avg" if use_fc_norm is None else use_fc_norm

        self.patch_embed = PatchEmbed(img_size=img_size, patch_size=patch_size, in_chans=in_chans,
                                      embed_dim=embed_dim, **dd)
        num_patches = self.patch_embed.num_patches
        reduction = self.patch_embed.feat_ratio()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim, **dd)) if use_abs_pos_emb else None
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        self.rel_pos_bias = None
        dpr = [drop_path_rate * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        window = self.patch_embed.grid_size if use_rel_pos_bias else None
        self.blocks = nn.ModuleList([
            BeitBlock(embed_dim, num_heads, qkv_bias=qkv_bias, mlp_ratio=mlp_ratio, scale_mlp=scale_mlp,
                      swiglu_mlp=swiglu_mlp, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, drop_path=dpr[i],
                      norm_layer=norm_layer, init_values=init_values, window_size=window, **dd)
            for i in range(depth)
        ])
        self.feature_info = [dict(module=f"blocks.{i}", num_chs=embed_dim, reduction=reduction) for i in range(depth)]
        self.norm = nn.Identity() if use_fc_norm else norm_layer(embed_dim, **dd)
        self.fc_norm = norm_layer(embed_dim, **dd) if use_fc_norm else nn.Identity()
        self.head_drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(embed_dim, num_classes, **dd) if num_classes > 0 else nn.Identity()
        self._init_weights(head_init_scale)

    def _init_weights(self, head_init_scale: float) -> None:
        if self.pos_embed is not None:
            trunc_normal_(self.pos_embed, std=0.02)
        trunc_normal_(self.cls_token, std=0.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        for layer, block in enumerate(self.blocks, start=1):
            # scale the residual branch outputs down with depth
            block.attn.proj.weight.data.div_(math.sqrt(2.0 * layer))
            block.mlp.fc2.weight.data.div_(math.sqrt(2.0 * layer))
            if block.attn.relative_position_bias_table is not None:
                trunc_normal_(block.attn.relative_position_bias_table, std=0.02)
        if isinstance(self.head, nn.Linear):
            self.head.weight.data.mul_(head_init_scale)
            self.head.bias.data.mul_(head_init_scale)

    @torch.jit.ignore
    def no_weight_decay(self) -> Set[str]:
        out = {"pos_embed", "cls_token"}
        for name, _ in self.named_parameters():
            if "relative_position_bias_table" in name:
                out.add(name)
        return out

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|pos_embed|patch_embed|rel_pos_bias",
                    blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = global_pool
        width = 2 * self.embed_dim if self.global_pool == "catavgmax" else self.embed_dim
        self.head = nn.Linear(width, num_classes, device=self.cls_token.device) if num_classes > 0 else nn.Identity()

    def _embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.pos_drop(add_abs_pos_embed(self.patch_embed(x), self.pos_embed, (self.cls_token,)))

    def _run(self, block: nn.Module, x: torch.Tensor) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)
        return block(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        return_prefix_tokens: bool = False,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[Any], Tuple[torch.Tensor, List[Any]]]:
        """Block outputs at ``indices`` without the class token, NCHW or NLC; as VisionTransformer's."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x = self._embed(x)
        blocks = self.blocks[:max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            x = self._run(block, x)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)
        prefix = [y[:, :1] for y in intermediates]
        intermediates = [y[:, 1:] for y in intermediates]
        if output_fmt == "NCHW":
            grid_h, grid_w = self.patch_embed.dynamic_feat_size((height, width))
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous() for y in intermediates]
        if return_prefix_tokens:
            intermediates = list(zip(intermediates, prefix))
        if intermediates_only:
            return intermediates
        return self.norm(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.fc_norm = nn.Identity()
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self._embed(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            for block in self.blocks:
                x = block(x)
        return self.norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        if self.global_pool == "avg":
            x = x[:, 1:].mean(dim=1)
        elif self.global_pool == "catavgmax":
            x = torch.cat([x[:, 1:].mean(dim=1), x[:, 1:].amax(dim=1)], dim=-1)
        elif self.global_pool == "token":
            x = x[:, 0]
        if self.global_pool == "catavgmax":
            x = torch.cat([self.fc_norm(half) for half in x.chunk(2, dim=-1)], dim=-1)
        else:
            x = self.fc_norm(x)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: Beit) -> Dict[str, torch.Tensor]:
    """Resample relative position bias tables (and the absolute position embedding) to the model's window;
    drop the derived index buffers; unwrap ``{'model': ...}`` / ``{'module': ...}`` files."""
    for wrapper in ("model", "module", "state_dict"):
        if wrapper in state_dict and isinstance(state_dict[wrapper], dict):
            state_dict = state_dict[wrapper]
    own = model.state_dict()
    out = {}
    for key, value in state_dict.items():
        if "relative_position_index" in key:
            continue  # rebuilt from the window size
        if key.endswith("relative_position_bias_table") and key in own and value.shape != own[key].shape:
            block = model.get_submodule(key.rsplit(".", 1)[0])
            value = resize_rel_pos_bias_table(value, block.window_size, tuple(own[key].shape))
        elif key == "pos_embed" and model.pos_embed is not None and value.shape != model.pos_embed.shape:
            value = resample_abs_pos_embed(value, new_size=list(model.patch_embed.grid_size), num_prefix_tokens=1)
        elif key == "patch_embed.proj.weight" and value.shape[-2:] != own[key].shape[-2:]:
            raise ValueError(f"checkpoint patch size {tuple(value.shape[-2:])} differs from the model's")
        out[key] = value
    return out


# --- variants -----------------------------------------------------------------------------------------

_BEIT = dict(use_abs_pos_emb=False, use_rel_pos_bias=True)
_BASE = dict(_BEIT, embed_dim=768, depth=12, num_heads=12)
_LARGE = dict(_BEIT, embed_dim=1024, depth=24, num_heads=16, init_values=1e-5)

BEITS: Dict[str, Dict[str, Any]] = {
    "beit_base_patch16_224": dict(_BASE, init_values=0.1),
    "beit_base_patch16_384": dict(_BASE, img_size=384, init_values=0.1),
    "beit_large_patch16_224": dict(_LARGE),
    "beit_large_patch16_384": dict(_LARGE, img_size=384),
    "beit_large_patch16_512": dict(_LARGE, img_size=512),
    "beitv2_base_patch16_224": dict(_BASE, init_values=1e-5),
    "beitv2_large_patch16_224": dict(_LARGE),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), fixed_input_size=True,
        interpolation="bicubic", crop_pct=0.9, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5),
        first_conv="patch_embed.proj", classifier="head", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


BEIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "beit_base_patch16_224.in22k_ft_in22k_in1k": _cfg(),
    "beit_base_patch16_224.in22k_ft_in22k": _cfg(num_classes=21841),
    "beit_base_patch16_384.in22k_ft_in22k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "beit_large_patch16_224.in22k_ft_in22k_in1k": _cfg(),
    "beit_large_patch16_224.in22k_ft_in22k": _cfg(num_classes=21841),
    "beit_large_patch16_384.in22k_ft_in22k_in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0),
    "beit_large_patch16_512.in22k_ft_in22k_in1k": _cfg(input_size=(3, 512, 512), crop_pct=1.0),
    "beitv2_base_patch16_224.in1k_ft_in22k_in1k": _cfg(mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beitv2_base_patch16_224.in1k_ft_in1k": _cfg(mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beitv2_base_patch16_224.in1k_ft_in22k": _cfg(mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=21841),
    "beitv2_large_patch16_224.in1k_ft_in22k_in1k": _cfg(crop_pct=0.95, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beitv2_large_patch16_224.in1k_ft_in1k": _cfg(crop_pct=0.95, mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
    "beitv2_large_patch16_224.in1k_ft_in22k": _cfg(mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD, num_classes=21841),
}

default_cfgs = generate_default_cfgs(BEIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_beit(variant: str, pretrained: bool = False, **kwargs: Any) -> Beit:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        Beit, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(BEITS, _create_beit, globals())
