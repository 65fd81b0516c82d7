"""One self-contained HTML page: plotly.js inlined once, every figure, the tables, the
findings and what is missing. It opens offline (no request leaves the file)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import plotly.graph_objects as go
from markdown_it import MarkdownIt

# html off: the tables and notes carry the study's labels, which must stay text, never markup
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
TABLE_WRAP = "table-wrap"


def _table_open(self, tokens, idx, options, env) -> str:
    return f"<div class='{TABLE_WRAP}'>" + self.renderToken(tokens, idx, options, env)


def _table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>"


# every table sits in a box that scrolls sideways, so a wide one never runs off a narrow page
_MD.add_render_rule("table_open", _table_open)
_MD.add_render_rule("table_close", _table_close)

CSS = f"""
body {{ font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: 1150px;
  color: #222; box-sizing: border-box; overflow-wrap: break-word; }}
h1 {{ margin-bottom: 0.2em; }} .sub {{ color: #666; margin-top: 0; overflow-wrap: anywhere; }}
section {{ margin: 2.2em 0; }} .figure {{ margin: 1em 0; width: 100%; min-width: 0; }}
.figure > div {{ width: 100%; }}
.{TABLE_WRAP} {{ max-width: 100%; overflow-x: auto; margin: 0.8em 0; }}
table {{ border-collapse: collapse; margin: 0; font-size: 0.92em; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: right; white-space: nowrap; }}
th:first-child, td:first-child {{ text-align: left; }}
.missing {{ background: #fff6e0; border: 1px solid #f0c36d; padding: 0.6em 1em; }}
.findings li {{ margin: 0.3em 0; }} .files a {{ margin-right: 1em; }}
"""


@dataclass(frozen=True)
class Section:
    title: str
    figures: tuple[go.Figure | None, ...] = ()
    markdown: str = ""  # tables and notes
    bullets: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # sibling files to link


def render(title: str, subtitle: str, missing: list[str], sections: list[Section]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>",
    ]
    if missing:
        items = "".join(f"<li>{html.escape(m)}</li>" for m in missing)
        parts.append(f"<div class='missing'><b>Not in this report yet</b><ul>{items}</ul></div>")
    plotly_js = True  # inline plotly.js with the first figure only
    for i, s in enumerate(sections):
        parts.append(f"<section id='s{i}'><h2>{html.escape(s.title)}</h2>")
        if s.bullets:
            items = "".join(f"<li>{html.escape(b)}</li>" for b in s.bullets)
            parts.append(f"<ul class='findings'>{items}</ul>")
        for j, fig in enumerate(s.figures):
            if fig is None:
                continue
            div = fig.to_html(
                full_html=False,
                include_plotlyjs=plotly_js,
                div_id=f"fig-{i}-{j}",
                config={"displaylogo": False, "responsive": True},
            )
            plotly_js = False
            parts.append(f"<div class='figure'>{div}</div>")
        if s.markdown:
            parts.append(_MD.render(s.markdown))
        if s.files:
            links = "".join(f"<a href='{html.escape(f)}'>{html.escape(f)}</a>" for f in s.files)
            parts.append(f"<p class='files'>{links}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
