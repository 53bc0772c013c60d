"""Learning-rate schedulers (timm-compatible names): stateless functions of the epoch / update index."""
from .cosine_lr import CosineLRScheduler
from .multistep_lr import MultiStepLRScheduler
from .plateau_lr import PlateauLRScheduler
from .poly_lr import PolyLRScheduler
from .scheduler import Scheduler
from .scheduler_factory import SCHEDULERS, create_scheduler, create_scheduler_v2, scheduler_kwargs
from .step_lr import StepLRScheduler
from .tanh_lr import TanhLRScheduler
from .wsd_lr import WSDLRScheduler

__all__ = [
    "CosineLRScheduler", "MultiStepLRScheduler", "PlateauLRScheduler", "PolyLRScheduler", "Scheduler",
    "StepLRScheduler", "TanhLRScheduler", "WSDLRScheduler", "create_scheduler", "create_scheduler_v2",
    "scheduler_kwargs", "SCHEDULERS",
]
