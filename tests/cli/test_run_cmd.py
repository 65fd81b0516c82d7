"""`scyc-tune run`: oracle, fit, compare, gradients and report end to end on a tiny study, then
a rerun that trains nothing (the `pipeline` fixture, tests/conftest.py, ran it once)."""

import csv
import io
from pathlib import Path


def test_run_ends_with_the_report_path_and_writes_every_file(pipeline):
    out = pipeline.first.stdout.strip().splitlines()
    assert Path(out[-1]) == (pipeline.report_dir / "report.html").resolve()
    # the result itself, in the terminal, just before the path: Table 3's rows
    summary = "\n".join(out[-18:-1])
    assert "the oracle's answer (Table 3)" in summary
    assert "Best val acc (%)" in summary
    assert "Well-tuned max_lr" in summary and "Feasible LR region" in summary
    for step in ("oracle", "fit", "compare", "gradients", "report"):
        assert f"== {step} done in" in pipeline.first.stderr
    names = sorted(p.name for p in pipeline.report_dir.iterdir())
    assert names == [
        "report.html",
        "table2.csv",
        "table2.md",
        "table2.tex",
        "table3.csv",
        "table3.md",
        "table3.tex",
    ]


def test_table2_has_every_row_and_both_seeds(pipeline):
    text = (pipeline.report_dir / "table2.csv").read_text()
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))
        )
    )
    labels = {r["schedule"].split(" (")[0] for r in rows}
    assert labels == {
        "constant LR, tuned",
        "LR-warmup-1",
        "LR-warmup-2",
        "S-Cyc",
        "S-Cyc fitted, in-sample",
        "auto",
        "oracle",
    }
    assert {float(r["lambda"]) for r in rows} == {100.0, 50.0, 25.0}
    assert {r["seeds"] for r in rows} == {"2"}  # every run finished, both seeds
    for r in rows:
        assert 0 <= float(r["mean"]) <= 100
    best = [r for r in rows if r["best"] == "1"]
    assert {float(r["lambda"]) for r in best} == {100.0, 50.0, 25.0}
    assert all(not r["schedule"].startswith("oracle") for r in best)  # a reference, not ranked
    md = (pipeline.report_dir / "table2.md").read_text()
    assert "| schedule | λ = 100 | λ = 50 | λ = 25 |" in md
    assert "**" in md and " ± " in md


def test_table3_marks_the_curves_inside_or_outside(pipeline):
    md = (pipeline.report_dir / "table3.md").read_text()
    assert "Well-tuned max_lr" in md and "Feasible LR region" in md
    assert "S-Cyc (study file)" in md and "S-Cyc (fitted, in-sample)" in md and "| auto |" in md
    assert md.count("✓") + md.count("✗") >= 3 * 3
    tex = (pipeline.report_dir / "table3.tex").read_text()
    assert "\\begin{tabular}" in tex and "\\toprule" in tex


def test_comparison_reuses_the_oracles_trainings(pipeline):
    from scyc_tune.compare.driver import load_comparison
    from scyc_tune.store import OracleDB
    from scyc_tune.study import load_study

    study = load_study(pipeline.root / "study.toml")
    with OracleDB(f"sqlite:///{pipeline.root / 'storage' / 'scyc.db'}") as db:
        sid = db.studies.named("e2e").id
        comp = load_comparison(db, study, sid)
        dists = sorted((d.cycle, d.kind) for d in db.distributions.of(sid, "warm"))
    rows = {r.label: r for r in comp.plan.rows}
    assert list(rows) == [
        "constant", "warm", "lr-warmup-2", "s-cyc", "s-cyc-fitted", "auto", "oracle"
    ]  # fmt: skip
    assert comp.seeds == (3, 4)
    for row in comp.plan.rows:
        for seed in comp.seeds:
            assert len(comp.cycles_of(row, seed)) == 3, (row.label, seed)
    # the oracle row at the study seed is the oracle's own chain: nothing trained for it
    assert all(c.reused for c in comp.cycles_of(rows["oracle"], 3))
    # LR-warmup-2's cycle 0 is the oracle's cycle-0 winner
    assert comp.cycles_of(rows["lr-warmup-2"], 3)[0].reused
    # another seed is another split and initialisation: nothing of the oracle's fits it (a
    # cycle it shares with another row of its own seed, as LR-warmup-2's cycle 0, may be
    # trained by either: which one is a matter of timing)
    own = {c.run_id for c in comp.cycles_of(rows["oracle"], 3)}
    assert not own & {c.run_id for c in comp.cycles_of(rows["oracle"], 4)}
    # the distributions come from the oracle's schedule as written ('warm'), every cycle
    assert dists == [(m, k) for m in range(3) for k in ("hidden", "weight_grad")]


def test_a_rerun_trains_nothing_and_gives_the_same_tables(pipeline):
    before = {p.name: p.read_text() for p in pipeline.report_dir.glob("table*")}
    again = pipeline.run("run", "study.toml")
    assert again.returncode == 0, again.stderr[-3000:]
    assert pipeline.trainings() == pipeline.first_trainings
    assert again.stdout.strip().splitlines()[-1] == pipeline.first.stdout.strip().splitlines()[-1]
    after = {p.name: p.read_text() for p in pipeline.report_dir.glob("table*")}
    assert after == before
    assert "compare: cycles trained 0, loaded " in again.stderr
    assert "oracle: grid points trained 0, loaded 12;" in again.stderr  # 3 cycles x 4 points


def test_the_report_states_the_papers_claims_from_the_numbers(pipeline):
    page = (pipeline.report_dir / "report.html").read_text()
    assert "inside the feasible region at" in page
    assert "points against the best benchmark (" in page and "at the lowest lambda" in page
    assert "seeds" in page and ("within the noise" in page or "apart" in page)
    assert "beyond the unpruned network" in page
    assert "Not in this report yet" not in page  # the whole job ran
    assert page.count("plotly.js v") == 1  # plotly.js inlined once


def test_bad_input_is_a_one_line_usage_error(pipeline, monkeypatch, capsys):
    from scyc_tune.cli.main import main

    monkeypatch.chdir(pipeline.root)
    assert main(["compare", "study.toml", "--seeds", "0"]) == 2
    assert "--seeds 0" in capsys.readouterr().err
    assert main(["report", "nope.toml"]) == 2
    assert "nope.toml" in capsys.readouterr().err


def test_report_seeds_match_the_comparisons(pipeline, monkeypatch, capsys, tmp_path):
    from scyc_tune.cli.main import main

    monkeypatch.chdir(pipeline.root)
    assert main(["report", "study.toml", "--seeds", "1", "--out", str(tmp_path)]) == 0
    lines = [
        line
        for line in (tmp_path / "table2.csv").read_text().splitlines()
        if not line.startswith("#")
    ]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert rows and {r["seeds"] for r in rows} == {"1"}
    assert main(["report", "study.toml", "--seeds", "0"]) == 2
