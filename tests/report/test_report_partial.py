"""`scyc-tune report` on a study that is only partly run: it renders what exists and says
what is missing (no Ray, no training: a synthetic oracle of 2 of 3 cycles)."""

STUDY = """
name = "partial"
seed = 0
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [8]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 3
[training]
iterations = 20
batch_size = 32
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 15
d = "Nil"
[schedules.s-cyc]
type = "scyc"
epsilon = 0.04
delta = 0.04
q = 0
beta = 3
b = 5
c = 15
d = "Nil"
[oracle]
grid = [0.02, 0.04, 0.08]
"""


def test_a_partial_study_renders_and_lists_what_is_missing(tmp_path, monkeypatch, capsys):
    from scyc_tune.cli.main import main
    from scyc_tune.store import OracleDB
    from scyc_tune.store.answer import OracleAnswer, Region

    (tmp_path / "study.toml").write_text(STUDY)
    url = f"sqlite:///{tmp_path / 'scyc.db'}"
    with OracleDB(url) as db:
        sid = db.studies.upsert("partial", STUDY, "0" * 64)
        for m, best in enumerate((0.04, 0.08)):
            row = db.oracle.upsert_cycle(sid, m, 100 * 0.5**m, f"{m:064x}")
            region = Region(best, 0.5, (0.04, best), True)
            db.oracle.finish_cycle(row.id, OracleAnswer(m, row.percent_remaining, (), region))
    monkeypatch.chdir(tmp_path)
    assert main(["report", "study.toml", "--storage", url]) == 0
    done = capsys.readouterr()
    html_path = tmp_path / "storage" / "reports" / "partial" / "report.html"
    assert done.out.strip() == str(html_path.resolve())
    page = html_path.read_text()
    assert "Not in this report yet" in page
    assert "oracle: 2 of 3 cycles finished" in page
    assert "S-Cyc fitted to the oracle: not run" in page
    assert "comparison: 0 of" in page
    assert "distributions (oracle): 0 of 3 cycles" in page
    assert "missing: oracle: 2 of 3 cycles finished" in done.err
    t3 = (html_path.parent / "table3.md").read_text()
    assert "[4, 8]" in t3  # the finished cycles are there, in hundredths
    assert "Not run yet: λ = 25" in t3
    t2 = (html_path.parent / "table2.md").read_text()
    assert "Not run yet" in t2
    # the S-curve still draws from the study file's parameters, the heat map has no trials
    assert "S-Cyc: max_lr vs pruning cycle" in page


def test_a_study_with_nothing_stored_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from scyc_tune.cli.main import main

    (tmp_path / "study.toml").write_text(STUDY)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "study.toml", "--storage", f"sqlite:///{tmp_path / 'scyc.db'}"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "has nothing in" in lines[0] and "scyc-tune run" in lines[0]
