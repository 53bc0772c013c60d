"""Datasets, transforms, augmentation and loaders, under the reference library's names.

Resolved lazily like the top-level package: ``import imagemodels.data`` imports neither torch nor
torchvision; each name pulls in its own module on first use.
"""
from .._lazy import lazy_getattr

_NAMES = {}
for _module, _names in {
    ".constants": (
        "IMAGENET_DEFAULT_MEAN", "IMAGENET_DEFAULT_STD", "IMAGENET_INCEPTION_MEAN", "IMAGENET_INCEPTION_STD",
        "IMAGENET_DPN_MEAN", "IMAGENET_DPN_STD", "OPENAI_CLIP_MEAN", "OPENAI_CLIP_STD",
        "DEFAULT_CROP_PCT", "DEFAULT_CROP_MODE",
    ),
    ".config": ("resolve_data_config", "resolve_model_data_config"),
    ".transforms": (
        "str_to_interp_mode", "interp_mode_to_str", "str_to_pil_interp", "ResizeKeepRatio", "CenterCropOrPad",
        "center_crop_or_pad", "TrimBorder", "MaybeToTensor", "MaybePILToTensor", "ToNumpy", "ToTensor",
        "RandomResizedCropAndInterpolation",
    ),
    ".transforms_factory": (
        "create_transform", "transforms_imagenet_eval", "transforms_imagenet_train", "transforms_noaug_train",
    ),
    ".readers": (
        "IMG_EXTENSIONS", "natural_key", "load_class_map", "find_images_and_targets", "create_reader",
        "ReaderImageFolder", "ReaderImageInTar",
    ),
    ".dataset": ("ImageDataset", "IterableImageDataset", "AugMixDataset", "CorruptImageError"),
    ".reader_hfds": ("ReaderHfds",),
    ".reader_wds": ("ReaderWds",),
    ".dataset_factory": ("create_dataset", "search_split"),
    ".digits": ("materialize_digits", "default_digits_root"),
    ".loader": ("create_loader", "fast_collate", "PrefetchLoader", "MultiEpochsDataLoader"),
    ".random_erasing": ("RandomErasing",),
    ".distributed_sampler": ("OrderedDistributedSampler", "RepeatAugSampler"),
    ".auto_augment": (
        "AutoAugment", "RandAugment", "AugMixAugment", "AugmentOp", "auto_augment_policy", "auto_augment_transform",
        "rand_augment_transform", "augment_and_mix_transform", "rand_augment_ops", "augmix_ops",
    ),
    ".mixup": ("Mixup", "FastCollateMixup", "mixup_target", "rand_bbox", "rand_bbox_minmax", "cutmix_bbox_and_lam"),
}.items():
    _NAMES.update(dict.fromkeys(_names, _module))

# drop-in
for _module, _names in {
    ".readers": ("get_img_extensions", "set_img_extensions", "add_img_extensions", "del_img_extensions",
                 "is_img_extension"),
    ".real_labels": ("RealLabelsImagenet",),
    ".transforms": ("RandomPad", "crop_or_pad", "RandomCropOrPad"),
    ".imagenet_info": ("DatasetInfo", "CustomDatasetInfo", "infer_imagenet_subset"),
    ".config": ("resolve_input_data_config",),
}.items():
    _NAMES.update(dict.fromkeys(_names, _module))

__getattr__ = lazy_getattr(__name__, _NAMES, [])
__all__ = sorted(_NAMES)


def __dir__():
    return sorted(set(globals()) | set(__all__))
