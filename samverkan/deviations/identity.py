"""Finds what identifies a person in free text: personnummer and samordningsnummer (valid
ones, with or without century and separator), e-mail addresses and phone numbers.

Deviation reports must carry no child's identity; the form refuses to save text in which
this finds anything, and shows the reporter exactly what to remove.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

# 10 or 12 digits, optionally with "-", "+" or a space before the last four.
NUMBER = re.compile(r"(?<![\d-])(\d{6}|\d{8})[-+ ]?(\d{4})(?![\d-])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Swedish numbers: +46 / 0046 / 0, then 7-10 more digits with optional spaces or dashes.
PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){5,9}(?!\d)")


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return {
            "personal_number": _("personnummer eller samordningsnummer"),
            "email": _("e-postadress"),
            "phone": _("telefonnummer"),
        }[self.kind]


def find_identity(text: str) -> list[Finding]:
    findings: list[Finding] = []
    spans: list[tuple[int, int]] = []
    for match in NUMBER.finditer(text or ""):
        candidate = match.group(0)
        try:
            valid = personnummer.valid(candidate)
        except Exception:  # the library raises on some malformed input
            valid = False
        if valid:
            findings.append(Finding("personal_number", candidate))
            spans.append(match.span())
    for match in EMAIL.finditer(text or ""):
        findings.append(Finding("email", match.group(0)))
        spans.append(match.span())
    for match in PHONE.finditer(text or ""):
        start, end = match.span()
        if any(start < s_end and s_start < end for s_start, s_end in spans):
            continue  # already reported as a number or inside an address
        findings.append(Finding("phone", match.group(0).strip()))
    return findings
