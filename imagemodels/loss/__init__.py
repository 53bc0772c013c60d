"""Classification losses (timm-compatible names): label smoothing, soft targets, AugMix JSD, BCE, ASL."""
from .cross_entropy import LabelSmoothingCrossEntropy, SoftTargetCrossEntropy
from .jsd import JsdCrossEntropy
from .binary_cross_entropy import BinaryCrossEntropy
from .asymmetric_loss import AsymmetricLossMultiLabel, AsymmetricLossSingleLabel

__all__ = [
    "LabelSmoothingCrossEntropy", "SoftTargetCrossEntropy", "JsdCrossEntropy", "BinaryCrossEntropy",
    "AsymmetricLossMultiLabel", "AsymmetricLossSingleLabel",
]

# drop-in
from .poly import PolyBinaryCrossEntropy, PolyCrossEntropy
from .zlpr import ZlprLoss
from .two_way import TwoWayLoss
from .distribution_balanced import DistributionBalancedLoss
from .factory import LOSS_TYPES, MULTI_LABEL_LOSS_TYPES, create_classification_loss
from .class_weights import (CLASS_WEIGHT_METHOD_KINDS, CLASS_WEIGHT_METHODS, compute_class_weights,
                            load_class_stats, load_class_weights, resolve_class_weights)

__all__ += [
    "PolyCrossEntropy", "PolyBinaryCrossEntropy", "ZlprLoss", "TwoWayLoss", "DistributionBalancedLoss",
    "create_classification_loss", "LOSS_TYPES", "MULTI_LABEL_LOSS_TYPES", "CLASS_WEIGHT_METHODS",
    "CLASS_WEIGHT_METHOD_KINDS", "compute_class_weights", "load_class_stats", "load_class_weights",
    "resolve_class_weights",
]
