"""The staff pages of a meeting under /arbete/: the workspace, a new meeting, the meeting's page
(attendance, items, the minutes as they will read), starting the minutes, the attendance and
the next meeting. Rights come from ``councils.access`` through ``meeting_view``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import long_date
from councils import access
from councils import tools as council_tools
from councils.access import Need
from councils.models import Council, Membership, Person
from minutes import services
from minutes.forms import (
    NOT_ATTENDING,
    AdjustmentForm,
    AttendanceRowForm,
    ItemTitleForm,
    MeetingForm,
    NextMeetingForm,
)
from minutes.models import ApprovedRevision, Attendance, Meeting, Minutes, MinutesEvent
from minutes.services import justering
from minutes.services.paragraphs import paragraph_label
from minutes.snapshot import build_snapshot
from minutes.views import immediate
from minutes.views.approval import justering_panel
from minutes.views.loading import (
    MeetingPage,
    meeting_view,
    not_editable_as_conflict,
    workspace_url,
)


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """The user's councils, the meetings to prepare, the drafts and what waits for them."""
    user = request.user
    today = timezone.localdate()
    if user.is_superuser:
        councils = list(
            Council.objects.select_related("municipality").order_by("municipality__name", "name")
        )
        editable = {c.pk for c in councils}
    else:
        memberships = list(access.current_memberships(user))
        councils = list({m.council_id: m.council for m in memberships}.values())
        editable = {m.council_id for m in memberships if m.role in access.EDITOR_ROLES}
    council_ids = [c.pk for c in councils]
    # a draft returned by the chair (or a justerare) says so: it waits for the secretary
    last_event = (
        MinutesEvent.objects.filter(minutes=OuterRef("pk"), item__isnull=True)
        .order_by("-id")
        .values("kind")[:1]
    )
    drafts = list(
        Minutes.objects.filter(meeting__council_id__in=council_ids, status=Minutes.Status.DRAFT)
        .annotate(last_event=Subquery(last_event))
        .select_related("meeting__council__municipality")
        .order_by("meeting__date")[:50]
    )
    person = Person.objects.filter(user=user).first()
    waiting = list(  # a råd's minutes wait for the person who chaired
        Minutes.objects.filter(status=Minutes.Status.SUBMITTED, meeting__council_id__in=council_ids)
        .exclude(meeting__council__kind=Council.Kind.COMMITTEE)
        .filter(Q(meeting__chaired_by=person) if person else Q(pk__in=[]))
        .select_related("meeting__council__municipality")
        .order_by("meeting__date")
    )
    to_sign = _waiting_for_signature(person, today) if person else []
    adjusting = _adjusting(sorted(editable), today)
    # Each meeting is listed once: minutes waiting for the user or in draft are listed as such,
    # not again among the meetings to prepare.
    listed = (
        {m.meeting_id for m in drafts}
        | {m.meeting_id for m in waiting}
        | {entry["minutes"].meeting_id for entry in to_sign}
    )
    upcoming = [
        meeting
        for meeting in Meeting.objects.filter(council_id__in=council_ids, date__gte=today)
        .exclude(minutes__status=Minutes.Status.APPROVED)
        .select_related("council__municipality")
        .order_by("date")[: 50 + len(listed)]
        if meeting.pk not in listed
    ][:50]
    return render(
        request,
        "minutes/drafting/workspace.html",
        {
            "councils": councils,
            "editable": editable,
            "tools": council_tools.editor_tools(),
            "upcoming": upcoming,
            "drafts": drafts,
            "waiting": waiting,
            "to_sign": to_sign,
            "adjusting": adjusting,
        },
    )


def _review_link(minutes: Minutes, item) -> str:
    """Where a signatory justerar: the protokoll's review page, or the page of a § sent for
    omedelbar justering."""
    meeting = minutes.meeting
    args = [meeting.council.municipality.slug, meeting.council.slug, meeting.pk]
    if item is None:
        return reverse("drafting:review", args=args)
    return reverse("drafting:paragraph_review", args=[*args, item.pk])


