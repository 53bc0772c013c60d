"""CoaT: Co-Scale Conv-Attentional Image Transformers. Checkpoint-compatible with timm's ``coat`` module.

Paper: Xu et al., "Co-Scale Conv-Attentional Image Transformers", 2021 (arXiv:2104.06399).

Four stages (strides 4 / 8 / 16 / 32), each with its own class token. Attention is "factorized"
(softmax over the keys, then K^T V, then Q (K^T V): linear in the number of tokens) plus a convolutional
relative position term (depthwise convs of V, different kernel sizes for different head groups, times Q).
A depthwise conv position encoding (CPE) runs before every block. The CoaT-Lite models stop there. The
full CoaT models then run parallel blocks over stages 2-4 together, where after attention each scale
adds the others' results resized to it (bilinear), and classify from the three class tokens, mixed by a
1x1 ``aggregate`` conv.

The CPE / CRPE modules of a stage are shared by all of that stage's blocks (and the parallel blocks):
each appears once per user in the state_dict, as in the reference.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import DropPath, LayerNorm, Mlp, PatchEmbed, trunc_normal_
from imagemodels.layers.token_pool import check_token_pool, pool_tokens, token_pool_width

from ._builder import build_model_with_cfg
from ._features import feature_take_indices
from ._pretrained import generate_default_cfgs
from ._registry import register_variants

__all__ = ["CoaT"]

LayerFn = Callable[..., nn.Module]
Size = Tuple[int, int]


class ConvRelPosEnc(nn.Module):
    """Convolutional relative position encoding: Q * depthwise-conv(V) over the image tokens, with a kernel
    size per group of heads (``window`` = {kernel: heads}); zero for the class token."""

    def __init__(self, head_chs: int, num_heads: int, window: Dict[int, int], device=None, dtype=None):
        super().__init__()
        if sum(window.values()) != num_heads:
            raise ValueError(f"crpe window head counts {window} must sum to num_heads ({num_heads})")
        self.window = window
        self.conv_list = nn.ModuleList()
        self.head_splits = []
        for kernel, heads in window.items():
            chs = heads * head_chs
            self.conv_list.append(nn.Conv2d(chs, chs, kernel_size=kernel, padding=kernel // 2, groups=chs,
                                            device=device, dtype=dtype))
            self.head_splits.append(heads)
        self.channel_splits = [h * head_chs for h in self.head_splits]

    def forward(self, q: torch.Tensor, v: torch.Tensor, size: Size) -> torch.Tensor:
        batch, num_heads, num_tokens, head_chs = q.shape
        height, width = size
        if num_tokens != 1 + height * width:
            raise ValueError(f"expected 1 + {height}x{width} tokens, got {num_tokens}")
        q_img = q[:, :, 1:]
        v_img = v[:, :, 1:].transpose(-1, -2).reshape(batch, num_heads * head_chs, height, width)
        parts = torch.split(v_img, self.channel_splits, dim=1)
        conv_v = torch.cat([conv(p) for conv, p in zip(self.conv_list, parts)], dim=1)
        conv_v = conv_v.reshape(batch, num_heads, head_chs, height * width).transpose(-1, -2)
        return F.pad(q_img * conv_v, (0, 0, 1, 0, 0, 0))  # the class token gets no position term


class FactorAttnConvRelPosEnc(nn.Module):
    """Factorized attention Q (softmax_N(K)^T V) * scale plus the conv relative position term."""

    def __init__(self, dim: int, num_heads: int = 8, qkv_bias: bool = False, attn_drop: float = 0.0,
                 proj_drop: float = 0.0, shared_crpe: Optional[nn.Module] = None, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)  # kept for the interface: the factorized form has no attention map
        self.proj = nn.Linear(dim, dim, **dd)
        self.proj_drop = nn.Dropout(proj_drop)
        self.crpe = shared_crpe

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        batch, num_tokens, channels = x.shape
        q, k, v = self.qkv(x).reshape(batch, num_tokens, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        context = k.softmax(dim=2).transpose(-1, -2) @ v  # (B, heads, head_chs, head_chs)
        out = self.scale * (q @ context) + self.crpe(q, v, size=size)
        out = out.transpose(1, 2).reshape(batch, num_tokens, channels)
        return self.proj_drop(self.proj(out))


class ConvPosEnc(nn.Module):
    """Depthwise ``k`` x ``k`` conv over the image tokens, added back; the class token passes through."""

    def __init__(self, dim: int, k: int = 3, device=None, dtype=None):
        super().__init__()
        self.proj = nn.Conv2d(dim, dim, k, 1, k // 2, groups=dim, device=device, dtype=dtype)

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        batch, _, channels = x.shape
        cls_token, img = x[:, :1], x[:, 1:]
        feat = img.transpose(1, 2).reshape(batch, channels, *size)
        img = (self.proj(feat) + feat).flatten(2).transpose(1, 2)
        return torch.cat([cls_token, img], dim=1)


class SerialBlock(nn.Module):
    """CPE, then pre-norm factorized conv-attention and MLP residual branches."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0, act_layer: LayerFn = nn.GELU,
                 norm_layer: LayerFn = LayerNorm, shared_cpe: Optional[nn.Module] = None,
                 shared_crpe: Optional[nn.Module] = None, device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.cpe = shared_cpe
        self.norm1 = norm_layer(dim, **dd)
        self.factoratt_crpe = FactorAttnConvRelPosEnc(dim, num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop,
                                                      proj_drop=proj_drop, shared_crpe=shared_crpe, **dd)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.norm2 = norm_layer(dim, **dd)
        self.mlp = Mlp(dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer, drop=proj_drop, **dd)

    def forward(self, x: torch.Tensor, size: Size) -> torch.Tensor:
        x = self.cpe(x, size)
        x = x + self.drop_path(self.factoratt_crpe(self.norm1(x), size))
        return x + self.drop_path(self.mlp(self.norm2(x)))


