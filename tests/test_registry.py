"""Listing and lookup behave like the reference library's, from the manifest alone."""
import subprocess
import sys

import pytest

import imagemodels
import parity
from imagemodels.models import get_pretrained_cfg

OUR_MODULES = imagemodels.list_modules()

FILTERS = ["", "*resne*t*", "resnet5*", "resnet50", "resnet5", ["resnet1*", "seres*"], "*.a1_in1k", "*_in22k*", "resnet50.*"]
EXCLUDES = ["", "*d", ["*t", "*s"]]


@pytest.mark.parametrize("module", OUR_MODULES)
def test_module_listing_equals_reference(module):
    assert imagemodels.list_models(module=module) == parity.reference().list_models(module=module)


@pytest.mark.parametrize("filt", FILTERS, ids=str)
@pytest.mark.parametrize("exclude", EXCLUDES, ids=str)
@pytest.mark.parametrize("pretrained", [False, True])
def test_filters_match_reference(filt, exclude, pretrained):
    timm = parity.reference()
    for module in OUR_MODULES:
        ours = imagemodels.list_models(filt, module=module, pretrained=pretrained, exclude_filters=exclude)
        theirs = timm.list_models(filt, module=module, pretrained=pretrained, exclude_filters=exclude)
        assert ours == theirs, (module, filt, exclude, pretrained)


@pytest.mark.parametrize("module", OUR_MODULES)
def test_name_matches_cfg_and_list_pretrained(module):
    timm = parity.reference()
    assert imagemodels.list_models(module=module, name_matches_cfg=True) == timm.list_models(module=module, name_matches_cfg=True)
    ours = [n for n in imagemodels.list_pretrained() if imagemodels.models.is_model_in_modules(n, [module])]
    theirs = [n for n in timm.list_pretrained() if timm.models.is_model_in_modules(n, [module])]
    assert ours == theirs


def test_pretrained_cfgs_equal_reference():
    """Every tag's preprocessing and provenance equal the reference's (the weights are theirs)."""
    timm = parity.reference()
    fields = ["hf_hub_id", "input_size", "test_input_size", "fixed_input_size", "crop_pct", "test_crop_pct",
              "crop_mode", "interpolation", "mean", "std", "num_classes", "first_conv", "classifier",
              "pool_size", "license", "label_offset", "architecture", "tag"]
    names = [n for n in imagemodels.list_models(pretrained=True, include_tags=True) if n in set(timm.list_pretrained())]
    assert names, "no shared pretrained names"
    for name in names:
        ours, theirs = get_pretrained_cfg(name), timm.models.get_pretrained_cfg(name)
        for f in fields:
            a, b = getattr(ours, f), getattr(theirs, f)
            if isinstance(b, list):
                b = tuple(b)
            if isinstance(a, list):
                a = tuple(a)
            assert a == b, f"{name}.{f}: {a!r} vs reference {b!r}"
    # and the bare name resolves to the same default tag
    for arch in parity.shared_names():
        assert get_pretrained_cfg(arch).tag == timm.models.get_pretrained_cfg(arch).tag, arch


def test_unknown_name_suggests_close_names():
    with pytest.raises(RuntimeError) as err:
        imagemodels.create_model("resnet5O")
    message = str(err.value)
    assert "resnet5O" in message and "did you mean" in message and "resnet50" in message
    with pytest.raises(KeyError):  # a failed lookup, catchable as one
        imagemodels.create_model("no_such_model_at_all_xyz")


def test_is_model_and_entrypoint():
    assert imagemodels.is_model("resnet50") and imagemodels.is_model("resnet50.a1_in1k")
    assert not imagemodels.is_model("resnet5O")
    fn = imagemodels.model_entrypoint("resnet18")
    assert fn.__name__ == "resnet18" and callable(fn)
    from imagemodels.models.resnet import resnet18  # entry points are module attributes, as users import them

    assert resnet18 is fn


def test_pretrained_cfg_lookups():
    assert imagemodels.get_pretrained_cfg_value("resnet18.a1_in1k", "hf_hub_id") == "timm/resnet18.a1_in1k"
    assert imagemodels.get_pretrained_cfg("resnet18.a1_in1k").crop_pct == 0.95
    with pytest.raises(RuntimeError, match="invalid pretrained tag 'nope' for resnet18"):
        imagemodels.get_pretrained_cfg("resnet18.nope")
    assert imagemodels.get_pretrained_cfg("not_a_model") is None


