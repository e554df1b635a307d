"""A demo SIP for ``seed_demo``: established for the demo child, follow-up due soon."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.people.models import Child, involve
from samverkan.sip.models import Intervention, Participant, Plan, PlanVersion

TEST_NUMBER = "20170101-2393"


def seed():
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    child = Child.objects.filter(personal_number=TEST_NUMBER, owning_unit=social).first()
    if child is None or Plan.objects.filter(child=child).exists():
        return
    User = get_user_model()
    today = timezone.localdate()
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    school = Unit.objects.get(name="Kista grundskola")
    worker = User.objects.get(email="handlaggare.rinkeby@demo.example")
    meeting = today - datetime.timedelta(days=50)
    plan = Plan.objects.create(
        child=child, initiating_unit=social, initiated_by=worker, chair=worker, secretary=worker,
        reason="Alva behöver insatser från både socialtjänsten och BUP, och stöd i skolan.",
        meeting_on=meeting, meeting_time=datetime.time(14, 0),
        meeting_place="Rinkeby-Kista stadsdelsförvaltning",
        needs="Stöd för att komma till skolan och hantera oro.",
        child_voice="Jag vill kunna vara i skolan hela dagen.",
        guardians_voice="Vi vill att alla pratar med varandra, inte bara med oss.",
        goals="Alva är i skolan minst fyra dagar i veckan före terminens slut.",
        others_do="Föreningen Fritidsgården erbjuder en aktivitet på onsdagar.",
        overall_responsible=social.principal, follow_up_how="Uppföljningsmöte med alla parter.",
        next_follow_up_on=today + datetime.timedelta(days=5),
        status=Plan.Status.ESTABLISHED,
        established_at=timezone.make_aware(datetime.datetime.combine(meeting, datetime.time(16))),
    )  # fmt: skip
    consent = Consent.objects.create(
        child=child, form="written", purpose=plan, purpose_text=f"SIP {plan.reference}",
        given_on=meeting - datetime.timedelta(days=7), valid_until=today + datetime.timedelta(days=300),
        recorded_by=worker, recorded_by_unit=social,
    )  # fmt: skip
    consent.given_by_guardians.set(child.guardians.all())
    consent.units.set([bup])
    for unit in (social, bup, school):
        involve(child, unit, f"SIP {plan.reference}")
    Participant.objects.create(plan=plan, kind="unit", unit=bup, role="Behandling")
    Participant.objects.create(plan=plan, kind="unit", unit=school, role="Anpassningar i skolan")
    guardian = child.guardians.first()
    if guardian:
        Participant.objects.create(plan=plan, kind="guardian", name=guardian.name, phone=guardian.phone)
    Participant.objects.create(plan=plan, kind="child", name=child.first_name)
    for what, unit, status in (
        ("Samtalsbehandling varannan vecka", bup, "ongoing"),
        ("Anpassad studiegång och mentor", school, "ongoing"),
        ("Familjebehandling", social, "planned"),
    ):
        Intervention.objects.create(
            plan=plan, what=what, unit=unit, starts_on=meeting, status=status,
            ends_on=meeting + datetime.timedelta(days=180),
        )  # fmt: skip
    PlanVersion.objects.create(plan=plan, number=1, content=plan.snapshot(), note="Fastställd",
                               created_by=worker)  # fmt: skip
