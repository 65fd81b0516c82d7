"""Iterative Magnitude Pruning (Frankle and Carbin 2019): global magnitude pruning, after which
the engine rewinds the surviving weights to their initial values (or to those saved at
iteration `spec.rewind_iteration` of cycle 0) with `scyc_tune.pruning.rewind`."""

from scyc_tune.pruning import global_magnitude
from scyc_tune.pruning.method import PruningMethod

METHOD = PruningMethod(prune=global_magnitude.prune, rewinds=True)
