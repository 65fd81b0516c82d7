"""The distributions behind S-Cyc (paper Sec. 3, Fig. 1): samples of the surviving weights'
gradients and of the hidden representations, their Sturges histograms and tail summaries, and
a computed verdict on whether they narrowed as the network was pruned."""

from scyc_tune.analysis.distribution import (
    QUANTILE_LEVELS,
    TAIL_LEVELS,
    Distribution,
    summarise,
)
from scyc_tune.analysis.histogram import Histogram, sturges, tail_mass
from scyc_tune.analysis.narrowing import JUDGED_LEVEL, Verdict, narrowing, series_verdict
from scyc_tune.analysis.samples import MAX_VALUES, Samples, collect

__all__ = [
    "JUDGED_LEVEL",
    "MAX_VALUES",
    "QUANTILE_LEVELS",
    "TAIL_LEVELS",
    "Distribution",
    "Histogram",
    "Samples",
    "Verdict",
    "collect",
    "narrowing",
    "series_verdict",
    "sturges",
    "tail_mass",
    "summarise",
]
