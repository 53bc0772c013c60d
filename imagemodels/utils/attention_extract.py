"""Pull attention maps (or any other intermediate tensor) out of a model by name, for visualisation."""
from __future__ import annotations

import fnmatch
import re
from typing import Dict, List, Optional

import torch
from torch import nn

__all__ = ["AttentionExtract"]


def _matching(candidates: List[str], patterns: List[str], use_regex: bool) -> List[str]:
    if use_regex:
        compiled = [re.compile(p) for p in patterns]
        return [c for c in candidates if any(p.match(c) for p in compiled)]
    return [c for c in candidates if any(fnmatch.fnmatch(c, p) for p in patterns)]


class AttentionExtract(nn.Module):
    """Calling it on an input returns ``{name: tensor}`` for every graph node (``method='fx'``) or module
    (``method='hook'``) whose name matches ``names`` (fnmatch patterns, or regexes with ``use_regex``).

    The default ``'*attn.softmax'`` finds the attention probabilities of ViT-style blocks; those only
    exist as a separate node when the block does not use fused attention (set ``fused_attn = False``
    on the attention modules, or ``$IMAGEMODELS_FUSED_ATTN=0``). ``mode`` puts the model in
    ``'eval'`` or ``'train'`` mode.
    """

    def __init__(
        self,
        model: nn.Module,
        names: Optional[List[str]] = None,
        mode: str = "eval",
        method: str = "fx",
        hook_type: str = "forward",
        use_regex: bool = False,
    ):
        super().__init__()
        if mode not in ("eval", "train"):
            raise ValueError(f"mode must be 'eval' or 'train', got {mode!r}")
        names = list(names or ["*attn.softmax"])
        if method == "fx":
            from ..models._features_fx import GraphExtractNet, get_graph_node_names

            candidates = get_graph_node_names(model)[0]
            matched = _matching(candidates, names, use_regex)
            if not matched:
                raise RuntimeError(f"no graph node matches {names}; list them with get_graph_node_names(model)")
            self.model = GraphExtractNet(model, matched, return_dict=True)
            self.hooks = None
        elif method == "hook":
            from ..models._features import FeatureHooks

            matched = _matching([n for n, _ in model.named_modules()], names, use_regex)
            if not matched:
                raise RuntimeError(f"no module name matches {names}; list them with model.named_modules()")
            self.model = model
            self.hooks = FeatureHooks(matched, model.named_modules(), default_hook_type=hook_type)
        else:
            raise ValueError(f"method must be 'fx' or 'hook', got {method!r}")
        self.names = matched
        self.model.train(mode == "train")

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        if self.hooks is not None:
            self.model(x)
            return self.hooks.get_output(x.device)
        return self.model(x)
