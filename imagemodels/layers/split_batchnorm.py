"""Split BatchNorm (AugMix, Hendrycks et al., 2020): with ``num_splits`` augmentation views stacked in one
batch, the clean first view is normalised by the main BN and each augmented view by its own auxiliary
BN, so strong augmentations do not skew the statistics used at evaluation (the main BN's).
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["SplitBatchNorm2d", "convert_splitbn_model"]


class SplitBatchNorm2d(nn.BatchNorm2d):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, num_splits=2,
                 device=None, dtype=None):
        dd = dict(device=device, dtype=dtype)
        super().__init__(num_features, eps, momentum, affine, track_running_stats, **dd)
        if num_splits < 2:
            raise ValueError(f"SplitBatchNorm2d needs num_splits >= 2, got {num_splits}")
        self.num_splits = num_splits
        self.aux_bn = nn.ModuleList(
            nn.BatchNorm2d(num_features, eps, momentum, affine, track_running_stats, **dd)
            for _ in range(num_splits - 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:  # evaluation sees clean images: the main statistics only
            return super().forward(x)
        if x.shape[0] % self.num_splits:
            raise ValueError(f"batch of {x.shape[0]} does not split into {self.num_splits} equal views")
        views = x.chunk(self.num_splits)
        out = [super().forward(views[0])] + [bn(v) for bn, v in zip(self.aux_bn, views[1:])]
        return torch.cat(out)


def convert_splitbn_model(module: nn.Module, num_splits: int = 2) -> nn.Module:
    """Replace every BatchNorm2d in ``module`` by a SplitBatchNorm2d that starts from its state."""
    if isinstance(module, nn.BatchNorm2d) and not isinstance(module, SplitBatchNorm2d):
        split = SplitBatchNorm2d(module.num_features, module.eps, module.momentum, module.affine,
                                 module.track_running_stats, num_splits=num_splits)
        state = module.state_dict()
        split.load_state_dict(state, strict=False)  # its own aux_bn.* keys are filled just below
        for bn in split.aux_bn:
            bn.load_state_dict(state)
        return split
    for name, child in module.named_children():
        new = convert_splitbn_model(child, num_splits)
        if new is not child:
            setattr(module, name, new)
    return module
