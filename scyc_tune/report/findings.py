"""The paper's three claims, checked against this study's numbers (never written in advance):

1. S-Cyc's max_lr falls inside the oracle's feasible region (Tables 3, 7, 8);
2. S-Cyc is ahead of the best benchmark schedule at low lambda (Table 2);
3. the weight gradients' distribution narrows as the network is pruned (Section 3, Fig. 1).

Every difference or count comes with what it is worth: "inside k of n" says how many seeds
each grid point had and what one validation example is worth; whether the well-tuned max_lr
rises comes with a bootstrap interval of its rank correlation with the cycle; an accuracy
difference is quoted with each side's std over seeds and the number of seeds, and called
*within the noise* when it is no larger than one std (the larger of the two rows' stds over
seeds); the distributions come from one trained network per lambda.
"""

from __future__ import annotations

from scyc_tune.analysis.narrowing import narrowing, series_verdict
from scyc_tune.analysis.trend import trend
from scyc_tune.compare.rows import BENCHMARK, SCYC
from scyc_tune.data.split import split_sizes
from scyc_tune.oracle.load import oracle_seeds
from scyc_tune.oracle.region import allowed_drop
from scyc_tune.report.comparison_table import row_titles
from scyc_tune.report.data import ReportData
from scyc_tune.report.tables import AccuracyCell, AccuracyTable, OracleTable, inside_count
from scyc_tune.study import Study

#: examples in each pooled dataset (the official train + test sets; MNIST-1D is computed)
POOLED_SIZES = {
    "digits": 1797,
    "fashion_mnist": 70_000,
    "cifar10": 60_000,
    "tiny_imagenet": 110_000,
}


