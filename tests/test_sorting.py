"""Names sort in Swedish order (samverkan.sorting): … Rinkeby, Zinkgruvan, Åre, Ängby,
Österåker; in Python, in the database (SQLite's registered collation, PostgreSQL's ICU
"sv-x-icu"), in the directory's lists and in the selects of forms."""

import pytest
from django.urls import reverse

from samverkan.deviations.forms import DeviationForm
from samverkan.organisations.models import Area, LocalGroup, Principal, Unit
from samverkan.sorting import Swedish, swedish_key

NAMES = ["Österåker", "Rinkeby", "Åre", "Ängby", "Zinkgruvan", "ekerö", "Edsbro", "Älvsjö"]
SWEDISH = ["Edsbro", "ekerö", "Rinkeby", "Zinkgruvan", "Åre", "Älvsjö", "Ängby", "Österåker"]


def test_the_python_key():
    assert sorted(NAMES, key=swedish_key) == SWEDISH
    assert sorted(["Müller", "Moberg", "Myrén", "Mörk"], key=swedish_key) == [
        "Moberg",
        "Müller",  # ü files as y
        "Myrén",
        "Mörk",
    ]
    assert sorted(["Éva", "Eva", "Ewa"], key=swedish_key) == ["Eva", "Éva", "Ewa"]


@pytest.fixture
def principals(db):
    return [
        Principal.objects.create(
            name=f"{name} kommun",
            kind=Principal.Kind.MUNICIPALITY,
            organisation_number=f"55{index:08d}",  # unique; not checked by create()
        )
        for index, name in enumerate(NAMES)
    ]


def test_the_database_sorts_in_swedish(principals):
    expected = [f"{name} kommun" for name in SWEDISH]
    assert [p.name for p in Principal.objects.all()] == expected  # Meta.ordering
    ordered = Principal.objects.order_by(Swedish("name").desc())
    assert [p.name for p in ordered] == expected[::-1]
    for principal in principals:
        Unit.objects.create(
            principal=principal, name=principal.name.split()[0], kind=Unit.Kind.COMPULSORY_SCHOOL
        )
    assert [u.name for u in Unit.objects.order_by("principal")] == SWEDISH


def test_the_units_directory_and_the_selects_list_in_swedish(client_for, staff, principals):
    for principal in principals:
        Unit.objects.create(
            principal=principal, name=principal.name.split()[0], kind=Unit.Kind.PRESCHOOL
        )
        area = Area.objects.create(
            name=principal.name, kind=Area.Kind.MUNICIPALITY, municipality=principal
        )
        LocalGroup.objects.create(name=f"BUS {area.name}", slug=f"g{principal.pk}")
    page = client_for(staff).get(reverse("organisations:units"), {"kind": "preschool"})
    assert [u.name for u in page.context["page"]] == SWEDISH
    directory = client_for(staff).get(reverse("organisations:directory")).text
    positions = [directory.index(f"BUS {name} kommun") for name in SWEDISH]
    assert positions == sorted(positions)
    form = DeviationForm(units=[Unit.objects.get(name="Rinkeby")])
    choices = [label for _, label in form.fields["other_principals"].choices]
    # (staff's own school belongs to "Testby kommun", which falls between R and Z)
    assert choices == [f"{name} kommun" for name in SWEDISH[:3] + ["Testby"] + SWEDISH[3:]]
