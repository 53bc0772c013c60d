"""`import imagemodels as timm`: the public names we provide take the reference's keyword arguments."""
import importlib
import inspect

import pytest

import imagemodels
import parity

API = {
    "": ["create_model", "list_models", "list_pretrained", "list_modules", "is_model", "is_model_pretrained",
         "model_entrypoint", "get_pretrained_cfg", "get_pretrained_cfg_value", "is_scriptable", "is_exportable",
         "set_scriptable", "set_exportable"],
    "models": ["create_model", "list_models", "list_pretrained", "is_model", "is_model_pretrained", "list_modules",
               "model_entrypoint", "get_pretrained_cfg", "get_pretrained_cfg_value", "load_checkpoint",
               "load_state_dict", "build_model_with_cfg", "load_pretrained", "register_model", "adapt_input_conv",
               "FeatureInfo", "FeatureListNet", "FeatureDictNet", "checkpoint_seq",
               "ResNet", "resnet50", "split_model_name_tag", "get_arch_name",
               "clean_state_dict", "remap_state_dict",
               # drop-in helpers (models-helpers)
               "named_apply", "named_modules", "named_modules_with_params", "checkpoint", "group_parameters",
               "group_modules", "model_parameters", "resume_checkpoint", "filter_pretrained_cfg", "safe_model_name",
               "load_custom_pretrained", "set_pretrained_check_hash", "set_pretrained_download_progress",
               "FeatureHooks", "FeatureHookNet", "create_feature_extractor", "get_graph_node_names", "FeatureGraphNet",
               "GraphExtractNet", "register_notrace_module", "register_notrace_function", "is_notrace_module",
               "is_notrace_function", "get_notrace_modules", "get_notrace_functions", "NfCfg", "RegNetCfg",
               "ByoBlockCfg", "ByoModelCfg", "push_to_hf_hub", "get_model_args"],
    "layers": ["SelectAdaptivePool2d", "adaptive_avgmax_pool2d", "select_adaptive_pool2d", "create_classifier",
               "ClassifierHead", "DropPath", "drop_path", "DropBlock2d", "drop_block_2d", "SEModule", "EcaModule",
               "CecaModule", "create_attn", "get_attn", "BlurPool2d", "create_aa", "get_act_layer",
               "create_act_layer", "GroupNorm", "make_divisible", "to_2tuple", "trunc_normal_", "get_padding",
               # drop-in: activations and helpers
               "GELU", "GELUTanh", "QuickGELU", "Mish", "Swish", "HardSwish", "HardSigmoid", "HardMish", "Sigmoid",
               "Tanh", "PReLU", "gelu", "gelu_tanh", "quick_gelu", "swish", "mish", "hard_mish", "hard_sigmoid",
               "hard_swish", "sigmoid", "tanh", "get_act_fn", "Linear", "extend_tuple", "ndgrid", "meshgrid",
               "calculate_drop_path_rates", "trunc_normal_tf_", "variance_scaling_", "lecun_normal_",
               "init_weight_vit", "init_weight_jax", "get_condconv_initializer", "get_device_dtype", "is_meta_device",
               "global_pool_nlc", "maybe_add_mask", "resolve_self_attn_mask", "apply_keep_indices_nlc",
               "PatchDropoutWithIndices", "disable_compiler", "use_reentrant_ckpt", "set_reentrant_ckpt",
               "is_scriptable", "is_exportable", "is_no_jit", "is_exporting", "set_scriptable", "set_exportable",
               "set_no_jit", "set_layer_config", "SplitBatchNorm2d", "convert_splitbn_model", "TestTimePoolHead",
               "apply_test_time_pool", "gen_relative_position_index", "resize_rel_pos_bias_table",
               "patch_dropout_forward",
               # drop-in: norms
               "convert_sync_batchnorm", "SyncBatchNormAct", "freeze_batch_norm_2d", "unfreeze_batch_norm_2d",
               "FrozenBatchNormAct2d", "create_norm_layer", "RmsNormAct", "RmsNormAct2d", "RmsNormActFp32",
               "RmsNormAct2dFp32", "RmsNormFp32", "RmsNorm2dFp32", "SimpleNormFp32", "SimpleNorm2dFp32",
               "LayerNormFp32", "LayerNorm2dFp32", "LayerNormActFp32", "LayerNormAct2dFp32", "fast_layer_norm",
               "fast_group_norm", "is_fast_norm", "set_fast_norm", "EvoNorm2dB0", "EvoNorm2dB1", "EvoNorm2dB2",
               "EvoNorm2dS0", "EvoNorm2dS0a", "EvoNorm2dS1", "EvoNorm2dS1a", "EvoNorm2dS2", "EvoNorm2dS2a",
               "FilterResponseNormAct2d", "FilterResponseNormTlu2d", "InplaceAbn"],
    # drop-in helpers (models-helpers)
    "utils": ["ModelEma", "ApexScaler", "trim_summary", "load_checkpoint_metadata", "set_jit_fuser", "set_jit_legacy",
              "AttentionExtract"],
    "models.resnet": ["ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet50d", "seresnext26t_32x4d"],
    "loss": ["PolyCrossEntropy", "PolyBinaryCrossEntropy", "ZlprLoss", "TwoWayLoss", "DistributionBalancedLoss",
             "create_classification_loss", "compute_class_weights", "load_class_stats", "load_class_weights",
             "resolve_class_weights"],
    "optim": ["Muon"],
    "data": ["add_img_extensions", "del_img_extensions", "get_img_extensions", "set_img_extensions",
             "is_img_extension", "RealLabelsImagenet", "RandomPad", "crop_or_pad", "RandomCropOrPad",
             "CustomDatasetInfo", "infer_imagenet_subset", "resolve_input_data_config"],
}
# drop-in: position embeddings and attention
API["layers"] += [
    "build_sincos2d_pos_embed", "build_rotary_pos_embed", "apply_rot_embed", "apply_rot_embed_list", "RotaryEmbedding",
    "build_fourier_pos_embed", "FourierEmbed", "freq_bands", "pixel_freq_bands", "get_mixed_freqs",
    "create_rope_embed", "RotAttentionPool2d", "SimPool1d", "SimPool2d", "LsePlus1d", "LsePlus2d",
    "EffectiveSqueezeExcite", "GatherExcite", "NonLocalAttn", "DiffAttention", "SwiGLUPacked", "RelPosBias",
    "RelPosBiasTf", "resize_rel_pos_bias_table_levit", "resize_rel_pos_bias_table_simple", "Attention2d",
    "MultiQueryAttentionV2", "AttentionRope", "ClNormMlpClassifierHead", "PatchEmbedWithSize", "HybridEmbedWithSize",
    "AttentionPoolPrr", "PatchEmbedInterpolator", "AttentionPool2d",
]


