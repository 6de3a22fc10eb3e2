"""Writing action plans and annual reports, and linking them to agenda items: every change in one
transaction with an audit row. Errors the user can mend are ``PlanError`` with a Swedish message;
``PlanFrozen`` (a kind of it) is a change the document's state does not allow, such as new goals
in an adopted plan (409 in the views)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from html import escape

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from actionplans import selectors
from actionplans.models import ActionPlan, Activity, AnnualReport, FollowUp, Goal, ItemLink
from actionplans.pdf import report_pdf
from core import audit
from core.dates import long_date
from councils.models import Council, Membership
from minutes import services as minutes_services
from minutes.models import AgendaItem, Attendance, Meeting, Minutes

OPEN_STATUSES = (Activity.Status.PLANNED, Activity.Status.ONGOING)
FOLLOW_UP_TITLE = "Uppföljning av handlingsplanen"
FOLLOW_UP_MAX = 2000
logger = logging.getLogger(__name__)


class PlanError(Exception):
    """A change that cannot be made; the message is Swedish and meant for the user."""


class PlanFrozen(PlanError):
    """A change that the state of the plan, the report or the minutes does not allow."""


def _lock(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_create(
    *, council: Council, year: int, actor, request=None, copy_previous: bool = False
) -> ActionPlan:
    """A new plan for ``year``. With ``copy_previous`` it starts from the council's latest
    earlier plan: its introduction, situation picture and goals, and the activities that are
    still planned or ongoing (done and cancelled ones stay in the old plan)."""
    if not 1900 <= year <= 2200:
        raise PlanError("Ange ett år med fyra siffror.")
    if ActionPlan.objects.filter(council=council, year=year).exists():
        raise PlanError(f"Rådet har redan en handlingsplan för {year}.")
    previous = None
    if copy_previous:
        previous = (
            ActionPlan.objects.filter(council=council, year__lt=year).order_by("-year").first()
        )
        if previous is None:
            raise PlanError(f"Rådet har ingen tidigare handlingsplan att utgå från före {year}.")
    plan = ActionPlan.objects.create(
        council=council,
        year=year,
        title=f"Handlingsplan {year}",
        introduction=previous.introduction if previous else "",
        situation_picture=previous.situation_picture if previous else "",
    )
    carried = 0
    if previous is not None:
        for goal in previous.goals.prefetch_related("activities").order_by("position"):
            copy = Goal.objects.create(
                plan=plan, position=goal.position, title=goal.title, description=goal.description
            )
            open_activities = [a for a in goal.activities.all() if a.status in OPEN_STATUSES]
            Activity.objects.bulk_create(
                Activity(
                    goal=copy,
                    position=activity.position,
                    title=activity.title,
                    responsible=activity.responsible,
                    start_date=activity.start_date,
                    end_date=activity.end_date,
                    status=activity.status,
                    indicator=activity.indicator,
                )
                for activity in open_activities
            )
            carried += len(open_activities)
    # a council with a plan follows it up at every meeting
    minutes_services.standing_item_ensure(
        council=council, title=FOLLOW_UP_TITLE, actor=actor, request=request
    )
    audit.record(
        "actionplan.created",
        request=request,
        actor=actor,
        obj=plan,
        year=year,
        copied_from=previous.year if previous else None,
        activities_carried=carried,
    )
    return plan


@transaction.atomic
def plan_update(
    *, plan: ActionPlan, title: str, introduction: str, situation_picture: str, actor, request=None
) -> ActionPlan:
    plan = _lock(plan)
    plan.title = title.strip()
    plan.introduction = introduction.strip()
    plan.situation_picture = situation_picture.strip()
    plan.save(update_fields=["title", "introduction", "situation_picture", "updated_at"])
    audit.record("actionplan.updated", request=request, actor=actor, obj=plan)
    return plan


@transaction.atomic
def goal_create(*, plan: ActionPlan, title: str, description: str, actor, request=None) -> Goal:
    """A goal after the plan's last one."""
    plan = _lock(plan)
    _check_goals_editable(plan)
    last = plan.goals.aggregate(last=Max("position"))["last"] or 0
    goal = Goal.objects.create(
        plan=plan, position=last + 1, title=title.strip(), description=description.strip()
    )
    audit.record("actionplan.goal_created", request=request, actor=actor, obj=plan, goal=goal.pk)
    _goals_changed(plan, actor, request)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, title: str, description: str, actor, request=None) -> Goal:
    plan = _lock(goal.plan)
    _check_goals_editable(plan)
    goal.title, goal.description = title.strip(), description.strip()
    goal.save(update_fields=["title", "description"])
    audit.record("actionplan.goal_updated", request=request, actor=actor, obj=plan, goal=goal.pk)
    _goals_changed(plan, actor, request)
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, actor, request=None) -> None:
    """Delete a goal with its activities; the goals after it move up one place."""
    plan = _lock(goal.plan)
    _check_goals_editable(plan)
    if FollowUp.objects.filter(activity__goal=goal).exists():
        raise PlanFrozen(
            "Målet har insatser som har följts upp på ett möte och kan inte tas bort. "
            "Sätt insatserna som avbrutna i stället."
        )
    audit.record(
        "actionplan.goal_deleted", request=request, actor=actor, obj=plan, title=goal.title
    )
    goal.delete()
    _renumber(plan)
    _goals_changed(plan, actor, request)


