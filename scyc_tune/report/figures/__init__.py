"""The report's plotly figures, one per file; each takes ReportData and returns a Figure, or
None when there is nothing to draw yet."""

from scyc_tune.report.figures.accuracy import accuracy_figure
from scyc_tune.report.figures.distributions import distribution_figure
from scyc_tune.report.figures.heatmap import oracle_heatmap
from scyc_tune.report.figures.scurve import scurve_figure

__all__ = ["accuracy_figure", "distribution_figure", "oracle_heatmap", "scurve_figure"]
