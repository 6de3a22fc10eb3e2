from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscriber


class SubscribeForm(forms.Form):
    """A request to follow something: the address alone, and what (hidden: the page the form is
    on says it)."""

    epost = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en hel e-postadress, till exempel namn@exempel.se."),
            "max_length": _("E-postadressen är för lång."),
        },
    )
    slag = forms.ChoiceField(
        choices=[("rad", "rad"), ("sokning", "sokning"), ("anslagstavla", "anslagstavla")],
        widget=forms.HiddenInput,
    )
    kommun = forms.SlugField(required=False, max_length=60, widget=forms.HiddenInput)
    rad = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class FrequencyForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect(attrs={"class": "form-check-input"})}
        labels = {"frequency": _("Hur ofta vill du få e-post?")}


class EndAddressForm(forms.Form):
    """An administrator ends every subscription of an address, on the owner's request."""

    email = forms.EmailField(label=_("E-postadress"), max_length=254)
