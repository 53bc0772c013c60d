"""Randomly drop patch tokens during training (FLIP / PatchDropout), keeping the prefix tokens."""
from __future__ import annotations

from typing import Optional, Tuple, Union

import torch
from torch import nn

__all__ = ["PatchDropout", "PatchDropoutWithIndices", "patch_dropout_forward", "apply_keep_indices_nlc"]


def patch_dropout_forward(
    x: torch.Tensor, prob: float, num_prefix_tokens: int, ordered: bool, training: bool,
) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    """Keep a random ``1 - prob`` share (at least one) of the non-prefix tokens of each sample;
    returns the tokens and the kept indices (into the non-prefix tokens).

    Outside training or with ``prob == 0`` the tokens pass through and the indices are None.
    """
    if not training or prob == 0.0:
        return x, None
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


def _check_prob(prob: float) -> None:
    if not 0.0 <= prob < 1.0:
        raise ValueError(f"PatchDropout prob must be in [0, 1), got {prob}")


class PatchDropout(nn.Module):
    """Liu et al., "PatchDropout: Economizing Vision Transformers Using Patch Dropout", 2022 (arXiv:2208.07220).

    Identity at eval or with ``prob == 0``. With ``return_indices`` the forward returns
    ``(tokens, kept_indices or None)``.
    """

    def __init__(self, prob: float = 0.5, num_prefix_tokens: int = 1, ordered: bool = False,
                 return_indices: bool = False):
        super().__init__()
        _check_prob(prob)
        self.prob = prob
        self.num_prefix_tokens = num_prefix_tokens
        self.ordered = ordered
        self.return_indices = return_indices

    def forward(self, x: torch.Tensor) -> Union[torch.Tensor, Tuple[torch.Tensor, Optional[torch.Tensor]]]:
        x, keep = patch_dropout_forward(x, self.prob, self.num_prefix_tokens, self.ordered, self.training)
        return (x, keep) if self.return_indices else x


class PatchDropoutWithIndices(nn.Module):
    """PatchDropout whose forward always returns ``(tokens, kept_indices or None)``, for models that
    must drop the matching rotary / position embeddings too (see :func:`apply_keep_indices_nlc`).

    A separate class rather than a flag so the return type is fixed (TorchScript needs that).
    """

    def __init__(self, prob: float = 0.5, num_prefix_tokens: int = 1, ordered: bool = False):
        super().__init__()
        _check_prob(prob)
        self.prob = prob
        self.num_prefix_tokens = num_prefix_tokens
        self.ordered = ordered

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        return patch_dropout_forward(x, self.prob, self.num_prefix_tokens, self.ordered, self.training)


def apply_keep_indices_nlc(
    x: torch.Tensor, pos_embed: torch.Tensor, keep_indices: torch.Tensor, pos_embed_has_batch: bool = False,
) -> torch.Tensor:
    """Select the kept tokens' rows of a (rotary) position embedding, per sample.

    ``pos_embed`` is ``[..., seq_len, dim]`` with any leading dims (heads, depth); without
    ``pos_embed_has_batch`` it is shared by the batch of ``x`` and gets a batch dim first. The result is
    ``[batch, ..., num_keep, dim]``; ``keep_indices`` is ``[batch, num_keep]``.
    """
    if keep_indices.dim() != 2:
        raise ValueError(f"keep_indices must be (batch, num_keep), got shape {tuple(keep_indices.shape)}")
    batch = x.shape[0]
    if not pos_embed_has_batch:
        pos_embed = pos_embed.unsqueeze(0).expand(batch, *pos_embed.shape)
    # broadcast (batch, num_keep) over the leading dims between batch and seq, and over dim
    middle = pos_embed.dim() - 3
    index = keep_indices.view(batch, *([1] * middle), -1, 1)
    index = index.expand(*pos_embed.shape[:-2], keep_indices.shape[1], pos_embed.shape[-1])
    return pos_embed.gather(-2, index)
