"""Demo individforum cases for ``seed_demo``: one case walked all the way to the steering
group's decision, and one just raised, both in Rinkeby-Kista and Spånga-Tensta.

The child's number, 20170101-2393, is from Skatteverket's published list of test
personnummer, which belong to no real person. The seed generates no other numbers: a
generated number with a valid check digit could belong to a real child.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase, Invitee, Protocol, StatusChange
from samverkan.organisations.models import Unit
from samverkan.people.models import Child, Guardian, involve

TEST_NUMBER = "20170101-2393"


def seed():
    User = get_user_model()
    today = timezone.localdate()
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    youth = Unit.objects.get(name="Ungdomsenheten, Rinkeby-Kista")
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    worker = User.objects.get(email="handlaggare.rinkeby@demo.example")
    convener = User.objects.get(email="enhetschef.ungdomsenheten@demo.example")
    chair = User.objects.get(email="ordforande.rinkeby@demo.example")
    bup_manager = User.objects.get(email="enhetschef.primabarn@demo.example")

    child, _ = Child.objects.get_or_create(
        personal_number=TEST_NUMBER,
        owning_unit=social,
        defaults={
            "first_name": "Alva",
            "last_name": "Demosson",
            "address": "Exempelgränd 1, 164 00 Kista",
            "created_by": worker,
        },
    )
    Guardian.objects.get_or_create(
        child=child, name="Sara Demosson", defaults={"phone": "070-000 00 00"}
    )
    group = social.area.local_groups.get()

    def case(reason, noticed_days_ago, **fields):
        found = ForumCase.objects.filter(child=child, reason__startswith=reason).first()
        if found:
            return found, False
        noticed = today - datetime.timedelta(days=noticed_days_ago)
        created = ForumCase.objects.create(
            local_group=group, child=child, raised_by_unit=social, raised_by=worker,
            raised_on=noticed + datetime.timedelta(days=1), noticed_on=noticed,
            reason=reason, convener=convener, **fields,
        )  # fmt: skip
        StatusChange.objects.create(case=created, status="raised", by=worker)
        for unit in (social, youth):
            involve(child, unit, f"Individforum {created.reference}")
        return created, True

    decided, new = case(
        "Skolan, socialtjänsten och BUP är oeniga om vem som ska ge stöd efter utredningen.",
        noticed_days_ago=60,
    )
    if new:
        decided.meeting_on = decided.noticed_on + datetime.timedelta(days=9)
        decided.meeting_time = datetime.time(13, 0)
        decided.meeting_place = "Rinkeby-Kista stadsdelsförvaltning, sammanträdesrum 2"
        decided.save()
        for unit, person in ((social, chair), (bup, bup_manager)):
            Invitee.objects.create(case=decided, unit=unit, person=person)
            involve(child, unit, f"Individforum {decided.reference}")
        consent = Consent.objects.create(
            child=child, given_by_child=False, form="written", purpose=decided,
            purpose_text=f"Individforum {decided.reference}", given_on=decided.raised_on,
            valid_until=today + datetime.timedelta(days=180), recorded_by=worker,
            recorded_by_unit=social,
        )  # fmt: skip
        consent.given_by_guardians.set(child.guardians.all())
        consent.units.set([bup])
        protocol = Protocol.objects.create(
            case=decided, version=1, created_by=convener,
            background="Alva har stor frånvaro. Skolan har begärt stöd; BUP och socialtjänsten "
            "har olika syn på vem som ska samordna insatserna.",
            follow_up="Styrgruppen tar ställning till ansvarsfrågan vid nästa möte.",
            signed_by=convener,
            signed_at=timezone.make_aware(
                datetime.datetime.combine(decided.meeting_on, datetime.time(15, 0))
            ),
        )  # fmt: skip
        protocol.attendees.create(name="Ulla Unger", function="Enhetschef", unit=youth)
        protocol.attendees.create(name="Maja Malmberg", function="Enhetschef", unit=bup)
        protocol.views.create(unit=social, view="Behovet av samordning är akut.")
        protocol.views.create(unit=bup, view="BUP:s insats förutsätter att skolan anpassar.")
        protocol.decisions.create(
            text="Frågan om samordningsansvar lyfts till styrgruppen.",
            responsible_unit=youth,
            due_on=decided.meeting_on + datetime.timedelta(days=14),
        )
        decided.principled_question = (
            "Vem har samordningsansvaret när både BUP och socialtjänsten har pågående "
            "insatser och skolan begär stöd?"
        )
        decided.steering_decision = (
            "Socialtjänsten samordnar och kallar till SIP inom två veckor. Arbetsgruppen tar "
            "fram en rutin för liknande fall."
        )
        decided.steering_decided_on = decided.meeting_on + datetime.timedelta(days=20)
        decided.steering_decided_by = chair
        decided.status = ForumCase.Status.DECIDED
        decided.save()
        for status, by, day in (
            ("raised", worker, decided.raised_on),
            ("convened", convener, decided.raised_on + datetime.timedelta(days=2)),
            ("lifted", convener, decided.meeting_on),
            ("decided", chair, decided.steering_decided_on),
        ):
            change, _ = StatusChange.objects.get_or_create(case=decided, status=status, by=by)
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))
            StatusChange.objects.filter(pk=change.pk).update(at=at)

    case(
        "Behov av samordnad planering inför skolbyte; BUP och skolan har inte nått en gemensam "
        "planering.",
        noticed_days_ago=10,
    )
