"""CSV for spreadsheets: cells safe against formula injection, lines to stream, in the reader's
language. Shared by every export (reporting's engagement and session exports, billing's invoices).

A spreadsheet opens a CSV with its locale's list separator and decimal mark: Swedish Excel and
LibreOffice expect `;` between cells and `1234,50`, English ones `,` and `1234.50`. So the
separator follows the language's decimal mark (a comma as the decimal mark means `;` between
cells), numbers are written with it, times in the reader's time zone ("2026-12-04 09:00"), dates
as 2026-12-04, which both read as dates."""

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import formats, timezone, translation

# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def spreadsheet_text(value, zone: datetime.tzinfo) -> str:
    """A value as the active language's spreadsheets read it: decimals with its decimal mark, an
    aware moment in `zone`, a date in ISO order; anything else as text."""
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(zone) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True)
    return "" if value is None else str(value)


def separator() -> str:
    """The cell separator the active language's spreadsheets expect."""
    return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark so Excel reads it as UTF-8.

    The language and time zone are those active now, in the request; the rows are read (and their
    labels translated) later, while the response streams, so each row is made under them again."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    writer = csv.writer(_Echo(), delimiter=separator())
    first = writer.writerow([safe_cell(str(label)) for label in header])
    return _stream(first, iter(rows), writer, language, zone)


def _stream(first: str, rows: Iterator[list], writer, language: str, zone: datetime.tzinfo) -> Iterator[str]:
    yield "\ufeff" + first
    while True:
        with translation.override(language):
            row = next(rows, None)
            if row is None:
                return
            line = writer.writerow([safe_cell(spreadsheet_text(value, zone)) for value in row])
        yield line
