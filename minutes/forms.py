"""Forms of the drafting pages. They validate and tidy input; the services do the writing."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core import widgets
from minutes.models import Attendance, Ballot, Motion

NOT_ATTENDING = ""


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=widgets.DateInput())
    start_time = forms.TimeField(
        label=_("Starttid"), required=False, widget=widgets.TimeInput(format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Sluttid"), required=False, widget=widgets.TimeInput(format="%H:%M")
    )
    place = forms.CharField(label=_("Plats"), max_length=150, required=False)

    def __init__(self, *args, submit_label: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("date"),
            Div(
                Div("start_time", css_class="col"),
                Div("end_time", css_class="col"),
                css_class="row",
            ),
            Field("place"),
            Submit("submit", submit_label or _("Skapa mötet")),
        )

    @staticmethod
    def usual_for(council) -> dict:
        """The council's usual place and times, what a new meeting starts from."""
        return {
            "place": council.default_place,
            "start_time": council.usual_start_time,
            "end_time": council.usual_end_time,
        }

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Sluttiden måste vara efter starttiden."))
        if end and not start:
            self.add_error("start_time", _("Ange starttiden när sluttiden är angiven."))
        date = data.get("date")
        if date and not (datetime.date(1900, 1, 1) <= date <= datetime.date(2200, 12, 31)):
            self.add_error("date", _("Ange ett rimligt datum."))
        return data


