"""Writing action plans and annual reports, and linking them to agenda items: every change in one
transaction with an audit row, one module per stage of the plan's life:

- ``plans``: the plan, its goals and activities, and a revision that opens adopted goals again;
- ``adoption``: an agenda item that adopts a plan or a report, or follows a plan up, and what
  those links do when the minutes are approved;
- ``follow_ups``: the follow-up of the plan's activities at a meeting;
- ``reports``: the annual report, assembled, edited and frozen as a PDF;
- ``errors``: ``PlanError`` and ``PlanFrozen``, which the views turn into messages and 409s.

The names are re-exported here, so callers write ``services.plan_create(...)``."""

from actionplans.services.adoption import (
    link_follow_up,
    link_plan,
    link_report,
    minutes_approved,
    minutes_corrected,
    unlink,
)
from actionplans.services.errors import PlanError, PlanFrozen, ReportNotReproducible
from actionplans.services.follow_ups import FollowUpInput, follow_up_activities, follow_ups_save
from actionplans.services.plans import (
    ACTIVITY_FIELDS,
    FOLLOW_UP_TITLE,
    activity_create,
    activity_delete,
    activity_update,
    goal_create,
    goal_delete,
    goal_move,
    goal_points,
    goal_update,
    plan_create,
    plan_revise,
    plan_update,
)
from actionplans.services.reports import (
    assemble_report,
    report_create,
    report_freeze,
    report_reassemble,
    report_restore_pdf,
    report_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "FOLLOW_UP_TITLE",
    "FollowUpInput",
    "PlanError",
    "PlanFrozen",
    "ReportNotReproducible",
    "activity_create",
    "activity_delete",
    "activity_update",
    "assemble_report",
    "follow_up_activities",
    "follow_ups_save",
    "goal_create",
    "goal_delete",
    "goal_move",
    "goal_points",
    "goal_update",
    "link_follow_up",
    "link_plan",
    "link_report",
    "minutes_approved",
    "minutes_corrected",
    "plan_create",
    "plan_revise",
    "plan_update",
    "report_create",
    "report_freeze",
    "report_reassemble",
    "report_restore_pdf",
    "report_update",
    "unlink",
]
