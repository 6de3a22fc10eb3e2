"""The public pages in English under /en/ (config.urls' i18n_patterns), the Swedish pages
unchanged without a prefix, a language switch to the same page in the other language, the staff
pages in Swedish, the PDFs in the council's language (Swedish) whatever the request's, and an
English catalogue whose compiled .mo says what its .po says."""

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.test import Client
from django.urls import clear_url_caches, path, reverse
from django.utils import translation
from django.utils.html import strip_tags

from config.urls import urlpatterns as project_urls
from tests.actionplans.helpers import adopt, meeting_draft, new_item, plan_with_goals
from tests.minutes import pdftext
from tests.pages import page_text

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
COUNCIL = "/arboga/forebyggande-radet/"
MEETING = f"{COUNCIL}2020-02-24/"
PLANS = f"{COUNCIL}handlingsplaner/"
PLAN = f"{PLANS}2020/"
PLAN_PDF = f"{PLAN}arboga-forebyggande-radet-handlingsplan-2020.pdf"


# --- the catalogue -----------------------------------------------------------------------------


def po_entries(path: Path, *, untranslated: bool = False) -> dict[str, list[str]]:
    """The translated entries of a .po file (``untranslated`` too): msgid (with ``\\x00`` and
    the plural's msgid for a plural) → msgstr, or its forms. Fuzzy entries are left out, as
    msgfmt leaves them out."""
    entries: dict[str, list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block.splitlines()[:3] and 'msgid ""\nmsgstr ""' not in block:
            continue
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            else:
                fields[current] += ast.literal_eval(line)
        if not fields.get("msgid"):
            continue  # the header
        key = fields["msgid"]
        if "msgid_plural" in fields:
            key += "\x00" + fields["msgid_plural"]
            forms = [fields[k] for k in sorted(fields) if k.startswith("msgstr[")]
        else:
            forms = [fields["msgstr"]]
        if all(forms) or untranslated:
            entries[key] = forms
    return entries


def mo_entries(path: Path) -> dict[str, list[str]]:
    with path.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    entries: dict[str, list[str]] = {}
    for key, value in catalog.items():
        if key == "":
            continue  # the header
        if isinstance(key, tuple):  # (msgid, n) of a plural
            forms = entries.setdefault(key[0], [])
            forms.extend([""] * (key[1] + 1 - len(forms)))
            forms[key[1]] = value
        else:
            entries[key] = [value]
    return entries


def test_the_compiled_catalogue_says_what_the_po_says():
    po = po_entries(LOCALE / "django.po")
    mo = mo_entries(LOCALE / "django.mo")
    # the .mo keys a plural by its singular msgid alone
    assert {key.split("\x00")[0]: forms for key, forms in po.items()} == mo
    assert len(po) > 100


def test_the_catalogue_keeps_every_placeholder():
    for msgid, forms in po_entries(LOCALE / "django.po").items():
        wanted = set(re.findall(r"%\(\w+\)s", msgid))
        for form in forms:
            assert set(re.findall(r"%\(\w+\)s", form)) == wanted, msgid


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def public(cast):
    """An adopted plan, adopted by the approved minutes of 24 February 2020."""
    plan = plan_with_goals(
        cast.council, goals=("Ökad trygghet",), activities=(("Trygg handel", "done"),)
    )
    adopt(plan, cast)
    return plan


PAGES = [
    # (Swedish address, what the Swedish page says, what the English page says)
    ("/", "Kommuner och råd", "Municipalities and councils"),
    ("/arboga/", "Råd och nämnder", "Councils and committees"),
    (COUNCIL, "Ledamöter", "Members"),
    (MEETING, "Möte 24 februari 2020", "Meeting 24 February 2020"),
    ("/sok/?q=trygghet", "Sök i minnesanteckningar och protokoll", "Search the minutes"),
    (PLANS, "Handlingsplaner och verksamhetsberättelser", "Action plans and annual reports"),
    (PLAN, "Mål och insatser", "Goals and activities"),
    ("/tillganglighet/", "Tillgänglighetsredogörelse", "Accessibility statement"),
    ("/oppna-data/", "Hela arkivet som en fil", "The whole archive as one file"),
    ("/bevaka/integritet/", "Rättslig grund", "Legal basis"),
    ("/bevaka/?slag=anslagstavla&kommun=arboga", "Bevaka med e-post", "Follow by e-mail"),
    ("/bevaka/skickat/", "Bekräfta i din e-post", "Confirm in your e-mail"),
]


def chrome(response) -> str:
    """The page's own text: the minutes (``lang="sv"``, the record in its own language) and
    the language switch left out."""
    html = response.content.decode()
    html = re.sub(r'<article class="minutes-doc" lang="sv">.*?</article>', "", html, flags=re.S)
    html = re.sub(r'<a [^>]*hreflang="sv"[^>]*>Svenska</a>', "", html)
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def swedish_phrases() -> list[str]:
    """The catalogue's Swedish phrases of two words or more, translated or not, without
    placeholders (a phrase of the catalogue is never the name of a council or a person)."""
    return [
        key
        for key, forms in po_entries(LOCALE / "django.po", untranslated=True).items()
        if "\x00" not in key and "%" not in key and " " in key and forms[0] != key
    ]


@pytest.mark.parametrize(("path", "swedish", "english"), PAGES)
def test_the_public_pages_are_english_under_en_and_swedish_without(
    client, public, path, swedish, english
):
    sv = client.get(path)
    en = client.get("/en" + path)
    assert sv.status_code == en.status_code == 200
    assert "{#" not in sv.content.decode() + en.content.decode()  # no comment shows
    assert '<html lang="sv">' in sv.content.decode() and sv["Content-Language"] == "sv"
    assert '<html lang="en">' in en.content.decode() and en["Content-Language"] == "en"
    assert swedish in page_text(sv) and english not in page_text(sv)
    assert english in page_text(en) and swedish not in chrome(en)
    left = [phrase for phrase in swedish_phrases() if phrase in chrome(en)]
    assert left == [], path


def test_a_coming_meetings_notice_page_in_english(client, cast, public):
    from minutes import services

    coming = datetime.date.today() + datetime.timedelta(days=30)
    minutes = meeting_draft(cast, coming)
    new_item(minutes, "Trygghetsvandring")
    services.notice_send(meeting=minutes.meeting, actor=None)
    path = f"{COUNCIL}{coming:%Y-%m-%d}/"
    sv, en = client.get(path), client.get("/en" + path)
    assert "Kallelse och dagordning" in page_text(sv) and "Kallelsen som PDF" in page_text(sv)
    english = chrome(en)
    assert "Notice and agenda" in english and "The notice as PDF" in english
    assert "The meeting has not been held yet." in english
    assert "Trygghetsvandring" in english  # the agenda as it was sent
    assert [phrase for phrase in swedish_phrases() if phrase in english] == []


def test_the_meeting_record_stays_swedish_on_the_english_page(client, public):
    html = client.get("/en" + MEETING).content.decode()
    record = re.search(r'<article class="minutes-doc" lang="sv">.*?</article>', html, re.S)
    assert record and "Plats och tid" in record.group(0) and "Place and time" not in html
    assert "Arboga den 24/2- 2020" in record.group(0)  # the stored text as it was approved


def test_the_swedish_pages_are_unchanged_after_an_english_one(client, public):
    client.get("/en" + COUNCIL)
    text = page_text(client.get(COUNCIL))
    assert "Kommande möten i din kalender (iCalendar)" in text and "Members" not in text
    assert "24 februari 2020" in text


def test_the_council_page_gives_english_dates_and_times(client, public, cast):
    from minutes import services

    services.meeting_create(
        council=cast.council,
        date=datetime.date.today() + datetime.timedelta(days=30),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )
    en = page_text(client.get("/en" + COUNCIL))
    assert "24 February 2020" in en and "Coming meetings" in en
    assert ", 08.30 – 10.30, Kommunstyrelsesalen" in en and "kl 08.30" not in en
    assert "kl 08.30 – 10.30, Kommunstyrelsesalen" in page_text(client.get(COUNCIL))


def test_the_municipality_page_gives_english_dates_and_times(client, public):
    """The latest approved meeting of each council reads as the council page does: English
    month names and no "kl" under /en/, the minutes' Swedish without a prefix."""
    en = page_text(client.get("/en/arboga/"))
    assert "24 February 2020, 08.30 – 10.30" in en
    assert "februari" not in en and "kl " not in en
    assert "24 februari 2020, kl 08.30 – 10.30" in page_text(client.get("/arboga/"))


@pytest.mark.parametrize(("path", "swedish", "english"), PAGES)
def test_the_switch_links_the_same_page_in_the_other_language(
    client, public, path, swedish, english
):
    sv = client.get(path).content.decode()
    en = client.get("/en" + path).content.decode()
    escaped = path.replace("&", "&amp;")
    assert f'<a class="nav-link" href="/en{escaped}" lang="en" hreflang="en">English</a>' in sv
    assert f'<a class="nav-link" href="{escaped}" lang="sv" hreflang="sv">Svenska</a>' in en
    for html in (sv, en):
        assert f'<link rel="alternate" hreflang="sv" href="http://testserver{escaped}">' in html
        assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{escaped}">' in html


def test_links_on_an_english_page_stay_english(client, public):
    html = client.get("/en" + COUNCIL).content.decode()
    assert 'action="/en/sok/"' in html and f'href="/en{MEETING}"' in html
    assert f'href="/en{PLANS}"' in html


def test_the_language_comes_from_the_address_alone(client, public):
    """Neither Accept-Language nor a cookie changes a page, so caches need not vary by them."""
    sv = client.get(COUNCIL, headers={"accept-language": "en"})
    assert "Ledamöter" in page_text(sv) and "Accept-Language" not in sv.get("Vary", "")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Ledamöter" in page_text(client.get(COUNCIL))
    en = client.get("/en" + COUNCIL, headers={"accept-language": "sv"})
    assert "Members" in page_text(en) and "Accept-Language" not in en.get("Vary", "")


def test_the_error_pages_speak_the_addresses_language(client, public, settings):
    missing = client.get("/en/finns/inte/")
    assert missing.status_code == 404 and "Page not found" in page_text(missing)
    assert '<html lang="en">' in missing.content.decode()
    assert "Sidan finns inte" in page_text(client.get("/finns/inte/"))
    settings.ROOT_URLCONF = __name__  # the project's addresses and a public one that fails
    failing = Client(raise_request_exception=False)
    assert "Something went wrong" in page_text(failing.get("/en/fel/"))
    assert "Något gick fel" in page_text(failing.get("/fel/"))


def test_the_forbidden_page_has_its_english_words():
    from django.template.loader import render_to_string

    with translation.override("en"):
        html = render_to_string("403.html")
    assert "Not allowed" in html and '<html lang="en">' in html


def test_the_staff_pages_stay_swedish_and_have_no_english_address(client, cast, public):
    client.force_login(cast.secretary)
    workspace = client.get(reverse("drafting:workspace"))
    assert workspace.status_code == 200 and '<html lang="sv">' in workspace.content.decode()
    assert "Arbetsyta" in page_text(workspace) and 'hreflang="en"' not in workspace.content.decode()
    assert client.get("/en" + reverse("drafting:workspace")).status_code == 404
    assert client.get("/en/konto/logga-in/").status_code == 404


@pytest.fixture
def english_default(settings):
    """LANGUAGE_CODE=en. The resolver keeps its addresses per language, prefixes included, so
    they are forgotten before and after."""
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    yield
    clear_url_caches()


def test_the_staff_pages_stay_swedish_with_english_as_the_default(client, cast, english_default):
    front = client.get("/")
    assert '<html lang="en">' in front.content.decode()
    assert "Municipalities and councils" in page_text(front)
    assert "Kommuner och råd" in page_text(client.get("/sv/"))  # the other language's prefix
    client.force_login(cast.secretary)
    workspace = client.get(reverse("drafting:workspace"))
    assert '<html lang="sv">' in workspace.content.decode()
    assert "Arbetsyta" in page_text(workspace) and "Workspace" not in page_text(workspace)


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *i18n_patterns(path("fel/", fail), prefix_default_language=False),
    *project_urls,
]


# --- the PDFs ----------------------------------------------------------------------------------


def test_a_pdf_asked_for_in_english_is_swedish(client, public):
    english = client.get("/en" + PLAN_PDF)
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(line) for line in pdftext.raw_lines(english.content))
    assert "Mål och insatser" in text or "Insats" in text
    assert "Goals and activities" not in text and "Activity" not in text
    assert english.content == client.get(PLAN_PDF).content


def test_minutes_rendered_while_english_is_active_are_swedish(cast, public):
    from minutes.models import Minutes
    from minutes.pdf import render_minutes_pdf
    from minutes.snapshot import build_snapshot

    minutes = Minutes.objects.get(meeting__date=datetime.date(2020, 2, 24))
    swedish = render_minutes_pdf(build_snapshot(minutes), draft=True)
    with translation.override("en"):
        english = render_minutes_pdf(build_snapshot(minutes), draft=True)
    text = " ".join(" ".join(line) for line in pdftext.raw_lines(english))
    assert "Plats och tid" in text and "Place and time" not in text
    assert text == " ".join(" ".join(line) for line in pdftext.raw_lines(swedish))
