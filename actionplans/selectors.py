"""Reads for the action plan pages: adoption is derived here from approved minutes, and every
page reads in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from actionplans.models import ActionPlan, Activity, AnnualReport, FollowUp, Goal, ItemLink
from councils.models import Council
from councils.tools import PublicDocument
from minutes.integrity import StoredFile
from minutes.models import AgendaItem, Meeting, Minutes

APPROVED = Minutes.Status.APPROVED


@dataclass(frozen=True)
class Adoption:
    """A meeting whose approved minutes adopted a plan (one revision of it) or a report."""

    meeting: Meeting
    item_number: str
    plan_revision: int | None


def in_the_record() -> Q:
    """Of an item (a link's, a follow-up's) in the meeting's record: minutes that are approved
    and not superseded by an approved correction, which carries the items' links and
    follow-ups (``minutes_corrected``), so that they count once."""
    superseded = Minutes.objects.filter(
        corrects__minutes_id=OuterRef("item__minutes_id"), status=APPROVED
    )
    return Q(item__minutes__status=APPROVED) & ~Q(Exists(superseded))


def _approved_links(kind: str) -> QuerySet[ItemLink]:
    return ItemLink.objects.filter(in_the_record(), kind=kind).select_related(
        "item__minutes__meeting__council__municipality"
    )


def adoptions(plan: ActionPlan) -> list[Adoption]:
    """The meetings that adopted ``plan``, earliest first: one query."""
    links = _approved_links(ItemLink.Kind.ADOPTS_PLAN).filter(plan=plan)
    return sorted(
        (
            Adoption(link.item.minutes.meeting, link.item.number, link.plan_revision)
            for link in links
        ),
        key=lambda a: (a.meeting.date, a.plan_revision or 0),
    )


def is_adopted(plan: ActionPlan, *, revision: int | None = None) -> bool:
    """Whether a meeting's approved minutes adopted the plan (its ``revision``, if given)."""
    links = ItemLink.objects.filter(in_the_record(), kind=ItemLink.Kind.ADOPTS_PLAN, plan=plan)
    if revision is not None:
        links = links.filter(plan_revision=revision)
    return links.exists()


def pending_links(plan: ActionPlan) -> QuerySet[ItemLink]:
    """Items in minutes not yet approved that adopt the plan's current revision, unless it is
    adopted already (a correction's draft carries the approved minutes' links)."""
    adopted = ItemLink.objects.filter(
        in_the_record(),
        kind=ItemLink.Kind.ADOPTS_PLAN,
        plan=plan,
        plan_revision=plan.revision,
    )
    return (
        ItemLink.objects.filter(
            kind=ItemLink.Kind.ADOPTS_PLAN, plan=plan, plan_revision=plan.revision
        )
        .exclude(item__minutes__status=APPROVED)
        .exclude(Exists(adopted))
        .select_related("item__minutes__meeting")
    )


def _adopted_plans() -> Exists:
    return Exists(
        ItemLink.objects.filter(
            in_the_record(), plan=OuterRef("pk"), kind=ItemLink.Kind.ADOPTS_PLAN
        )
    )


def public_plans(council: Council) -> QuerySet[ActionPlan]:
    """The plans the public sees: those a meeting adopted, not drafts."""
    return council.action_plans.filter(_adopted_plans()).order_by("-year")


def public_reports(council: Council) -> QuerySet[AnnualReport]:
    """The annual reports a meeting adopted."""
    return council.annual_reports.filter(adopted_at__isnull=False).order_by("-year")


def report_adoption(report: AnnualReport) -> Adoption | None:
    link = _approved_links(ItemLink.Kind.ADOPTS_REPORT).filter(report=report).first()
    return Adoption(link.item.minutes.meeting, link.item.number, None) if link else None


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    activities: list[Activity]
    done: int
    counted: int  # activities not cancelled

    @property
    def cancelled(self) -> int:
        return len(self.activities) - self.counted


def approved_follow_ups() -> QuerySet[FollowUp]:
    """Follow-ups that are part of approved minutes (the current revision's)."""
    return FollowUp.objects.filter(in_the_record()).select_related("meeting")


def public_follow_ups() -> QuerySet[FollowUp]:
    """The plan's history the public sees (its page and PDF, and the annual report assembled
    from it): follow-ups of approved minutes on items that are public, in minutes whose
    publication has not been withdrawn."""
    return approved_follow_ups().filter(
        item__is_public=True, item__minutes__approved_revision__withdrawal__isnull=True
    )


def goal_progress(plan: ActionPlan, *, follow_ups: QuerySet[FollowUp]) -> list[GoalProgress]:
    """The plan's goals with their activities (each with ``follow_ups``) and how many of each
    goal's activities are done: two queries."""
    goals = plan.goals.order_by("position").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("position", "id").prefetch_related(
                Prefetch("follow_ups", queryset=follow_ups.order_by("date", "id"))
            ),
        )
    )
    progress = []
    for goal in goals:
        activities = list(goal.activities.all())
        counted = [a for a in activities if a.status != Activity.Status.CANCELLED]
        done = sum(1 for a in counted if a.status == Activity.Status.DONE)
        progress.append(GoalProgress(goal, activities, done, len(counted)))
    return progress


def public_plan(
    council: Council, year: int
) -> tuple[ActionPlan, list[Adoption], list[GoalProgress]] | None:
    """A public plan with the meetings that adopted it, its goals, their activities with the
    approved follow-ups, and how far each goal has come: five queries."""
    plan = public_plans(council).filter(year=year).first()
    if plan is None:
        return None
    return plan, adoptions(plan), goal_progress(plan, follow_ups=public_follow_ups())


def item_link(item: AgendaItem) -> ItemLink | None:
    return ItemLink.objects.select_related("plan", "report").filter(item=item).first()


def file_name(council: Council, kind: str, year: int) -> str:
    """The readable name a plan's or report's PDF is served under:
    ``arboga-forebyggande-radet-handlingsplan-2020.pdf``; ``kind`` is ``handlingsplan`` or
    ``verksamhetsberattelse``."""
    return f"{council.municipality.slug}-{council.slug}-{kind}-{year}.pdf"


def public_documents(council: Council) -> list[PublicDocument]:
    """The council page's list: adopted plans (their pages) and adopted reports (their PDFs),
    newest year first; two queries."""
    slugs = (council.municipality.slug, council.slug)
    entries = [
        (
            plan.year,
            0,
            PublicDocument(plan.title, reverse("plans_public:plan", args=[*slugs, plan.year])),
        )
        for plan in public_plans(council)
    ]
    entries += [
        (
            report.year,
            1,
            PublicDocument(
                f"{report.title} (PDF)",
                reverse(
                    "plans_public:report_pdf",
                    args=[
                        *slugs,
                        report.year,
                        file_name(council, "verksamhetsberattelse", report.year),
                    ],
                ),
            ),
        )
        for report in public_reports(council)
    ]
    return [doc for _year, _order, doc in sorted(entries, key=lambda e: (-e[0], e[1]))]


def stored_reports():
    """The adopted annual reports' frozen PDFs, for ``manage.py verify_documents``."""
    reports = AnnualReport.objects.filter(adopted_at__isnull=False).select_related("council")
    for report in reports.order_by("pk"):
        yield StoredFile(
            "default", report.pdf_name, report.pdf_sha256, f"{report.title}, {report.council.name}"
        )