def _resize_tokens(x: torch.Tensor, scale_factor: float, size: Size) -> torch.Tensor:
    """Bilinearly resize the image tokens of [class, image] tokens by ``scale_factor``."""
    batch, _, channels = x.shape
    cls_token, img = x[:, :1], x[:, 1:]
    img = img.transpose(1, 2).reshape(batch, channels, *size)
    img = F.interpolate(img, scale_factor=scale_factor, recompute_scale_factor=False, mode="bilinear",
                        align_corners=False)
    return torch.cat([cls_token, img.reshape(batch, channels, -1).transpose(1, 2)], dim=1)


class ParallelBlock(nn.Module):
    """Stages 2-4 side by side: attention at each scale, then each adds the other scales' attention outputs
    resized to it; then an MLP per scale. Stage 1 passes through."""

    def __init__(self, dims: Sequence[int], num_heads: int, mlp_ratios: Sequence[float] = (), qkv_bias: bool = False,
                 proj_drop: float = 0.0, attn_drop: float = 0.0, drop_path: float = 0.0, act_layer: LayerFn = nn.GELU,
                 norm_layer: LayerFn = LayerNorm, shared_crpes: Optional[Sequence[nn.Module]] = None,
                 device=None, dtype=None):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if not dims[1] == dims[2] == dims[3]:
            raise ValueError(f"the parallel blocks add stages 2-4 together: their widths must match, got {dims}")
        if not mlp_ratios[1] == mlp_ratios[2] == mlp_ratios[3]:
            raise ValueError(f"the parallel blocks need one MLP ratio for stages 2-4, got {mlp_ratios}")
        for i in (2, 3, 4):
            self.add_module(f"norm1{i}", norm_layer(dims[i - 1], **dd))
        for i in (2, 3, 4):
            self.add_module(f"factoratt_crpe{i}", FactorAttnConvRelPosEnc(
                dims[i - 1], num_heads=num_heads, qkv_bias=qkv_bias, attn_drop=attn_drop, proj_drop=proj_drop,
                shared_crpe=shared_crpes[i - 1], **dd))
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        for i in (2, 3, 4):
            self.add_module(f"norm2{i}", norm_layer(dims[i - 1], **dd))
        # one MLP serves all three scales (it appears under three names in the state_dict)
        self.mlp2 = self.mlp3 = self.mlp4 = Mlp(dims[1], hidden_features=int(dims[1] * mlp_ratios[1]),
                                                act_layer=act_layer, drop=proj_drop, **dd)

    def forward(self, x1: torch.Tensor, x2: torch.Tensor, x3: torch.Tensor, x4: torch.Tensor,
                sizes: Sequence[Size]) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        _, s2, s3, s4 = sizes
        cur2 = self.factoratt_crpe2(self.norm12(x2), size=s2)
        cur3 = self.factoratt_crpe3(self.norm13(x3), size=s3)
        cur4 = self.factoratt_crpe4(self.norm14(x4), size=s4)
        # co-scale: every scale gets the other two scales' attention outputs, resized to it
        new2 = cur2 + _resize_tokens(cur3, 2.0, s3) + _resize_tokens(cur4, 4.0, s4)
        new3 = cur3 + _resize_tokens(cur4, 2.0, s4) + _resize_tokens(cur2, 0.5, s2)
        new4 = cur4 + _resize_tokens(cur3, 0.5, s3) + _resize_tokens(cur2, 0.25, s2)
        x2 = x2 + self.drop_path(new2)
        x3 = x3 + self.drop_path(new3)
        x4 = x4 + self.drop_path(new4)
        x2 = x2 + self.drop_path(self.mlp2(self.norm22(x2)))
        x3 = x3 + self.drop_path(self.mlp3(self.norm23(x3)))
        x4 = x4 + self.drop_path(self.mlp4(self.norm24(x4)))
        return x1, x2, x3, x4


