"""Text helpers shared by the table renderers: number formats, Markdown and CSV assembly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

MISSING = "–"  # en dash: a cell that was not run


def hundredths(x: float) -> str:
    """A max_lr in the paper's tables' unit, x 1e-2, 3 significant digits.

    The one definition: the oracle's and the fit's terminal tables import it from here
    (this package imports neither torch, Ray nor the database).
    """
    return f"{100 * x:.3g}"


def lam(percent_remaining: float) -> str:
    """A lambda (percent of weights remaining) with 3 significant digits: 100, 32.8, 3.12."""
    return f"{percent_remaining:.3g}"


def lambdas(values: Iterable[float]) -> str:
    """'λ = 12.5, 6.25' for the notes under a table."""
    return "λ = " + ", ".join(lam(x) for x in values)


def mean_cell(
    mean: str, std: str | None, best: bool, partial: bool, *, pm: str, bold: str, mark: str
) -> str:
    """``mean``, or ``mean <pm> std`` where there is a spread; put into the ``bold`` template
    (``str.format``, one ``{}``) when best; followed by ``mark`` when partial."""
    text = mean if std is None else f"{mean} {pm} {std}"
    if best:
        text = bold.format(text)
    return text + (mark if partial else "")


def number(x: float | None) -> str:
    """A float for CSV: ``repr`` (shortest text that reads back to the same float); None -> ''."""
    return "" if x is None else repr(float(x))


def flag(b: bool | None) -> str:
    """A boolean for CSV: 1/0; None -> ''."""
    return "" if b is None else str(int(b))


def markdown(header: Sequence[str], aligns: str, rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured pipe table; ``aligns`` has one 'l' or 'r' per column."""
    rule = ["---" if a == "l" else "---:" for a in aligns]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), "|" + "|".join(rule) + "|", *(line(r) for r in rows)])


def markdown_notes(table: str, notes: Sequence[str]) -> str:
    """The table, then each note as its own paragraph (a blank line keeps them apart)."""
    return "\n\n".join([table, *notes]) + "\n"


def csv_text(notes: Sequence[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Notes as leading '# ' comment lines, then a header and the rows ('\\n' line ends)."""
    out = io.StringIO()
    out.writelines(f"# {n}\n" for n in notes)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
