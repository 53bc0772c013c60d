"""XCiT: cross-covariance image transformers.

Paper: El-Nouby et al., "XCiT: Cross-Covariance Image Transformers", 2021 (arXiv:2106.09681).
Checkpoint-compatible with timm's ``xcit`` module.

Attention runs across channels instead of tokens: per head, the (d x d) cross-covariance of the
L2-normalised keys and queries, scaled by a learned per-head temperature, mixes the value channels,
so the cost grows linearly with the number of tokens. Because that mixes no information between
tokens, every block adds a Local Patch Interaction (two depthwise 3x3 convs over the token grid).
A conv stem replaces the linear patch embedding; positions come from a Fourier (sine) encoding of the
grid, projected to the embedding width; the class token joins only at the end, for two CaiT-style
class-attention blocks (kept in this file: XCiT's variant passes the patch tokens through unchanged).

Layout: the blocks, the network, then ``XCITS`` (one row per registered name), the weight metadata,
then registration.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import DropPath, Mlp, trunc_normal_

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["Xcit"]

LayerFn = Callable[..., nn.Module]
_POOLS = ("", "token", "avg", "max", "avgmax", "catavgmax")


class PositionalEncodingFourier(nn.Module):
    """Sine/cosine encoding of the normalised (y, x) grid position (``hidden_dim`` frequencies per
    axis), projected to ``dim`` by a 1x1 conv. Computed for any grid size, so XCiT has no table to
    resample."""

    def __init__(self, hidden_dim: int = 32, dim: int = 768, temperature: float = 10000.0):
        super().__init__()
        self.token_projection = nn.Conv2d(hidden_dim * 2, dim, kernel_size=1)
        self.scale = 2 * math.pi
        self.temperature = temperature
        self.hidden_dim = hidden_dim
        self.dim = dim
        self.eps = 1e-6

    def forward(self, B: int, H: int, W: int) -> torch.Tensor:
        device = self.token_projection.weight.device
        dtype = self.token_projection.weight.dtype
        # positions 1..H, 1..W scaled so the last one is 2*pi
        y = torch.arange(1, H + 1, dtype=torch.float32, device=device)[:, None].expand(H, W)
        x = torch.arange(1, W + 1, dtype=torch.float32, device=device)[None, :].expand(H, W)
        y = y / (H + self.eps) * self.scale
        x = x / (W + self.eps) * self.scale
        dim_t = torch.arange(self.hidden_dim, dtype=torch.float32, device=device)
        dim_t = self.temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / self.hidden_dim)
        pos_x = x[:, :, None] / dim_t
        pos_y = y[:, :, None] / dim_t
        pos_x = torch.stack([pos_x[:, :, 0::2].sin(), pos_x[:, :, 1::2].cos()], dim=3).flatten(2)
        pos_y = torch.stack([pos_y[:, :, 0::2].sin(), pos_y[:, :, 1::2].cos()], dim=3).flatten(2)
        pos = torch.cat([pos_y, pos_x], dim=2).permute(2, 0, 1)[None].to(dtype)
        return self.token_projection(pos).expand(B, -1, -1, -1)


def _conv3x3_bn(in_chs: int, out_chs: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(in_chs, out_chs, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(out_chs))


class ConvPatchEmbed(nn.Module):
    """Stride-2 3x3 conv+BN layers (4 for patch 16, 3 for patch 8), doubling the width up to
    ``embed_dim``, GELU between them. Returns tokens (B, N, C) and the grid size."""

    def __init__(self, patch_size: int = 16, in_chans: int = 3, embed_dim: int = 768, act_layer: LayerFn = nn.GELU):
        super().__init__()
        if patch_size not in (8, 16):
            raise ValueError(f"XCiT's conv patch embedding supports patch_size 8 or 16, got {patch_size}")
        self.patch_size = patch_size
        num_convs = int(math.log2(patch_size))
        layers: List[nn.Module] = []
        prev = in_chans
        for i in range(num_convs):
            width = embed_dim // 2 ** (num_convs - 1 - i)
            layers.append(_conv3x3_bn(prev, width))
            if i < num_convs - 1:
                layers.append(act_layer())
            prev = width
        self.proj = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Tuple[int, int]]:
        x = self.proj(x)
        grid = (x.shape[2], x.shape[3])
        return x.flatten(2).transpose(1, 2), grid


class LPI(nn.Module):
    """Local Patch Interaction: depthwise 3x3 conv, act, BN, depthwise 3x3 conv over the token grid."""

    def __init__(self, in_features: int, act_layer: LayerFn = nn.GELU, kernel_size: int = 3):
        super().__init__()
        padding = kernel_size // 2
        self.conv1 = nn.Conv2d(in_features, in_features, kernel_size, padding=padding, groups=in_features)
        self.act = act_layer()
        self.bn = nn.BatchNorm2d(in_features)
        self.conv2 = nn.Conv2d(in_features, in_features, kernel_size, padding=padding, groups=in_features)

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        B, N, C = x.shape
        x = x.transpose(1, 2).reshape(B, C, H, W)
        x = self.conv2(self.bn(self.act(self.conv1(x))))
        return x.reshape(B, C, N).transpose(1, 2)


class XCA(nn.Module):
    """Cross-covariance attention: per head, softmax(temperature * q_hat k_hat^T) over the (d x d)
    channel pairs, q_hat / k_hat L2-normalised along the tokens; the result mixes v's channels."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.temperature = nn.Parameter(torch.ones(num_heads, 1, 1))
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        # (3, B, heads, head_dim, N): channels as the "sequence", tokens as the features
        q, k, v = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 4, 1).unbind(0)
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        attn = (q @ k.transpose(-2, -1)) * self.temperature
        attn = self.attn_drop(attn.softmax(dim=-1))
        x = (attn @ v).permute(0, 3, 1, 2).reshape(B, N, C)
        return self.proj_drop(self.proj(x))


