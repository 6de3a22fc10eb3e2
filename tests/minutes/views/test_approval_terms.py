"""A nämnd's protokoll is justerat where a råd's minnesanteckningar are godkända (issue 18): the
same submit → review → approve/return flow, named by the council's kind (``Council.terms``) on
the staff pages, in the flash messages and e-mails, and on the public pages. Each test runs for
a råd and a nämnd side by side, so the råd's words are pinned as they were. A nämnd's protokoll
is justerat by each of its signatories (issue 19): here the secretary and the person who
chaired, on the same review page."""

import datetime

import feedparser
import pytest
from django.core import mail
from django.urls import reverse

from councils.models import Council, Membership
from councils.terms import COMMITTEE_TERMS, COUNCIL_TERMS
from minutes import services
from minutes.services import justering
from tests import factories
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]

RÅD = {
    "kind": Council.Kind.COUNCIL,
    "draft_status": "Utkast",
    "submit": "Skicka för godkännande",
    "preview_heading": "Så här blir minnesanteckningarna",
    "read_only": "Du kan läsa utkastet. Bara rådets sekreterare ändrar det.",
    "submitted_message": "Utkastet är skickat till ordföranden för godkännande.",
    "submitted_status": "Skickat för godkännande",
    "awaiting": "Minnesanteckningarna väntar på ordförandens godkännande.",
    "review": "Granska och godkänn",
    "workspace": "– skickat för godkännande",
    "subject_submitted": "Att godkänna: Förebyggande rådet 2025-02-24",
    "mail_submitted": (
        "Minnesanteckningarna från Förebyggande rådets möte den 24 februari 2025 väntar på ditt "
        "godkännande.\n\nLäs och godkänn dem här:"
    ),
    "review_intro": (
        "Minnesanteckningarna från Förebyggande rådets möte den 24 februari 2025, så som de "
        "kommer att publiceras."
    ),
    "approve_heading": "Godkänn Godkänn med ditt lösenord. Efteråt kan minnesanteckningarna "
    "inte ändras, bara rättas med en ny version.",
    "approve_button": "Godkänn och justera",
    "only_chair": "Bara den som var ordförande vid mötet godkänner eller återsänder "
    "minnesanteckningarna.",
    "wrong_password": "Lösenordet stämmer inte. Minnesanteckningarna är inte godkända.",
    "choose": "Välj att godkänna eller återsända.",
    "returned_message": "Minnesanteckningarna är återsända till sekreteraren.",
    "mail_returned": "Ordföranden har återsänt minnesanteckningarna från Förebyggande rådets möte",
    "approved_message": "Minnesanteckningarna är godkända och justerade.",
    "subject_approved": "Godkänt: Förebyggande rådet 2025-02-24",
    "mail_approved": (
        "Minnesanteckningarna från Förebyggande rådets möte den 24 februari 2025 är godkända."
    ),
    "approved_status": "Godkänt",
    "locked": "Minnesanteckningarna är godkända och kan inte ändras. En rättelse blir en ny "
    "version som godkänns på nytt.",
    "download": "Hämta de godkända minnesanteckningarna (PDF)",
    "heading": "Minnesanteckningarna",
    "versions": "Godkända versioner",
    "version": "Version 1, godkänd",
    "empty": "Mötet har inga minnesanteckningar ännu.",
    "start": "Börja skriva minnesanteckningar",
    "start_note": "Utkastet får rådets stående dagordning och närvarolista.",
}
NÄMND = {
    "kind": Council.Kind.COMMITTEE,
    "draft_status": "Utkast",
    "submit": "Skicka för justering",
    "preview_heading": "Så här blir protokollet",
    "read_only": "Du kan läsa utkastet. Bara nämndens sekreterare ändrar det.",
    "submitted_message": "Protokollet är skickat till ordföranden och justerarna för justering.",
    "submitted_status": "Skickat för justering",
    "awaiting": "Protokollet väntar på justering.",
    "review": "Granska och justera",
    "workspace": "– skickat för justering",
    "subject_submitted": "Att justera: Förebyggande rådet 2025-02-24",
    "mail_submitted": (
        "Protokollet från Förebyggande rådets möte den 24 februari 2025 väntar på din "
        "justering.\n\nLäs och justera det här:"
    ),
    "review_intro": (
        "Protokollet från Förebyggande rådets sammanträde den 24 februari 2025, så som det "
        "kommer att publiceras."
    ),
    "approve_heading": "Justera som ordförande Justera med ditt lösenord. När alla har justerat "
    "kan protokollet inte ändras, bara rättas med en ny version.",
    "approve_button": "Justera protokollet",
    "only_chair": None,  # only the signatories see a nämnd's review page
    "wrong_password": "Lösenordet stämmer inte. Protokollet är inte justerat.",
    "choose": "Välj att justera eller återsända.",
    "returned_message": "Protokollet är återsänt till sekreteraren.",
    "mail_returned": "Ordföranden har återsänt protokollet från Förebyggande rådets möte",
    "approved_message": "Protokollet är justerat och anslaget på anslagstavlan. Sista dag att "
    "överklaga är",
    "subject_approved": "Justerat: Förebyggande rådet 2025-02-24",
    "mail_approved": "Protokollet från Förebyggande rådets möte den 24 februari 2025 är justerat.",
    "approved_status": "Justerat",
    "locked": "Protokollet är justerat och kan inte ändras. En rättelse blir en ny version som "
    "justeras på nytt.",
    "download": "Hämta det justerade protokollet (PDF)",
    "heading": "Protokollet",
    "versions": "Justerade versioner",
    "version": "Version 1, justerad",
    "empty": "Mötet har inget protokoll ännu.",
    "start": "Börja skriva protokollet",
    "start_note": "Utkastet får nämndens stående dagordning och närvarolista.",
}


