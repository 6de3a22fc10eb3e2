"""Digit groups ("8 000 kronor") are kept together in what is shown, never in what is stored."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeData, mark_safe

from core.templatetags.typography import join_digit_groups, nobreak_digits

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("8 000 kronor", f"8{NBSP}000 kronor"),
        ("1 250 000 kr och 12 500 kr", f"1{NBSP}250{NBSP}000 kr och 12{NBSP}500 kr"),
        ("Mellan 100 och 200 personer", "Mellan 100 och 200 personer"),
        ("år 2020 300 deltagare", "år 2020 300 deltagare"),  # two numbers
        ("12345 678", "12345 678"),
        ("8 0000", "8 0000"),
        ("punkt 3 och 000", "punkt 3 och 000"),
        ("", ""),
    ],
)
def test_plain_text_groups_are_joined(text, shown):
    assert nobreak_digits(text) == shown


def test_plain_text_is_escaped_first():
    shown = nobreak_digits('<script>alert("8 000")</script> & 5 000')
    assert isinstance(shown, SafeData)
    assert shown == f"&lt;script&gt;alert(&quot;8{NBSP}000&quot;)&lt;/script&gt; &amp; 5{NBSP}000"


def test_safe_html_changes_in_its_text_only():
    html = mark_safe(
        '<p>Budget <strong>8 000</strong> kr, se <a href="https://example.se/?q=1 000&amp;x=2 000"'
        ' rel="noopener">rapport 3 500</a>.</p><ul><li>2 000 st</li></ul>'
    )
    shown = nobreak_digits(html)
    assert isinstance(shown, SafeData)
    assert shown == (
        f"<p>Budget <strong>8{NBSP}000</strong> kr, se "
        '<a href="https://example.se/?q=1 000&amp;x=2 000" rel="noopener">'
        f"rapport 3{NBSP}500</a>.</p><ul><li>2{NBSP}000 st</li></ul>"
    )


def test_in_a_template_plain_and_safe_values_alike():
    template = Template(
        "{% load typography %}{{ text|nobreak_digits }}|{{ html|safe|nobreak_digits }}"
    )
    out = template.render(Context({"text": "<i>4 000</i>", "html": "<i>4 000</i>"}))
    assert out == f"&lt;i&gt;4{NBSP}000&lt;/i&gt;|<i>4{NBSP}000</i>"
    off = Template(
        "{% load typography %}{% autoescape off %}{{ text|nobreak_digits }}{% endautoescape %}"
    )
    assert off.render(Context({"text": "<i>4 000</i>"})) == f"<i>4{NBSP}000</i>"


def test_digit_groups_are_joined_through_the_search_markers():
    """The search marks its hits with private-use characters before they become <mark> tags:
    the groups are joined through them, and the markers stay where they were."""
    start, stop = "\ue000", "\ue001"
    marked = f"Budget 8 {start}000{stop} kr, {start}12{stop} 500 och 2020 300"
    assert join_digit_groups(marked, transparent=start + stop) == (
        f"Budget 8\u00a0{start}000{stop} kr, {start}12{stop}\u00a0500 och 2020 300"
    )
    assert join_digit_groups("8 000 kr") == "8\u00a0000 kr"
