"""Patch embedding from a CNN feature map: the "hybrid" ViT input (Dosovitskiy et al., arXiv:2010.11929, 3.1).

A convolutional backbone (a ResNet, or only its stem) turns the image into a feature map; a patchify
conv (``proj``, kernel = stride = ``patch_size``, usually 1) maps it to ``embed_dim`` tokens. The token
grid is the backbone's feature size divided by the patch size. The backbone is built by the caller
and passed in as a module, so this layer does not depend on any model family.
"""
from __future__ import annotations

from typing import Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .format import Format, nchw_to
from .helpers import to_2tuple

__all__ = ["HybridEmbed", "HybridEmbedWithSize"]

Size = Union[int, Tuple[int, int]]


class HybridEmbed(nn.Module):
    """``backbone`` (image -> NCHW map, or a list of maps: the last is used) then ``proj``.

    ``feature_size`` / ``feature_ratio`` (the backbone's output size / stride) are measured with a
    dummy forward when not given. ``proj=False`` uses the backbone's map as the tokens (its width
    must then be ``embed_dim``).
    """

    def __init__(
        self,
        backbone: nn.Module,
        img_size: Optional[Size] = 224,
        patch_size: Size = 1,
        feature_size: Optional[Size] = None,
        feature_ratio: Optional[Size] = None,
        in_chans: int = 3,
        embed_dim: int = 768,
        bias: bool = True,
        proj: bool = True,
        flatten: bool = True,
        output_fmt: Optional[str] = None,
        strict_img_size: bool = True,
        dynamic_img_pad: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        if not isinstance(backbone, nn.Module):
            raise TypeError(f"backbone must be an nn.Module, got {type(backbone).__name__}")
        self.in_chans = in_chans
        self.img_size = to_2tuple(img_size) if img_size is not None else None
        self.patch_size = to_2tuple(patch_size)
        self.backbone = backbone
        self.feature_size, self.feature_ratio, self.feature_dim = self._measure(feature_size, feature_ratio)
        if output_fmt is not None:
            self.flatten = False
            self.output_fmt = Format(output_fmt)
        else:
            self.flatten = flatten
            self.output_fmt = Format.NCHW
        self.strict_img_size = strict_img_size
        self.dynamic_img_pad = dynamic_img_pad
        if not dynamic_img_pad and any(f % p for f, p in zip(self.feature_size, self.patch_size)):
            raise ValueError(f"the backbone's feature size {tuple(self.feature_size)} must be divisible by "
                             f"the patch size {self.patch_size} (or build with dynamic_img_pad=True)")
        self._update_grid()
        if proj:
            self.proj = nn.Conv2d(self.feature_dim, embed_dim, kernel_size=self.patch_size, stride=self.patch_size,
                                  bias=bias, device=device, dtype=dtype)
        else:
            if self.feature_dim != embed_dim:
                raise ValueError(f"proj=False needs a backbone {embed_dim} channels wide, got {self.feature_dim}")
            self.proj = nn.Identity()

    def _backbone_map(self, x: torch.Tensor) -> torch.Tensor:
        x = self.backbone(x)
        return x[-1] if isinstance(x, (list, tuple)) else x

    @torch.no_grad()
    def _measure(self, feature_size: Optional[Size], feature_ratio: Optional[Size]):
        """The backbone's output size, stride and width, by a dummy forward unless all are given."""
        feature_dim = None
        if feature_size is None:
            if self.img_size is None:
                raise ValueError("give feature_size (or img_size) so the token grid is known")
            param = next(self.backbone.parameters(), None)
            device, dtype = (param.device, param.dtype) if param is not None else (None, None)
            was_training = self.backbone.training
            self.backbone.eval()  # a batch of one must not touch the norm statistics
            out = self._backbone_map(torch.zeros(1, self.in_chans, *self.img_size, device=device, dtype=dtype))
            self.backbone.train(was_training)
            feature_size, feature_dim = tuple(out.shape[-2:]), out.shape[1]
        feature_size = to_2tuple(feature_size)
        if feature_ratio is None:
            if self.img_size is None:
                raise ValueError("give feature_ratio (or img_size) so the token stride is known")
            feature_ratio = tuple(s // f for s, f in zip(self.img_size, feature_size))
        if feature_dim is None:
            info = getattr(self.backbone, "feature_info", None)
            if hasattr(info, "channels"):
                feature_dim = info.channels()[-1]
            else:
                feature_dim = getattr(self.backbone, "num_features")
        return feature_size, to_2tuple(feature_ratio), feature_dim

    def _update_grid(self) -> None:
        if self.dynamic_img_pad:
            self.grid_size = tuple(-(-f // p) for f, p in zip(self.feature_size, self.patch_size))
        else:
            self.grid_size = tuple(f // p for f, p in zip(self.feature_size, self.patch_size))
        self.num_patches = self.grid_size[0] * self.grid_size[1]

    def set_input_size(self, img_size: Optional[Size] = None, patch_size: Optional[Size] = None) -> None:
        """Change the expected image size (the patch size of a hybrid stem is fixed)."""
        if patch_size is not None and to_2tuple(patch_size) != self.patch_size:
            raise ValueError("a hybrid embedding's patch size cannot be changed after construction")
        if img_size is not None:
            self.img_size = to_2tuple(img_size)
            self.feature_size = tuple(s // r for s, r in zip(self.img_size, self.feature_ratio))
            self._update_grid()

    def set_grad_checkpointing(self, enable: bool = True) -> None:
        """Pass activation checkpointing on to the backbone, when it supports it."""
        if hasattr(self.backbone, "set_grad_checkpointing"):
            self.backbone.set_grad_checkpointing(enable=enable)
        elif hasattr(self.backbone, "grad_checkpointing"):
            self.backbone.grad_checkpointing = enable

    def feat_ratio(self, as_scalar: bool = True) -> Union[Tuple[int, int], int]:
        """The stride of the token grid in pixels (the larger side when ``as_scalar``)."""
        total = (self.feature_ratio[0] * self.patch_size[0], self.feature_ratio[1] * self.patch_size[1])
        return max(total) if as_scalar else total

    def dynamic_feat_size(self, img_size: Tuple[int, int]) -> Tuple[int, int]:
        """The token grid for an input of ``img_size`` (CNN backbones pad, so their maps round up)."""
        if self.img_size is not None and tuple(img_size) == self.img_size:
            return self.grid_size
        feat = (-(-img_size[0] // self.feature_ratio[0]), -(-img_size[1] // self.feature_ratio[1]))
        if self.dynamic_img_pad:
            return -(-feat[0] // self.patch_size[0]), -(-feat[1] // self.patch_size[1])
        return feat[0] // self.patch_size[0], feat[1] // self.patch_size[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.strict_img_size and self.img_size is not None and tuple(x.shape[-2:]) != self.img_size:
            raise ValueError(f"input size {tuple(x.shape[-2:])} does not match the model's img_size {self.img_size}; "
                             "build the model with this img_size or with dynamic_img_size=True")
        x = self._backbone_map(x)
        if self.dynamic_img_pad:
            pad_h = (self.patch_size[0] - x.shape[-2] % self.patch_size[0]) % self.patch_size[0]
            pad_w = (self.patch_size[1] - x.shape[-1] % self.patch_size[1]) % self.patch_size[1]
            x = F.pad(x, (0, pad_w, 0, pad_h))
        x = self.proj(x)
        if self.flatten:
            return x.flatten(2).transpose(1, 2)  # NCHW -> NLC
        if self.output_fmt != Format.NCHW:
            x = nchw_to(x, self.output_fmt)
        return x


class HybridEmbedWithSize(HybridEmbed):
    """:class:`HybridEmbed` (NLC tokens, any input size) that also returns the token grid ``(H', W')``."""

    def __init__(
        self,
        backbone: nn.Module,
        img_size: Optional[Size] = 224,
        patch_size: Size = 1,
        feature_size: Optional[Size] = None,
        feature_ratio: Optional[Size] = None,
        in_chans: int = 3,
        embed_dim: int = 768,
        bias: bool = True,
        proj: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(
            backbone, img_size=img_size, patch_size=patch_size, feature_size=feature_size,
            feature_ratio=feature_ratio, in_chans=in_chans, embed_dim=embed_dim, bias=bias, proj=proj,
            strict_img_size=False, device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Size]:
        x = self.proj(self._backbone_map(x))
        return x.flatten(2).transpose(1, 2), x.shape[-2:]
