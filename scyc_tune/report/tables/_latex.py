"""LaTeX helpers: escaping text and assembling a booktabs ``tabular`` with notes under it.

The output needs ``\\usepackage{booktabs}`` and, for the oracle's marks, ``amssymb``.
"""

from __future__ import annotations

from collections.abc import Sequence

_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    # the glyphs our own notes use
    "λ": r"$\lambda$",
    "±": r"$\pm$",
    "†": r"$^\dagger$",
    "✓": r"$\checkmark$",
    "✗": r"$\times$",
    "–": "--",
}

DAGGER = _SPECIALS["†"]
CHECK = _SPECIALS["✓"]
CROSS = _SPECIALS["✗"]
MISSING = _SPECIALS["–"]


def escape(text: str) -> str:
    """``text`` with LaTeX's special characters (``&%$#_{}~^\\``) escaped, in one pass so an
    escape is never escaped again; the few non-ASCII glyphs of our notes become LaTeX."""
    return "".join(_SPECIALS.get(ch, ch) for ch in text)


def lambda_header(value: str) -> str:
    """A column header such as ``$\\lambda = 100$``."""
    return f"$\\lambda = {value}$"


def tabular(
    colspec: str,
    header: Sequence[str],
    groups: Sequence[Sequence[Sequence[str]]],
    notes: Sequence[str],
) -> str:
    """A booktabs tabular: header, ``\\midrule`` between row groups, then each (already
    escaped) note as a small paragraph under the table. Cells are taken as LaTeX."""
    lines = [f"\\begin{{tabular}}{{{colspec}}}", "\\toprule", " & ".join(header) + r" \\"]
    for group in groups:
        lines.append("\\midrule")
        lines.extend(" & ".join(row) + r" \\" for row in group)
    lines += ["\\bottomrule", "\\end{tabular}"]
    if notes:
        lines.append("")
        lines.extend(f"{{\\footnotesize {n}\\par}}" for n in notes)
    return "\n".join(lines) + "\n"
