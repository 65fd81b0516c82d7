"""Read and validate a study file; every problem becomes a StudyError naming file, key, allowed."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scyc_tune.errors import StudyError
from scyc_tune.schedules import SCHEDULES
from scyc_tune.study.schema import Study


def load_study(path: str | Path) -> Study:
    """The validated study in ``path``; raises StudyError (exit 2), one line per problem."""
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: study file not found (give the path of a .toml study file)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise StudyError(f"{path}: not a UTF-8 text file") from None
    return parse_study(raw, source=str(path))


def parse_study(raw: dict[str, Any], source: str = "<study>") -> Study:
    try:
        return Study.model_validate(raw)
    except ValidationError as exc:
        lines = [_describe(source, err) for err in exc.errors()]
        raise StudyError("\n".join(lines)) from None


def _describe(source: str, err: dict[str, Any]) -> str:
    loc = [str(part) for part in err["loc"]]
    kind = err["type"]
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        allowed = ", ".join(owner.model_fields) if owner else "see the documentation"
        table = loc[:2] if loc[:1] == ["schedules"] else loc[:-1]
        where = f"[{'.'.join(table)}]" if table else "the top level"
        return f"{source}: unknown key {loc[-1]!r} in {where}; allowed keys: {allowed}"
    shown = loc[:2] + loc[3:] if loc[:1] == ["schedules"] and len(loc) > 2 else loc
    key = ".".join(shown) if shown else "(top level)"
    message = err["msg"]
    if kind == "missing":
        return f"{source}: {key}: required key is missing"
    got = err.get("input")
    allowed = _allowed_range(loc)
    suffix = f" (allowed: {allowed})" if allowed else ""
    return f"{source}: {key} = {got!r}: {message}{suffix}"


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