@pytest.fixture(params=[RÅD, NÄMND], ids=["råd", "nämnd"])
def words(request, cast):
    """The council as a råd or (the same people and standing agenda) a nämnd, and the words
    its pages must use."""
    if request.param["kind"] == Council.Kind.COMMITTEE:
        Council.objects.filter(pk=cast.council.pk).update(
            kind=Council.Kind.COMMITTEE, document_title=Council.DocumentTitle.PROTOCOL
        )
        cast.council.refresh_from_db()
    return request.param


@pytest.fixture
def paper(words, draft):
    """Draft minutes of the council of ``words``'s kind."""
    return draft


@pytest.fixture
def with_email(cast):
    for user in (cast.secretary, cast.chair, cast.member):
        user.person.email = f"{user.username}@example.org"
        user.person.save()


def u(name, minutes):
    return reverse(f"drafting:{name}", args=[*SLUGS, minutes.meeting.pk])


def text(response) -> str:
    return page_text(response)


def test_the_council_kind_chooses_the_terms(cast):
    assert cast.council.terms is COUNCIL_TERMS
    cast.council.kind = Council.Kind.COMMITTEE
    assert cast.council.terms is COMMITTEE_TERMS
    assert COMMITTEE_TERMS.status_label("submitted") == "Skickat för justering"
    assert COUNCIL_TERMS.status_label("approved") == "Godkänt"


def test_the_draft_page_names_the_submission_by_the_kind(client, cast, words, paper):
    client.force_login(cast.secretary)
    page = text(client.get(u("meeting", paper)))
    assert words["draft_status"] in page and words["submit"] in page
    assert words["preview_heading"] in page
    of_council = "rådets" if words is RÅD else "nämndens"
    notice = text(client.get(u("notice", paper)))
    assert f"Går med e-post till {of_council} ledamöter, ersättare, representanter" in notice
    client.force_login(cast.member)
    assert words["read_only"] in text(client.get(u("meeting", paper)))


