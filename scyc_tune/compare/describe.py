"""A schedule's name as the paper's Table 2 writes it: 'constant LR (1e-2)', 'LR warmup (3e-2,
20K, 20K, 25K, Nil)', 'S-Cyc (3e-2, 4e-2, 1, 5, 20K, 20K, 25K, Nil)'."""

from __future__ import annotations

from scyc_tune.schedules import ScheduleParams

_NAMES = {
    "constant": ("constant LR", ("a",)),
    "decay": ("LR decay", ("a", "b")),
    "cyclical": ("cyclical LR", ("a", "b", "c")),
    "warmup": ("LR warmup", ("a", "b", "c", "d", "e")),
    "scyc": ("S-Cyc", ("epsilon", "delta", "q", "beta", "b", "c", "d", "e")),
    "auto": ("auto", ("max_lr_0", "lr_min", "lr_max", "statistic")),
    "lr_range_test": ("LR range test", ("lr_start", "lr_end", "steps", "rule", "b", "c", "d", "e")),
}


def number(x: object) -> str:
    """1e-2, 8e-2, 1.13e-1 for rates; 20K for iteration counts; Nil for None."""
    if x is None:
        return "Nil"
    if isinstance(x, str):
        return x
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) >= 1):
        n = int(x)
        return f"{n // 1000}K" if n >= 1000 and n % 1000 == 0 else str(n)
    if x == 0:
        return "0"
    if 1 <= abs(x) < 1000:
        return f"{x:.3g}"
    mantissa, exponent = f"{x:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def family_name(params: ScheduleParams) -> str:
    """'constant LR', 'cyclical LR', 'S-Cyc', ..."""
    return _NAMES.get(params.type, (params.type, ()))[0]


def describe(params: ScheduleParams, name: str | None = None) -> str:
    """The family's name (or ``name``) and its parameters in the paper's order."""
    family, fields = _NAMES.get(params.type, (params.type, tuple(params.params())))
    if params.type == "auto" and getattr(params, "spread", "gradient") == "hidden":
        family = "auto on hidden representations"
    values = ", ".join(number(getattr(params, f)) for f in fields)
    return f"{name or family} ({values})"
