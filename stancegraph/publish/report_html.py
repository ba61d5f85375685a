"""The report as one self-contained HTML page: inline CSS, inline SVG, no script and nothing
fetched when it is viewed. Hovering (or focusing) a matrix cell shows the quote, outlet and
date of the latest claim; timeline points carry the same as SVG titles."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path

from .report_data import STANCE_RELATIONS, ReportData, Timeline

CSS = Path(__file__).with_name("report.css")
MARKS = {"commits": "commits", "refuses": "refuses", "undecided": "undecided", "conditions": "if…"}
LABELS = {"commits": "commits", "refuses": "refuses", "undecided": "undecided",
          "conditions": "conditional"}
COLOURS = {"commits": "#2e7d32", "refuses": "#c62828", "undecided": "#f2a900", "conditions": "#1565c0"}
WIDTH, LEFT, RIGHT, LANE, AXIS = 1000, 150, 24, 22, 24


def render(data: ReportData) -> str:
    s = data.stats
    meta = (f"{s.get('articles', 0)} articles · {s.get('claims', 0)} claims · {s.get('outlets', 0)} "
            f"outlets · newest article {escape(data.newest or '–')} · extractor {escape(data.extractor)}")
    legend = "".join(f'<span><i class="swatch {r}"></i>{LABELS[r]}</span>' for r in STANCE_RELATIONS)
    legend += '<span><i class="swatch none"></i>no claim</span>'
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>stancegraph report</title>", f"<style>\n{CSS.read_text(encoding='utf-8')}</style>",
        "</head>", "<body>",
        "<header><h1>Who stands where</h1>", f'<p class="meta">{meta}</p>',
        f'<div class="legend">{legend}</div></header>',
        _matrix_section(data), _timeline_section(data), _uncoded_section(data),
        '<p class="note">Made by <code>stancegraph report</code> from the saved questions '
        "commitment-matrix, stance-timeline and stance-changes.</p>",
        "</body>", "</html>", ""])


def _matrix_section(data: ReportData) -> str:
    m = data.matrix
    head = "".join(f'<th class="kind">{escape(k)}</th>' for k in m.kinds)
    rows = []
    for actor in m.actors:
        cells = []
        for kind in m.kinds:
            c = m.cell(actor, kind)
            if c is None:
                cells.append(f'<td class="cell none" title="{escape(actor)} · {escape(kind)}: no claim"></td>')
                continue
            source = " · ".join(x for x in (c.outlet, c.date,
                                            f"{c.support} supporting" if c.support else "") if x)
            title = f"{actor} {LABELS.get(c.relation, c.relation)} {kind}: “{c.quote}” ({source})"
            cells.append(
                f'<td class="cell {escape(c.relation)}" tabindex="0" title="{escape(title)}" '
                f'data-relation="{escape(c.relation)}" data-date="{escape(c.date)}" '
                f'data-outlet="{escape(c.outlet)}">{escape(MARKS.get(c.relation, c.relation))}'
                f'<div class="tip"><q>{escape(c.quote)}</q><span class="src">{escape(source)}</span></div></td>')
        rows.append(f"<tr><th>{escape(actor)}</th>{''.join(cells)}</tr>")
    return (f'<section id="matrix"><h2>Latest stance of each actor on each kind of commitment</h2>'
            f'<p class="note">{len(m.actors)} actors × {len(m.kinds)} kinds. Hover a cell for the quote, '
            f'outlet and date of the claim behind it.</p>'
            f'<table class="matrix"><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def _timeline_section(data: ReportData) -> str:
    dates = [p.date for t in data.timelines for p in t.points] + \
            [c.date for t in data.timelines for c in t.changes]
    if not dates:
        return '<section id="timelines"><h2>Stance timelines</h2><p class="note">No stance claims.</p></section>'
    first, last = date.fromisoformat(min(dates)), date.fromisoformat(max(dates))
    parts = ['<section id="timelines"><h2>Stance timelines</h2>',
             f'<p class="note">Every stance claim per actor and kind, {first} to {last}; a dashed line '
             'marks a change of stance.</p>']
    for t in data.timelines:
        parts.append(_timeline(t, data.matrix.kinds, first, last))
    parts.append("</section>")
    return "\n".join(parts)


def _timeline(t: Timeline, kinds: tuple[str, ...], first: date, last: date) -> str:
    lanes = [k for k in kinds if any(p.kind == k for p in t.points) or any(c.kind == k for c in t.changes)]
    title = f'<div class="timeline" data-actor="{escape(t.actor)}"><h3>{escape(t.actor)}</h3>'
    if not lanes:
        return title + '<p class="note">No stance claims of its own (its stances come through a group, or it only made statements).</p></div>'
    height = LANE * len(lanes) + AXIS
    span = max((last - first).days, 1)

    def x(day: str) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (date.fromisoformat(day) - first).days / span, 1)

    svg = [f'<svg width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(t.actor)} stance timeline">']
    for i, kind in enumerate(lanes):
        y = LANE * i + LANE // 2
        svg.append(f'<text class="lane" x="0" y="{y + 4}">{escape(kind)}</text>')
        svg.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#d9e2ec"/>')
        seen: dict[str, int] = {}
        for p in (p for p in t.points if p.kind == kind):
            n = seen[p.date] = seen.get(p.date, -1) + 1
            colour = COLOURS.get(p.relation, "#9aa5b1")
            tip = f"{p.date} · {LABELS.get(p.relation, p.relation)} · {p.outlet}: “{p.quote}”"
            svg.append(f'<circle class="point {escape(p.relation)}" cx="{x(p.date) + 4 * n}" cy="{y}" r="5" '
                       f'fill="{colour}" stroke="#fff"><title>{escape(tip)}</title></circle>')
        for c in (c for c in t.changes if c.kind == kind):
            cx = x(c.date)
            label = f"{LABELS.get(c.before, c.before)} → {LABELS.get(c.after, c.after)}"
            svg.append(f'<line class="change" x1="{cx}" y1="{y - 10}" x2="{cx}" y2="{y + 10}">'
                       f'<title>{escape(c.date)}: {escape(label)} “{escape(c.quote)}”</title></line>')
            svg.append(f'<text class="change-label" x="{cx + 6}" y="{y - 3}">{escape(label)}</text>')
    axis_y = LANE * len(lanes) + 4
    for tick in _ticks(first, last):
        tx = x(tick.isoformat())
        svg.append(f'<line x1="{tx}" y1="0" x2="{tx}" y2="{axis_y}" stroke="#eef2f6"/>')
        svg.append(f'<text x="{tx}" y="{axis_y + 14}" text-anchor="middle">{tick:%d %b %Y}</text>')
    svg.append("</svg>")
    return title + "".join(svg) + "</div>"


def _ticks(first: date, last: date) -> list[date]:
    """Week starts over a short span, month starts over a long one (at most ~10 ticks)."""
    if (last - first).days <= 70:
        day = first + timedelta(days=(7 - first.weekday()) % 7)
        step = 7 * max(1, (last - first).days // 70 + 1)
        out = []
        while day <= last:
            out.append(day)
            day += timedelta(days=step)
        return out
    months = []
    y, mo = first.year, first.month
    while date(y, mo, 1) <= last:
        if date(y, mo, 1) >= first:
            months.append(date(y, mo, 1))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    step = max(1, len(months) // 10)
    return months[::step]


def _uncoded_section(data: ReportData) -> str:
    items = "".join(
        f'<li>{escape(u.sentence)} <span class="src">— {escape(u.outlet)}, “{escape(u.article)}”; '
        f'actors: {escape(", ".join(u.actors))}; cues: {escape(", ".join(u.cues))}</span></li>'
        for u in data.uncoded)
    return (f'<section id="uncoded"><h2>Uncoded sentences</h2>'
            f'<p><span class="count" data-uncoded="{len(data.uncoded)}">{len(data.uncoded)}</span> '
            f'sentences name an actor and a stance cue but gave no claim: what the extractor '
            f'({escape(data.extractor)}) missed, computed from the stored article bodies.</p>'
            f'<details><summary>Show them</summary><ol class="uncoded">{items}</ol></details></section>')
