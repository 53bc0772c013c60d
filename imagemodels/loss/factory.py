"""Build the training criterion from a loss name and the shape of the targets (the reference's
``create_classification_loss``), so a training script picks a loss with one flag."""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn

__all__ = ["LOSS_TYPES", "MULTI_LABEL_LOSS_TYPES", "create_classification_loss"]

LOSS_TYPES = ("ce", "bce", "asl", "poly", "jsd", "twoway", "zlpr", "db")
MULTI_LABEL_LOSS_TYPES = ("bce", "asl", "poly", "twoway", "zlpr", "db")
_WEIGHTED_LOSS_TYPES = ("bce", "asl")  # the losses that take class_weight / pos_weight
_BINARY_TARGET_LOSS_TYPES = ("twoway", "zlpr")  # rank-based: soft or smoothed targets have no meaning

Weights = Union[torch.Tensor, float, Sequence[float], None]


def _as_tensor(weights: Weights) -> Optional[torch.Tensor]:
    return None if weights is None else torch.as_tensor(weights, dtype=torch.float32)


def _check_choice(loss_type: str, multi_label: bool, soft_targets: bool, smoothing: float,
                  has_weights: bool, jsd_splits: int) -> None:
    """Reject combinations the chosen loss cannot honour, naming what to change."""
    if loss_type not in LOSS_TYPES:
        raise ValueError(f"unknown loss type {loss_type!r}; expected one of {', '.join(LOSS_TYPES)}")
    if multi_label and loss_type not in MULTI_LABEL_LOSS_TYPES:
        raise ValueError(f"loss type {loss_type!r} does not take multi-label targets; use one of "
                         f"{', '.join(MULTI_LABEL_LOSS_TYPES)}")
    if not multi_label and loss_type in ("twoway", "zlpr", "db"):
        raise ValueError(f"loss type {loss_type!r} needs multi-label targets; pass multi_label=True")
    if loss_type in _BINARY_TARGET_LOSS_TYPES and (soft_targets or smoothing):
        raise ValueError(f"loss type {loss_type!r} needs binary targets; turn off Mixup/CutMix and smoothing")
    if has_weights and not (loss_type == "bce" or (loss_type == "asl" and multi_label)):
        raise ValueError("class_weight and pos_weight are only taken by 'bce' and multi-label 'asl' losses")
    if loss_type == "asl" and not multi_label and soft_targets:
        raise ValueError("single-label 'asl' needs class index targets; turn off Mixup/CutMix or use multi_label")
    if loss_type == "jsd" and jsd_splits <= 1:
        raise ValueError(f"the 'jsd' loss needs jsd_splits > 1 (the number of augmentation splits), got {jsd_splits}")


def create_classification_loss(
        loss_type: Optional[str] = None,
        multi_label: bool = False,
        smoothing: float = 0.0,
        soft_targets: bool = False,
        class_weight: Weights = None,
        pos_weight: Weights = None,
        bce_target_thresh: Optional[float] = None,
        bce_sum: bool = False,
        asl_gamma_pos: float = 1.0,
        asl_gamma_neg: float = 4.0,
        asl_clip: Optional[float] = 0.05,
        asl_reduction: str = "batchmean",
        poly_epsilon: float = 2.0,
        poly_gamma: float = 0.0,
        poly_alpha: Optional[float] = None,
        jsd_splits: int = 0,
        twoway_tp: float = 4.0,
        twoway_tn: float = 1.0,
        class_counts: Union[torch.Tensor, Sequence[float], None] = None,
        num_samples: Optional[int] = None,
        db_neg_scale: float = 2.0,
        db_init_bias: float = 0.05,
        db_focal_gamma: float = 2.0,
) -> nn.Module:
    """The criterion for ``loss_type`` (one of LOSS_TYPES; None means 'bce' for multi-label, else 'ce').

    ``multi_label``: targets are dense independent binary labels (batch, classes). ``soft_targets``: targets
    come from Mixup/CutMix, which already smoothed them, so ``smoothing`` is then ignored. Arguments prefixed
    ``bce_``, ``asl_``, ``poly_``, ``jsd_``, ``twoway_``, ``db_`` only reach that loss; ``class_weight`` and
    ``pos_weight`` reach 'bce' and multi-label 'asl'; ``class_counts`` and ``num_samples`` are for 'db'.
    """
    from .asymmetric_loss import AsymmetricLossMultiLabel, AsymmetricLossSingleLabel
    from .binary_cross_entropy import BinaryCrossEntropy
    from .cross_entropy import LabelSmoothingCrossEntropy, SoftTargetCrossEntropy
    from .distribution_balanced import DistributionBalancedLoss
    from .jsd import JsdCrossEntropy
    from .poly import PolyBinaryCrossEntropy, PolyCrossEntropy
    from .two_way import TwoWayLoss
    from .zlpr import ZlprLoss

    loss_type = loss_type or ("bce" if multi_label else "ce")
    _check_choice(loss_type, multi_label, soft_targets, smoothing,
                  class_weight is not None or pos_weight is not None, jsd_splits)
    label_smoothing = 0.0 if soft_targets else smoothing
    if loss_type == "ce":
        if soft_targets:
            return SoftTargetCrossEntropy()
        return LabelSmoothingCrossEntropy(smoothing=smoothing) if smoothing else nn.CrossEntropyLoss()
    if loss_type == "bce":
        return BinaryCrossEntropy(
            smoothing=label_smoothing, target_threshold=bce_target_thresh, sum_classes=bce_sum,
            weight=_as_tensor(class_weight), pos_weight=_as_tensor(pos_weight), smooth_dense=multi_label)
    if loss_type == "asl":
        if multi_label:
            return AsymmetricLossMultiLabel(
                gamma_neg=asl_gamma_neg, gamma_pos=asl_gamma_pos, clip=asl_clip, smoothing=label_smoothing,
                reduction=asl_reduction, weight=_as_tensor(class_weight), pos_weight=_as_tensor(pos_weight))
        return AsymmetricLossSingleLabel(gamma_pos=asl_gamma_pos, gamma_neg=asl_gamma_neg, eps=smoothing)
    if loss_type == "poly":
        if multi_label:
            return PolyBinaryCrossEntropy(
                epsilon=poly_epsilon, gamma=poly_gamma, alpha=poly_alpha, smoothing=label_smoothing)
        return PolyCrossEntropy(epsilon=poly_epsilon, smoothing=label_smoothing)
    if loss_type == "jsd":
        return JsdCrossEntropy(num_splits=jsd_splits, smoothing=smoothing)
    if loss_type == "twoway":
        return TwoWayLoss(tp=twoway_tp, tn=twoway_tn)
    if loss_type == "zlpr":
        return ZlprLoss()
    if class_counts is None or num_samples is None:
        raise ValueError("the 'db' loss needs class_counts and num_samples (see compute_class_weights / load_class_stats)")
    return DistributionBalancedLoss(
        class_counts, num_samples, neg_scale=db_neg_scale, init_bias=db_init_bias, focal_gamma=db_focal_gamma,
        smoothing=label_smoothing)