@transaction.atomic
def goal_move(*, goal: Goal, offset: int, actor, request=None) -> None:
    """Move a goal one place up (``offset`` -1) or down (+1); at either end nothing happens."""
    plan = _lock(goal.plan)
    _check_goals_editable(plan)
    goals = list(plan.goals.order_by("position"))
    index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(goals):
        return
    goals[index], goals[other] = goals[other], goals[index]
    _renumber(plan, goals)
    audit.record(
        "actionplan.goal_moved", request=request, actor=actor, obj=plan, goal=goal.pk, by=offset
    )
    _goals_changed(plan, actor, request)


def _renumber(plan: ActionPlan, goals: list[Goal] | None = None) -> None:
    """Positions 1, 2, 3 … in the given order; in two steps, since positions are unique."""
    goals = goals if goals is not None else list(plan.goals.order_by("position"))
    offset = len(goals) + 1000
    for n, goal in enumerate(goals, start=1):
        Goal.objects.filter(pk=goal.pk).update(position=n + offset)
    for n, goal in enumerate(goals, start=1):
        Goal.objects.filter(pk=goal.pk).update(position=n)


ACTIVITY_FIELDS = ("title", "responsible", "start_date", "end_date", "status", "indicator")


@transaction.atomic
def activity_create(*, goal: Goal, actor, request=None, **fields) -> Activity:
    """An activity after the goal's last one; ``fields`` are ACTIVITY_FIELDS."""
    _lock(goal.plan)
    last = goal.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity.objects.create(goal=goal, position=last + 1, **_activity_fields(fields))
    audit.record(
        "actionplan.activity_created",
        request=request,
        actor=actor,
        obj=goal.plan,
        activity=activity.pk,
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, request=None, **fields) -> Activity:
    _lock(activity.goal.plan)
    for name, value in _activity_fields(fields).items():
        setattr(activity, name, value)
    activity.save(update_fields=list(ACTIVITY_FIELDS))
    audit.record(
        "actionplan.activity_updated",
        request=request,
        actor=actor,
        obj=activity.goal.plan,
        activity=activity.pk,
        status=activity.status,
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, actor, request=None) -> None:
    plan = _lock(activity.goal.plan)
    if activity.follow_ups.exists():
        raise PlanFrozen(
            "Insatsen har följts upp på ett möte och kan inte tas bort. Sätt den som avbruten "
            "i stället."
        )
    audit.record(
        "actionplan.activity_deleted", request=request, actor=actor, obj=plan, title=activity.title
    )
    activity.delete()


def _activity_fields(fields: dict) -> dict:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        raise PlanError("Slutdatum kan inte vara före startdatum.")
    if fields.get("status", Activity.Status.PLANNED) not in Activity.Status.values:
        raise PlanError("Välj en av statusarna.")
    return {
        name: value.strip() if isinstance(value, str) and name != "status" else value
        for name, value in fields.items()
    }


# --- Adoption: a plan's goals copied into the item that adopts it --------------------------------


def goal_points(plan: ActionPlan) -> list[dict]:
    """The plan's goals as the adopting item's bullet list."""
    return [
        {"text": title} for title in plan.goals.order_by("position").values_list("title", flat=True)
    ]


def _set_points(item: AgendaItem, points: list[dict], source: str, actor, request) -> None:
    try:
        minutes_services.item_set_points(
            item=item, points=points, source=source, actor=actor, request=request
        )
    except minutes_services.NotEditable:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras."
        ) from None
    except minutes_services.InvalidInput as error:
        raise PlanError(str(error)) from None


