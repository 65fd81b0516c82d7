"""`--set KEY=VALUE` and the short flags that alias a study field: merged into the study file's
tables before validation, so pydantic is the one validator; errors name the flag typed."""

import re
import tomllib
from pathlib import Path

import pytest

from scyc_tune.cli.flags import ALIASES, study_field
from scyc_tune.cli.main import build_parser, main
from scyc_tune.cli.study_arg import load_args
from scyc_tune.study import Study
from scyc_tune.study.schema import Study as Schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def study(tmp_path, monkeypatch):
    from tests.conftest import PIPELINE_STUDY

    (tmp_path / "study.toml").write_text(PIPELINE_STUDY)
    monkeypatch.chdir(tmp_path)
    return "study.toml"


def loaded(*argv) -> Study:
    return load_args(build_parser().parse_args(list(argv)))


def test_set_changes_nested_fields_of_the_validated_study(study):
    s = loaded(
        "oracle",
        study,
        "--set",
        "oracle.max_concurrent=2",
        "--set",
        "training.iterations=300",
        "--set",
        "pruning.cycles=2",
        "--set",
        "schedules.warm.a=0.07",
        "--set",
        "training.device=cpu",  # not TOML: the raw string
        "--set",
        "oracle.grid=[0.01, 0.03]",
    )
    assert s.oracle.max_concurrent == 2
    assert s.training.iterations == 300 and s.training.batch_size == 32  # the rest as written
    assert s.pruning.cycles == 2
    assert s.schedules["warm"].a == pytest.approx(0.07)
    assert s.training.device == "cpu"
    assert s.oracle.grid_values() == [0.01, 0.03]
    assert loaded("oracle", study).oracle.max_concurrent is None  # the file is unchanged


def test_the_last_override_of_a_field_wins(study):
    s = loaded("compare", study, "--seeds", "4", "--set", "compare.seeds=5")
    assert s.compare.seeds == 5
    assert loaded("compare", study, "--set", "compare.seeds=5", "--seeds", "4").compare.seeds == 4


@pytest.mark.parametrize(
    ("argv", "same"),
    [
        (["oracle", "--max-concurrent", "3"], "oracle.max_concurrent=3"),
        (["oracle", "--cycles", "2"], "pruning.cycles=2"),
        (["oracle", "--cpus-per-trial", "2"], "oracle.cpus_per_trial=2"),
        (["oracle", "--gpus-per-trial", "0.5"], "oracle.gpus_per_trial=0.5"),
        (["oracle", "--asha"], "oracle.asha=true"),
        (["oracle", "--grid", "0.01:0.03:3"], "oracle.grid=0.01:0.03:3"),
        (["fit", "--mode", "oracle", "--trials", "7"], "fit.oracle_trials=7"),
        (["fit", "--trials", "7", "--mode", "accuracy"], "fit.accuracy_trials=7"),
        (["fit", "--mode", "accuracy", "--max-concurrent", "2"], "fit.max_concurrent=2"),
        (["compare", "--max-concurrent", "2"], "compare.max_concurrent=2"),
        (["compare", "--seeds", "1"], "compare.seeds=1"),
        (["report", "--seeds", "1"], "compare.seeds=1"),
        (["run", "--seeds", "1"], "compare.seeds=1"),
        (["prune", "--cycles", "1"], "pruning.cycles=1"),
        (["prune", "--device", "cpu"], "training.device=cpu"),
    ],
)
def test_an_alias_and_set_of_its_field_agree(study, argv, same):
    command, *flags = argv
    by_alias = loaded(command, study, *flags)
    rest = [f for f in flags if f in ("--mode", "oracle", "accuracy")]
    by_set = loaded(command, study, *rest, "--set", same)
    assert by_alias == by_set
    assert by_alias != loaded(command, study, *rest)


def test_every_alias_names_a_field_of_the_schema():
    for aliases in ALIASES.values():
        for alias in aliases:
            keys = [alias.key.format(mode=m) for m in ("oracle", "accuracy")]
            for key in keys:
                assert study_field(key) is not None, (alias.flag, key)


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


def test_an_unknown_key_is_exit_2_one_line_naming_it(study, capsys):
    assert main(["oracle", study, "--set", "oracle.max_concurent=2"]) == 2
    err = one_error(capsys)
    assert err.startswith("scyc-tune: error: study.toml: --set oracle.max_concurent: ")
    assert "no such field in [oracle]" in err and "max_concurrent" in err
    assert main(["prune", study, "--set", "orcle.x=1"]) == 2
    assert "--set orcle.x: no such field 'orcle' in the top level" in one_error(capsys)
    assert main(["prune", study, "--set", "schedules.warm.zz=1"]) == 2
    assert "--set schedules.warm.zz: no such field in [schedules.warm]" in one_error(capsys)
    assert main(["prune", study, "--set", "name.x=1"]) == 2
    assert "--set name.x: name is a value, not a table" in one_error(capsys)
    assert main(["prune", study, "--set", "no-equals-sign"]) == 2
    assert "--set 'no-equals-sign': use --set KEY=VALUE" in one_error(capsys)