def validation_size(study: Study) -> int | None:
    """Validation examples of the study's split (``data.split``'s share of ``num_samples`` or
    of the pooled dataset); None when the pooled size is not known without loading it."""
    data = study.data
    if data.num_samples is not None:
        n = data.num_samples
    elif data.name == "mnist1d":
        n = 10 * (data.mnist1d_samples // 10)  # make_dataset: num_samples // 10 per class
    elif data.name in POOLED_SIZES:
        n = POOLED_SIZES[data.name]
    else:
        return None
    return split_sizes(n, data.split)[1] or None


def oracle_words(study: Study) -> str:
    """'a single-seed oracle (seed 0)' or 'an oracle of 3 seeds (0..2; regions on the means)'."""
    seeds = oracle_seeds(study)
    if len(seeds) == 1:
        return f"a single-seed oracle (seed {study.seed})"
    return f"an oracle of {len(seeds)} seeds ({seeds[0]}..{seeds[-1]}; regions on the means)"


def oracle_noise(data: ReportData) -> str:
    """What a count of cycles inside the feasible region rests on, e.g. "a single-seed oracle
    (seed 0), where one of the 1000 validation examples is worth 0.10 points and the 0.5-point
    tolerance 5 examples"."""
    study = data.study
    words = oracle_words(study)
    n_val = validation_size(study)
    if n_val is None:
        return words
    one = 100 / n_val
    spec = study.oracle
    if spec.tolerance_mode == "points":
        tol, what = spec.tolerance, f"the {spec.tolerance:g}-point tolerance"
    else:
        best = max((t.val_acc for t in data.grid if t.val_acc is not None), default=1.0)
        tol = 100 * allowed_drop(best, spec.tolerance, "relative")
        what = f"the {spec.tolerance:g}% tolerance ({_num(tol, 2)} points at {100 * best:.1f}%)"
    return (
        f"{words}, where one of the {n_val} validation examples is worth {_num(one, 2)} points "
        f"and {what} {tol / one:.3g} examples"
    )


def inside_findings(data: ReportData, table: OracleTable) -> list[str]:
    noise = oracle_noise(data)
    out = []
    for c in table.curves:
        k, n = inside_count(c)
        if n:
            out.append(f"{c.label}: inside the feasible region at {k} of {n} cycles; {noise}.")
    if data.held_out is not None:
        out.append(f"S-Cyc fitted, {data.held_out.sentence()}.")
    return out or ["No oracle cycle has finished: nothing to compare S-Cyc's max_lr with."]


#: a rank correlation's bootstrap interval needs at least this many cycles to mean anything
MIN_TREND_CYCLES = 5


def trend_findings(data: ReportData) -> list[str]:
    """Does the well-tuned max_lr rise as the network is pruned (the paper's premise)?
    Spearman's rho with the cycle and a 95% bootstrap interval over the finished cycles."""
    done = [(a.cycle, a.well_tuned) for a in data.oracle if a.complete]
    if len(done) < 3:
        return []
    words = oracle_words(data.study)
    values = [v for _, v in done]
    if len(set(values)) == 1:
        return [f"The well-tuned max_lr is {values[0]:g} at all {len(done)} finished cycles."]
    t = trend([c for c, _ in done], values, seed=data.study.seed)
    head = f"Spearman's rho of the well-tuned max_lr with the cycle: {t.rho:.2f} over {t.n} cycles"
    if t.n < MIN_TREND_CYCLES or t.low != t.low:  # NaN: most resamples hold one value
        return [f"{head} ({words}); too few cycles for an interval."]
    verdict = {True: "it rises with sparsity", False: "it falls with sparsity",
               None: "the interval holds 0: no trend to tell"}[t.rises]  # fmt: skip
    return [f"{head}, 95% bootstrap interval [{t.low:.2f}, {t.high:.2f}] ({words}): {verdict}."]


def accuracy_findings(data: ReportData, table: AccuracyTable) -> list[str]:
    """Per S-Cyc row, its mean minus the best benchmark's mean at the lowest lambda both
    reached, with both sides' std and seeds and whether it is within the noise; and at how
    many lambdas it is ahead, and at how many of those by more than one std."""
    titles = row_titles(data.comparison)
    rows = {r.label: r for r in table.rows}
    bench = [titles[r.label] for r in data.comparison.plan.rows if r.kind == BENCHMARK]
    out = []
    for r in data.comparison.plan.rows:
        if r.kind != SCYC:
            continue
        row = rows[titles[r.label]]
        ahead, clear, shared = 0, 0, []
        for lam in table.lambdas:
            mine = row.cell(lam)
            others = [(b, rows[b].cell(lam)) for b in bench if rows[b].cell(lam) is not None]
            if mine is None or not others:
                continue
            label, best = max(others, key=lambda o: o[1].mean)
            shared.append((lam, mine, label, best))
            if mine.mean > best.mean:
                ahead += 1
                noise = one_std(mine, best)
                clear += noise is not None and mine.mean - best.mean > noise
        if not shared:
            out.append(f"{row.label}: no lambda where it and a benchmark both finished.")
            continue
        lam, mine, label, best = shared[-1]
        out.append(
            f"{row.label}: {mine.mean - best.mean:+.1f} points against the best benchmark "
            f"({label}) at the lowest lambda ({lam:.3g}): {_cell(mine)} vs {_cell(best)}% "
            f"(mean ± std over {_seeds(mine, best)}), {_verdict(mine, best)}; ahead at "
            f"{ahead} of {len(shared)} lambdas, by more than one std at {clear} of them."
        )
    return out or ["No S-Cyc row in the comparison."]


def one_std(a: AccuracyCell, b: AccuracyCell) -> float | None:
    """The noise an accuracy difference is judged against: the larger of the two cells' std over
    seeds (points); None when either has a single seed."""
    if a.std is None or b.std is None:
        return None
    return max(a.std, b.std)


def _verdict(a: AccuracyCell, b: AccuracyCell) -> str:
    noise = one_std(a, b)
    if noise is None:
        return "a single seed on at least one side: no estimate of the noise"
    if abs(a.mean - b.mean) <= noise:
        return "within one std: within the noise"
    return "more than one std apart"


def _cell(c: AccuracyCell) -> str:
    return f"{c.mean:.1f}" + ("" if c.std is None else f" ± {_num(c.std, 1)}")


def _seeds(a: AccuracyCell, b: AccuracyCell) -> str:
    na, nb = len(a.values), len(b.values)
    if na == nb:
        return f"{na} seed{'s' if na != 1 else ''} each"
    return f"{na} and {nb} seeds"


def _num(x: float, decimals: int) -> str:
    """``x`` with ``decimals`` decimals, or one significant digit where that would show 0."""
    return f"{x:.{decimals}f}" if x == 0 or abs(x) >= 10**-decimals else f"{x:.1g}"


def gradient_findings(data: ReportData, per_lambda: bool = False) -> list[str]:
    """The verdict per kind across lambdas; with ``per_lambda`` also one sentence per pruned
    lambda and kind. Each says it is one trained network per lambda (one seed)."""
    series = data.distributions
    if series is None or len(series.cycles) < 2:
        return ["Distributions: not measured for a pruned network yet."]
    ref = series.cycles[0]
    single = "one trained network per lambda (a single seed: no estimate of the noise)"
    confound = {  # what else differs between the lambdas' networks than the pruning
        "grad": "; the confound: each lambda's network ends its training at its own training "
        "loss and the loss gradients scale with it, so a change of spread mixes the pruning "
        "with how well the pruned network fits",
        "hidden": "; the confound: fewer surviving weights per unit also rescale its inputs, "
        "so a change of spread mixes the pruning with how training re-scaled the weights",
    }
    out = []
    for kind, what, index in (
        ("weight gradients", "grad", 2),
        ("hidden representations", "hidden", 3),
    ):
        pairs = [(c[1], c[index]) for c in series.cycles]
        verdict = series_verdict(pairs, what=what)
        out.append(f"{kind.capitalize()} ({series.source}): {verdict}; {single}{confound[what]}.")
    if per_lambda:
        for what, index in (("grad", 2), ("hidden", 3)):
            out += [
                narrowing(ref[index], c[index], percent_remaining=c[1], what=what).sentence()
                + f" (one network, {c[index].n:,} values)"
                for c in series.cycles[1:]
            ]
    return out
