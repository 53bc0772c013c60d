"""PiT: Pooling-based Vision Transformer. Checkpoint-compatible with timm's ``pit`` module.

Paper: Heo et al., "Rethinking Spatial Dimensions of Vision Transformers", 2021 (arXiv:2103.16302).

A ViT whose token grid shrinks like a CNN's: three stages of transformer blocks, and between them a
pooling layer that halves the grid with a strided depthwise conv (doubling the width) while a linear
layer widens the class token(s) to match. Tokens live as an NCHW map between stages; each stage
flattens the map, prepends the class token(s), runs its blocks, and splits them again. The distilled
variants carry a second (distillation) token with its own head, as DeiT does.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import trunc_normal_

from ._builder import build_model_with_cfg
from ._feature_points import FeatureIntermediatesNet
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants
from .vision_transformer import Block

__all__ = ["PoolingVisionTransformer"]


class ConvEmbedding(nn.Module):
    """Overlapping patch embedding: a ``patch_size`` conv with ``stride`` (no padding), NCHW out."""

    def __init__(self, in_channels: int, out_channels: int, patch_size: int, stride: int, device=None, dtype=None):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=patch_size, stride=stride, bias=True,
                              device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class Pooling(nn.Module):
    """Halve the token grid and widen it: a stride-2 depthwise conv for the map (channel multiplier 2),
    a linear layer for the class tokens."""

    def __init__(self, in_feature: int, out_feature: int, stride: int = 2, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.conv = nn.Conv2d(in_feature, out_feature, kernel_size=stride + 1, padding=stride // 2, stride=stride,
                              groups=in_feature, **dd)
        self.fc = nn.Linear(in_feature, out_feature, **dd)

    def forward(self, x: torch.Tensor, cls_token: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.conv(x), self.fc(cls_token)


class Transformer(nn.Module):
    """One PiT stage: optional pooling, then blocks over [class tokens, flattened map]; (map, tokens) in and out."""

    def __init__(self, base_dim: int, depth: int, heads: int, mlp_ratio: float, pool: Optional[Pooling] = None,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path_prob: Optional[Sequence[float]] = None,
                 device=None, dtype=None):
        super().__init__()
        embed_dim = base_dim * heads
        self.pool = pool
        self.blocks = nn.Sequential(*[
            Block(dim=embed_dim, num_heads=heads, mlp_ratio=mlp_ratio, qkv_bias=True, proj_drop=proj_drop,
                  attn_drop=attn_drop, drop_path=drop_path_prob[i] if drop_path_prob else 0.0,
                  norm_layer=partial(nn.LayerNorm, eps=1e-6), device=device, dtype=dtype)
            for i in range(depth)])
        self.grad_checkpointing = False

    def forward(self, x: Tuple[torch.Tensor, torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        x, cls_tokens = x
        if self.pool is not None:
            x, cls_tokens = self.pool(x, cls_tokens)
        batch, channels, height, width = x.shape
        num_cls = cls_tokens.shape[1]
        tokens = torch.cat([cls_tokens, x.flatten(2).transpose(1, 2)], dim=1)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            tokens = checkpoint_seq(self.blocks, tokens)
        else:
            tokens = self.blocks(tokens)
        cls_tokens = tokens[:, :num_cls]
        x = tokens[:, num_cls:].transpose(1, 2).reshape(batch, channels, height, width)
        return x, cls_tokens


class PoolingVisionTransformer(nn.Module):
    """Conv patch embedding + position embedding (an NCHW map) -> three pooled transformer stages ->
    norm of the class token(s) -> head (+ ``head_dist`` when ``distilled``).

    Stage ``i`` is ``base_dims[i] * heads[i]`` wide with ``depth[i]`` blocks. The token grid is fixed at
    construction: ``floor((img_size - patch_size) / stride) + 1`` per side.
    """

    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        stride: int = 8,
        stem_type: str = "overlap",
        base_dims: Sequence[int] = (48, 48, 48),
        depth: Sequence[int] = (2, 6, 4),
        heads: Sequence[int] = (2, 4, 8),
        mlp_ratio: float = 4,
        num_classes: int = 1000,
        in_chans: int = 3,
        global_pool: str = "token",
        distilled: bool = False,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if global_pool != "token":
            raise ValueError(f"PiT's head reads its class token(s): global_pool must be 'token', got {global_pool!r}")
        if stem_type != "overlap":
            raise ValueError(f"stem_type must be 'overlap', got {stem_type!r}")
        if not len(base_dims) == len(depth) == len(heads):
            raise ValueError(f"base_dims, depth and heads need one entry per stage, got {base_dims}, {depth}, {heads}")
        self.base_dims = list(base_dims)
        self.heads = list(heads)
        embed_dim = base_dims[0] * heads[0]
        self.num_classes = num_classes
        self.global_pool = global_pool
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.num_tokens = 2 if distilled else 1
        self.grad_checkpointing = False

        grid = math.floor((img_size - patch_size) / stride + 1)
        self.patch_embed = ConvEmbedding(in_chans, embed_dim, patch_size, stride, **dd)
        self.pos_embed = nn.Parameter(torch.randn(1, embed_dim, grid, grid, **dd))
        self.cls_token = nn.Parameter(torch.randn(1, self.num_tokens, embed_dim, **dd))
        self.pos_drop = nn.Dropout(p=pos_drop_rate)

        # drop-path rises linearly over all blocks of all stages
        total = sum(depth)
        flat = [drop_path_rate * i / (total - 1) if total > 1 else 0.0 for i in range(total)]
        rates = [flat[sum(depth[:i]):sum(depth[:i + 1])] for i in range(len(depth))]
        stages, self.feature_info = [], []
        reduction = stride
        prev_dim = embed_dim
        for i in range(len(depth)):
            dim = base_dims[i] * heads[i]
            pool = Pooling(prev_dim, dim, stride=2, **dd) if i > 0 else None
            if i > 0:
                reduction *= 2
            stages.append(Transformer(base_dims[i], depth[i], heads[i], mlp_ratio, pool=pool,
                                      proj_drop=proj_drop_rate, attn_drop=attn_drop_rate,
                                      drop_path_prob=rates[i], **dd))
            self.feature_info.append(dict(num_chs=dim, reduction=reduction, module=f"transformers.{i}"))
            prev_dim = dim
        self.transformers = nn.Sequential(*stages)
        self.norm = nn.LayerNorm(prev_dim, eps=1e-6, **dd)
        self.num_features = self.head_hidden_size = self.embed_dim = prev_dim

        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._linear(num_classes)
        self.head_dist = self._linear(num_classes) if distilled else None
        self.distilled_training = False

        trunc_normal_(self.pos_embed, std=0.02)
        trunc_normal_(self.cls_token, std=0.02)
        self.apply(self._init_weights)

    def _linear(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        return nn.Linear(self.embed_dim, num_classes, device=self.cls_token.device, dtype=self.cls_token.dtype)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.LayerNorm):
            nn.init.zeros_(m.bias)
            nn.init.ones_(m.weight)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        return {"pos_embed", "cls_token"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^cls_token|pos_embed|patch_embed",
            blocks=r"^transformers\.(\d+)" if coarse else [
                (r"^transformers\.(\d+)\.pool", (0,)),
                (r"^transformers\.(\d+)\.blocks\.(\d+)", None),
                (r"^norm", (99999,)),
            ],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable
        for stage in self.transformers:
            stage.grad_checkpointing = enable

    @torch.jit.ignore
    def set_distilled_training(self, enable: bool = True) -> None:
        self.distilled_training = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        if self.head_dist is not None:
            return nn.ModuleList([self.head, self.head_dist])  # unpacks like the reference's (head, head_dist)
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        # the heads read the class token(s), whatever pooling is asked for
        self.num_classes = num_classes
        self.head = self._linear(num_classes)
        if self.head_dist is not None:
            self.head_dist = self._linear(num_classes)

    def _embed(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.pos_drop(self.patch_embed(x) + self.pos_embed)
        return x, self.cls_token.expand(x.shape[0], -1, -1)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Each stage's token map (NCHW) at ``indices``; the final features are the normed class
        token(s). ``norm`` is accepted for the common signature: the final norm is the class tokens'."""
        if output_fmt != "NCHW":
            raise ValueError(f"PiT feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.transformers), indices)
        state = self._embed(x)
        stages = self.transformers[:max_index + 1] if stop_early else self.transformers
        intermediates = []
        for i, stage in enumerate(stages):
            state = stage(state)
            if i in take_indices:
                intermediates.append(state[0])
        if intermediates_only:
            return intermediates
        return self.norm(state[1]), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(len(self.transformers), indices)
        self.transformers = self.transformers[:max_index + 1]
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0)
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        _, cls_tokens = self.transformers(self._embed(x))
        return self.norm(cls_tokens)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        if self.head_dist is None:
            x = self.head_drop(x[:, 0])
            return x if pre_logits else self.head(x)
        x, x_dist = self.head_drop(x[:, 0]), self.head_drop(x[:, 1])
        if pre_logits:
            return (x + x_dist) / 2
        x, x_dist = self.head(x), self.head_dist(x_dist)
        if self.distilled_training and self.training and not torch.jit.is_scripting():
            return x, x_dist  # the distillation loss needs both
        return (x + x_dist) / 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: PoolingVisionTransformer) -> Dict[str, torch.Tensor]:
    """The original checkpoints keep the pooling layers apart as ``pools.N`` (between stage N and N + 1);
    here each pools into the stage after it (``transformers.{N+1}.pool``)."""
    out = {}
    for key, value in state_dict.items():
        if key.startswith("pools."):
            # pools.0 pooled into stage 1
            index, rest = key[len("pools."):].split(".", 1)
            key = f"transformers.{int(index) + 1}.pool.{rest}"
        out[key] = value
    return out