def _check_text(*values: str) -> None:
    try:
        minutes_services.check_text(*values)
    except minutes_services.InvalidInput as error:
        raise PlanError(str(error)) from None


def _check_goals_editable(plan: ActionPlan) -> None:
    if selectors.is_adopted(plan, revision=plan.revision):
        raise PlanFrozen(
            "Handlingsplanen är antagen, så målen kan inte ändras. Revidera planen för att "
            "ändra målen; den reviderade planen antas sedan på nytt av ett möte."
        )


def _goals_changed(plan: ActionPlan, actor, request) -> None:
    """Copy the goals anew into the draft items that are to adopt this revision of the plan; an
    item in minutes that wait for approval cannot change, so neither can the goals."""
    points = None
    for link in selectors.pending_links(plan):
        minutes = link.item.minutes
        if minutes.status != Minutes.Status.DRAFT:
            raise PlanFrozen(
                "Planen ligger för godkännande i minnesanteckningarna från mötet den "
                f"{long_date(minutes.meeting.date)}. Målen kan ändras först när "
                "minnesanteckningarna har återtagits eller återsänts."
            )
        points = goal_points(plan) if points is None else points
        _set_points(link.item, points, "actionplans.plan", actor, request)


def _check_item(item: AgendaItem, council: Council) -> AgendaItem:
    item = AgendaItem.objects.select_related("minutes__meeting").get(pk=item.pk)
    if item.minutes.meeting.council_id != council.pk:
        raise PlanError("Ärendet hör till ett annat råd.")
    if item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte kopplas om."
        )
    if ItemLink.objects.filter(item=item).exists():
        raise PlanError("Ärendet är redan kopplat. Ta bort kopplingen först.")
    return item


@transaction.atomic
def link_plan(*, item: AgendaItem, plan: ActionPlan, actor, request=None) -> ItemLink:
    """Let ``item`` adopt the plan's current revision: its goals become the item's bullet list.
    The plan counts as adopted once the minutes holding the item are approved."""
    plan = _lock(plan)
    item = _check_item(item, plan.council)
    if selectors.is_adopted(plan, revision=plan.revision):
        raise PlanFrozen(
            "Den här versionen av handlingsplanen är redan antagen. Revidera planen om ett "
            "möte ska anta ändrade mål."
        )
    points = goal_points(plan)
    if not points:
        raise PlanError("Handlingsplanen har inga mål att anta ännu.")
    link = ItemLink.objects.create(
        item=item, kind=ItemLink.Kind.ADOPTS_PLAN, plan=plan, plan_revision=plan.revision
    )
    _set_points(item, points, "actionplans.plan", actor, request)
    audit.record(
        "actionplan.linked", request=request, actor=actor, obj=plan, item=item.pk, kind=link.kind
    )
    return link


@transaction.atomic
def link_follow_up(*, item: AgendaItem, plan: ActionPlan, actor, request=None) -> ItemLink:
    """Let ``item`` follow up an adopted plan: per open activity a short text and a new status
    (:func:`follow_ups_save`)."""
    plan = _lock(plan)
    item = _check_item(item, plan.council)
    if not selectors.is_adopted(plan):
        raise PlanError("Handlingsplanen måste vara antagen av ett möte innan den följs upp.")
    link = ItemLink.objects.create(item=item, kind=ItemLink.Kind.FOLLOWS_UP, plan=plan)
    audit.record(
        "actionplan.linked", request=request, actor=actor, obj=plan, item=item.pk, kind=link.kind
    )
    return link


@transaction.atomic
def link_report(*, item: AgendaItem, report: AnnualReport, actor, request=None) -> ItemLink:
    """Let ``item`` adopt the annual report: once the minutes are approved, the report's PDF is
    rendered and kept."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    item = _check_item(item, report.council)
    if report.is_adopted:
        raise PlanFrozen("Verksamhetsberättelsen är redan antagen.")
    link = ItemLink.objects.create(item=item, kind=ItemLink.Kind.ADOPTS_REPORT, report=report)
    audit.record("annualreport.linked", request=request, actor=actor, obj=report, item=item.pk)
    return link


@transaction.atomic
def unlink(*, item: AgendaItem, actor, request=None) -> None:
    """Remove a draft item's link, with the bullet list and follow-ups it brought."""
    link = (
        ItemLink.objects.select_related("item__minutes", "plan", "report").filter(item=item).first()
    )
    if link is None:
        raise PlanError("Ärendet är inte kopplat.")
    if link.item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så kopplingen kan inte tas bort."
        )
    FollowUp.objects.filter(item=item).delete()
    link.delete()
    _set_points(link.item, [], "actionplans.unlink", actor, request)
    audit.record(
        "actionplan.unlinked",
        request=request,
        actor=actor,
        obj=link.plan or link.report,
        item=item.pk,
        kind=link.kind,
    )