class XCABlock(nn.Module):
    """XCA, then Local Patch Interaction, then MLP; each residual branch scaled per channel (gamma)."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm, eta: float = 1.0):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = XCA(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm3 = norm_layer(dim)
        self.local_mp = LPI(dim, act_layer=act_layer)
        self.drop_path3 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.gamma1 = nn.Parameter(eta * torch.ones(dim))
        self.gamma3 = nn.Parameter(eta * torch.ones(dim))
        self.gamma2 = nn.Parameter(eta * torch.ones(dim))

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        x = x + self.drop_path1(self.gamma1 * self.attn(self.norm1(x)))
        x = x + self.drop_path3(self.gamma3 * self.local_mp(self.norm3(x), H, W))
        return x + self.drop_path2(self.gamma2 * self.mlp(self.norm2(x)))


class ClassAttn(nn.Module):
    """Attention from the class token (query) to all tokens; returns the class token's update (B, 1, C)."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.q = nn.Linear(dim, dim, bias=qkv_bias)
        self.k = nn.Linear(dim, dim, bias=qkv_bias)
        self.v = nn.Linear(dim, dim, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        head_dim = C // self.num_heads
        q = self.q(x[:, :1]).reshape(B, 1, self.num_heads, head_dim).transpose(1, 2)
        k = self.k(x).reshape(B, N, self.num_heads, head_dim).transpose(1, 2)
        v = self.v(x).reshape(B, N, self.num_heads, head_dim).transpose(1, 2)
        attn = self.attn_drop(((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1))
        x = (attn @ v).transpose(1, 2).reshape(B, 1, C)
        return self.proj_drop(self.proj(x))


class ClassAttentionBlock(nn.Module):
    """Class attention then an MLP on the class token only. Unlike CaiT, the patch tokens ride along
    (normalised, and with ``tokens_norm`` also normalised before the MLP step)."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm, eta: float = 1.0,
                 tokens_norm: bool = False):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = ClassAttn(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.gamma1 = nn.Parameter(eta * torch.ones(dim))
        self.gamma2 = nn.Parameter(eta * torch.ones(dim))
        self.tokens_norm = tokens_norm

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_norm = self.norm1(x)
        x_attn = torch.cat([self.attn(x_norm), x_norm[:, 1:]], dim=1)
        x = x + self.drop_path1(self.gamma1 * x_attn)
        if self.tokens_norm:
            x = self.norm2(x)
        else:
            x = torch.cat([self.norm2(x[:, :1]), x[:, 1:]], dim=1)
        cls_token = self.gamma2 * self.mlp(x[:, :1])
        return x + self.drop_path2(torch.cat([cls_token, x[:, 1:]], dim=1))


class Xcit(nn.Module):
    """XCiT: conv patch embedding + Fourier positions, XCA blocks over the patch tokens, then
    class-attention blocks with the class token, a final norm and a linear head.

    Any input size divisible by the patch size works (nothing depends on the grid size); the
    weights are tagged ``fixed_input_size`` as the reference's are.
    """

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
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
        act_layer: Optional[LayerFn] = None,
        norm_layer: Optional[LayerFn] = None,
        cls_attn_layers: int = 2,
        use_pos_embed: bool = True,
        eta: float = 1.0,
        tokens_norm: bool = False,
    ):
        """``eta``: initial value of the per-channel residual scales; ``tokens_norm``: normalise all
        tokens (not only the class token) before the class-attention MLP. ``img_size`` is accepted for
        the common signature: nothing in XCiT is sized by it."""
        super().__init__()
        if global_pool not in _POOLS:
            raise ValueError(f"global_pool must be one of {_POOLS}, got {global_pool!r}")
        norm_layer = norm_layer or partial(nn.LayerNorm, eps=1e-6)
        act_layer = act_layer or nn.GELU
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.global_pool = global_pool
        self.num_prefix_tokens = 1
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False

        self.patch_embed = ConvPatchEmbed(patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim,
                                          act_layer=act_layer)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = PositionalEncodingFourier(dim=embed_dim) if use_pos_embed else None
        self.pos_drop = nn.Dropout(pos_drop_rate)
        block_args = dict(mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, proj_drop=proj_drop_rate,
                          attn_drop=attn_drop_rate, act_layer=act_layer, norm_layer=norm_layer, eta=eta)
        self.blocks = nn.ModuleList([
            XCABlock(embed_dim, num_heads, drop_path=drop_path_rate, **block_args) for _ in range(depth)])
        self.feature_info = [dict(num_chs=embed_dim, reduction=patch_size, module=f"blocks.{i}") for i in range(depth)]
        # the class-attention blocks have no stochastic depth
        self.cls_attn_blocks = nn.ModuleList([
            ClassAttentionBlock(embed_dim, num_heads, tokens_norm=tokens_norm, **block_args)
            for _ in range(cls_attn_layers)])
        self.norm = norm_layer(embed_dim)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)
        self.init_weights()

    def _make_head(self, num_classes: int) -> nn.Module:
        width = 2 * self.embed_dim if self.global_pool == "catavgmax" else self.embed_dim
        return nn.Linear(width, num_classes) if num_classes > 0 else nn.Identity()

    def init_weights(self) -> None:
        trunc_normal_(self.cls_token, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {"pos_embed", "cls_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^cls_token|pos_embed|patch_embed",
            blocks=r"^blocks\.(\d+)",
            cls_attn_blocks=[(r"^cls_attn_blocks\.(\d+)", None), (r"^norm", (99999,))],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        if global_pool is not None:
            if global_pool not in _POOLS:
                raise ValueError(f"global_pool must be one of {_POOLS}, got {global_pool!r}")
            self.global_pool = global_pool
        self.num_classes = num_classes
        self.head = self._make_head(num_classes)

    def _embed(self, x: torch.Tensor) -> Tuple[torch.Tensor, Tuple[int, int]]:
        x, grid = self.patch_embed(x)
        if self.pos_embed is not None:
            pos = self.pos_embed(x.shape[0], grid[0], grid[1]).reshape(x.shape[0], -1, x.shape[1])
            x = x + pos.transpose(1, 2).to(x.dtype)
        return self.pos_drop(x), grid

    def _run_block(self, block: XCABlock, x: torch.Tensor, grid: Tuple[int, int]) -> torch.Tensor:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, x, grid[0], grid[1], use_reentrant=False)
        return block(x, grid[0], grid[1])

    def _class_attention(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.cls_attn_blocks, x)
        else:
            for block in self.cls_attn_blocks:
                x = block(x)
        return self.norm(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Patch tokens after the XCA blocks at ``indices`` (None: all, int: the last n, or a list),
        as NCHW maps (or NLC tokens), through the final norm with ``norm``.

        Returns ``(final_features, maps)`` (final = ``forward_features``' tokens, class token first),
        or only the maps with ``intermediates_only``.
        """
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        B = x.shape[0]
        x, grid = self._embed(x)
        blocks = self.blocks if not stop_early else self.blocks[:max_index + 1]
        intermediates = []
        for i, block in enumerate(blocks):
            x = self._run_block(block, x, grid)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm else x)
        if output_fmt == "NCHW":
            intermediates = [y.reshape(B, grid[0], grid[1], -1).permute(0, 3, 1, 2).contiguous() for y in intermediates]
        if intermediates_only:
            return intermediates
        return self._class_attention(x), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the XCA blocks after the last of ``indices``; the class token, the class-attention
        blocks and the head go with ``prune_head``, the final norm with ``prune_norm``."""
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        self.blocks = self.blocks[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.cls_token = None
            self.cls_attn_blocks = nn.ModuleList()
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x, grid = self._embed(x)
        for block in self.blocks:
            x = self._run_block(block, x, grid)
        return self._class_attention(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        if self.global_pool == "token":
            x = x[:, 0]
        elif self.global_pool:
            patches = x[:, self.num_prefix_tokens:]
            if self.global_pool == "avg":
                x = patches.mean(dim=1)
            elif self.global_pool == "max":
                x = patches.amax(dim=1)
            elif self.global_pool == "avgmax":
                x = 0.5 * (patches.mean(dim=1) + patches.amax(dim=1))
            else:
                x = torch.cat([patches.mean(dim=1), patches.amax(dim=1)], dim=-1)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# name: (embed_dim, depth, heads, eta, tokens_norm); each comes at patch 8 and 16, at 224 and 384
# (the 384 rows differ only in their weights' input size).

_SIZES = {
    "nano_12": (128, 12, 4, 1.0, False),
    "tiny_12": (192, 12, 4, 1.0, True),
    "tiny_24": (192, 24, 4, 1e-5, True),
    "small_12": (384, 12, 8, 1.0, True),
    "small_24": (384, 24, 8, 1e-5, True),
    "medium_24": (512, 24, 8, 1e-5, True),
    "large_24": (768, 24, 16, 1e-5, True),
}
XCITS: Dict[str, Dict[str, Any]] = {}
for _size in ("nano_12", "tiny_12", "small_12", "tiny_24", "small_24", "medium_24", "large_24"):
    _dim, _depth, _heads, _eta, _tokens_norm = _SIZES[_size]
    for _patch in (16, 8):
        for _img in (224, 384):
            XCITS[f"xcit_{_size}_p{_patch}_{_img}"] = dict(
                patch_size=_patch, embed_dim=_dim, depth=_depth, num_heads=_heads, eta=_eta,
                tokens_norm=_tokens_norm, img_size=_img)


# --- weight metadata ----------------------------------------------------------------------------------

_FB = "https://dl.fbaipublicfiles.com/xcit/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", crop_pct=1.0, first_conv="patch_embed.proj.0.0", classifier="head",
        license="apache-2.0", fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


def _weights() -> Dict[str, Dict[str, Any]]:
    """Per architecture (reference order: sizes alphabetically, p8 before p16): the in1k and
    distilled 224 weights, and the distilled 384 weights."""
    table = {}
    for size in ("large_24", "medium_24", "nano_12", "small_12", "small_24", "tiny_12", "tiny_24"):
        for patch in (8, 16):
            stem = f"xcit_{size}_p{patch}"
            table[f"{stem}_224.fb_in1k"] = _cfg(_FB + f"{stem}_224.pth")
            table[f"{stem}_224.fb_dist_in1k"] = _cfg(_FB + f"{stem}_224_dist.pth")
            table[f"{stem}_384.fb_dist_in1k"] = _cfg(_FB + f"{stem}_384_dist.pth", input_size=(3, 384, 384))
    return table


XCIT_WEIGHTS = _weights()

default_cfgs = generate_default_cfgs(XCIT_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: nn.Module) -> Dict[str, torch.Tensor]:
    """Official release -> this layout: ``pos_embeder.`` is ``pos_embed.`` here (dropped when the model
    has no position encoding), and the class-attention q/k/v are one ``qkv`` linear there: split it."""
    state_dict = state_dict.get("model", state_dict)
    has_pos = getattr(model, "pos_embed", None) is not None
    out = {}
    for key, value in state_dict.items():
        if key.startswith("pos_embeder."):
            if has_pos:
                out[key.replace("pos_embeder.", "pos_embed.", 1)] = value
        elif key.startswith("cls_attn_blocks") and ".attn.qkv." in key:
            for name, part in zip("qkv", value.chunk(3, dim=0)):
                out[key.replace(".qkv.", f".{name}.")] = part
        else:
            out[key] = value
    return out


def _create_xcit(variant: str, pretrained: bool = False, **kwargs: Any) -> Xcit:
    out_indices = kwargs.pop("out_indices", 3)
    return build_model_with_cfg(
        Xcit, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(XCITS, _create_xcit, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "xcit_nano_12_p16_224_dist": "xcit_nano_12_p16_224.fb_dist_in1k",
    "xcit_nano_12_p16_384_dist": "xcit_nano_12_p16_384.fb_dist_in1k",
    "xcit_tiny_12_p16_224_dist": "xcit_tiny_12_p16_224.fb_dist_in1k",
    "xcit_tiny_12_p16_384_dist": "xcit_tiny_12_p16_384.fb_dist_in1k",
    "xcit_tiny_24_p16_224_dist": "xcit_tiny_24_p16_224.fb_dist_in1k",
    "xcit_tiny_24_p16_384_dist": "xcit_tiny_24_p16_384.fb_dist_in1k",
    "xcit_small_12_p16_224_dist": "xcit_small_12_p16_224.fb_dist_in1k",
    "xcit_small_12_p16_384_dist": "xcit_small_12_p16_384.fb_dist_in1k",
    "xcit_small_24_p16_224_dist": "xcit_small_24_p16_224.fb_dist_in1k",
    "xcit_small_24_p16_384_dist": "xcit_small_24_p16_384.fb_dist_in1k",
    "xcit_medium_24_p16_224_dist": "xcit_medium_24_p16_224.fb_dist_in1k",
    "xcit_medium_24_p16_384_dist": "xcit_medium_24_p16_384.fb_dist_in1k",
    "xcit_large_24_p16_224_dist": "xcit_large_24_p16_224.fb_dist_in1k",
    "xcit_large_24_p16_384_dist": "xcit_large_24_p16_384.fb_dist_in1k",
    "xcit_nano_12_p8_224_dist": "xcit_nano_12_p8_224.fb_dist_in1k",
    "xcit_nano_12_p8_384_dist": "xcit_nano_12_p8_384.fb_dist_in1k",
    "xcit_tiny_12_p8_224_dist": "xcit_tiny_12_p8_224.fb_dist_in1k",
    "xcit_tiny_12_p8_384_dist": "xcit_tiny_12_p8_384.fb_dist_in1k",
    "xcit_tiny_24_p8_224_dist": "xcit_tiny_24_p8_224.fb_dist_in1k",
    "xcit_tiny_24_p8_384_dist": "xcit_tiny_24_p8_384.fb_dist_in1k",
    "xcit_small_12_p8_224_dist": "xcit_small_12_p8_224.fb_dist_in1k",
    "xcit_small_12_p8_384_dist": "xcit_small_12_p8_384.fb_dist_in1k",
    "xcit_small_24_p8_224_dist": "xcit_small_24_p8_224.fb_dist_in1k",
    "xcit_small_24_p8_384_dist": "xcit_small_24_p8_384.fb_dist_in1k",
    "xcit_medium_24_p8_224_dist": "xcit_medium_24_p8_224.fb_dist_in1k",
    "xcit_medium_24_p8_384_dist": "xcit_medium_24_p8_384.fb_dist_in1k",
    "xcit_large_24_p8_224_dist": "xcit_large_24_p8_224.fb_dist_in1k",
    "xcit_large_24_p8_384_dist": "xcit_large_24_p8_384.fb_dist_in1k",
})
