"""Random Erasing (Zhong et al., "Random Erasing Data Augmentation", https://arxiv.org/abs/1708.04896).

Works on normalised tensors: a ``(C, H, W)`` image or an ``(N, C, H, W)`` batch (the prefetcher's).
Each image is erased with ``probability``: ``min_count``..``max_count`` boxes, together covering
``min_area``..``max_area`` of it, with log-uniform aspect ratio in ``[min_aspect, max_aspect]``.
Fill, per ``mode``: 'const' zeros (the mean, after normalisation), 'rand' one normal colour per box,
'pixel' normal noise per pixel. With ``num_splits`` > 1 the first split of the batch (the clean
AugMix view) is left alone. Box draws use Python's ``random``; fill values use torch's generator.
"""
from __future__ import annotations

import math
import random

import torch

__all__ = ["RandomErasing"]

_MODES = ("const", "rand", "pixel")


class RandomErasing:
    def __init__(
        self,
        probability: float = 0.5,
        min_area: float = 0.02,
        max_area: float = 1 / 3,
        min_aspect: float = 0.3,
        max_aspect=None,
        mode: str = "const",
        min_count: int = 1,
        max_count=None,
        num_splits: int = 0,
        device="cuda",
    ):
        mode = (mode or "const").lower()
        if mode not in _MODES:
            raise ValueError(f"random erasing mode must be one of {', '.join(_MODES)}, got {mode!r}")
        if not 0 < min_area <= max_area <= 1:
            raise ValueError(f"need 0 < min_area <= max_area <= 1, got {min_area}, {max_area}")
        self.probability = probability
        self.min_area = min_area
        self.max_area = max_area
        max_aspect = max_aspect or 1 / min_aspect
        self.log_aspect_ratio = (math.log(min_aspect), math.log(max_aspect))
        self.min_count = min_count
        self.max_count = max_count or min_count
        self.num_splits = num_splits
        self.mode = mode
        self.device = device

    def _fill(self, shape, dtype, device):
        if self.mode == "pixel":
            return torch.empty(shape, dtype=dtype).normal_().to(device)
        if self.mode == "rand":
            return torch.empty((shape[0], 1, 1), dtype=dtype).normal_().to(device)
        return torch.zeros((shape[0], 1, 1), dtype=dtype, device=device)

    def _erase(self, img: torch.Tensor) -> None:
        if random.random() > self.probability:
            return
        chans, img_h, img_w = img.shape
        area = img_h * img_w
        count = self.min_count if self.min_count == self.max_count else random.randint(self.min_count, self.max_count)
        for _ in range(count):
            for _attempt in range(10):
                target_area = random.uniform(self.min_area, self.max_area) * area / count
                aspect = math.exp(random.uniform(*self.log_aspect_ratio))
                h = int(round(math.sqrt(target_area * aspect)))
                w = int(round(math.sqrt(target_area / aspect)))
                if w < img_w and h < img_h:
                    top = random.randint(0, img_h - h)
                    left = random.randint(0, img_w - w)
                    img[:, top:top + h, left:left + w] = self._fill((chans, h, w), img.dtype, img.device)
                    break

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Erase in place (and return) an image or a batch."""
        if x.dim() == 3:
            self._erase(x)
        else:
            batch = x.shape[0]
            start = batch // self.num_splits if self.num_splits > 1 else 0  # the clean split stays clean
            for i in range(start, batch):
                self._erase(x[i])
        return x

    def __repr__(self):
        return (f"{type(self).__name__}(p={self.probability}, mode={self.mode}, "
                f"count=({self.min_count}, {self.max_count}))")
