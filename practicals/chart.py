"""A small temperature chart of an attempt, drawn on the server as SVG (no JS library, no CDN).

Nozzle and bed: the measured curve as a solid line, the target as a dashed one.
"""

from .services.telemetry import Series

WIDTH, HEIGHT, PAD = 320, 160, 24


def chart_lines(series: Series) -> dict:
    """Polylines scaled to the chart, and the axis labels."""
    if not series.t:
        return {"empty": True, "width": WIDTH, "height": HEIGHT}
    values = [
        v
        for column in (series.nozzle, series.nozzle_target, series.bed, series.bed_target)
        for v in column
        if v is not None
    ]
    top = max([*values, 50.0])
    top = (int(top // 50) + 1) * 50
    span = max(series.t[-1], 1.0)

    def x(t):
        return PAD + (WIDTH - 2 * PAD) * t / span

    def y(v):
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    def polyline(column):
        pairs = zip(series.t, column, strict=False)
        return " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in pairs if v is not None)

    return {
        "empty": False,
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "right": WIDTH - PAD,
        "bottom": HEIGHT - PAD,
        "top_label": top,
        "minutes": round(span / 60, 1),
        "nozzle": polyline(series.nozzle),
        "nozzle_target": polyline(series.nozzle_target),
        "bed": polyline(series.bed),
        "bed_target": polyline(series.bed_target),
    }