@transaction.atomic
def plan_revise(*, plan: ActionPlan, actor, request=None) -> ActionPlan:
    """Open an adopted plan's goals for change as a new revision, which a meeting adopts again.
    Until then the public page says that the goals are being revised."""
    plan = _lock(plan)
    if not selectors.is_adopted(plan, revision=plan.revision):
        raise PlanError("Planen är inte antagen i sin nuvarande version; målen kan redan ändras.")
    plan.revision += 1
    plan.save(update_fields=["revision", "updated_at"])
    audit.record(
        "actionplan.revised", request=request, actor=actor, obj=plan, revision=plan.revision
    )
    return plan


# --- Follow-up at a meeting -----------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpInput:
    activity_id: int
    status: str
    text: str


def follow_up_activities(link: ItemLink) -> list[Activity]:
    """What the follow-up item offers: the plan's open activities and those already followed up
    in this item, in the plan's order."""
    followed = FollowUp.objects.filter(item_id=link.item_id).values("activity_id")
    return list(
        Activity.objects.filter(goal__plan=link.plan)
        .filter(Q(status__in=OPEN_STATUSES) | Q(pk__in=followed))
        .select_related("goal")
        .order_by("goal__position", "position", "id")
    )


def _follow_up_points(item: AgendaItem) -> list[dict]:
    """The item's bullet list: each goal with its followed-up activities, their new status and
    what was said."""
    points: list[dict] = []
    follow_ups = (
        FollowUp.objects.filter(item=item)
        .select_related("activity__goal")
        .order_by("activity__goal__position", "activity__position", "activity_id")
    )
    for follow_up in follow_ups:
        goal, activity = follow_up.activity.goal, follow_up.activity
        if not points or points[-1]["goal"] != goal.pk:
            points.append({"goal": goal.pk, "text": goal.title, "children": []})
        points[-1]["children"].append(
            {
                "text": activity.title,
                "label": str(Activity.Status(follow_up.status).label).lower(),
                "note": follow_up.text,
            }
        )
    for point in points:
        del point["goal"]
    return points


@transaction.atomic
def follow_ups_save(*, item: AgendaItem, entries: list[FollowUpInput], actor, request=None) -> int:
    """Record the follow-ups of a meeting's item: per activity a short text and its new status.
    An entry without text whose status is unchanged is no follow-up (and removes one made
    earlier); a changed status needs a text. The item's bullet list is written from them, and
    the new statuses take effect when the minutes are approved. Returns how many there are."""
    link = (
        ItemLink.objects.select_related("plan", "item__minutes__meeting")
        .filter(item=item, kind=ItemLink.Kind.FOLLOWS_UP)
        .first()
    )
    if link is None:
        raise PlanError("Ärendet följer inte upp någon handlingsplan.")
    item, meeting = link.item, link.item.minutes.meeting
    # the minutes row locked: one save of the item's follow-ups at a time, none after submission
    item.minutes = Minutes.objects.select_for_update().get(pk=item.minutes_id)
    if item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras."
        )
    activities = {a.pk: a for a in Activity.objects.filter(goal__plan=link.plan)}
    for entry in entries:
        activity = activities.get(entry.activity_id)
        if activity is None:
            raise PlanError("En insats hör inte till handlingsplanen; ladda om sidan.")
        if entry.status not in Activity.Status.values:
            raise PlanError("Välj en av statusarna.")
        text = (entry.text or "").strip()
        _check_text(text)
        if len(text) > FOLLOW_UP_MAX:
            raise PlanError(
                f"Uppföljningen av ”{activity.title}” är för lång (högst {FOLLOW_UP_MAX} tecken)."
            )
        if not text and entry.status == activity.status:
            FollowUp.objects.filter(item=item, activity=activity).delete()
            continue
        if not text:
            raise PlanError(
                f"Skriv en kort uppföljning för ”{activity.title}”, eller låt statusen vara."
            )
        FollowUp.objects.update_or_create(
            item=item,
            activity=activity,
            defaults={
                "meeting": meeting,
                "date": meeting.date,
                "text": text,
                "status": entry.status,
            },
        )
    points = _follow_up_points(item)
    _set_points(item, points, "actionplans.follow_up", actor, request)
    count = FollowUp.objects.filter(item=item).count()
    audit.record(
        "actionplan.followed_up",
        request=request,
        actor=actor,
        obj=link.plan,
        item=item.pk,
        count=count,
    )
    return count


