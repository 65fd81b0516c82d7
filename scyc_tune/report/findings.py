"""The paper's three claims, checked against this study's numbers (never written in advance):

1. S-Cyc's max_lr falls inside the oracle's feasible region (Tables 3, 7, 8);
2. S-Cyc is ahead of the best benchmark schedule at low lambda (Table 2);
3. the weight gradients' distribution narrows as the network is pruned (Section 3, Fig. 1).
"""

from __future__ import annotations

from scyc_tune.analysis.narrowing import narrowing, series_verdict
from scyc_tune.compare.rows import BENCHMARK, SCYC
from scyc_tune.report.comparison_table import row_titles
from scyc_tune.report.data import ReportData
from scyc_tune.report.tables import AccuracyTable, OracleTable, inside_count


def inside_findings(table: OracleTable) -> list[str]:
    out = []
    for c in table.curves:
        k, n = inside_count(c)
        if n:
            out.append(f"{c.label}: inside the feasible region at {k} of {n} cycles.")
    return out or ["No oracle cycle has finished: nothing to compare S-Cyc's max_lr with."]


def accuracy_findings(data: ReportData, table: AccuracyTable) -> list[str]:
    """Per S-Cyc row, its mean minus the best benchmark's mean at the lowest lambda both
    reached, and at how many lambdas it is ahead."""
    titles = row_titles(data.comparison)
    rows = {r.label: r for r in table.rows}
    bench = [titles[r.label] for r in data.comparison.plan.rows if r.kind == BENCHMARK]
    out = []
    for r in data.comparison.plan.rows:
        if r.kind != SCYC:
            continue
        row = rows[titles[r.label]]
        ahead, shared = 0, []
        for lam in table.lambdas:
            mine = row.cell(lam)
            others = [rows[b].cell(lam) for b in bench if rows[b].cell(lam) is not None]
            if mine is None or not others:
                continue
            best = max(c.mean for c in others)
            shared.append((lam, mine.mean - best))
            ahead += mine.mean > best
        if not shared:
            out.append(f"{row.label}: no lambda where it and a benchmark both finished.")
            continue
        lam, diff = shared[-1]
        out.append(
            f"{row.label}: {diff:+.1f} points against the best benchmark at the lowest lambda "
            f"({lam:.3g}); ahead at {ahead} of {len(shared)} lambdas."
        )
    return out or ["No S-Cyc row in the comparison."]


def gradient_findings(data: ReportData, per_lambda: bool = False) -> list[str]:
    """The verdict per kind across lambdas; with ``per_lambda`` also one sentence per pruned
    lambda and kind."""
    series = data.distributions
    if series is None or len(series.cycles) < 2:
        return ["Distributions: not measured for a pruned network yet."]
    ref = series.cycles[0]
    out = []
    for kind, what, index in (
        ("weight gradients", "grad", 2),
        ("hidden representations", "hidden", 3),
    ):
        pairs = [(c[1], c[index]) for c in series.cycles]
        out.append(f"{kind.capitalize()} ({series.source}): {series_verdict(pairs, what=what)}.")
    if per_lambda:
        for what, index in (("grad", 2), ("hidden", 3)):
            out += [
                narrowing(ref[index], c[index], percent_remaining=c[1], what=what).sentence()
                for c in series.cycles[1:]
            ]
    return out
