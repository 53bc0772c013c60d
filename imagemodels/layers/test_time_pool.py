"""Test-time pooling: evaluate a CNN on images larger than it was trained on without blurring its head.

The classifier is turned into a 1x1 convolution and slid over the feature map after an average pool
with the training-size window (``original_pool``), giving one logit map; its average and its max
are averaged. On larger test images this scores a little better than plain global pooling, which
averages features over an area the head never saw at training time.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Tuple

import torch
from torch import nn
from torch.nn import functional as F

from .adaptive_avgmax_pool import adaptive_avgmax_pool2d

__all__ = ["TestTimePoolHead", "apply_test_time_pool"]

_logger = logging.getLogger(__name__)


class TestTimePoolHead(nn.Module):
    """Wraps ``base`` (which must have ``forward_features``, ``get_classifier`` and ``reset_classifier``)."""

    def __init__(self, base: nn.Module, original_pool: int = 7):
        super().__init__()
        self.base = base
        self.original_pool = original_pool
        head = base.get_classifier()
        if isinstance(head, nn.Conv2d):
            self.fc = head
        else:  # a Linear head becomes the 1x1 conv with the same weights
            self.fc = nn.Conv2d(head.in_features, head.out_features, kernel_size=1, bias=head.bias is not None)
            with torch.no_grad():
                self.fc.weight.copy_(head.weight.reshape(self.fc.weight.shape))
                if head.bias is not None:
                    self.fc.bias.copy_(head.bias)
        base.reset_classifier(0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.base.forward_features(x)
        x = F.avg_pool2d(x, kernel_size=self.original_pool, stride=1)
        x = adaptive_avgmax_pool2d(self.fc(x), 1)
        return x.flatten(1)


def apply_test_time_pool(model: nn.Module, config: Dict[str, Any], use_test_size: bool = False) -> Tuple[nn.Module, bool]:
    """``(model wrapped in TestTimePoolHead, True)`` when ``config['input_size']`` is larger than the
    weights' training size in both height and width, else ``(model, False)``."""
    cfg = getattr(model, "pretrained_cfg", None)
    if cfg is None or use_test_size:
        return model, False
    trained = getattr(cfg, "input_size", None) if not isinstance(cfg, dict) else cfg.get("input_size")
    pool = getattr(cfg, "pool_size", None) if not isinstance(cfg, dict) else cfg.get("pool_size")
    if trained is None or pool is None:
        return model, False
    height, width = config["input_size"][-2:]
    if height > trained[-2] and width > trained[-1]:
        _logger.info("test-time pooling: %s over a training window of %s", tuple(config["input_size"][-2:]), pool)
        return TestTimePoolHead(model, original_pool=pool), True
    return model, False
