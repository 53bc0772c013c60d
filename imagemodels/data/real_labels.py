"""ImageNet ReaL labels (Beyer et al., "Are we done with ImageNet?", 2020, https://arxiv.org/abs/2006.07159):
re-assessed, possibly multiple, labels for the 50,000 ImageNet validation images.

The labels come from the ``real.json`` the user supplies (from https://github.com/google-research/reassessed-imagenet):
a list whose entry ``i`` holds the label indices of ``ILSVRC2012_val_{i + 1:08d}.JPEG``. A prediction counts as
correct at k when any of its top-k classes is one of the image's labels; images with no ReaL label are left out.
"""
import json
import os
from typing import Dict, Optional, Sequence, Tuple, Union

import torch

__all__ = ["RealLabelsImagenet"]


def _val_file_name(index: int) -> str:
    return f"ILSVRC2012_val_{index + 1:08d}.JPEG"


class RealLabelsImagenet:
    """ReaL top-k accuracy of predictions made over ``filenames`` in order.

    Args:
        filenames: the file of each sample, in the order outputs will be added (only the base name is used).
        real_json: path of ``real.json``; defaults to ``real.json`` in the working directory.
        topk: the k values to report.
    """

    def __init__(self, filenames: Sequence[str], real_json: Optional[str] = None, topk: Tuple[int, ...] = (1, 5)):
        path = real_json or "real.json"
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"ReaL labels file not found: {path}; download real.json from "
                "https://github.com/google-research/reassessed-imagenet and pass its path")
        with open(path, encoding="utf-8") as f:
            labels = json.load(f)
        self.real_labels: Dict[str, list] = {_val_file_name(i): list(v) for i, v in enumerate(labels)}
        self.filenames = list(filenames)
        if len(self.filenames) != len(self.real_labels):
            raise ValueError(
                f"{path} labels {len(self.real_labels)} images but {len(self.filenames)} filenames were given; "
                "ReaL accuracy needs the whole ImageNet validation set, in its file order")
        self.topk = tuple(topk)
        self.is_correct: Dict[int, list] = {k: [] for k in self.topk}
        self.sample_idx = 0

    def add_result(self, output: torch.Tensor) -> None:
        """Record a batch of outputs (batch, classes), for the next ``batch`` filenames."""
        if self.sample_idx + output.shape[0] > len(self.filenames):
            raise ValueError(
                f"more outputs than filenames: {self.sample_idx} seen, {output.shape[0]} added, "
                f"{len(self.filenames)} files in all")
        top = output.topk(max(self.topk), dim=1).indices.cpu().tolist()
        for predicted in top:
            name = os.path.basename(self.filenames[self.sample_idx])
            if name not in self.real_labels:
                raise ValueError(f"{name} has no entry in the ReaL labels; they cover ILSVRC2012_val_*.JPEG files only")
            labels = self.real_labels[name]
            self.sample_idx += 1
            if not labels:
                continue  # no ReaL label: the image is left out of the score
            for k in self.topk:
                self.is_correct[k].append(any(p in labels for p in predicted[:k]))

    def get_accuracy(self, k: Optional[int] = None) -> Union[Dict[int, float], float]:
        """Accuracy in percent at ``k``, or a ``{k: accuracy}`` dict of every k when ``k`` is None."""
        if k is None:
            return {kk: self._accuracy(kk) for kk in self.topk}
        if k not in self.is_correct:
            raise ValueError(f"k={k} was not among the topk {self.topk} given at construction")
        return self._accuracy(k)

    def _accuracy(self, k: int) -> float:
        hits = self.is_correct[k]
        return 100.0 * sum(hits) / len(hits) if hits else float("nan")
