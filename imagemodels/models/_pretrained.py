"""Weight metadata: what a set of weights is, where it lives and how its inputs must be prepared.

A model name is ``arch`` or ``arch.tag``; each tag is one :class:`PretrainedCfg`. A family module
declares its tags with :func:`generate_default_cfgs` in a module-level ``default_cfgs`` that the
registry reads when the family registers its models.
"""
from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Deque, Dict, Optional, Tuple, Union

IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)
IMAGENET_DEFAULT_STD = (0.229, 0.224, 0.225)
IMAGENET_INCEPTION_MEAN = (0.5, 0.5, 0.5)
IMAGENET_INCEPTION_STD = (0.5, 0.5, 0.5)
OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
DEFAULT_CROP_PCT = 0.875


@dataclass
class PretrainedCfg:
    """One weight tag. Field names follow the ecosystem's (timm's) so configs carry over."""

    # where the weights are: a URL, a Hugging Face Hub repo, a local file, or an in-memory state dict
    url: Optional[Union[str, Tuple[str, str]]] = None
    file: Optional[str] = None
    state_dict: Optional[Dict[str, Any]] = None
    hf_hub_id: Optional[str] = None
    hf_hub_filename: Optional[str] = None
    hf_hub_revision: Optional[str] = None
    source: Optional[str] = None

    architecture: Optional[str] = None
    tag: Optional[str] = None
    custom_load: bool = False

    # preprocessing the weights were trained / evaluated with
    input_size: Tuple[int, int, int] = (3, 224, 224)
    test_input_size: Optional[Tuple[int, int, int]] = None
    min_input_size: Optional[Tuple[int, int, int]] = None
    fixed_input_size: bool = False
    interpolation: str = "bicubic"
    crop_pct: float = DEFAULT_CROP_PCT
    test_crop_pct: Optional[float] = None
    crop_mode: str = "center"
    mean: Tuple[float, ...] = IMAGENET_DEFAULT_MEAN
    std: Tuple[float, ...] = IMAGENET_DEFAULT_STD

    # head
    num_classes: int = 1000
    label_offset: Optional[int] = None
    label_names: Optional[Tuple[str, ...]] = None
    label_descriptions: Optional[Dict[str, str]] = None

    # where weight adaptation happens on load
    pool_size: Optional[Tuple[int, ...]] = None
    test_pool_size: Optional[Tuple[int, ...]] = None
    first_conv: Optional[str] = None
    classifier: Optional[str] = None

    # provenance and results
    license: Optional[str] = None
    description: Optional[str] = None
    origin_url: Optional[str] = None
    paper_name: Optional[str] = None
    paper_ids: Optional[Union[str, Tuple[str, ...]]] = None
    notes: Optional[Tuple[str, ...]] = None
    top1: Optional[float] = None  # ImageNet-1k top-1 (%) where one is published

    @property
    def has_weights(self) -> bool:
        return bool(self.file or self.hf_hub_id or self.url or self.state_dict)

    def to_dict(self, remove_source: bool = False, remove_null: bool = True) -> Dict[str, Any]:
        out = {}
        for key, value in asdict(self).items():
            if remove_null and value is None:
                continue
            if remove_source and key in ("url", "file", "hf_hub_id", "hf_hub_revision", "hf_hub_filename", "source", "state_dict"):
                continue
            out[key] = value
        return out

    def __getitem__(self, key: str) -> Any:  # dict-style access, as older code expects of `default_cfg`
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


@dataclass
class DefaultCfg:
    """All tags of one architecture; the first is the default weight for the bare name."""

    tags: Deque[str] = field(default_factory=deque)
    cfgs: Dict[str, PretrainedCfg] = field(default_factory=dict)
    is_pretrained: bool = False

    @property
    def default(self) -> PretrainedCfg:
        return self.cfgs[self.tags[0]]

    @property
    def default_with_tag(self) -> Tuple[str, PretrainedCfg]:
        tag = self.tags[0]
        return tag, self.cfgs[tag]


def split_model_name_tag(model_name: str, no_tag: str = "") -> Tuple[str, str]:
    """``'resnet50.a1_in1k'`` -> ``('resnet50', 'a1_in1k')``; a bare name gets ``no_tag``."""
    model_name, *tag_list = model_name.split(".", 1)
    tag = tag_list[0] if tag_list else no_tag
    return model_name, tag


def generate_default_cfgs(cfgs: Dict[str, Union[Dict[str, Any], PretrainedCfg]]) -> Dict[str, DefaultCfg]:
    """Group ``{'arch.tag': cfg}`` into one :class:`DefaultCfg` per architecture.

    The first tag with weights written for an architecture is its default; an untagged entry with
    weights, or a tag ending in ``'*'``, takes the default place.
    """
    out: Dict[str, DefaultCfg] = {}
    for name, cfg in cfgs.items():
        if isinstance(cfg, dict):
            cfg = PretrainedCfg(**cfg)
        has_weights = cfg.has_weights
        model, tag = split_model_name_tag(name)
        # an untagged cfg with weights, or a tag marked '*', is the default
        priority = (has_weights and not tag) or tag.endswith("*")
        tag = tag.strip("*")
        default_cfg = out.setdefault(model, DefaultCfg())
        if priority or (has_weights and not default_cfg.is_pretrained):
            default_cfg.tags.appendleft(tag)
        else:
            default_cfg.tags.append(tag)
        if has_weights:
            default_cfg.is_pretrained = True
        default_cfg.cfgs[tag] = cfg
    return out


def resolve_cfg_overlay(cfg: PretrainedCfg, overlay: Optional[Dict[str, Any]]) -> PretrainedCfg:
    """Apply user overrides (e.g. ``dict(file='weights.safetensors')``), rejecting unknown fields."""
    if not overlay:
        return cfg
    unknown = sorted(set(overlay) - set(PretrainedCfg.__dataclass_fields__))
    if unknown:
        raise ValueError(
            f"pretrained_cfg_overlay has unknown field(s) {unknown}; "
            f"known fields are {sorted(PretrainedCfg.__dataclass_fields__)}"
        )
    return replace(cfg, **overlay)
