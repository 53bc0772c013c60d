"""The model zoo: registry, factory, weight loading, feature extraction, and one module per family.

Public names resolve lazily. A model's entry point (``imagemodels.models.resnet50``) or a family
class (``imagemodels.models.ResNet``) imports just that family's module.
"""
from .._lazy import lazy_getattr

_NAMES = {}
for _module, _names in {
    "._registry": (
        "register_model", "register_variants", "list_models", "list_pretrained", "is_model", "is_model_pretrained",
        "model_entrypoint", "list_modules", "is_model_in_modules", "get_pretrained_cfg", "get_pretrained_cfg_value",
        "get_arch_name", "get_arch_pretrained_cfgs", "split_model_name_tag", "UnknownModelError",
        "register_model_deprecations", "get_deprecated_models",
    ),
    "._factory": ("create_model", "parse_model_name"),
    "._builder": ("build_model_with_cfg", "load_pretrained", "resolve_pretrained_cfg", "FeatureGetterNet"),
    "._pretrained": ("PretrainedCfg", "DefaultCfg", "generate_default_cfgs"),
    "._features": ("FeatureInfo", "FeatureListNet", "FeatureDictNet", "feature_take_indices"),
    "._helpers": ("load_checkpoint", "load_state_dict", "clean_state_dict", "adapt_input_conv", "remap_state_dict"),
    "._hub": ("load_state_dict_from_hf", "load_model_config_from_hf", "save_for_hf"),
    "._manipulate": ("checkpoint_seq",),
    "._layer_config": ("is_scriptable", "is_exportable", "is_no_jit", "set_layer_config", "set_scriptable", "set_exportable"),
}.items():
    for _name in _names:
        _NAMES[_name] = _module
# drop-in helpers
for _module, _names in {
    "._manipulate": ("named_apply", "named_modules", "named_modules_with_params", "checkpoint", "group_parameters",
                     "group_modules", "group_with_matcher", "model_parameters"),
    "._helpers": ("resume_checkpoint", "filter_pretrained_cfg", "safe_model_name"),
    "._builder": ("load_custom_pretrained", "set_pretrained_download_progress", "set_pretrained_check_hash",
                  "get_model_args"),
    "._features": ("FeatureHooks", "FeatureHookNet"),
    "._features_fx": ("create_feature_extractor", "get_graph_node_names", "FeatureGraphNet", "GraphExtractNet",
                      "register_notrace_module", "register_notrace_function", "is_notrace_module",
                      "is_notrace_function", "get_notrace_modules", "get_notrace_functions"),
    "._hub": ("push_to_hf_hub",),
    ".nfnet": ("NfCfg",),
    ".regnet": ("RegNetCfg",),
    ".byobnet": ("ByoBlockCfg", "ByoModelCfg"),
}.items():
    for _name in _names:
        _NAMES[_name] = _module


def _family_attr(name):
    """An entry point (``resnet50``), a family class (``ResNet``) or a family module (``resnet``)."""
    import importlib

    from ._manifest import CLASSES, MODELS

    if name in MODELS:
        return getattr(importlib.import_module(f"{__name__}.{MODELS[name][0]}"), name)
    if name in CLASSES:
        return getattr(importlib.import_module(f"{__name__}.{CLASSES[name]}"), name)
    if name in {module for module, _, _ in MODELS.values()}:
        return importlib.import_module(f"{__name__}.{name}")
    return None


__getattr__ = lazy_getattr(__name__, _NAMES, [], fallback=_family_attr)
