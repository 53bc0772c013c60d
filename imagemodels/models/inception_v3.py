"""Inception-v3: factorised 'Inception' blocks (5x5 -> two 3x3, n x n -> 1 x n then n x 1) over a
'valid'-padded stem, with an optional auxiliary classifier on the 17x17 map.
Checkpoint-compatible with timm's ``inception_v3`` module (torchvision's layout; TF and Gluon ports).

Paper: Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015 (arXiv:1512.00567).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from imagemodels.layers import ConvNormAct, create_classifier, factory_kwargs, trunc_normal_

from ._builder import build_model_with_cfg
from ._feature_points import prune_after, run_feature_points
from ._pretrained import (
    IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD, IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD,
    generate_default_cfgs,
)
from ._registry import register_model_deprecations, register_variants

__all__ = ["InceptionV3", "InceptionA", "InceptionB", "InceptionC", "InceptionD", "InceptionE", "InceptionAux"]

ConvFn = Callable[..., nn.Module]


class InceptionA(nn.Module):
    """35x35 block: 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avgpool-1x1 (``pool_features`` wide)."""

    def __init__(self, in_chs: int, pool_features: int, conv: ConvFn):
        super().__init__()
        self.branch1x1 = conv(in_chs, 64, 1)
        self.branch5x5_1 = conv(in_chs, 48, 1)
        self.branch5x5_2 = conv(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = conv(in_chs, 64, 1)
        self.branch3x3dbl_2 = conv(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = conv(96, 96, 3, padding=1)
        self.branch_pool = conv(in_chs, pool_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b5, b3, bp], 1)


class InceptionB(nn.Module):
    """35x35 -> 17x17 reduction: 3x3 s2 | 1x1-3x3-3x3 s2 | maxpool s2."""

    def __init__(self, in_chs: int, conv: ConvFn):
        super().__init__()
        self.branch3x3 = conv(in_chs, 384, 3, stride=2)
        self.branch3x3dbl_1 = conv(in_chs, 64, 1)
        self.branch3x3dbl_2 = conv(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = conv(96, 96, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b3 = self.branch3x3(x)
        bd = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([b3, bd, bp], 1)


class InceptionC(nn.Module):
    """17x17 block with 7x7 convs factorised into 1x7 and 7x1 (``c7`` channels inside)."""

    def __init__(self, in_chs: int, c7: int, conv: ConvFn):
        super().__init__()
        self.branch1x1 = conv(in_chs, 192, 1)
        self.branch7x7_1 = conv(in_chs, c7, 1)
        self.branch7x7_2 = conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = conv(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = conv(in_chs, c7, 1)
        self.branch7x7dbl_2 = conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = conv(c7, 192, (1, 7), padding=(0, 3))
        self.branch_pool = conv(in_chs, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for conv in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            bd = conv(bd)
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b7, bd, bp], 1)


class InceptionD(nn.Module):
    """17x17 -> 8x8 reduction: 1x1-3x3 s2 | 1x1-1x7-7x1-3x3 s2 | maxpool s2."""

    def __init__(self, in_chs: int, conv: ConvFn):
        super().__init__()
        self.branch3x3_1 = conv(in_chs, 192, 1)
        self.branch3x3_2 = conv(192, 320, 3, stride=2)
        self.branch7x7x3_1 = conv(in_chs, 192, 1)
        self.branch7x7x3_2 = conv(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = conv(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = conv(192, 192, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        bp = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([b3, b7, bp], 1)


class InceptionE(nn.Module):
    """8x8 block whose 3x3 branches split into parallel 1x3 and 3x1 convs (expanded filter bank)."""

    def __init__(self, in_chs: int, conv: ConvFn):
        super().__init__()
        self.branch1x1 = conv(in_chs, 320, 1)
        self.branch3x3_1 = conv(in_chs, 384, 1)
        self.branch3x3_2a = conv(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = conv(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = conv(in_chs, 448, 1)
        self.branch3x3dbl_2 = conv(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = conv(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = conv(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = conv(in_chs, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b3, bd, bp], 1)


class InceptionAux(nn.Module):
    """Auxiliary classifier on the 17x17 map: 5x5/3 avg pool, 1x1 conv, 5x5 conv, global pool, linear."""

    def __init__(self, in_chs: int, num_classes: int, conv: ConvFn, device: Any = None, dtype: Any = None):
        super().__init__()
        self.conv0 = conv(in_chs, 128, 1)
        self.conv1 = conv(128, 768, 5)
        self.conv1.stddev = 0.01
        self.fc = nn.Linear(768, num_classes, **factory_kwargs(device, dtype))
        self.fc.stddev = 0.001

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv1(self.conv0(F.avg_pool2d(x, kernel_size=5, stride=3)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class InceptionV3(nn.Module):
    """Inception-v3. With ``aux_logits=True`` the forward returns ``(logits, aux_logits)`` (and
    ``forward_features`` returns ``(features, aux_logits)``), in training and eval alike, as the reference.

    The convs have no padding unless written (the stem and the reductions are 'valid'), so the network
    needs at least 75x75 inputs (about 150x150 with the auxiliary head).
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_chans: int = 3,
        drop_rate: float = 0.0,
        global_pool: str = "avg",
        aux_logits: bool = False,
        norm_layer: Union[str, Callable[..., nn.Module]] = "batchnorm2d",
        norm_eps: float = 1e-3,
        act_layer: Union[str, Callable[..., nn.Module]] = "relu",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self._dd = dd
        self.num_classes = num_classes
        self.in_chans = in_chans
        self.drop_rate = drop_rate
        self.aux_logits = aux_logits
        self.grad_checkpointing = False
        conv = partial(
            ConvNormAct, padding=0, norm_layer=norm_layer, act_layer=act_layer, norm_kwargs=dict(eps=norm_eps), **dd)

        self.Conv2d_1a_3x3 = conv(in_chans, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = conv(32, 32, 3)
        self.Conv2d_2b_3x3 = conv(32, 64, 3, padding=1)
        self.Pool1 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Conv2d_3b_1x1 = conv(64, 80, 1)
        self.Conv2d_4a_3x3 = conv(80, 192, 3)
        self.Pool2 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Mixed_5b = InceptionA(192, pool_features=32, conv=conv)
        self.Mixed_5c = InceptionA(256, pool_features=64, conv=conv)
        self.Mixed_5d = InceptionA(288, pool_features=64, conv=conv)
        self.Mixed_6a = InceptionB(288, conv=conv)
        self.Mixed_6b = InceptionC(768, c7=128, conv=conv)
        self.Mixed_6c = InceptionC(768, c7=160, conv=conv)
        self.Mixed_6d = InceptionC(768, c7=160, conv=conv)
        self.Mixed_6e = InceptionC(768, c7=192, conv=conv)
        self.AuxLogits = InceptionAux(768, num_classes, conv=conv, **dd) if aux_logits else None
        self.Mixed_7a = InceptionD(768, conv=conv)
        self.Mixed_7b = InceptionE(1280, conv=conv)
        self.Mixed_7c = InceptionE(2048, conv=conv)
        self.feature_info = [
            dict(num_chs=64, reduction=2, module="Conv2d_2b_3x3"),
            dict(num_chs=192, reduction=4, module="Conv2d_4a_3x3"),
            dict(num_chs=288, reduction=8, module="Mixed_5d"),
            dict(num_chs=768, reduction=16, module="Mixed_6e"),
            dict(num_chs=2048, reduction=32, module="Mixed_7c"),
        ]

        self.num_features = self.head_hidden_size = 2048
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, pool_type=global_pool, **dd)
        self.head_drop = nn.Dropout(drop_rate)
        self.init_weights()

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                trunc_normal_(m.weight, std=getattr(m, "stddev", 0.1))
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    # --- the model contract -----------------------------------------------------------------------

    def _trunk(self) -> List[Tuple[str, nn.Module]]:
        """The trunk in forward order (the auxiliary head branches off it, so it is not part of it)."""
        return [(n, m) for n, m in self.named_children()
                if n not in ("AuxLogits", "global_pool", "head_drop", "fc")]

    @torch.jit.ignore
    def group_matcher(self, coarse: bool = False) -> Dict[str, Any]:
        blocks = [n for n, _ in self.named_children() if n.startswith("Mixed_") or n == "AuxLogits"]
        return dict(
            stem=[(r"^Conv2d_[12]", (0,)), (r"^Conv2d_[34]", (1,))],
            blocks=[(rf"^{name}\.", (i,)) for i, name in enumerate(blocks)],
        )

    @torch.jit.ignore
    def set_grad_checkpointing(self, enable: bool = True) -> None:
        self.grad_checkpointing = enable

    @torch.jit.ignore
    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: str = "avg") -> None:
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(
            self.num_features, num_classes, pool_type=global_pool, **self._dd)

    def _points(self) -> List[str]:
        return [info["module"] for info in self.feature_info]

    def forward_intermediates(
        self,
        x: torch.Tensor,
        indices: Optional[Union[int, List[int]]] = None,
        norm: bool = False,
        stop_early: bool = False,
        output_fmt: str = "NCHW",
        intermediates_only: bool = False,
    ) -> Union[List[torch.Tensor], Tuple[torch.Tensor, List[torch.Tensor]]]:
        """Maps at ``indices`` of the five feature points in ``feature_info`` (no auxiliary logits)."""
        if output_fmt != "NCHW":
            raise ValueError(f"InceptionV3 feature maps are NCHW only, got output_fmt={output_fmt!r}")
        return run_feature_points(self._trunk(), self._points(), x, indices, stop_early=stop_early,
                                  intermediates_only=intermediates_only)

    def prune_intermediate_layers(
        self, indices: Union[int, List[int]] = 1, prune_norm: bool = False, prune_head: bool = True,
    ) -> List[int]:
        take_indices = prune_after(self, self._points(), indices)
        if not hasattr(self, "fc"):  # the head went with the pruned tail; give back an empty one
            self.num_classes = 0
            self.global_pool, self.fc = create_classifier(self.num_features, 0, pool_type="", **self._dd)
            self.head_drop = nn.Identity()
        elif prune_head:
            self.reset_classifier(0, "")
        self.AuxLogits = None
        self.aux_logits = False
        return take_indices

    def _run(self, modules: List[Tuple[str, nn.Module]], x: torch.Tensor) -> torch.Tensor:
        for _, module in modules:
            if self.grad_checkpointing and not torch.jit.is_scripting():
                x = torch.utils.checkpoint.checkpoint(module, x, use_reentrant=False)
            else:
                x = module(x)
        return x

    def forward_preaux(self, x: torch.Tensor) -> torch.Tensor:
        """The trunk up to the 17x17 map the auxiliary head reads (Mixed_6e)."""
        trunk = self._trunk()
        return self._run(trunk[: [n for n, _ in trunk].index("Mixed_6e") + 1], x)

    def forward_postaux(self, x: torch.Tensor) -> torch.Tensor:
        trunk = self._trunk()
        return self._run(trunk[[n for n, _ in trunk].index("Mixed_6e") + 1:], x)

    def forward_features(self, x: torch.Tensor) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        x = self.forward_preaux(x)
        if self.AuxLogits is not None:
            aux = self.AuxLogits(x)
            return self.forward_postaux(x), aux
        return self.forward_postaux(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head_drop(self.global_pool(x))
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        if self.AuxLogits is not None:
            x, aux = self.forward_features(x)
            return self.forward_head(x), aux
        return self.forward_head(self.forward_features(x))


# --- variants and weight metadata -----------------------------------------------------------------

INCEPTION_V3S: Dict[str, Dict[str, Any]] = {"inception_v3": dict()}


def _cfg(url: str = "", **kwargs: Any) -> Dict[str, Any]:
    cfg = dict(
        url=url, hf_hub_id="timm/", num_classes=1000, input_size=(3, 299, 299), pool_size=(8, 8), crop_pct=0.875,
        interpolation="bicubic", mean=IMAGENET_INCEPTION_MEAN, std=IMAGENET_INCEPTION_STD,
        first_conv="Conv2d_1a_3x3.conv", classifier="fc", license="apache-2.0",
    )
    cfg.update(kwargs)
    return cfg


INCEPTION_V3_WEIGHTS: Dict[str, Dict[str, Any]] = {
    # torchvision's port of the original TF weights
    "inception_v3.tv_in1k": _cfg("https://download.pytorch.org/models/inception_v3_google-1a9a5a14.pth"),
    # TF-slim weights (1001 classes in the original, background row dropped), and adversarially trained
    "inception_v3.tf_in1k": _cfg(),
    "inception_v3.tf_adv_in1k": _cfg(),
    # Gluon CV weights, trained with ImageNet mean/std
    "inception_v3.gluon_in1k": _cfg(mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD),
}

default_cfgs = generate_default_cfgs(INCEPTION_V3_WEIGHTS)


def _drop_unused_aux(state_dict: Dict[str, torch.Tensor], model: InceptionV3) -> Dict[str, torch.Tensor]:
    """The torchvision checkpoint carries the auxiliary head; a model built without one skips it."""
    if model.AuxLogits is None:
        return {k: v for k, v in state_dict.items() if not k.startswith("AuxLogits.")}
    return state_dict


def _create_inception_v3(variant: str, pretrained: bool = False, **kwargs: Any) -> InceptionV3:
    return build_model_with_cfg(InceptionV3, variant, pretrained, pretrained_filter_fn=_drop_unused_aux, **kwargs)


register_variants(INCEPTION_V3S, _create_inception_v3, globals())


# old names (before weight tags existed) -> the name and tag they became
register_model_deprecations(__name__, {
    "tf_inception_v3": "inception_v3.tf_in1k",
    "adv_inception_v3": "inception_v3.tf_adv_in1k",
    "gluon_inception_v3": "inception_v3.gluon_in1k",
})
