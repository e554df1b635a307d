"""The rotating convener's page (issue 11, item 7): who convenes in year N, for any year
from the rotation's start, with the principals' full names; the year is checked at the
field; who may see the page; and its query count."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.governance.forms import YEARS_AHEAD
from samverkan.governance.models import ConvenerRotation, RotationTurn
from samverkan.organisations.models import Body, Principal
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
LAST = THIS_YEAR + YEARS_AHEAD


@pytest.fixture
def federation(db):
    return Principal.objects.create(
        name="Kommunalförbundet Sjukvård och omsorg i Testby",
        kind=Principal.Kind.FEDERATION,
        organisation_number="2220000013",
    )


@pytest.fixture
def consultation(group):
    return Body.objects.create(
        name="Samrådsgrupp", kind=Body.Kind.CONSULTATION, level=Body.Level.LOCAL,
        local_group=group, cadence=Body.Cadence.YEARLY,
    )  # fmt: skip


@pytest.fixture
def rotation(consultation, federation, municipality):
    rotation = ConvenerRotation.objects.create(body=consultation, start_year=2020)
    for position, (principal, party) in enumerate(
        [
            (federation, ""),
            (municipality, "Barn- och skolnämnden och Utbildningsnämnden"),
            (municipality, "Socialnämnden"),
        ],
        start=1,
    ):
        RotationTurn.objects.create(
            rotation=rotation, position=position, principal=principal, party=party
        )
    return rotation


def url(body, year=None):
    address = reverse("governance:rotation", args=[body.pk])
    return address if year is None else f"{address}?ar={year}"


def field_error(html, name):
    match = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def answer(html):
    match = re.search(r'id="convener">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else None


# --- who may see it ---------------------------------------------------------------------------
def test_who_may_see_the_rotation(client, client_for, outsider, staff, rotation, steering):
    response = client.get(url(rotation.body))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
    # The structure of the bodies is open to everyone signed in (the directory's rule).
    assert client_for(staff).get(url(rotation.body)).status_code == 200
    assert client_for(outsider).get(url(rotation.body)).status_code == 200
    # A body without a rotation, or no body at all, has no such page.
    assert client_for(outsider).get(url(steering)).status_code == 404
    assert client_for(outsider).get(reverse("governance:rotation", args=[999])).status_code == 404


# --- the answer -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "year, convener",
    [
        (2020, "2020 är Kommunalförbundet Sjukvård och omsorg i Testby sammankallande."),
        (
            2021,
            "2021 är Barn- och skolnämnden och Utbildningsnämnden sammankallande för "
            "Testby kommun.",
        ),
        (2022, "2022 är Socialnämnden sammankallande för Testby kommun."),
        (2023, "2023 är Kommunalförbundet Sjukvård och omsorg i Testby sammankallande."),
        (2031, "2031 är Socialnämnden sammankallande för Testby kommun."),
        (LAST, None),
    ],
)
def test_who_convenes_in_any_year(client_for, outsider, rotation, year, convener):
    response = client_for(outsider).get(url(rotation.body, year))
    assert response.status_code == 200
    assert response.context["year"] == year
    if convener is None:  # the last year that may be asked for: the rotation's own answer
        convener = f"{year} är "
        assert answer(response.text).startswith(convener)
    else:
        assert answer(response.text) == convener
    # The years that follow, each with the principal's full name.
    years = response.context["years"]
    assert [y for y, _ in years] == [year, year + 1, year + 2]
    table = response.text[response.text.index("Turordningen de följande åren") :]
    for _, turn in years:
        assert f"<td>{turn.principal.name}</td>" in table


def test_the_year_defaults_to_this_year(client_for, outsider, rotation):
    for address in (url(rotation.body), url(rotation.body, "")):
        response = client_for(outsider).get(address)
        assert response.context["year"] == THIS_YEAR
        assert response.context["convener"] == rotation.convener_for(THIS_YEAR)
        assert answer(response.text).startswith(f"{THIS_YEAR} är ")


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "2019",
            f"Turordningen började 2020, så den säger inget om 2019. Ange ett år från 2020 "
            f"till {LAST}.",
        ),
        (
            "1066",
            f"Turordningen började 2020, så den säger inget om 1066. Ange ett år från 2020 "
            f"till {LAST}.",
        ),
        (str(LAST + 1), f"{LAST + 1} ligger för långt fram. Ange ett år från 2020 till {LAST}."),
        ("99999", f"99999 ligger för långt fram. Ange ett år från 2020 till {LAST}."),
        ("tjugo", "Ange ett år med fyra siffror, till exempel 2031."),
        ("2031.5", "Ange ett år med fyra siffror, till exempel 2031."),
    ],
)
def test_a_year_out_of_range_is_refused_at_the_field(
    client_for, outsider, rotation, typed, message
):
    response = client_for(outsider).get(url(rotation.body, typed))
    assert response.status_code == 200
    assert field_error(response.text, "ar") == message
    assert "Rätta följande för att gå vidare" in response.text  # the error summary
    assert response.context["year"] is None and answer(response.text) is None


def test_the_query_count_does_not_grow_with_the_turns(client_for, outsider, rotation, municipality):
    client = client_for(outsider)
    _, few = count_queries(client, url(rotation.body, 2030))
    for position in range(4, 12):
        RotationTurn.objects.create(
            rotation=rotation, position=position, principal=municipality, party=f"Nämnd {position}"
        )
    response, many = count_queries(client, url(rotation.body, 2030))
    assert len(response.context["years"]) == 11
    assert many == few


def test_the_overview_links_to_the_rotation(client_for, outsider, rotation):
    page = client_for(outsider).get(reverse("governance:overview")).text
    assert url(rotation.body) in page
    assert str(rotation.convener_for(THIS_YEAR)) in page
    assert str(rotation.convener_for(THIS_YEAR + 1)) in page


def test_a_rotation_starting_later_answers_nothing_before_it(client_for, outsider, rotation):
    rotation.start_year = THIS_YEAR + 2
    rotation.save()
    response = client_for(outsider).get(url(rotation.body))
    assert response.context["year"] == THIS_YEAR and answer(response.text) is None
    assert f"Turordningen börjar {THIS_YEAR + 2}; för {THIS_YEAR} säger den inget." in (
        response.text
    )
    assert rotation.convener_for(THIS_YEAR) is None
