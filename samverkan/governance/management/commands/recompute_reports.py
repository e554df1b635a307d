from django.core.management.base import BaseCommand

from samverkan import closed_years


class Command(BaseCommand):
    help = (
        "Forget the numbers kept for closed years (the yearly follow-up, the county "
        "compilation, the deviation compilation and patterns): the next reader counts them "
        "anew. Needed only after changing counted records outside the application."
    )

    def handle(self, *args, **options):
        closed_years.touch_all()
        self.stdout.write("Closed years will be counted anew on their next use.")
