"""Forms of the action plan pages. They validate and tidy input; the services do the writing."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Activity, AnnualReport, Goal
from core import widgets


def _helper(*fields, submit: str, action: str | None = None, form=None) -> FormHelper:
    """``action``: where the form posts, when not to the page that shows it. The button's id
    follows the ``form``'s ids, so two forms on one page (a goal and a new goal's) differ."""
    helper = FormHelper()
    button_id = form.auto_id % "submit" if form is not None and form.auto_id else None
    helper.layout = Layout(*fields, Submit("submit", submit, css_id=button_id))
    if action:
        helper.form_action = action
    return helper


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"), min_value=1900, max_value=2200, widget=widgets.NumberInput()
    )
    copy_previous = forms.BooleanField(
        label=_("Utgå från föregående plan (mål och pågående eller planerade insatser följer med)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("year", "copy_previous", submit=_("Skapa handlingsplanen"))


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "introduction", "situation_picture"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "situation_picture": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, frozen: bool = False, **kwargs) -> None:
        """``frozen``: the adopted plan's texts, shown read-only without a button."""
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "title", "introduction", "situation_picture", submit=_("Spara planen")
        )
        if frozen:
            for field in self.fields.values():
                field.disabled = True
            self.helper.layout = Layout("title", "introduction", "situation_picture")
            self.helper.form_tag = False


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, submit: str | None = None, action: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "title", "description", submit=submit or _("Spara målet"), action=action, form=self
        )


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "responsible", "start_date", "end_date", "status", "indicator"]
        widgets = {
            "start_date": widgets.DateInput(),
            "end_date": widgets.DateInput(),
            "indicator": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, submit: str | None = None, action: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "title",
            "responsible",
            Div(
                Div(Field("start_date"), css_class="col"),
                Div(Field("end_date"), css_class="col"),
                Div(Field("status"), css_class="col"),
                css_class="row",
            ),
            "indicator",
            submit=submit or _("Spara insatsen"),
            action=action,
            form=self,
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutdatum kan inte vara före startdatum."))
        return data


class FollowUpForm(forms.Form):
    """One activity's follow-up at a meeting; the page shows one per open activity."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=Activity.Status.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("Uppföljning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, activity: Activity, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity


class ReportCreateForm(forms.Form):
    # It shares the plans page with the new plan's form: prefixed, so its field is
    # ``report-year`` (id ``id_report-year``) and each year field has its own label.
    prefix = "report"

    year = forms.IntegerField(
        label=_("År"), min_value=1900, max_value=2200, widget=widgets.NumberInput()
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["title", "introduction", "body"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "body": forms.Textarea(attrs={"rows": 20, "data-richtext": "1"}),
        }
        help_texts = {
            "introduction": _("Stycken skiljs åt med en tom rad."),
            "body": _("Sammanställd ur årets möten och handlingsplanen; redigera fritt."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("title", "introduction", "body", submit=_("Spara"))
