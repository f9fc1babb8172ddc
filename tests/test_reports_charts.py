"""The reports' server-rendered bar chart."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.core.charts import bar_chart


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_text_is_translated():
    with translation.override("vi"):
        svg = bar_chart([], title="Yêu cầu")

    assert "Không có dữ liệu trong khoảng thời gian này." in svg


def test_bars_are_sized_against_the_largest_value():
    svg = bar_chart([("Nước mắm", 10), ("Rượu nếp", 5), ("Chiếu cói", 0)], title="Views")

    widths = [float(width) for width in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0
    assert widths[2] == 0
    assert svg.startswith('<svg class="report-chart" role="img" aria-labelledby=')
    assert "<title" in svg and ">Views</title>" in svg
    for text in ("Nước mắm", "Rượu nếp", "Chiếu cói", ">10<", ">5<", ">0<"):
        assert text in svg
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_labels_and_title_are_escaped():
    svg = bar_chart([('<script>alert("x")</script>', 3)], title="A & <b>", value_label="<i>")

    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; &lt;b&gt;" in svg


def test_empty_data_says_so():
    svg = bar_chart([], title="Inquiries")

    assert 'role="img"' in svg
    assert "No data for this period." in svg
    assert "<rect" not in svg


def test_all_zero_values_draw_empty_bars():
    svg = bar_chart([("Tháng 1", 0), ("Tháng 2", 0)], title="Inquiries")

    assert re.findall(r'<rect [^>]*width="([\d.]+)"', svg) == ["0.0", "0.0"]


def test_ids_differ_between_charts_on_one_page():
    first, second = bar_chart([], title="A"), bar_chart([], title="B")

    assert re.search(r'id="([^"]+)"', first)[1] != re.search(r'id="([^"]+)"', second)[1]


def test_include_puts_the_chart_in_a_figure():
    html = render_to_string(
        "reports/includes/chart.html",
        {"chart": bar_chart([("a", 1)], title="T"), "caption": "<Chú thích>"},
    )

    assert html.strip().startswith("<figure")
    assert '<svg class="report-chart"' in html
    assert "&lt;Chú thích&gt;" in html
