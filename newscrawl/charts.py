"""Inline SVG charts for `newscrawl report`: no script, no external file, readable without one.

Every data point is one element a test (or a person with devtools) can find and count: a bar is
`<rect class="bar">`, a point of a line `<circle class="point">`, each with `data-series`,
`data-value` and a `<title>` tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH, HEIGHT = 760, 250
LEFT, RIGHT, TOP, BOTTOM = 58, 14, 14, 50
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 8
# Okabe and Ito's palette: told apart with any colour vision.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442")
BAD = "#C0392B"


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class Segment:
    value: float
    series: str
    color: str
    title: str


@dataclass
class Column:
    """One bar (or a stack of segments) at one position of the x axis."""

    label: str
    segments: list[Segment] = field(default_factory=list)
    marked: str = ""  # a reason to flag this column (e.g. an unhealthy run); drawn under it


@dataclass(frozen=True)
class Series:
    """One line: a value (or None: no point) per position of the x axis."""

    name: str
    color: str
    values: Sequence[float | None]
    titles: Sequence[str]


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about TICKS ticks to TOP."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def scale_top(top: float, step: float) -> float:
    return max(step, math.ceil(top / step - 1e-9) * step)


def number(value: float) -> str:
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def _y(value: float, top: float) -> float:
    return TOP + PLOT_H - (value / top) * PLOT_H


def _frame(
    x_labels: Sequence[str],
    top: float,
    step: float,
    x_title: str,
    y_title: str,
    y_format: Callable[[float], str],
) -> list[str]:
    """Grid lines, the y ticks, the x labels (at most MAX_X_LABELS) and both axis titles."""
    parts = []
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = i * step
        y = _y(value, top)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(y_format(value))}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{TOP + PLOT_H}" '
        f'y2="{TOP + PLOT_H}"/>'
    )
    slot = PLOT_W / max(1, len(x_labels))
    every = max(1, math.ceil(len(x_labels) / MAX_X_LABELS))
    for i, label in enumerate(x_labels):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{TOP + PLOT_H + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append(
        f'<text class="axis-title" x="{LEFT + PLOT_W / 2:.1f}" y="{HEIGHT - 8}" '
        f'text-anchor="middle">{escape(x_title)}</text>'
    )
    mid = TOP + PLOT_H / 2
    parts.append(
        f'<text class="axis-title" x="14" y="{mid:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {mid:.1f})">{escape(y_title)}</text>'
    )
    return parts


def _svg(name: str, label: str, parts: list[str]) -> str:
    body = "\n".join(parts)
    return (
        f'<svg class="chart" data-chart="{escape(name)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">\n'
        f"{body}\n</svg>"
    )


def bar_chart(
    name: str,
    columns: Sequence[Column],
    x_title: str,
    y_title: str,
    y_format: Callable[[float], str] = number,
) -> str:
    """Bars, stacked when a column has several segments. A zero segment is still drawn (one
    pixel high), so every value has an element and a tooltip."""
    top_value = max((sum(s.value for s in c.segments) for c in columns), default=0)
    step = nice_step(top_value)
    top = scale_top(top_value, step)
    parts = _frame([c.label for c in columns], top, step, x_title, y_title, y_format)
    slot = PLOT_W / max(1, len(columns))
    width = max(1.0, min(40.0, slot * 0.72))
    for i, column in enumerate(columns):
        x = LEFT + slot * (i + 0.5) - width / 2
        base = 0.0
        for segment in column.segments:
            y0, y1 = _y(base, top), _y(base + segment.value, top)
            height = max(1.0, y0 - y1)
            parts.append(
                f'<rect class="bar" data-series="{escape(segment.series)}" '
                f'data-value="{segment.value:g}" x="{x:.1f}" y="{y0 - height:.1f}" '
                f'width="{width:.1f}" height="{height:.1f}" fill="{segment.color}">'
                f"<title>{escape(segment.title)}</title></rect>"
            )
            base += segment.value
        if column.marked:
            cx = x + width / 2
            parts.append(
                f'<circle class="mark" cx="{cx:.1f}" cy="{TOP + PLOT_H + 28}" r="3.5" '
                f'fill="{BAD}"><title>{escape(column.marked)}</title></circle>'
            )
    return _svg(name, y_title, parts)


def line_chart(
    name: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    x_title: str,
    y_title: str,
    y_format: Callable[[float], str] = number,
    y_max: float | None = None,
    y_step: Callable[[float], float] = nice_step,
) -> str:
    """Lines with a point per value; a None value leaves a gap (no point, the line breaks).
    Y_STEP gives the tick step for the largest value (round minutes for durations...)."""
    top_value = y_max or max((v for s in series for v in s.values if v is not None), default=0)
    step = y_step(top_value)
    top = scale_top(top_value, step)
    parts = _frame(x_labels, top, step, x_title, y_title, y_format)
    slot = PLOT_W / max(1, len(x_labels))
    for line in series:
        points = [
            (LEFT + slot * (i + 0.5), _y(value, top), value, title)
            for i, (value, title) in enumerate(zip(line.values, line.titles, strict=True))
            if value is not None
        ]
        parts += _polylines(line, points, slot)
        parts += [
            f'<circle class="point" data-series="{escape(line.name)}" data-value="{value:g}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.color}">'
            f"<title>{escape(title)}</title></circle>"
            for x, y, value, title in points
        ]
    return _svg(name, y_title, parts)


def _polylines(
    line: Series, points: list[tuple[float, float, float, str]], slot: float
) -> list[str]:
    """The line through the points, broken where a position has no value."""
    runs: list[list[tuple[float, float]]] = []
    last_x = None
    for x, y, _, _ in points:
        if last_x is None or x - last_x > slot * 1.5:
            runs.append([])
        runs[-1].append((x, y))
        last_x = x
    return [
        f'<polyline class="line" fill="none" stroke="{line.color}" stroke-width="2" '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>'
        for run in runs
        if len(run) > 1
    ]


def legend(entries: Sequence[tuple[str, str]]) -> str:
    """An HTML legend: (colour, name) pairs."""
    items = "".join(
        f'<li><span class="swatch" style="background:{c}"></span>{escape(n)}</li>'
        for c, n in entries
    )
    return f'<ul class="legend">{items}</ul>'
