"""Image to patch tokens: a conv with kernel = stride = patch size (Dosovitskiy et al., arXiv:2010.11929).

``resample_patch_embed`` changes a trained kernel's patch size the FlexiViT way (Beyer et al.,
arXiv:2212.08013): the new kernel is the one whose response to a resized patch equals the old
kernel's response to the original patch, found with a pseudo-inverse of the resize operator.
"""
from __future__ import annotations

from typing import Callable, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .format import Format, nchw_to
from .helpers import to_2tuple

__all__ = ["PatchEmbed", "PatchEmbedWithSize", "resample_patch_embed"]

Size = Union[int, Tuple[int, int]]


class PatchEmbed(nn.Module):
    """``proj`` (patchify conv) then ``norm``. Output is NLC tokens when ``flatten`` (the default), else
    ``output_fmt`` (NCHW unless given). ``img_size=None`` accepts any size divisible by the patch."""

    def __init__(
        self,
        img_size: Optional[Size] = 224,
        patch_size: Size = 16,
        in_chans: int = 3,
        embed_dim: int = 768,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        flatten: bool = True,
        output_fmt: Optional[str] = None,
        bias: bool = True,
        strict_img_size: bool = True,
        dynamic_img_pad: bool = False,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.patch_size = to_2tuple(patch_size)
        self.img_size, self.grid_size, self.num_patches = self._init_img_size(img_size)
        if output_fmt is not None:
            # an explicit format replaces the flatten flag
            self.flatten = False
            self.output_fmt = Format(output_fmt)
        else:
            self.flatten = flatten
            self.output_fmt = Format.NCHW
        self.strict_img_size = strict_img_size
        self.dynamic_img_pad = dynamic_img_pad
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=self.patch_size, stride=self.patch_size, bias=bias, **dd)
        self.norm = norm_layer(embed_dim, **dd) if norm_layer else nn.Identity()

    def _init_img_size(self, img_size: Optional[Size]):
        if img_size is None:
            return None, None, None
        img_size = to_2tuple(img_size)
        grid_size = tuple(s // p for s, p in zip(img_size, self.patch_size))
        return img_size, grid_size, grid_size[0] * grid_size[1]

    def set_input_size(self, img_size: Optional[Size] = None, patch_size: Optional[Size] = None) -> None:
        """Change the expected image size and/or patch size (the kernel is resampled to the new patch)."""
        if patch_size is not None:
            new_patch = to_2tuple(patch_size)
            if new_patch != self.patch_size:
                with torch.no_grad():
                    new_proj = nn.Conv2d(self.proj.in_channels, self.proj.out_channels, kernel_size=new_patch,
                                         stride=new_patch, bias=self.proj.bias is not None,
                                         device=self.proj.weight.device, dtype=self.proj.weight.dtype)
                    new_proj.weight.copy_(resample_patch_embed(self.proj.weight, list(new_patch)))
                    if self.proj.bias is not None:
                        new_proj.bias.copy_(self.proj.bias)
                self.proj = new_proj
                self.patch_size = new_patch
        img_size = img_size or self.img_size
        if img_size != self.img_size or patch_size is not None:
            self.img_size, self.grid_size, self.num_patches = self._init_img_size(img_size)

    def feat_ratio(self, as_scalar: bool = True) -> Union[Tuple[int, int], int]:
        """The stride of the token grid in pixels (the larger side when ``as_scalar``)."""
        return max(self.patch_size) if as_scalar else self.patch_size

    def dynamic_feat_size(self, img_size: Tuple[int, int]) -> Tuple[int, int]:
        """The token grid for an input of ``img_size`` (rounded up when padding dynamically)."""
        if self.dynamic_img_pad:
            return -(-img_size[0] // self.patch_size[0]), -(-img_size[1] // self.patch_size[1])
        return img_size[0] // self.patch_size[0], img_size[1] // self.patch_size[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        height, width = x.shape[-2:]
        if self.img_size is not None:
            if self.strict_img_size:
                if (height, width) != self.img_size:
                    raise ValueError(
                        f"input size ({height}, {width}) does not match the model's img_size {self.img_size}; "
                        "build the model with this img_size or with dynamic_img_size=True")
            elif not self.dynamic_img_pad:
                if height % self.patch_size[0] or width % self.patch_size[1]:
                    raise ValueError(
                        f"input size ({height}, {width}) must be divisible by the patch size {self.patch_size}; "
                        "or build with dynamic_img_pad=True")
        if self.dynamic_img_pad:
            pad_h = (self.patch_size[0] - height % self.patch_size[0]) % self.patch_size[0]
            pad_w = (self.patch_size[1] - width % self.patch_size[1]) % self.patch_size[1]
            x = F.pad(x, (0, pad_w, 0, pad_h))
        x = self.proj(x)
        if self.flatten:
            x = x.flatten(2).transpose(1, 2)  # NCHW -> NLC
        elif self.output_fmt != Format.NCHW:
            x = nchw_to(x, self.output_fmt)
        return self.norm(x)


def resample_patch_embed(
    patch_embed: torch.Tensor,
    new_size: List[int],
    interpolation: str = "bicubic",
    antialias: bool = True,
    verbose: bool = False,
) -> torch.Tensor:
    """Resample an ``(out, in, h, w)`` patch kernel to ``new_size`` (FlexiViT's pseudo-inverse resize)."""
    old_size = tuple(patch_embed.shape[-2:])
    new_size = tuple(new_size)
    if old_size == new_size:
        return patch_embed
    if verbose:
        print(f"resized patch embedding: {old_size} to {new_size}")

    def resize(x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x[None, None], size=new_size, mode=interpolation, antialias=antialias)[0, 0]

    num_old = old_size[0] * old_size[1]
    # column j = the resize of the j-th one-hot patch: resize(p).flatten() == resize_mat @ p.flatten()
    basis = torch.eye(num_old, dtype=torch.float32, device=patch_embed.device).reshape(num_old, *old_size)
    resize_mat = torch.stack([resize(b).reshape(-1) for b in basis], dim=1)
    # new kernel w' with <w', resize(p)> = <w, p> for all p: w' = pinv(resize_mat^T) w
    pinv = torch.linalg.pinv(resize_mat.T)
    dtype = patch_embed.dtype
    out_chs, in_chs = patch_embed.shape[:2]
    flat = patch_embed.float().reshape(out_chs * in_chs, num_old)
    return (flat @ pinv.T).reshape(out_chs, in_chs, *new_size).to(dtype)


class PatchEmbedWithSize(PatchEmbed):
    """:class:`PatchEmbed` that also returns the token grid ``(H', W')`` of each input, for networks that
    accept any image size divisible by the patch (no fixed-size check)."""

    def __init__(
        self,
        img_size: Optional[Size] = 224,
        patch_size: Size = 16,
        in_chans: int = 3,
        embed_dim: int = 768,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        flatten: bool = True,
        output_fmt: Optional[str] = None,
        bias: bool = True,
        device=None,
        dtype=None,
    ):
        super().__init__(
            img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim, norm_layer=norm_layer,
            flatten=flatten, output_fmt=output_fmt, bias=bias, strict_img_size=False, device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Size]:
        height, width = x.shape[-2:]
        if height % self.patch_size[0] or width % self.patch_size[1]:
            raise ValueError(f"input size ({height}, {width}) must be divisible by the patch size {self.patch_size}")
        x = self.proj(x)
        feat_size = x.shape[-2:]
        if self.flatten:
            x = x.flatten(2).transpose(1, 2)
        elif self.output_fmt != Format.NCHW:
            x = nchw_to(x, self.output_fmt)
        return self.norm(x), feat_size