def _callable_params(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    return inspect.signature(target).parameters


def _cases():
    for module, names in API.items():
        for name in names:
            yield pytest.param(module, name, id=f"{module or 'top'}.{name}")


@pytest.mark.parametrize("module,name", list(_cases()))
def test_same_name_same_keywords(module, name):
    timm = parity.reference()
    parts = [p for p in module.split(".") if p and p != "top"]
    # import, not getattr: subpackages such as timm.loss are not imported by the top package
    ours_mod = importlib.import_module(".".join(["imagemodels", *parts]))
    theirs_mod = importlib.import_module(".".join([timm.__name__, *parts]))
    ours, theirs = getattr(ours_mod, name), getattr(theirs_mod, name)
    ours_params, theirs_params = _callable_params(ours), _callable_params(theirs)
    ours_var_kw = any(p.kind is p.VAR_KEYWORD for p in ours_params.values())
    missing = [k for k, p in theirs_params.items()
               if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and k not in ours_params and not ours_var_kw]
    assert not missing, f"{module}.{name} lacks keyword(s) {missing} that the reference takes"


def test_reference_style_snippet_runs():
    """A few lines as written against the reference, run unchanged."""
    import torch

    timm = imagemodels
    model = timm.create_model("resnet18", pretrained=False, num_classes=5, global_pool="avgmax", drop_rate=0.2)
    config = model.pretrained_cfg
    assert config["input_size"] == (3, 224, 224)
    backbone = timm.create_model("resnet18", features_only=True, out_indices=(2, 3, 4), output_stride=16)
    with torch.no_grad():
        maps = backbone(torch.randn(1, 3, 64, 64))
    assert [m.shape[1] for m in maps] == backbone.feature_info.channels() == [128, 256, 512]
    assert backbone.feature_info.reduction() == [8, 16, 16]
    assert timm.models.is_model("resnet50") and "resnet50" in timm.list_models("resnet5*")


@pytest.mark.parametrize("name", ["deit_tiny_distilled_patch16_224", "levit_128s"])
def test_distilled_get_classifier_is_the_references_tuple(name):
    """Code that unpacks ``head, head_dist = model.get_classifier()`` or checks for a tuple runs unchanged."""
    timm = parity.reference()
    kwargs = dict(img_size=64) if name.startswith("deit") else {}
    ours, theirs = imagemodels.create_model(name, **kwargs), timm.create_model(name, **kwargs)
    got, want = ours.get_classifier(), theirs.get_classifier()
    assert type(got) is type(want) is tuple
    assert [type(h).__name__ for h in got] == [type(h).__name__ for h in want]
    assert got[0] is ours.head and got[1] is ours.head_dist


def test_head_init_scale_reaches_both_distilled_heads():
    """train's --head-init-scale/--head-init-bias apply to each head a distilled model returns."""
    from imagemodels.engine.config import build_train_parser
    from imagemodels.engine.setup import create_train_model

    args = build_train_parser().parse_args(["--model", "levit_128s", "--head-init-scale", "0", "--head-init-bias", "0.5"])
    model = create_train_model(args, num_classes=4)
    for head in model.get_classifier():
        assert not head.linear.weight.any() and bool((head.linear.bias == 0.5).all())


OLD_PATHS = {  # old module path -> (a name it must still give, where that name lives now)
    "models.layers": ("trunc_normal_", "layers"),
    "models.helpers": ("load_checkpoint", "models"),
    "models.registry": ("register_model", "models"),
    "models.features": ("FeatureInfo", "models"),
    "models.hub": ("load_state_dict_from_hf", "models"),
    "models.factory": ("create_model", "models"),
}


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_import_paths_still_work(old):
    """``from timm.models.layers import DropPath`` (older timm) runs unchanged, with a FutureWarning."""
    import importlib
    import sys

    name, new = OLD_PATHS[old]
    sys.modules.pop(f"imagemodels.{old}", None)
    with pytest.warns(FutureWarning, match="old import path"):
        module = importlib.import_module(f"imagemodels.{old}")
    assert getattr(module, name) is getattr(importlib.import_module(f"imagemodels.{new}"), name)
    assert importlib.util.find_spec(f"{parity.reference().__name__}.{old}") is not None  # the reference has it too
