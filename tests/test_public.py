"""The public pages (/om-bus/): open to everyone, edited by the secretariat as kept versions,
rendered safe, and a barrier report that refuses a child's identity."""

import datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from samverkan.notifications.models import Notification
from samverkan.organisations.models import Body, LocalGroup
from samverkan.public.content import PAGES
from samverkan.public.models import BarrierReport, Page, PageVersion
from samverkan.public.rendering import render_markdown
from samverkan.public.services import load_pages

TEST_NUMBER = "19121212-1212"  # Skatteverket's best-known test personnummer


@pytest.fixture
def pages(secretariat):
    return {page.slug: page for page in load_pages(secretariat)}


@pytest.fixture
def secretariat_body(db):
    return Body.objects.create(
        name="BUS-sekretariatet",
        kind=Body.Kind.SECRETARIAT,
        level=Body.Level.COUNTY,
        cadence=Body.Cadence.CONTINUOUS,
        remit="Stöder BUSSAM och de lokala BUS-grupperna.",
        mailbox="bus-sekretariatet@example.org",
    )


def page_data(**overrides):
    data = {
        "title_sv": "För vårdnadshavare",
        "lead_sv": "Kort om era rättigheter.",
        "body_sv": "## Rättigheter\n\nBarnet har rätt att bli hört.",
        "title_en": "",
        "lead_en": "",
        "body_en": "",
        "fact_checked_on": "",
        "fact_checker": "",
        "based_on": "1",
    }
    return data | overrides


