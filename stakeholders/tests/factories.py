import datetime as dt

import factory
from django.utils import timezone

from soest_office.tests.factories import municipality
from stakeholders.models import (
    Contact,
    DistributionList,
    Interaction,
    LegalBasisRecord,
    Organisation,
    Purpose,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.BUSINESS
    municipality = factory.LazyFunction(lambda: municipality("soest"))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    email = factory.LazyAttribute(lambda c: f"{c.last_name.lower()}@example.org")
    municipality = factory.LazyFunction(lambda: municipality("soest"))


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasisRecord

    contact = factory.SubFactory(ContactFactory)
    purpose = Purpose.PRESS
    status = LegalBasisRecord.Status.CONSENT
    method = LegalBasisRecord.Method.FORM
    effective_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class DistributionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionList

    name = factory.Sequence(lambda n: f"Verteiler {n}")
    purpose = Purpose.PRESS


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    channel = Interaction.Channel.PHONE
    occurred_at = factory.LazyFunction(timezone.now)
    summary = "Telefonat zum Projektstart"


def consenting_contact(purpose=Purpose.PRESS, **kwargs):
    contact = ContactFactory(**kwargs)
    LegalBasisFactory(contact=contact, purpose=purpose)
    return contact


def make_project(slug="buergerportal-test", title="Bürgerportal", lead="soest"):
    from projects.models import FieldOfAction, Project

    return Project.objects.create(
        title=title,
        slug=slug,
        field_of_action=FieldOfAction.objects.get(slug="e-government"),
        lead_municipality=municipality(lead),
    )
