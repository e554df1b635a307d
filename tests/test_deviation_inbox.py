"""The BUS secretariat's inbox of deviation reports: who may see it, its filters, no reporter
names, its marks on each report (read, tags, judgement), the categories it keeps, and a query
count that does not grow with the county's reports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.deviations import ladder
from samverkan.deviations.models import Category, Deviation, Event, Tag
from samverkan.organisations.models import Area, LocalGroup, Principal, Unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
OtherUnits = Deviation.other_units.through
OtherPrincipals = Deviation.other_principals.through
Tags = Deviation.tags.through


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def make_report(reporter, unit, group, category, *, step="supervisors", submitted=None, **fields):
    """A report as the ladder leaves it once it has been sent (or a draft, if step="draft")."""
    deviation = Deviation.objects.create(
        title=fields.pop("title", "Remiss obesvarad"),
        reporting_unit=unit,
        reporter=reporter,
        local_group=group,
        category=category,
        occurred_on=datetime.date(2026, 1, 5),
        what_happened="Remissen besvarades inte.",
        consequence="Barnet fick vänta.",
        agreement_part="responsibility",
        **fields,
    )
    if step != "draft":
        ladder.submit(deviation, reporter)
        deviation.refresh_from_db()
        deviation.step = step
        deviation.submitted_at = submitted or timezone.now()
        deviation.save(update_fields=["step", "submitted_at"])
    return deviation


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def category(db):
    return Category.objects.get(name="Oklart ansvar")


@pytest.fixture
def waiting(db):
    return Category.objects.get(name="Väntetid")


@pytest.fixture
def other_town(db):
    return Principal.objects.create(
        name="Annanstad kommun", kind=Principal.Kind.MUNICIPALITY, organisation_number="2120000159"
    )


@pytest.fixture
def other_school(other_town):
    area = Area.objects.create(
        name="Annanstad", kind=Area.Kind.MUNICIPALITY, municipality=other_town
    )
    return Unit.objects.create(
        principal=other_town, name="Annanskolan", kind=Unit.Kind.COMPULSORY_SCHOOL, area=area
    )


@pytest.fixture
def habilitation(region):
    return Unit.objects.create(
        principal=region, name="Habilitering Syd", kind=Unit.Kind.HABILITATION
    )


@pytest.fixture
def other_group(db):
    return LocalGroup.objects.create(name="BUS Annanstad", slug="annanstad")


@pytest.fixture
def reports(
    staff, school, bup, habilitation, other_school, other_town, group, other_group, category,
    waiting,
):  # fmt: skip
    """Three submitted reports that differ on every filter, and a draft."""
    remisser, sip = Tag.objects.create(name="Remisser"), Tag.objects.create(name="SIP")
    one = make_report(staff, school, group, category, submitted=at("2026-01-10"))
    one.other_units.set([bup, other_school])
    two = make_report(
        staff, bup, other_group, waiting, step="steering", submitted=at("2026-02-10", 15),
        is_principled=True, read_by_secretariat_at=timezone.now(), title="Lång väntan",
    )  # fmt: skip
    two.other_principals.set([other_town])
    two.tags.set([remisser])
    three = make_report(
        staff, other_school, other_group, category, step="resolved", submitted=at("2026-03-10")
    )
    three.other_units.set([habilitation])
    three.tags.set([sip])
    draft = make_report(staff, school, group, category, step="draft", title="Hemligt utkast")
    draft.other_units.set([bup])
    return {"one": one, "two": two, "three": three, "draft": draft}


def listed(response) -> set[str]:
    return {deviation.reference for deviation in response.context["page"]}


# --- who may see it ---------------------------------------------------------------------------
VIEWS = ["inbox", "review", "categories", "category_add", "category_edit"]


def urls_of(reports, category):
    return {
        "inbox": reverse("deviations:inbox"),
        "review": reverse("deviations:review", args=[reports["one"].pk]),
        "categories": reverse("deviations:categories"),
        "category_add": reverse("deviations:category_add"),
        "category_edit": reverse("deviations:category_edit", args=[category.pk]),
    }


def test_anonymous_users_are_sent_to_log_in(client, reports, category):
    for name, url in urls_of(reports, category).items():
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response.url, name


@pytest.mark.parametrize("role", ["staff", "manager", "log_reviewer", "admin_user", "outsider"])
def test_only_the_secretariat_gets_in(client_for, reports, category, role, request):
    client = client_for(request.getfixturevalue(role))
    for name, url in urls_of(reports, category).items():
        assert client.get(url).status_code == 403, (role, name)
    one = reports["one"]
    response = client.post(
        reverse("deviations:review", args=[one.pk]), {"mark_read": "on", "judgement": "guideline"}
    )
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.read_by_secretariat_at is None and one.judgement == ""
    response = client.post(reverse("deviations:category_add"), {"name": "Ny", "position": 1})
    assert response.status_code == 403 and not Category.objects.filter(name="Ny").exists()


def test_the_secretariat_gets_every_page(client_for, secretariat, reports, category):
    client = client_for(secretariat)
    for name, url in urls_of(reports, category).items():
        assert client.get(url).status_code == 200, name


def test_links_lead_the_secretariat_to_the_inbox(client_for, secretariat, staff, reports):
    home = client_for(secretariat).get(reverse("home")).text
    assert reverse("deviations:inbox") in home and reverse("deviations:categories") in home
    assert "Avvikelser i länet" in home and "Kategorier för avvikelser" in home
    page = client_for(secretariat).get(reverse("deviations:inbox")).text
    assert f'href="{reverse("deviations:inbox")}" aria-current="page"' in page
    # Unit staff have no such menu item.
    assert reverse("deviations:inbox") not in client_for(staff).get(reverse("home")).text


def test_the_tab_in_the_unit_list_shows_for_secretariat_staff(client_for, staff, reports):
    client = client_for(staff)
    assert reverse("deviations:inbox") not in client.get(reverse("deviations:list")).text
    staff.is_secretariat = True
    staff.save(update_fields=["is_secretariat"])
    assert reverse("deviations:inbox") in client.get(reverse("deviations:list")).text


# --- the inbox --------------------------------------------------------------------------------
def test_every_submitted_report_and_never_a_draft(client_for, secretariat, reports):
    client = client_for(secretariat)
    response = client.get(reverse("deviations:inbox"))
    assert listed(response) == {reports[k].reference for k in ("one", "two", "three")}
    assert "Hemligt utkast" not in response.text
    # Newest first.
    assert [d.reference for d in response.context["page"]][0] == reports["three"].reference
    draft = reports["draft"]
    assert client.get(reverse("deviations:review", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"fran": "2026-02-01"}, {"two", "three"}),
        ({"till": "2026-02-10"}, {"one", "two"}),  # the whole last day counts
        ({"fran": "2026-02-10", "till": "2026-02-10"}, {"two"}),
        ({"grupp": "testby"}, {"one"}),
        ({"grupp": "annanstad"}, {"two", "three"}),
        ({"kommun": "Testby kommun"}, {"one"}),  # the reporting unit's principal
        # The reporting unit (three), an other unit (one) and an other principal (two).
        ({"kommun": "Annanstad kommun"}, {"one", "two", "three"}),
        ({"region": "bup"}, {"one", "two"}),  # an other unit, the reporting unit
        ({"region": "habilitation"}, {"three"}),
        ({"kategori": "Väntetid"}, {"two"}),
        ({"steg": "steering"}, {"two"}),
        ({"steg": "resolved"}, {"three"}),
        ({"principiell": "ja"}, {"two"}),
        ({"principiell": "nej"}, {"one", "three"}),
        ({"last": "lasta"}, {"two"}),
        ({"last": "olasta"}, {"one", "three"}),
        ({"tagg": "SIP"}, {"three"}),
        ({"tagg": "Remisser", "principiell": "ja", "region": "bup"}, {"two"}),
        ({"kommun": "Testby kommun", "steg": "resolved"}, set()),
    ],
)
def test_filters(client_for, secretariat, reports, query, expected):
    ids = {
        "kommun": lambda name: Principal.objects.get(name=name).pk,
        "kategori": lambda name: Category.objects.get(name=name).pk,
        "tagg": lambda name: Tag.objects.get(name=name).pk,
    }
    query = {key: ids.get(key, str)(value) for key, value in query.items()}
    response = client_for(secretariat).get(reverse("deviations:inbox"), query)
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert listed(response) == {reports[k].reference for k in expected}


def test_a_reversed_period_is_an_error_and_lists_nothing(client_for, secretariat, reports):
    response = client_for(secretariat).get(
        reverse("deviations:inbox"), {"fran": "2026-03-01", "till": "2026-01-01"}
    )
    assert response.context["form"].errors["till"] == ["Slutdatum kan inte ligga före startdatum."]
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    assert listed(response) == set()


def test_drafts_cannot_be_asked_for(client_for, secretariat, reports):
    response = client_for(secretariat).get(reverse("deviations:inbox"), {"steg": "draft"})
    assert "steg" in response.context["form"].errors and listed(response) == set()


def test_region_kinds_are_those_the_region_runs(client_for, secretariat, reports):
    form = client_for(secretariat).get(reverse("deviations:inbox")).context["form"]
    assert [value for value, _ in form.fields["region"].choices] == ["", "bup", "habilitation"]


def test_the_columns(client_for, secretariat, reports):
    response = client_for(secretariat).get(reverse("deviations:inbox"))
    two = reports["two"]
    text = response.text
    assert reverse("deviations:review", args=[two.pk]) in text
    for shown in ("Lång väntan", "BUS Annanstad", "Väntetid", "Hos lokala styrgruppen",
                  "2026-01-05", "Remisser", "SIP", "Oläst"):  # fmt: skip
        assert shown in text, shown


# --- pseudonymised ----------------------------------------------------------------------------
def test_the_reporter_is_never_named(client_for, secretariat, reports, staff):
    client = client_for(secretariat)
    assert Event.objects.filter(by=staff).exists()  # the send is an event by the reporter
    pages = [reverse("deviations:inbox")] + [
        reverse("deviations:review", args=[reports[k].pk]) for k in ("one", "two", "three")
    ]
    for url in pages:
        text = client.get(url).text
        for name in (staff.get_full_name(), staff.first_name, staff.last_name, staff.email):
            assert name not in text, (url, name)


# --- reviewing one report ---------------------------------------------------------------------
def test_the_review_page_is_logged_and_has_no_ladder(client_for, secretariat, reports):
    one = reports["one"]
    response = client_for(secretariat).get(reverse("deviations:review", args=[one.pk]))
    assert "Remissen besvarades inte." in response.text and "Annanskolan" in response.text
    assert reverse("deviations:step", args=[one.pk]) not in response.text
    assert reverse("deviations:add_action", args=[one.pk]) not in response.text
    entry = AccessLog.objects.get(object_type="deviations.deviation", object_id=str(one.pk))
    assert (entry.action, entry.reason, entry.user) == (
        "view",
        "Sekretariatets granskning",
        secretariat,
    )


def test_mark_read_tags_and_judgement_are_saved_and_logged(client_for, secretariat, reports):
    one = reports["one"]
    remisser = Tag.objects.get(name="Remisser")
    url = reverse("deviations:review", args=[one.pk])
    client = client_for(secretariat)
    response = client.post(
        url,
        {
            "mark_read": "on",
            "tags": [remisser.pk],
            "new_tag": "  Väntetid   BUP ",
            "judgement": "guideline",
            "judgement_note": "Flera grupper rapporterar samma sak.",
        },
    )
    assert response.status_code == 302 and response.url == url
    one.refresh_from_db()
    assert one.read_by_secretariat_at is not None
    assert set(one.tags.values_list("name", flat=True)) == {"Remisser", "Väntetid BUP"}
    assert (one.judgement, one.judgement_note) == (
        "guideline",
        "Flera grupper rapporterar samma sak.",
    )
    entry = AccessLog.objects.get(action="change", object_id=str(one.pk))
    assert entry.reason == "Sekretariatets granskning" and entry.user == secretariat
    assert not Deviation.objects.filter(pk=one.pk, reporter=secretariat).exists()

    # Read is set once: a later save keeps the first time; the box is gone.
    first_read = one.read_by_secretariat_at
    page = client.get(url)
    assert "mark_read" not in page.context["form"].fields
    response = client.post(url, {"new_tag": "väntetid bup", "judgement": ""})
    one.refresh_from_db()
    assert one.read_by_secretariat_at == first_read
    # An existing tag is reused whatever its case; unticked tags come off.
    assert list(one.tags.values_list("name", flat=True)) == ["Väntetid BUP"]
    assert Tag.objects.filter(name__iexact="väntetid bup").count() == 1
    assert one.judgement == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_tag": "x" * 61}, "new_tag", "som mest 60 tecken"),
        ({"judgement_note": "Ring mamman på 070-123 45 67."}, "judgement_note", "telefonnummer"),
        ({"judgement": "ingen-sadan"}, "judgement", "giltigt alternativ"),
        ({"tags": ["999999"]}, "tags", "giltigt alternativ"),
    ],
)
def test_bad_input_saves_nothing(client_for, secretariat, reports, data, field, message):
    one = reports["one"]
    valid = {"mark_read": "on", "judgement": "routine", "new_tag": "Ny tagg", "tags": []}
    response = client_for(secretariat).post(
        reverse("deviations:review", args=[one.pk]), {**valid, **data}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    one.refresh_from_db()
    assert one.read_by_secretariat_at is None and one.judgement == ""
    assert not one.tags.exists() and not Tag.objects.filter(name="Ny tagg").exists()
    assert not AccessLog.objects.filter(action="change").exists()


# --- categories -------------------------------------------------------------------------------
def test_categories_are_listed_with_their_use(client_for, secretariat, reports, category):
    response = client_for(secretariat).get(reverse("deviations:categories"))
    rows = {c.name: c.in_use for c in response.context["categories"]}
    assert rows["Oklart ansvar"] == 3 and rows["Väntetid"] == 1 and rows["Annat"] == 0
    assert reverse("deviations:category_edit", args=[category.pk]) in response.text


def test_add_and_edit_a_category(client_for, secretariat, category):
    client = client_for(secretariat)
    response = client.post(
        reverse("deviations:category_add"),
        {"name": "Samtycke saknades", "description": "Inget samtycke.", "is_active": "on",
         "position": "7"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == reverse("deviations:categories")
    new = Category.objects.get(name="Samtycke saknades")
    assert (new.description, new.is_active, new.position) == ("Inget samtycke.", True, 7)
    assert AccessLog.objects.filter(action="change", object_type="deviations.category").exists()
    # In use or not, a category is deactivated, never deleted; its own name is no duplicate.
    response = client.post(
        reverse("deviations:category_edit", args=[category.pk]),
        {"name": "Oklart ansvar", "description": category.description, "position": "1"},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.is_active is False
    assert "category_delete" not in {p.name for p in _patterns()}


def _patterns():
    from samverkan.deviations import urls_secretariat

    return urls_secretariat.urlpatterns


@pytest.mark.parametrize("name", ["Oklart ansvar", "oklart  ANSVAR"])
def test_a_duplicate_name_is_a_field_error(client_for, secretariat, category, name):
    count = Category.objects.count()
    response = client_for(secretariat).post(
        reverse("deviations:category_add"), {"name": name, "position": "0"}
    )
    assert response.status_code == 200
    assert "Det finns redan en kategori" in " ".join(response.context["form"].errors["name"])
    assert Category.objects.count() == count
    other = Category.objects.get(name="Väntetid")
    response = client_for(secretariat).post(
        reverse("deviations:category_edit", args=[other.pk]), {"name": name, "position": "0"}
    )
    assert "name" in response.context["form"].errors
    other.refresh_from_db()
    assert other.name == "Väntetid"


def test_a_deactivated_category_is_not_offered_to_reporters(
    client_for, secretariat, staff, category
):
    client_for(secretariat).post(
        reverse("deviations:category_edit", args=[category.pk]),
        {"name": category.name, "position": "0"},
    )
    form = client_for(staff).get(reverse("deviations:new")).context["form"]
    assert category not in form.fields["category"].queryset


# --- the query count does not grow with the county ------------------------------------------
def bulk_reports(n, offset, staff, school, group, category):
    """n submitted reports, each with an other party; every third tagged; straight to the DB."""
    tag = Tag.objects.get_or_create(name="Mönster")[0]
    bup = Unit.objects.get(name="BUP Testby")
    start = at("2026-01-01")
    created = Deviation.objects.bulk_create(
        [
            Deviation(
                reference=f"T-{offset + i:06d}",
                title=f"Rapport {offset + i}",
                reporting_unit=school,
                reporter=staff,
                local_group=group,
                category=category,
                occurred_on=datetime.date(2026, 1, 1),
                what_happened="Remissen besvarades inte.",
                consequence="Barnet fick vänta.",
                agreement_part="responsibility",
                step=Deviation.OPEN_STEPS[(offset + i) % 4],
                is_principled=(offset + i) % 2 == 0,
                submitted_at=start + datetime.timedelta(minutes=offset + i),
            )
            for i in range(n)
        ],
        batch_size=500,
    )
    OtherUnits.objects.bulk_create(
        [OtherUnits(deviation_id=d.pk, unit_id=bup.pk) for d in created], batch_size=500
    )
    OtherPrincipals.objects.bulk_create(
        [OtherPrincipals(deviation_id=d.pk, principal_id=bup.principal_id) for d in created[::5]],
        batch_size=500,
    )
    Tags.objects.bulk_create(
        [Tags(deviation_id=d.pk, tag_id=tag.pk) for d in created if int(d.reference[2:]) % 3 == 0],
        batch_size=500,
    )
    return tag


def test_the_query_count_is_the_same_for_50_and_10000_reports(
    client_for, secretariat, staff, school, bup, group, category, municipality
):
    tag = bulk_reports(50, 0, staff, school, group, category)
    client = client_for(secretariat)
    url = reverse("deviations:inbox")
    filtered = (
        f"{url}?fran=2026-01-01&till=2026-12-31&grupp={group.slug}&kommun={municipality.pk}"
        f"&region=bup&kategori={category.pk}&steg=supervisors&principiell=ja&last=olasta"
        f"&tagg={tag.pk}"
    )

    response, few = count_queries(client, url)
    assert response.context["page"].paginator.count == 50
    response, few_filtered = count_queries(client, filtered)
    assert response.context["page"].paginator.count == 5  # every 12th: step, principled, tag

    bulk_reports(9950, 50, staff, school, group, category)
    response, many = count_queries(client, url)
    assert response.context["page"].paginator.count == 10000
    assert len(response.context["page"]) == 50
    assert many == few
    _, page_three = count_queries(client, url + "?sida=3")
    assert page_three == few
    response, many_filtered = count_queries(client, filtered)
    assert response.context["page"].paginator.count == 834
    assert many_filtered == few_filtered
    _, filtered_page_two = count_queries(client, filtered + "&sida=2")
    assert filtered_page_two == few_filtered
    # How fast it is, is measured in bench/, not here: a loaded machine would fail a deadline.
