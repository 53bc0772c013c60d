"""Randomly drop patch tokens during training (FLIP / PatchDropout), keeping the prefix tokens."""
from __future__ import annotations

from typing import Optional, Tuple, Union

import torch
from torch import nn

__all__ = ["PatchDropout", "patch_dropout_forward"]


def patch_dropout_forward(
    x: torch.Tensor, prob: float, num_prefix_tokens: int, ordered: bool,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Keep a random ``1 - prob`` share (at least one) of the non-prefix tokens of each sample;
    returns the tokens and the kept indices (into the non-prefix tokens)."""
    prefix, x = (x[:, :num_prefix_tokens], x[:, num_prefix_tokens:]) if num_prefix_tokens else (None, x)
    batch, length = x.shape[:2]
    num_keep = max(1, int(length * (1.0 - prob)))
    keep = torch.argsort(torch.randn(batch, length, device=x.device), dim=-1)[:, :num_keep]
    if ordered:
        keep = keep.sort(dim=-1)[0]
    x = x.gather(1, keep.unsqueeze(-1).expand(-1, -1, *x.shape[2:]))
    if prefix is not None:
        x = torch.cat((prefix, x), dim=1)
    return x, keep


class PatchDropout(nn.Module):
    """Liu et al., "PatchDropout: Economizing Vision Transformers Using Patch Dropout", 2022 (arXiv:2208.07220).

    Identity at eval or with ``prob == 0``. With ``return_indices`` the forward returns
    ``(tokens, kept_indices or None)``.
    """

    def __init__(self, prob: float = 0.5, num_prefix_tokens: int = 1, ordered: bool = False,
                 return_indices: bool = False):
        super().__init__()
        if not 0.0 <= prob < 1.0:
            raise ValueError(f"PatchDropout prob must be in [0, 1), got {prob}")
        self.prob = prob
        self.num_prefix_tokens = num_prefix_tokens
        self.ordered = ordered
        self.return_indices = return_indices

    def forward(self, x: torch.Tensor) -> Union[torch.Tensor, Tuple[torch.Tensor, Optional[torch.Tensor]]]:
        if not self.training or self.prob == 0.0:
            return (x, None) if self.return_indices else x
        x, keep = patch_dropout_forward(x, self.prob, self.num_prefix_tokens, self.ordered)
        return (x, keep) if self.return_indices else x
