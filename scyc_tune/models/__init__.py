"""Networks: `build_model` from a study's ModelSpec, and the names of the weights to prune."""

from scyc_tune.models.init import he_init
from scyc_tune.models.prunable import prunable_names
from scyc_tune.models.registry import MODELS, build_model

__all__ = ["MODELS", "build_model", "he_init", "prunable_names"]
