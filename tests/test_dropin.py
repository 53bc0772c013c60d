"""`import imagemodels as timm`: the public names we provide take the reference's keyword arguments."""
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
               "clean_state_dict", "remap_state_dict"],
    "layers": ["SelectAdaptivePool2d", "adaptive_avgmax_pool2d", "select_adaptive_pool2d", "create_classifier",
               "ClassifierHead", "DropPath", "drop_path", "DropBlock2d", "drop_block_2d", "SEModule", "EcaModule",
               "CecaModule", "create_attn", "get_attn", "BlurPool2d", "create_aa", "get_act_layer",
               "create_act_layer", "GroupNorm", "make_divisible", "to_2tuple", "trunc_normal_", "get_padding"],
    "models.resnet": ["ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet50d", "seresnext26t_32x4d"],
    "loss": ["PolyCrossEntropy", "PolyBinaryCrossEntropy", "ZlprLoss", "TwoWayLoss", "DistributionBalancedLoss",
             "create_classification_loss", "compute_class_weights", "load_class_stats", "load_class_weights",
             "resolve_class_weights"],
    "optim": ["Muon"],
    "data": ["add_img_extensions", "del_img_extensions", "get_img_extensions", "set_img_extensions",
             "is_img_extension", "RealLabelsImagenet", "RandomPad", "crop_or_pad", "RandomCropOrPad",
             "CustomDatasetInfo", "infer_imagenet_subset", "resolve_input_data_config"],
}


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
    ours_mod, theirs_mod = imagemodels, timm
    for part in filter(None, module.split(".")):
        ours_mod, theirs_mod = getattr(ours_mod, part), getattr(theirs_mod, part)
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
