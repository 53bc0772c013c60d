"""Building blocks shared by model families. Names match the ecosystem's (``timm.layers``), so
``from imagemodels.layers import SelectAdaptivePool2d`` is a drop-in import.

Layers never import ``imagemodels.models``. This package is imported when a model is built, not
by ``import imagemodels``.
"""
from .adaptive_avgmax_pool import (
    AdaptiveAvgMaxPool2d, AdaptiveCatAvgMaxPool2d, SelectAdaptivePool2d, adaptive_avgmax_pool2d,
    adaptive_catavgmax_pool2d, select_adaptive_pool2d,
)
from .blur_pool import BlurPool2d, create_aa, get_aa_layer
from .bottleneck_attn import BottleneckAttn, PosEmbedRel
from .classifier import ClassifierHead, create_classifier
from .create_act import create_act_layer, get_act_layer
from .create_attn import create_attn, get_attn
from .create_self_attn import create_self_attn, get_self_attn_layer
from .drop import DropBlock2d, DropPath, drop_block_2d, drop_path
from .grn import GlobalResponseNorm, GlobalResponseNormMlp
from .halo_attn import HaloAttn
from .eca import CecaModule, CircularEfficientChannelAttn, EcaModule, EfficientChannelAttn
from .helpers import (
    add_into, can_overwrite, factory_kwargs, make_divisible, to_1tuple, to_2tuple, to_3tuple, to_4tuple, to_ntuple,
)
from .lambda_layer import LambdaLayer
from .conv2d_same import Conv2dSame, conv2d_same, create_conv2d_pad
from .conv_bn_act import ConvBnAct, ConvNormAct, ConvNormActAa
from .create_conv2d import create_conv2d
from .mlp import ConvMlp, GatedMlp, GluMlp, Mlp, SwiGLU
from .norm import GroupNorm, GroupNorm1, LayerNorm, LayerNorm2d, RmsNorm, get_norm_layer
from .norm_mlp_head import NormMlpClassifierHead
from .norm_rms import RmsNorm2d, SimpleNorm, SimpleNorm2d
from .norm_act import (
    BatchNormAct2d, GroupNorm1Act, GroupNormAct, LayerNormAct, LayerNormAct2d, create_norm_act_layer,
    get_norm_act_layer,
)
from .padding import get_padding, get_padding_value, get_same_padding, is_static_pad, pad_same
from .pool2d_same import AvgPool2dSame, MaxPool2dSame, avg_pool2d_same, create_pool2d, max_pool2d_same
from .separable_conv import SeparableConv2d, SeparableConvNormAct
from .space_to_depth import DepthToSpace, SpaceToDepth
from .selective_kernel import SelectiveKernel, SelectiveKernelAttn
from .split_attn import RadixSoftmax, SplitAttn
from .evo_norm import EvoNorm2dS0, EvoNorm2dS0a
from .filter_response_norm import FilterResponseNormTlu2d
from .std_conv import ScaledStdConv2d, ScaledStdConv2dSame, StdConv2d, StdConv2dSame
from .squeeze_excite import EffectiveSEModule, SEModule, SqueezeExcite
from .mixed_conv2d import MixedConv2d
from .cond_conv2d import CondConv2d
from .attention2d import MultiQueryAttention2d
from .global_context import GlobalContext
from .non_local_attn import BatNonLocalAttn, BilinearAttnTransform
from .weight_init import trunc_normal_
from .attention import Attention, set_fused_attn, use_fused_attn
from .onednn_linear import onednn_available, set_onednn_linear, use_onednn_linear
from .attention_pool import AttentionPoolLatent
from .attention_pool2d import AttentionPool2d
from .format import Format, FormatT, get_channel_dim, get_spatial_dim, nchw_to, nhwc_to
from .layer_scale import LayerScale, LayerScale2d
from .patch_dropout import PatchDropout
from .patch_embed import PatchEmbed, resample_patch_embed
from .pos_embed import add_abs_pos_embed, resample_abs_pos_embed, resample_abs_pos_embed_nhwc
from .rel_pos_mlp import RelPosMlp, gen_relative_log_coords
from .hybrid_embed import HybridEmbed
from .token_pool import TOKEN_POOLS, check_token_pool, pool_tokens, token_pool_width
from .pos_embed_sincos import (
    RotaryEmbeddingCat, RotaryEmbeddingDinoV3, RotaryEmbeddingMixed, apply_rot_embed_cat,
)

