"""Small helpers with no heavy imports: importing this package imports neither torch nor a model."""
from ._assets import sample_image_path

__all__ = ["sample_image_path"]
