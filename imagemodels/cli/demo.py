"""``imagemodels demo``: the library end to end in a few seconds.

List some models, build one, classify a photo with the preprocessing its weights were made for,
and show the multi-scale feature maps of ``features_only=True``.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from .main import CommandError

__all__ = ["demo_command", "imagenet_class_names"]


def imagenet_class_names(cfg) -> Optional[List[str]]:
    """Names for the output indices: the weights' own, or ImageNet-1k's for a plain 1000-class head.

    The 1000 ImageNet names are read from torchvision (a dependency already), which orders them by
    WordNet id like every ImageNet-1k checkpoint does.
    """
    if cfg.label_names:
        return list(cfg.label_names)
    if cfg.num_classes != 1000 or cfg.label_offset:
        return None
    try:
        from torchvision.models import ResNet18_Weights
    except ImportError:
        return None
    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])


def _show_some_models(arch: str) -> None:
    import re

    from ..models import list_models, list_pretrained

    names = list_models()
    print(f"imagemodels knows {len(names)} architectures ({len(list_pretrained())} pretrained weight tags).")
    stem = re.match(r"[a-z]*", arch).group() or arch  # 'resnet50d' -> 'resnet'
    kin = list_models(stem + "*")
    examples = kin[:8]
    more = f", ... ({len(kin)} in all)" if len(kin) > len(examples) else ""
    print(f"  {stem}*: {', '.join(examples)}{more}")


def _rounded(values) -> tuple:
    return tuple(round(v, 3) for v in values)


def _build(name: str, pretrained: bool, **kwargs):
    from ..models import UnknownModelError, create_model

    if not pretrained:
        return create_model(name, **kwargs)
    try:
        return create_model(name, pretrained=True, **kwargs)
    except UnknownModelError:
        raise
    except (OSError, RuntimeError) as err:  # no network, no such file on the Hub, no weights for the tag
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CommandError(
            f"could not load pretrained weights for '{name}': {first_line}\n"
            "  (run without --pretrained for random weights, or set IMAGEMODELS_WEIGHTS_DIR to a folder of weights)",
            exit_code=1,
        ) from None


def demo_command(model_name: str, image: Optional[str] = None, pretrained: bool = False, topk: int = 5) -> int:
    from ..models import get_arch_name, is_model
    from ..models._registry import unknown_model_error
    from ..utils import sample_image_path
    from .preprocess import load_image

    # check every input before importing torch or building anything
    if not is_model(model_name):
        raise unknown_model_error(model_name)
    if topk < 1:
        raise CommandError(f"--topk must be at least 1, got {topk}")
    path = Path(image) if image else sample_image_path()
    img = load_image(path)

    _show_some_models(get_arch_name(model_name))
    model = _build(model_name, pretrained).eval()
    _show_model(model, pretrained)
    x = _show_preprocessing(img, path, model)
    _show_top_classes(model, x, topk, pretrained)
    # only the shapes are shown, so the feature extractor needs no weights
    _show_feature_maps(_build(model_name, pretrained=False, features_only=True).eval(), x)
    return 0


def _show_model(model, pretrained: bool) -> None:
    cfg = model.pretrained_cfg
    tagged = f"{cfg.architecture}.{cfg.tag}" if cfg.tag else cfg.architecture
    n_params = sum(p.numel() for p in model.parameters())
    print(f"\nmodel    {tagged}  ({type(model).__name__}, {n_params / 1e6:.2f} M parameters)")
    if pretrained:
        print(f"weights  pretrained ({tagged})")
    else:
        print("weights  RANDOM (not trained): the predictions below are meaningless; "
              "pass --pretrained to download real weights")


def _show_preprocessing(img, path: Path, model):
    from imagemodels.data import create_transform, resolve_model_data_config

    config = resolve_model_data_config(model)
    transform = create_transform(**config)
    x = transform(img).unsqueeze(0)
    print(f"image    {path}  {img.width}x{img.height} -> tensor {tuple(x.shape)}")
    print(f"         (eval transform of the weights: crop_pct {config['crop_pct']} ({config['crop_mode']}), "
          f"{config['interpolation']}, normalize mean {_rounded(config['mean'])} std {_rounded(config['std'])})")
    return x


def _show_top_classes(model, x, topk: int, pretrained: bool) -> None:
    import torch

    with torch.inference_mode():
        probs = model(x).softmax(dim=-1)[0]
    top = probs.topk(min(topk, probs.numel()))
    labels = imagenet_class_names(model.pretrained_cfg)
    print(f"\ntop-{len(top.indices)} classes" + ("  (random weights!)" if not pretrained else ""))
    for p, i in zip(top.values.tolist(), top.indices.tolist()):
        label = f"  {labels[i]}" if labels and i < len(labels) else ""
        print(f"  {i:>5}  {p * 100:6.2f}%{label}")


def _show_feature_maps(features, x) -> None:
    import torch

    with torch.inference_mode():
        maps = features(x)
    info = features.feature_info
    print("\nfeature maps (features_only=True)")
    print("  index  channels  reduction  shape")
    for fmap, idx in zip(maps, info.out_indices):
        print(f"  {idx:<5}  {info.info[idx]['num_chs']:<8}  {info.info[idx]['reduction']:<9}  {tuple(fmap.shape)}")
