"""Malformed study files, generated from the schema: for every field of every section and of
the demo's schedules, values of the wrong type, text for a number, non-finite numbers and
values past each bound; unknown keys; hostile names and labels. Every case exits 2 with one
line under 300 characters naming the key, no traceback, and nothing written."""

from __future__ import annotations

import json
import math
import tomllib
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from scyc_tune.cli.main import main
from scyc_tune.schedules import SCHEDULES
from scyc_tune.study.schema import Study

ROOT = Path(__file__).resolve().parents[2]
DEMO = tomllib.loads((ROOT / "studies" / "demo.toml").read_text(encoding="utf-8"))
SECTIONS = ("data", "model", "pruning", "training", "oracle", "fit", "compare")
HOSTILE_NAMES = [
    "../../etc/x",
    "..",
    ".",
    "a/b",
    "a\\b",
    "x" * 5000,
    "",
    " demo",
    "demo\n",
    "<img src=x onerror=alert(2)>",
    "c'\"><script>",
    "dé-mo",
]
HOSTILE_LABELS = ["c'\"><img src=x onerror=alert(2)>", "a.b", "../x", "", "x" * 65, "a b"]


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string for every character
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def emit(study: dict) -> str:
    lines = [f"{json.dumps(k)} = {toml(v)}" for k, v in study.items() if not isinstance(v, dict)]
    for key, table in study.items():
        if key == "schedules":
            for label, params in table.items():
                lines.append(f"[schedules.{json.dumps(label)}]")
                lines += [f"{json.dumps(k)} = {toml(v)}" for k, v in params.items()]
        elif isinstance(table, dict):
            lines.append(f"[{key}]")
            lines += [f"{json.dumps(k)} = {toml(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _base(annotation) -> type | None:
    """int, float, bool or str for a field of that type (or that type or None), else None."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _base(args[0]) if len(args) == 1 else None
    return annotation if annotation in (int, float, bool, str) else None


def _bounds(field) -> tuple[float | None, float | None]:
    low = high = None
    for meta in field.metadata:
        for attr in ("ge", "gt"):
            if getattr(meta, attr, None) is not None:
                low = getattr(meta, attr)
        for attr in ("le", "lt"):
            if getattr(meta, attr, None) is not None:
                high = getattr(meta, attr)
    return low, high


def bad_values(model: type[BaseModel], name: str) -> list[tuple[str, object]]:
    field = model.model_fields[name]
    kind = _base(field.annotation)
    if typing.get_origin(field.annotation) is typing.Literal:
        return [("not one of the choices", "not-a-choice"), ("a number for a choice", 3)]
    if kind is None or kind is str:
        return []
    out: list[tuple[str, object]] = []
    if kind is bool:
        return [("text for a bool", "yes"), ("a number for a bool", 1)]
    out.append(("text for a number", "12"))
    out.append(("a bool for a number", True))
    if kind is int:
        out.append(("a fraction for an integer", 1.5))
    if kind is float:
        out += [("nan", math.nan), ("inf", math.inf)]
    low, high = _bounds(field)
    if low is not None:
        out.append(("below its bound", low - 1))
    if high is not None:
        out.append(("above its bound", high * 10 + 1))
    return out


def cases() -> list:
    out = []
    for section in SECTIONS:
        model = Study.model_fields[section].annotation
        for name in model.model_fields:
            for what, value in bad_values(model, name):
                out.append(pytest.param((section, name), value, id=f"{section}.{name}: {what}"))
        out.append(pytest.param((section, "no_such_key"), 1, id=f"{section}: unknown key"))
    for label, params in DEMO["schedules"].items():
        model = SCHEDULES[params["type"]]
        for name in params:
            if name == "type":
                continue
            for what, value in bad_values(model, name):
                key = ("schedules", label, name)
                out.append(pytest.param(key, value, id=f"schedules.{label}.{name}: {what}"))
    for i, name in enumerate(HOSTILE_NAMES):
        out.append(pytest.param(("name",), name, id=f"hostile name {i}"))
    for what, value in (("text", "0"), ("negative", -1), ("a fraction", 0.5), ("nan", math.nan)):
        out.append(pytest.param(("seed",), value, id=f"seed: {what}"))
    too_small = [  # (key, value): a dataset too small for its split and batch
        (("data", "num_samples"), 10),  # 6 / 2 / 2 for a batch of 64
        (("data", "num_samples"), 106),  # 63 training examples, one short of the batch
        (("data", "mnist1d_samples"), 30),
        (("training", "batch_size"), 8000),  # the demo's 10,000 MNIST-1D examples: 6,000 train
    ]
    for key, value in too_small:
        out.append(pytest.param(key, value, id=f"{'.'.join(key)}: {value} too small a split"))
    for i, label in enumerate(HOSTILE_LABELS):
        out.append(pytest.param(("label", label), None, id=f"hostile label {i}"))
    return out


CASES = cases()


def test_the_table_is_large_enough():
    assert len(CASES) >= 100, len(CASES)


def _study_with(key: tuple, value) -> tuple[dict, str]:
    study = json.loads(json.dumps(DEMO))  # a deep copy
    if key[0] == "label":
        study["schedules"][key[1]] = study["schedules"]["constant"]
        return study, "schedule label"
    table = study
    for part in key[:-1]:
        table = table.setdefault(part, {})
    table[key[-1]] = value
    return study, key[-1]


@pytest.mark.parametrize(("key", "value"), CASES)
def test_a_malformed_study_is_exit_2_in_one_line_naming_the_key(
    key, value, tmp_path, monkeypatch, capsys
):
    import scyc_tune.oracle.driver as driver

    def must_not_run(*args, **kwargs):
        raise AssertionError(f"the study validated: {key} = {value!r}")

    monkeypatch.setattr(driver, "run_oracle", must_not_run)
    monkeypatch.chdir(tmp_path)
    study, named = _study_with(key, value)
    Path("study.toml").write_text(emit(study), encoding="utf-8")
    code = main(["oracle", "study.toml"])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert len(err) < 300, err
    assert named in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.toml"]  # nothing written


@pytest.mark.parametrize("name", ["..", "../../etc/x", "a/../../b", "."])
def test_paths_from_study_text_stay_under_their_root(tmp_path, name):
    """The second line behind the name's validation: paths built from it are checked."""
    from scyc_tune.errors import UsageError
    from scyc_tune.paths import inside

    with pytest.raises(UsageError, match="would lead outside"):
        inside(tmp_path / "reports", name)
    assert inside(tmp_path / "reports", "demo") == tmp_path / "reports" / "demo"
