"""Classification losses (timm-compatible names): label smoothing, soft targets, AugMix JSD, BCE, ASL."""
from .cross_entropy import LabelSmoothingCrossEntropy, SoftTargetCrossEntropy
from .jsd import JsdCrossEntropy
from .binary_cross_entropy import BinaryCrossEntropy
from .asymmetric_loss import AsymmetricLossMultiLabel, AsymmetricLossSingleLabel

__all__ = [
    "LabelSmoothingCrossEntropy", "SoftTargetCrossEntropy", "JsdCrossEntropy", "BinaryCrossEntropy",
    "AsymmetricLossMultiLabel", "AsymmetricLossSingleLabel",
]
