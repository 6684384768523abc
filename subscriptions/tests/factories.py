import factory
from django.utils import timezone

from news.models import Section
from stakeholders.models import Contact
from subscriptions.models import ConsentText, Frequency, Subscription


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Rubrik {n}")
    slug = factory.Sequence(lambda n: f"rubrik-{n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.Sequence(lambda n: f"erika{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription with the consent record in stakeholders, like the flow makes."""

    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    email = factory.LazyAttribute(lambda o: o.contact.email)
    frequency = Frequency.IMMEDIATE
    consent_text = factory.LazyFunction(lambda: ConsentText.objects.get(version="1"))
    requested_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=3))
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=2))
    digest_sent_until = factory.LazyAttribute(lambda o: o.confirmed_at)

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from stakeholders import services
        from stakeholders.models import LegalBasisRecord

        services.legal_basis_record(
            contact=self.contact,
            purpose="newsletter",
            status=LegalBasisRecord.Status.CONSENT,
            method=LegalBasisRecord.Method.FORM,
            source="Web-Formular",
            at=self.confirmed_at,
        )

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)
