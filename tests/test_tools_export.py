"""`imagemodels export`: ONNX with a dynamic batch, checked against onnxruntime; clear errors."""
import importlib.util

import pytest

from tools_helpers import ARCH, assert_one_line_error, biased_model, cli, save_training_checkpoint

HAVE_ONNX = all(importlib.util.find_spec(m) for m in ("onnx", "onnxruntime"))
needs_onnx = pytest.mark.skipif(not HAVE_ONNX, reason="onnx/onnxruntime not installed (pip install imagemodels[export])")
HAVE_ONNXSCRIPT = importlib.util.find_spec("onnxscript") is not None


@needs_onnx
def test_export_checkpoint_checks_a_different_batch(capsys, tmp_path):
    ckpt = save_training_checkpoint(tmp_path / "best.pth.tar", biased_model())
    out_path = tmp_path / "model.onnx"
    rc, out, err = cli(capsys, "export", out_path, "--checkpoint", ckpt, "--img-size", 32, "--no-dynamo")
    assert rc == 0, err
    assert "max abs diff" in out
    diff = float(out.split("max abs diff ")[1].split()[0])
    assert diff < 1e-3

    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(str(out_path), providers=["CPUExecutionProvider"])
    (y,) = session.run(None, {"input": np.zeros((5, 3, 32, 32), np.float32)})
    assert y.shape == (5, 10) and int(y[0].argmax()) == 3  # the checkpoint's head, any batch size


@needs_onnx
@pytest.mark.skipif(not HAVE_ONNXSCRIPT, reason="onnxscript not installed (pip install imagemodels[export])")
@pytest.mark.slow  # the torch.export-based exporter takes ~10-40 s on a busy 2-core machine
def test_export_dynamo_dynamic_size(capsys, tmp_path):
    rc, out, err = cli(capsys, "export", tmp_path / "m.onnx", "--model", ARCH, "--num-classes", 10, "--img-size", 64,
                       "--dynamic-size")
    assert rc == 0, err
    assert "dynamo exporter" in out and "dynamic batch and size" in out


def test_export_without_onnx_says_what_to_install(capsys, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name.startswith("onnx") else real(name, *a))
    assert_one_line_error(cli(capsys, "export", tmp_path / "m.onnx", "--model", ARCH), 1,
                          "pip install imagemodels[export]")


def test_export_bad_input(capsys, tmp_path):
    assert_one_line_error(cli(capsys, "export", tmp_path / "m.txt", "--model", ARCH), 2, "must end in .onnx")
    assert_one_line_error(cli(capsys, "export", tmp_path / "m.onnx", "--model", "resnet10x"), 2, "unknown model")
    other = save_training_checkpoint(tmp_path / "r18.pth.tar", biased_model(arch="resnet18"), arch="resnet18")
    if HAVE_ONNX:
        assert_one_line_error(cli(capsys, "export", tmp_path / "m.onnx", "--model", ARCH, "--checkpoint", other), 2,
                              "does not fit resnet10t", "pass --model resnet18")
