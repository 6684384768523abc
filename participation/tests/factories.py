import datetime
from types import SimpleNamespace

import factory
from django.utils import timezone

from participation.models import ConsentText, Contribution, Participation, Support
from participation.services.public import email_hash
from projects.tests.factories import ProjectFactory


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory, is_public=True)
    enabled = True
    question = "Wie soll der Marktplatz digital werden?"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    categories = "Mobilität\nAufenthalt"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    participation = factory.SubFactory(ParticipationFactory)
    title = factory.Sequence(lambda n: f"Idee {n}")
    text = "Mehr Bänke und freies WLAN am Markt."
    status = Contribution.Status.ACCEPTED
    consent_text = factory.LazyFunction(lambda: ConsentText.objects.get(version="1"))
    email = ""


def support_for(contribution, email="unterstuetzer@example.org", confirmed=False):
    return Support.objects.create(
        contribution=contribution,
        email="" if confirmed else email,
        email_hash=email_hash(email),
        confirmed_at=timezone.now() if confirmed else None,
    )


def participation_sample():
    """The URL samples' participation: a public Soest project with participation open, one
    accepted idea, one contribution waiting for its confirmation, one support waiting."""
    from projects.models import Project

    project = Project.objects.filter(slug="beispiel-beteiligung").first() or ProjectFactory(
        slug="beispiel-beteiligung", title="Beispiel: Beteiligung am Markt", is_public=True
    )
    participation = Participation.objects.filter(project=project).first() or (
        ParticipationFactory(project=project)
    )
    accepted = ContributionFactory(participation=participation, title="Bänke am Markt")
    unconfirmed = ContributionFactory(
        participation=participation,
        title="Wartet auf Bestätigung",
        status=Contribution.Status.UNCONFIRMED,
        email="verfasserin@example.org",
    )
    return SimpleNamespace(
        project=project,
        participation=participation,
        accepted=accepted,
        unconfirmed=unconfirmed,
        support=support_for(accepted),
    )
