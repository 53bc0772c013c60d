"""MLP-Mixer and its relatives: all-MLP networks that alternate mixing across tokens and across
channels on a fixed grid of patch tokens. Checkpoint-compatible with timm's ``mlp_mixer`` module.

Papers:

* Tolstikhin et al., "MLP-Mixer: An all-MLP Architecture for Vision", 2021 (arXiv:2105.01601)
* Touvron et al., "ResMLP: Feedforward networks for image classification with data-efficient
  training" (Affine norms, layer scale, a single linear for token mixing), 2021 (arXiv:2105.03404)
* Liu et al., "Pay Attention to MLPs" (gMLP: spatial gating unit), 2021 (arXiv:2105.08050)
* gMixer: timm's Mixer with SiLU-gated (GLU) MLPs

The token-mixing layers are sized by the number of patches, so the input size is fixed.

Layout: blocks and the network, then ``MIXERS`` (one row per registered name), then the weight
metadata, then registration.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    DropPath, GatedMlp, GluMlp, Mlp, PatchEmbed, factory_kwargs, get_act_layer, to_2tuple, trunc_normal_,
)

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD, generate_default_cfgs
from ._registry import register_model_deprecations, register_variants

__all__ = ["MlpMixer", "MixerBlock", "ResBlock", "SpatialGatingBlock", "SpatialGatingUnit", "Affine"]

LayerFn = Callable[..., nn.Module]
_LayerNorm6 = partial(nn.LayerNorm, eps=1e-6)


class MixerBlock(nn.Module):
    """Token-mixing MLP (across the patches, per channel) then channel-mixing MLP, each pre-norm residual.

    ``mlp_ratio`` = (token hidden / dim, channel hidden / dim).
    """

    def __init__(
        self,
        dim: int,
        seq_len: int,
        mlp_ratio: Union[float, Tuple[float, float]] = (0.5, 4.0),
        mlp_layer: LayerFn = Mlp,
        norm_layer: LayerFn = _LayerNorm6,
        act_layer: LayerFn = nn.GELU,
        drop: float = 0.0,
        drop_path: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        tokens_dim, channels_dim = [int(r * dim) for r in to_2tuple(mlp_ratio)]
        self.norm1 = norm_layer(dim, **dd)
        self.mlp_tokens = mlp_layer(seq_len, tokens_dim, act_layer=act_layer, drop=drop, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp_channels = mlp_layer(dim, channels_dim, act_layer=act_layer, drop=drop, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, L, C)
        x = x + self.drop_path(self.mlp_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2))
        return x + self.drop_path(self.mlp_channels(self.norm2(x)))


class Affine(nn.Module):
    """ResMLP's norm: a per-channel scale and shift, no statistics (``alpha * x + beta``)."""

    def __init__(self, dim: int, device: Any = None, dtype: Any = None):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.alpha = nn.Parameter(torch.ones((1, 1, dim), **dd))
        self.beta = nn.Parameter(torch.zeros((1, 1, dim), **dd))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.addcmul(self.beta, self.alpha, x)


