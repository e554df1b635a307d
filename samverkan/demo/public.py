"""The public pages in the demo: the texts from ``public.content``, the function mailboxes of
the local groups and the secretariat (invented addresses), and a page with two versions."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.organisations.models import Body, LocalGroup
from samverkan.public.models import Page, PageVersion
from samverkan.public.services import load_pages, save_version

EDITOR = "sekretariat@demo.example"
FACT_CHECKER = "enhetschef.primabarn@demo.example"
BRIS = "- **BRIS, 116 111**"


def seed():
    for group in LocalGroup.objects.filter(mailbox=""):
        group.mailbox = f"bus.{group.slug}@demo.example"
        group.save(update_fields=["mailbox"])
    Body.objects.filter(kind=Body.Kind.SECRETARIAT, mailbox="").update(
        mailbox="bus-sekretariatet@demo.example"
    )
    Body.objects.filter(kind=Body.Kind.BUSSAM, mailbox="").update(mailbox="bussam@demo.example")

    users = get_user_model().objects
    editor, checker = users.get(email=EDITOR), users.get(email=FACT_CHECKER)
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=120)
    load_pages(editor, checker, today=earlier)
    # One page with its history: version 1 without the helpline for children, version 2
    # (today) with it.
    families = Page.objects.select_related("current").get(slug="for-familjer")
    if families.current.number == 1:
        first = families.current
        without = "\n".join(line for line in first.body_sv.splitlines() if BRIS not in line)
        PageVersion.objects.filter(pk=first.pk).update(body_sv=without)
        fields = ("title_sv", "lead_sv", "body_sv", "title_en", "lead_en", "body_en")
        data = {name: getattr(first, name) for name in fields}
        save_version(
            families,
            data | {"fact_checker": checker, "fact_checked_on": today},
            editor,
            based_on=1,
        )
