"""Image to patch tokens: a conv with kernel = stride = patch size (Dosovitskiy et al., arXiv:2010.11929).

``resample_patch_embed`` changes a trained kernel's patch size the FlexiViT way (Beyer et al.,
arXiv:2212.08013): the new kernel is the one whose response to a resized patch equals the old
kernel's response to the original patch, found with a pseudo-inverse of the resize operator.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .format import Format, nchw_to
from .helpers import to_2tuple

__all__ = ["PatchEmbed", "PatchEmbedWithSize", "PatchEmbedInterpolator", "resample_patch_embed"]

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


def _resample_pinv(
    old_size: Tuple[int, int], new_size: Tuple[int, int], interpolation: str, antialias: bool, device=None,
) -> torch.Tensor:
    """``(new_h * new_w, old_h * old_w)`` matrix taking a flattened kernel to its resampled kernel."""

    def resize(x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x[None, None], size=new_size, mode=interpolation, antialias=antialias)[0, 0]

    num_old = old_size[0] * old_size[1]
    # column j = the resize of the j-th one-hot patch: resize(p).flatten() == resize_mat @ p.flatten()
    basis = torch.eye(num_old, dtype=torch.float32, device=device).reshape(num_old, *old_size)
    resize_mat = torch.stack([resize(b).reshape(-1) for b in basis], dim=1)
    # new kernel w' with <w', resize(p)> = <w, p> for all p: w' = pinv(resize_mat^T) w
    return torch.linalg.pinv(resize_mat.T).T


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

    pinv = _resample_pinv(old_size, new_size, interpolation, antialias, patch_embed.device)
    dtype = patch_embed.dtype
    out_chs, in_chs = patch_embed.shape[:2]
    flat = patch_embed.float().reshape(out_chs * in_chs, -1)
    return (flat @ pinv).reshape(out_chs, in_chs, *new_size).to(dtype)


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


class PatchEmbedInterpolator(nn.Module):
    """Applies a patch embedding trained at ``base_patch_size`` to patches of another size by resampling
    its weight on the fly (FlexiViT's pseudo-inverse resize), for NaFlex-style variable patch sizes.

    Linear mode takes pre-extracted patches ``(B, N, Ph, Pw, C)`` (``(B, N, C, Ph, Pw)`` when not
    ``channels_last``), or ``(B, N, Ph * Pw * C)`` at the base size; the linear weight's per-patch layout
    follows ``channels_last`` too. Conv mode takes an image ``(B, C, H, W)``. Resampling matrices are
    cached per (size, device); :meth:`prewarm` builds them ahead of time.
    """

    def __init__(
        self,
        base_patch_size: Tuple[int, int],
        in_chans: int = 3,
        embed_dim: int = 768,
        interpolation: str = "bicubic",
        antialias: bool = True,
        channels_last: bool = True,
        device=None,
    ) -> None:
        super().__init__()
        self.base_patch_size = to_2tuple(base_patch_size)
        self.in_chans = in_chans
        self.embed_dim = embed_dim
        self.interpolation = interpolation
        self.antialias = antialias
        self.channels_last = channels_last
        self.device = device
        self._cache: Dict[Tuple, torch.Tensor] = {}

    def _apply(self, fn, *args, **kwargs):
        self._cache = {}  # moved / cast: cached matrices are stale
        return super()._apply(fn, *args, **kwargs)

    def _pinv(self, target: Tuple[int, int], device) -> torch.Tensor:
        key = (target, str(device))
        if key not in self._cache:
            self._cache[key] = _resample_pinv(self.base_patch_size, target, self.interpolation, self.antialias, device)
        return self._cache[key]

    def prewarm(self, target_patch_sizes: Iterable[Union[int, Tuple[int, int]]], device=None) -> None:
        """Build the resampling matrices of ``target_patch_sizes`` now (on ``device``, default the
        constructor's device or CPU). Moving the module clears them."""
        device = torch.device(device or self.device or "cpu")
        for size in target_patch_sizes:
            size = to_2tuple(size)
            if size != self.base_patch_size:
                self._pinv(size, device)

    def resample_conv_weight(self, weight: torch.Tensor, target_patch_size: Tuple[int, int]) -> torch.Tensor:
        """``(D, C, ph, pw)`` conv kernel resampled to ``target_patch_size``."""
        target = to_2tuple(target_patch_size)
        if target == tuple(weight.shape[-2:]):
            return weight
        if tuple(weight.shape[-2:]) != self.base_patch_size:  # not the base kernel: no cached matrix fits
            return resample_patch_embed(weight, list(target), self.interpolation, self.antialias)
        out_chs, in_chs = weight.shape[:2]
        flat = weight.float().reshape(out_chs * in_chs, -1)
        return (flat @ self._pinv(target, weight.device)).reshape(out_chs, in_chs, *target).to(weight.dtype)

    def resample_linear_weight(self, weight: torch.Tensor, target_patch_size: Tuple[int, int]) -> torch.Tensor:
        """``(D, ph * pw * C)`` linear weight (per-patch layout per ``channels_last``) resampled."""
        target = to_2tuple(target_patch_size)
        if target == self.base_patch_size:
            return weight
        ph, pw = self.base_patch_size
        dim = weight.shape[0]
        if self.channels_last:
            conv = weight.reshape(dim, ph, pw, self.in_chans).permute(0, 3, 1, 2)
            return self.resample_conv_weight(conv, target).permute(0, 2, 3, 1).reshape(dim, -1)
        conv = weight.reshape(dim, self.in_chans, ph, pw)
        return self.resample_conv_weight(conv, target).reshape(dim, -1)

    def forward(
        self,
        patches: torch.Tensor,
        proj_weight: torch.Tensor,
        proj_bias: Optional[torch.Tensor] = None,
        patch_size: Optional[Tuple[int, int]] = None,
        is_linear: bool = True,
    ) -> torch.Tensor:
        target = to_2tuple(patch_size) if patch_size is not None else self.base_patch_size
        if not is_linear:
            weight = self.resample_conv_weight(proj_weight, target)
            return F.conv2d(patches, weight, proj_bias, stride=target)
        if target == self.base_patch_size:
            if patches.ndim == 5:
                patches = patches.flatten(2)
            return F.linear(patches, proj_weight, proj_bias)
        if patches.ndim != 5:
            raise ValueError("resampling needs 5-D patches: (B, N, Ph, Pw, C), or (B, N, C, Ph, Pw) when not "
                             f"channels_last; got shape {tuple(patches.shape)}")
        weight = self.resample_linear_weight(proj_weight, target)
        return F.linear(patches.flatten(2), weight, proj_bias)
