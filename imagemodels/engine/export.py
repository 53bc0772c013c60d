"""Export a model to ONNX and prove the file computes what the model does.

The batch dimension is always dynamic (and height/width with ``dynamic_size``). After export the
file is run with onnxruntime on a batch of a different size than the one traced, so a batch size
frozen into the graph fails the check instead of a user's deployment; the largest absolute
difference from PyTorch's output is reported and must stay under ``atol``.
"""
from __future__ import annotations

import os
import warnings
from typing import Any, Dict, Optional, Sequence

import torch
from torch import nn

__all__ = ["export_onnx", "check_onnx", "require_dependencies", "ExportDependencyError", "ExportCheckError"]

INSTALL_HINT = "pip install imagemodels[export]"


class ExportDependencyError(ImportError):
    """onnx / onnxruntime / onnxscript is missing."""


class ExportCheckError(RuntimeError):
    """The exported file's outputs differ from the model's by more than the tolerance."""


def require_dependencies(dynamo: bool = True, check: bool = True) -> None:
    """Raise ``ExportDependencyError`` (naming the install command) when an export needs a missing package."""
    _require("onnx", *(("onnxscript",) if dynamo else ()), *(("onnxruntime",) if check else ()))


def _require(*modules: str) -> None:
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise ExportDependencyError(f"ONNX export needs {', '.join(missing)}: {INSTALL_HINT}")


def export_onnx(
    model: nn.Module,
    path: str,
    *,
    input_size: Sequence[int],
    batch_size: int = 2,
    opset: Optional[int] = None,
    dynamic_size: bool = False,
    dynamo: bool = True,
    check: bool = True,
    atol: float = 1e-3,
) -> Dict[str, Any]:
    """Write ``model`` to ``path`` as ONNX (input ``input``, output ``output``); returns what was done.

    ``dynamo=True`` uses torch's ``torch.export``-based exporter (needs onnxscript); False the older
    TorchScript tracer. ``batch_size`` is the traced example's batch; it must be at least 2, since a
    batch of 1 lets the exporter treat the dimension as the constant 1.
    """
    _require("onnx", *(("onnxscript",) if dynamo else ()))
    if batch_size < 2:
        raise ValueError("batch_size must be at least 2 so the batch dimension stays dynamic")
    model = model.eval()
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    example = torch.randn((batch_size, *input_size))
    axes = {0: "batch"}
    if dynamic_size:
        axes.update({2: "height", 3: "width"})
    with torch.no_grad(), warnings.catch_warnings():
        if dynamo:
            dims = {i: torch.export.Dim.DYNAMIC for i in axes}
            program = torch.onnx.export(model, (example,), None, dynamo=True, input_names=["input"],
                                        output_names=["output"], dynamic_shapes=(dims,), opset_version=opset,
                                        verbose=False)
            program.save(path)
        else:
            # asked for by name (--no-dynamo); the deprecation notices would only repeat that choice
            warnings.filterwarnings("ignore", "You are using the legacy TorchScript", DeprecationWarning)
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx")
            torch.onnx.export(model, (example,), path, dynamo=False, input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": axes, "output": {0: "batch"}},
                              opset_version=opset or 17)
    info: Dict[str, Any] = {"path": path, "input_size": tuple(input_size), "dynamic_size": dynamic_size,
                            "exporter": "dynamo" if dynamo else "torchscript"}
    if check:
        sizes = [tuple(input_size)]
        if dynamic_size:
            sizes.append((input_size[0], input_size[1] + 32, input_size[2] + 32))
        info["max_abs_diff"] = max(check_onnx(model, path, size, batch_size=batch_size + 1, atol=atol)
                                   for size in sizes)
    return info


def check_onnx(model: nn.Module, path: str, input_size: Sequence[int], *, batch_size: int = 3,
               atol: float = 1e-3) -> float:
    """Run ``path`` in onnxruntime and ``model`` in PyTorch on one random batch; returns the max abs
    difference, raising ``ExportCheckError`` when it exceeds ``atol``."""
    _require("onnxruntime")
    import onnxruntime

    x = torch.randn((batch_size, *input_size), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = model.eval()(x)
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    (got,) = session.run(["output"], {"input": x.numpy()})
    got = torch.from_numpy(got)
    if got.shape != expected.shape:
        raise ExportCheckError(f"onnxruntime gave shape {tuple(got.shape)} for input {tuple(x.shape)}, "
                               f"PyTorch {tuple(expected.shape)}")
    diff = float((got - expected).abs().max())
    if diff > atol:
        raise ExportCheckError(f"onnxruntime output differs from PyTorch's by {diff:.2e} (> tolerance {atol:.0e}) "
                               f"on input {tuple(x.shape)}")
    return diff
