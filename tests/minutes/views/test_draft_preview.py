import pytest
from django.urls import reverse

from minutes.models import Minutes
from tests import factories
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    meeting = factories.meeting(
        cast.council,
        chaired_by=cast.chair.person,
        secretary=cast.secretary.person,
        place="Rådssalen",
    )
    minutes = factories.minutes(meeting)
    factories.item(minutes, 1, title="Föregående minnesanteckningar", body="<p>Godkänns.</p>")
    factories.item(
        minutes,
        2,
        title="Hemligt",
        is_public=False,
        confidentiality_ground="OSL 26 kap. 1 §",
        body="<p>Känsligt</p>",
    )
    return minutes


def url(minutes, council=None):
    council = council or minutes.meeting.council
    return reverse(
        "minutes:draft_preview", args=[council.municipality.slug, council.slug, minutes.meeting.pk]
    )


@pytest.mark.parametrize("who", ["secretary", "chair", "member", "admin"])
def test_members_preview_the_draft_with_a_watermark_and_without_signatures(
    client, cast, draft, who
):
    client.force_login(getattr(cast, who))
    response = client.get(url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        'filename="utkast-arboga-forebyggande-radet-2020-02-24.pdf"'
        in response["Content-Disposition"]
    )
    text = "\n".join("\n".join(page) for page in pdftext.raw_lines(response.content))
    assert "UTKAST" in text
    assert "1. Föregående minnesanteckningar" in text
    assert "Arboga den 24/2- 2020" in text
    assert "Olle Ordförande" not in text  # no signatures on a draft
    assert "2. Sekretessbelagt ärende – utelämnat enligt OSL 26 kap. 1 §" in text
    assert "Hemligt" not in text
    assert "Känsligt" not in text


def test_anonymous_visitors_are_sent_to_login(client, draft):
    response = client.get(url(draft))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_outsiders_get_404(client, cast, draft):
    client.force_login(cast.outsider)
    assert client.get(url(draft)).status_code == 404


def test_a_meeting_of_another_council_is_404(client, cast, draft):
    client.force_login(cast.outsider)
    assert client.get(url(draft, council=cast.other_council)).status_code == 404


def test_approved_minutes_have_no_draft_to_preview(client, cast, draft):
    draft.status = Minutes.Status.APPROVED
    draft.save()
    client.force_login(cast.secretary)
    assert client.get(url(draft)).status_code == 404
