"""Has a pruned network's distribution narrowed (the S-Cyc paper's Sec. 3 finding)? Judged from
the numbers: the share of |x| beyond the unpruned network's 97th percentile, and the std."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scyc_tune.analysis.distribution import Distribution

JUDGED_LEVEL = 0.97


@dataclass(frozen=True)
class Verdict:
    """tail_ref: share of the reference's values with |x| beyond its own JUDGED_LEVEL quantile
    (about 0.03); tail_now: share of the current values beyond that same threshold; ratio:
    tail_now / tail_ref; std_ratio: current std / reference std. Shares are fractions.
    narrower: tail_now < tail_ref and std_ratio < 1."""

    tail_ref: float
    tail_now: float
    ratio: float
    std_ratio: float
    narrower: bool
    percent_remaining: float | None = None
    what: str = "grad"

    def sentence(self) -> str:
        """E.g. "λ = 12.5: 1.2% of |grad| beyond the unpruned network's 97th percentile (3.0%
        unpruned), std x0.61: narrower"."""
        head = "" if self.percent_remaining is None else f"λ = {_lam(self.percent_remaining)}: "
        return f"{head}{self.numbers()}: {'narrower' if self.narrower else 'not narrower'}"

    def numbers(self) -> str:
        """The measured part of the sentence, without lambda and judgement."""
        return (
            f"{_percent(self.tail_now)} of |{self.what}| beyond the unpruned network's "
            f"{_ordinal(JUDGED_LEVEL)} percentile ({_percent(self.tail_ref)} unpruned), "
            f"std x{self.std_ratio:.2f}"
        )


def narrowing(
    reference: Distribution,
    current: Distribution,
    *,
    percent_remaining: float | None = None,
    what: str = "grad",
) -> Verdict:
    """Compare ``current`` (summarised against ``reference.thresholds``) to the unpruned
    ``reference``. ``percent_remaining`` (lambda) and ``what`` only label the sentence."""
    if current.thresholds != reference.thresholds or current.tail_levels != reference.tail_levels:
        raise ValueError(
            "current was not summarised against the reference's thresholds "
            f"(current {current.thresholds}, reference {reference.thresholds}); "
            "pass reference.thresholds to summarise"
        )
    i = reference.tail_levels.index(JUDGED_LEVEL)
    tail_ref, tail_now = reference.tail[i], current.tail[i]
    if tail_ref <= 0.0 or reference.std <= 0.0:
        raise ValueError(
            f"the reference is degenerate (tail share {tail_ref}, std {reference.std}): "
            "no spread to compare against"
        )
    std_ratio = current.std / reference.std
    return Verdict(
        tail_ref=tail_ref,
        tail_now=tail_now,
        ratio=tail_now / tail_ref,
        std_ratio=std_ratio,
        narrower=tail_now < tail_ref and std_ratio < 1.0,
        percent_remaining=percent_remaining,
        what=what,
    )


def series_verdict(pairs: Sequence[tuple[float, Distribution]], *, what: str = "grad") -> str:
    """Summary across cycles of ``(percent_remaining, Distribution)`` pairs; the pair with the
    largest lambda is the unpruned reference, the others are judged against it. "monotone"
    means neither the tail share nor the std ever rises as lambda falls (reference included),
    e.g. "narrower at 4 of 5 pruned lambdas; monotone: no; sparsest (λ = 2.03): 0.8% of |grad|
    beyond the unpruned network's 97th percentile (3.0% unpruned), std x0.41"."""
    if not pairs:
        raise ValueError("series_verdict needs at least the reference pair, got none")
    ordered = sorted(pairs, key=lambda p: p[0], reverse=True)
    if len(ordered) > 1 and ordered[0][0] == ordered[1][0]:
        raise ValueError(f"two pairs share the largest lambda {ordered[0][0]}: which is unpruned?")
    ref = ordered[0][1]
    verdicts = [narrowing(ref, d, percent_remaining=lam, what=what) for lam, d in ordered[1:]]
    if not verdicts:
        return "no pruned lambdas to compare"
    tails = [verdicts[0].tail_ref, *(v.tail_now for v in verdicts)]
    stds = [1.0, *(v.std_ratio for v in verdicts)]
    monotone = _non_increasing(tails) and _non_increasing(stds)
    narrower = sum(v.narrower for v in verdicts)
    last = verdicts[-1]
    return (
        f"narrower at {narrower} of {len(verdicts)} pruned lambdas; "
        f"monotone: {'yes' if monotone else 'no'}; "
        f"sparsest (λ = {_lam(last.percent_remaining)}): {last.numbers()}"
    )


def _non_increasing(xs: Sequence[float]) -> bool:
    return all(b <= a for a, b in zip(xs, xs[1:], strict=False))


def _lam(percent_remaining: float | None) -> str:
    return f"{percent_remaining:.3g}"


def _percent(share: float) -> str:
    """A fraction as a percent: one decimal, or one significant digit below 0.1%."""
    return f"{share:.1%}" if share == 0.0 or share >= 0.001 else f"{100 * share:.1g}%"


def _ordinal(level: float) -> str:
    k = round(100 * level)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
