"""Read and validate a study file; every problem becomes a StudyError naming file, key, allowed."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scyc_tune.errors import StudyError
from scyc_tune.schedules import SCHEDULES
from scyc_tune.study.schema import Study


@dataclass(frozen=True)
class Override:
    """One study field set on the command line: ``key`` a dotted path into the study file
    (``oracle.max_concurrent``), ``value`` a TOML value, ``flag`` how the user named it
    (``--set oracle.max_concurrent`` or ``--max-concurrent``) and ``text`` the value as typed."""

    key: str
    value: Any
    flag: str
    text: str = ""

    @property
    def shown(self) -> str:
        """The override as the user typed it: ``--set k=v``, ``--flag v`` or ``--flag``."""
        if self.flag.startswith("--set"):
            return f"{self.flag}={self.text}"
        return f"{self.flag} {self.text}".rstrip()


def toml_value(text: str) -> Any:
    """``text`` read as a TOML value (``2``, ``0.5``, ``true``, ``[1, 2]``, ``"x"``), else the
    string itself (``cpu``)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_set(text: str) -> Override:
    """``KEY=VALUE`` of ``--set``; StudyError (exit 2) when there is no ``=`` or no key."""
    key, sep, value = text.partition("=")
    key = key.strip()
    parts = key.split(".")
    if not sep or not key or any(not p.strip() for p in parts):
        raise StudyError(
            f"--set {text!r}: use --set KEY=VALUE with KEY a dotted path into the study file, "
            "e.g. --set oracle.max_concurrent=2"
        )
    return Override(key, toml_value(value.strip()), f"--set {key}", value.strip())


def load_study(path: str | Path, overrides: Sequence[Override] = ()) -> Study:
    """The validated study in ``path`` with ``overrides`` merged into the file's tables before
    validation; raises StudyError (exit 2), one line per problem."""
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: study file not found (give the path of a .toml study file)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise StudyError(f"{path}: not a UTF-8 text file") from None
    return parse_study(raw, source=str(path), overrides=overrides)


def parse_study(
    raw: dict[str, Any], source: str = "<study>", overrides: Sequence[Override] = ()
) -> Study:
    """``raw`` (a study file's tables) with ``overrides`` set, validated; pydantic is the only
    validator, and an error in an overridden field names the flag that set it."""
    raw = merge_overrides(raw, overrides, source)
    try:
        return Study.model_validate(raw)
    except ValidationError as exc:
        lines = [_describe(source, err, overrides) for err in exc.errors()]
        raise StudyError("\n".join(lines)) from None


def merge_overrides(
    raw: dict[str, Any], overrides: Sequence[Override], source: str = "<study>"
) -> dict[str, Any]:
    """A copy of ``raw`` with each override's dotted key set (later overrides win)."""
    if not overrides:
        return raw
    raw = copy.deepcopy(raw)
    for o in overrides:
        parts = o.key.split(".")
        table = raw
        for i, part in enumerate(parts[:-1]):
            inner = table.setdefault(part, {})
            if not isinstance(inner, dict):
                where = ".".join(parts[: i + 1])
                raise StudyError(f"{source}: {o.flag}: {where} is a value, not a table")
            table = inner
        table[parts[-1]] = o.value
    return raw


def _shown_loc(loc: list[str]) -> list[str]:
    """``loc`` without the type tag pydantic puts in schedule locations."""
    return loc[:2] + loc[3:] if loc[:1] == ["schedules"] and len(loc) > 2 else loc


def _override_for(loc: list[str], kind: str, overrides: Sequence[Override]) -> Override | None:
    """The (last) override the error at ``loc`` is about."""
    key = ".".join(_shown_loc(loc))
    for o in reversed(overrides):
        if key == o.key or key.startswith(o.key + "."):
            return o
        if kind == "extra_forbidden" and o.key.startswith(key + "."):
            return o  # an unknown table on the way to the key
    return None


