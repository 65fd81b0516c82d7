"""`gradients`: measure and store, at the end of training in each cycle, the distribution of
the surviving weights' gradients and of the hidden representations (Section 3, Fig. 1).

The trained states come from a *source*: the oracle's winner of each cycle ('oracle'), or a
comparison row at the study seed (its label). The default is the oracle's schedule as written
in the study file (the same max_lr every cycle, so only pruning differs between cycles), else
the oracle. Cycle 0 (the unpruned network) is the reference whose |x| quantiles set the tail
thresholds of every cycle. A distribution is measured once per trained state and stored in
``scyc_distributions``; a rerun measures only what is new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scyc_tune.analysis.distribution import Distribution, summarise
from scyc_tune.analysis.samples import collect
from scyc_tune.errors import ScycError
from scyc_tune.store import ArtifactStore, OracleDB
from scyc_tune.store.blobs import shown
from scyc_tune.store.entries import DistributionEntry
from scyc_tune.study import Study

KINDS = ("weight_grad", "hidden")


@dataclass(frozen=True)
class CycleDistributions:
    cycle: int
    percent_remaining: float
    weight_grad: Distribution
    hidden: Distribution


def trained_states(db: OracleDB, study: Study, study_id: int, source: str) -> list[tuple]:
    """(cycle, lambda, artifact key) of the trained state at the end of each stored cycle of
    ``source``, in order, up to the first missing one."""
    if source == "oracle":
        out = []
        for c in db.oracle.cycles_of(study_id):
            if c.status != "complete" or c.best_run_id is None:
                break
            best = db.oracle.trials_for([c.best_run_id]).get(c.best_run_id)
            if best is None or best.artifact is None:
                break
            out.append((c.cycle, c.percent_remaining, best.artifact))
        return out
    from scyc_tune.compare.driver import load_comparison

    comp = load_comparison(db, study, study_id, seeds=1)
    rows = [r for r in comp.plan.rows if r.label == source]
    if not rows:
        labels = ", ".join(["oracle", *(r.label for r in comp.plan.rows)])
        raise ScycError(f"no source {source!r} in study {study.name!r}; sources: {labels}")
    return [
        (r.cycle, r.percent_remaining, r.artifact)
        for r in comp.cycles_of(rows[0], study.seed)
        if r.artifact is not None
    ]


def default_source(db: OracleDB, study: Study, study_id: int) -> str:
    """The oracle's schedule as written, when the comparison has run it, else the oracle."""
    label = study.oracle_label
    if label is None:
        return "oracle"
    try:
        states = trained_states(db, study, study_id, label)
    except ScycError:
        return "oracle"
    return label if states else "oracle"


def record_distributions(
    db: OracleDB,
    study: Study,
    study_id: int,
    artifact_dir: str | Path,
    source: str,
    *,
    num_batches: int = 8,
    on_cycle: Callable[[int, int, bool], None] | None = None,
) -> list[CycleDistributions]:
    """Measure (or load) the distributions of every stored cycle of ``source``.
    ``on_cycle(done, total, measured_now)`` follows the progress."""
    states = trained_states(db, study, study_id, source)
    if not states:
        raise ScycError(
            f"study {study.name!r} has no trained cycle from {source!r} in {db.url}: run "
            f"`scyc-tune {'oracle' if source == 'oracle' else 'compare'}` first"
        )
    if states[0][0] != 0:
        raise ScycError(f"{source!r} has no cycle 0 (the unpruned reference) stored")
    store = ArtifactStore(artifact_dir)
    stored = {(d.cycle, d.kind): d for d in db.distributions.of(study_id, source)}
    reference: dict[str, Distribution] = {}
    out = []
    for i, (m, lam, artifact) in enumerate(states):
        have = [stored.get((m, k)) for k in KINDS]
        fresh = all(d is not None and d.artifact == artifact for d in have)
        if fresh and (m == 0 or all(_same_reference(d, reference) for d in have)):
            dists = {d.kind: Distribution.from_dict(d.stats) for d in have}
        else:
            if not store.exists(artifact):
                raise ScycError(
                    f"trained state {artifact[:12]} of {source!r} cycle {m} is missing from "
                    f"{shown(store.root)}; use the --artifacts the runs wrote to"
                )
            samples = collect(
                store.get(artifact),
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
                num_batches=num_batches,
            )
            values = {"weight_grad": samples.grads, "hidden": samples.hidden}
            counts = {"weight_grad": samples.grads_count, "hidden": samples.hidden_count}
            dists = {
                k: summarise(
                    values[k],
                    None if m == 0 else reference[k].thresholds,
                    n=counts[k],
                )
                for k in KINDS
            }
            for k in KINDS:
                db.distributions.save(
                    study_id, DistributionEntry(source, m, k, lam, artifact, dists[k].to_dict())
                )
        if m == 0:
            reference = dists
        out.append(CycleDistributions(m, lam, dists["weight_grad"], dists["hidden"]))
        if on_cycle:
            on_cycle(i + 1, len(states), not fresh)
    return out


def _same_reference(row, reference: dict[str, Distribution]) -> bool:
    ref = reference.get(row.kind)
    return ref is not None and tuple(row.stats["thresholds"]) == ref.thresholds