def test_a_bad_value_is_exit_2_naming_the_key_or_the_flag(study, capsys):
    assert main(["gradients", study, "--set", "training.iterations=abc"]) == 2
    err = one_error(capsys)
    assert "study.toml: --set training.iterations=abc: Input should be a valid integer" in err
    assert main(["report", study, "--set", "schedules.warm.a=-1"]) == 2
    assert "--set schedules.warm.a=-1: " in one_error(capsys)
    assert main(["oracle", study, "--max-concurrent", "0"]) == 2
    err = one_error(capsys)
    assert "study.toml: --max-concurrent 0: " in err and "1 <= max_concurrent" in err
    assert main(["fit", study, "--mode", "oracle", "--trials", "0"]) == 2
    assert "--trials 0: " in one_error(capsys)
    assert main(["prune", study, "--cycles", "0"]) == 2
    assert "--cycles 0: " in one_error(capsys)
    assert main(["run", study, "--seeds", "0"]) == 2  # used to run with the study's seeds
    assert "--seeds 0: " in one_error(capsys)
    assert main(["oracle", study, "--grid", "0.1:0.01:3"]) == 2  # stop below start
    err = one_error(capsys)
    assert "study.toml: --grid 0.1:0.01:3: " in err and "start:stop:count" in err
    assert main(["oracle", study, "--set", "oracle.grid=[0.1, -1]"]) == 2
    assert "--set oracle.grid=[0.1, -1]: " in one_error(capsys)


def test_status_honours_scyc_storage(tmp_path, monkeypatch, capsys):
    from scyc_tune.store import OracleDB

    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    with OracleDB(url) as db:
        db.studies.ensure("somewhere-else", "name = 'somewhere-else'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCYC_STORAGE", url)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "somewhere-else" in out
    assert not (tmp_path / "storage").exists()


def test_every_command_that_takes_a_study_has_set():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    with_study = [
        name for name, p in sub.choices.items() if any(a.dest == "study" for a in p._actions)
    ]
    assert set(with_study) >= {"oracle", "fit", "compare", "gradients", "report", "run", "prune"}
    for name in with_study:
        assert any("--set" in a.option_strings for a in sub.choices[name]._actions), name


def _readme_study_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Study files", 1)[1].split("\n## ", 1)[0]


def test_the_readmes_study_file_example_validates():
    section = _readme_study_section()
    block = section.split("```toml", 1)[1].split("```", 1)[0]
    Schema.model_validate(tomllib.loads(block))  # extra="forbid": every key is a field


def test_the_readme_lists_every_field_of_the_schema_and_no_other():
    from scyc_tune.schedules import SCHEDULES

    section = _readme_study_section()
    prose = section.split("```toml", 1)[1].split("```", 1)[1].split("\n\n")[1]
    prose = " ".join(prose.split())
    owners = {
        "[compare]": Schema.model_fields["compare"].annotation,
        "[oracle]": Schema.model_fields["oracle"].annotation,
        "[fit]": Schema.model_fields["fit"].annotation,
        "[schedules.auto]": SCHEDULES["auto"],
        "[schedules.lrrt]": SCHEDULES["lr_range_test"],
    }
    parts = re.split(r"`(\[[a-z.]+\])`(?: \(type `\w+`\))?:", prose)
    seen = set()
    for table, listed in zip(parts[1::2], parts[2::2], strict=True):
        while re.search(r"\([^()]*\)", listed):
            listed = re.sub(r"\([^()]*\)", "", listed)  # values, not fields
        listed = listed.split("`studies/demo.toml`")[0]
        names = re.findall(r"[a-z_0-9]+", listed)
        fields = owners[table].model_fields
        missing = [n for n in names if n not in fields]
        assert not missing, (table, missing)
        unlisted = [f for f in fields if f != "type" and f not in names]
        assert not unlisted, (table, "in the schema, not in the README", unlisted)
        seen.add(table)
    assert seen == set(owners)


def test_the_two_roots_default_to_their_environment_variables(monkeypatch):
    from scyc_tune.cli.storage_flags import StoragePaths

    monkeypatch.setenv("SCYC_ARTIFACTS", "s3://bucket/scyc/artifacts?scheme=http")
    monkeypatch.setenv("SCYC_RAY_RESULTS", "gs://bucket/scyc/ray")
    paths = StoragePaths.of(build_parser().parse_args(["oracle", "study.toml"]))
    assert paths.artifacts == "s3://bucket/scyc/artifacts?scheme=http"
    assert paths.ray_results == "gs://bucket/scyc/ray"
    given = build_parser().parse_args(["oracle", "study.toml", "--artifacts", "here"])
    assert StoragePaths.of(given).artifacts == "here"
