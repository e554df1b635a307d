"""Uploaded files are checked by what they contain, not by their name: a renamed HTML file
is not a PDF. ``filetype`` reads the magic bytes."""

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

# What people may upload, by content: the extension stored is the one the content says.
SCANS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def check_content(upload, allowed: dict[str, str] = SCANS) -> str:
    """The file's real extension, or a ValidationError naming what is accepted."""
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise forms.ValidationError(
            _("Filen är inte av typen %(kinds)s. Kontrollera att du valde rätt fil.")
            % {"kinds": " / ".join(sorted({ext.upper() for ext in allowed.values()}))},
            code="file_content",
        )
    return allowed[kind.mime]
