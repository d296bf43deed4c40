# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Bar and line charts of a report as reportlab drawings, for the PDF"
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from .formatting import format_number, format_percent
from .model import PERCENT

# Distinct on screen and still tellable apart when printed in grey
PALETTE = [
    colors.HexColor(c) for c in (
        '#1f5fa8', '#d9822b', '#2e8b57', '#b03a48', '#6a4c93', '#8c8c8c',
        '#c9a227', '#17a2b8')]

LABEL_MAX = 28


def _value_text(value_type, value):
    if value_type == PERCENT:
        return format_percent(value, 0)
    return format_number(value)


def _label(text):
    text = str(text)
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1] + '…'


def chart_drawing(chart, width, fonts, height=75 * mm):
    "A Drawing of `chart` (a model.Chart) `width` points wide"
    drawing = Drawing(width, height, initialFontName=fonts.regular)
    title_size = 11
    drawing.add(String(width / 2, height - title_size, chart.title,
            fontName=fonts.bold, fontSize=title_size, textAnchor='middle'))
    data = [tuple(float(v) if v is not None else None for v in s.values)
        for s in chart.series]
    many = len(chart.categories) > 8
    legend_height = 16
    bottom = 40 if many else 18
    if chart.kind == 'bar':
        plot = VerticalBarChart()
        plot.data = [tuple(v or 0 for v in values) for values in data]
        plot.groupSpacing = 6
        plot.barSpacing = 1
        for index in range(len(data)):
            plot.bars[index].fillColor = PALETTE[index % len(PALETTE)]
            plot.bars[index].strokeColor = None
        if len(chart.categories) * len(data) <= 30:
            # The figures themselves, leaders read them in meetings
            plot.barLabelFormat = (
                lambda v, t=chart.value_type: _value_text(t, v))
            plot.barLabels.fontName = fonts.regular
            plot.barLabels.fontSize = 7
            plot.barLabels.nudge = 6
    else:
        plot = HorizontalLineChart()
        plot.data = data
        plot.joinedLines = 1
        for index in range(len(data)):
            color = PALETTE[index % len(PALETTE)]
            plot.lines[index].strokeColor = color
            plot.lines[index].strokeWidth = 1.5
            plot.lines[index].symbol = makeMarker('FilledCircle', size=4,
                fillColor=color, strokeColor=color)
    plot.x = 45
    plot.y = bottom
    plot.width = width - plot.x - 10
    # Title, then the legend, then the plot
    plot.height = height - bottom - title_size - legend_height - 12
    plot.categoryAxis.categoryNames = [_label(c) for c in chart.categories]
    plot.categoryAxis.labels.fontName = fonts.regular
    plot.categoryAxis.labels.fontSize = 8
    if many:
        plot.categoryAxis.labels.angle = 30
        plot.categoryAxis.labels.boxAnchor = 'ne'
        plot.categoryAxis.labels.dx = 4
    plot.valueAxis.labels.fontName = fonts.regular
    plot.valueAxis.labels.fontSize = 8
    plot.valueAxis.labelTextFormat = (
        lambda v, t=chart.value_type: _value_text(t, v))
    values = [v for values in data for v in values if v is not None]
    if values and min(values) >= 0:
        plot.valueAxis.valueMin = 0
    if chart.value_type == PERCENT and values and max(values) <= 1:
        plot.valueAxis.valueMax = 1
    plot.valueAxis.visibleGrid = 1
    plot.valueAxis.gridStrokeColor = colors.HexColor('#dddddd')
    drawing.add(plot)
    legend = Legend()
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], s.name)
        for i, s in enumerate(chart.series)]
    legend.fontName = fonts.regular
    legend.fontSize = 8
    legend.alignment = 'right'
    legend.boxAnchor = 'n'
    legend.x = width / 2
    legend.y = height - title_size - 6
    legend.dx = legend.dy = 7
    legend.columnMaximum = 1
    legend.deltax = max(60, min(160, width / max(1, len(chart.series))))
    drawing.add(legend)
    return drawing
