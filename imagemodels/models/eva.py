"""EVA, EVA-02 and the other ViTs with rotary position embeddings registered beside them: RoPE-ViT
(axial and RoPE-Mixed), DINOv3, Perception Encoder, Sapiens2 and LingBot towers. Checkpoint-compatible
with timm's ``eva`` module.

Papers:

* Fang et al., "EVA: Exploring the Limits of Masked Visual Representation Learning at Scale", 2022
  (arXiv:2211.07636)
* Fang et al., "EVA-02: A Visual Representation for Neon Genesis", 2023 (arXiv:2303.11331)
* Sun et al., "EVA-CLIP: Improved Training Techniques for CLIP at Scale", 2023 (arXiv:2303.15389)
* Heo et al., "Rotary Position Embedding for Vision Transformer", 2024 (arXiv:2403.13298)
* Bolya et al., "Perception Encoder", 2025 (arXiv:2504.13181)
* Simeoni et al., "DINOv3", 2025 (arXiv:2508.10104)

One pre-norm block serves all of them; the variants differ in data only: how q/k/v are projected
(one fused matrix with q/v biases, or three linears), the MLP (GELU, packed SwiGLU, split SwiGLU with
an inner norm), the rotary embedding (EVA-02 axial, DINOv3 normalised-coordinate, learned RoPE-Mixed,
or none), prefix tokens (class / register), and which norm ends the trunk.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import (
    AttentionPoolLatent, DropPath, GluMlp, LayerNorm, Mlp, PatchDropout, PatchEmbed, RmsNorm, SwiGLU,
    add_abs_pos_embed, check_token_pool, resample_abs_pos_embed, resample_patch_embed, token_pool_width,
    trunc_normal_, use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product
from imagemodels.layers.pos_embed_sincos import (
    RotaryEmbeddingCat, RotaryEmbeddingDinoV3, RotaryEmbeddingMixed, apply_rot_embed_cat, gather_rope,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["Eva", "EvaAttention", "EvaBlock", "checkpoint_filter_fn"]

OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

# the norms used by the variant table, by short name
_NORMS: Dict[str, Callable[..., nn.Module]] = {
    "ln": partial(LayerNorm, eps=1e-6),
    "ln1e-05": partial(LayerNorm, eps=1e-5),
    "rms": partial(RmsNorm, eps=1e-6),
}
_ATTN_BIAS = ("qv", "qkv", "none")


class EvaAttention(nn.Module):
    """Multi-head self-attention with rotary position embedding on the patch tokens (the first
    ``num_prefix_tokens`` tokens are not turned).

    ``qkv_fused`` keeps one ``qkv`` matrix (``attn_bias='qv'`` adds ``q_bias`` / ``v_bias`` parameters,
    k gets none, as BEiT / EVA); otherwise ``q_proj`` / ``k_proj`` / ``v_proj``. ``scale_norm`` normalises
    the attention output before ``proj`` (EVA-02 CLIP's sub-LN)."""

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        num_kv_heads: Optional[int] = None,
        qkv_fused: bool = True,
        attn_bias: str = "qv",
        qk_norm: bool = False,
        scale_norm: bool = False,
        rotate_half: bool = False,
        num_prefix_tokens: int = 1,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        norm_layer: Callable[..., nn.Module] = LayerNorm,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if attn_bias not in _ATTN_BIAS:
            raise ValueError(f"attn_bias must be one of {_ATTN_BIAS}, got {attn_bias!r}")
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads or num_heads
        if num_heads % self.num_kv_heads:
            raise ValueError(f"num_heads ({num_heads}) must be a multiple of num_kv_heads ({self.num_kv_heads})")
        self.head_dim = dim // num_heads
        kv_dim = self.head_dim * self.num_kv_heads
        self.scale = self.head_dim ** -0.5
        self.num_prefix_tokens = num_prefix_tokens
        self.rotate_half = rotate_half
        self.fused_attn = use_fused_attn()
        self.qkv_fused = qkv_fused
        if qkv_fused:
            if kv_dim != dim:
                raise ValueError("grouped-query attention (num_kv_heads < num_heads) needs qkv_fused=False")
            self.qkv = nn.Linear(dim, dim * 3, bias=attn_bias == "qkv", **dd)
            if attn_bias == "qv":
                self.q_bias = nn.Parameter(torch.zeros(dim, **dd))
                self.v_bias = nn.Parameter(torch.zeros(dim, **dd))
            else:
                self.q_bias = self.v_bias = None
        else:
            self.q_proj = nn.Linear(dim, dim, bias=attn_bias != "none", **dd)
            self.k_proj = nn.Linear(dim, kv_dim, bias=attn_bias == "qkv", **dd)
            self.v_proj = nn.Linear(dim, kv_dim, bias=attn_bias != "none", **dd)
        self.q_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(self.head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.norm = norm_layer(dim, **dd) if scale_norm else nn.Identity()
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def _qkv(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        batch, tokens, _ = x.shape
        if self.qkv_fused:
            bias = self.qkv.bias
            if self.q_bias is not None:
                bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias), self.v_bias))
            qkv = F.linear(x, self.qkv.weight, bias).reshape(batch, tokens, 3, self.num_heads, -1)
            return qkv.permute(2, 0, 3, 1, 4).unbind(0)
        split = lambda t: t.reshape(batch, tokens, -1, self.head_dim).transpose(1, 2)  # noqa: E731
        return split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))

    def _rotate(self, t: torch.Tensor, rope: torch.Tensor) -> torch.Tensor:
        npt = self.num_prefix_tokens
        turned = apply_rot_embed_cat(t[:, :, npt:], rope, half=self.rotate_half)
        return torch.cat([t[:, :, :npt], turned], dim=2) if npt else turned

    def forward(
        self, x: torch.Tensor, rope: Optional[torch.Tensor] = None, attn_mask: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        batch, tokens, channels = x.shape
        q, k, v = self._qkv(x)  # (B, heads, N, head_dim) each
        q, k = self.q_norm(q), self.k_norm(k)
        if rope is not None:
            q, k = self._rotate(q, rope).type_as(v), self._rotate(k, rope).type_as(v)
        if self.num_kv_heads != self.num_heads:  # grouped-query: each kv head serves consecutive query heads
            groups = self.num_heads // self.num_kv_heads
            k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
        x = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=attn_mask, attn_drop=self.attn_drop)
        x = x.transpose(1, 2).reshape(batch, tokens, channels)
        return self.proj_drop(self.proj(self.norm(x)))


