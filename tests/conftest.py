import pytest
from django.core.management import call_command

from samverkan.accounts.models import User
from samverkan.organisations.models import Area, Body, LocalGroup, Principal, Unit, UnitMembership
from tests.helpers import employ

PASSWORD = "ett-långt-lösenord-för-test"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: numbers kept for closed years (and rate
    limits) belong to the test database that made them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo(db):
    """The whole demo county, as `scripts/demo` loads it."""
    call_command("seed_demo", quiet=True)


@pytest.fixture
def make_user(db):
    def make(email="person@example.org", **fields):
        user = User.objects.create_user(email=email, password=PASSWORD, **fields)
        return user

    return make


@pytest.fixture
def municipality(db):
    return Principal.objects.create(
        name="Testby kommun", kind=Principal.Kind.MUNICIPALITY, organisation_number="2120000142"
    )


@pytest.fixture
def region(db):
    return Principal.objects.create(
        name="Region Test", kind=Principal.Kind.REGION, organisation_number="2321000016"
    )


@pytest.fixture
def area(municipality):
    return Area.objects.create(
        name="Testby", kind=Area.Kind.MUNICIPALITY, municipality=municipality
    )


@pytest.fixture
def school(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Testskolan", kind=Unit.Kind.COMPULSORY_SCHOOL, area=area
    )


@pytest.fixture
def bup(region, area):
    return Unit.objects.create(principal=region, name="BUP Testby", kind=Unit.Kind.BUP, area=area)


@pytest.fixture
def group(area):
    group = LocalGroup.objects.create(name="BUS Testby", slug="testby")
    group.areas.add(area)
    return group


@pytest.fixture
def steering(group):
    return Body.objects.create(
        name="BUS lokal styrgrupp",
        kind=Body.Kind.STEERING,
        level=Body.Level.LOCAL,
        local_group=group,
        cadence=Body.Cadence.PER_TERM,
    )


@pytest.fixture
def staff(make_user, school):
    user = make_user("kurator@testskolan.example", first_name="Kim", last_name="Kurator")
    employ(user, school)
    return user


@pytest.fixture
def manager(make_user, school):
    user = make_user("rektor@testskolan.example", first_name="Rut", last_name="Rektor")
    employ(user, school, UnitMembership.Role.MANAGER, title="Rektor")
    return user


@pytest.fixture
def outsider(make_user):
    """Signed in, but works nowhere and holds no role."""
    return make_user("ingen@example.org")


@pytest.fixture
def secretariat(make_user):
    return make_user("sekretariat@example.org", is_secretariat=True)


@pytest.fixture
def log_reviewer(make_user):
    return make_user("granskare@example.org", is_log_reviewer=True)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
