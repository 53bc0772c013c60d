"""Eval/train transforms and data-config resolution, compared with the reference library on real photos."""

import pytest
import torch
from PIL import Image

import imagemodels
from imagemodels import data
from imagemodels.utils import sample_image_path

timm = pytest.importorskip("timm")
import timm.data  # noqa: E402


def _photos():
    chelsea = Image.open(sample_image_path()).convert("RGB")  # 451x300
    photos = {"chelsea": chelsea, "chelsea_portrait": chelsea.transpose(Image.Transpose.ROTATE_90)}
    try:
        import skimage.data
    except ImportError:  # scikit-image is optional: the bundled photo alone still covers both orientations
        return photos
    photos["astronaut"] = Image.fromarray(skimage.data.astronaut())  # 512x512
    photos["coffee"] = Image.fromarray(skimage.data.coffee())  # 400x600, landscape
    return photos


PHOTOS = _photos()

EVAL_CASES = [
    dict(input_size=(3, 224, 224), crop_pct=0.875, crop_mode="center", interpolation="bicubic"),
    dict(input_size=(3, 224, 224), crop_pct=0.95, crop_mode="center", interpolation="bilinear"),
    dict(input_size=(3, 160, 160), crop_pct=1.0, crop_mode="center", interpolation="nearest"),
    dict(input_size=(3, 192, 256), crop_pct=0.9, crop_mode="center", interpolation="bicubic"),
    dict(input_size=(3, 224, 224), crop_pct=0.9, crop_mode="squash", interpolation="bicubic"),
    dict(input_size=(3, 200, 150), crop_pct=1.0, crop_mode="squash", interpolation="lanczos"),
    dict(input_size=(3, 224, 224), crop_pct=1.0, crop_mode="border", interpolation="bicubic"),
    dict(input_size=(3, 288, 256), crop_pct=0.8, crop_mode="border", interpolation="bilinear"),
    dict(input_size=(3, 128, 128), crop_pct=0.875, crop_mode="center", interpolation="hamming", crop_border_pixels=7),
]


@pytest.mark.parametrize("case", EVAL_CASES, ids=lambda c: "-".join(str(v) for v in c.values()))
@pytest.mark.parametrize("photo", sorted(PHOTOS))
def test_eval_transform_equals_reference(case, photo):
    img = PHOTOS[photo]
    ours = data.create_transform(**case, mean=(0.5, 0.4, 0.3), std=(0.2, 0.25, 0.3))(img)
    ref = timm.data.create_transform(**case, mean=(0.5, 0.4, 0.3), std=(0.2, 0.25, 0.3))(img)
    assert ours.shape == ref.shape == (3, *case["input_size"][1:])
    torch.testing.assert_close(ours, ref, rtol=0, atol=0)


@pytest.mark.parametrize("use_prefetcher,normalize", [(True, True), (False, False)])
def test_eval_transform_uint8_output_for_prefetcher(use_prefetcher, normalize):
    img = PHOTOS["chelsea"]
    kw = dict(input_size=(3, 96, 96), crop_pct=0.9, use_prefetcher=use_prefetcher, normalize=normalize)
    ours, ref = data.create_transform(**kw)(img), timm.data.create_transform(**kw)(img)
    assert ours.dtype == torch.uint8
    assert torch.equal(ours, ref)


@pytest.mark.parametrize("tag", ["resnet18.a1_in1k", "resnet50.tv_in1k", "resnet50.fb_swsl_ig1b_ft_in1k"])
@pytest.mark.parametrize("use_test_size", [False, True])
def test_model_data_config_and_transform_equal_reference(tag, use_test_size):
    model = imagemodels.create_model(tag)
    ours_cfg = data.resolve_data_config({}, model=model, use_test_size=use_test_size)
    ref_cfg = timm.data.resolve_data_config({}, model=timm.create_model(tag), use_test_size=use_test_size)
    assert ours_cfg == ref_cfg
    assert data.resolve_model_data_config(model, use_test_size=use_test_size) == ours_cfg
    img = PHOTOS["chelsea"]
    assert torch.equal(data.create_transform(**ours_cfg)(img), timm.data.create_transform(**ref_cfg)(img))


@pytest.mark.parametrize("args", [
    dict(img_size=96), dict(input_size=(1, 64, 80), mean=(0.5,), std=(0.25,)), dict(in_chans=1, img_size=32, mean=(0.3,)),
    dict(crop_pct=0.5, crop_mode="squash", interpolation="nearest"), dict(chans=4, std=(0.1,)),
])
def test_args_override_pretrained_cfg_as_reference(args):
    cfg = imagemodels.models.get_pretrained_cfg("resnet50.a1_in1k")
    ref_cfg = timm.models.get_pretrained_cfg("resnet50.a1_in1k").to_dict()
    assert data.resolve_data_config(args, pretrained_cfg=cfg) == timm.data.resolve_data_config(args, pretrained_cfg=ref_cfg)


def test_resolve_data_config_errors_name_the_problem():
    with pytest.raises(ValueError, match="at least one of model, args or pretrained_cfg"):
        data.resolve_data_config()
    with pytest.raises(ValueError, match="mean needs 1 or 3 values"):
        data.resolve_data_config({"mean": (0.1, 0.2)})
    with pytest.raises(ValueError, match="input_size must be"):
        data.resolve_data_config({"input_size": (224, 224)})


def test_transform_errors_name_the_bad_value():
    with pytest.raises(ValueError, match="crop_mode must be one of center, squash, border, got 'middle'"):
        data.create_transform(224, crop_mode="middle")
    with pytest.raises(ValueError, match="interpolation must be one of .* got 'cubic'"):
        data.create_transform(224, interpolation="cubic")
    with pytest.raises(ValueError, match="train_crop_mode"):
        data.create_transform(224, is_training=True, train_crop_mode="rc")


def test_import_data_is_light():
    import subprocess
    import sys

    code = "import sys, imagemodels.data; print(any(m == 'torch' or m.startswith('torchvision') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
    code = "import sys, imagemodels; imagemodels.__version__; print('imagemodels.data' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
