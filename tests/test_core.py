"""Unit tests of the core pieces that need no model family."""
import pytest

from imagemodels.models._features import FeatureInfo, feature_take_indices, normalize_out_indices
from imagemodels.models._pretrained import PretrainedCfg, generate_default_cfgs, resolve_cfg_overlay

INFO = [dict(num_chs=c, reduction=r, module=m) for c, r, m in
        [(64, 2, "act1"), (256, 4, "layer1"), (512, 8, "layer2"), (1024, 16, "layer3"), (2048, 32, "layer4")]]


def test_feature_take_indices():
    assert feature_take_indices(5) == ([0, 1, 2, 3, 4], 4)
    assert feature_take_indices(5, 2) == ([3, 4], 4)
    assert feature_take_indices(5, [-1, 0]) == ([0, 4], 4)
    with pytest.raises(IndexError, match="out of range"):
        feature_take_indices(5, [5])
    with pytest.raises(ValueError):
        feature_take_indices(5, 6)


def test_feature_info_selection():
    fi = FeatureInfo(INFO, (1, -1))
    assert fi.out_indices == (1, 4)
    assert fi.channels() == [256, 2048] and fi.reduction() == [4, 32]
    assert fi.module_name() == ["layer1", "layer4"]
    assert fi.channels(0) == 64 and len(fi) == 5
    assert fi.from_other((0,)).channels() == [64]
    with pytest.raises(IndexError, match="valid: 0..4"):
        FeatureInfo(INFO, (7,))
    with pytest.raises(IndexError):
        normalize_out_indices([-6], 5)


def test_default_tag_order():
    cfgs = generate_default_cfgs({
        "m.no_weights": dict(),
        "m.first_weights": dict(hf_hub_id="timm/"),
        "m.second_weights": dict(hf_hub_id="timm/"),
        "n.a": dict(hf_hub_id="timm/"),
        "n.b*": dict(hf_hub_id="timm/"),
    })
    assert list(cfgs["m"].tags) == ["first_weights", "no_weights", "second_weights"]
    assert cfgs["m"].is_pretrained
    assert cfgs["n"].tags[0] == "b"  # '*' forces the default


def test_cfg_overlay_and_dict_access():
    cfg = resolve_cfg_overlay(PretrainedCfg(), dict(file="w.safetensors", crop_pct=1.0))
    assert cfg.file == "w.safetensors" and cfg["crop_pct"] == 1.0 and cfg.get("nope", 3) == 3
    assert cfg.has_weights and "file" not in cfg.to_dict(remove_source=True)
