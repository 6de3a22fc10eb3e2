"""The words a council's kind gives its document and its approval: a råd's chair approves
(godkänner) its minnesanteckningar; a nämnd's protokoll is justerat. ``Council.terms`` returns one
of the two vocabularies below, so that the staff pages, the e-mails, the flash messages and the
public pages choose their wording in one place instead of testing the kind everywhere.

Whole sentences where a page shows one, so each reads naturally in Swedish; the few words
(``document``, ``is_approved`` …) serve the sentences that only name the document or the verb.
A phrase with ``%(name)s`` placeholders is filled by the ``phrase`` template tag
(``councils.templatetags.terms``) or by ``%`` in Python. The råd's sentences are the msgids that
the templates used before, so its pages, e-mails and their English translations stay as they were;
the staff sentences that now take a word (``{{ of_council }}``) render the same Swedish text.
The services' and e-mails' words are plain ``str``: those messages are Swedish only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

type Text = str | Promise


@dataclass(frozen=True)
class Terms:
    # Words, for the sentences that only name the document or the act.
    document: Text  # "minnesanteckningarna" / "protokollet"
    of_council: Text  # "rådets" / "nämndens"
    is_approved: Text  # "är godkända" / "är justerat", after the document
    approves: Text  # the passive present: "godkänns" / "justeras"
    has_been_approved: Text  # after the document: "har godkänts" / "har justerats"
    documents: str  # the indefinite plural, in the services' messages: "minnesanteckningar"
    awaits_approval: str  # "väntar på godkännande" / "väntar på justering"
    to_submit: str  # after "kan": "skickas för godkännande" / "skickas för justering"
    to_approve: str  # after "kan": "godkännas" / "justeras"
    already_approved: str  # after "Mötet har redan": "godkända minnesanteckningar"
    only_approved_corrected: Text
    # Statuses of the minutes (Minutes.Status), as the staff pages show them.
    status_draft: Text
    status_submitted: Text
    status_approved: Text
    # The staff meeting page.
    no_document_yet: Text
    start_writing: Text
    submit: Text
    review: Text
    download_approved: Text
    approved_locked: Text
    awaiting_chair: Text
    read_only_draft: Text
    document_heading: Text
    preview_heading: Text
    approved_versions: Text
    version_approved: Text  # "godkänd" before the date a version was approved
    # The review page.
    correction_changes: Text
    review_intro: Text  # %(council)s, %(date)s
    not_awaiting: Text
    approve_heading: Text
    approve_help: Text
    approve_button: Text
    only_chair: Text
    # Flash messages of the approval views.
    submitted_message: Text
    approved_message: Text
    wrong_password: Text
    wrong_code: Text
    choose_action: Text
    pdf_failed: Text  # %(why)s
    storage_failed: Text
    returned_message: Text
    correction_started: Text
    # E-mails (Swedish only, like the e-mails' templates).
    subject_submitted: Text
    subject_approved: Text
    your_approval: Text
    read_and_approve: Text
    read_it: Text
    # Public pages (translated to English in locale/en).
    public_meeting_description: Text
    public_not_yet: Text
    public_withdrawn: Text
    public_council_description: Text  # %(name)s, %(municipality)s
    public_subscribe: Text
    public_search_council: Text  # %(name)s
    public_search_description: Text  # %(name)s, %(municipality)s
    public_latest: Text
    public_none_yet: Text
    public_approved: Text  # before the document title or the date it was approved
    feed_title: str  # %(council)s, %(municipality)s; the feeds are Swedish

    def status_label(self, status: str) -> Text:
        """The label of a ``Minutes.Status`` value in this council's words."""
        return {
            "draft": self.status_draft,
            "submitted": self.status_submitted,
            "approved": self.status_approved,
        }[status]


