"""The date, time and number inputs echo a refused value only when their control can hold it."""

import datetime

import pytest

from core import widgets


@pytest.mark.parametrize(
    ("widget", "value", "shown"),
    [
        (widgets.DateInput(), "inte ett datum", None),
        (widgets.DateInput(), "2025-02-30", None),
        (widgets.DateInput(), "2025-02-24", "2025-02-24"),
        (widgets.DateInput(), datetime.date(2025, 2, 24), "2025-02-24"),
        (widgets.TimeInput(), "halv nio", None),
        (widgets.TimeInput(), "08:30", "08:30"),
        (widgets.NumberInput(), "x", None),
        (widgets.NumberInput(), "2021", "2021"),
        (widgets.NumberInput(), 2021, "2021"),
        (widgets.NumberInput(), "", None),
    ],
)
def test_only_a_value_the_control_can_hold_is_echoed(widget, value, shown):
    assert widget.format_value(value) == shown


def test_the_inputs_keep_their_types():
    assert 'type="date"' in widgets.DateInput().render("d", "x")
    assert 'value="x"' not in widgets.DateInput().render("d", "x")
    assert 'type="time"' in widgets.TimeInput().render("t", None)