# drop-in: activations and helpers
from .activations import (
    GELU, GELUTanh, HardMish, HardSigmoid, HardSwish, Mish, PReLU, QuickGELU, Sigmoid, Swish, Tanh, gelu, gelu_tanh,
    hard_mish, hard_sigmoid, hard_swish, mish, quick_gelu, sigmoid, swish, tanh,
)
from .config import (
    is_exportable, is_no_jit, is_scriptable, set_exportable, set_layer_config, set_no_jit, set_reentrant_ckpt,
    set_scriptable, use_reentrant_ckpt,
)
from .create_act import get_act_fn
from .helpers import (
    LayerType, Linear, PadType, calculate_drop_path_rates, disable_compiler, extend_tuple, get_device_dtype,
    global_pool_nlc, is_exporting, maybe_add_mask, meshgrid, ndgrid, resolve_self_attn_mask,
)
from .patch_dropout import PatchDropoutWithIndices, apply_keep_indices_nlc, patch_dropout_forward
from .pos_embed_rel import gen_relative_position_index
from .split_batchnorm import SplitBatchNorm2d, convert_splitbn_model
from .test_time_pool import TestTimePoolHead, apply_test_time_pool
from .weight_init import (
    get_condconv_initializer, init_weight_jax, init_weight_vit, is_meta_device, lecun_normal_, trunc_normal_tf_,
    variance_scaling_,
)
from .window import resize_rel_pos_bias_table  # the copy whose keywords match the reference's

__all__ = [
    "AdaptiveAvgMaxPool2d", "AdaptiveCatAvgMaxPool2d", "SelectAdaptivePool2d", "adaptive_avgmax_pool2d",
    "adaptive_catavgmax_pool2d", "select_adaptive_pool2d",
    "BlurPool2d", "create_aa", "get_aa_layer",
    "BottleneckAttn", "PosEmbedRel",
    "ClassifierHead", "create_classifier",
    "create_act_layer", "get_act_layer", "can_overwrite", "add_into",
    "create_attn", "get_attn",
    "create_self_attn", "get_self_attn_layer",
    "HaloAttn", "LambdaLayer",
    "DropBlock2d", "DropPath", "drop_block_2d", "drop_path",
    "CecaModule", "CircularEfficientChannelAttn", "EcaModule", "EfficientChannelAttn",
    "factory_kwargs", "make_divisible", "to_1tuple", "to_2tuple", "to_3tuple", "to_4tuple", "to_ntuple",
    "Conv2dSame", "conv2d_same", "create_conv2d_pad",
    "ConvBnAct", "ConvNormAct", "ConvNormActAa",
    "create_conv2d",
    "ConvMlp", "GatedMlp", "GluMlp", "Mlp", "SwiGLU",
    "GroupNorm", "GroupNorm1", "LayerNorm", "LayerNorm2d", "RmsNorm", "get_norm_layer",
    "BatchNormAct2d", "GroupNorm1Act", "GroupNormAct", "LayerNormAct", "LayerNormAct2d", "create_norm_act_layer",
    "get_norm_act_layer",
    "get_padding", "get_padding_value", "get_same_padding", "is_static_pad", "pad_same",
    "AvgPool2dSame", "avg_pool2d_same", "MaxPool2dSame", "max_pool2d_same", "create_pool2d",
    "SeparableConv2d", "SeparableConvNormAct",
    "DepthToSpace", "SpaceToDepth",
    "SelectiveKernel", "SelectiveKernelAttn",
    "RadixSoftmax", "SplitAttn",
    "ScaledStdConv2d", "ScaledStdConv2dSame", "StdConv2d", "StdConv2dSame",
    "EvoNorm2dS0", "EvoNorm2dS0a", "FilterResponseNormTlu2d",
    "EffectiveSEModule", "SEModule", "SqueezeExcite",
    "MixedConv2d", "CondConv2d", "MultiQueryAttention2d", "GlobalContext", "BatNonLocalAttn",
    "BilinearAttnTransform",
    "trunc_normal_",
    "GlobalResponseNorm", "GlobalResponseNormMlp", "NormMlpClassifierHead", "RmsNorm2d", "SimpleNorm", "SimpleNorm2d",
    "Attention", "set_fused_attn", "use_fused_attn", "set_onednn_linear", "use_onednn_linear", "onednn_available",
    "AttentionPoolLatent", "AttentionPool2d",
    "Format", "FormatT", "get_channel_dim", "get_spatial_dim", "nchw_to", "nhwc_to",
    "LayerScale", "LayerScale2d",
    "PatchDropout",
    "RotaryEmbeddingCat", "RotaryEmbeddingDinoV3", "RotaryEmbeddingMixed", "apply_rot_embed_cat",
    "PatchEmbed", "resample_patch_embed",
    "add_abs_pos_embed", "resample_abs_pos_embed", "resample_abs_pos_embed_nhwc",
    "RelPosMlp", "gen_relative_log_coords",
    "HybridEmbed",
    "TOKEN_POOLS", "check_token_pool", "pool_tokens", "token_pool_width",
    # drop-in: activations and helpers
    "GELU", "GELUTanh", "HardMish", "HardSigmoid", "HardSwish", "Mish", "PReLU", "QuickGELU", "Sigmoid", "Swish",
    "Tanh", "gelu", "gelu_tanh", "hard_mish", "hard_sigmoid", "hard_swish", "mish", "quick_gelu", "sigmoid", "swish",
    "tanh", "get_act_fn",
    "is_exportable", "is_no_jit", "is_scriptable", "set_exportable", "set_layer_config", "set_no_jit",
    "set_reentrant_ckpt", "set_scriptable", "use_reentrant_ckpt",
    "LayerType", "Linear", "PadType", "calculate_drop_path_rates", "disable_compiler", "extend_tuple",
    "get_device_dtype", "global_pool_nlc", "is_exporting", "maybe_add_mask", "meshgrid", "ndgrid",
    "resolve_self_attn_mask",
    "PatchDropoutWithIndices", "apply_keep_indices_nlc", "patch_dropout_forward",
    "gen_relative_position_index", "resize_rel_pos_bias_table",
    "SplitBatchNorm2d", "convert_splitbn_model", "TestTimePoolHead", "apply_test_time_pool",
    "get_condconv_initializer", "init_weight_jax", "init_weight_vit", "is_meta_device", "lecun_normal_",
    "trunc_normal_tf_", "variance_scaling_",
]