class CoaT(nn.Module):
    """Four serial stages ([class token, patches] -> SerialBlocks), then optional parallel blocks over
    stages 2-4, then norm(s) -> head. The token grids are fixed at construction.

    ``forward_features`` returns stage 4's tokens (CoaT-Lite) or a list of stages 2-4's tokens (CoaT,
    ``parallel_depth`` > 0); ``forward_head`` reads the class token ('token') or the mean image token
    ('avg') of each, mixing the three with ``aggregate`` for CoaT.
    """

    def __init__(
        self,
        img_size: int = 224,
        patch_size: int = 16,
        in_chans: int = 3,
        num_classes: int = 1000,
        embed_dims: Sequence[int] = (64, 128, 320, 512),
        serial_depths: Sequence[int] = (3, 4, 6, 3),
        parallel_depth: int = 0,
        num_heads: int = 8,
        mlp_ratios: Sequence[float] = (4, 4, 4, 4),
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        proj_drop_rate: float = 0.0,
        attn_drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        norm_layer: LayerFn = LayerNorm,
        return_interm_layers: bool = False,
        out_features: Optional[List[str]] = None,
        crpe_window: Optional[Dict[int, int]] = None,
        global_pool: str = "token",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if return_interm_layers or out_features:
            raise ValueError("return_interm_layers / out_features are not supported; use features_only=True")
        self._check_pool(global_pool)
        if norm_layer is LayerNorm:
            norm_layer = _layer_norm_eps6
        crpe_window = crpe_window or {3: 2, 5: 3, 7: 3}
        self.embed_dims = list(embed_dims)
        self.num_features = embed_dims[-1]
        self.head_hidden_size = token_pool_width(embed_dims[-1], global_pool)
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.global_pool = global_pool
        self.parallel_depth = parallel_depth
        self.drop_rate = drop_rate
        self.drop_path_rate = drop_path_rate
        self.grad_checkpointing = False

        size = img_size
        prev = in_chans
        self.feature_info = []
        for i, dim in enumerate(embed_dims):
            patch = patch_size if i == 0 else 2
            self.add_module(f"patch_embed{i + 1}", PatchEmbed(size, patch, prev, dim, norm_layer=nn.LayerNorm, **dd))
            size //= patch
            prev = dim
        for i, dim in enumerate(embed_dims):
            self.register_parameter(f"cls_token{i + 1}", nn.Parameter(torch.zeros(1, 1, dim, **dd)))
        for i, dim in enumerate(embed_dims):
            self.add_module(f"cpe{i + 1}", ConvPosEnc(dim, k=3, **dd))
        for i, dim in enumerate(embed_dims):
            self.add_module(f"crpe{i + 1}", ConvRelPosEnc(dim // num_heads, num_heads, crpe_window, **dd))
        # CoaT drops every branch with the same rate
        block_args = dict(qkv_bias=qkv_bias, proj_drop=proj_drop_rate, attn_drop=attn_drop_rate,
                          drop_path=drop_path_rate, norm_layer=norm_layer, **dd)
        for i, dim in enumerate(embed_dims):
            self.add_module(f"serial_blocks{i + 1}", nn.ModuleList([
                SerialBlock(dim, num_heads, mlp_ratio=mlp_ratios[i], shared_cpe=getattr(self, f"cpe{i + 1}"),
                            shared_crpe=getattr(self, f"crpe{i + 1}"), **block_args)
                for _ in range(serial_depths[i])]))
        self.parallel_blocks = None
        if parallel_depth > 0:
            crpes = [self.crpe1, self.crpe2, self.crpe3, self.crpe4]
            self.parallel_blocks = nn.ModuleList([
                ParallelBlock(embed_dims, num_heads, mlp_ratios=mlp_ratios, shared_crpes=crpes, **block_args)
                for _ in range(parallel_depth)])
        for i, dim in enumerate(embed_dims):
            module = f"serial_blocks{i + 1}" if parallel_depth == 0 or i == 0 else "parallel_blocks"
            self.feature_info.append(dict(num_chs=dim, reduction=patch_size * 2 ** i, module=module))

        if parallel_depth > 0:
            self.norm2 = norm_layer(embed_dims[1], **dd)
            self.norm3 = norm_layer(embed_dims[2], **dd)
            self.norm4 = norm_layer(embed_dims[3], **dd)
            # mixes the three class tokens (one channel each) into one
            self.aggregate = nn.Conv1d(in_channels=3, out_channels=1, kernel_size=1, **dd)
        else:
            self.norm2 = self.norm3 = None
            self.norm4 = norm_layer(embed_dims[3], **dd)
            self.aggregate = None
        self.head_drop = nn.Dropout(drop_rate)
        self.head = self._make_head(num_classes)

        for i in range(len(embed_dims)):
            trunc_normal_(getattr(self, f"cls_token{i + 1}"), std=0.02)
        self.apply(self._init_weights)

    def _make_head(self, num_classes: int) -> nn.Module:
        if num_classes <= 0:
            return nn.Identity()
        return nn.Linear(self.head_hidden_size, num_classes, device=self.cls_token1.device, dtype=self.cls_token1.dtype)

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
        return {"cls_token1", "cls_token2", "cls_token3", "cls_token4"}

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        groups: Dict[str, Any] = {}
        for i in range(1, 5):
            groups[f"stem{i}"] = rf"^cls_token{i}|patch_embed{i}|crpe{i}|cpe{i}"
            groups[f"serial_blocks{i}"] = rf"^serial_blocks{i}\.(\d+)"
        groups["parallel_blocks"] = [(r"^parallel_blocks\.(\d+)", None), (r"^norm|aggregate", (99999,))]
        return groups

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = self._check_pool(global_pool)
            self.head_hidden_size = token_pool_width(self.num_features, global_pool)
        self.head = self._make_head(num_classes)

    @staticmethod
    def _check_pool(pool: str) -> str:
        # each scale's tokens are pooled to one vector before the scales are mixed, so '' (tokens) has no meaning
        if pool == "":
            raise ValueError("CoaT's head pools each scale's tokens; use global_pool='token', 'avg', 'max', "
                             "'avgmax' or 'catavgmax' (or num_classes=0 and forward_features for the tokens)")
        return check_token_pool(pool)

    def _run_serial(self, i: int, x: torch.Tensor) -> Tuple[torch.Tensor, Size]:
        """Stage ``i`` (0-based) from the previous map (or the image): returns [class, image] tokens and size."""
        embed = getattr(self, f"patch_embed{i + 1}")
        height, width = x.shape[-2:]
        size = (height // embed.patch_size[0], width // embed.patch_size[1])
        x = embed(x)
        x = torch.cat([getattr(self, f"cls_token{i + 1}").expand(x.shape[0], -1, -1), x], dim=1)
        for block in getattr(self, f"serial_blocks{i + 1}"):
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(block, x, size, use_reentrant=False)
            else:
                x = block(x, size)
        return x, size

    @staticmethod
    def _to_map(x: torch.Tensor, size: Size) -> torch.Tensor:
        return x[:, 1:].reshape(x.shape[0], *size, -1).permute(0, 3, 1, 2).contiguous()

    def _serial(self, x: torch.Tensor, stages: int = 4) -> Tuple[List[torch.Tensor], List[Size]]:
        tokens, sizes = [], []
        for i in range(stages):
            t, size = self._run_serial(i, x)
            tokens.append(t)
            sizes.append(size)
            x = self._to_map(t, size)
        return tokens, sizes

    def _parallel(self, tokens: List[torch.Tensor], sizes: List[Size]) -> List[torch.Tensor]:
        x1, x2, x3, x4 = tokens
        for block in self.parallel_blocks:
            x2, x3, x4 = self.cpe2(x2, sizes[1]), self.cpe3(x3, sizes[2]), self.cpe4(x4, sizes[3])
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x1, x2, x3, x4 = torch.utils.checkpoint.checkpoint(block, x1, x2, x3, x4, sizes, use_reentrant=False)
            else:
                x1, x2, x3, x4 = block(x1, x2, x3, x4, sizes=sizes)
        return [x1, x2, x3, x4]

    def _final_norm(self, tokens: List[torch.Tensor]) -> Union[torch.Tensor, List[torch.Tensor]]:
        if self.parallel_blocks is None:
            return self.norm4(tokens[3]) if self.norm4 is not None else tokens[3]
        norms = [self.norm2, self.norm3, self.norm4]
        return [n(t) if n is not None else t for n, t in zip(norms, tokens[1:])]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[Any, List[torch.Tensor]]]:
        """The four stage maps (NCHW) at ``indices``: after the serial blocks for CoaT-Lite, stages 2-4 after
        the parallel blocks for CoaT. ``norm`` applies the final norm(s) to the maps that have one."""
        if output_fmt != "NCHW":
            raise ValueError(f"CoaT feature maps are NCHW only, got output_fmt={output_fmt!r}")
        take_indices, max_index = feature_take_indices(4, indices)
        stages = max_index + 1 if stop_early and self.parallel_blocks is None else 4
        tokens, sizes = self._serial(x, stages)
        if self.parallel_blocks is not None:
            tokens = self._parallel(tokens, sizes)
        norms = [None, self.norm2, self.norm3, self.norm4]
        intermediates = []
        for i in take_indices:
            t = norms[i](tokens[i]) if norm and norms[i] is not None else tokens[i]
            intermediates.append(self._to_map(t, sizes[i]))
        if intermediates_only:
            return intermediates
        if stages < 4:
            return tokens[-1], intermediates
        return self._final_norm(tokens), intermediates

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices, max_index = feature_take_indices(4, indices)
        if prune_norm:
            self.norm2 = self.norm3 = self.norm4 = None
        if prune_head:
            self.aggregate = None
            self.reset_classifier(0)
        return take_indices

    def forward_features(self, x: torch.Tensor) -> Union[torch.Tensor, List[torch.Tensor]]:
        tokens, sizes = self._serial(x)
        if self.parallel_blocks is not None:
            tokens = self._parallel(tokens, sizes)
        return self._final_norm(tokens)

    def forward_head(self, x: Union[torch.Tensor, List[torch.Tensor]], pre_logits: bool = False) -> torch.Tensor:
        if isinstance(x, list):
            pooled = torch.stack([pool_tokens(t, self.global_pool) for t in x], dim=1)  # (B, 3, width)
            x = self.aggregate(pooled).squeeze(dim=1) if self.aggregate is not None else pooled.mean(dim=1)
        else:
            x = pool_tokens(x, self.global_pool)
        x = self.head_drop(x)
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def _layer_norm_eps6(dim: int, **kwargs: Any) -> nn.Module:
    return LayerNorm(dim, eps=1e-6, **kwargs)


# --- variants -----------------------------------------------------------------------------------------

_COAT = dict(patch_size=4, serial_depths=(2, 2, 2, 2), parallel_depth=6, mlp_ratios=(4, 4, 4, 4))
_LITE = dict(patch_size=4, mlp_ratios=(8, 8, 4, 4))

COATS: Dict[str, Dict[str, Any]] = {
    "coat_tiny": dict(_COAT, embed_dims=(152, 152, 152, 152)),
    "coat_mini": dict(_COAT, embed_dims=(152, 216, 216, 216)),
    "coat_small": dict(_COAT, embed_dims=(152, 320, 320, 320)),
    "coat_lite_tiny": dict(_LITE, embed_dims=(64, 128, 256, 320), serial_depths=(2, 2, 2, 2)),
    "coat_lite_mini": dict(_LITE, embed_dims=(64, 128, 320, 512), serial_depths=(2, 2, 2, 2)),
    "coat_lite_small": dict(_LITE, embed_dims=(64, 128, 320, 512), serial_depths=(3, 4, 6, 3)),
    "coat_lite_medium": dict(patch_size=4, embed_dims=(128, 256, 320, 512), serial_depths=(3, 6, 10, 8)),
    "coat_lite_medium_384": dict(img_size=384, patch_size=4, embed_dims=(128, 256, 320, 512),
                                 serial_depths=(3, 6, 10, 8)),
}


# --- weight metadata ----------------------------------------------------------------------------------
# In the reference's tag order; generated from the reference's values by tools/dump_family_cfgs.py.

def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 224, 224), crop_pct=0.9,
        interpolation="bicubic", first_conv="patch_embed1.proj", classifier="head", license="apache-2.0",
        fixed_input_size=True,
    )
    cfg.update(kwargs)
    return cfg


COAT_WEIGHTS: Dict[str, Dict[str, Any]] = {
    "coat_lite_medium.in1k": _cfg(),
    "coat_lite_medium_384.in1k": _cfg(input_size=(3, 384, 384), crop_pct=1.0, crop_mode="squash"),
    "coat_lite_mini.in1k": _cfg(),
    "coat_lite_small.in1k": _cfg(),
    "coat_lite_tiny.in1k": _cfg(),
    "coat_mini.in1k": _cfg(),
    "coat_small.in1k": _cfg(),
    "coat_tiny.in1k": _cfg(),
}

default_cfgs = generate_default_cfgs(COAT_WEIGHTS)


# --- registration -------------------------------------------------------------------------------------

def _create_coat(variant: str, pretrained: bool = False, **kwargs: Any) -> CoaT:
    out_indices = kwargs.pop("out_indices", (0, 1, 2, 3))
    return build_model_with_cfg(CoaT, variant, pretrained,
                                feature_cfg=dict(feature_cls="getter", out_indices=out_indices), **kwargs)


register_variants(COATS, _create_coat, globals())