class ItemTitleForm(forms.Form):
    title = forms.CharField(
        label=_("Rubrik för nytt ärende"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ItemForm(forms.Form):
    """The item editor without JavaScript; the autosave endpoint takes the same fields as JSON."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Rubrik"), max_length=255)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-richtext": "1"}),
        help_text=_("Stycken skiljs åt med en tom rad."),
    )
    decision = forms.CharField(
        label=_("Beslut"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_public = forms.BooleanField(label=_("Offentligt ärende"), required=False)
    confidentiality_ground = forms.CharField(
        label=_("Grund för sekretess"),
        max_length=150,
        required=False,
        help_text=_("Lagrum när ärendet är sekretessbelagt, till exempel ”OSL 26 kap. 1 §”."),
    )

    # A nämnd's § (shown only for one; the service checks them, minutes.services.paragraphs)
    case_number = forms.CharField(
        label=_("Diarienummer"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"data-part": "1"}),
        help_text=_("Till exempel ”KS 2020/123”."),
    )
    basis = forms.CharField(
        label=_("Beslutsunderlag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-part": "1"}),
        help_text=_(
            "En handling per rad: titel och datum, till exempel ”Tjänsteskrivelse, 2020-03-02”. "
            "Bifogade handlingar listas med dem."
        ),
    )
    proposal = forms.CharField(
        label=_("Förslag till beslut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-part": "1"}),
    )
    decision_points = forms.CharField(
        label=_("Beslut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-part": "1"}),
        help_text=_("En beslutspunkt per rad; de numreras i protokollet."),
    )
    protocol_note = forms.CharField(
        label=_("Protokollsanteckning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-part": "1"}),
    )
    recipients = forms.CharField(
        label=_("Beslutet skickas till"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-part": "1"}),
        help_text=_("En mottagare per rad: namn eller enhet."),
    )
    immediate_adjustment = forms.BooleanField(
        label=_("Paragrafen justeras omedelbart"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-part": "1"}),
    )

    def parts(self):
        """The § parts as the service takes them."""
        from minutes.services import PartsInput

        return PartsInput(**{name: self.cleaned_data[name] for name in self.PARTS})

    PARTS = (
        "case_number",
        "basis",
        "proposal",
        "decision_points",
        "protocol_note",
        "recipients",
        "immediate_adjustment",
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("is_public") and not (data.get("confidentiality_ground") or "").strip():
            self.add_error(
                "confidentiality_ground",
                _("Ett sekretessbelagt ärende måste ange grund för sekretess."),
            )
        return data


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Underrubrik"), max_length=255, required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-richtext": "1"}),
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1, max_num=100, validate_max=True)


class AttendanceRowForm(forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    membership_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        label=_("Närvaro"),
        required=False,
        choices=[*Attendance.Status.choices, (NOT_ATTENDING, _("Deltar inte"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    substitute_for = forms.TypedChoiceField(
        label=_("Ersättare för"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    # a nämnd's: present or serving from § to § (as printed; the view converts them to the
    # meeting's item positions), and the justerare
    from_paragraph = forms.IntegerField(
        label=_("Från §"),
        required=False,
        min_value=1,
        max_value=99999,
        widget=widgets.NumberInput(attrs={"class": "form-control form-control-sm paragraph-input"}),
    )
    to_paragraph = forms.IntegerField(
        label=_("Till §"),
        required=False,
        min_value=1,
        max_value=99999,
        widget=widgets.NumberInput(attrs={"class": "form-control form-control-sm paragraph-input"}),
    )
    is_adjuster = forms.BooleanField(
        label=_("Justerare"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, substitute_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute_for"].choices = [("", "–"), *substitute_choices]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == Attendance.Status.SUBSTITUTE and not data.get("substitute_for"):
            self.add_error("substitute_for", _("Ange vem ersättaren tjänstgör för."))
        first, last = data.get("from_paragraph"), data.get("to_paragraph")
        if first and last and first > last:
            self.add_error("to_paragraph", _("Till § kan inte komma före från §."))
        return data


class AdjustmentForm(forms.Form):
    """A nämnd's justering: where and when (the protokoll's front page)."""

    adjustment_place = forms.CharField(
        label=_("Justeringens plats"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    adjustment_date = forms.DateField(
        label=_("Justeringens dag"),
        required=False,
        widget=widgets.DateInput(attrs={"class": "form-control"}),
    )
    adjustment_time = forms.TimeField(
        label=_("Justeringens tid"),
        required=False,
        widget=widgets.TimeInput(format="%H:%M", attrs={"class": "form-control"}),
    )


class DocumentForm(forms.Form):
    """A document for an agenda item; the file's type is judged by the service, from its bytes."""

    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument eller en bild (PNG, JPEG, GIF)."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        help_text=_("Till exempel ”Verksamhetsberättelse 2019”; filens namn om du lämnar tomt."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    is_public = forms.BooleanField(
        label=_("Offentlig handling"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    is_public = forms.BooleanField(label=_("Offentlig handling"), required=False)


class NextMeetingForm(MeetingForm):
    """ "Nästa möte: …" in the minutes; the meeting is created from the standing agenda."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Nästa mötes datum")
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("date", css_class="col-sm-4"),
                Div("start_time", css_class="col-sm-2"),
                Div("end_time", css_class="col-sm-2"),
                Div("place", css_class="col-sm-4"),
                css_class="row",
            )
        )


# --- A nämnd's deliberation at a § (minutes.services.deliberation) ---------------------------
# Four formsets on the § page; without JavaScript they are posted with the item form, with it
# the editor sends the same rows as JSON (deliberation.as_json's shape) through the autosave.
# Who may be chosen is who could serve at the § (the attendance's members and the substitutes
# who may step in); whether they serve is the service's to decide.


MAX_ROWS = 50  # minutes.services.deliberation.MAX_ROWS: rows per formset of a §
MAX_ID = 2**63 - 1  # the largest primary key a database column holds


def posted_int(value, default: int | None = None) -> int | None:
    """A non-negative whole number as posted ("12"), else ``default``: never an exception for
    what a tampered form sends ("abc", "²", "1e9", an id too large for the database)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
        return default
    return int(text)


def posted_total(data, prefix: str) -> int:
    """A formset's TOTAL_FORMS as posted, read leniently and never above MAX_ROWS + 1 (the
    formset itself refuses more than MAX_ROWS): a tampered count builds no more rows."""
    return min(posted_int((data or {}).get(f"{prefix}-TOTAL_FORMS"), 0), MAX_ROWS + 1)


def _person_field(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-person": "1"}),
    )


class _PeopleForm(forms.Form):
    PEOPLE_FIELDS: tuple[str, ...] = ("person",)

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.PEOPLE_FIELDS:
            self.fields[name].choices = [("", "–"), *people]


class DisqualificationForm(_PeopleForm):
    person = _person_field(_("Jävig ledamot"))
    substitute = _person_field(_("Tjänstgör i stället (valfritt)"))

    def __init__(self, *args, substitutes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = [("", _("Ingen")), *substitutes]
        self.fields["substitute"].widget.attrs.pop("data-person", None)
        self.fields["person"].widget.attrs.pop("data-person", None)

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("person")


class MotionForm(_PeopleForm):
    person = _person_field(_("Vem yrkar"))
    kind = forms.ChoiceField(
        label=_("Slag av yrkande"),
        required=False,
        choices=[("", "–"), *Motion.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    text = forms.CharField(
        label=_("Yrkandet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
    )
    # the number of the supported motion's row (1-based, in the formset's order)
    supports = forms.IntegerField(
        label=_("Bifall till yrkande"),
        required=False,
        min_value=1,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, motions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supports"].widget.choices = [("", "–"), *motions]

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("person")


BALLOT_CHOICES = [*Ballot.Choice.choices, ("", _("Ingen röst"))]


class VoteForm(forms.Form):
    yes_means = forms.CharField(
        label=_("Ja-röst för"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    no_means = forms.CharField(
        label=_("Nej-röst för"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for person_id, name in people:
            self.fields[f"ballot_{person_id}"] = forms.ChoiceField(
                label=name, required=False, choices=BALLOT_CHOICES, widget=forms.RadioSelect
            )

    def ballot_fields(self) -> list:
        """The bound ballot fields, one per person, in the order they were given."""
        return [self[name] for name in self.fields if name.startswith("ballot_")]

    def ballots(self) -> dict[int, str]:
        return {
            int(name.removeprefix("ballot_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("ballot_") and value
        }

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("yes_means", "").strip() or data.get("no_means", "").strip()) and (
            not self.ballots()
        )


class ReservationForm(_PeopleForm):
    person = _person_field(_("Vem reserverar sig"))
    against = forms.CharField(
        label=_("Mot"),
        max_length=150,
        required=False,
        help_text=_("Tomt för hela beslutet, annars till exempel ”beslutspunkt 2”."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    for_own_motion = forms.BooleanField(label=_("Till förmån för eget yrkande"), required=False)
    document = forms.TypedChoiceField(
        label=_("Skriftlig reservation (bilaga)"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, documents=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("Ingen")), *documents]

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("person")


def _formset(form):
    return forms.formset_factory(
        form,
        extra=1,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS + 1,  # a tampered TOTAL_FORMS builds no more forms than that
    )


class DeliberationForms:
    """The four formsets of a § (jäv, yrkanden, voteringar, reservationer) and the proposition,
    read into the service's DeliberationInput; blank and deleted rows are left out."""

    PREFIXES = {
        "jav": "jav",
        "motions": "yrkanden",
        "votes": "voteringar",
        "reservations": "reservationer",
    }

    def __init__(
        self, data=None, *, people=(), jav_people=(), substitutes=(), documents=(), initial=None
    ) -> None:
        from minutes.services import deliberation

        state = initial or deliberation.DeliberationInput()
        total = max(len(state.motions), posted_total(data, "yrkanden")) + 1
        motions = [(n, _("Yrkande %(n)s") % {"n": n}) for n in range(1, total + 1)]
        self.data = data
        self.proposition = data.get("proposition", "") if data is not None else state.proposition
        self.jav = _formset(DisqualificationForm)(
            data,
            prefix="jav",
            initial=[
                {"person": j.person_id, "substitute": j.substitute_id}
                for j in state.disqualifications
            ],
            form_kwargs={"people": jav_people, "substitutes": substitutes},
        )
        self.motions = _formset(MotionForm)(
            data,
            prefix="yrkanden",
            initial=[
                {"person": m.person_id, "kind": m.kind, "text": m.text, "supports": m.supports}
                for m in state.motions
            ],
            form_kwargs={"people": people, "motions": motions},
        )
        self.votes = _formset(VoteForm)(
            data,
            prefix="voteringar",
            initial=[
                {
                    "yes_means": v.yes_means,
                    "no_means": v.no_means,
                    **{f"ballot_{p}": c for p, c in v.ballots.items()},
                }
                for v in state.votes
            ],
            form_kwargs={"people": people},
        )
        self.reservations = _formset(ReservationForm)(
            data,
            prefix="reservationer",
            initial=[
                {
                    "person": r.person_id,
                    "against": r.against,
                    "for_own_motion": r.for_own_motion,
                    "document": r.document_id,
                }
                for r in state.reservations
            ],
            form_kwargs={"people": people, "documents": documents},
        )

    @property
    def formsets(self) -> list:
        return [self.jav, self.motions, self.votes, self.reservations]

    def is_valid(self) -> bool:
        return all(f.is_valid() for f in self.formsets)

    @staticmethod
    def _kept(formset) -> list:
        return [
            f
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()
        ]

    def as_input(self):
        """The rows as the service takes them; InvalidInput for a bifall whose motion is gone."""
        from minutes.services import InvalidInput, deliberation

        kept_motions = self._kept(self.motions)
        number = {f.prefix: n for n, f in enumerate(kept_motions, start=1)}
        row_prefix = {n: f.prefix for n, f in enumerate(self.motions.forms, start=1)}
        motions = []
        for form in kept_motions:
            data = form.cleaned_data
            supports = data.get("supports")
            if supports is not None:
                if row_prefix.get(supports) not in number:
                    raise InvalidInput(
                        _("Yrkandet som bifallet gäller är borttaget; välj ett annat eller inget.")
                    )
                supports = number[row_prefix[supports]]
            motions.append(
                deliberation.MotionInput(
                    data["person"], data.get("kind") or "", data.get("text", ""), supports
                )
            )
        return deliberation.DeliberationInput(
            motions=tuple(motions),
            proposition=self.proposition,
            votes=tuple(
                deliberation.VoteInput(
                    f.cleaned_data.get("yes_means", ""),
                    f.cleaned_data.get("no_means", ""),
                    f.ballots(),
                )
                for f in self._kept(self.votes)
            ),
            reservations=tuple(
                deliberation.ReservationInput(
                    f.cleaned_data["person"],
                    f.cleaned_data.get("against", ""),
                    f.cleaned_data.get("for_own_motion", False),
                    f.cleaned_data.get("document"),
                )
                for f in self._kept(self.reservations)
            ),
            disqualifications=tuple(
                deliberation.DisqualificationInput(
                    f.cleaned_data["person"], f.cleaned_data.get("substitute")
                )
                for f in self._kept(self.jav)
            ),
        )