# --- variants -----------------------------------------------------------------------------------------

_TI = dict(base_dims=(32, 32, 32), depth=(2, 6, 4), heads=(2, 4, 8))
_XS = dict(base_dims=(48, 48, 48), depth=(2, 6, 4), heads=(2, 4, 8))
_S = dict(base_dims=(48, 48, 48), depth=(2, 6, 4), heads=(3, 6, 12))
_B = dict(patch_size=14, stride=7, base_dims=(64, 64, 64), depth=(3, 6, 4), heads=(4, 8, 16))

PITS: Dict[str, Dict[str, Any]] = {
    "pit_b_224": _B,
    "pit_b_distilled_224": dict(_B, distilled=True),
    "pit_s_224": _S,
    "pit_s_distilled_224": dict(_S, distilled=True),
    "pit_ti_224": _TI,
    "pit_ti_distilled_224": dict(_TI, distilled=True),
    "pit_xs_224": _XS,
    "pit_xs_distilled_224": dict(_XS, distilled=True),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.9,
        interpolation="bicubic", first_conv="patch_embed.conv", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


_DIST = ("head", "head_dist")

PIT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "pit_b_224.in1k": _cfg(),
    "pit_b_distilled_224.in1k": _cfg(classifier=_DIST),
    "pit_s_224.in1k": _cfg(),
    "pit_s_distilled_224.in1k": _cfg(classifier=_DIST),
    "pit_ti_224.in1k": _cfg(),
    "pit_ti_distilled_224.in1k": _cfg(classifier=_DIST),
    "pit_xs_224.in1k": _cfg(),
    "pit_xs_distilled_224.in1k": _cfg(classifier=_DIST),
}

default_cfgs = generate_default_cfgs(PIT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_pit(variant: str, pretrained: bool = False, **kwargs: Any) -> PoolingVisionTransformer:
    features_only = kwargs.pop("features_only", False)
    out_indices = kwargs.pop("out_indices", (0, 1, 2))
    model = build_model_with_cfg(PoolingVisionTransformer, variant, pretrained,
                                 pretrained_filter_fn=checkpoint_filter_fn, **kwargs)
    if features_only:  # the maps are inside the stages' (map, tokens) pairs: the whole trunk stays, as `body`
        model = FeatureIntermediatesNet(model, out_indices, layout="body")
        model.pretrained_cfg = model.default_cfg = model.body.pretrained_cfg
    return model


register_variants(PITS, _create_pit, globals())