COUNCIL_TERMS = Terms(
    document=_("minnesanteckningarna"),
    of_council=_("rådets"),
    is_approved=_("är godkända"),
    approves=_("godkänns"),
    has_been_approved=_("har godkänts"),
    documents="minnesanteckningar",
    awaits_approval="väntar på godkännande",
    to_submit="skickas för godkännande",
    to_approve="godkännas",
    already_approved="godkända minnesanteckningar",
    only_approved_corrected=_("Bara godkända minnesanteckningar kan rättas."),
    status_draft=_("Utkast"),
    status_submitted=_("Skickat för godkännande"),
    status_approved=_("Godkänt"),
    no_document_yet=_("Mötet har inga minnesanteckningar ännu."),
    start_writing=_("Börja skriva minnesanteckningar"),
    submit=_("Skicka för godkännande"),
    review=_("Granska och godkänn"),
    download_approved=_("Hämta de godkända minnesanteckningarna (PDF)"),
    approved_locked=_(
        "Minnesanteckningarna är godkända och kan inte ändras. En rättelse blir en ny version "
        "som godkänns på nytt."
    ),
    awaiting_chair=_("Minnesanteckningarna väntar på ordförandens godkännande."),
    read_only_draft=_("Du kan läsa utkastet. Bara rådets sekreterare ändrar det."),
    document_heading=_("Minnesanteckningarna"),
    preview_heading=_("Så här blir minnesanteckningarna"),
    approved_versions=_("Godkända versioner"),
    version_approved=_("godkänd"),
    review_intro=_(
        "Minnesanteckningarna från %(council)ss möte den %(date)s, så som de kommer att publiceras."
    ),
    not_awaiting=_("Minnesanteckningarna väntar inte på godkännande just nu."),
    correction_changes=_("Rättelsen ändrar i den godkända versionen"),
    approve_heading=_("Godkänn"),
    approve_help=_(
        "Godkänn med ditt lösenord. Efteråt kan minnesanteckningarna inte ändras, bara rättas "
        "med en ny version."
    ),
    approve_button=_("Godkänn och justera"),
    only_chair=_(
        "Bara den som var ordförande vid mötet godkänner eller återsänder minnesanteckningarna."
    ),
    submitted_message=_("Utkastet är skickat till ordföranden för godkännande."),
    approved_message=_("Minnesanteckningarna är godkända och justerade."),
    wrong_password=_("Lösenordet stämmer inte. Minnesanteckningarna är inte godkända."),
    wrong_code=_(
        "Koden från autentiseringsappen stämmer inte. Minnesanteckningarna är inte godkända."
    ),
    choose_action=_("Välj att godkänna eller återsända."),
    pdf_failed=_("En PDF kunde inte skapas, så minnesanteckningarna är inte godkända: %(why)s"),
    storage_failed=_(
        "Filarkivet svarar inte just nu, så minnesanteckningarna är inte godkända. Försök "
        "igen om en stund; kvarstår felet, kontakta systemförvaltaren."
    ),
    returned_message=_("Minnesanteckningarna är återsända till sekreteraren."),
    correction_started=_("En rättelse är påbörjad som ett nytt utkast; den godkänns som vanligt."),
    subject_submitted="Att godkänna",
    subject_approved="Godkänt",
    your_approval="ditt godkännande",
    read_and_approve="Läs och godkänn dem",
    read_it="Läs dem",
    public_meeting_description=_("De godkända minnesanteckningarna som webbsida och PDF."),
    public_not_yet=_("Minnesanteckningarna är inte godkända ännu."),
    public_withdrawn=_("Den publicerade kopian av minnesanteckningarna har dragits tillbaka."),
    public_council_description=_(
        "%(name)s i %(municipality)s: ledamöter, kommande möten och godkända minnesanteckningar "
        "som webbsida och PDF."
    ),
    public_subscribe=_("Prenumerera på nya minnesanteckningar (Atom)"),
    public_search_council=_("Sök i %(name)ss minnesanteckningar"),
    public_search_description=_(
        "Sök i godkända minnesanteckningar från %(name)s, %(municipality)s."
    ),
    public_latest=_("Senast godkända"),
    public_none_yet=_("Inga godkända minnesanteckningar ännu."),
    public_approved=_("Godkända"),
    feed_title="%(council)s, %(municipality)s – godkända %(document)s",
)

