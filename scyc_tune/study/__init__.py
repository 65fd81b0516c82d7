"""The study file: typed schema (single source of truth) and its loader."""

from scyc_tune.study.load import load_study, parse_study
from scyc_tune.study.schema import Study
from scyc_tune.study.specs import DataSpec, ModelSpec, PruningSpec, TrainingSpec

__all__ = [
    "DataSpec",
    "ModelSpec",
    "PruningSpec",
    "Study",
    "TrainingSpec",
    "load_study",
    "parse_study",
]
