"""``summary.png``: loss, accuracy and learning-rate curves of a run, drawn from its ``summary.csv``.

matplotlib is optional (``pip install 'imagemodels[plot]'``); without it no picture is drawn.
"""
from __future__ import annotations

import csv
import logging
import os

__all__ = ["plot_summary"]

_logger = logging.getLogger(__name__)


def plot_summary(csv_path: str, png_path: str) -> bool:
    """Draw the curves; False (and nothing written) when matplotlib is missing or there is no data."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only; never open a window
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    if not os.path.exists(csv_path):
        return False
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return False
    epochs = [int(r["epoch"]) for r in rows]

    def series(name):
        return [float(r[name]) for r in rows] if name in rows[0] and all(r.get(name) for r in rows) else None

    panels = [("loss", ["train_loss", "eval_loss"]), ("accuracy (%)", ["eval_top1", "eval_top5", "eval_map"]),
              ("learning rate", ["lr"])]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, (title, names) in zip(axes, panels):
        for name in names:
            values = series(name)
            if values is not None:
                ax.plot(epochs, values, marker="o" if len(epochs) < 30 else None, label=name)
        ax.set_title(title)
        ax.set_xlabel("epoch")
        if ax.lines:
            ax.legend()
    fig.tight_layout()
    tmp = png_path + ".tmp.png"
    fig.savefig(tmp, dpi=80)
    plt.close(fig)
    os.replace(tmp, png_path)
    return True