COMMITTEE_TERMS = Terms(
    document=_("protokollet"),
    of_council=_("nämndens"),
    is_approved=_("är justerat"),
    approves=_("justeras"),
    has_been_approved=_("har justerats"),
    documents="protokoll",
    awaits_approval="väntar på justering",
    to_submit="skickas för justering",
    to_approve="justeras",
    already_approved="ett justerat protokoll",
    only_approved_corrected=_("Bara ett justerat protokoll kan rättas."),
    status_draft=_("Utkast"),
    status_submitted=_("Skickat för justering"),
    status_approved=_("Justerat"),
    no_document_yet=_("Mötet har inget protokoll ännu."),
    start_writing=_("Börja skriva protokollet"),
    submit=_("Skicka för justering"),
    review=_("Granska och justera"),
    download_approved=_("Hämta det justerade protokollet (PDF)"),
    approved_locked=_(
        "Protokollet är justerat och kan inte ändras. En rättelse blir en ny version som "
        "justeras på nytt."
    ),
    awaiting_chair=_("Protokollet väntar på justering."),
    read_only_draft=_("Du kan läsa utkastet. Bara nämndens sekreterare ändrar det."),
    document_heading=_("Protokollet"),
    preview_heading=_("Så här blir protokollet"),
    approved_versions=_("Justerade versioner"),
    version_approved=_("justerad"),
    review_intro=_(
        "Protokollet från %(council)ss sammanträde den %(date)s, så som det kommer att publiceras."
    ),
    not_awaiting=_("Protokollet väntar inte på justering just nu."),
    correction_changes=_("Rättelsen ändrar i den justerade versionen"),
    approve_heading=_("Justera"),
    approve_help=_(
        "Justera med ditt lösenord. Efteråt kan protokollet inte ändras, bara rättas med en ny "
        "version."
    ),
    approve_button=_("Justera protokollet"),
    only_chair=_(
        "Bara sekreteraren, den som var ordförande vid sammanträdet och justerarna justerar "
        "protokollet."
    ),
    submitted_message=_("Protokollet är skickat till ordföranden och justerarna för justering."),
    approved_message=_("Protokollet är justerat."),
    wrong_password=_("Lösenordet stämmer inte. Protokollet är inte justerat."),
    wrong_code=_("Koden från autentiseringsappen stämmer inte. Protokollet är inte justerat."),
    choose_action=_("Välj att justera eller återsända."),
    pdf_failed=_("En PDF kunde inte skapas, så protokollet är inte justerat: %(why)s"),
    storage_failed=_(
        "Filarkivet svarar inte just nu, så protokollet är inte justerat. Försök igen om en "
        "stund; kvarstår felet, kontakta systemförvaltaren."
    ),
    returned_message=_("Protokollet är återsänt till sekreteraren."),
    correction_started=_("En rättelse är påbörjad som ett nytt utkast; den justeras som vanligt."),
    subject_submitted="Att justera",
    subject_approved="Justerat",
    your_approval="din justering",
    read_and_approve="Läs och justera det",
    read_it="Läs det",
    public_meeting_description=_("Det justerade protokollet som webbsida och PDF."),
    public_not_yet=_("Protokollet är inte justerat ännu."),
    public_withdrawn=_("Den publicerade kopian av protokollet har dragits tillbaka."),
    public_council_description=_(
        "%(name)s i %(municipality)s: ledamöter, kommande sammanträden och justerade protokoll "
        "som webbsida och PDF."
    ),
    public_subscribe=_("Prenumerera på nya protokoll (Atom)"),
    public_search_council=_("Sök i %(name)ss protokoll"),
    public_search_description=_("Sök i justerade protokoll från %(name)s, %(municipality)s."),
    public_latest=_("Senast justerade"),
    public_none_yet=_("Inga justerade protokoll ännu."),
    public_approved=_("Justerat"),
    feed_title="%(council)s, %(municipality)s – justerade %(document)s",
)