def _describe(source: str, err: dict[str, Any], overrides: Sequence[Override] = ()) -> str:
    loc = [str(part) for part in err["loc"]]
    kind = err["type"]
    given = _override_for(loc, kind, overrides)
    if given is not None:
        return _describe_override(source, err, loc, given)
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        allowed = ", ".join(owner.model_fields) if owner else "see the documentation"
        table = loc[:2] if loc[:1] == ["schedules"] else loc[:-1]
        where = f"[{'.'.join(table)}]" if table else "the top level"
        return f"{source}: unknown key {loc[-1]!r} in {where}; allowed keys: {allowed}"
    shown = _shown_loc(loc)
    key = ".".join(shown) if shown else "(top level)"
    message = _message(err)
    if kind == "missing":
        return f"{source}: {key}: required key is missing"
    allowed = _allowed_range(loc)
    suffix = f" (allowed: {allowed})" if allowed else ""
    got = err.get("input")
    if not shown and isinstance(got, dict):  # the study's own checks name their keys
        return f"{source}: {message}"
    if isinstance(got, dict):  # a whole table: the message says what is wrong in it
        return f"{source}: {key}: {message}{suffix}"
    return f"{source}: {key} = {excerpt(got)}: {message}{suffix}"


def excerpt(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (a bad value may be megabytes)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _message(err: dict[str, Any]) -> str:
    """pydantic's message without its internal prefix (``Value error, ...``)."""
    message = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message.splitlines()[0][:200] if message else str(err["type"])


def _describe_override(source: str, err: dict[str, Any], loc: list[str], given: Override) -> str:
    """One line naming the flag: ``study.toml: --set oracle.x: no such field in [oracle] (...)``
    or ``study.toml: --max-concurrent 0: Input should be ... (allowed: 1 <= max_concurrent)``."""
    if err["type"] == "extra_forbidden":
        owner = _model_at(loc[:-1])
        fields = ", ".join(owner.model_fields) if owner else "see the documentation"
        table = _shown_loc(loc)[:-1]
        where = f"[{'.'.join(table)}]" if table else "the top level"
        what = "" if ".".join(_shown_loc(loc)) == given.key else f" {loc[-1]!r}"
        return f"{source}: {given.flag}: no such field{what} in {where} (fields: {fields})"
    key = ".".join(_shown_loc(loc))
    inner = "" if key == given.key else f"{key}: "
    if err["type"] == "missing":
        return f"{source}: {given.shown}: {inner}required key is missing"
    allowed = _allowed_range(loc)
    suffix = f" (allowed: {allowed})" if allowed else ""
    return f"{source}: {given.shown[:120]}: {inner}{_message(err)}{suffix}"


def _model_at(loc: list[str]) -> type[BaseModel] | None:
    """The pydantic model class that the location ``loc`` (a list of keys) refers to."""
    model: type[BaseModel] | None = Study
    i = 0
    while i < len(loc) and model is not None:
        part = loc[i]
        if model is Study and part == "schedules":
            # pydantic locates schedule errors as schedules.<label>.<type tag>.<key>
            tag = loc[i + 2] if i + 2 < len(loc) else None
            model = SCHEDULES.get(tag) if tag else None
            i += 3
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        model = annotation if is_model else None
        i += 1
    return model


def _allowed_range(loc: list[str]) -> str | None:
    """'3 <= beta <= 6' style text from the field's constraints, or None."""
    if not loc:
        return None
    owner = _model_at(loc[:-1])
    field = owner.model_fields.get(loc[-1]) if owner else None
    if field is None:
        return None
    low = high = None
    low_op = high_op = ""
    for meta in field.metadata:
        for attr, op in (("ge", "<="), ("gt", "<")):
            if getattr(meta, attr, None) is not None:
                low, low_op = getattr(meta, attr), op
        for attr, op in (("le", "<="), ("lt", "<")):
            if getattr(meta, attr, None) is not None:
                high, high_op = getattr(meta, attr), op
    if low is None and high is None:
        return None
    text = loc[-1]
    if low is not None:
        text = f"{low} {low_op} {text}"
    if high is not None:
        text = f"{text} {high_op} {high}"
    return text
