"""Optimizers and the optimizer factory (timm-compatible names).

``create_optimizer_v2(model, 'adamw', lr=1e-3, weight_decay=0.05, layer_decay=0.75)``; ``list_optimizers()``
names every optimizer this package implements. PyTorch's own optimizers are re-exported under the names the
reference uses (``Adam``, ``AdamW``, ``SGD``, ...).
"""
from torch.optim import SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, RAdam, RMSprop

from ._factory import (OptimInfo, create_optimizer, create_optimizer_v2, get_optimizer_class, get_optimizer_info,
                       list_optimizers, optimizer_kwargs)
from ._lr_scale import apply_lr_scale_in_step
from ._param_groups import auto_group_layers, param_groups_layer_decay, param_groups_weight_decay
from .adabelief import AdaBelief
from .adafactor import Adafactor
from .adafactor_bv import AdafactorBigVision
from .adahessian import Adahessian
from .adamp import AdamP
from .adamw import AdamWLegacy
from .adan import Adan
from .adopt import Adopt
from .lamb import Lamb
from .laprop import LaProp
from .lars import Lars
from .lion import Lion
from .lookahead import Lookahead
from .madgrad import MADGRAD
from .mars import Mars
from .nadam import NAdamLegacy
from .nadamw import NAdamW
from .novograd import NvNovoGrad
from .radam import RAdamLegacy
from .rmsprop_tf import RMSpropTF
from .sgdp import SGDP
from .sgdw import SGDW

__all__ = [
    "OptimInfo", "create_optimizer", "create_optimizer_v2", "get_optimizer_class", "get_optimizer_info",
    "list_optimizers", "optimizer_kwargs", "apply_lr_scale_in_step", "auto_group_layers",
    "param_groups_layer_decay", "param_groups_weight_decay", "AdaBelief", "Adafactor", "AdafactorBigVision",
    "Adahessian", "AdamP", "AdamWLegacy", "Adan", "Adopt", "Lamb", "LaProp", "Lars", "Lion", "Lookahead", "MADGRAD",
    "Mars", "NAdamLegacy", "NAdamW", "RAdamLegacy", "NvNovoGrad", "RMSpropTF", "SGDP", "SGDW", "SGD", "Adadelta",
    "Adagrad", "Adam", "Adamax", "AdamW", "NAdam", "RAdam", "RMSprop",
]

# drop-in
from .muon import Muon

__all__ += ["Muon"]