def _waiting_for_signature(person: Person, today) -> list[dict]:
    """A nämnd's protokoll (or § sent at once) waiting for ``person``'s justering, with its due
    date and whether it is late."""
    entries = []
    for minutes, item in justering.waiting_for(person):
        due = justering.due_date(minutes.meeting)
        entries.append(
            {
                "minutes": minutes,
                "item": item,
                "label": paragraph_label(minutes.meeting.council.paragraph_prefix, item.paragraph)
                if item is not None
                else "",
                "url": _review_link(minutes, item),
                "due": due,
                "late": today > due,
            }
        )
    return entries


def _adjusting(council_ids, today) -> list[dict]:
    """For the secretary: the submitted protokoll of the nämnder she edits, how many of their
    signatories have justerat and who has not, the due date and lateness. A constant number of
    queries whatever the number of protokoll (the signatories are read as
    ``justering.signers`` reads them, from prefetched rows)."""
    found = (
        Minutes.objects.filter(
            status=Minutes.Status.SUBMITTED,
            meeting__council_id__in=council_ids,
            meeting__council__kind=Council.Kind.COMMITTEE,
        )
        .select_related(
            "meeting__council__municipality", "meeting__secretary", "meeting__chaired_by"
        )
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(is_adjuster=True)
                .select_related("person")
                .order_by("position", "id"),
                to_attr="adjusters",
            ),
            Prefetch(
                "events",
                queryset=MinutesEvent.objects.filter(item__isnull=True)
                .prefetch_related("adjustment_signatures")
                .order_by("-id"),
                to_attr="whole_events",
            ),
        )
        .order_by("meeting__date")[:50]
    )
    entries = []
    for minutes in found:
        meeting = minutes.meeting
        signers = [
            s.person for s in justering.roster(meeting, [a.person for a in minutes.adjusters])
        ]
        latest = minutes.whole_events[0] if minutes.whole_events else None
        signed = (
            {s.person_id for s in latest.adjustment_signatures.all()}
            if latest is not None and latest.kind == MinutesEvent.Kind.SUBMITTED
            else set()
        )
        due = justering.due_date(meeting)
        entries.append(
            {
                "minutes": minutes,
                "url": reverse(
                    "drafting:meeting",
                    args=[meeting.council.municipality.slug, meeting.council.slug, meeting.pk],
                ),
                "signed_count": sum(1 for p in signers if p.pk in signed),
                "count": len(signers),
                "missing": [p.name for p in signers if p.pk not in signed],
                "due": due,
                "late": today > due,
            }
        )
    return entries


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    rights = access.get_council_for_member(request, municipality, council)
    access.require(request, rights.can_edit_minutes, action="meeting.create", obj=rights.council)
    form = MeetingForm(request.POST or None, initial=MeetingForm.usual_for(rights.council))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                council=rights.council,
                date=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                end_time=form.cleaned_data["end_time"],
                place=form.cleaned_data["place"],
                actor=request.user,
                request=request,
            )
        except services.InvalidInput as error:  # the council already meets that day
            form.add_error("date", str(error))
            return render(
                request,
                "minutes/drafting/meeting_form.html",
                {"council": rights.council, "form": form},
                status=400,
            )
        messages.success(
            request,
            _("Mötet är skapat med %(of_council)s stående dagordning.")
            % {"of_council": rights.council.terms.of_council},
        )
        return redirect(workspace_url("meeting", municipality, council, meeting.pk))
    return render(
        request, "minutes/drafting/meeting_form.html", {"council": rights.council, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="meeting.change", minutes_required=False)
def meeting_details(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The meeting's date, times and place, changed while its minutes are a draft; once some
    are approved, proposed by a correction's draft (the meeting changes when the correction is
    approved), and frozen otherwise."""
    meeting = page.meeting
    correcting = services.is_open_correction(page.minutes)
    if not correcting and meeting.has_approved_record():
        raise services.NotAllowed(services.FROZEN_MESSAGE)
    if page.minutes is not None:
        services.ensure_draft(page.minutes)
    if page.minutes is not None:
        initial = page.minutes.stated_meeting()
    else:
        initial = {f: getattr(meeting, f) for f in ("date", "start_time", "end_time", "place")}
    form = MeetingForm(
        request.POST or None, initial=initial, submit_label=_("Spara mötesuppgifterna")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, **form.cleaned_data, actor=request.user, request=request
            )
        except services.InvalidInput as error:
            form.add_error(None, str(error))
        else:
            if correcting:
                messages.success(
                    request,
                    _(
                        "Rättelsen anger de nya mötesuppgifterna. Mötet och den publicerade "
                        "sidan ändras när rättelsen %(approved)s."
                    )
                    % {"approved": meeting.council.terms.approves},
                )
            else:
                messages.success(request, _("Mötesuppgifterna är ändrade."))
            if not correcting and meeting.latest_notice() is not None:
                messages.warning(
                    request,
                    _("Kallelsen är redan skickad: skicka en uppdaterad kallelse med ändringen."),
                )
            return redirect(page.url)
    return render(
        request,
        "minutes/drafting/meeting_form.html",
        {
            "council": meeting.council,
            "form": form,
            "meeting": meeting,
            "page_url": page.url,
            "correcting": correcting,
        },
        status=400 if form.errors else 200,
    )


def _attendance_forms(minutes: Minutes, data=None) -> list[tuple[object, AttendanceRowForm]]:
    """One row per person serving the council on the meeting day, whether or not they are on
    the attendance list yet, plus anyone already on it."""
    council, day = minutes.meeting.council, minutes.meeting.date
    memberships = list(
        Membership.objects.current(day)
        .filter(council=council)
        .exclude(role=Membership.Role.SECRETARY)
        .select_related("person")
        .order_by("position", "person__name")
    )
    existing = {a.person_id: a for a in minutes.attendance.select_related("person", "membership")}
    people: dict[int, tuple] = {}
    for m in memberships:
        people.setdefault(m.person_id, (m.person, m))
    for a in existing.values():
        people.setdefault(a.person_id, (a.person, a.membership))
    elected = [
        (p.pk, p.name)
        for p, m in people.values()
        if m is None or m.role != Membership.Role.REPRESENTATIVE
    ]
    first, last = _paragraph_span(minutes)
    rows = []
    for index, (person, membership) in enumerate(people.values()):
        row = existing.get(person.pk)
        initial = {
            "person_id": person.pk,
            "membership_id": membership.pk if membership else None,
            "status": row.status if row else NOT_ATTENDING,
            "substitute_for": row.substitute_for_id if row else None,
            "from_paragraph": first + row.from_position - 1 if row and row.from_position else None,
            "to_paragraph": first + row.to_position - 1 if row and row.to_position else None,
            "is_adjuster": row.is_adjuster if row else False,
        }
        form = AttendanceRowForm(
            data,
            prefix=f"a{index}",
            initial=initial,
            substitute_choices=[c for c in elected if c[0] != person.pk],
        )
        for name in ("from_paragraph", "to_paragraph"):  # the meeting's §§, for the browser
            form.fields[name].widget.attrs.update(min=first, max=last)
        rows.append(((person, membership), form))
    return rows


def _first_paragraph(minutes: Minutes) -> int:
    """The § of the meeting's first item (a nämnd's attendance is entered as §§ and stored as
    item positions, 1 for the first); 1 when there is no § yet."""
    first = minutes.items.order_by("position").values_list("paragraph", flat=True).first()
    return first or 1


def _paragraph_span(minutes: Minutes) -> tuple[int, int]:
    first = _first_paragraph(minutes)
    return first, first + max(minutes.items.count(), 1) - 1


def _adjustment_form(minutes: Minutes, data=None) -> AdjustmentForm | None:
    if not minutes.meeting.council.numbers_paragraphs:
        return None
    return AdjustmentForm(
        data,
        initial={
            "adjustment_place": minutes.adjustment_place,
            "adjustment_date": minutes.adjustment_date,
            "adjustment_time": minutes.adjustment_time,
        },
    )


def _meeting_context(
    page: MeetingPage, *, attendance=None, adjustment=None, others_present: str | None = None
) -> dict:
    """Everything the meeting's page shows, whether it answers a GET or re-renders a refused
    attendance form (``attendance``: the rows as posted, with their errors)."""
    meeting, minutes = page.meeting, page.minutes
    can_edit = page.rights.can_edit_minutes and minutes.status == Minutes.Status.DRAFT
    last_event = (
        minutes.events.filter(item__isnull=True)
        .select_related("actor__person")
        .order_by("-created_at", "-id")
        .first()
    )
    if attendance is None and can_edit:
        attendance = _attendance_forms(minutes)
    if adjustment is None and can_edit:
        adjustment = _adjustment_form(minutes)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "rights": page.rights,
        "can_edit": can_edit,
        # a § out for omedelbar justering holds the submission and the attendance back
        "waiting_paragraphs": justering.paragraphs_waiting(minutes)
        if can_edit and meeting.council.numbers_paragraphs
        else [],
        "returned": last_event
        if last_event and last_event.kind == MinutesEvent.Kind.RETURNED
        else None,
        "approved_revisions": list(
            ApprovedRevision.objects.filter(minutes__meeting=meeting)
            .select_related("minutes", "withdrawal")
            .order_by("minutes__revision")
        ),
        "renumbered": services.renumbering_notice(minutes),
        "can_review": page.rights.can_review
        and minutes.status == Minutes.Status.SUBMITTED
        and (page.rights.signs_as or not page.rights.is_protocol),
        # a nämnd's submitted or justerat protokoll: who has signed, the due date, lateness
        "justering": justering_panel(minutes) if minutes.status != Minutes.Status.DRAFT else None,
        "can_correct": minutes.status == Minutes.Status.APPROVED and page.rights.can_correct,
        # each § justerad (or to be justerad) at once carries where it stands: item.at_once
        "items": immediate.annotate(minutes, list(minutes.items.order_by("position"))),
        "attendance": attendance,
        "adjustment_form": adjustment,
        "others_present": others_present,  # as posted, when a refused form is shown again
        "paragraph_span": _paragraph_span(minutes)
        if meeting.council.numbers_paragraphs and can_edit
        else None,
        "new_item_form": ItemTitleForm(),
        "doc": build_snapshot(minutes),
        "docs_base": page.url + "handlingar/",
        "latest_notice": meeting.latest_notice(),
        "notice_changes": services.notice_pending_changes(meeting),
        "next_meeting_form": NextMeetingForm(
            initial={
                "start_time": meeting.start_time,
                "end_time": meeting.end_time,
                "place": meeting.place,
            }
        )
        if can_edit
        else None,
    }


@login_required
@require_GET
@meeting_view(minutes_required=False)
def meeting_edit(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The draft: attendance, items, and the minutes as they will read. Members read it;
    secretaries and administrators edit it while it is a draft."""
    if page.minutes is None:
        return render(
            request,
            "minutes/drafting/meeting_empty.html",
            {"meeting": page.meeting, "rights": page.rights},
        )
    return render(request, "minutes/drafting/meeting.html", _meeting_context(page))


