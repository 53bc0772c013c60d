"""CrossViT: dual-branch (small and large patch) vision transformers fused by cross-attention.

Paper: Chen et al., "CrossViT: Cross-Attention Multi-Scale Vision Transformer for Image
Classification", 2021 (arXiv:2103.14899). Checkpoint-compatible with timm's ``crossvit`` module.

Two ViT branches see the same image at two patch sizes (12 on the full image, 16 on the image resized
to 224/240 of its size, so both grids are about 20 / 14 tokens across). After each stage of ViT
blocks, each branch's class token is projected to the other branch's width, attends to the other
branch's patch tokens (cross-attention: the class token is the only query), and is projected back.
The classifier averages one linear head per branch. The ``dagger`` rows use a 3-conv patch stem.

Layout: the blocks, the network, then ``CROSSVITS`` (one row per registered name), the weight
metadata, then registration.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import  calculate_drop_path_rates,DropPath, to_2tuple, trunc_normal_

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .vision_transformer import Block

__all__ = ["CrossVit"]

LayerFn = Callable[..., nn.Module]
_POOLS = ("token", "avg", "max", "avgmax", "catavgmax")


class PatchEmbed(nn.Module):
    """Image -> (B, N, C) tokens: one patch-sized conv, or (``multi_conv``) a 7x7/4 conv and two 3x3
    convs with ReLUs reaching the same stride (12 or 16)."""

    def __init__(self, patch_size: int = 16, in_chans: int = 3, embed_dim: int = 768, multi_conv: bool = False):
        super().__init__()
        if not multi_conv:
            self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
        elif patch_size in (12, 16):
            # 4 x 3 = 12, or 4 x 2 x 2 = 16
            second, third = ((3, 0), (1, 1)) if patch_size == 12 else ((2, 1), (2, 1))
            self.proj = nn.Sequential(
                nn.Conv2d(in_chans, embed_dim // 4, kernel_size=7, stride=4, padding=3),
                nn.ReLU(inplace=True),
                nn.Conv2d(embed_dim // 4, embed_dim // 2, kernel_size=3, stride=second[0], padding=second[1]),
                nn.ReLU(inplace=True),
                nn.Conv2d(embed_dim // 2, embed_dim, kernel_size=3, stride=third[0], padding=third[1]),
            )
        else:
            raise ValueError(f"the multi-conv patch stem supports patch_size 12 or 16, got {patch_size}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).flatten(2).transpose(1, 2)


class CrossAttention(nn.Module):
    """The class token (first token) attends to all tokens of the other branch; returns (B, 1, C)."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.wq = nn.Linear(dim, dim, bias=qkv_bias)
        self.wk = nn.Linear(dim, dim, bias=qkv_bias)
        self.wv = nn.Linear(dim, dim, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        head_dim = C // self.num_heads
        q = self.wq(x[:, :1]).reshape(B, 1, self.num_heads, head_dim).transpose(1, 2)
        k = self.wk(x).reshape(B, N, self.num_heads, head_dim).transpose(1, 2)
        v = self.wv(x).reshape(B, N, self.num_heads, head_dim).transpose(1, 2)
        attn = self.attn_drop(((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1))
        x = (attn @ v).transpose(1, 2).reshape(B, 1, C)
        return self.proj_drop(self.proj(x))


class CrossAttentionBlock(nn.Module):
    """Pre-norm cross-attention with a residual on the class token only; returns the new class token."""

    def __init__(self, dim: int, num_heads: int, qkv_bias: bool = False, proj_drop: float = 0.0,
                 attn_drop: float = 0.0, drop_path: float = 0.0, norm_layer: LayerFn = nn.LayerNorm):
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = CrossAttention(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                   proj_drop=proj_drop)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, :1] + self.drop_path(self.attn(self.norm1(x)))


def _projection(in_dim: int, out_dim: int, norm_layer: LayerFn, act_layer: LayerFn) -> nn.Sequential:
    return nn.Sequential(norm_layer(in_dim), act_layer(), nn.Linear(in_dim, out_dim))


class MultiScaleBlock(nn.Module):
    """One CrossViT stage: ViT blocks per branch, then cross-attention fusion of the class tokens.

    ``fusion[i]`` runs at branch ``i+1``'s width: branch i's class token is projected there
    (``projs[i]``), attends to branch i+1's patch tokens, and is projected back (``revert_projs[i]``).
    """

    def __init__(self, dims: Tuple[int, ...], depths: Tuple[int, ...], num_heads: Tuple[int, ...],
                 mlp_ratio: Tuple[float, ...], qkv_bias: bool = False, proj_drop: float = 0.0,
                 attn_drop: float = 0.0, drop_path: Union[float, List[float]] = 0.0,
                 act_layer: LayerFn = nn.GELU, norm_layer: LayerFn = nn.LayerNorm):
        super().__init__()
        n = len(dims)
        dpr = drop_path if isinstance(drop_path, (list, tuple)) else [drop_path] * max(depths)
        self.num_branches = n
        self.blocks = nn.ModuleList([
            nn.Sequential(*[
                Block(dims[d], num_heads[d], mlp_ratio=mlp_ratio[d], qkv_bias=qkv_bias, proj_drop=proj_drop,
                      attn_drop=attn_drop, drop_path=dpr[i], act_layer=act_layer, norm_layer=norm_layer)
                for i in range(depths[d])])
            for d in range(n)])
        self.projs = nn.ModuleList([_projection(dims[d], dims[(d + 1) % n], norm_layer, act_layer) for d in range(n)])
        self.fusion = nn.ModuleList([
            CrossAttentionBlock(dims[(d + 1) % n], num_heads[(d + 1) % n], qkv_bias=qkv_bias, proj_drop=proj_drop,
                                attn_drop=attn_drop, drop_path=dpr[-1], norm_layer=norm_layer)
            for d in range(n)])
        self.revert_projs = nn.ModuleList([
            _projection(dims[(d + 1) % n], dims[d], norm_layer, act_layer) for d in range(n)])

    def forward(self, xs: List[torch.Tensor]) -> List[torch.Tensor]:
        xs = [blocks(x) for x, blocks in zip(xs, self.blocks)]
        cls = [proj(x[:, :1]) for x, proj in zip(xs, self.projs)]
        outs = []
        for i in range(self.num_branches):
            other = xs[(i + 1) % self.num_branches]
            fused = self.fusion[i](torch.cat([cls[i], other[:, 1:]], dim=1))
            outs.append(torch.cat([self.revert_projs[i](fused), xs[i][:, 1:]], dim=1))
        return outs


def _pool(x: torch.Tensor, pool_type: str) -> torch.Tensor:
    if pool_type == "token":
        return x[:, 0]
    patches = x[:, 1:]
    if pool_type == "avg":
        return patches.mean(dim=1)
    if pool_type == "max":
        return patches.amax(dim=1)
    if pool_type == "avgmax":
        return 0.5 * (patches.mean(dim=1) + patches.amax(dim=1))
    return torch.cat([patches.mean(dim=1), patches.amax(dim=1)], dim=-1)


class CrossVit(nn.Module):
    """Two (or more) ViT branches at different patch sizes and input scales, fused per stage by
    class-token cross-attention. ``forward_features`` returns one token tensor per branch."""

    def __init__(
        self,
        img_size: int = 224,
        img_scale: Tuple[float, ...] = (1.0, 1.0),
        patch_size: Tuple[int, ...] = (8, 16),
        in_chans: int = 3,
        num_classes: int = 1000,
        embed_dim: Tuple[int, ...] = (192, 384),
        depth: Tuple[Tuple[int, ...], ...] = ((1, 3, 1), (1, 3, 1), (1, 3, 1)),
        num_heads: Tuple[int, ...] = (6, 12),
        mlp_ratio: Tuple[float, ...] = (2.0, 2.0, 4.0),
        multi_conv: bool = False,
        crop_scale: bool = False,
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: Optional[LayerFn] = None,
        global_pool: str = "token",
    ):
        """``depth``: per stage, the ViT blocks of each branch (the last entry counts fusion layers
        in the paper's notation; one cross-attention layer per branch is used here as in the
        released models). ``img_scale``: each branch's input size relative to ``img_size`` (resized,
        or center-cropped with ``crop_scale``)."""
        super().__init__()
        if global_pool not in _POOLS:
            raise ValueError(f"global_pool must be one of {_POOLS}, got {global_pool!r}")
        norm_layer = norm_layer or partial(nn.LayerNorm, eps=1e-6)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.img_size = to_2tuple(img_size)
        self.img_size_scaled = [tuple(int(s * scale) for s in self.img_size) for scale in img_scale]
        self.crop_scale = crop_scale
        self.num_branches = len(patch_size)
        self.embed_dim = list(embed_dim)
        self.num_features = self.head_hidden_size = sum(embed_dim)
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self.grids = [(s[0] // p, s[1] // p) for s, p in zip(self.img_size_scaled, patch_size)]

        for i, (grid, dim) in enumerate(zip(self.grids, embed_dim)):
            setattr(self, f"pos_embed_{i}", nn.Parameter(torch.zeros(1, 1 + grid[0] * grid[1], dim)))
            setattr(self, f"cls_token_{i}", nn.Parameter(torch.zeros(1, 1, dim)))
        self.patch_embed = nn.ModuleList([
            PatchEmbed(patch_size=p, in_chans=in_chans, embed_dim=d, multi_conv=multi_conv)
            for p, d in zip(patch_size, embed_dim)])
        self.pos_drop = nn.Dropout(pos_drop_rate)

        # stochastic depth grows over each stage's deepest branch plus its fusion layer
        stage_depths = [max(stage[:-1]) + 1 for stage in depth]
        dpr = calculate_drop_path_rates(drop_path_rate, sum(stage_depths))
        blocks, start = [], 0
        for stage in depth:
            n_drop = max(stage[:-1]) + 1
            blocks.append(MultiScaleBlock(
                tuple(embed_dim), tuple(stage[:-1]), tuple(num_heads), tuple(mlp_ratio), qkv_bias=qkv_bias,
                proj_drop=proj_drop_rate, attn_drop=attn_drop_rate, drop_path=dpr[start:start + n_drop],
                norm_layer=norm_layer))
            start += n_drop
        self.blocks = nn.ModuleList(blocks)
        self.norm = nn.ModuleList([norm_layer(d) for d in embed_dim])
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_heads(num_classes)
        # one feature entry per (branch, stage); a branch's reduction is measured on the full image
        self.feature_info = [
            dict(num_chs=embed_dim[b], reduction=int(patch_size[b] * self.img_size[0] / self.img_size_scaled[b][0]),
                 module=f"blocks.{j}")
            for b in range(self.num_branches) for j in range(len(self.blocks))]
        self.init_weights()

    def _make_heads(self, num_classes: int) -> nn.ModuleList:
        mult = 2 if self.global_pool == "catavgmax" else 1
        return nn.ModuleList([
            nn.Linear(mult * d, num_classes) if num_classes > 0 else nn.Identity() for d in self.embed_dim])

    def init_weights(self) -> None:
        for i in range(self.num_branches):
            trunc_normal_(getattr(self, f"pos_embed_{i}"), std=0.02)
            trunc_normal_(getattr(self, f"cls_token_{i}"), std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        out = set()
        for i in range(self.num_branches):
            out |= {f"cls_token_{i}", f"pos_embed_{i}"}
        return out

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^cls_token|pos_embed|patch_embed", blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

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
        self.head = self._make_heads(num_classes)

    def _branch_input(self, x: torch.Tensor, i: int) -> torch.Tensor:
        size = self.img_size_scaled[i]
        if tuple(x.shape[-2:]) == size:
            return x
        if self.crop_scale and size[0] <= x.shape[-2] and size[1] <= x.shape[-1]:
            top, left = (x.shape[-2] - size[0]) // 2, (x.shape[-1] - size[1]) // 2
            return x[:, :, top:top + size[0], left:left + size[1]]
        return F.interpolate(x, size=size, mode="bicubic", align_corners=False)

    def _embed(self, x: torch.Tensor) -> List[torch.Tensor]:
        B = x.shape[0]
        xs = []
        for i, patch_embed in enumerate(self.patch_embed):
            tokens = patch_embed(self._branch_input(x, i))
            cls = getattr(self, f"cls_token_{i}").expand(B, -1, -1)
            tokens = torch.cat([cls, tokens], dim=1) + getattr(self, f"pos_embed_{i}")
            xs.append(self.pos_drop(tokens))
        return xs

    def _run_block(self, block: MultiScaleBlock, xs: List[torch.Tensor]) -> List[torch.Tensor]:
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return torch.utils.checkpoint.checkpoint(block, xs, use_reentrant=False)
        return block(xs)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[List[torch.Tensor], List[torch.Tensor]]]:
        """Patch-token maps per (branch, stage): feature index ``b * num_stages + j`` is branch b
        after stage j, as in ``feature_info``. ``norm`` applies each branch's final norm. Returns
        ``(final_features, maps)`` (final = ``forward_features``' list) or only the maps."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        num_stages = len(self.blocks)
        take_indices, max_index = feature_take_indices(self.num_branches * num_stages, indices)
        last_stage = max(i % num_stages for i in take_indices) if stop_early else num_stages - 1
        taken: Dict[int, torch.Tensor] = {}
        xs = self._embed(x)
        for j, block in enumerate(self.blocks[:last_stage + 1]):
            xs = self._run_block(block, xs)
            for b in range(self.num_branches):
                idx = b * num_stages + j
                if idx in take_indices:
                    y = self.norm[b](xs[b]) if norm else xs[b]
                    y = y[:, 1:]
                    if output_fmt == "NCHW":
                        grid = self.grids[b]
                        y = y.reshape(y.shape[0], grid[0], grid[1], -1).permute(0, 3, 1, 2).contiguous()
                    taken[idx] = y
        intermediates = [taken[i] for i in sorted(taken)]
        if intermediates_only:
            return intermediates
        return [n(t) for n, t in zip(self.norm, xs)], intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the stages after the last one ``indices`` needs (in any branch); the norms with
        ``prune_norm``, the heads with ``prune_head``."""
        num_stages = len(self.blocks)
        take_indices, _ = feature_take_indices(self.num_branches * num_stages, indices)
        last_stage = max(i % num_stages for i in take_indices)
        self.blocks = self.blocks[:last_stage + 1]
        if prune_norm:
            self.norm = nn.ModuleList([nn.Identity() for _ in self.norm])
        if prune_head:
            self.reset_classifier(0)
        return take_indices

    def forward_features(self, x: torch.Tensor) -> List[torch.Tensor]:
        xs = self._embed(x)
        for block in self.blocks:
            xs = self._run_block(block, xs)
        return [n(t) for n, t in zip(self.norm, xs)]

    def forward_head(self, xs: List[torch.Tensor], pre_logits: bool = False) -> torch.Tensor:
        pooled = [self.head_drop(_pool(t, self.global_pool)) for t in xs]
        if pre_logits or self.num_classes == 0:
            return torch.cat(pooled, dim=-1)
        return torch.stack([head(p) for head, p in zip(self.head, pooled)]).mean(dim=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------
# Two branches at patch 12 (full image) and 16 (image x 224/240); per stage 1 small-branch block,
# N large-branch blocks, one fusion layer; three stages. 'dagger' = the 3-conv patch stem.

def _row(dims: Tuple[int, int], heads: int, large_depth: int, mlp: float, img: int = 240, **kw: Any) -> Dict[str, Any]:
    scaled = 224 if img == 240 else 384
    return dict(img_size=img, img_scale=(1.0, scaled / img), patch_size=(12, 16), embed_dim=dims,
                depth=((1, large_depth, 0),) * 3, num_heads=(heads, heads), mlp_ratio=(mlp, mlp, 1.0), **kw)


CROSSVITS: Dict[str, Dict[str, Any]] = {
    "crossvit_tiny_240": _row((96, 192), 3, 4, 4.0),
    "crossvit_small_240": _row((192, 384), 6, 4, 4.0),
    "crossvit_base_240": _row((384, 768), 12, 4, 4.0),
    "crossvit_9_240": _row((128, 256), 4, 3, 3.0),
    "crossvit_15_240": _row((192, 384), 6, 5, 3.0),
    "crossvit_18_240": _row((224, 448), 7, 6, 3.0),
    "crossvit_9_dagger_240": _row((128, 256), 4, 3, 3.0, multi_conv=True),
    "crossvit_15_dagger_240": _row((192, 384), 6, 5, 3.0, multi_conv=True),
    "crossvit_15_dagger_408": _row((192, 384), 6, 5, 3.0, img=408, multi_conv=True),
    "crossvit_18_dagger_240": _row((224, 448), 7, 6, 3.0, multi_conv=True),
    "crossvit_18_dagger_408": _row((224, 448), 7, 6, 3.0, img=408, multi_conv=True),
}


# --- weight metadata ----------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", input_size=(3, 240, 240), first_conv=("patch_embed.0.proj", "patch_embed.1.proj"),
        classifier=("head.0", "head.1"), license="apache-2.0", fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


_DAGGER_CONV = ("patch_embed.0.proj.0", "patch_embed.1.proj.0")

CROSSVIT_WEIGHTS = {
    "crossvit_9_240.in1k": _cfg(),
    "crossvit_9_dagger_240.in1k": _cfg(first_conv=_DAGGER_CONV),
    "crossvit_15_240.in1k": _cfg(),
    "crossvit_15_dagger_240.in1k": _cfg(first_conv=_DAGGER_CONV),
    "crossvit_15_dagger_408.in1k": _cfg(input_size=(3, 408, 408), crop_pct=1.0, first_conv=_DAGGER_CONV),
    "crossvit_18_240.in1k": _cfg(),
    "crossvit_18_dagger_240.in1k": _cfg(first_conv=_DAGGER_CONV),
    "crossvit_18_dagger_408.in1k": _cfg(input_size=(3, 408, 408), crop_pct=1.0, first_conv=_DAGGER_CONV),
    "crossvit_base_240.in1k": _cfg(),
    "crossvit_small_240.in1k": _cfg(),
    "crossvit_tiny_240.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(CROSSVIT_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: nn.Module) -> Dict[str, torch.Tensor]:
    """The original release names the per-branch parameters ``pos_embed.0`` / ``cls_token.0``."""
    state_dict = state_dict.get("model", state_dict)
    out = {}
    for key, value in state_dict.items():
        for name in ("pos_embed", "cls_token"):
            if key.startswith(f"{name}."):
                key = f"{name}_{key.split('.')[1]}"
        out[key] = value
    return out


def _create_crossvit(variant: str, pretrained: bool = False, **kwargs: Any) -> CrossVit:
    out_indices = kwargs.pop("out_indices", None)
    model = build_model_with_cfg(
        CrossVit, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=dict(feature_cls="getter", out_indices=out_indices if out_indices is not None else (2, 5)),
        **kwargs)
    return model


register_variants(CROSSVITS, _create_crossvit, globals())
