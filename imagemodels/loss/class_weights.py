"""Per-class loss weights for imbalanced labels: computed from class counts, or read from a number, a list or
a file, in the forms the reference's training script accepts (``--class-weight``, ``--pos-weight``).

'effective_num' is the class-balanced weighting of Cui et al., "Class-Balanced Loss Based on Effective Number
of Samples", CVPR 2019 (https://arxiv.org/abs/1901.05555).
"""
import json
import os
from typing import Optional, Sequence, Tuple, Union

import torch

__all__ = [
    "CLASS_WEIGHT_METHODS", "CLASS_WEIGHT_METHOD_KINDS", "compute_class_weights", "load_class_stats",
    "load_class_weights", "resolve_class_weights",
]

CLASS_WEIGHT_METHODS = ("neg_pos", "inv_freq", "effective_num")
# Which loss argument each method's weights are for.
CLASS_WEIGHT_METHOD_KINDS = {"neg_pos": "pos_weight", "inv_freq": "class_weight", "effective_num": "class_weight"}

WeightSpec = Union[str, float, Sequence[float], torch.Tensor, None]


def _mean_one(weights: torch.Tensor) -> torch.Tensor:
    """Scale so the weights average 1, leaving the loss's overall size unchanged."""
    return weights * (weights.numel() / weights.sum())


def compute_class_weights(
        pos_counts: Union[torch.Tensor, Sequence[float]],
        num_samples: int,
        method: str = "neg_pos",
        power: float = 1.0,
        beta: float = 0.999,
        max_weight: Optional[float] = None,
) -> Tuple[str, torch.Tensor]:
    """Loss weights from the positive count of each class over ``num_samples`` samples.

    'neg_pos': ``pos_weight = (negatives / positives) ** power``; 'inv_freq': ``class_weight`` proportional to
    ``(num_samples / positives) ** power``, mean 1; 'effective_num': ``class_weight`` proportional to
    ``(1 - beta) / (1 - beta ** positives)``, mean 1. A class with no positives counts as having one, and
    ``max_weight`` caps the final weights.

    Returns the loss argument the weights are for ('pos_weight' or 'class_weight') and float32 weights.
    """
    if method not in CLASS_WEIGHT_METHODS:
        raise ValueError(f"unknown class weight method {method!r}; expected one of {', '.join(CLASS_WEIGHT_METHODS)}")
    if num_samples <= 0:
        raise ValueError(f"num_samples must be > 0, got {num_samples}")
    counts = torch.as_tensor(pos_counts, dtype=torch.float32).flatten().clamp(min=1.0)
    if method == "neg_pos":
        weights = ((num_samples - counts) / counts) ** power
    elif method == "inv_freq":
        weights = _mean_one((num_samples / counts) ** power)
    else:
        weights = _mean_one((1.0 - beta) / (1.0 - beta ** counts))
    if max_weight is not None:
        weights = weights.clamp(max=max_weight)
    return CLASS_WEIGHT_METHOD_KINDS[method], weights.float()


def load_class_stats(path: Optional[str]) -> Optional[Tuple[torch.Tensor, int]]:
    """Read ``{"pos_counts": [...], "num_samples": N}`` from a JSON file; None or '' gives None."""
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        stats = json.load(f)
    missing = [k for k in ("pos_counts", "num_samples") if k not in stats]
    if missing:
        raise ValueError(f"class stats file {path} lacks {', '.join(missing)}; it needs 'pos_counts' and 'num_samples'")
    return torch.tensor(stats["pos_counts"], dtype=torch.float32), int(stats["num_samples"])


def _read_weight_file(path: str, key: str) -> torch.Tensor:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        data = json.loads(text)
        if isinstance(data, dict):
            if key not in data:
                raise ValueError(f"weight file {path} has no {key!r} entry; found {', '.join(data)}")
            data = data[key]
        return torch.tensor(data, dtype=torch.float32)
    return torch.tensor([float(v) for v in text.replace(",", " ").split()], dtype=torch.float32)


def load_class_weights(value: WeightSpec, key: str = "class_weight") -> Union[torch.Tensor, float, None]:
    """Weights from a number (broadcast over classes), a list or tensor, a comma separated string, or a file.

    Files are JSON (a list, or an object holding it under ``key``) or text of comma / space separated numbers.
    A single value comes back as a float, anything else as a 1-D float32 tensor; None or '' gives None.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, torch.Tensor):
        return value.float()
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        if os.path.isfile(value):
            return _read_weight_file(value, key)
        parts = [p for p in value.replace(",", " ").split()]
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise ValueError(
                f"weights {value!r} are neither a file that exists nor numbers; give a number, a comma separated "
                "list, or the path of a JSON / text file") from None
        return numbers[0] if len(numbers) == 1 else torch.tensor(numbers, dtype=torch.float32)
    if isinstance(value, (list, tuple)):
        numbers = [float(v) for v in value]
        return numbers[0] if len(numbers) == 1 else torch.tensor(numbers, dtype=torch.float32)
    raise TypeError(f"weights must be a number, a sequence, a tensor, a string or a path; got {type(value).__name__}")


def resolve_class_weights(
        value: WeightSpec,
        kind: str = "class_weight",
        class_stats: Optional[Tuple[torch.Tensor, int]] = None,
        power: float = 1.0,
        beta: float = 0.999,
        max_weight: Optional[float] = None,
) -> Union[torch.Tensor, float, None]:
    """Weights for loss argument ``kind``: a method in CLASS_WEIGHT_METHODS computed from ``class_stats``
    (as returned by :func:`load_class_stats`), or explicit weights parsed by :func:`load_class_weights`."""
    if isinstance(value, str) and value in CLASS_WEIGHT_METHODS:
        method_kind = CLASS_WEIGHT_METHOD_KINDS[value]
        if method_kind != kind:
            fitting = [m for m, k in CLASS_WEIGHT_METHOD_KINDS.items() if k == kind]
            raise ValueError(f"method {value!r} computes {method_kind} values; {kind} methods are {fitting}")
        if class_stats is None:
            raise ValueError(f"class weight method {value!r} needs class stats: pass load_class_stats(path)")
        counts, num_samples = class_stats
        return compute_class_weights(counts, num_samples, value, power=power, beta=beta, max_weight=max_weight)[1]
    return load_class_weights(value, key=kind)
