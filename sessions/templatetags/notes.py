"""`notetext`: show a note or reflection safely, keeping its line breaks and simple lists."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LIST_MARKERS = ("- ", "* ")


def _paragraph(lines: list[str]) -> str:
    return "<p>" + "<br>".join(lines) + "</p>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


@register.filter(is_safe=False)
def notetext(value) -> SafeString:
    """Escape everything first, then build the markup: blank lines separate paragraphs, single
    line breaks become <br>, and runs of lines starting with "- " or "* " become a <ul>.

    Only the tags added here reach the page; anything the writer typed is shown as text.
    """
    text = escape(str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    lines: list[str] = []
    items: list[str] = []

    def flush_lines() -> None:
        if lines:
            blocks.append(_paragraph(lines))
            lines.clear()

    def flush_items() -> None:
        if items:
            blocks.append(_list(items))
            items.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(LIST_MARKERS):
            flush_lines()
            items.append(stripped[2:].strip())
        elif not stripped:
            flush_lines()
            flush_items()
        else:
            flush_items()
            lines.append(line.rstrip())
    flush_lines()
    flush_items()
    return mark_safe("\n".join(blocks))  # noqa: S308 — every piece of user text was escaped above
