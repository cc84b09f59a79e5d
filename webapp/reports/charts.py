"""Hand-made SVG charts (no JavaScript): readable at 360 px on a phone and in grey on paper.

Every chart is 340 user units wide so a 12-unit font is 12 px on a phone; CSS caps the width on
desktops and sets it in millimetres in the PDF. Each bar carries its number as text, and the
"failed" colour is hatched, so nothing depends on telling colours apart.
"""
import functools
import itertools

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import get_locale
from markupsafe import Markup, escape

WIDTH = 340
FONT = 12
COLORS = {
    "recorded": "#0b5d3b", "failed": "#c0392b", "waiting": "#e0a800", "absent": "#6b7280",
    "not_arrived": "#cfd6dd", "under_age": "#8fb3e0", "eligible": "#4f8a6b", "present": "#2f7d57",
    "registered": "#9aa3ab", "target": "#1a56a8", "ikd": "#1a56a8", "already_recorded": "#7a5ea8",
}
_ids = itertools.count(1)


@functools.lru_cache(maxsize=16)
def _symbols(locale):
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _local(text):
    """Python's "1,234.5" with the current locale's separators (Babel's own formatting parses
    its pattern on every call: a city dashboard prints over a thousand numbers)."""
    group, decimal = _symbols(str(get_locale() or "id"))
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def number(value):
    """A whole number in the current locale (1.234 in Indonesian)."""
    if type(value) is int and -1000 < value < 1000:
        return str(value)  # no separator to place: most cells of a city's tables
    return _local(f"{value or 0:,}")


def percent(part, whole, digits=1):
    """part/whole as '12,5%' in the current locale ('-' when whole is 0)."""
    if not whole:
        return "-"
    return _local(f"{round(100.0 * part / whole, digits):,.{digits}f}") + "%"


def _short(text, limit=44):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(height, title, body, defs=""):
    label = escape(title)
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{label}" '
        f'font-family="DejaVu Sans, system-ui, sans-serif" font-size="{FONT}">'
        f"<title>{label}</title>{defs}{body}</svg>"
    )


def _hatch(uid, color):
    return (f'<pattern id="hatch{uid}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{color}"/>'
            f'<rect width="2" height="6" fill="#fff" fill-opacity=".55"/></pattern>')


def _fill(key, uid):
    return f"url(#hatch{uid})" if key == "failed" else COLORS.get(key, key)


def _text(x, y, content, anchor="start", weight=None, fill="#1b1f23"):
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{bold}>'
            f"{escape(content)}</text>")


def _rect(x, y, w, h, fill, stroke=None):
    line = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h}" fill="{fill}"{line}/>'


def stacked_bar(segments, title):
    """One 100% bar split into segments [(key, label, value)], with a legend line per segment."""
    uid = next(_ids)
    total = sum(v for _, _, v in segments)
    body, x, bar_h = [], 0.0, 26
    for key, _label, value in segments:
        w = WIDTH * value / total if total else 0
        if w:
            body.append(_rect(x, 0, w, bar_h, _fill(key, uid)))
        x += w
    body.append(_rect(0.5, 0.5, WIDTH - 1, bar_h - 1, "none", "#1b1f23"))
    y = bar_h + 8
    for key, label, value in segments:
        y += 20
        body.append(_rect(0, y - 11, 12, 12, _fill(key, uid), "#1b1f23"))
        body.append(_text(18, y, label))
        body.append(_text(WIDTH, y, f"{number(value)} ({percent(value, total)})", "end", "bold"))
    defs = f"<defs>{_hatch(uid, COLORS['failed'])}</defs>"
    return _svg(y + 6, title, "".join(body), defs)


def bars(items, title, max_value=None):
    """Horizontal bars [(key, label, value)], label above each bar and its number beside it."""
    uid = next(_ids)
    top = max_value if max_value is not None else max((v for _, _, v in items), default=0)
    room = WIDTH - 56
    body, y = [], 0
    for key, label, value in items:
        body.append(_text(0, y + 13, _short(label, 52)))
        w = room * value / top if top else 0
        body.append(_rect(0, y + 18, max(w, 1.5 if value else 0), 14, _fill(key, uid)))
        body.append(_text(w + 6, y + 30, number(value), weight="bold"))
        y += 40
    if not items:
        body.append(_text(0, 14, "-"))
        y = 22
    defs = f"<defs>{_hatch(uid, COLORS['failed'])}</defs>"
    return _svg(max(y, 22), title, "".join(body), defs)


def stacked_rows(rows, keys, legend, title, empty_text):
    """One 100% bar per row [(label, {key: value}, caption)], with a shared legend on top."""
    uid = next(_ids)
    body, x, y = [], 0, 12
    for key in keys:  # legend, wrapped on a second line when it is wider than the chart
        item_w = 20 + 7 * len(legend[key])
        if x + item_w > WIDTH:
            x, y = 0, y + 18
        body.append(_rect(x, y - 10, 11, 11, _fill(key, uid), "#1b1f23"))
        body.append(_text(x + 15, y, legend[key]))
        x += item_w + 8
    y += 12
    for label, values, caption in rows:
        total = sum(values.get(k, 0) for k in keys)
        body.append(_text(0, y + 13, _short(label, 30), weight="bold"))
        body.append(_text(WIDTH, y + 13, caption, "end"))
        bx = 0.0
        for key in keys:
            w = WIDTH * values.get(key, 0) / total if total else 0
            if w:
                body.append(_rect(bx, y + 18, w, 14, _fill(key, uid)))
            bx += w
        body.append(_rect(0.5, y + 18.5, WIDTH - 1, 13, "none", "#5b636b"))
        if not total:
            body.append(_text(6, y + 29, empty_text, fill="#5b636b"))
        y += 42
    defs = f"<defs>{_hatch(uid, COLORS['failed'])}</defs>"
    return _svg(y, title, "".join(body), defs)


def progress(value, target, title, caption):
    """A progress bar of value/target with the caption under it."""
    share = min(value / target, 1.0) if target else 0
    w = WIDTH * share
    body = [
        _rect(0, 0, WIDTH, 22, "#e8ecef", "#5b636b"),
        # A visible sliver even at 0.1%: the city target dwarfs one school.
        _rect(0, 0, max(w, 3 if value else 0), 22, COLORS["recorded"]),
        _text(0, 42, caption),
    ]
    return _svg(50, title, "".join(body))


def state_chart(counts, closed, title):
    """The five end states of a set of students (counts as Counts.to_dict())."""
    from webapp.reports import labels

    segments = [(k, labels.word(labels.SEGMENT, k), counts[k]) for k in labels.SEGMENTS]
    if closed:  # nobody is "not yet arrived" once the visit is closed
        segments = [s for s in segments if s[0] != "not_arrived" or s[2]]
    return stacked_bar(segments, title)


def reason_chart(reasons, title):
    """Failures per reason [{"label", "count"}], or None when nobody failed."""
    items = [("failed", r["label"], r["count"]) for r in reasons if r["count"]]
    return bars(items, title) if items else None
