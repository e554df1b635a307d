"""Create the public pages (Om BUS) with their first texts, where they do not exist yet."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samverkan.public.services import load_pages


class Command(BaseCommand):
    help = (
        "Create the public pages under /om-bus/ (what BUS is, for families, for staff, the "
        "accessibility statement) with their first texts. Pages that exist are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--editor", required=True, help="E-mail of the editor (a user).")
        parser.add_argument("--fact-checker", help="E-mail of the fact-checker (a user).")

    def handle(self, *args, editor, fact_checker=None, **options):
        users = get_user_model().objects.filter(is_active=True)
        found = users.filter(email__iexact=editor).first()
        if found is None:
            raise CommandError(f"No active user has the e-mail address {editor}.")
        checker = None
        if fact_checker:
            checker = users.filter(email__iexact=fact_checker).first()
            if checker is None:
                raise CommandError(f"No active user has the e-mail address {fact_checker}.")
        created = load_pages(found, checker)
        if created:
            self.stdout.write(
                f"Created {len(created)} page(s): "
                + ", ".join(f"/om-bus/{p.slug}/" for p in created)
            )
        else:
            self.stdout.write("Every page already exists; nothing changed.")
