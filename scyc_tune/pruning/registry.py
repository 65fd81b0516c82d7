"""The pruning-method registry: name -> PruningMethod. A new method is one file plus one line."""

from scyc_tune.pruning import (
    filter_l1,
    global_gradient,
    global_magnitude,
    global_random,
    imp,
    layer_gradient,
    layer_magnitude,
    layer_random,
)
from scyc_tune.pruning.method import PruningMethod

METHODS: dict[str, PruningMethod] = {
    "global_magnitude": global_magnitude.METHOD,
    "layer_magnitude": layer_magnitude.METHOD,
    "global_gradient": global_gradient.METHOD,
    "layer_gradient": layer_gradient.METHOD,
    "global_random": global_random.METHOD,
    "layer_random": layer_random.METHOD,
    "imp": imp.METHOD,
    "filter_l1": filter_l1.METHOD,
}
