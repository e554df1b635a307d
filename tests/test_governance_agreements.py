"""Agreements with signatories and revisions, the documents library and its review dates,
the rotating convener, and the demo's agreements."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.governance.models import (
    Agreement,
    AgreementRevision,
    ConvenerRotation,
    Document,
    RotationTurn,
    Signatory,
)
from samverkan.organisations.models import Body, LocalGroup, Membership, Principal
from tests.helpers import count_queries, seat

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)
AHEAD = TODAY + datetime.timedelta(days=300)


@pytest.fixture
def local_agreement(group, municipality, region):
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.LOCAL,
        local_group=group,
        title="Lokal BUS-överenskommelse Testby",
        signed_on=datetime.date(2015, 3, 1),
    )
    agreement.parties.set([municipality, region])
    Signatory.objects.create(
        agreement=agreement, function="Socialchef", name="Sam Social", principal=municipality
    )
    return agreement


@pytest.fixture
def regional_agreement(municipality, region):
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.REGIONAL,
        title="BUS-överenskommelsen",
        signed_on=datetime.date(2012, 6, 1),
    )
    agreement.parties.set([municipality, region])
    return agreement


@pytest.fixture
def other_group(db):
    group = LocalGroup.objects.create(name="BUS Annanstad", slug="annanstad")
    Body.objects.create(
        name="BUS lokal styrgrupp",
        kind=Body.Kind.STEERING,
        level=Body.Level.LOCAL,
        local_group=group,
        cadence=Body.Cadence.PER_TERM,
    )
    return group


@pytest.fixture
def other_agreement(other_group):
    return Agreement.objects.create(
        kind=Agreement.Kind.LOCAL,
        local_group=other_group,
        title="Lokal BUS-överenskommelse Annanstad",
        signed_on=datetime.date(2016, 1, 1),
    )


@pytest.fixture
def chair(make_user, steering):
    user = make_user("ordforande@testby.example", first_name="Olga", last_name="Ordförande")
    seat(steering, user, Membership.Role.CHAIR, function="Socialchef")
    return user


@pytest.fixture
def document(secretariat):
    return Document.objects.create(
        title="Avvikelseblankett",
        kind=Document.Kind.TEMPLATE,
        updated_on=datetime.date(2020, 10, 26),
        fact_checked_on=datetime.date(2020, 9, 13),
        editor=secretariat,
        review_due_on=AHEAD,
    )


def agreement_data(group=None, parties=(), signatories=(("Socialchef", "Sam Social"),), **extra):
    """POST data for the agreement form and its signatory formset (new signatories only)."""
    data = {
        "kind": "local" if group else "regional",
        "local_group": group.pk if group else "",
        "title": "Lokal överenskommelse",
        "parties": [p.pk for p in parties],
        "signed_on": "2019-05-02",
        "next_follow_up_on": "",
        "summary": "",
        "undertecknare-TOTAL_FORMS": str(len(signatories)),
        "undertecknare-INITIAL_FORMS": "0",
        "undertecknare-MIN_NUM_FORMS": "0",
        "undertecknare-MAX_NUM_FORMS": "1000",
    }
    for i, (function, name) in enumerate(signatories):
        data[f"undertecknare-{i}-function"] = function
        data[f"undertecknare-{i}-name"] = name
        data[f"undertecknare-{i}-principal"] = ""
    data.update(extra)
    return data


def edit_data(agreement, **changes):
    """POST data that keeps an agreement as it is, with ``changes``."""
    signatories = list(agreement.signatories.all())
    data = {
        "kind": agreement.kind,
        "local_group": agreement.local_group_id or "",
        "title": agreement.title,
        "parties": [p.pk for p in agreement.parties.all()],
        "signed_on": agreement.signed_on.isoformat(),
        "next_follow_up_on": "",
        "summary": agreement.summary,
        "undertecknare-TOTAL_FORMS": str(len(signatories)),
        "undertecknare-INITIAL_FORMS": str(len(signatories)),
        "undertecknare-MIN_NUM_FORMS": "0",
        "undertecknare-MAX_NUM_FORMS": "1000",
    }
    for i, signatory in enumerate(signatories):
        data[f"undertecknare-{i}-id"] = signatory.pk
        data[f"undertecknare-{i}-function"] = signatory.function
        data[f"undertecknare-{i}-name"] = signatory.name
        data[f"undertecknare-{i}-principal"] = signatory.principal_id or ""
    data.update(changes)
    return data


def document_data(person, **extra):
    data = {
        "title": "Rutin för skolskjuts",
        "kind": "clarification",
        "local_group": "",
        "agreement": "",
        "version": "2",
        "summary": "",
        "url": "",
        "updated_on": "2020-10-26",
        "fact_checked_on": "2020-09-13",
        "fact_checker": person.email,
        "editor": person.email,
        "review_due_on": AHEAD.isoformat(),
    }
    data.update(extra)
    return data


# --- Permissions ----------------------------------------------------------------------------
def read_urls(agreement):
    return [
        reverse("governance:agreements"),
        reverse("governance:agreement", args=[agreement.pk]),
        reverse("governance:documents"),
        reverse("governance:my_reviews"),
    ]


def write_urls(agreement, document):
    return [
        reverse("governance:agreement_add"),
        reverse("governance:agreement_edit", args=[agreement.pk]),
        reverse("governance:revision_add", args=[agreement.pk]),
        reverse("governance:document_add"),
        reverse("governance:document_edit", args=[document.pk]),
    ]


def test_every_page_needs_login(client, local_agreement, document):
    for url in read_urls(local_agreement) + write_urls(local_agreement, document):
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url


def test_unit_staff_read_but_cannot_write(client_for, staff, local_agreement, document):
    client = client_for(staff)
    for url in read_urls(local_agreement):
        assert client.get(url).status_code == 200, url
    for url in write_urls(local_agreement, document):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    page = client.get(reverse("governance:agreement", args=[local_agreement.pk])).text
    assert "Ändra överenskommelse" not in page
    assert (
        reverse("governance:document_edit", args=[document.pk])
        not in client.get(reverse("governance:documents")).text
    )


def test_secretariat_adds_an_agreement_with_signatories(
    client_for, secretariat, group, municipality, region
):
    data = agreement_data(
        group,
        parties=[municipality, region],
        signatories=[("Stadsdelsdirektör", "Sten Sten"), ("Verksamhetschef, BUP", "Vera Ved")],
    )
    response = client_for(secretariat).post(reverse("governance:agreement_add"), data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response.url == agreement.get_absolute_url()
    assert agreement.local_group == group
    assert set(agreement.parties.all()) == {municipality, region}
    assert [(s.function, s.name) for s in agreement.signatories.all()] == [
        ("Stadsdelsdirektör", "Sten Sten"),
        ("Verksamhetschef, BUP", "Vera Ved"),
    ]
    page = client_for(secretariat).get(agreement.get_absolute_url()).text
    assert "Sten Sten" in page and "Stadsdelsdirektör" in page and "Testby kommun" in page


def test_secretariat_adds_the_regional_agreement_and_edits(
    client_for, secretariat, municipality, local_agreement
):
    client = client_for(secretariat)
    response = client.post(
        reverse("governance:agreement_add"),
        agreement_data(parties=[municipality], title="BUS-överenskommelsen 2012"),
    )
    assert response.status_code == 302
    assert Agreement.objects.get(kind="regional").local_group is None
    url = reverse("governance:agreement_edit", args=[local_agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(local_agreement, title="Reviderad titel"))
    assert response.status_code == 302
    local_agreement.refresh_from_db()
    assert local_agreement.title == "Reviderad titel"
    assert local_agreement.signatories.count() == 1


def test_an_agreement_needs_a_signatory_and_local_ones_a_group(client_for, secretariat, group):
    client = client_for(secretariat)
    response = client.post(
        reverse("governance:agreement_add"), agreement_data(group, signatories=[])
    )
    assert response.status_code == 200
    assert "Ange minst en undertecknare" in response.text
    response = client.post(reverse("governance:agreement_add"), agreement_data(kind="local"))
    assert response.status_code == 200
    assert "En lokal överenskommelse hör till en grupp." in response.text
    assert not Agreement.objects.exists()


def test_chair_manages_their_own_groups_agreement_only(
    client_for, chair, group, local_agreement, other_agreement, regional_agreement
):
    client = client_for(chair)
    own = reverse("governance:agreement_edit", args=[local_agreement.pk])
    assert client.get(own).status_code == 200
    response = client.post(own, edit_data(local_agreement, summary="Uppdaterad sammanfattning."))
    assert response.status_code == 302
    local_agreement.refresh_from_db()
    assert local_agreement.summary == "Uppdaterad sammanfattning."
    revision = reverse("governance:revision_add", args=[local_agreement.pk])
    assert client.post(revision, {"revised_on": "2018-02-01", "note": ""}).status_code == 302
    assert "Ändra överenskommelse" in client.get(local_agreement.get_absolute_url()).text

    for agreement in (other_agreement, regional_agreement):
        for name in ("governance:agreement_edit", "governance:revision_add"):
            url = reverse(name, args=[agreement.pk])
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"revised_on": "2020-01-01"}).status_code == 403, url
        assert "Ändra överenskommelse" not in client.get(agreement.get_absolute_url()).text
    assert not other_agreement.revisions.exists()


def test_chair_adds_only_for_their_own_group(client_for, chair, group, other_group, region):
    client = client_for(chair)
    form = client.get(reverse("governance:agreement_add"))
    assert form.status_code == 200
    assert 'value="regional"' not in form.text  # the regional agreement is the secretariat's
    assert "BUS Annanstad" not in form.text
    assert form.context["form"]["local_group"].value() == group.pk  # their one group, chosen
    add = reverse("governance:agreement_add")
    response = client.post(add, agreement_data(other_group, parties=[region]))
    assert response.status_code == 200
    assert "local_group" in response.context["form"].errors
    response = client.post(add, agreement_data(parties=[region]))
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Agreement.objects.exists()
    response = client.post(add, agreement_data(group, parties=[region]))
    assert response.status_code == 302
    assert Agreement.objects.get().local_group == group


def test_a_revision_before_the_signing_is_refused(client_for, secretariat, local_agreement):
    url = reverse("governance:revision_add", args=[local_agreement.pk])
    response = client_for(secretariat).post(url, {"revised_on": "2014-12-31", "note": "Tidig"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "revised_on" in form.errors
    assert "2015-03-01" in form.errors["revised_on"][0]
    assert "före att överenskommelsen undertecknades" in response.text
    assert not AgreementRevision.objects.exists()
    response = client_for(secretariat).post(url, {"revised_on": "2016-05-01", "note": "Ny"})
    assert response.status_code == 302
    assert local_agreement.revisions.get().revised_on == datetime.date(2016, 5, 1)


def test_signing_cannot_move_after_a_revision(client_for, secretariat, local_agreement):
    AgreementRevision.objects.create(
        agreement=local_agreement, revised_on=datetime.date(2016, 1, 1)
    )
    url = reverse("governance:agreement_edit", args=[local_agreement.pk])
    response = client_for(secretariat).post(url, edit_data(local_agreement, signed_on="2017-01-01"))
    assert response.status_code == 200
    assert "signed_on" in response.context["form"].errors
    local_agreement.refresh_from_db()
    assert local_agreement.signed_on == datetime.date(2015, 3, 1)


def test_secretariat_adds_and_edits_documents(client_for, secretariat, document):
    client = client_for(secretariat)
    response = client.post(reverse("governance:document_add"), document_data(secretariat))
    assert response.status_code == 302
    added = Document.objects.get(title="Rutin för skolskjuts")
    assert added.editor == secretariat and added.fact_checker == secretariat
    url = reverse("governance:document_edit", args=[document.pk])
    assert client.get(url).status_code == 200
    data = document_data(secretariat, title="Avvikelseblankett", kind="template", version="3")
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.version == "3"


def test_document_form_checks_people_and_dates(client_for, secretariat):
    data = document_data(
        secretariat, editor="okand@example.org", review_due_on="2020-01-01", fact_checker=""
    )
    response = client_for(secretariat).post(reverse("governance:document_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"editor", "review_due_on", "fact_checker"}
    assert not Document.objects.exists()


def test_an_editor_edits_their_own_documents_only(client_for, chair, secretariat, document):
    own = Document.objects.create(
        title="Lokal rutin", kind="routine", updated_on=PAST, editor=chair, review_due_on=AHEAD
    )
    client = client_for(chair)
    assert client.get(reverse("governance:document_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("governance:document_edit", args=[document.pk])).status_code == 403
    assert client.get(reverse("governance:document_add")).status_code == 403
    page = client.get(reverse("governance:documents")).text
    assert reverse("governance:document_edit", args=[own.pk]) in page
    assert reverse("governance:document_edit", args=[document.pk]) not in page


def test_library_shows_dates_people_and_filters(client_for, staff, secretariat, group, document):
    Document.objects.create(
        title="Lokal rutin Testby", kind="routine", local_group=group, updated_on=PAST,
        editor=secretariat, review_due_on=AHEAD,
    )  # fmt: skip
    client = client_for(staff)
    page = client.get(reverse("governance:documents")).text
    assert "Avvikelseblankett" in page and "Lokal rutin Testby" in page
    assert "2020-10-26" in page and "2020-09-13" in page
    assert "Uppdaterad" in page and "Faktagranskad" in page and "Redaktör" in page
    page = client.get(reverse("governance:documents"), {"grupp": "regional"}).text
    assert "Avvikelseblankett" in page and "Lokal rutin Testby" not in page
    page = client.get(reverse("governance:documents"), {"grupp": "testby"}).text
    assert "Avvikelseblankett" not in page and "Lokal rutin Testby" in page
    page = client.get(reverse("governance:documents"), {"typ": "template"}).text
    assert "Avvikelseblankett" in page and "Lokal rutin Testby" not in page


def test_documents_past_review_are_listed_for_their_editor_only(
    client_for, secretariat, chair, staff
):
    overdue = Document.objects.create(
        title="Gammal rutin", kind="routine", updated_on=datetime.date(2019, 1, 1),
        editor=secretariat, review_due_on=PAST,
    )  # fmt: skip
    Document.objects.create(
        title="Aktuell rutin", kind="routine", updated_on=PAST, editor=secretariat,
        review_due_on=AHEAD,
    )  # fmt: skip
    Document.objects.create(
        title="Annans gamla rutin", kind="routine", updated_on=datetime.date(2019, 1, 1),
        editor=chair, review_due_on=PAST,
    )  # fmt: skip
    client = client_for(secretariat)
    response = client.get(reverse("governance:my_reviews"))
    assert list(response.context["page"]) == [overdue]
    home = client.get(reverse("home")).text
    assert "Dokument att granska" in home and reverse("governance:my_reviews") in home

    client = client_for(staff)
    assert list(client.get(reverse("governance:my_reviews")).context["page"]) == []
    assert "Dokument att granska" not in client.get(reverse("home")).text


# --- The rotation and the demo ----------------------------------------------------------------
def test_convener_rotation(steering, municipality, region):
    rotation = ConvenerRotation.objects.create(body=steering, start_year=2020)
    for position, (principal, party) in enumerate(
        [(region, ""), (municipality, "Barn- och skolnämnden"), (municipality, "Socialnämnden")],
        start=1,
    ):
        RotationTurn.objects.create(
            rotation=rotation, position=position, principal=principal, party=party
        )
    assert str(rotation.convener_for(2020)) == "Region Test"
    assert str(rotation.convener_for(2021)) == "Barn- och skolnämnden, Testby kommun"
    assert str(rotation.convener_for(2022)) == "Socialnämnden, Testby kommun"
    assert str(rotation.convener_for(2023)) == "Region Test"
    assert str(rotation.convener_for(2026)) == "Region Test"
    assert rotation.convener_for(2019) is None  # before the rotation began


def governance_counts():
    models = [Agreement, Signatory, AgreementRevision, Document, ConvenerRotation, RotationTurn]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_agreements_documents_and_rotation(demo, client):
    norrtalje = Agreement.objects.get(local_group__slug="norrtalje")
    assert norrtalje.signed_on == datetime.date(2009, 12, 18)
    assert [r.revised_on for r in norrtalje.revisions.all()] == [
        datetime.date(2012, 5, 1),
        datetime.date(2014, 2, 1),
    ]
    assert norrtalje.signatories.filter(function__startswith="Ordförande").count() == 4

    regional = Agreement.objects.get(kind="regional")
    assert regional.signed_on.year == 2012
    parties = regional.parties.all()
    assert parties.filter(kind=Principal.Kind.MUNICIPALITY).count() == 26
    assert parties.filter(name="Region Stockholm").exists() and parties.count() == 27

    jarva = Agreement.objects.get(local_group__slug="rinkeby-kista-och-spanga-tensta")
    assert jarva.signed_on == datetime.date(2014, 4, 10)
    functions = [s.function.split(",")[0] for s in jarva.signatories.all()]
    assert functions.count("Stadsdelsdirektör") == 2
    assert functions.count("Grundskolechef") == 2
    assert {"Enhetschef", "Verksamhetschef"} <= set(functions)

    titles = set(Document.objects.values_list("title", flat=True))
    assert {
        "Samordnad individuell plan (SIP)",
        "Protokoll för BUS individforum",
        "Avvikelseblankett",
        "Orosanmälan till socialtjänsten",
        "Placerade barn och unga",
        "Ensamkommande barn och ungdomar",
        "Förtydligande av regelverk vid ansökan om skolskjuts",
        "Utredning av förskolebarn inför eventuell särskoleplacering",
        "Läkarintyg för särskild kost i skolan",
    } <= titles
    regional_document = Document.objects.get(agreement=regional)
    assert regional_document.updated_on == datetime.date(2020, 10, 26)
    assert regional_document.fact_checked_on == datetime.date(2020, 9, 13)
    assert regional_document.editor.email == "sekretariat@demo.example"
    assert Document.objects.filter(
        editor__email="sekretariat@demo.example", review_due_on__lt=TODAY
    )

    rotation = ConvenerRotation.objects.get(body__local_group__slug="norrtalje")
    assert rotation.body.kind == "consultation"
    kson = "Kommunalförbundet Sjukvård och omsorg i Norrtälje (KSON)"
    assert [str(rotation.convener_for(y)) for y in (2020, 2021, 2022, 2023)] == [
        kson,
        "Barn- och skolnämnden och Utbildningsnämnden, Norrtälje kommun",
        "Socialnämnden, Norrtälje kommun",
        kson,
    ]
    assert Principal.objects.filter(name=kson, kind=Principal.Kind.FEDERATION).exists()

    before = governance_counts()
    call_command("seed_demo", quiet=True)
    assert governance_counts() == before

    from samverkan.accounts.models import User

    client.force_login(User.objects.get(email="sekretariat@demo.example"))
    page = client.get(norrtalje.get_absolute_url()).text
    assert "2009-12-18" in page and "2012-05-01" in page and "2014-02-01" in page
    assert "Dokument att granska" in client.get(reverse("home")).text
    assert client.get(reverse("governance:my_reviews")).context["page"].paginator.count >= 1

    # Who convenes Norrtälje's consultation group, any year from 2020, by full name.
    page = client.get(rotation.get_absolute_url() + "?ar=2029").text
    assert f"2029 är {kson} sammankallande." in page
    page = client.get(rotation.get_absolute_url() + "?ar=2030").text
    assert (
        "2030 är Barn- och skolnämnden och Utbildningsnämnden sammankallande för Norrtälje "
        "kommun." in page
    )
    # The county bodies meet by the year in the demo too.
    rows = client.get(reverse("governance:overview")).context["yearly_rows"]
    assert {row["body"].kind for row in rows} == {"bussam", "presidium", "consultation"}
    assert all(row["previous_count"] >= 1 for row in rows)


# --- Query counts ---------------------------------------------------------------------------
def add_agreements(groups, secretariat, municipality, n, start):
    for i in range(start, start + n):
        group = LocalGroup.objects.create(name=f"BUS Grupp {i}", slug=f"grupp-{i}")
        groups.append(group)
        agreement = Agreement.objects.create(
            kind="local", local_group=group, title=f"Överenskommelse {i}",
            signed_on=datetime.date(2015, 1, 1), next_follow_up_on=AHEAD,
        )  # fmt: skip
        agreement.parties.add(municipality)
        AgreementRevision.objects.create(agreement=agreement, revised_on=datetime.date(2016, 1, 1))
        Document.objects.create(
            title=f"Rutin {i}", kind="routine", local_group=group, agreement=agreement,
            updated_on=PAST, fact_checked_on=PAST, editor=secretariat, fact_checker=secretariat,
            review_due_on=PAST if i % 2 else AHEAD,
        )  # fmt: skip


@pytest.mark.parametrize(
    "name", ["governance:agreements", "governance:documents", "governance:my_reviews"]
)
def test_list_pages_run_constant_queries(client_for, secretariat, municipality, name):
    client = client_for(secretariat)
    groups = []
    add_agreements(groups, secretariat, municipality, 2, 0)
    _, few = count_queries(client, reverse(name))
    add_agreements(groups, secretariat, municipality, 8, 2)
    response, many = count_queries(client, reverse(name))
    assert many == few, (few, many)
    assert "Överenskommelse 9" in response.text or "Rutin 9" in response.text