def _make_mlp(kind: str, dim: int, hidden: int, scale_mlp: bool, norm_layer, drop: float, dd) -> nn.Module:
    mlp_norm = norm_layer if scale_mlp else None
    if kind == "swiglu":  # separate gate / value linears (EVA-02 B/L, DINOv3 H+/7B)
        return SwiGLU(dim, hidden_features=hidden, norm_layer=mlp_norm, drop=drop, **dd)
    if kind == "glu":  # one linear, activation on its first half
        return GluMlp(dim, hidden_features=hidden * 2, act_layer=nn.SiLU, norm_layer=mlp_norm, drop=drop,
                      gate_last=False, **dd)
    if kind == "mlp":
        return Mlp(dim, hidden_features=hidden, act_layer=nn.GELU, norm_layer=mlp_norm, drop=drop, **dd)
    raise ValueError(f"mlp must be 'mlp', 'glu' or 'swiglu', got {kind!r}")


class EvaBlock(nn.Module):
    """Pre-norm block (``use_post_norm``: the norms sit on the branch outputs instead, EVA-02-E), with
    LayerScale as ``gamma_1`` / ``gamma_2`` when ``init_values`` is given (Sapiens2 scales the
    attention branch only: ``attn_only_layer_scale=True``)."""

    def __init__(
        self,
        dim: int,
        num_heads: int,
        num_kv_heads: Optional[int] = None,
        qkv_fused: bool = True,
        attn_bias: str = "qv",
        qk_norm: bool = False,
        scale_attn_inner: bool = False,
        mlp: str = "mlp",
        mlp_ratio: float = 4.0,
        scale_mlp: bool = False,
        rotate_half: bool = False,
        num_prefix_tokens: int = 1,
        proj_drop: float = 0.0,
        attn_drop: float = 0.0,
        drop_path: float = 0.0,
        init_values: Optional[float] = None,
        attn_only_layer_scale: bool = False,
        use_post_norm: bool = False,
        norm_layer: Callable[..., nn.Module] = LayerNorm,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.post_norm = use_post_norm
        self.norm1 = norm_layer(dim, **dd)
        self.attn = EvaAttention(
            dim, num_heads=num_heads, num_kv_heads=num_kv_heads, qkv_fused=qkv_fused, attn_bias=attn_bias, qk_norm=qk_norm,
            scale_norm=scale_attn_inner, rotate_half=rotate_half, num_prefix_tokens=num_prefix_tokens,
            attn_drop=attn_drop, proj_drop=proj_drop, norm_layer=norm_layer, **dd)
        self.gamma_1 = nn.Parameter(torch.full((dim,), float(init_values), **dd)) if init_values is not None else None
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = _make_mlp(mlp, dim, int(dim * mlp_ratio), scale_mlp, norm_layer, proj_drop, dd)
        use_ls2 = init_values is not None and not attn_only_layer_scale
        self.gamma_2 = nn.Parameter(torch.full((dim,), float(init_values), **dd)) if use_ls2 else None
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(
        self, x: torch.Tensor, rope: Optional[torch.Tensor] = None, attn_mask: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        if self.post_norm:
            x = x + self.drop_path1(self.norm1(self.attn(x, rope=rope, attn_mask=attn_mask)))
            return x + self.drop_path2(self.norm2(self.mlp(x)))
        y = self.attn(self.norm1(x), rope=rope, attn_mask=attn_mask)
        x = x + self.drop_path1(y if self.gamma_1 is None else self.gamma_1 * y)
        y = self.mlp(self.norm2(x))
        return x + self.drop_path2(y if self.gamma_2 is None else self.gamma_2 * y)


class Eva(nn.Module):
    """Patch embedding + [class token] + [register tokens] (+ absolute position embedding) -> blocks with
    rotary embedding -> final ``norm`` -> pooling ('avg' over patch tokens, 'token', 'map' attention
    pool) -> ``fc_norm`` -> head."""

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
        num_kv_heads: Optional[Union[int, Sequence[int]]] = None,
        qkv_fused: bool = True,
        attn_bias: str = "qv",
        qk_norm: bool = False,
        scale_attn_inner: bool = False,
        mlp: str = "mlp",
        mlp_ratio: float = 4.0,
        scale_mlp: bool = False,
        norm_layer: Union[str, Callable[..., nn.Module]] = "ln",
        init_values: Optional[float] = None,
        attn_only_layer_scale: bool = False,
        use_post_norm: bool = False,
        class_token: bool = True,
        num_reg_tokens: int = 0,
        use_abs_pos_emb: bool = True,
        no_embed_class: bool = False,
        use_rot_pos_emb: bool = True,
        rope_type: str = "cat",
        rope_temperature: float = 10000.0,
        ref_feat_shape: Optional[Tuple[int, int]] = None,
        rope_grid_offset: float = 0.0,
        rope_grid_indexing: str = "ij",
        rope_rescale_coords: Optional[float] = None,
        patch_bias: bool = True,
        use_pre_transformer_norm: bool = False,
        use_post_transformer_norm: bool = False,
        use_fc_norm: bool = True,
        attn_pool_num_heads: int = 8,
        dynamic_img_size: bool = False,
        dynamic_img_pad: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        patch_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        head_init_scale: float = 0.001,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        check_token_pool(global_pool, has_class_token=class_token, has_attn_pool=True)
        if isinstance(norm_layer, str):
            if norm_layer not in _NORMS:
                raise ValueError(f"norm_layer must be a norm class or one of {sorted(_NORMS)}, got {norm_layer!r}")
            norm_layer = _NORMS[norm_layer]
        if rope_type not in ("cat", "dinov3", "mixed"):
            raise ValueError(f"rope_type must be 'cat', 'dinov3' or 'mixed', got {rope_type!r}")
        rope = rope_type if use_rot_pos_emb else None
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.num_prefix_tokens = int(class_token) + num_reg_tokens
        self.no_embed_class = no_embed_class
        self.dynamic_img_size = dynamic_img_size
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self.rope_kind = rope

        self.patch_embed = PatchEmbed(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim, bias=patch_bias,
            output_fmt="NHWC" if dynamic_img_size else None, strict_img_size=not (dynamic_img_size or dynamic_img_pad),
            dynamic_img_pad=dynamic_img_pad, **dd)
        grid = self.patch_embed.grid_size
        reduction = self.patch_embed.feat_ratio()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim, **dd)) if class_token else None
        self.reg_token = nn.Parameter(torch.zeros(1, num_reg_tokens, embed_dim, **dd)) if num_reg_tokens else None
        if use_abs_pos_emb:
            length = self.patch_embed.num_patches + (0 if no_embed_class else self.num_prefix_tokens)
            self.pos_embed = nn.Parameter(torch.zeros(1, length, embed_dim, **dd))
        else:
            self.pos_embed = None
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        self.patch_drop = (PatchDropout(patch_drop_rate, num_prefix_tokens=self.num_prefix_tokens, return_indices=True)
                           if patch_drop_rate > 0 else None)

        head_dim = embed_dim // num_heads
        if rope == "cat":
            self.rope = RotaryEmbeddingCat(
                head_dim, temperature=rope_temperature, feat_shape=None if dynamic_img_size else grid,
                ref_feat_shape=ref_feat_shape, grid_offset=rope_grid_offset, grid_indexing=rope_grid_indexing)
        elif rope == "dinov3":
            self.rope = RotaryEmbeddingDinoV3(head_dim, temperature=rope_temperature, rescale_coords=rope_rescale_coords)
        elif rope == "mixed":
            self.rope = RotaryEmbeddingMixed(
                embed_dim, depth=depth, num_heads=num_heads, temperature=rope_temperature,
                feat_shape=None if dynamic_img_size else grid, grid_indexing=rope_grid_indexing, **dd)
        else:
            self.rope = None
        self.norm_pre = norm_layer(embed_dim, **dd) if use_pre_transformer_norm else nn.Identity()

        dpr = [drop_path_rate * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        if num_kv_heads is None or isinstance(num_kv_heads, int):
            num_kv_heads = [num_kv_heads] * depth
        if len(num_kv_heads) != depth:
            raise ValueError(f"num_kv_heads must be an int or one value per block ({depth}), got {len(num_kv_heads)}")
        self.blocks = nn.ModuleList([
            EvaBlock(
                embed_dim, num_heads, num_kv_heads=num_kv_heads[i], qkv_fused=qkv_fused, attn_bias=attn_bias, qk_norm=qk_norm,
                scale_attn_inner=scale_attn_inner, mlp=mlp, mlp_ratio=mlp_ratio, scale_mlp=scale_mlp,
                rotate_half=rope == "dinov3", num_prefix_tokens=self.num_prefix_tokens, proj_drop=proj_drop_rate,
                attn_drop=attn_drop_rate, drop_path=dpr[i], init_values=init_values,
                attn_only_layer_scale=attn_only_layer_scale, use_post_norm=use_post_norm, norm_layer=norm_layer, **dd)
            for i in range(depth)
        ])
        self.feature_info = [dict(module=f"blocks.{i}", num_chs=embed_dim, reduction=reduction) for i in range(depth)]
        self.norm = norm_layer(embed_dim, **dd) if use_post_transformer_norm else nn.Identity()
        if global_pool == "map":
            self.attn_pool = AttentionPoolLatent(embed_dim, num_heads=attn_pool_num_heads, mlp_ratio=4.0,
                                                 norm_layer=norm_layer, **dd)
        else:
            self.attn_pool = None
        self.fc_norm = norm_layer(embed_dim, **dd) if use_fc_norm else nn.Identity()
        self.head_drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(embed_dim, num_classes, **dd) if num_classes > 0 else nn.Identity()
        if not any(p.is_meta for p in self.parameters()):
            self._init_weights(head_init_scale)

    def _init_weights(self, head_init_scale: float) -> None:
        for param in (self.pos_embed, self.cls_token, self.reg_token):
            if param is not None:
                trunc_normal_(param, std=0.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        for layer, block in enumerate(self.blocks, start=1):
            # scale the residual branch outputs down with depth (BEiT / EVA init)
            block.attn.proj.weight.data.div_(math.sqrt(2.0 * layer))
            block.mlp.fc2.weight.data.div_(math.sqrt(2.0 * layer))
        if self.attn_pool is not None:
            self.attn_pool.init_weights()
        if isinstance(self.head, nn.Linear):
            self.head.weight.data.mul_(head_init_scale)
            self.head.bias.data.mul_(head_init_scale)

    @torch.jit.ignore
    def no_weight_decay(self) -> Set[str]:
        return {"pos_embed", "cls_token", "reg_token", "rope.freqs"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|^reg_token|^pos_embed|^patch_embed|^rope|^norm_pre",
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
            check_token_pool(global_pool, has_class_token=self.cls_token is not None,
                             has_attn_pool=self.attn_pool is not None)
            if global_pool != "map":
                self.attn_pool = None
            self.global_pool = global_pool
        device = self.patch_embed.proj.weight.device
        width = token_pool_width(self.embed_dim, self.global_pool)
        self.head = nn.Linear(width, num_classes, device=device) if num_classes > 0 else nn.Identity()

    # --- forward ---

    def _rope_for(self, grid: Tuple[int, int]) -> Optional[torch.Tensor]:
        if self.rope is None:
            return None
        return self.rope.get_embed(None if self.rope_kind != "dinov3" and not self.dynamic_img_size else grid)

    def _embed(self, x: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Tokens with prefix tokens and position embedding, and the rotary embedding for the patch tokens."""
        x = self.patch_embed(x)
        grid = tuple(x.shape[1:3]) if x.ndim == 4 else self.patch_embed.grid_size  # (B, H, W, C) at dynamic size
        x = add_abs_pos_embed(x, self.pos_embed, (self.cls_token, self.reg_token), self.patch_embed.grid_size,
                              no_embed_class=self.no_embed_class)
        x = self.pos_drop(x)
        rope = self._rope_for(grid)
        if self.patch_drop is not None:
            x, keep = self.patch_drop(x)
            if keep is not None and rope is not None:
                rope = gather_rope(rope, keep, per_block=self.rope_kind == "mixed")
        return self.norm_pre(x), rope

    def _block_rope(self, rope: Optional[torch.Tensor], index: int) -> Optional[torch.Tensor]:
        if rope is not None and self.rope_kind == "mixed":
            return rope[index]  # one learned embedding per block
        return rope

    def _run(self, index: int, block: nn.Module, x: torch.Tensor, rope: Optional[torch.Tensor],
             attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        rope = self._block_rope(rope, index)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, x, rope, attn_mask, use_reentrant=False)
        return block(x, rope=rope, attn_mask=attn_mask)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        return_prefix_tokens: bool = False,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
        attn_mask: Optional[torch.Tensor] = None,
    ) -> Union[List[Any], Tuple[torch.Tensor, List[Any]]]:
        """Block outputs at ``indices`` (None: all, int: the last n, list: those) without the prefix
        tokens, as NCHW maps or NLC tokens; as VisionTransformer's."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        x, rope = self._embed(x)
        blocks = self.blocks[:max_index + 1] if stop_early else self.blocks
        intermediates = []
        for i, block in enumerate(blocks):
            x = self._run(i, block, x, rope, attn_mask)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)
        npt = self.num_prefix_tokens
        prefix = [y[:, :npt] for y in intermediates] if npt else None
        intermediates = [y[:, npt:] for y in intermediates]
        if output_fmt == "NCHW":
            grid_h, grid_w = self.patch_embed.dynamic_feat_size((height, width))
            intermediates = [y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous() for y in intermediates]
        if prefix is not None and return_prefix_tokens:
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
            self.attn_pool = None
            self.fc_norm = nn.Identity()
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x, rope = self._embed(x)
        for i, block in enumerate(self.blocks):
            x = self._run(i, block, x, rope, attn_mask)
        return self.norm(x)

    def pool(self, x: torch.Tensor, pool_type: Optional[str] = None) -> torch.Tensor:
        if self.attn_pool is not None:
            return self.attn_pool(x)
        pool_type = self.global_pool if pool_type is None else pool_type
        if pool_type == "token":
            return x[:, 0]
        patches = x[:, self.num_prefix_tokens:]
        if pool_type == "avg":
            return patches.mean(dim=1)
        if pool_type == "max":
            return patches.amax(dim=1)
        if pool_type == "avgmax":
            return 0.5 * (patches.amax(dim=1) + patches.mean(dim=1))
        if pool_type == "catavgmax":
            return torch.cat([patches.mean(dim=1), patches.amax(dim=1)], dim=-1)
        return x

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.pool(x)
        if self.global_pool == "catavgmax" and self.attn_pool is None:
            # the norm is embed_dim wide: normalise the average and the max halves each
            x = torch.cat([self.fc_norm(half) for half in x.chunk(2, dim=-1)], dim=-1)
        else:
            x = self.fc_norm(x)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        return self.forward_head(self.forward_features(x, attn_mask=attn_mask))


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: Eva) -> Dict[str, torch.Tensor]:
    """Adapt a checkpoint in this layout to ``model``: resample the absolute position embedding to the
    model's grid and the patch kernel to its patch size; drop derived rotary buffers; unwrap
    ``{'model': ...}`` / ``{'module': ...}`` / ``{'state_dict': ...}`` files."""
    for wrapper in ("model", "module", "state_dict"):
        if wrapper in state_dict and isinstance(state_dict[wrapper], dict):
            state_dict = state_dict[wrapper]
    own = model.state_dict()
    out = {}
    for key, value in state_dict.items():
        if key.startswith("rope.") and key not in own:
            continue  # sin / cos tables are rebuilt from the grid
        if key == "pos_embed" and model.pos_embed is not None and value.shape != model.pos_embed.shape:
            prefix = 0 if model.no_embed_class else model.num_prefix_tokens
            old_side = int(math.sqrt(value.shape[1] - prefix))
            value = resample_abs_pos_embed(value, new_size=list(model.patch_embed.grid_size),
                                           old_size=[old_side, old_side], num_prefix_tokens=prefix)
        elif key == "patch_embed.proj.weight" and value.shape[-2:] != own[key].shape[-2:]:
            value = resample_patch_embed(value, list(own[key].shape[-2:]))
        out[key] = value
    return out


# --- variants -----------------------------------------------------------------------------------------
# Read off the reference's built models (module types, widths, flags), written here as data.

_EVA02 = dict(patch_size=14, ref_feat_shape=(16, 16), mlp_ratio=4 * 2 / 3)
_EVA02_BL = dict(_EVA02, qkv_fused=False, mlp="swiglu", scale_mlp=True)
_EVA02_CLIP = dict(scale_attn_inner=True, use_post_transformer_norm=True, use_fc_norm=False, global_pool="token")
_EVA_G = dict(patch_size=14, embed_dim=1408, depth=40, num_heads=16, mlp_ratio=6144 / 1408, use_rot_pos_emb=False)
_CLIP_HEAD = dict(use_post_transformer_norm=True, use_fc_norm=False, global_pool="token")
_NAVER = dict(attn_bias="qkv", init_values=1e-5, rope_temperature=100.0, rope_grid_indexing="xy", **_CLIP_HEAD)
_NAVER_MIXED = dict(_NAVER, rope_type="mixed", rope_temperature=10.0)
_SBB = dict(img_size=256, init_values=1e-5, class_token=False, use_abs_pos_emb=False, ref_feat_shape=(16, 16))
_DINOV3 = dict(img_size=256, norm_layer="ln1e-05", init_values=1e-5, num_reg_tokens=4, use_abs_pos_emb=False, rope_type="dinov3",
               rope_temperature=100.0, use_post_transformer_norm=True, use_fc_norm=False, dynamic_img_size=True, num_classes=0)
_LINGBOT = dict(_DINOV3, img_size=512, global_pool="token")
_SAPIENS = dict(img_size=(1024, 768), qkv_fused=False, attn_bias="qkv", qk_norm=True, mlp="glu", norm_layer="rms",
                init_values=1.0, attn_only_layer_scale=True, num_reg_tokens=8, use_abs_pos_emb=False, rope_type="dinov3",
                rope_temperature=100.0, rope_rescale_coords=2.0, use_post_transformer_norm=True, use_fc_norm=False,
                global_pool="token", dynamic_img_size=True, num_classes=0)


def _sapiens_kv_heads(num_heads: int, depth: int) -> Optional[List[int]]:
    """Sapiens2: the first and last 8 blocks attend with all heads, the middle ones with half as many kv heads."""
    return None if depth <= 16 else [num_heads] * 8 + [num_heads // 2] * (depth - 16) + [num_heads] * 8


_PE = dict(attn_bias="qkv", norm_layer="ln1e-05", rope_grid_offset=1.0, rope_grid_indexing="xy", patch_bias=False,
           use_pre_transformer_norm=True, use_fc_norm=False)
_PE_CORE = dict(_PE, use_post_transformer_norm=True, global_pool="map")
_PE_FEAT = dict(_PE, num_classes=0)
_PE_G = dict(patch_size=14, embed_dim=1536, depth=50, num_heads=16, mlp_ratio=8960 / 1536, class_token=False,
             rope_grid_offset=0.0, ref_feat_shape=(32, 32), img_size=448)

EVAS: Dict[str, Dict[str, Any]] = {
    "eva02_base_patch14_224": dict(_EVA02_BL, num_classes=0),
    "eva02_base_patch14_448": dict(_EVA02_BL, img_size=448),
    "eva02_base_patch16_clip_224": dict(_EVA02_BL, **_EVA02_CLIP, patch_size=16, num_classes=512),
    "eva02_enormous_patch14_clip_224": dict(patch_size=14, embed_dim=1792, depth=64, num_heads=16, mlp_ratio=15360 / 1792,
                                            use_post_norm=True, use_rot_pos_emb=False, **_CLIP_HEAD, num_classes=1024),
    "eva02_large_patch14_224": dict(_EVA02_BL, embed_dim=1024, depth=24, num_heads=16, num_classes=0),
    "eva02_large_patch14_448": dict(_EVA02_BL, img_size=448, embed_dim=1024, depth=24, num_heads=16),
    "eva02_large_patch14_clip_224": dict(_EVA02_BL, **_EVA02_CLIP, embed_dim=1024, depth=24, num_heads=16, num_classes=768),
    "eva02_large_patch14_clip_336": dict(_EVA02_BL, **_EVA02_CLIP, img_size=336, embed_dim=1024, depth=24, num_heads=16,
                                         num_classes=768),
    "eva02_small_patch14_224": dict(_EVA02, embed_dim=384, num_heads=6, mlp="glu", num_classes=0),
    "eva02_small_patch14_336": dict(_EVA02, img_size=336, embed_dim=384, num_heads=6, mlp="glu"),
    "eva02_tiny_patch14_224": dict(_EVA02, embed_dim=192, num_heads=3, mlp="glu", num_classes=0),
    "eva02_tiny_patch14_336": dict(_EVA02, img_size=336, embed_dim=192, num_heads=3, mlp="glu"),
    "eva_giant_patch14_224": dict(_EVA_G),
    "eva_giant_patch14_336": dict(_EVA_G, img_size=336),
    "eva_giant_patch14_560": dict(_EVA_G, img_size=560),
    "eva_giant_patch14_clip_224": dict(_EVA_G, **_CLIP_HEAD, num_classes=1024),
    "vit_5b_patch16_sapiens2": dict(_SAPIENS, embed_dim=2432, depth=56, num_heads=32,
                                    num_kv_heads=_sapiens_kv_heads(32, 56)),
    "vit_7b_patch16_dinov3": dict(_DINOV3, embed_dim=4096, depth=40, num_heads=32, attn_bias="none", mlp="swiglu",
                                  mlp_ratio=2.0),
    "vit_base_patch16_dinov3": dict(_DINOV3, attn_bias="none"),
    "vit_base_patch16_dinov3_qkvb": dict(_DINOV3),
    "vit_base_patch16_lingbot": dict(_LINGBOT),
    "vit_base_patch16_rope_224": dict(_NAVER, use_abs_pos_emb=False),
    "vit_base_patch16_rope_ape_224": dict(_NAVER, no_embed_class=True),
    "vit_base_patch16_rope_mixed_224": dict(_NAVER_MIXED, use_abs_pos_emb=False),
    "vit_base_patch16_rope_mixed_ape_224": dict(_NAVER_MIXED, no_embed_class=True),
    "vit_base_patch16_rope_reg1_gap_256": dict(_SBB, num_reg_tokens=1),
    "vit_base_patch16_sapiens2": dict(_SAPIENS),
    "vit_betwixt_patch16_rope_reg4_gap_256": dict(_SBB, embed_dim=640, num_heads=10, num_reg_tokens=4),
    "vit_giant_patch16_lingbot": dict(_LINGBOT, embed_dim=1536, depth=40, num_heads=24, attn_bias="none", mlp="swiglu",
                                      mlp_ratio=4 * 2 / 3),
    "vit_giant_patch16_sapiens2": dict(_SAPIENS, embed_dim=1536, depth=40, num_heads=24,
                                       num_kv_heads=_sapiens_kv_heads(24, 40)),
    "vit_huge_patch16_sapiens2": dict(_SAPIENS, embed_dim=1280, depth=32, num_heads=16,
                                      num_kv_heads=_sapiens_kv_heads(16, 32)),
    "vit_huge_plus_patch16_dinov3": dict(_DINOV3, embed_dim=1280, depth=32, num_heads=20, attn_bias="none", mlp="swiglu"),
    "vit_huge_plus_patch16_dinov3_qkvb": dict(_DINOV3, embed_dim=1280, depth=32, num_heads=20, mlp="swiglu"),
    "vit_large_patch16_dinov3": dict(_DINOV3, embed_dim=1024, depth=24, num_heads=16, attn_bias="none"),
    "vit_large_patch16_dinov3_qkvb": dict(_DINOV3, embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch16_lingbot": dict(_LINGBOT, embed_dim=1024, depth=24, num_heads=16),
    "vit_large_patch16_rope_224": dict(_NAVER, embed_dim=1024, depth=24, num_heads=16, use_abs_pos_emb=False),
    "vit_large_patch16_rope_ape_224": dict(_NAVER, embed_dim=1024, depth=24, num_heads=16, no_embed_class=True),
    "vit_large_patch16_rope_mixed_224": dict(_NAVER_MIXED, embed_dim=1024, depth=24, num_heads=16, use_abs_pos_emb=False),
    "vit_large_patch16_rope_mixed_ape_224": dict(_NAVER_MIXED, embed_dim=1024, depth=24, num_heads=16, no_embed_class=True),
    "vit_large_patch16_sapiens2": dict(_SAPIENS, embed_dim=1024, depth=24, num_heads=16,
                                       num_kv_heads=_sapiens_kv_heads(16, 24)),
    "vit_medium_patch16_rope_reg1_gap_256": dict(_SBB, embed_dim=512, num_heads=8, num_reg_tokens=1),
    "vit_mediumd_patch16_rope_reg1_gap_256": dict(_SBB, embed_dim=512, depth=20, num_heads=8, attn_bias="none",
                                                  num_reg_tokens=1),
    "vit_pe_core_base_patch16_224": dict(_PE_CORE, ref_feat_shape=(14, 14), num_classes=1024),
    "vit_pe_core_gigantic_patch14_448": dict(_PE_CORE, **_PE_G, num_classes=1280),
    "vit_pe_core_large_patch14_336": dict(_PE_CORE, img_size=336, patch_size=14, embed_dim=1024, depth=24, num_heads=16,
                                          ref_feat_shape=(24, 24), num_classes=1024),
    "vit_pe_core_small_patch16_384": dict(_PE_CORE, img_size=384, embed_dim=384, num_heads=6, ref_feat_shape=(24, 24),
                                          num_classes=512),
    "vit_pe_core_tiny_patch16_384": dict(_PE_CORE, img_size=384, embed_dim=192, num_heads=3, ref_feat_shape=(24, 24),
                                         num_classes=512),
    "vit_pe_lang_gigantic_patch14_448": dict(_PE_FEAT, **dict(_PE_G, depth=47), init_values=0.1),
    "vit_pe_lang_large_patch14_448": dict(_PE_FEAT, img_size=448, patch_size=14, embed_dim=1024, depth=23, num_heads=16,
                                          init_values=0.1, ref_feat_shape=(32, 32)),
    "vit_pe_spatial_base_patch16_512": dict(_PE_FEAT, img_size=512, ref_feat_shape=(32, 32)),
    "vit_pe_spatial_gigantic_patch14_448": dict(_PE_FEAT, **_PE_G, init_values=0.1),
    "vit_pe_spatial_large_patch14_448": dict(_PE_FEAT, img_size=448, patch_size=14, embed_dim=1024, depth=24, num_heads=16,
                                             ref_feat_shape=(32, 32)),
    "vit_pe_spatial_small_patch16_512": dict(_PE_FEAT, img_size=512, embed_dim=384, num_heads=6, ref_feat_shape=(32, 32)),
    "vit_pe_spatial_tiny_patch16_512": dict(_PE_FEAT, img_size=512, embed_dim=192, num_heads=3, ref_feat_shape=(32, 32)),
    "vit_small_patch16_dinov3": dict(_DINOV3, embed_dim=384, num_heads=6, attn_bias="none"),
    "vit_small_patch16_dinov3_qkvb": dict(_DINOV3, embed_dim=384, num_heads=6),
    "vit_small_patch16_lingbot": dict(_LINGBOT, embed_dim=384, num_heads=6),
    "vit_small_patch16_rope_224": dict(_NAVER, embed_dim=384, num_heads=6, use_abs_pos_emb=False),
    "vit_small_patch16_rope_ape_224": dict(_NAVER, embed_dim=384, num_heads=6, no_embed_class=True),
    "vit_small_patch16_rope_mixed_224": dict(_NAVER_MIXED, embed_dim=384, num_heads=6, use_abs_pos_emb=False),
    "vit_small_patch16_rope_mixed_ape_224": dict(_NAVER_MIXED, embed_dim=384, num_heads=6, no_embed_class=True),
    "vit_small_plus_patch16_dinov3": dict(_DINOV3, embed_dim=384, num_heads=6, attn_bias="none", mlp="swiglu"),
    "vit_small_plus_patch16_dinov3_qkvb": dict(_DINOV3, embed_dim=384, num_heads=6, mlp="swiglu"),
    "vit_tiny_patch16_dinov3_qkvb": dict(_DINOV3, embed_dim=192, num_heads=3),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=0, crop_pct=1.0, first_conv="patch_embed.proj", classifier="head",
        license="mit", fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


_SAPIENS_CFG = dict(
    input_size=(3, 1024, 768), crop_mode="squash", interpolation="bilinear", license="sapiens2-license",
    origin_url="https://github.com/facebookresearch/sapiens2", paper_ids="arXiv:2604.21681", fixed_input_size=False,
    min_input_size=(3, 256, 192))

EVA_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "eva02_base_patch14_224.mim_in22k": _cfg(crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_base_patch14_448.mim_in22k_ft_in22k_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_base_patch14_448.mim_in22k_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_base_patch14_448.mim_in22k_ft_in22k": _cfg(
        num_classes=21841, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_base_patch16_clip_224.merged2b": _cfg(
        num_classes=512, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_enormous_patch14_clip_224.laion2b": _cfg(
        num_classes=1024, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_enormous_patch14_clip_224.laion2b_plus": _cfg(
        num_classes=1024, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_enormous_patch14_clip_224.pretrain": _cfg(
        hf_hub_id=None, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_224.mim_in22k": _cfg(crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_224.mim_m38m": _cfg(crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_in22k_ft_in22k_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_m38m_ft_in22k_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_in22k_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_m38m_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 448, 448), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_in22k_ft_in22k": _cfg(
        num_classes=21841, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_448.mim_m38m_ft_in22k": _cfg(
        num_classes=21841, input_size=(3, 448, 448), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_clip_224.merged2b": _cfg(
        num_classes=768, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_large_patch14_clip_336.merged2b": _cfg(
        num_classes=768, input_size=(3, 336, 336), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_small_patch14_224.mim_in22k": _cfg(crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_small_patch14_336.mim_in22k_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 336, 336), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_tiny_patch14_224.mim_in22k": _cfg(crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva02_tiny_patch14_336.mim_in22k_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 336, 336), mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva_giant_patch14_224.clip_ft_in1k": _cfg(
        num_classes=1000, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva_giant_patch14_336.clip_ft_in1k": _cfg(
        num_classes=1000, input_size=(3, 336, 336), crop_mode="squash", mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva_giant_patch14_336.m30m_ft_in22k_in1k": _cfg(num_classes=1000, input_size=(3, 336, 336), crop_mode="squash"),
    "eva_giant_patch14_560.m30m_ft_in22k_in1k": _cfg(num_classes=1000, input_size=(3, 560, 560), crop_mode="squash"),
    "eva_giant_patch14_clip_224.laion400m": _cfg(
        num_classes=1024, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "eva_giant_patch14_clip_224.merged2b": _cfg(
        num_classes=1024, crop_pct=0.9, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_5b_patch16_sapiens2.fb": _cfg(**_SAPIENS_CFG),
    "vit_7b_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_7b_patch16_dinov3.sat493m": _cfg(
        input_size=(3, 256, 256), mean=(0.43, 0.411, 0.296), std=(0.213, 0.156, 0.143), license="dinov3-license"),
    "vit_base_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_base_patch16_dinov3_qkvb.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_base_patch16_dinov3_qkvb.eupe_lvd1689m": _cfg(
        input_size=(3, 256, 256), license="fair-noncommercial-research-license"),
    "vit_base_patch16_lingbot.robbyant": _cfg(
        hf_hub_id="belfner/vit_base_patch16_lingbot.robbyant", input_size=(3, 512, 512), crop_mode="squash",
        interpolation="bilinear", license="apache-2.0", origin_url="https://github.com/robbyant/lingbot-vision",
        paper_ids="arXiv:2607.05247"),
    "vit_base_patch16_rope_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_base_patch16_rope_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_base_patch16_rope_mixed_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_base_patch16_rope_mixed_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_base_patch16_rope_reg1_gap_256.sbb_in1k": _cfg(
        num_classes=1000, input_size=(3, 256, 256), crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "vit_base_patch16_sapiens2.fb": _cfg(**_SAPIENS_CFG),
    "vit_betwixt_patch16_rope_reg4_gap_256.sbb_in1k": _cfg(
        num_classes=1000, input_size=(3, 256, 256), crop_pct=0.95, mean=OPENAI_CLIP_MEAN, std=OPENAI_CLIP_STD),
    "vit_giant_patch16_lingbot.robbyant": _cfg(
        hf_hub_id="belfner/vit_giant_patch16_lingbot.robbyant", input_size=(3, 512, 512), crop_mode="squash",
        interpolation="bilinear", license="apache-2.0", origin_url="https://github.com/robbyant/lingbot-vision",
        paper_ids="arXiv:2607.05247"),
    "vit_giant_patch16_sapiens2.fb": _cfg(**_SAPIENS_CFG),
    "vit_huge_patch16_sapiens2.fb": _cfg(**_SAPIENS_CFG),
    "vit_huge_plus_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_huge_plus_patch16_dinov3_qkvb.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_large_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_large_patch16_dinov3.sat493m": _cfg(
        input_size=(3, 256, 256), mean=(0.43, 0.411, 0.296), std=(0.213, 0.156, 0.143), license="dinov3-license"),
    "vit_large_patch16_dinov3_qkvb.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_large_patch16_dinov3_qkvb.sat493m": _cfg(
        input_size=(3, 256, 256), mean=(0.43, 0.411, 0.296), std=(0.213, 0.156, 0.143), license="dinov3-license"),
    "vit_large_patch16_lingbot.robbyant": _cfg(
        hf_hub_id="belfner/vit_large_patch16_lingbot.robbyant", input_size=(3, 512, 512), crop_mode="squash",
        interpolation="bilinear", license="apache-2.0", origin_url="https://github.com/robbyant/lingbot-vision",
        paper_ids="arXiv:2607.05247"),
    "vit_large_patch16_rope_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_large_patch16_rope_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_large_patch16_rope_mixed_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_large_patch16_rope_mixed_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_large_patch16_sapiens2.fb": _cfg(**_SAPIENS_CFG),
    "vit_medium_patch16_rope_reg1_gap_256.sbb_in1k": _cfg(
        num_classes=1000, input_size=(3, 256, 256), crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "vit_mediumd_patch16_rope_reg1_gap_256.sbb_in1k": _cfg(
        num_classes=1000, input_size=(3, 256, 256), crop_pct=0.95, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
    "vit_pe_core_base_patch16_224.fb": _cfg(
        num_classes=1024, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_core_gigantic_patch14_448.fb": _cfg(
        num_classes=1280, input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_core_large_patch14_336.fb": _cfg(
        num_classes=1024, input_size=(3, 336, 336), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_core_small_patch16_384.fb": _cfg(
        num_classes=512, input_size=(3, 384, 384), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_core_tiny_patch16_384.fb": _cfg(
        num_classes=512, input_size=(3, 384, 384), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_lang_gigantic_patch14_448.fb": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_lang_gigantic_patch14_448.fb_tiling": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_lang_large_patch14_448.fb": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_lang_large_patch14_448.fb_tiling": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_spatial_base_patch16_512.fb": _cfg(
        input_size=(3, 512, 512), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_spatial_gigantic_patch14_448.fb": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_spatial_large_patch14_448.fb": _cfg(
        input_size=(3, 448, 448), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_spatial_small_patch16_512.fb": _cfg(
        input_size=(3, 512, 512), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_pe_spatial_tiny_patch16_512.fb": _cfg(
        input_size=(3, 512, 512), mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), license="apache-2.0"),
    "vit_small_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_small_patch16_dinov3_qkvb.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_small_patch16_dinov3_qkvb.eupe_lvd1689m": _cfg(
        input_size=(3, 256, 256), license="fair-noncommercial-research-license"),
    "vit_small_patch16_lingbot.robbyant": _cfg(
        hf_hub_id="belfner/vit_small_patch16_lingbot.robbyant", input_size=(3, 512, 512), crop_mode="squash",
        interpolation="bilinear", license="apache-2.0", origin_url="https://github.com/robbyant/lingbot-vision",
        paper_ids="arXiv:2607.05247"),
    "vit_small_patch16_rope_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_small_patch16_rope_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_small_patch16_rope_mixed_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_small_patch16_rope_mixed_ape_224.naver_in1k": _cfg(num_classes=1000, crop_pct=0.9, license="apache-2.0"),
    "vit_small_plus_patch16_dinov3.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_small_plus_patch16_dinov3_qkvb.lvd1689m": _cfg(input_size=(3, 256, 256), license="dinov3-license"),
    "vit_tiny_patch16_dinov3_qkvb.eupe_lvd1689m": _cfg(
        input_size=(3, 256, 256), license="fair-noncommercial-research-license"),
}

default_cfgs = generate_default_cfgs(EVA_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_eva(variant: str, pretrained: bool = False, **kwargs: Any) -> Eva:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        Eva, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(EVAS, _create_eva, globals())
