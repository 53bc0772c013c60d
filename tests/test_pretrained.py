"""Loading weights through the real code paths, on checkpoints the tests write themselves."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch
from safetensors.torch import save_file

import imagemodels
from imagemodels.models import adapt_input_conv, load_checkpoint, save_for_hf
from imagemodels.models._helpers import CheckpointMismatchError

ARCH, TAG = "resnet18", "a1_in1k"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def write_hf_cache(cache_dir, repo_id, files):
    """The on-disk layout huggingface_hub keeps: models--org--name/{refs/main, snapshots/<commit>/...}."""
    repo_dir = cache_dir / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo_dir / "snapshots" / COMMIT
    snapshot.mkdir(parents=True)
    (repo_dir / "refs").mkdir()
    (repo_dir / "refs" / "main").write_text(COMMIT)
    for name, writer in files.items():
        writer(snapshot / name)
    return snapshot


@pytest.fixture(scope="module")
def reference_weights():
    torch.manual_seed(0)
    model = imagemodels.create_model(ARCH)
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_offline_hf_cache_in_a_fresh_process(tmp_path, reference_weights):
    """create_model('resnet18.a1_in1k', pretrained=True) with HF_HUB_OFFLINE=1 reads the local cache."""
    write_hf_cache(tmp_path, f"timm/{ARCH}.{TAG}", {"model.safetensors": lambda p: save_file(reference_weights, str(p))})
    torch.save(reference_weights, tmp_path / "expected.pt")
    script = textwrap.dedent(f"""
        import torch, imagemodels
        from imagemodels.models import adapt_input_conv
        want = torch.load({str(tmp_path / 'expected.pt')!r}, weights_only=True)
        m = imagemodels.create_model('{ARCH}.{TAG}', pretrained=True)
        for k, v in m.state_dict().items():
            assert torch.equal(v, want[k]), k
        m1 = imagemodels.create_model('{ARCH}.{TAG}', pretrained=True, in_chans=1)
        assert torch.allclose(m1.conv1.weight, want['conv1.weight'].sum(1, keepdim=True))
        m5 = imagemodels.create_model('{ARCH}.{TAG}', pretrained=True, in_chans=5)
        assert torch.allclose(m5.conv1.weight, adapt_input_conv(5, want['conv1.weight']))
        m10 = imagemodels.create_model('{ARCH}.{TAG}', pretrained=True, num_classes=10)
        assert m10.fc.weight.shape == (10, 512)
        assert torch.equal(m10.layer4[1].conv2.weight, want['layer4.1.conv2.weight'])
        x = torch.randn(1, 1, 64, 64)
        assert m1.eval()(x).shape == (1, 1000)
        print('OK')
    """)
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HUB_CACHE=str(tmp_path), HF_HOME=str(tmp_path / "home"))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "OK" in out.stdout, out.stderr[-3000:]


def test_hub_falls_back_to_pytorch_model_bin(tmp_path, reference_weights):
    write_hf_cache(tmp_path, f"timm/{ARCH}.{TAG}", {"pytorch_model.bin": lambda p: torch.save(reference_weights, p)})
    model = imagemodels.create_model(f"{ARCH}.{TAG}", pretrained=True, cache_dir=tmp_path)
    assert torch.equal(model.conv1.weight, reference_weights["conv1.weight"])


def test_offline_cache_miss_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="HF_HUB_OFFLINE is set"):
        imagemodels.create_model(f"{ARCH}.{TAG}", pretrained=True, cache_dir=tmp_path)


def test_overlay_file_and_folder(tmp_path, reference_weights):
    path = tmp_path / "w.safetensors"
    save_file(reference_weights, str(path))
    model = imagemodels.create_model(ARCH, pretrained=True, pretrained_cfg_overlay=dict(file=str(path)))
    assert torch.equal(model.fc.weight, reference_weights["fc.weight"])
    folder = tmp_path / "folder"
    folder.mkdir()
    save_file(reference_weights, str(folder / "model.safetensors"))
    model = imagemodels.create_model(ARCH, pretrained=True, pretrained_cfg_overlay=dict(file=str(folder)))
    assert torch.equal(model.fc.bias, reference_weights["fc.bias"])
    with pytest.raises(ValueError, match="unknown field"):
        imagemodels.create_model(ARCH, pretrained_cfg_overlay=dict(fiel="x"))


def test_weights_dir_env(tmp_path, monkeypatch, reference_weights):
    save_file(reference_weights, str(tmp_path / f"{ARCH}.{TAG}.safetensors"))
    monkeypatch.setenv("IMAGEMODELS_WEIGHTS_DIR", str(tmp_path))
    model = imagemodels.create_model(f"{ARCH}.{TAG}", pretrained=True)
    assert torch.equal(model.conv1.weight, reference_weights["conv1.weight"])


def test_checkpoint_path_unwraps_training_state(tmp_path, reference_weights):
    wrapped = {"epoch": 3, "state_dict": {"module." + k: v for k, v in reference_weights.items()}}
    torch.save(wrapped, tmp_path / "ckpt.pth")
    model = imagemodels.create_model(ARCH, checkpoint_path=tmp_path / "ckpt.pth")
    assert torch.equal(model.layer1[0].conv1.weight, reference_weights["layer1.0.conv1.weight"])


def test_mismatched_checkpoint_lists_keys_and_shapes(tmp_path, reference_weights):
    bad = dict(reference_weights)
    bad.pop("layer1.0.conv1.weight")
    bad["extra.weight"] = torch.zeros(1)
    bad["fc.weight"] = torch.zeros(3, 512)
    save_file(bad, str(tmp_path / "bad.safetensors"))
    model = imagemodels.create_model(ARCH)
    before = model.conv1.weight.clone()
    with pytest.raises(CheckpointMismatchError) as err:
        load_checkpoint(model, str(tmp_path / "bad.safetensors"))
    text = str(err.value)
    assert "missing keys (1): layer1.0.conv1.weight" in text
    assert "unexpected keys (1): extra.weight" in text
    assert "fc.weight: checkpoint (3, 512) vs model (1000, 512)" in text
    assert torch.equal(model.conv1.weight, before), "nothing may load from a checkpoint that does not fit"


def test_pickled_code_is_refused(tmp_path):
    torch.save({"obj": CheckpointMismatchError("not a tensor")}, tmp_path / "evil.pth")
    model = imagemodels.create_model(ARCH)
    with pytest.raises(RuntimeError, match="weights_only=True"):
        load_checkpoint(model, str(tmp_path / "evil.pth"))


def test_local_dir_round_trip(tmp_path):
    model = imagemodels.create_model(ARCH, num_classes=4).eval()
    save_for_hf(model, tmp_path / "export")
    config = json.loads((tmp_path / "export" / "config.json").read_text())
    assert config["architecture"] == ARCH and config["num_classes"] == 4
    loaded = imagemodels.create_model(f"local-dir:{tmp_path / 'export'}", pretrained=True).eval()
    x = torch.randn(1, 3, 64, 64)
    assert torch.equal(model(x), loaded(x))


def test_no_weights_is_a_clear_error():
    with pytest.raises(RuntimeError, match="has no pretrained weights"):
        imagemodels.create_model("test_resnet", pretrained=True, pretrained_cfg=dict(architecture="test_resnet"))


def test_adapt_input_conv_math():
    w = torch.randn(8, 3, 3, 3)
    assert torch.allclose(adapt_input_conv(1, w), w.sum(1, keepdim=True))
    w6 = adapt_input_conv(6, w)
    assert w6.shape == (8, 6, 3, 3) and torch.allclose(w6[:, :3], w * 0.5) and torch.allclose(w6[:, 3:], w * 0.5)
    assert torch.allclose(adapt_input_conv(2, w), w[:, :2] * 1.5)