class ResBlock(nn.Module):
    """ResMLP block: a single linear across the patches, then a channel MLP; Affine norms and layer scale."""

    def __init__(
        self,
        dim: int,
        seq_len: int,
        mlp_ratio: float = 4,
        mlp_layer: LayerFn = Mlp,
        norm_layer: LayerFn = Affine,
        act_layer: LayerFn = nn.GELU,
        init_values: float = 1e-4,
        drop: float = 0.0,
        drop_path: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.norm1 = norm_layer(dim, **dd)
        self.linear_tokens = nn.Linear(seq_len, seq_len, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp_channels = mlp_layer(dim, int(dim * mlp_ratio), act_layer=act_layer, drop=drop, **dd)
        self.ls1 = nn.Parameter(init_values * torch.ones(dim, **dd))
        self.ls2 = nn.Parameter(init_values * torch.ones(dim, **dd))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path(self.ls1 * self.linear_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2))
        return x + self.drop_path(self.ls2 * self.mlp_channels(self.norm2(x)))


class SpatialGatingUnit(nn.Module):
    """gMLP's gate: split the channels in halves ``u, v``; ``u * proj_across_tokens(norm(v))``."""

    def __init__(self, dim: int, seq_len: int, norm_layer: LayerFn = nn.LayerNorm, device: Any = None, dtype: Any = None):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        gate_dim = dim // 2
        self.norm = norm_layer(gate_dim, **dd)
        self.proj = nn.Linear(seq_len, seq_len, **dd)

    def init_weights(self) -> None:
        # near-zero weights and unit bias: the gate starts as the identity on u (the paper's advice)
        nn.init.normal_(self.proj.weight, std=1e-6)
        nn.init.ones_(self.proj.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u, v = x.chunk(2, dim=-1)
        v = self.proj(self.norm(v).transpose(-1, -2))
        return u * v.transpose(-1, -2)


class SpatialGatingBlock(nn.Module):
    """gMLP block: pre-norm residual around a gated MLP whose gate mixes across the patches."""

    def __init__(
        self,
        dim: int,
        seq_len: int,
        mlp_ratio: float = 4,
        mlp_layer: LayerFn = GatedMlp,
        norm_layer: LayerFn = _LayerNorm6,
        act_layer: LayerFn = nn.GELU,
        drop: float = 0.0,
        drop_path: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.norm = norm_layer(dim, **dd)
        self.mlp_channels = mlp_layer(
            dim, int(mlp_ratio * dim), act_layer=act_layer, gate_layer=partial(SpatialGatingUnit, seq_len=seq_len),
            drop=drop, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.drop_path(self.mlp_channels(self.norm(x)))


_POOLS = ("", "avg", "max", "avgmax", "catavgmax")


def _check_pool(global_pool: str) -> None:
    if global_pool not in _POOLS:
        raise ValueError(f"global_pool must be one of {_POOLS}, got {global_pool!r}")


def _pool_tokens(x: torch.Tensor, pool_type: str) -> torch.Tensor:
    """Pool (B, L, C) tokens over L; '' keeps them."""
    if pool_type == "avg":
        return x.mean(dim=1)
    if pool_type == "max":
        return x.amax(dim=1)
    if pool_type == "avgmax":
        return 0.5 * (x.mean(dim=1) + x.amax(dim=1))
    if pool_type == "catavgmax":
        return torch.cat([x.mean(dim=1), x.amax(dim=1)], dim=1)
    return x


class MlpMixer(nn.Module):
    """Patch embedding, ``num_blocks`` blocks of ``block_layer`` on (B, L, C) tokens, a norm, mean-pool, linear.

    ``block_layer`` picks the family (MixerBlock, ResBlock, SpatialGatingBlock); ``mlp_layer`` the MLP
    inside (Mlp, GluMlp for gMixer, GatedMlp for gMLP). ``stem_norm`` normalizes the patch tokens.
    ``nlhb``: the classifier bias starts at -log(num_classes) (the paper's 'negative log head bias').
    """

    def __init__(
        self,
        num_classes: int = 1000,
        img_size: int = 224,
        in_chans: int = 3,
        patch_size: int = 16,
        num_blocks: int = 8,
        embed_dim: int = 512,
        mlp_ratio: Union[float, Tuple[float, float]] = (0.5, 4.0),
        block_layer: LayerFn = MixerBlock,
        mlp_layer: LayerFn = Mlp,
        norm_layer: LayerFn = _LayerNorm6,
        act_layer: Union[str, LayerFn] = nn.GELU,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        nlhb: bool = False,
        stem_norm: bool = False,
        global_pool: str = "avg",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        _check_pool(global_pool)
        act_layer = get_act_layer(act_layer)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.num_features = self.head_hidden_size = self.embed_dim = embed_dim
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False
        self._dd = dd

        self.stem = PatchEmbed(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim,
            norm_layer=norm_layer if stem_norm else None, **dd)
        reduction = self.stem.feat_ratio()
        seq_len = self.stem.num_patches
        self.blocks = nn.Sequential(*[
            block_layer(
                embed_dim, seq_len, mlp_ratio, mlp_layer=mlp_layer, norm_layer=norm_layer, act_layer=act_layer,
                drop=proj_drop_rate, drop_path=drop_path_rate, **dd)
            for _ in range(num_blocks)
        ])
        self.feature_info = [dict(module=f"blocks.{i}", num_chs=embed_dim, reduction=reduction) for i in range(num_blocks)]
        self.norm = norm_layer(embed_dim, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(embed_dim, num_classes, **dd) if num_classes > 0 else nn.Identity()
        self.init_weights(nlhb=nlhb)

    def init_weights(self, nlhb: bool = False) -> None:
        head_bias = -math.log(self.num_classes) if nlhb and self.num_classes > 0 else 0.0
        for name, m in self.named_modules():
            if isinstance(m, nn.Linear):
                if name == "head":
                    nn.init.zeros_(m.weight)
                    nn.init.constant_(m.bias, head_bias)
                else:
                    nn.init.xavier_uniform_(m.weight)
                    if m.bias is not None:
                        nn.init.normal_(m.bias, std=1e-6) if "mlp" in name else nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Conv2d):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif hasattr(m, "init_weights") and m is not self:
                m.init_weights()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(stem=r"^stem", blocks=[(r"^blocks\.(\d+)", None), (r"^norm", (99999,))])

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        """``global_pool``: 'avg', 'max', 'avgmax', 'catavgmax' over the tokens, or '' (per-token logits)."""
        if global_pool is not None:
            _check_pool(global_pool)
            self.global_pool = global_pool
        self.num_classes = num_classes
        width = self.embed_dim * (2 if self.global_pool == "catavgmax" else 1)
        self.head = nn.Linear(width, num_classes, **self._dd) if num_classes > 0 else nn.Identity()

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Block outputs at ``indices``, as NCHW maps (or NLC tokens); ``norm`` applies the final norm to each."""
        if output_fmt not in ("NCHW", "NLC"):
            raise ValueError(f"output_fmt must be 'NCHW' or 'NLC', got {output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.blocks), indices)
        batch, _, height, width = x.shape
        grid_h, grid_w = self.stem.dynamic_feat_size((height, width))
        intermediates = []
        x = self.stem(x)
        blocks = self.blocks if not stop_early else self.blocks[:max_index + 1]
        for i, block in enumerate(blocks):
            x = block(x)
            if i in take_indices:
                y = self.norm(x) if norm else x
                if output_fmt == "NCHW":
                    y = y.reshape(batch, grid_h, grid_w, -1).permute(0, 3, 1, 2).contiguous()
                intermediates.append(y)
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
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            x = checkpoint_seq(self.blocks, x)
        else:
            x = self.blocks(x)
        return self.norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = _pool_tokens(x, self.global_pool)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants ---------------------------------------------------------------------------------------

_RES = dict(patch_size=16, embed_dim=384, mlp_ratio=4, norm_layer=Affine)
_GMLP = dict(patch_size=16, num_blocks=30, mlp_ratio=6, block_layer=SpatialGatingBlock, mlp_layer=GatedMlp)
_GMIXER = dict(patch_size=16, embed_dim=384, mlp_ratio=(1.0, 4.0), mlp_layer=GluMlp, act_layer=nn.SiLU)

MIXERS: Dict[str, Dict[str, Any]] = {
    "mixer_s32_224": dict(patch_size=32, num_blocks=8, embed_dim=512),
    "mixer_s16_224": dict(patch_size=16, num_blocks=8, embed_dim=512),
    "mixer_b32_224": dict(patch_size=32, num_blocks=12, embed_dim=768),
    "mixer_b16_224": dict(patch_size=16, num_blocks=12, embed_dim=768),
    "mixer_l32_224": dict(patch_size=32, num_blocks=24, embed_dim=1024),
    "mixer_l16_224": dict(patch_size=16, num_blocks=24, embed_dim=1024),
    "gmixer_12_224": dict(num_blocks=12, **_GMIXER),
    "gmixer_24_224": dict(num_blocks=24, **_GMIXER),
    "resmlp_12_224": dict(num_blocks=12, block_layer=ResBlock, **_RES),
    "resmlp_24_224": dict(num_blocks=24, block_layer=partial(ResBlock, init_values=1e-5), **_RES),
    "resmlp_36_224": dict(num_blocks=36, block_layer=partial(ResBlock, init_values=1e-6), **_RES),
    "resmlp_big_24_224": dict(
        num_blocks=24, block_layer=partial(ResBlock, init_values=1e-6), **dict(_RES, patch_size=8, embed_dim=768)),
    "gmlp_ti16_224": dict(embed_dim=128, **_GMLP),
    "gmlp_s16_224": dict(embed_dim=256, **_GMLP),
    "gmlp_b16_224": dict(embed_dim=512, **_GMLP),
}


# --- weight metadata --------------------------------------------------------------------------------

_TIMM_RELEASES = "https://github.com/rwightman/pytorch-image-models/releases/download/"


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=None, crop_pct=0.875,
        interpolation="bicubic", fixed_input_size=True, first_conv="stem.proj", classifier="head",
        license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


MIXER_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "gmixer_12_224.untrained": _cfg(hf_hub_id=None),
    "gmixer_24_224.ra3_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-weights/gmixer_24_224_raa-7daf7ae6.pth"),
    "gmlp_b16_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "gmlp_s16_224.ra3_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-weights/gmlp_s16_224_raa-10536d42.pth",
        mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "gmlp_ti16_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_b16_224.goog_in21k_ft_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-vitjx/jx_mixer_b16_224-76587d61.pth",
        mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_b16_224.goog_in21k": _cfg(url=_TIMM_RELEASES + "v0.1-vitjx/jx_mixer_b16_224_in21k-617b3de2.pth",
        num_classes=21843, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_b16_224.miil_in21k": _cfg(url=_TIMM_RELEASES + "v0.1-tresnet/mixer_b16_224_miil_in21k-2a558a71.pth",
        num_classes=11221, interpolation="bilinear", mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)),
    "mixer_b16_224.miil_in21k_ft_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-tresnet/mixer_b16_224_miil-9229a591.pth",
        interpolation="bilinear", mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)),
    "mixer_b32_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_l16_224.goog_in21k_ft_in1k": _cfg(url=_TIMM_RELEASES + "v0.1-vitjx/jx_mixer_l16_224-92f9adc4.pth",
        mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_l16_224.goog_in21k": _cfg(url=_TIMM_RELEASES + "v0.1-vitjx/jx_mixer_l16_224_in21k-846aa33c.pth",
        num_classes=21843, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_l32_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_s16_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "mixer_s32_224.untrained": _cfg(hf_hub_id=None, mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD),
    "resmlp_12_224.fb_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_12_no_dist.pth"),
    "resmlp_12_224.fb_distilled_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_12_dist.pth"),
    "resmlp_12_224.fb_dino": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_12_dino.pth"),
    "resmlp_24_224.fb_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_24_no_dist.pth"),
    "resmlp_24_224.fb_distilled_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_24_dist.pth"),
    "resmlp_24_224.fb_dino": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_24_dino.pth"),
    "resmlp_36_224.fb_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_36_no_dist.pth"),
    "resmlp_36_224.fb_distilled_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlp_36_dist.pth"),
    "resmlp_big_24_224.fb_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlpB_24_no_dist.pth"),
    "resmlp_big_24_224.fb_distilled_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlpB_24_dist.pth"),
    "resmlp_big_24_224.fb_in22k_ft_in1k": _cfg(url="https://dl.fbaipublicfiles.com/deit/resmlpB_24_22k.pth"),
}

default_cfgs = generate_default_cfgs(MIXER_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def _create_mixer(variant: str, pretrained: bool = False, **kwargs: Any) -> MlpMixer:
    # every block is a feature point at the patch stride: by default the last three
    return build_model_with_cfg(
        MlpMixer, variant, pretrained, feature_cfg=dict(out_indices=3, feature_cls="getter"), **kwargs)


register_variants(MIXERS, _create_mixer, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "mixer_b16_224_in21k": "mixer_b16_224.goog_in21k_ft_in1k",
    "mixer_l16_224_in21k": "mixer_l16_224.goog_in21k_ft_in1k",
    "mixer_b16_224_miil": "mixer_b16_224.miil_in21k_ft_in1k",
    "mixer_b16_224_miil_in21k": "mixer_b16_224.miil_in21k",
    "resmlp_12_distilled_224": "resmlp_12_224.fb_distilled_in1k",
    "resmlp_24_distilled_224": "resmlp_24_224.fb_distilled_in1k",
    "resmlp_36_distilled_224": "resmlp_36_224.fb_distilled_in1k",
    "resmlp_big_24_distilled_224": "resmlp_big_24_224.fb_distilled_in1k",
    "resmlp_big_24_224_in22ft1k": "resmlp_big_24_224.fb_in22k_ft_in1k",
    "resmlp_12_224_dino": "resmlp_12_224",
    "resmlp_24_224_dino": "resmlp_24_224",
})