# --- open to everyone -----------------------------------------------------------------------
def test_every_public_page_opens_without_logging_in(client, pages, group):
    urls = [reverse("public:start"), reverse("public:contacts")]
    urls += [reverse("public:page", args=[spec["slug"]]) for spec in PAGES]
    urls += [reverse("public:barrier_report"), reverse("public:barrier_thanks")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Logga in i Samverkan" in response.content, url  # the way in for staff


@pytest.mark.parametrize("name", ["public:manage", "public:new", "public:barrier_reports"])
def test_the_secretariat_pages_send_an_anonymous_visitor_to_log_in(client, pages, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_page_shows_its_version_dates_editor_and_fact_checker(client, secretariat, staff):
    page = load_pages(secretariat, staff, today=datetime.date(2026, 3, 2))[0]
    response = client.get(page.get_absolute_url())
    text = response.content.decode()
    assert "Uppdaterad 2026-03-02 · Faktagranskad 2026-03-02 · Version 1" in text
    assert "Sekretariat" in text or secretariat.email in text
    assert "Kim Kurator" in text  # the fact-checker
    assert text.count("<h1") == 1


def test_the_login_page_and_every_page_link_to_the_public_pages(client, pages):
    login = client.get(reverse("account_login")).content.decode()
    assert reverse("public:start") in login
    page = client.get(reverse("public:contacts")).content.decode()
    assert reverse("public:page", args=["tillganglighet"]) in page  # in the footer


def test_the_accessibility_statement_follows_diggs_model(client, pages):
    text = client.get(reverse("public:page", args=["tillganglighet"])).content.decode()
    for part in [
        "delvis förenlig",
        "Innehåll som inte är tillgängligt",
        "Rapportera brister",
        "Tillsyn",
        "https://www.digg.se/tdosanmalan",
        "Hur vi testat tjänsten",
        f"Senaste bedömningen gjordes {timezone.localdate().isoformat()}",
        reverse("public:barrier_report"),
    ]:
        assert part in text, part


def test_the_contact_directory_lists_the_groups_live(client, group, secretariat_body):
    group.mailbox = "bus.testby@example.org"
    group.save()
    text = client.get(reverse("public:contacts")).content.decode()
    assert "BUS Testby" in text and "Testby" in text
    assert "mailto:bus.testby@example.org" in text
    assert "mailto:bus-sekretariatet@example.org" in text
    assert "BUS Testby" in client.get(reverse("public:contacts"), {"sok": "testb"}).content.decode()
    missing = client.get(reverse("public:contacts"), {"sok": "Kiruna"}).content.decode()
    assert "BUS Testby" not in missing and "Ingen lokal grupp" in missing


def test_the_contact_directory_costs_the_same_however_many_groups(client, group):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("public:contacts")).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        more = LocalGroup.objects.create(name=f"BUS Grupp {n}", slug=f"grupp-{n}")
        more.areas.add(group.areas.get())
    assert count() == few


def test_a_visitor_who_chose_english_reads_english(client, pages):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(reverse("public:page", args=["for-familjer"])).content.decode()
    assert "For guardians and young people" in text
    assert '<html lang="en"' in text


def test_a_page_without_english_is_shown_in_swedish_with_a_note(client, secretariat):
    page = Page.objects.create(slug="bara-svenska")
    PageVersion.objects.create(
        page=page, number=1, title_sv="Bara svenska", lead_sv="Ingress.", body_sv="Text.",
        updated_on=timezone.localdate(), editor=secretariat,
    )  # fmt: skip
    page.current = page.versions.get()
    page.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(page.get_absolute_url()).content.decode()
    assert "Bara svenska" in text
    assert '<article lang="sv">' in text  # screen readers read it as Swedish


def test_a_page_that_does_not_exist_answers_404(client, pages):
    assert client.get(reverse("public:page", args=["finns-inte"])).status_code == 404


# --- only the secretariat edits ---------------------------------------------------------------
@pytest.mark.parametrize("who", ["outsider", "staff", "manager", "admin_user"])
def test_only_the_secretariat_may_edit(client_for, pages, who, request):
    client = client_for(request.getfixturevalue(who))
    url = reverse("public:edit", args=["for-familjer"])
    assert client.get(url).status_code == 403
    assert client.post(url, page_data(title_sv="Kapad")).status_code == 403
    new = client.post(reverse("public:new"), page_data(slug="ny", position="1"))
    assert new.status_code == 403
    assert client.get(reverse("public:barrier_reports")).status_code == 403
    assert PageVersion.objects.filter(title_sv="Kapad").count() == 0
    assert not Page.objects.filter(slug="ny").exists()


def test_an_anonymous_post_edits_nothing(client, pages):
    response = client.post(reverse("public:edit", args=["for-familjer"]), page_data())
    assert response.status_code == 302
    assert pages["for-familjer"].versions.count() == 1


def test_each_save_is_a_new_version_and_the_old_ones_are_kept(client_for, secretariat, staff):
    pages = {p.slug: p for p in load_pages(secretariat)}
    client = client_for(secretariat)
    url = reverse("public:edit", args=["for-familjer"])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        page_data(fact_checked_on=today.isoformat(), fact_checker=staff.email),
    )
    assert response.status_code == 302
    page = Page.objects.get(slug="for-familjer")
    assert list(page.versions.values_list("number", flat=True)) == [2, 1]
    current = page.current
    assert (current.number, current.editor, current.fact_checker) == (2, secretariat, staff)
    assert current.updated_on == today and current.fact_checked_on == today
    old = page.versions.get(number=1)
    assert old.title_sv == pages["for-familjer"].current.title_sv  # unchanged
    shown = client.get(page.get_absolute_url()).content.decode()
    assert "Barnet har rätt att bli hört." in shown and "Version 2" in shown
    history = client.get(reverse("public:versions", args=["for-familjer"])).content.decode()
    assert "För vårdnadshavare och unga" in history and "För vårdnadshavare<" in history
    first = client.get(reverse("public:version", args=["for-familjer", 1])).content.decode()
    assert "Du läser version 1" in first and "Vem kan jag ringa?" in first
    second = client.get(reverse("public:version", args=["for-familjer", 2])).content.decode()
    assert "Du läser version" not in second  # that is the current one


def test_a_second_editor_does_not_overwrite_the_first(client_for, pages, secretariat):
    client = client_for(secretariat)
    url = reverse("public:edit", args=["for-familjer"])
    assert client.post(url, page_data(title_sv="Först")).status_code == 302
    late = client.post(url, page_data(title_sv="Sent", based_on="1"))
    assert late.status_code == 200
    assert "sparade version 2 medan du skrev" in late.content.decode()
    assert list(
        Page.objects.get(slug="for-familjer").versions.values_list("title_sv", flat=True)
    ) == [
        "Först",
        pages["for-familjer"].current.title_sv,
    ]


