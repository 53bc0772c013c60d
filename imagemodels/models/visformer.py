"""Visformer: the vision-friendly transformer. Checkpoint-compatible with timm's ``visformer`` module.

Paper: Chen et al., "Visformer: The Vision-friendly Transformer", 2021 (arXiv:2104.12533).

A ResNet-like conv stem and three stages at strides 8 / 16 / 32, everything NCHW with BatchNorm. The
first stage has no attention: its blocks are MLPs with a grouped 3x3 conv in the middle. The later
stages are transformer blocks whose projections are 1x1 convs. Each stage starts with a patch-merging
conv and adds its own learned position embedding.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import (
    DropPath, LayerNorm2d, PatchEmbed, SelectAdaptivePool2d, trunc_normal_, use_fused_attn,
)
from imagemodels.layers.attention import scaled_dot_product

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["Visformer"]

LayerFn = Callable[..., nn.Module]


class SpatialMlp(nn.Module):
    """1x1 conv -> GELU -> [grouped 3x3 conv -> GELU] -> 1x1 conv, on NCHW maps. With the spatial conv the
    hidden width is 2x the input (``group`` >= 2) or 5/6 of it (``group`` < 2)."""

    def __init__(self, in_features: int, hidden_features: Optional[int] = None, out_features: Optional[int] = None,
                 act_layer: LayerFn = nn.GELU, drop: float = 0.0, group: int = 8, spatial_conv: bool = False,
                 device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        if spatial_conv:
            hidden_features = in_features * 5 // 6 if group < 2 else in_features * 2
        self.in_features, self.hidden_features, self.out_features = in_features, hidden_features, out_features
        self.spatial_conv = spatial_conv
        self.conv1 = nn.Conv2d(in_features, hidden_features, 1, bias=False, **dd)
        self.act1 = act_layer()
        self.drop1 = nn.Dropout(drop)
        if spatial_conv:
            self.conv2 = nn.Conv2d(hidden_features, hidden_features, 3, padding=1, groups=group, bias=False, **dd)
            self.act2 = act_layer()
        else:
            self.conv2 = None
            self.act2 = None
        self.conv3 = nn.Conv2d(hidden_features, out_features, 1, bias=False, **dd)
        self.drop3 = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.drop1(self.act1(self.conv1(x)))
        if self.conv2 is not None:
            x = self.act2(self.conv2(x))
        return self.drop3(self.conv3(x))


class Attention(nn.Module):
    """Multi-head self-attention over the positions of an NCHW map; ``qkv`` / ``proj`` are 1x1 convs."""

    def __init__(self, dim: int, num_heads: int = 8, head_dim_ratio: float = 1.0, attn_drop: float = 0.0,
                 proj_drop: float = 0.0, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = round(dim // num_heads * head_dim_ratio)
        self.scale = self.head_dim ** -0.5
        self.fused_attn = use_fused_attn(experimental=True)
        self.qkv = nn.Conv2d(dim, self.head_dim * num_heads * 3, 1, bias=False, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Conv2d(self.head_dim * num_heads, dim, 1, bias=False, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, _, height, width = x.shape
        # (B, 3 * heads * head_dim, H, W) -> 3 x (B, heads, H*W, head_dim)
        q, k, v = self.qkv(x).reshape(batch, 3, self.num_heads, self.head_dim, -1).permute(1, 0, 2, 4, 3)
        if self.fused_attn:
            out = scaled_dot_product(q, k, v, fused=True, scale=self.scale,
                                     dropout_p=self.attn_drop.p if self.training else 0.0)
        else:
            # scale after the product (not q * scale first): the released weights were trained this way and
            # the deep stage-3 activations are large enough for the rounding order to show
            attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
            out = self.attn_drop(attn) @ v
        out = out.permute(0, 1, 3, 2).reshape(batch, -1, height, width)
        return self.proj_drop(self.proj(out))


class Block(nn.Module):
    """[norm1 -> attention] (``attn_disabled`` drops it) then norm2 -> SpatialMlp, each a residual branch."""

    def __init__(self, dim: int, num_heads: int, head_dim_ratio: float = 1.0, mlp_ratio: float = 4.0,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0, act_layer: LayerFn = nn.GELU,
                 norm_layer: LayerFn = LayerNorm2d, group: int = 8, attn_disabled: bool = False,
                 spatial_conv: bool = False, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.spatial_conv = spatial_conv
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        if attn_disabled:
            self.norm1 = None
            self.attn = None
        else:
            self.norm1 = norm_layer(dim, **dd)
            self.attn = Attention(dim, num_heads=num_heads, head_dim_ratio=head_dim_ratio, attn_drop=attn_drop,
                                  proj_drop=proj_drop, **dd)
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = SpatialMlp(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop,
                              group=group, spatial_conv=spatial_conv, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.attn is not None:
            x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class Visformer(nn.Module):
    """Conv stem (stride 2) -> three stages (patch-merging conv + position embedding + blocks) at widths
    ``embed_dim / 2``, ``embed_dim``, ``2 * embed_dim`` -> norm -> pool -> head.

    ``attn_stage`` / ``spatial_conv``: one '0'/'1' per stage, whether its blocks have attention / the
    grouped 3x3 conv in their MLP. ``depth`` is a 3-tuple (blocks per stage) or a total split 1:1:1.
    Only the conv stem (``vit_stem=False``) with stage-wise embeddings is supported.
    """

    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        init_channels: Optional[int] = 32,
        embed_dim: int = 384,
        depth: Union[int, Sequence[int]] = 12,
        num_heads: int = 6,
        mlp_ratio: float = 4.0,
        drop_rate: float = 0.0,
        pos_drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: LayerFn = LayerNorm2d,
        attn_stage: str = "111",
        use_pos_embed: bool = True,
        spatial_conv: str = "111",
        vit_stem: bool = False,
        group: int = 8,
        global_pool: str = "avg",
        conv_init: bool = False,
        embed_norm: Optional[LayerFn] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if vit_stem or init_channels is None:
            raise ValueError("only the conv stem is supported: vit_stem=False with init_channels set")
        if len(attn_stage) != 3 or len(spatial_conv) != 3:
            raise ValueError(f"attn_stage and spatial_conv need one '0'/'1' per stage (3), got {attn_stage!r}, {spatial_conv!r}")
        depths = tuple(depth) if isinstance(depth, (list, tuple)) else (depth // 3,) * 3
        if len(depths) != 3:
            raise ValueError(f"depth must be an int or one entry per stage (3), got {depth}")
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.embed_dim = embed_dim
        self.init_channels = init_channels
        self.img_size = img_size
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.use_pos_embed = use_pos_embed
        self.conv_init = conv_init
        self.grad_checkpointing = False

        self.stem = nn.Sequential(
            nn.Conv2d(in_chans, init_channels, 7, stride=2, padding=3, bias=False, **dd),
            nn.BatchNorm2d(init_channels, **dd),
            nn.ReLU(inplace=True),
        )
        self.pos_drop = nn.Dropout(p=pos_drop_rate)
        total = sum(depths)
        rates = [drop_path_rate * i / (total - 1) if total > 1 else 0.0 for i in range(total)]
        dims = (embed_dim // 2, embed_dim, embed_dim * 2)
        # stage 1 merges 4x4 (the stem already halved the image), stages 2 and 3 merge 2x2
        grid = img_size // 2
        in_dim = init_channels
        self.feature_info = []
        reduction = 2
        for i, (dim, patch) in enumerate(zip(dims, (patch_size // 4, 2, 2))):
            embed = PatchEmbed(img_size=grid, patch_size=patch, in_chans=in_dim, embed_dim=dim, norm_layer=embed_norm,
                               flatten=False, **dd)
            grid //= patch
            reduction *= patch
            self.add_module(f"patch_embed{i + 1}", embed)
            pos = nn.Parameter(torch.zeros(1, dim, grid, grid, **dd)) if use_pos_embed else None
            self.register_parameter(f"pos_embed{i + 1}", pos)
            first = sum(depths[:i])
            stage = nn.Sequential(*[
                Block(dim, num_heads=num_heads, head_dim_ratio=1.0, mlp_ratio=mlp_ratio, proj_drop=proj_drop_rate,
                      attn_drop=attn_drop_rate, drop_path=rates[first + j], norm_layer=norm_layer, group=group,
                      attn_disabled=attn_stage[i] == "0", spatial_conv=spatial_conv[i] == "1", **dd)
                for j in range(depths[i])])
            self.add_module(f"stage{i + 1}", stage)
            self.feature_info.append(dict(num_chs=dim, reduction=reduction, module=f"stage{i + 1}"))
            in_dim = dim
        self.num_features = self.head_hidden_size = dims[-1]
        self.norm = norm_layer(self.num_features, **dd)
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)

        if use_pos_embed:
            for pos in (self.pos_embed1, self.pos_embed2, self.pos_embed3):
                trunc_normal_(pos, std=0.02)
        self.apply(self._init_weights)

    def _make_head(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        width = self.num_features * self.global_pool.feat_mult()
        return nn.Linear(width, num_classes, device=self.stem[0].weight.device, dtype=self.stem[0].weight.dtype)

    def _init_weights(self, m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            if self.conv_init:
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            else:
                trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^patch_embed1|pos_embed1|stem",
            blocks=[
                (r"^stage(\d+)\.(\d+)" if not coarse else r"^stage(\d+)", None),
                (r"^(?:patch_embed|pos_embed)(\d+)", (0,)),
                (r"^norm", (99999,)),
            ],
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
            self.global_pool = SelectAdaptivePool2d(pool_type=global_pool, flatten=True)
        self.head = self._make_head(num_classes)

    def _stages(self) -> List[Tuple[nn.Module, Optional[torch.Tensor], nn.Module]]:
        return [(self.patch_embed1, self.pos_embed1, self.stage1), (self.patch_embed2, self.pos_embed2, self.stage2),
                (self.patch_embed3, self.pos_embed3, self.stage3)]

    def _run_stage(self, i: int, x: torch.Tensor) -> torch.Tensor:
        embed, pos, stage = self._stages()[i]
        x = embed(x)
        if pos is not None:
            x = self.pos_drop(x + pos)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(stage, x)
        return stage(x)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Each stage's output at ``indices`` (NCHW); ``norm`` applies the final norm to the last stage's."""
        if output_fmt != "NCHW":
            raise ValueError(f"Visformer feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(3, indices)
        x = self.stem(x)
        intermediates = []
        last = max_index if stop_early else 2
        for i in range(last + 1):
            x = self._run_stage(i, x)
            if i in take_indices:
                intermediates.append(self.norm(x) if norm and i == 2 else x)
        if intermediates_only:
            return intermediates
        return self.norm(x) if last == 2 else x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(3, indices)
        for i in range(max_index + 1, 3):
            setattr(self, f"patch_embed{i + 1}", nn.Identity())
            setattr(self, f"stage{i + 1}", nn.Identity())
            setattr(self, f"pos_embed{i + 1}", None)
        if prune_norm:
            self.norm = nn.Identity()
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for i in range(3):
            x = self._run_stage(i, x)
        return self.norm(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --- variants -----------------------------------------------------------------------------------------
# no attention in stage 1, the grouped 3x3 conv only there; BatchNorm throughout

_V = dict(depth=(7, 4, 4), mlp_ratio=4.0, group=8, attn_stage="011", spatial_conv="100",
          norm_layer=nn.BatchNorm2d, conv_init=True, embed_norm=nn.BatchNorm2d)

VISFORMERS: Dict[str, Dict[str, Any]] = {
    "visformer_tiny": dict(_V, init_channels=16, embed_dim=192, num_heads=3),
    "visformer_small": dict(_V, init_channels=32, embed_dim=384, num_heads=6),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), pool_size=(7, 7), crop_pct=0.9,
        interpolation="bicubic", first_conv="stem.0", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


VISFORMER_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "visformer_small.in1k": _cfg(),
    "visformer_tiny.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(VISFORMER_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_visformer(variant: str, pretrained: bool = False, **kwargs: Any) -> Visformer:
    out_indices = kwargs.pop("out_indices", (0, 1, 2))
    return build_model_with_cfg(Visformer, variant, pretrained,
                                feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(VISFORMERS, _create_visformer, globals())