def test_invalid_tag_in_create_model():
    with pytest.raises(RuntimeError, match="invalid pretrained tag"):
        imagemodels.create_model("resnet18.not_a_tag")


def test_manifest_is_fresh():
    """The committed manifest equals what the family modules register now."""
    out = subprocess.run([sys.executable, "-m", "imagemodels.models._manifest_build", "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_third_party_registration(tmp_path, monkeypatch):
    """A user's own module registers a model with register_model and builds it by name."""
    (tmp_path / "my_models.py").write_text(
        "import torch\n"
        "from imagemodels.models import register_model, build_model_with_cfg, generate_default_cfgs\n"
        "class Tiny(torch.nn.Module):\n"
        "    def __init__(self, num_classes=1000, in_chans=3):\n"
        "        super().__init__(); self.num_classes = num_classes\n"
        "        self.fc = torch.nn.Linear(in_chans, num_classes)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x.mean((2, 3)))\n"
        "default_cfgs = generate_default_cfgs({'tiny_user_model.v1': dict(num_classes=7)})\n"
        "@register_model\n"
        "def tiny_user_model(pretrained=False, **kwargs):\n"
        "    return build_model_with_cfg(Tiny, 'tiny_user_model', pretrained, **kwargs)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import my_models  # noqa: F401

    assert "tiny_user_model" in imagemodels.list_models("tiny_user*")
    model = imagemodels.create_model("tiny_user_model")
    assert model.num_classes == 7 and model.pretrained_cfg.tag == "v1"
    with pytest.raises(TypeError, match="does not accept argument\\(s\\) 'drop_rate'"):
        imagemodels.create_model("tiny_user_model", drop_rate=0.1)


def test_old_names_map_to_current_name_and_tag():
    """Names from before weight tags (``swin_base_patch4_window7_224_in22k``) still build, as in the reference."""
    from imagemodels.models import get_deprecated_models, model_entrypoint

    old = "tv_resnet34"
    assert get_deprecated_models("resnet")[old] == "resnet34.tv_in1k"
    assert imagemodels.is_model(old) and old not in imagemodels.list_models("tv_*")
    with pytest.warns(UserWarning, match="old name of 'resnet34.tv_in1k'"):
        model = imagemodels.create_model(old, num_classes=7)
    assert model.pretrained_cfg["architecture"] == "resnet34" and model.pretrained_cfg["tag"] == "tv_in1k"
    assert model.fc.out_features == 7
    with pytest.warns(UserWarning):  # a tag given with the old name wins, as in the reference
        assert imagemodels.create_model(old + ".a1_in1k").pretrained_cfg["tag"] == "a1_in1k"
    with pytest.warns(UserWarning):  # old names without a tag map to the default tag
        assert imagemodels.create_model("efficientnet_b2a").pretrained_cfg["architecture"] == "efficientnet_b2"
    with pytest.warns(UserWarning):
        assert model_entrypoint("xception")().pretrained_cfg["architecture"] == "legacy_xception"


def test_old_name_loads_the_new_names_weights(tmp_path, monkeypatch):
    from safetensors.torch import save_file

    torch = pytest.importorskip("torch")
    weights = imagemodels.create_model("resnet34").state_dict()
    save_file(weights, str(tmp_path / "resnet34.tv_in1k.safetensors"))
    monkeypatch.setenv("IMAGEMODELS_WEIGHTS_DIR", str(tmp_path))
    with pytest.warns(UserWarning, match="tv_resnet34"):
        model = imagemodels.create_model("tv_resnet34", pretrained=True)
    assert torch.equal(model.conv1.weight, weights["conv1.weight"])


def test_old_names_are_known_without_importing_their_family():
    code = ("import sys, imagemodels; assert imagemodels.is_model('swin_base_patch4_window7_224_in22k'); "
            "assert not any(m.startswith('imagemodels.models.swin') for m in sys.modules); print('OK')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and "OK" in out.stdout, out.stderr[-2000:]
