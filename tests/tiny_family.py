"""A throwaway model family for CLI tests: registers ``toynet`` and ``toynet_wide`` on import.

It lives outside ``imagemodels.models`` so it never enters the manifest; tests import it (in
process, or with ``-c "import tiny_family"`` in a subprocess) to have models before any real family
has landed.
"""
import torch
from torch import nn

from imagemodels.models import build_model_with_cfg, generate_default_cfgs, register_model


class TinyNet(nn.Module):
    """Three stride-2 convs and a linear head: feature maps at reductions 2, 4 and 8."""

    def __init__(self, num_classes: int = 1000, in_chans: int = 3, width: int = 8):
        super().__init__()
        self.num_classes = num_classes
        self.stem = nn.Sequential(nn.Conv2d(in_chans, width, 3, stride=2, padding=1), nn.ReLU())
        self.layer1 = nn.Sequential(nn.Conv2d(width, width * 2, 3, stride=2, padding=1), nn.ReLU())
        self.layer2 = nn.Sequential(nn.Conv2d(width * 2, width * 4, 3, stride=2, padding=1), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width * 4, num_classes)
        self.feature_info = [
            dict(num_chs=width, reduction=2, module="stem"),
            dict(num_chs=width * 2, reduction=4, module="layer1"),
            dict(num_chs=width * 4, reduction=8, module="layer2"),
        ]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(self.pool(x).flatten(1))


default_cfgs = generate_default_cfgs({
    "toynet.fake_in1k": dict(hf_hub_id="imagemodels-test/does-not-exist", top1=12.5, crop_pct=0.9, interpolation="bilinear"),
    "toynet.untrained": dict(input_size=(3, 64, 64)),
    "toynet_wide": dict(input_size=(3, 96, 96), num_classes=10, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)),
})


def _create(variant, pretrained=False, **kwargs):
    return build_model_with_cfg(TinyNet, variant, pretrained, feature_cfg=dict(out_indices=(0, 1, 2)), **kwargs)


@register_model
def toynet(pretrained=False, **kwargs):
    return _create("toynet", pretrained, **kwargs)


@register_model
def toynet_wide(pretrained=False, **kwargs):
    return _create("toynet_wide", pretrained, width=16, **kwargs)
