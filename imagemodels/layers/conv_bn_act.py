"""Conv -> norm -> act (-> anti-aliasing) as one module, the stem and body unit of most CNNs."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple, Union

import torch
from torch import nn

from .blur_pool import create_aa
from .create_act import ActLayer
from .create_conv2d import create_conv2d
from .norm_act import get_norm_act_layer

__all__ = ["ConvNormAct", "ConvNormActAa", "ConvBnAct"]


class ConvNormAct(nn.Module):
    """``conv`` then ``bn`` (a fused norm+act) then optional ``aa``.

    With an ``aa_layer`` the conv runs at stride 1 and the anti-aliasing layer does the striding.
    The child names (``conv``, ``bn``, ``aa``) are the checkpoint layout, whatever the norm is.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 1,
        stride: int = 1,
        padding: Union[str, int, Tuple[int, int]] = "",
        dilation: int = 1,
        groups: int = 1,
        bias: bool = False,
        apply_norm: bool = True,
        apply_act: bool = True,
        norm_layer: Union[str, Callable[..., nn.Module]] = nn.BatchNorm2d,
        act_layer: ActLayer = nn.ReLU,
        aa_layer: ActLayer = None,
        drop_layer: Optional[Callable[[], nn.Module]] = None,
        conv_kwargs: Optional[Dict[str, Any]] = None,
        norm_kwargs: Optional[Dict[str, Any]] = None,
        act_kwargs: Optional[Dict[str, Any]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        use_aa = aa_layer is not None and stride > 1
        self.conv = create_conv2d(in_channels, out_channels, kernel_size, stride=1 if use_aa else stride,
                                  padding=padding, dilation=dilation, groups=groups, bias=bias,
                                  **(conv_kwargs or {}), **dd)
        if apply_norm:
            norm_act = get_norm_act_layer(norm_layer, act_layer)
            extra = dict(drop_layer=drop_layer) if drop_layer is not None else {}
            self.bn = norm_act(out_channels, apply_act=apply_act, act_kwargs=act_kwargs, **extra,
                               **(norm_kwargs or {}), **dd)
        else:
            self.bn = nn.Sequential()
            if drop_layer is not None:
                self.bn.add_module("drop", drop_layer())
        self.aa = create_aa(aa_layer, out_channels, stride=stride, enable=use_aa, noop=None)

    @property
    def in_channels(self) -> int:
        return self.conv.in_channels

    @property
    def out_channels(self) -> int:
        return self.conv.out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn(self.conv(x))
        if self.aa is not None:
            x = self.aa(x)
        return x


# older names for the same module
ConvBnAct = ConvNormAct
ConvNormActAa = ConvNormAct