def test_submit_review_and_return_are_named_by_the_kind(
    client, cast, words, paper, with_email, django_capture_on_commit_callbacks
):
    client.force_login(cast.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(u("submit", paper), follow=True)
    page = text(response)
    assert words["submitted_message"] in page and words["submitted_status"] in page
    if words is NÄMND:  # she signs too: taken to the review page, where she may justera
        assert response.redirect_chain[-1][0] == u("review", paper)
        assert "Du justerar protokollet som sekreterare här, nu eller senare" in page
    sent = mail.outbox[-1]
    assert sent.subject == words["subject_submitted"]
    assert words["mail_submitted"] in sent.body
    assert words["mail_submitted"].split("\n")[0] in sent.alternatives[0][0]

    client.force_login(cast.member)
    assert words["awaiting"] in text(client.get(u("meeting", paper)))
    client.force_login(cast.chair)
    assert words["review"] in text(client.get(u("meeting", paper)))
    assert words["workspace"] in text(client.get(reverse("drafting:workspace")))
    review = text(client.get(u("review", paper)))
    for key in ("review", "review_intro", "approve_heading", "approve_button"):
        assert words[key] in review, key
    vice = factories.person("Vera Vice")
    factories.membership(vice, cast.council, Membership.Role.VICE_CHAIR)
    client.force_login(factories.user("vice", person_obj=vice))  # reviews, did not chair
    if words is NÄMND:  # does not justera, so does not review
        assert client.get(u("review", paper)).status_code == 403
    else:
        assert words["only_chair"] in text(client.get(u("review", paper)))

    client.force_login(cast.chair)
    assert words["choose"] in text(client.post(u("review", paper), {"action": "?"}))
    wrong = client.post(u("review", paper), {"action": "approve", "password": "fel"})
    assert words["wrong_password"] in text(wrong)
    with django_capture_on_commit_callbacks(execute=True):
        returned = client.post(
            u("review", paper), {"action": "return", "comment": "Rätta §-numren."}, follow=True
        )
    assert words["returned_message"] in text(returned)
    assert words["mail_returned"] in mail.outbox[-1].body


def _read(minutes) -> int | str:
    """The submission the review page states in its sign form ("" for a råd's, unused)."""
    from minutes.models import Minutes
    from minutes.services import justering

    submission = justering.current_submission(Minutes.objects.get(pk=minutes.pk))
    return submission.pk if submission else ""


def test_approval_and_the_approved_record_are_named_by_the_kind(
    client, cast, words, paper, with_email, django_capture_on_commit_callbacks
):
    services.minutes_submit(minutes=paper, actor=cast.secretary)
    if words is NÄMND:  # the secretary justerar first, on the same page; the chair is last
        client.force_login(cast.secretary)
        signed = client.post(
            u("review", paper),
            {"action": "sign", "password": factories.PASSWORD, "submission": _read(paper)},
            follow=True,
        )
        assert "Du har justerat protokollet. 1 av 2 har justerat." in text(signed)
    client.force_login(cast.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            u("review", paper),
            {"action": "approve", "password": factories.PASSWORD, "submission": _read(paper)},
            follow=True,
        )
    page = text(response)
    for key in ("approved_message", "approved_status", "locked", "download", "versions"):
        assert words[key] in page, key
    assert f"{words['version']} " in page
    assert f"{words['heading']} " in page and words["preview_heading"] not in page
    sent = mail.outbox[-1]
    assert sent.subject == words["subject_approved"]
    assert words["mail_approved"] in sent.body and words["mail_approved"] in sent.alternatives[0][0]


def test_a_meeting_without_a_draft_offers_to_start_one_in_the_kinds_words(client, cast, words):
    meeting = factories.meeting(cast.council, datetime.date(2025, 3, 24))
    client.force_login(cast.secretary)
    page = text(client.get(reverse("drafting:meeting", args=[*SLUGS, meeting.pk])))
    for key in ("empty", "start", "start_note"):
        assert words[key] in page, key


# --- the public pages ------------------------------------------------------------------------

PUBLIC = {
    Council.Kind.COUNCIL: {
        "council": [
            "i Arboga kommun: ledamöter, kommande möten och godkända minnesanteckningar som "
            "webbsida och PDF.",
            "Prenumerera på nya minnesanteckningar (Atom)",
            "Sök i Förebyggande rådets minnesanteckningar",
            "Godkända minnesanteckningar (PDF)",
        ],
        "meeting": ["De godkända minnesanteckningarna som webbsida och PDF.", "Godkända "],
        "municipality": ["Senast godkända"],
        "search": "Sök i godkända minnesanteckningar från Förebyggande rådet, Arboga kommun.",
        "feed": "Förebyggande rådet, Arboga kommun – godkända minnesanteckningar",
        "english": ["Subscribe to new minutes (Atom)", "Search the minutes of Förebyggande rådet"],
        "not_yet": "Minnesanteckningarna är inte godkända ännu.",
        "none_yet": "Inga godkända minnesanteckningar ännu.",
    },
    Council.Kind.COMMITTEE: {
        "council": [
            "i Arboga kommun: ledamöter, kommande sammanträden och justerade protokoll som "
            "webbsida och PDF.",
            "Prenumerera på nya protokoll (Atom)",
            "Sök i Förebyggande rådets protokoll",
            "Justerat protokoll (PDF)",
        ],
        "meeting": ["Det justerade protokollet som webbsida och PDF.", "Justerat "],
        "municipality": ["Senast justerade"],
        "search": "Sök i justerade protokoll från Förebyggande rådet, Arboga kommun.",
        "feed": "Förebyggande rådet, Arboga kommun – justerade protokoll",
        "english": ["Subscribe to new minutes (Atom)", "Search the minutes of Förebyggande rådet"],
        "not_yet": "Protokollet är inte justerat ännu.",
        "none_yet": "Inga justerade protokoll ännu.",
    },
}


def test_the_public_pages_name_the_approved_record_by_the_kind(client, cast, words, paper):
    public = PUBLIC[words["kind"]]
    base = f"/{SLUGS[0]}/{SLUGS[1]}/"
    assert public["not_yet"] in text(client.get(f"{base}2025-02-24/"))
    assert public["none_yet"] in text(client.get(f"/{SLUGS[0]}/"))
    submit_and_approve(paper, cast)
    council_html = client.get(base).content.decode()
    for phrase in public["council"]:
        assert phrase in council_html, phrase
    meeting_html = client.get(f"{base}2025-02-24/").content.decode()
    for phrase in public["meeting"]:
        assert phrase in meeting_html, phrase
    for phrase in public["municipality"]:
        assert phrase in text(client.get(f"/{SLUGS[0]}/"))
    search = client.get("/sok/", {"q": "trygghet", "kommun": SLUGS[0], "rad": SLUGS[1]})
    assert public["search"] in search.content.decode()
    feed = feedparser.parse(client.get(f"{base}minnesanteckningar.atom").content)
    assert feed.feed.title == public["feed"]
    english = text(client.get(f"/en{base}"))
    for phrase in public["english"]:
        assert phrase in english, phrase


def test_a_withdrawn_public_copy_is_named_by_the_kind(client, cast, words, paper):
    revision = submit_and_approve(paper, cast)
    services.publication_withdraw(revision=revision, reason="Personuppgifter.", actor=cast.admin)
    page = text(client.get(f"/{SLUGS[0]}/{SLUGS[1]}/2025-02-24/"))
    document = "minnesanteckningarna" if words is RÅD else "protokollet"
    assert f"Den publicerade kopian av {document} har dragits tillbaka." in page


def test_a_new_meeting_and_its_details_are_named_by_the_kind(client, cast, words):
    of_council = "rådets" if words is RÅD else "nämndens"
    document, approves = (
        ("minnesanteckningarna", "godkänns") if words is RÅD else ("protokollet", "justeras")
    )
    client.force_login(cast.secretary)
    new = reverse("drafting:meeting_new", args=SLUGS)
    assert f"Mötet får {of_council} stående dagordning och närvarolista." in text(client.get(new))
    response = client.post(
        new,
        {"date": "2025-03-24", "start_time": "08:30", "end_time": "10:30", "place": "Salen"},
        follow=True,
    )
    assert f"Mötet är skapat med {of_council} stående dagordning." in text(response)
    meeting = cast.council.meetings.get(date=datetime.date(2025, 3, 24))
    details = text(client.get(reverse("drafting:meeting_details", args=[*SLUGS, meeting.pk])))
    assert f"Datum, tider och plats gäller tills {document} {approves};" in details


def test_the_approval_services_refuse_in_the_kinds_words(cast, words, paper):
    """A draft submitted before the meeting, or approved while a draft, is refused naming the
    council's document and act."""
    document, submit, approve = (
        ("Minnesanteckningarna", "skickas för godkännande", "godkännas")
        if words is RÅD
        else ("Protokollet", "skickas för justering", "justeras")
    )
    documents = "minnesanteckningar" if words is RÅD else "protokoll"
    awaiting = "godkännande" if words is RÅD else "justering"
    future = paper.meeting.date.replace(year=2099)
    type(paper.meeting).objects.filter(pk=paper.meeting.pk).update(date=future)
    paper.meeting.refresh_from_db()
    with pytest.raises(services.NotAllowed) as early:
        services.minutes_submit(minutes=paper, actor=cast.secretary)
    assert str(early.value) == (
        f"Mötet hålls den 24 februari 2099. {document} kan {submit} först när mötet har hållits."
    )
    with pytest.raises(services.NotAllowed) as not_submitted:
        if words is RÅD:
            services.minutes_approve(minutes=paper, actor=cast.chair)
        else:  # a nämnd's protokoll is justerat by each signatory
            justering.sign(minutes=paper, actor=cast.chair)
    refused = (
        f"Bara {documents} som väntar på {awaiting} kan {approve}."
        if words is RÅD
        else "Bara ett protokoll som väntar på justering kan justeras."
    )
    assert str(not_submitted.value) == refused
    with pytest.raises(services.NotAllowed) as not_submitted:
        services.minutes_withdraw(minutes=paper, actor=cast.secretary)
    assert str(not_submitted.value) == (
        f"Bara {documents} som väntar på {awaiting} kan tas tillbaka."
    )


def test_an_action_plan_is_adopted_when_the_kinds_record_is_approved(client, cast, words):
    from tests.actionplans.helpers import plan_with_goals

    approved = "minnesanteckningarna har godkänts" if words is RÅD else "protokollet har justerats"
    plan_with_goals(cast.council)
    client.force_login(cast.secretary)
    page = text(client.get(reverse("plans:plan", args=[*SLUGS, 2020])))
    assert f"den antas när {approved}." in page


def test_the_notice_is_refused_in_the_kinds_words(cast, words, paper):
    meeting = paper.meeting
    submit_and_approve(paper, cast)
    approved = "godkända minnesanteckningar" if words is RÅD else "ett justerat protokoll"
    with pytest.raises(services.NotAllowed) as refused:
        services.notice_send(meeting=meeting, actor=cast.secretary)
    assert str(refused.value) == f"Mötet har redan {approved}; kallelsen är inaktuell."
    empty = factories.meeting(cast.council, datetime.date(2025, 3, 24))
    document = "minnesanteckningarna" if words is RÅD else "protokollet"
    with pytest.raises(services.InvalidInput) as refused:
        services.notice_send(meeting=empty, actor=cast.secretary)
    assert str(refused.value) == f"Mötet har ingen dagordning ännu. Påbörja {document} först."


def test_a_correction_is_reviewed_in_the_kinds_words(client, cast, words, paper):
    revision = submit_and_approve(paper, cast)
    correction = services.correction_start(revision=revision, actor=cast.chair, reason="Stavfel.")
    services.minutes_submit(minutes=correction, actor=cast.secretary)
    client.force_login(cast.chair)
    approved = "godkända" if words is RÅD else "justerade"
    review = text(client.get(u("review", correction)))
    assert f"Rättelsen ändrar i den {approved} versionen" in review
