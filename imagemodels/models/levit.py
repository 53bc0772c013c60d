"""LeViT: a vision transformer in ConvNet's clothing, for fast inference.

Paper: Graham et al., "LeViT: a Vision Transformer in ConvNet's Clothing for Faster Inference", 2021
(arXiv:2104.01136). Checkpoint-compatible with timm's ``levit`` module.

What makes LeViT different from a ViT:

* a stride-16 (or stride-8) stem of 3x3 convs instead of a patch embedding;
* every linear layer is followed by a BatchNorm (``LinearNorm``), no LayerNorm anywhere, so that at
  inference the norms fold into the weights;
* attention adds a learned bias per head and per relative offset (|dy|, |dx|) instead of a position
  embedding, and its value width is ``attn_ratio`` x the key width;
* three stages at decreasing resolution, joined by an attention layer whose queries are subsampled
  (``AttentionDownsample``);
* the classifier is BatchNorm + Linear, with a second (distillation) head averaged with the first at eval.

The ``levit_conv_*`` names are the same networks run on NCHW maps with 1x1 convs and BatchNorm2d
(``use_conv=True``); their weights differ only by the two trailing 1x1 kernel dimensions.

Layout: the blocks, the network, then ``LEVITS`` (one row per registered name), the weight metadata,
then registration.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
from torch import nn

from imagemodels.layers import DropPath, get_act_layer, to_2tuple

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._manipulate import checkpoint_seq
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["Levit", "LevitDistilled"]

LayerFn = Callable[..., nn.Module]
_POOLS = ("", "avg", "max", "avgmax", "catavgmax")


class ConvNorm(nn.Module):
    """Conv2d (no bias) then BatchNorm2d: the two fold into one conv for inference."""

    def __init__(self, in_chs: int, out_chs: int, kernel_size: int = 1, stride: int = 1, padding: int = 0,
                 bn_weight_init: float = 1.0):
        super().__init__()
        self.linear = nn.Conv2d(in_chs, out_chs, kernel_size, stride, padding, bias=False)
        self.bn = nn.BatchNorm2d(out_chs)
        nn.init.constant_(self.bn.weight, bn_weight_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.linear(x))


class LinearNorm(nn.Module):
    """Linear (no bias) then BatchNorm1d over all tokens of the batch: (B, N, C) -> (B, N, C_out)."""

    def __init__(self, in_features: int, out_features: int, bn_weight_init: float = 1.0):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features, bias=False)
        self.bn = nn.BatchNorm1d(out_features)
        nn.init.constant_(self.bn.weight, bn_weight_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.linear(x)
        return self.bn(x.flatten(0, 1)).reshape_as(x)


def _norm_layer(use_conv: bool) -> LayerFn:
    return ConvNorm if use_conv else LinearNorm


class NormLinear(nn.Module):
    """The classifier: BatchNorm1d, dropout, Linear."""

    def __init__(self, in_features: int, out_features: int, drop: float = 0.0):
        super().__init__()
        self.bn = nn.BatchNorm1d(in_features)
        self.drop = nn.Dropout(drop)
        self.linear = nn.Linear(in_features, out_features)
        nn.init.trunc_normal_(self.linear.weight, std=0.02)
        nn.init.zeros_(self.linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.drop(self.bn(x)))


class Stem(nn.Sequential):
    """3x3 stride-2 ConvNorms, doubling the width each time, with an activation between them:
    four of them for a stride-16 stem, three for stride 8. Children: conv1, act1, conv2, ...
    (a Sequential, so that the conv variants' features_only flattens it as the reference does)."""

    def __init__(self, in_chs: int, out_chs: int, stride: int = 16, act_layer: LayerFn = nn.Hardswish):
        super().__init__()
        if stride not in (8, 16):
            raise ValueError(f"the LeViT stem reduces by 8 or 16, got stem_stride={stride}")
        self.stride = stride
        num_convs = 4 if stride == 16 else 3
        prev = in_chs
        for i in range(num_convs):
            width = out_chs // 2 ** (num_convs - 1 - i)
            self.add_module(f"conv{i + 1}", ConvNorm(prev, width, 3, stride=2, padding=1))
            if i < num_convs - 1:
                self.add_module(f"act{i + 1}", act_layer())
            prev = width


def _relative_offset_index(q_res: Tuple[int, int], k_res: Tuple[int, int], stride: int) -> torch.Tensor:
    """(Nq, Nk) index into a (H_k * W_k) bias table: |dy| * W_k + |dx| between each query point (on a
    grid ``stride`` apart) and each key point."""
    qy, qx = torch.meshgrid(torch.arange(q_res[0]) * stride, torch.arange(q_res[1]) * stride, indexing="ij")
    ky, kx = torch.meshgrid(torch.arange(k_res[0]), torch.arange(k_res[1]), indexing="ij")
    dy = (qy.flatten()[:, None] - ky.flatten()[None, :]).abs()
    dx = (qx.flatten()[:, None] - kx.flatten()[None, :]).abs()
    return dy * k_res[1] + dx


class Attention(nn.Module):
    """Multi-head self-attention with BatchNormed projections and a learned bias per relative offset.

    Per head the qkv projection holds ``key_dim`` query, ``key_dim`` key and ``attn_ratio * key_dim``
    value channels, in that order. Tokens are (B, N, C), or (B, C, H, W) with ``use_conv``.
    """

    def __init__(self, dim: int, key_dim: int, num_heads: int = 8, attn_ratio: float = 4.0,
                 resolution: Tuple[int, int] = (14, 14), use_conv: bool = False, act_layer: LayerFn = nn.SiLU):
        super().__init__()
        norm = _norm_layer(use_conv)
        self.use_conv = use_conv
        self.num_heads = num_heads
        self.scale = key_dim ** -0.5
        self.key_dim = key_dim
        self.key_attn_dim = key_dim * num_heads
        self.val_dim = int(attn_ratio * key_dim)
        self.val_attn_dim = self.val_dim * num_heads
        self.resolution = to_2tuple(resolution)

        self.qkv = norm(dim, self.val_attn_dim + self.key_attn_dim * 2)
        self.proj = nn.Sequential()
        self.proj.add_module("act", act_layer())
        self.proj.add_module("ln", norm(self.val_attn_dim, dim, bn_weight_init=0.0))

        self.attention_biases = nn.Parameter(torch.zeros(num_heads, self.resolution[0] * self.resolution[1]))
        self.register_buffer(
            "attention_bias_idxs", _relative_offset_index(self.resolution, self.resolution, 1), persistent=False)

    def _bias(self) -> torch.Tensor:
        return self.attention_biases[:, self.attention_bias_idxs]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.use_conv:
            B, C, H, W = x.shape
            q, k, v = self.qkv(x).view(B, self.num_heads, -1, H * W).split(
                [self.key_dim, self.key_dim, self.val_dim], dim=2)
            attn = (q.transpose(-2, -1) @ k) * self.scale + self._bias()
            x = v @ attn.softmax(dim=-1).transpose(-2, -1)
            x = x.reshape(B, -1, H, W)
        else:
            B, N, C = x.shape
            q, k, v = self.qkv(x).view(B, N, self.num_heads, -1).split(
                [self.key_dim, self.key_dim, self.val_dim], dim=3)
            q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
            attn = (q @ k.transpose(-2, -1)) * self.scale + self._bias()
            x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, N, self.val_attn_dim)
        return self.proj(x)