def minutes_approved(*, minutes: Minutes, revision, **_kwargs) -> None:
    """Receiver of ``minutes.signals.minutes_approved``, inside the approval's transaction: the
    statuses the follow-ups set take effect, and the reports the meeting adopted are frozen."""
    follow_ups = FollowUp.objects.filter(item__minutes=minutes).select_related(
        "activity__goal__plan"
    )
    for follow_up in follow_ups:
        if follow_up.activity.status != follow_up.status:
            Activity.objects.filter(pk=follow_up.activity_id).update(status=follow_up.status)
            audit.record(
                "actionplan.activity_status_followed_up",
                obj=follow_up.activity.goal.plan,
                activity=follow_up.activity_id,
                status=follow_up.status,
                meeting=minutes.meeting_id,
            )
    links = ItemLink.objects.filter(item__minutes=minutes, kind=ItemLink.Kind.ADOPTS_REPORT)
    for link in links.select_related("report"):
        report_freeze(
            report=link.report, adopted_at=revision.approved_at, adopted_on=minutes.meeting.date
        )


# --- The annual report ---------------------------------------------------------------------------


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def assemble_report(council: Council, year: int) -> str:
    """The report's text from the year's records, as HTML the secretary then edits: the
    meetings held (dates and attendance from their approved minutes), and the plan's goals and
    activities with their status and the follow-ups made at the meetings."""
    meetings = list(Meeting.objects.filter(council=council, date__year=year).order_by("date"))
    approved = {
        m.meeting_id: m
        for m in Minutes.objects.filter(
            meeting__in=meetings, status=Minutes.Status.APPROVED
        ).order_by("meeting_id", "revision")
    }
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Attendance.objects.filter(minutes__in=approved.values())
        .exclude(status=Attendance.Status.ABSENT)
        .values("minutes_id", "membership__role")
    ):
        kind = "rep" if row["membership__role"] == Membership.Role.REPRESENTATIVE else "elected"
        per = counts.setdefault(row["minutes_id"], {"elected": 0, "rep": 0})
        per[kind] += 1
    held = [m for m in meetings if m.date <= timezone.localdate()]
    parts = ["<h3>Rådets möten</h3>"]
    if held:
        dates = ", ".join(f"{m.date.day} {long_date(m.date).split()[1]}" for m in held)
        parts.append(
            f"<p>{escape(council.name)} har haft {_people(len(held), 'möte', 'möten')} under "
            f"{year}: {dates}.</p><ul>"
        )
        for meeting in held:
            minutes = approved.get(meeting.pk)
            if minutes is None:
                parts.append(
                    f"<li>{long_date(meeting.date)}: minnesanteckningarna är inte godkända.</li>"
                )
                continue
            per = counts.get(minutes.pk, {"elected": 0, "rep": 0})
            parts.append(
                f"<li>{long_date(meeting.date)}: "
                f"{_people(per['elected'], 'ledamot', 'ledamöter')} och "
                f"{_people(per['rep'], 'representant', 'representanter')} deltog.</li>"
            )
        parts.append("</ul>")
    else:
        parts.append(f"<p>Rådet har inte haft några möten under {year}.</p>")

    plan = ActionPlan.objects.filter(council=council, year=year).first()
    if plan is None or not selectors.is_adopted(plan):
        parts.append(
            f"<h3>Handlingsplan {year}</h3><p>Rådet har ingen antagen handlingsplan för {year}.</p>"
        )
        return "".join(parts)
    adoption = selectors.adoptions(plan)[0]
    parts.append(
        f"<h3>{escape(plan.title)}</h3><p>Handlingsplanen antogs den "
        f"{long_date(adoption.meeting.date)}. Så här har målen och insatserna följts upp.</p>"
    )
    for progress in selectors.goal_progress(plan, follow_ups=selectors.public_follow_ups()):
        goal = progress.goal
        parts.append(f"<h4>{goal.position}. {escape(goal.title)}</h4>")
        if progress.counted:
            done = "insats genomförd" if progress.counted == 1 else "insatser genomförda"
            parts.append(f"<p>{progress.done} av {progress.counted} {done}.</p>")
        if not progress.activities:
            parts.append("<p>Inga insatser.</p>")
            continue
        parts.append("<ul>")
        for activity in progress.activities:
            line = f"<strong>{escape(activity.title)}</strong> – {activity.get_status_display().lower()}"
            if activity.responsible:
                line += f" ({escape(activity.responsible)})"
            follow = "".join(
                f"<br>{long_date(f.date)}: {escape(f.text)}" for f in activity.follow_ups.all()
            )
            parts.append(f"<li>{line}.{follow}</li>")
        parts.append("</ul>")
    return "".join(parts)