def test_the_preview_saves_nothing(client_for, pages, secretariat):
    client = client_for(secretariat)
    url = reverse("public:edit", args=["for-familjer"])
    response = client.post(url, page_data(body_sv="## Ny rubrik", preview="1"))
    assert response.status_code == 200
    assert '<h2 class="ds-heading">Ny rubrik</h2>' in response.content.decode()
    assert pages["for-familjer"].versions.count() == 1


def test_bad_input_gets_swedish_field_messages_and_saves_nothing(client_for, pages, secretariat):
    client = client_for(secretariat)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("public:edit", args=["for-familjer"]),
        page_data(title_sv="", title_en="Only a title", fact_checked_on=tomorrow.isoformat()),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title_sv"] == ["Fyll i rubrik på svenska."]
    assert errors["body_en"] == ["Fyll i både rubrik och text på engelska, eller lämna båda tomma."]
    assert errors["fact_checked_on"] == ["Faktagranskningen kan inte vara gjord i framtiden."]
    assert pages["for-familjer"].versions.count() == 1


def test_a_new_page_is_public_at_once(client_for, client, pages, secretariat):
    response = client_for(secretariat).post(
        reverse("public:new"), page_data(slug="skolskjuts", position="40", based_on="")
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("public:page", args=["skolskjuts"])).status_code == 200
    assert "För vårdnadshavare" in client.get(reverse("public:start")).content.decode()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("kontakt", "Adressen används redan av tjänsten. Välj en annan."),
        ("for-familjer", "Det finns redan en sida med den adressen."),
        (
            "Stora_Bokstäver",
            "Använd små bokstäver a–z, siffror och bindestreck, t.ex. for-familjer.",
        ),
    ],
)
def test_a_new_page_needs_a_free_plain_address(client_for, pages, secretariat, slug, message):
    response = client_for(secretariat).post(
        reverse("public:new"), page_data(slug=slug, position="40")
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["slug"]
    assert Page.objects.count() == len(PAGES)


# --- what is shown is safe ------------------------------------------------------------------
HOSTILE = """## Rubrik

<script>alert('x')</script>

<a href="#" onclick="alert('x')">klicka</a> <img src=x onerror="alert('x')">

<p style="position:fixed">stil</p> <iframe src="https://evil.example"></iframe>

[javascript-länk](javascript:alert('x')) [data](data:text/html;base64,PHNjcmlwdD4=)
[VBScript](vbscript:msgbox) <javascript:alert(1)>
"""


class Elements(HTMLParser):
    """The tags and attributes an HTML fragment really has (text that merely looks like
    markup, escaped, is not among them)."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def assert_safe(html):
    found = Elements(html)
    assert not found.tags & {"script", "style", "iframe", "img", "svg", "object", "form"}
    for name, value in found.attributes:
        assert not name.startswith("on") and name != "style", (name, value)
        if name == "href":
            assert value.startswith(("https:", "http:", "mailto:", "tel:", "/", "#")), value


def test_a_page_saved_with_script_or_handlers_comes_out_safe(
    client_for, client, pages, secretariat
):
    response = client_for(secretariat).post(
        reverse("public:edit", args=["for-familjer"]), page_data(body_sv=HOSTILE)
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("public:page", args=["for-familjer"])).content.decode()
    body = html.split('<div class="page-body">')[1].split("</div>")[0]
    assert_safe(body)
    assert "&lt;script&gt;" in body  # shown as text, not run
    assert "Rubrik" in body


TOKENS = list("<>\"'=/ :()[]!#*-\n`") + [
    "script", "onload", "onclick", "javascript", "style", "a href", "img src", "svg", "x",
    "&#106;", "&colon;", "\t",
]  # fmt: skip


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_no_markdown_renders_a_script_or_a_handler(source):
    assert_safe(str(render_markdown(source)))


def test_a_level_one_heading_in_the_body_becomes_level_two():
    assert str(render_markdown("# Rubrik")) == '<h2 class="ds-heading">Rubrik</h2>\n'


# --- reporting a barrier --------------------------------------------------------------------
def report(**overrides):
    data = {
        "page": "/om-bus/kontakt/",
        "problem": "Knappen Sök går inte att nå med tangentbordet.",
        "contact_email": "besokare@example.org",
    }
    return data | overrides


def test_a_barrier_report_reaches_the_secretariat(
    client, secretariat, secretariat_body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public:barrier_report"), report())
    assert response.status_code == 302
    assert response.url == reverse("public:barrier_thanks")
    saved = BarrierReport.objects.get()
    assert saved.reference.startswith(f"TH-{timezone.localdate().year}-")
    assert saved.contact_email == "besokare@example.org"
    notification = Notification.objects.get(user=secretariat)
    assert saved.reference in notification.text
    assert "Knappen" not in notification.text  # the text stays in the app
    to_mailbox = [m for m in mail.outbox if m.to == ["bus-sekretariatet@example.org"]]
    assert len(to_mailbox) == 1 and "Knappen Sök" in to_mailbox[0].body
    assert to_mailbox[0].reply_to == ["besokare@example.org"]
    thanks = client.get(response.url).content.decode()
    assert saved.reference in thanks


def test_the_secretariat_reads_the_reports(client_for, secretariat):
    BarrierReport.objects.create(reference="TH-2026-0001", page="/", problem="Låg kontrast.")
    text = client_for(secretariat).get(reverse("public:barrier_reports")).content.decode()
    assert "TH-2026-0001" in text and "Låg kontrast." in text


@pytest.mark.parametrize(
    "problem",
    [
        f"Mitt barn {TEST_NUMBER} kommer inte in.",
        "Gäller 191212121212 på sidan.",
        "Samordningsnummer 701063-2391 syns.",
    ],
)
def test_a_barrier_report_with_a_personnummer_is_refused(client, secretariat, problem):
    response = client.post(reverse("public:barrier_report"), report(problem=problem))
    assert response.status_code == 200
    [message] = response.context["form"].errors["problem"]
    assert message.startswith("Ta bort personnummer eller samordningsnummer")
    assert "pekar ut ett barn" in message
    assert not BarrierReport.objects.exists()
    assert not Notification.objects.exists()


def test_a_barrier_report_with_bad_input_saves_nothing(client, db):
    response = client.post(
        reverse("public:barrier_report"),
        {"page": "", "problem": "x" * 3001, "contact_email": "inte-en-adress"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["page"] == ["Svara på frågan ”Vilken sida gäller det?”"]
    assert errors["problem"] == [
        "Säkerställ att detta värde har som mest 3000 tecken (den har 3001)."
    ]
    assert errors["contact_email"] == ["Fyll i en giltig e-postadress."]
    assert 'href="#id_page"' in response.content.decode()  # the error summary links the field
    assert not BarrierReport.objects.exists()


@override_settings(BARRIER_REPORTS_PER_HOUR=2)
def test_barrier_reports_are_limited_per_address(client, secretariat):
    url = reverse("public:barrier_report")
    assert client.post(url, report()).status_code == 302
    assert client.post(url, report()).status_code == 302
    refused = client.post(url, report())
    assert refused.status_code == 429
    assert "flera rapporter den senaste timmen" in refused.content.decode()
    assert BarrierReport.objects.count() == 2
    other = client.post(url, report(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302  # another address is not held back


def test_the_form_takes_the_page_it_came_from(client, db):
    response = client.get(reverse("public:barrier_report"), {"sida": "/om-bus/kontakt/"})
    assert 'value="/om-bus/kontakt/"' in response.content.decode()


# --- loading the texts ----------------------------------------------------------------------
def test_loading_the_pages_never_overwrites_the_secretariats_work(secretariat):
    call_command("load_public_pages", editor=secretariat.email)
    page = Page.objects.get(slug="vad-ar-bus")
    PageVersion.objects.filter(page=page).update(title_sv="Ändrad")
    call_command("load_public_pages", editor=secretariat.email)
    assert Page.objects.count() == len(PAGES)
    assert PageVersion.objects.get(page=page).title_sv == "Ändrad"


def test_loading_the_pages_needs_a_known_editor(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("load_public_pages", editor="ingen@example.org")