class Subsample(nn.Module):
    """Keep every ``stride``-th token in both directions of a (B, H*W, C) token grid."""

    def __init__(self, stride: int, resolution: Tuple[int, int]):
        super().__init__()
        self.stride = stride
        self.resolution = to_2tuple(resolution)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, _, C = x.shape
        x = x.view(B, self.resolution[0], self.resolution[1], C)
        return x[:, ::self.stride, ::self.stride].reshape(B, -1, C)


class AttentionDownsample(nn.Module):
    """Attention from a subsampled query grid to the full-resolution keys: halves the resolution
    and changes the width (no residual around it)."""

    def __init__(self, in_dim: int, out_dim: int, key_dim: int, num_heads: int = 8, attn_ratio: float = 2.0,
                 stride: int = 2, resolution: Tuple[int, int] = (14, 14), use_conv: bool = False,
                 act_layer: LayerFn = nn.SiLU):
        super().__init__()
        norm = _norm_layer(use_conv)
        self.use_conv = use_conv
        self.stride = stride
        self.resolution = to_2tuple(resolution)
        self.q_resolution = tuple((r - 1) // stride + 1 for r in self.resolution)
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.key_attn_dim = key_dim * num_heads
        self.val_dim = int(attn_ratio * key_dim)
        self.val_attn_dim = self.val_dim * num_heads
        self.scale = key_dim ** -0.5

        self.kv = norm(in_dim, self.val_attn_dim + self.key_attn_dim)
        self.q = nn.Sequential()
        # a 1x1 average pool with stride is plain subsampling of the NCHW map
        self.q.add_module("down", nn.AvgPool2d(1, stride) if use_conv else Subsample(stride, self.resolution))
        self.q.add_module("ln", norm(in_dim, self.key_attn_dim))
        self.proj = nn.Sequential()
        self.proj.add_module("act", act_layer())
        self.proj.add_module("ln", norm(self.val_attn_dim, out_dim))

        self.attention_biases = nn.Parameter(torch.zeros(num_heads, self.resolution[0] * self.resolution[1]))
        self.register_buffer(
            "attention_bias_idxs", _relative_offset_index(self.q_resolution, self.resolution, stride),
            persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bias = self.attention_biases[:, self.attention_bias_idxs]
        if self.use_conv:
            B, C, H, W = x.shape
            H_q, W_q = (H - 1) // self.stride + 1, (W - 1) // self.stride + 1
            k, v = self.kv(x).view(B, self.num_heads, -1, H * W).split([self.key_dim, self.val_dim], dim=2)
            q = self.q(x).view(B, self.num_heads, self.key_dim, -1)
            attn = (q.transpose(-2, -1) @ k) * self.scale + bias
            x = (v @ attn.softmax(dim=-1).transpose(-2, -1)).reshape(B, -1, H_q, W_q)
        else:
            B, N, C = x.shape
            k, v = self.kv(x).view(B, N, self.num_heads, -1).split([self.key_dim, self.val_dim], dim=3)
            k, v = k.transpose(1, 2), v.transpose(1, 2)
            q = self.q(x).view(B, -1, self.num_heads, self.key_dim).transpose(1, 2)
            attn = (q @ k.transpose(-2, -1)) * self.scale + bias
            x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, -1, self.val_attn_dim)
        return self.proj(x)


class LevitMlp(nn.Module):
    """LinearNorm -> act -> LinearNorm (1x1 ConvNorms with ``use_conv``)."""

    def __init__(self, in_features: int, hidden_features: int, out_features: Optional[int] = None,
                 use_conv: bool = False, act_layer: LayerFn = nn.SiLU, drop: float = 0.0):
        super().__init__()
        norm = _norm_layer(use_conv)
        self.ln1 = norm(in_features, hidden_features)
        self.act = act_layer()
        self.drop = nn.Dropout(drop)
        self.ln2 = norm(hidden_features, out_features or in_features, bn_weight_init=0.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ln2(self.drop(self.act(self.ln1(x))))


class LevitDownsample(nn.Module):
    """Between two stages: the subsampling attention, then a residual MLP at the new width."""

    def __init__(self, in_dim: int, out_dim: int, key_dim: int, num_heads: int, attn_ratio: float = 4.0,
                 mlp_ratio: float = 2.0, resolution: Tuple[int, int] = (14, 14), use_conv: bool = False,
                 act_layer: LayerFn = nn.SiLU, drop_path: float = 0.0):
        super().__init__()
        self.attn_downsample = AttentionDownsample(
            in_dim, out_dim, key_dim, num_heads, attn_ratio=attn_ratio, stride=2, resolution=resolution,
            use_conv=use_conv, act_layer=act_layer)
        self.mlp = LevitMlp(out_dim, int(out_dim * mlp_ratio), use_conv=use_conv, act_layer=act_layer)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.attn_downsample(x)
        return x + self.drop_path(self.mlp(x))


class LevitBlock(nn.Module):
    """Residual attention then residual MLP, no norms outside the projections."""

    def __init__(self, dim: int, key_dim: int, num_heads: int, attn_ratio: float = 4.0, mlp_ratio: float = 2.0,
                 resolution: Tuple[int, int] = (14, 14), use_conv: bool = False, act_layer: LayerFn = nn.SiLU,
                 drop_path: float = 0.0):
        super().__init__()
        self.attn = Attention(dim, key_dim, num_heads, attn_ratio=attn_ratio, resolution=resolution,
                              use_conv=use_conv, act_layer=act_layer)
        self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.mlp = LevitMlp(dim, int(dim * mlp_ratio), use_conv=use_conv, act_layer=act_layer)
        self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path1(self.attn(x))
        return x + self.drop_path2(self.mlp(x))


class LevitStage(nn.Module):
    """An optional ``LevitDownsample`` (every stage but the first) then ``depth`` blocks."""

    def __init__(self, in_dim: int, out_dim: int, key_dim: int, depth: int, num_heads: int,
                 attn_ratio: float = 2.0, mlp_ratio: float = 2.0, downsample: bool = False,
                 resolution: Tuple[int, int] = (14, 14), use_conv: bool = False, act_layer: LayerFn = nn.SiLU,
                 drop_path: float = 0.0):
        super().__init__()
        resolution = to_2tuple(resolution)
        if downsample:
            # the downsampling attention has one head per key_dim of input width and 4x wider values
            self.downsample = LevitDownsample(
                in_dim, out_dim, key_dim, num_heads=in_dim // key_dim, attn_ratio=4.0, mlp_ratio=2.0,
                resolution=resolution, use_conv=use_conv, act_layer=act_layer, drop_path=drop_path)
            resolution = tuple((r - 1) // 2 + 1 for r in resolution)
        else:
            if in_dim != out_dim:
                raise ValueError(f"a LeViT stage without downsampling keeps its width, got {in_dim} -> {out_dim}")
            self.downsample = nn.Identity()
        self.resolution = resolution
        self.blocks = nn.Sequential(*[
            LevitBlock(out_dim, key_dim, num_heads, attn_ratio=attn_ratio, mlp_ratio=mlp_ratio, resolution=resolution,
                       use_conv=use_conv, act_layer=act_layer, drop_path=drop_path)
            for _ in range(depth)
        ])
        self.grad_checkpointing = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.downsample(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.blocks, x)
        return self.blocks(x)


def _pool(x: torch.Tensor, pool_type: str, use_conv: bool) -> torch.Tensor:
    """Global pooling over the tokens (B, N, C) or the map (B, C, H, W) -> (B, C) ('catavgmax': 2C)."""
    if not pool_type:
        return x
    dims = (-2, -1) if use_conv else (1,)
    if pool_type == "avg":
        return x.mean(dims)
    x_max = x.amax(dims)
    if pool_type == "max":
        return x_max
    if pool_type == "avgmax":
        return 0.5 * (x.mean(dims) + x_max)
    return torch.cat([x.mean(dims), x_max], dim=-1)


class Levit(nn.Module):
    """LeViT: conv stem, then stages of BatchNormed attention blocks at 1/16, 1/32, 1/64 resolution.

    The token grid is fixed at construction (``img_size``): the attention biases are tables over the
    offsets of that grid. ``use_conv`` runs the same network on NCHW maps with 1x1 convs.
    """

    def __init__(
        self,
        img_size: Union[int, Tuple[int, int]] = 224,
        in_chans: int = 3,
        num_classes: int = 1000,
        embed_dim: Tuple[int, ...] = (192,),
        key_dim: int = 64,
        depth: Tuple[int, ...] = (12,),
        num_heads: Tuple[int, ...] = (3,),
        attn_ratio: float = 2.0,
        mlp_ratio: float = 2.0,
        stem_stride: int = 16,
        act_layer: Union[str, LayerFn] = "hard_swish",
        use_conv: bool = False,
        global_pool: str = "avg",
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
    ):
        super().__init__()
        if not len(embed_dim) == len(depth) == len(num_heads):
            raise ValueError(f"embed_dim, depth and num_heads need one entry per stage, got "
                             f"{embed_dim}, {depth}, {num_heads}")
        if global_pool not in _POOLS:
            raise ValueError(f"global_pool must be one of {_POOLS}, got {global_pool!r}")
        act_layer = get_act_layer(act_layer)
        self.use_conv = use_conv
        self.num_classes = num_classes
        self.global_pool = global_pool
        self.in_chans = in_chans
        self.embed_dim = tuple(embed_dim)
        self.num_features = self.head_hidden_size = embed_dim[-1]
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False

        self.stem = Stem(in_chans, embed_dim[0], stride=stem_stride, act_layer=act_layer)
        img_size = to_2tuple(img_size)
        resolution = tuple(s // stem_stride for s in img_size)

        stages = []
        self.feature_info = []
        reduction = stem_stride
        in_dim = embed_dim[0]
        for i, (dim, d, heads) in enumerate(zip(embed_dim, depth, num_heads)):
            stage = LevitStage(
                in_dim, dim, key_dim, depth=d, num_heads=heads, attn_ratio=attn_ratio, mlp_ratio=mlp_ratio,
                downsample=i > 0, resolution=resolution, use_conv=use_conv, act_layer=act_layer,
                drop_path=drop_path_rate)
            resolution = stage.resolution
            if i > 0:
                reduction *= 2
            stages.append(stage)
            self.feature_info.append(dict(num_chs=dim, reduction=reduction, module=f"stages.{i}"))
            in_dim = dim
        self.stages = nn.Sequential(*stages)
        self.head = self._make_head(num_classes)

    def _make_head(self, num_classes: int) -> nn.Module:
        width = 2 * self.num_features if self.global_pool == "catavgmax" else self.num_features
        return NormLinear(width, num_classes, drop=self.drop_rate) if num_classes > 0 else nn.Identity()

    # --- the model contract -----------------------------------------------------------------------

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        return dict(
            stem=r"^stem",
            blocks=r"^stages\.(\d+)" if coarse else [
                (r"^stages\.(\d+)\.downsample", (0,)),
                (r"^stages\.(\d+)\.blocks\.(\d+)", None),
            ],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable
        for stage in self.stages:
            stage.grad_checkpointing = enable

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

    def _tokens_to_map(self, x: torch.Tensor, resolution: Tuple[int, int]) -> torch.Tensor:
        if self.use_conv:
            return x
        return x.transpose(1, 2).reshape(x.shape[0], -1, resolution[0], resolution[1])

    def _stem_tokens(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        return x if self.use_conv else x.flatten(2).transpose(1, 2)

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """NCHW maps after the stages at ``indices`` (None: all, int: the last n, or a list).

        Returns ``(final_features, maps)`` or only the maps with ``intermediates_only``; the final
        features are tokens (B, N, C) for the linear variants. LeViT has no final norm (``norm`` is
        accepted for the common signature).
        """
        if output_fmt != "NCHW":
            raise ValueError(f"LeViT feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        intermediates = []
        x = self._stem_tokens(x)
        stages = self.stages if not stop_early else self.stages[:max_index + 1]
        for i, stage in enumerate(stages):
            x = stage(x)
            if i in take_indices:
                intermediates.append(self._tokens_to_map(x, stage.resolution))
        if intermediates_only:
            return intermediates
        return x, intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        """Drop the stages after the last of ``indices`` (and the head), for feature extraction."""
        take_indices, max_index = feature_take_indices(len(self.stages), indices)
        self.stages = self.stages[:max_index + 1]
        if prune_head:
            self.reset_classifier(0, "")
        return take_indices

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self._stem_tokens(x)
        if self.grad_checkpointing and not torch.jit.is_scripting():
            return checkpoint_seq(self.stages, x)
        return self.stages(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = _pool(x, self.global_pool, self.use_conv)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


class LevitDistilled(Levit):
    """LeViT with a second classifier trained against a teacher (DeiT-style distillation).

    At eval the two heads are averaged; with ``set_distilled_training(True)`` a training-mode
    forward returns both, for the distillation loss.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.head_dist = self._make_head(self.num_classes)
        self.distilled_training = False

    @torch.jit.ignore
    def get_classifier(self) -> Tuple[nn.Module, nn.Module]:
        return self.head, self.head_dist  # both heads, as the reference returns them

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        super().reset_classifier(num_classes, global_pool)
        self.head_dist = self._make_head(num_classes)

    @torch.jit.ignore
    def set_distilled_training(self, enable: bool = True) -> None:
        self.distilled_training = enable

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        x = _pool(x, self.global_pool, self.use_conv)
        if pre_logits:
            return x
        x, x_dist = self.head(x), self.head_dist(x)
        if self.distilled_training and self.training and not torch.jit.is_scripting():
            return x, x_dist
        return (x + x_dist) / 2


# --- variants ---------------------------------------------------------------------------------------
# Per stage: width, heads; one key width for the net. Every stage has attn_ratio 2 and mlp_ratio 2.
# The 'd' rows are deeper, the 's8' rows start at stride 8; the untrained larger rows use SiLU.

_BASE = dict(
    levit_128s=dict(embed_dim=(128, 256, 384), key_dim=16, num_heads=(4, 6, 8), depth=(2, 3, 4)),
    levit_128=dict(embed_dim=(128, 256, 384), key_dim=16, num_heads=(4, 8, 12), depth=(4, 4, 4)),
    levit_192=dict(embed_dim=(192, 288, 384), key_dim=32, num_heads=(3, 5, 6), depth=(4, 4, 4)),
    levit_256=dict(embed_dim=(256, 384, 512), key_dim=32, num_heads=(4, 6, 8), depth=(4, 4, 4)),
    levit_384=dict(embed_dim=(384, 512, 768), key_dim=32, num_heads=(6, 9, 12), depth=(4, 4, 4)),
    levit_256d=dict(embed_dim=(256, 384, 512), key_dim=32, num_heads=(4, 6, 8), depth=(4, 8, 6),
                    act_layer="silu", distilled=False),
    levit_384_s8=dict(embed_dim=(384, 512, 768), key_dim=32, num_heads=(6, 9, 12), depth=(4, 4, 4),
                      act_layer="silu", stem_stride=8),
    levit_512=dict(embed_dim=(512, 768, 1024), key_dim=64, num_heads=(8, 12, 16), depth=(4, 4, 4),
                   act_layer="silu", distilled=False),
    levit_512_s8=dict(embed_dim=(512, 640, 896), key_dim=64, num_heads=(8, 10, 14), depth=(4, 4, 4),
                      act_layer="silu", stem_stride=8, distilled=False),
    levit_512d=dict(embed_dim=(512, 640, 768), key_dim=64, num_heads=(8, 10, 12), depth=(4, 8, 6),
                    act_layer="silu", distilled=False),
)
_ORDER = ("levit_128", "levit_128s", "levit_192", "levit_256", "levit_256d", "levit_384", "levit_384_s8",
          "levit_512", "levit_512_s8", "levit_512d")
LEVITS: Dict[str, Dict[str, Any]] = {name: _BASE[name] for name in _ORDER}
LEVITS.update({name.replace("levit_", "levit_conv_"): dict(_BASE[name], use_conv=True) for name in _ORDER})


# --- weight metadata ----------------------------------------------------------------------------------

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", crop_pct=0.9, first_conv="stem.conv1.linear",
        classifier=("head.linear", "head_dist.linear"), license="apache-2.0", fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


_UNTRAINED = dict(hf_hub_id=None, classifier="head.linear")

LEVIT_WEIGHTS = {
    "levit_128.fb_dist_in1k": _cfg(),
    "levit_128s.fb_dist_in1k": _cfg(),
    "levit_192.fb_dist_in1k": _cfg(),
    "levit_256.fb_dist_in1k": _cfg(),
    "levit_256d.untrained": _cfg(**_UNTRAINED),
    "levit_384.fb_dist_in1k": _cfg(),
    "levit_384_s8.untrained": _cfg(**_UNTRAINED),
    "levit_512.untrained": _cfg(**_UNTRAINED),
    "levit_512_s8.untrained": _cfg(**_UNTRAINED),
    "levit_512d.untrained": _cfg(**_UNTRAINED),
    "levit_conv_128.fb_dist_in1k": _cfg(pool_size=(4, 4)),
    "levit_conv_128s.fb_dist_in1k": _cfg(pool_size=(4, 4)),
    "levit_conv_192.fb_dist_in1k": _cfg(pool_size=(4, 4)),
    "levit_conv_256.fb_dist_in1k": _cfg(pool_size=(4, 4)),
    "levit_conv_256d.untrained": _cfg(**_UNTRAINED),
    "levit_conv_384.fb_dist_in1k": _cfg(pool_size=(4, 4)),
    "levit_conv_384_s8.untrained": _cfg(**_UNTRAINED),
    "levit_conv_512.untrained": _cfg(**_UNTRAINED),
    "levit_conv_512_s8.untrained": _cfg(**_UNTRAINED),
    "levit_conv_512d.untrained": _cfg(**_UNTRAINED),
}

default_cfgs = generate_default_cfgs(LEVIT_WEIGHTS)


# --- registration -----------------------------------------------------------------------------------

def checkpoint_filter_fn(state_dict: Dict[str, torch.Tensor], model: nn.Module) -> Dict[str, torch.Tensor]:
    """Accept linear-layout weights for the conv variants (and the reverse): only the trailing 1x1
    kernel dimensions differ."""
    state_dict = state_dict.get("model", state_dict)
    target = model.state_dict()
    out = {}
    for key, value in state_dict.items():
        ref = target.get(key)
        if ref is not None and value.ndim == 2 and ref.ndim == 4:
            value = value[:, :, None, None]
        elif ref is not None and value.ndim == 4 and ref.ndim == 2:
            value = value.flatten(1)
        out[key] = value
    return out


def _create_levit(variant: str, pretrained: bool = False, distilled: bool = True, **kwargs: Any) -> Levit:
    # the conv variants' stages are plain NCHW children; the linear ones need forward_intermediates
    # to turn tokens into maps
    if kwargs.get("use_conv", False):
        feature_cfg = dict(flatten_sequential=True, out_indices=(0, 1, 2))
    else:
        feature_cfg = dict(feature_cls="getter", out_indices=(0, 1, 2))
    return build_model_with_cfg(
        LevitDistilled if distilled else Levit, variant, pretrained, pretrained_filter_fn=checkpoint_filter_fn,
        feature_cfg=feature_cfg, **kwargs)


register_variants(LEVITS, _create_levit, globals())
