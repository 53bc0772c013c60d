"""Jensen-Shannon consistency loss plus cross-entropy on the clean split, from AugMix
(Hendrycks et al., "AugMix: A Simple Data Processing Method to Improve Robustness and Uncertainty", 2019)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .cross_entropy import LabelSmoothingCrossEntropy


class JsdCrossEntropy(nn.Module):
    """The batch is ``num_splits`` equal chunks: clean images first, then each augmented copy.

    Cross-entropy is taken on the clean chunk only; ``alpha`` weights the mean KL of every chunk's softmax
    from the chunks' mixture (the Jensen-Shannon divergence).
    """

    def __init__(self, num_splits=3, alpha=12, smoothing=0.1):
        super().__init__()
        self.num_splits = num_splits
        self.alpha = alpha
        if smoothing is not None and smoothing > 0:
            self.cross_entropy_loss = LabelSmoothingCrossEntropy(smoothing)
        else:
            self.cross_entropy_loss = nn.CrossEntropyLoss()

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        batch = output.shape[0]
        if batch % self.num_splits:
            raise ValueError(f"batch size {batch} is not a multiple of num_splits={self.num_splits}; "
                             "stack the clean batch and its augmented copies along dim 0")
        chunk = batch // self.num_splits
        splits = torch.split(output, chunk)
        loss = self.cross_entropy_loss(splits[0], target[:chunk])
        probs = [F.softmax(logits, dim=1) for logits in splits]
        # the clamp keeps log(mixture) finite when every split puts ~0 mass on a class
        log_mixture = torch.stack(probs).mean(dim=0).clamp(1e-7, 1.0).log()
        jsd = sum(F.kl_div(log_mixture, p, reduction="batchmean") for p in probs) / len(probs)
        return loss + self.alpha * jsd
