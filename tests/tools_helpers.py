"""Helpers shared by tests/test_tools_*.py: run the CLI in-process, write checkpoints with known outputs."""
import torch

import imagemodels
from imagemodels.cli.main import main

# every test checkpoint is this small model at 32 px: fast enough on a busy 2-core machine
ARCH = "resnet10t"


def cli(capsys, *args):
    """``imagemodels ARGS`` through the real entry point; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(result, code, *fragments):
    rc, out, err = result
    assert rc == code, err
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if line.startswith("imagemodels ")]
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def biased_model(num_classes=10, ranking=(3, 7, 1, 0, 9), arch=ARCH):
    """A model whose logits ignore the image: classes in ``ranking`` score highest, in that order."""
    torch.manual_seed(0)
    model = imagemodels.create_model(arch, num_classes=num_classes)
    head = model.get_classifier()
    with torch.no_grad():
        head.weight.zero_()
        head.bias.zero_()
        for rank, cls in enumerate(ranking):
            head.bias[cls] = 10.0 - rank
    return model.eval()


def save_training_checkpoint(path, model, arch=ARCH, metric=None, ema=None, **extra):
    """The layout training writes: weights under state_dict (and state_dict_ema), plus metadata."""
    state = {"epoch": 1, "arch": arch, "state_dict": model.state_dict(), "optimizer": {"state": {}},
             "version": 2, "args": {"model": arch, "img_size": 32}, **extra}
    if metric is not None:
        state["metric"] = metric
    if ema is not None:
        state["state_dict_ema"] = ema.state_dict()
    torch.save(state, path)
    return path