@login_required
@require_POST
@meeting_view(need=Need.EDIT, action="minutes.start", minutes_required=False)
def minutes_start(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """Start the minutes of a meeting that has none yet, from the standing agenda."""
    try:
        services.minutes_start(meeting=page.meeting, actor=request.user, request=request)
    except services.InvalidInput as error:
        messages.info(request, str(error))
    return redirect(page.url)


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="attendance.save")
def attendance_save(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    services.ensure_draft(page.minutes)
    rows = _attendance_forms(page.minutes, request.POST)
    adjustment = _adjustment_form(page.minutes, request.POST)
    back = redirect(page.url + "#narvaro")
    committee = adjustment is not None
    first, last = _paragraph_span(page.minutes)
    valid = all(form.is_valid() for _, form in rows)
    valid = (adjustment is None or adjustment.is_valid()) and valid
    if valid and committee:
        for _pair, form in rows:
            for name in ("from_paragraph", "to_paragraph"):
                number = form.cleaned_data.get(name)
                if number is not None and not first <= number <= last:
                    form.add_error(
                        name,
                        _("Mötets paragrafer är §§ %(first)s–%(last)s.")
                        % {"first": first, "last": last},
                    )
                    valid = False
    if not valid:
        messages.error(
            request, _("Närvaron kunde inte sparas: kontrollera raderna markerade med fel.")
        )
        return render(
            request,
            "minutes/drafting/meeting.html",
            _meeting_context(
                page,
                attendance=rows,
                adjustment=adjustment,
                others_present=request.POST.get("others_present", "")[:2000],
            ),
            status=400,
        )

    def position(number: int | None) -> int | None:
        return None if number is None else number - first + 1

    try:
        version = int(request.POST.get("attendance_version", ""))
    except ValueError:
        version = -1
    # Who each row is about comes from the server's own list, never from the posted hidden
    # fields, so a crafted form cannot put someone else on the attendance list.
    entries = [
        services.AttendanceEntry(
            person_id=person.pk,
            membership_id=membership.pk if membership else None,
            status=form.cleaned_data["status"],
            substitute_for_id=form.cleaned_data["substitute_for"],
            from_position=position(form.cleaned_data.get("from_paragraph")) if committee else None,
            to_position=position(form.cleaned_data.get("to_paragraph")) if committee else None,
            is_adjuster=bool(form.cleaned_data.get("is_adjuster")) and committee,
        )
        for (person, membership), form in rows
    ]
    try:
        services.attendance_update(
            minutes=page.minutes,
            version=version,
            entries=entries,
            others_present=request.POST.get("others_present", "")[:2000],
            actor=request.user,
            request=request,
            adjustment=services.AdjustmentInput(
                place=adjustment.cleaned_data["adjustment_place"],
                date=adjustment.cleaned_data["adjustment_date"],
                time=adjustment.cleaned_data["adjustment_time"],
            )
            if committee
            else None,
        )
    except services.Conflict:
        messages.error(
            request,
            _(
                "Någon annan ändrade närvaron medan du arbetade. Sidan visar nu den sparade "
                "närvaron; gör om dina ändringar."
            ),
        )
    except services.InvalidInput as error:
        # shown with the rows as posted, so that nothing typed is lost
        messages.error(request, str(error))
        return render(
            request,
            "minutes/drafting/meeting.html",
            _meeting_context(
                page,
                attendance=rows,
                adjustment=adjustment,
                others_present=request.POST.get("others_present", "")[:2000],
            ),
            status=400,
        )
    else:
        messages.success(request, _("Närvaron är sparad."))
    return back


@login_required
@require_POST
@not_editable_as_conflict
@meeting_view(need=Need.EDIT, action="minutes.next_meeting")
def next_meeting(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """The minutes state the next meeting (which is created), or no longer state one."""
    back = redirect(page.url + "#nasta-mote")
    if request.POST.get("action") == "clear":
        services.next_meeting_clear(minutes=page.minutes, actor=request.user, request=request)
        messages.success(
            request,
            _("%(document)s anger inget nästa möte.")
            % {"document": capfirst(page.meeting.council.terms.document)},
        )
        return back
    form = NextMeetingForm(request.POST)
    try:
        if not form.is_valid():
            raise services.InvalidInput(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        following = services.next_meeting_set(
            minutes=page.minutes,
            date=form.cleaned_data["date"],
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
            place=form.cleaned_data["place"],
            actor=request.user,
            request=request,
        )
    except services.InvalidInput as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Nästa möte är den %(date)s; det finns nu bland %(of_council)s möten.")
            % {
                "date": long_date(following.date),
                "of_council": page.meeting.council.terms.of_council,
            },
        )
    return back
