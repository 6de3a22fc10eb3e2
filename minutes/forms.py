"""Forms of the drafting pages. They validate and tidy input; the services do the writing."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core import widgets
from minutes.models import Attendance

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

    def __init__(self, *args, substitute_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute_for"].choices = [("", "–"), *substitute_choices]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == Attendance.Status.SUBSTITUTE and not data.get("substitute_for"):
            self.add_error("substitute_for", _("Ange vem ersättaren tjänstgör för."))
        return data


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
