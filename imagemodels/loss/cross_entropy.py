"""Cross-entropy with label smoothing (Szegedy et al., "Rethinking the Inception Architecture", 2015) and with
dense (mixup / cutmix) targets."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelSmoothingCrossEntropy(nn.Module):
    """Cross-entropy against ``(1 - smoothing) * one_hot + smoothing * uniform``; batch mean.

    Written as a mix of the NLL term and the mean negative log-probability so no dense target is built.
    """

    def __init__(self, smoothing=0.1):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        self.smoothing = smoothing
        self.confidence = 1.0 - smoothing

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        log_probs = F.log_softmax(x, dim=-1)
        nll = -log_probs.gather(dim=-1, index=target.unsqueeze(-1)).squeeze(-1)
        uniform = -log_probs.mean(dim=-1)
        return (self.confidence * nll + self.smoothing * uniform).mean()


class SoftTargetCrossEntropy(nn.Module):
    """Cross-entropy against a dense target distribution (one row per sample); batch mean."""

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1).mean()
