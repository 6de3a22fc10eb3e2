"""The refusals of the action plan services. ``PlanError`` is a change the user can mend, with a
Swedish message; ``PlanFrozen`` (a kind of it) is a change the document's state does not allow,
such as new goals in an adopted plan (409 in the views)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from minutes import services as minutes_services


class PlanError(Exception):
    """A change that cannot be made; the message is Swedish and meant for the user."""


class PlanFrozen(PlanError):
    """A change that the state of the plan, the report or the minutes does not allow."""


class ReportNotReproducible(Exception):
    """An adopted report's PDF is lost from the storage and this version of Protokollet does
    not render it again byte for byte (the renderer changed since the adoption, see
    minutes.pdf.RENDERER_VERSION): only a backup brings it back. The message is Swedish."""


@contextmanager
def minutes_errors() -> Iterator[None]:
    """The minutes services' refusals as the plans' own, so the views need to know only these:
    an item in minutes that are no longer a draft is ``PlanFrozen``, text the minutes refuse
    (``check_text``, ``item_set_points``) a ``PlanError`` with the same message."""
    try:
        yield
    except minutes_services.NotEditable:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras."
        ) from None
    except minutes_services.InvalidInput as error:
        raise PlanError(str(error)) from None
