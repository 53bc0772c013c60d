"""Selective kernel convolution (SKNet): parallel convs of different receptive fields (3x3 and a
dilated 3x3 standing in for 5x5), fused by a softmax attention over the paths.

Li et al., "Selective Kernel Networks", 2019 (arXiv:1903.06586).
"""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Union

import torch
from torch import nn

from .conv_bn_act import ConvNormAct
from .helpers import make_divisible

__all__ = ["SelectiveKernel", "SelectiveKernelAttn"]


class SelectiveKernelAttn(nn.Module):
    """Pooled sum of the paths -> 1x1 reduce -> norm -> act -> 1x1 to one logit per path and
    channel; softmax across the paths."""

    def __init__(
        self,
        channels: int,
        num_paths: int = 2,
        attn_channels: int = 32,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.num_paths = num_paths
        self.fc_reduce = nn.Conv2d(channels, attn_channels, kernel_size=1, bias=False, **dd)
        self.bn = norm_layer(attn_channels, **dd)
        self.act = act_layer(inplace=True)
        self.fc_select = nn.Conv2d(attn_channels, channels * num_paths, kernel_size=1, bias=False, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (B, num_paths, C, H, W) -> weights (B, num_paths, C, 1, 1)."""
        if x.shape[1] != self.num_paths:
            raise ValueError(f"expected {self.num_paths} stacked paths in dim 1, got shape {tuple(x.shape)}")
        x = x.sum(1).mean((2, 3), keepdim=True)
        x = self.fc_select(self.act(self.bn(self.fc_reduce(x))))
        batch, chs, height, width = x.shape
        x = x.view(batch, self.num_paths, chs // self.num_paths, height, width)
        return torch.softmax(x, dim=1)


def _kernel_list(kernel_size: Union[int, Sequence[int], None], keep_3x3: bool, dilation: int):
    kernel_size = list(kernel_size) if isinstance(kernel_size, (list, tuple)) else [kernel_size or 3] * 2
    if keep_3x3:
        # a k x k kernel becomes a 3x3 kernel dilated to the same receptive field (cheaper)
        dilations = [dilation * (k - 1) // 2 for k in kernel_size]
        kernel_size = [3] * len(kernel_size)
    else:
        dilations = [dilation] * len(kernel_size)
    return kernel_size, dilations


class SelectiveKernel(nn.Module):
    """Selective kernel conv: ``len(kernel_size)`` ConvNormAct paths and a :class:`SelectiveKernelAttn`.

    ``split_input`` feeds each path an equal slice of the input channels instead of all of them;
    ``keep_3x3`` replaces large kernels by dilated 3x3s. ``rd_ratio`` / ``rd_divisor`` size the
    attention bottleneck (or ``rd_channels`` outright).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: Optional[int] = None,
        kernel_size: Union[int, Sequence[int], None] = None,
        stride: int = 1,
        dilation: int = 1,
        groups: int = 1,
        rd_ratio: float = 1.0 / 16,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 8,
        keep_3x3: bool = True,
        split_input: bool = True,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        aa_layer: Optional[Callable[..., nn.Module]] = None,
        drop_layer: Optional[Callable[..., nn.Module]] = None,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_channels = out_channels or in_channels
        kernel_size = kernel_size or [3, 5]
        kernel_sizes, dilations = _kernel_list(kernel_size, keep_3x3, dilation)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_paths = len(kernel_sizes)
        self.split_input = split_input
        if split_input:
            if in_channels % self.num_paths:
                raise ValueError(f"split_input needs in_channels ({in_channels}) divisible by {self.num_paths} paths")
            in_channels = in_channels // self.num_paths
        groups = min(out_channels, groups)
        self.paths = nn.ModuleList([
            ConvNormAct(
                in_channels, out_channels, kernel_size=k, stride=stride, dilation=d, groups=groups,
                act_layer=act_layer, norm_layer=norm_layer, aa_layer=aa_layer, drop_layer=drop_layer, **dd)
            for k, d in zip(kernel_sizes, dilations)
        ])
        attn_channels = rd_channels or make_divisible(out_channels * rd_ratio, divisor=rd_divisor)
        self.attn = SelectiveKernelAttn(
            out_channels, self.num_paths, attn_channels, act_layer=act_layer, norm_layer=norm_layer, **dd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.split_input:
            inputs: List[torch.Tensor] = list(torch.split(x, self.in_channels // self.num_paths, 1))
            paths = [path(inp) for path, inp in zip(self.paths, inputs)]
        else:
            paths = [path(x) for path in self.paths]
        x = torch.stack(paths, dim=1)
        return torch.sum(x * self.attn(x), dim=1)