# drop-in: norms
from .evo_norm import EvoNorm2dB0, EvoNorm2dB1, EvoNorm2dB2, EvoNorm2dS1, EvoNorm2dS1a, EvoNorm2dS2, EvoNorm2dS2a
from .filter_response_norm import FilterResponseNormAct2d
from .norm import (
    LayerNorm2dFp32, LayerNormFp32, create_norm_layer, fast_group_norm, fast_layer_norm, is_fast_norm, set_fast_norm,
)
from .norm_rms import RmsNorm2dFp32, RmsNormFp32, SimpleNorm2dFp32, SimpleNormFp32
from .norm_act import (
    FrozenBatchNormAct2d, InplaceAbn, LayerNormAct2dFp32, LayerNormActFp32, RmsNormAct, RmsNormAct2d,
    RmsNormAct2dFp32, RmsNormActFp32, SyncBatchNormAct, convert_sync_batchnorm, freeze_batch_norm_2d,
    unfreeze_batch_norm_2d,
)
__all__ += [
    "EvoNorm2dB0", "EvoNorm2dB1", "EvoNorm2dB2", "EvoNorm2dS1", "EvoNorm2dS1a", "EvoNorm2dS2", "EvoNorm2dS2a",
    "FilterResponseNormAct2d", "LayerNorm2dFp32", "LayerNormFp32", "create_norm_layer", "fast_group_norm",
    "fast_layer_norm", "is_fast_norm", "set_fast_norm", "RmsNorm2dFp32", "RmsNormFp32", "SimpleNorm2dFp32",
    "SimpleNormFp32", "FrozenBatchNormAct2d", "InplaceAbn", "LayerNormAct2dFp32", "LayerNormActFp32", "RmsNormAct",
    "RmsNormAct2d", "RmsNormAct2dFp32", "RmsNormActFp32", "SyncBatchNormAct", "convert_sync_batchnorm",
    "freeze_batch_norm_2d", "unfreeze_batch_norm_2d",
]

# drop-in: position embeddings and attention
from .attention import AttentionRope
from .attention2d import Attention2d, MultiQueryAttentionV2
from .attention_pool import AttentionPoolPrr
from .attention_pool2d import RotAttentionPool2d
from .diff_attention import DiffAttention
from .gather_excite import GatherExcite
from .hybrid_embed import HybridEmbedWithSize
from .non_local_attn import NonLocalAttn
from .norm_mlp_head import ClNormMlpClassifierHead
from .other_pool import LsePlus1d, LsePlus2d, SimPool1d, SimPool2d
from .patch_embed import PatchEmbedInterpolator, PatchEmbedWithSize
from .pos_embed_rel import RelPosBias, RelPosBiasTf, resize_rel_pos_bias_table_levit, resize_rel_pos_bias_table_simple
from .squeeze_excite import EffectiveSqueezeExcite
from .mlp import SwiGLUPacked
from .pos_embed_sincos import (
    FourierEmbed, RotaryEmbedding, apply_rot_embed, apply_rot_embed_list, build_fourier_pos_embed,
    build_rotary_pos_embed, build_sincos2d_pos_embed, create_rope_embed, freq_bands, get_mixed_freqs,
    pixel_freq_bands,
)

__all__ += [
    "AttentionRope", "Attention2d", "MultiQueryAttentionV2", "ClNormMlpClassifierHead", "HybridEmbedWithSize",
    "PatchEmbedWithSize", "PatchEmbedInterpolator", "AttentionPoolPrr",
    "RotAttentionPool2d", "DiffAttention", "SwiGLUPacked", "GatherExcite", "NonLocalAttn",
    "LsePlus1d", "LsePlus2d", "SimPool1d", "SimPool2d", "EffectiveSqueezeExcite",
    "RelPosBias", "RelPosBiasTf", "resize_rel_pos_bias_table_levit", "resize_rel_pos_bias_table_simple",
    "FourierEmbed", "RotaryEmbedding", "apply_rot_embed", "apply_rot_embed_list", "build_fourier_pos_embed",
    "build_rotary_pos_embed", "build_sincos2d_pos_embed", "create_rope_embed", "freq_bands", "get_mixed_freqs",
    "pixel_freq_bands",
]
