"""Server-rendered SVG charts for the office's reports: no JavaScript, no CDN."""

from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 80
BAR_HEIGHT = 20
ROW_HEIGHT = 28
PADDING = 8
LABEL_CHARS = 32
BAR_STYLE = "fill: var(--w-color-secondary, #007d7e)"
TEXT_STYLE = "fill: currentColor; font-size: 13px"

# Element ids only need to be unique within one page; a counter keeps them readable.
_ids = count(1)


def format_value(value: float) -> str:
    """A localised number: whole numbers without decimals, others with one."""
    if float(value).is_integer():
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)


def bar_chart(
    points: Sequence[tuple[str, float]], *, title: str, value_label: str = ""
) -> SafeString:
    """An accessible horizontal bar chart of (label, value) points, as inline SVG.

    Labels are escaped; long labels are shortened on the bar but kept whole in
    each row's tooltip. Negative values are drawn as empty bars.
    """
    chart_id = f"chart-{next(_ids)}"
    if not points:
        return _empty_chart(chart_id, title)

    largest = max(max(float(value), 0) for _label, value in points)
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    rows = []
    for index, (label, value) in enumerate(points):
        y = PADDING + index * ROW_HEIGHT
        length = bar_area * max(float(value), 0) / largest if largest else 0
        shown = format_value(value)
        tooltip = f"{label}: {shown} {value_label}".strip()
        rows.append(
            (
                tooltip,
                PADDING + LABEL_WIDTH - PADDING,
                y + BAR_HEIGHT / 2,
                TEXT_STYLE,
                Truncator(str(label)).chars(LABEL_CHARS),
                PADDING + LABEL_WIDTH,
                y,
                f"{length:.1f}",
                BAR_HEIGHT,
                BAR_STYLE,
                PADDING + LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT / 2,
                TEXT_STYLE,
                shown,
            )
        )
    height = 2 * PADDING + len(points) * ROW_HEIGHT
    description = ngettext(
        "%(count)s bar, largest value %(largest)s.",
        "%(count)s bars, largest value %(largest)s.",
        len(points),
    ) % {"count": len(points), "largest": f"{format_value(largest)} {value_label}".strip()}
    return format_html(
        '<svg class="report-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        desc=description,
        rows=format_html_join(
            "",
            "<g><title>{}</title>"
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" style="{}">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" style="{}"></rect>'
            '<text x="{}" y="{}" dominant-baseline="middle" style="{}">{}</text></g>',
            rows,
        ),
    )


def _empty_chart(chart_id: str, title: str) -> SafeString:
    return format_html(
        '<svg class="report-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} 48" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{empty}</desc>'
        '<text x="{padding}" y="24" dominant-baseline="middle" style="{style}">{empty}</text>'
        "</svg>",
        id=chart_id,
        width=WIDTH,
        title=title,
        empty=_("No data for this period."),
        padding=PADDING,
        style=TEXT_STYLE,
    )
