"""The reductions the multi-label losses here share, named as the reference names them."""
import torch

MULTI_LABEL_REDUCTIONS = ("mean", "batchmean", "sum", "none")


def check_reduction(reduction: str, allowed=MULTI_LABEL_REDUCTIONS) -> str:
    if reduction not in allowed:
        raise ValueError(f"reduction must be one of {', '.join(allowed)}; got {reduction!r}")
    return reduction


def reduce_loss(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    """Reduce a (batch, classes) or (batch,) loss: 'batchmean' sums classes then averages the batch."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "batchmean":
        return (loss.sum(-1) if loss.dim() > 1 else loss).mean()
    return loss


def smooth_binary(target: torch.Tensor, smoothing: float) -> torch.Tensor:
    """Move independent binary targets towards 0.5 by ``smoothing``."""
    return target * (1.0 - smoothing) + 0.5 * smoothing if smoothing else target


def check_dense(x: torch.Tensor, target: torch.Tensor, loss_name: str) -> None:
    if target.shape != x.shape:
        raise ValueError(
            f"{loss_name} takes dense (batch, classes) targets shaped like the logits {tuple(x.shape)}, got "
            f"{tuple(target.shape)}; turn class indices into multi-hot rows first")
