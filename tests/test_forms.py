"""How every form words itself (samverkan.forms.BoundField): a required field left empty
says what to do, a select's empty choice says "Välj …", a filter's keeps "Alla …"; and a
page whose form was refused says "Fel: " first in its title."""

import pytest
from django import forms
from django.urls import reverse

from samverkan.forms import FilterForm, ModelChoiceField
from samverkan.organisations.models import Unit


class Everything(forms.Form):
    title = forms.CharField(label="Rubrik")
    unit = ModelChoiceField(label="Verksamhet", queryset=Unit.objects.all())
    kind = forms.ChoiceField(label="Slag", choices=[("", "---------"), ("a", "A")])
    how = forms.ChoiceField(label="Form", choices=[("a", "A")], widget=forms.RadioSelect)
    agreed = forms.BooleanField(label="Jag har läst villkoren")
    scan = forms.FileField(label="Skannat samtycke")
    sip_day = forms.DateField(label="SIP-möte")
    own = forms.CharField(label="Egen", error_messages={"required": "Skriv något eget."})
    maybe = ModelChoiceField(label="Frivillig", queryset=Unit.objects.all(), required=False)


class Filter(FilterForm):
    unit = ModelChoiceField(label="Verksamhet", queryset=Unit.objects.all(), required=False)
    other = ModelChoiceField(
        label="Huvudman", queryset=Unit.objects.all(), required=False, empty_label="Alla"
    )


@pytest.mark.django_db
def test_a_required_field_left_empty_says_what_to_do():
    form = Everything(data={})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["Fyll i rubrik."],
        "unit": ["Välj verksamhet."],
        "kind": ["Välj slag."],
        "how": ["Välj form."],
        "agreed": ["Kryssa i rutan ”Jag har läst villkoren” för att gå vidare."],
        "scan": ["Bifoga skannat samtycke."],
        "sip_day": ["Fyll i SIP-möte."],  # an abbreviation keeps its capitals
        "own": ["Skriv något eget."],  # a form's own words stay
    }
    html = form.as_div()
    assert "Fyll i rubrik." in html
    assert "måste fyllas i" not in html


@pytest.mark.django_db
def test_empty_choices_say_choose_and_filters_say_all(school):
    html = str(Everything()["unit"])
    assert ">Välj verksamhet</option>" in html
    assert "---------" not in str(Everything()["kind"]) + str(Everything()["maybe"])
    assert ">Välj slag</option>" in str(Everything()["kind"])
    # A filter's select is about narrowing a list: its own "Alla", never "Välj".
    assert ">Alla</option>" in str(Filter()["other"])
    assert ">Alla</option>" in str(Filter()["unit"])
    assert "Välj" not in str(Filter()["unit"])


def test_a_refused_form_puts_fel_first_in_the_title(client_for, staff, school, group):
    client = client_for(staff)
    blank = client.get(reverse("forum:raise"))
    assert "<title>Fel:" not in blank.text
    refused = client.post(reverse("forum:raise"), {"reason": ""})
    assert refused.status_code == 200
    assert "<title>Fel: Anmäl ärende till individforum" in refused.text
    assert "data-error-summary" in refused.text
    assert "Fyll i skäl till att individforum behövs." in refused.text
