"""Finds what identifies a person in free text: personnummer and samordningsnummer (valid
ones, with or without century and separator), reservnummer (``normalise_reserve_number``
says which), e-mail addresses and phone numbers.

Deviation reports, minutes and other free text that travels must carry no child's identity;
forms with ``NoIdentityMixin`` refuse to save text in which this finds anything, and show
exactly what to remove.

The check runs in time linear in the length of the text, whatever the text (it runs on
every save of a field that may hold a megabyte): each pattern either has a bounded length
(numbers, phone numbers) or may only start where a token starts (e-mail addresses, see
``_emails``), and overlaps are found with a binary search, not by comparing every pair.
``bench/identity_check.py`` measures it.
"""

import datetime
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer
from stdnum import luhn

# 10 or 12 digits, optionally with "-", "+" or a space before the last four.
NUMBER = re.compile(r"(?<![\d-])(\d{6}|\d{8})[-+ ]?(\d{4})(?![\d-])")
# Reservnummer, the two formats ``normalise_reserve_number`` accepts, as typed: Region
# Stockholm's twelve digits (one separator allowed after the sixth or the eighth), and a
# birth date followed by four characters, the first a letter.
RESERVE_REGION = re.compile(r"(?<![\d-])99[0-9]{4}(?:[- ]?[0-9]{6}|[0-9]{2}[- ]?[0-9]{4})(?![\d-])")
RESERVE_DATED = re.compile(r"(?<![\w-])([0-9]{8})([- ]?)([A-Za-z][A-Za-z0-9]{3})(?![\w-])")
# A local part, "@", and a domain with at least one dot.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The same, but only where a local part can begin: not right after one of its characters.
EMAIL_START = re.compile(r"(?<![\w.+-])" + EMAIL.pattern)
# Swedish numbers: +46 / 0046 / 0, then 7-10 more digits with optional spaces or dashes.
PHONE = re.compile(r"(?<![\w+-])(?:\+46|0046|0)[\s-]?\(?0?\)?[1-9](?:[\s-]?\d){5,9}(?!\d)")


def normalise_reserve_number(value: str) -> str:
    """A reservnummer as it is stored; ValueError for anything else.

    A reservnummer is the temporary identity a child without personnummer or
    samordningsnummer is given (newly arrived, unaccompanied). Two formats are accepted,
    and neither can be taken for a personnummer:

    - Region Stockholm's: twelve digits "99ÅÅÅÅNNNNNK": 99, the year the number was given
      (1980 to this year), a five-digit serial and a check digit (Luhn over digits 5-12),
      as Region Stockholm's Vårdgivarguiden and Inera's list of regional formats describe
      it. Stored as the twelve digits. (No one is born in the year 99xx:
      ``people.models.normalise_personal_number`` refuses such a "personnummer".)
    - A birth date and a series: "ÅÅÅÅMMDD-XNNN": the child's birth date (a real date from
      1900 on, not in the future), then four letters (A-Z) or digits, the first a letter,
      as other regions and the units' own systems write them (Västra Götaland's
      "19810829M071"). Stored with the hyphen, in capitals.
    """
    typed = (value or "").strip()
    if RESERVE_REGION.fullmatch(typed):
        digits = re.sub(r"[- ]", "", typed)
        if 1980 <= int(digits[2:6]) <= timezone.localdate().year and luhn.is_valid(digits[4:]):
            return digits
        raise ValueError(value)
    match = RESERVE_DATED.fullmatch(typed)
    if match and _is_birth_date(match.group(1)):
        return f"{match.group(1)}-{match.group(3).upper()}"
    raise ValueError(value)


def _is_birth_date(digits: str) -> bool:
    """Whether "ÅÅÅÅMMDD" is a real day from 1900 on, and not in the future."""
    try:
        day = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= day <= timezone.localdate()


def _is_reserve_number(candidate: str) -> bool:
    try:
        normalise_reserve_number(candidate)
    except ValueError:
        return False
    return True


def _reserve_numbers(text: str) -> Iterator[re.Match]:
    """Reservnummer in free text: what ``normalise_reserve_number`` accepts. A date and
    four letters after a space ("20240115 mejl") is a date and a word, not a number."""
    for match in RESERVE_REGION.finditer(text):
        if _is_reserve_number(match.group(0)):
            yield match
    for match in RESERVE_DATED.finditer(text):
        digits, separator, series = match.groups()
        if _is_birth_date(digits) and not (separator == " " and series.isalpha()):
            yield match


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return {
            "personal_number": _("personnummer eller samordningsnummer"),
            "reserve_number": _("reservnummer"),
            "email": _("e-postadress"),
            "phone": _("telefonnummer"),
        }[self.kind]


def _emails(text: str) -> Iterator[re.Match]:
    """The matches ``EMAIL.finditer(text)`` gives, in linear time.

    ``finditer`` tries every position in turn, and from each one ``[\\w.+-]+`` runs to the
    end of the run of such characters before it finds no "@": a run of n letters, digits
    or dots without an "@" costs n²/2 steps (40,000 characters took half a minute). Yet the
    leftmost match can only start where a run starts (if it started inside one, it would
    also match one character earlier), or exactly where the previous match ended. So the
    pattern is tried at that one position, and otherwise only at run starts
    (``EMAIL_START``, whose look-behind refuses any other position in one step): every
    character is read a bounded number of times.
    """
    position = 0
    while position < len(text):
        match = EMAIL.match(text, position) or EMAIL_START.search(text, position)
        if match is None:
            return
        yield match
        position = match.end()


def find_identity(text: str) -> list[Finding]:
    text = text or ""
    findings: list[Finding] = []
    spans: list[tuple[int, int]] = []
    for match in NUMBER.finditer(text):
        candidate = match.group(0)
        try:
            valid = personnummer.valid(candidate)
        except Exception:  # the library raises on some malformed input
            valid = False
        if valid and not _is_reserve_number(candidate):
            findings.append(Finding("personal_number", candidate))
            spans.append(match.span())
    for match in _reserve_numbers(text):
        findings.append(Finding("reserve_number", match.group(0)))
        spans.append(match.span())
    for match in _emails(text):
        findings.append(Finding("email", match.group(0)))
        spans.append(match.span())
    # A phone number inside something already reported is not reported again. The spans
    # sorted by start, with the furthest end reached so far: the spans starting before a
    # phone number's end overlap it exactly when the furthest of their ends lies after its
    # start.
    spans.sort()
    starts = [start for start, _end in spans]
    furthest = list(accumulate((end for _start, end in spans), max))
    for match in PHONE.finditer(text):
        start, end = match.span()
        before = bisect_left(starts, end)
        if before and furthest[before - 1] > start:
            continue  # already reported as a number or inside an address
        findings.append(Finding("phone", match.group(0).strip()))
    return findings


def identity_errors(text: str) -> list[str]:
    """One message per thing to remove, naming it, so the reporter can find it."""
    return [
        _(
            "Ta bort %(what)s: ”%(text)s”. Avvikelser får inte innehålla uppgifter "
            "som pekar ut en person."
        )
        % {"what": finding.label, "text": finding.text}
        for finding in find_identity(text)
    ]


class NoIdentityMixin:
    """Refuses free text that identifies a person: nothing is saved until it is gone."""

    identity_fields: list[str] = []

    def clean(self):
        data = super().clean()
        for name in self.identity_fields:
            for message in identity_errors(data.get(name) or ""):
                self.add_error(name, message)
        return data
