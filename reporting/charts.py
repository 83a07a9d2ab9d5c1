"""The SVG charts moved to `core.charts`, where every app above core may draw them (the health
dashboard here, the progress charts beside it); this name stays for the reporting code that uses it."""

from core.charts import Chart, Series, bar_chart, column_chart, data_table, format_value, line_chart, nice_ticks

__all__ = ["Chart", "Series", "bar_chart", "column_chart", "data_table", "format_value", "line_chart", "nice_ticks"]
