"""The ``imagemodels`` command line, run the way users run it: in a fresh subprocess.

Most tests add the throwaway ``tiny_family`` (registered by importing it in the subprocess) so
they run before any real family has landed, and never touch the registry of the pytest process,
which other tests walk.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent

# imports tiny_family (which registers toynet, toynet_wide), then runs the CLI on the arguments
_WITH_TINY = "import sys, tiny_family; from imagemodels.cli.main import main; sys.exit(main(sys.argv[1:]))"


def run(args, tiny=False, code=None, timeout=300, **env_vars):
    env = dict(os.environ, **env_vars)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), str(TESTS), env.get("PYTHONPATH")) if p)
    env["HF_HUB_OFFLINE"] = "1"  # no test may reach the network
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-c", _WITH_TINY] if tiny else [sys.executable, "-m", "imagemodels"]
    return subprocess.run([*cmd, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(result, exit_code, *fragments):
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


# --- list --------------------------------------------------------------------------------------

def test_list_prints_matching_names_one_per_line():
    result = run(["list", "toy"], tiny=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["toynet", "toynet_wide"]
    assert run(["list", "toynet_w*"], tiny=True).stdout.splitlines() == ["toynet_wide"]


def test_list_pretrained_shows_tags_with_weights_only():
    result = run(["list", "toy", "--pretrained"], tiny=True)
    assert result.stdout.splitlines() == ["toynet.fake_in1k"]


def test_list_with_no_match_prints_nothing_and_says_why():
    result = run(["list", "no_such_model_anywhere"], tiny=True)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "no model matches '*no_such_model_anywhere*'" in result.stderr
    assert "imagemodels list" in result.stderr  # tells the user what to try


def test_list_without_tiny_models_runs():
    result = run(["list", "no_such_model_anywhere"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr.strip()


def test_list_unknown_module_is_bad_input():
    assert_one_line_error(run(["list", "--module", "nope"], tiny=True), 2, "no model module named 'nope'", "tiny_family")


# --- info --------------------------------------------------------------------------------------

def test_info_unknown_name_exits_2_with_close_matches():
    assert_one_line_error(run(["info", "toynett"], tiny=True), 2, "unknown model 'toynett'", "did you mean: toynet")


def test_info_unknown_name_without_any_close_match():
    assert_one_line_error(run(["info", "qqqqqqqq"]), 2, "unknown model 'qqqqqqqq'")


def test_info_unknown_tag_lists_the_tags():
    assert_one_line_error(run(["info", "toynet.nope"], tiny=True), 2, "toynet.fake_in1k, toynet.untrained")


def test_info_json_counts_params_and_macs():
    result = run(["info", "toynet", "--json"], tiny=True)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["name"] == "toynet.fake_in1k" and info["default_tag"] == "toynet.fake_in1k"
    assert info["class"] == "TinyNet"
    # convs: Cout*Cin*3*3 weights + Cout biases; fc: 32*1000 + 1000
    assert info["params"] == (8 * 3 * 9 + 8) + (16 * 8 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 1000 + 1000)
    # MACs: Cout*Cin*3*3 per output pixel (112, 56, 28 px square at 224 input), plus the linear layer
    assert info["macs"] == 8 * 3 * 9 * 112**2 + 16 * 8 * 9 * 56**2 + 32 * 16 * 9 * 28**2 + 32 * 1000
    assert info["macs_input_size"] == [3, 224, 224]
    assert info["preprocessing"]["crop_pct"] == 0.9 and info["preprocessing"]["interpolation"] == "bilinear"
    tags = {t["name"]: t for t in info["tags"]}
    assert tags["toynet.fake_in1k"]["top1"] == 12.5 and tags["toynet.fake_in1k"]["has_weights"]
    assert tags["toynet.untrained"]["top1"] is None and not tags["toynet.untrained"]["has_weights"]
    assert [(f["num_chs"], f["reduction"], f["module"]) for f in info["features"]] == [(8, 2, "stem"), (16, 4, "layer1"), (32, 8, "layer2")]


def test_info_text_uses_the_tag_asked_for():
    result = run(["info", "toynet.untrained"], tiny=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("toynet.untrained")
    assert "at 3x64x64" in out  # MACs at that tag's input size
    assert "top-1 12.50" in out and "no weights" in out
    assert "layer2" in out


# --- demo --------------------------------------------------------------------------------------

def test_demo_runs_end_to_end_and_says_weights_are_random():
    result = run(["demo", "--model", "toynet_wide", "--topk", "3"], tiny=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "RANDOM" in out
    assert "chelsea.jpg  451x300 -> tensor (1, 3, 96, 96)" in out
    top = out.split("top-3 classes")[1].split("feature maps")[0].strip().splitlines()[1:]
    assert len(top) == 3 and all(line.strip().endswith("%") for line in top)  # 10 classes: no names
    assert "(1, 16, 48, 48)" in out and "(1, 64, 12, 12)" in out


def test_demo_names_imagenet_classes(tmp_path):
    from PIL import Image

    image = tmp_path / "grey.png"
    Image.new("RGB", (40, 30), (128, 128, 128)).save(image)
    result = run(["demo", "--model", "toynet", "--image", str(image)], tiny=True)
    assert result.returncode == 0, result.stderr
    assert "grey.png  40x30 -> tensor (1, 3, 224, 224)" in result.stdout
    top = result.stdout.split("top-5 classes")[1].split("feature maps")[0].strip().splitlines()[1:]
    assert len(top) == 5 and all(not line.strip().endswith("%") for line in top)  # a name follows


def test_demo_pretrained_loads_local_weights_and_says_so(tmp_path):
    make = (
        "import sys, tiny_family, imagemodels; from safetensors.torch import save_file; "
        "save_file(imagemodels.create_model('toynet').state_dict(), sys.argv[1])"
    )
    assert run([str(tmp_path / "toynet.fake_in1k.safetensors")], code=make).returncode == 0
    result = run(["demo", "--model", "toynet", "--pretrained"], tiny=True, IMAGEMODELS_WEIGHTS_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "weights  pretrained (toynet.fake_in1k)" in result.stdout and "RANDOM" not in result.stdout


def test_demo_pretrained_without_weights_fails_in_one_line():
    result = run(["demo", "--model", "toynet.untrained", "--pretrained"], tiny=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "could not load pretrained weights for 'toynet.untrained'" in result.stderr


def test_demo_missing_image_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.jpg"
    assert_one_line_error(run(["demo", "--model", "toynet", "--image", str(missing)], tiny=True), 2, f"image not found: {missing}")


def test_demo_unreadable_image_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture")
    assert_one_line_error(run(["demo", "--model", "toynet", "--image", str(bad)], tiny=True), 2, "cannot read", "as an image")


def test_demo_unknown_model_exits_2():
    assert_one_line_error(run(["demo", "--model", "toynett"], tiny=True), 2, "did you mean: toynet")


def test_demo_default_model_once_it_exists():
    import imagemodels

    if not imagemodels.is_model("resnet18"):
        pytest.skip("resnet18 is not registered yet (the ResNet family has not landed); this test enables itself then")
    result = run(["demo"])
    assert result.returncode == 0, result.stderr
    assert "RANDOM" in result.stdout and "top-5 classes" in result.stdout
    assert "(1, 512, 7, 7)" in result.stdout  # resnet18's last feature map at 224 px


# --- nothing heavy at import ---------------------------------------------------------------------

_IMPORTED = (
    "import sys; "
    "print(sorted(m for m in sys.modules if m == 'torch' or m == 'timm' or "
    "(m.startswith('imagemodels.models.') and not m.rsplit('.', 1)[1].startswith('_'))))"
)


@pytest.mark.parametrize("statement", [
    "import imagemodels",
    "import imagemodels; imagemodels.list_models()",
    "import imagemodels; imagemodels.list_models('resnet*', pretrained=True)",
    "import imagemodels.utils; imagemodels.utils.sample_image_path()",
    "import imagemodels.cli.main",
])
def test_import_and_listing_import_neither_torch_nor_a_family(statement):
    result = run([], code=f"{statement}; {_IMPORTED}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{statement!r} imported {result.stdout.strip()}"


@pytest.mark.parametrize("args", [["list"], ["list", "--pretrained", "res"], ["info", "no_such_model"], ["--help"]])
def test_cli_fast_paths_import_neither_torch_nor_a_family(args):
    code = f"import sys; from imagemodels.cli.main import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n{_IMPORTED}"
    result = run([], code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


# --- in-process pieces ---------------------------------------------------------------------------

def test_sample_image_is_a_small_jpeg():
    from PIL import Image

    from imagemodels.utils import sample_image_path

    path = sample_image_path()
    assert path.stat().st_size <= 60_000
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.mode == "RGB"
    assert (path.parent / "README.md").read_text().count("CC0") >= 1


def test_measure_model_counts_on_meta_and_falls_back_to_cpu():
    import torch
    from torch import nn

    from imagemodels.utils.complexity import measure_model

    class NeedsValues(nn.Module):  # .item() cannot run on the meta device
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            return self.fc(x) * float(x.sum().item() >= 0)

    model, params, macs = measure_model(lambda: nn.Conv2d(3, 4, 3), (3, 8, 8))
    assert next(model.parameters()).device.type == "meta"
    assert params == 3 * 4 * 9 + 4 and macs == 3 * 4 * 9 * 6 * 6
    model, params, macs = measure_model(NeedsValues, (4,))
    assert next(model.parameters()).device == torch.device("cpu")
    assert params == 10 and macs == 8


def test_list_filter_expansion():
    from imagemodels.cli.listing import expand_filter

    assert expand_filter("resnet") == "*resnet*"
    assert expand_filter("resnet5?") == "resnet5?"
    assert expand_filter("resnet*") == "resnet*"
