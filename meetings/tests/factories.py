from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Body, Meeting, Membership


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Arbeitsgruppe {n}")
    slug = factory.Sequence(lambda n: f"ag-{n}")
    code = factory.Sequence(lambda n: f"AG{n}")
    kind = Body.Kind.WORKING_GROUP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Sitzung {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    place = "Rathaus Soest, Sitzungssaal"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Punkt {n}")
    position = factory.Sequence(lambda n: n + 1)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