def _check_report_editable(report: AnnualReport) -> None:
    if report.is_adopted:
        raise PlanFrozen("Verksamhetsberättelsen är antagen och kan inte längre ändras.")
    waiting = (
        ItemLink.objects.filter(report=report)
        .exclude(item__minutes__status=Minutes.Status.DRAFT)
        .select_related("item__minutes__meeting")
        .first()
    )
    if waiting is not None:
        raise PlanFrozen(
            "Verksamhetsberättelsen ligger för godkännande i minnesanteckningarna från mötet den "
            f"{long_date(waiting.item.minutes.meeting.date)} och kan inte ändras nu."
        )


@transaction.atomic
def report_create(*, council: Council, year: int, actor, request=None) -> AnnualReport:
    """A year's annual report, its text assembled from the year's meetings and plan."""
    if not 1900 <= year <= 2200:
        raise PlanError("Ange ett år med fyra siffror.")
    if AnnualReport.objects.filter(council=council, year=year).exists():
        raise PlanError(f"Rådet har redan en verksamhetsberättelse för {year}.")
    report = AnnualReport.objects.create(
        council=council,
        year=year,
        title=f"Verksamhetsberättelse {year}",
        body=assemble_report(council, year),
        assembled_at=timezone.now(),
    )
    audit.record("annualreport.created", request=request, actor=actor, obj=report, year=year)
    return report


@transaction.atomic
def report_update(
    *, report: AnnualReport, title: str, introduction: str, body: str, actor, request=None
) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _check_report_editable(report)
    _check_text(title, introduction, body)
    if not title.strip():
        raise PlanError("Verksamhetsberättelsen behöver en titel.")
    report.title = title.strip()[:200]
    report.introduction = introduction.strip()
    report.body = minutes_services.plain_text_to_html(body)
    report.save(update_fields=["title", "introduction", "body", "updated_at"])
    audit.record("annualreport.updated", request=request, actor=actor, obj=report)
    return report


@transaction.atomic
def report_reassemble(*, report: AnnualReport, actor, request=None) -> AnnualReport:
    """Assemble the text anew from the records (the introduction stays)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _check_report_editable(report)
    report.body = assemble_report(report.council, report.year)
    report.assembled_at = timezone.now()
    report.save(update_fields=["body", "assembled_at", "updated_at"])
    audit.record("annualreport.reassembled", request=request, actor=actor, obj=report)
    return report


def report_freeze(
    *, report: AnnualReport, adopted_at: datetime.datetime, adopted_on: datetime.date
) -> AnnualReport:
    """The report adopted by the meeting of ``adopted_on``, whose minutes were approved at
    ``adopted_at``: its PDF rendered once, stored under its SHA-256 like approved minutes, and
    the report closed to change. Runs inside the approval's transaction."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.is_adopted:
        return report
    report.adopted_at = adopted_at
    pdf = report_pdf(report, adopted_on=adopted_on, draft=False)
    report.pdf_name, report.pdf_sha256, report.pdf_size = minutes_services.store_pdf(
        pdf, folder="reports"
    )
    report.save(update_fields=["adopted_at", "pdf_name", "pdf_sha256", "pdf_size", "updated_at"])
    audit.record("annualreport.adopted", obj=report, sha256=report.pdf_sha256)
    return report


def report_restore_pdf(report: AnnualReport) -> bool:
    """Render an adopted report's PDF again into the storage if it is lost there; only bytes
    with the recorded SHA-256 are stored. Whether the file is there now."""
    adoption = selectors.report_adoption(report)
    if not report.is_adopted or adoption is None:
        return False
    pdf = report_pdf(report, adopted_on=adoption.meeting.date, draft=False)
    if hashlib.sha256(pdf).hexdigest() != report.pdf_sha256:
        logger.error("annual report %s: its PDF is missing and renders differently now", report.pk)
        return False
    minutes_services.store_pdf(pdf, folder="reports")
    logger.warning("annual report %s: its missing PDF was rendered and stored again", report.pk)
    return True
