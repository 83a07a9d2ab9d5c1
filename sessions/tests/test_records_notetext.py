"""The `notetext` filter: escapes first, then keeps paragraphs, line breaks and simple lists."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from sessions.templatetags.notes import notetext


def test_plain_text_becomes_one_paragraph():
    assert notetext("Talked about delegation.") == "<p>Talked about delegation.</p>"


def test_single_line_breaks_are_kept_and_blank_lines_start_a_new_paragraph():
    text = "First line\nsecond line\n\nNew paragraph"
    assert notetext(text) == "<p>First line<br>second line</p>\n<p>New paragraph</p>"


def test_windows_and_old_mac_line_endings_are_line_breaks_too():
    assert notetext("a\r\nb\rc") == "<p>a<br>b<br>c</p>"


@pytest.mark.parametrize("marker", ["- ", "* "])
def test_lines_starting_with_a_dash_or_star_become_a_list(marker):
    text = f"Next steps:\n{marker}call the board\n{marker}write the plan\nThat is all."
    assert notetext(text) == (
        "<p>Next steps:</p>\n<ul><li>call the board</li><li>write the plan</li></ul>\n<p>That is all.</p>"
    )


def test_a_dash_without_a_space_is_not_a_list():
    assert notetext("-5 degrees\n*important*") == "<p>-5 degrees<br>*important*</p>"


def test_html_and_script_are_escaped_before_any_markup_is_added():
    text = '<script>alert("x")</script>\n- <b>bold</b> & <img src=x onerror=alert(1)>'
    html = notetext(text)
    assert "<script" not in html
    assert "<b>" not in html
    assert "<img" not in html
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>\n"
        "<ul><li>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</li></ul>"
    )


def test_text_already_marked_safe_is_escaped_all_the_same():
    assert notetext(SafeString("<em>hi</em>")) == "<p>&lt;em&gt;hi&lt;/em&gt;</p>"


def test_empty_and_missing_text_render_nothing():
    assert notetext("") == ""
    assert notetext(None) == ""
    assert notetext("\n\n  \n") == ""


def test_the_result_is_marked_safe_so_the_template_does_not_escape_twice():
    rendered = Template("{% load notes %}{{ text|notetext }}").render(Context({"text": "a & b\n- <i>"}))
    assert rendered == "<p>a &amp; b</p>\n<ul><li>&lt;i&gt;</li></ul>"
