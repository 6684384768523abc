import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from projects.models import (
    BudgetLine,
    Document,
    Drawdown,
    FieldOfAction,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    Receipt,
)
from soest_office.models import Municipality
from soest_office.tests.factories import UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.Sequence(lambda n: f"projekt-{n}")
    summary = "Ein Teilprojekt der Modellregion."
    field_of_action = factory.LazyFunction(lambda: FieldOfAction.objects.get(slug="bildung"))
    lead_municipality = factory.LazyFunction(lambda: Municipality.objects.get(slug="soest"))
    status = Project.Status.IN_PROGRESS
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    planned_end_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=300)
    )
    total_budget = Decimal("100000.00")

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participating_municipalities.set(
                Municipality.objects.filter(slug__in=list(extracted))
            )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Meilenstein {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.LazyAttribute(lambda r: r.project.lead_municipality)
    author = factory.SubFactory(UserFactory)
    reporting_date = factory.LazyFunction(timezone.localdate)
    percent_complete = 40
    traffic_light = Project.TrafficLight.GREEN
    achieved = "Ausschreibung veröffentlicht."
    next_steps = "Vergabe."
    spent_to_date = Decimal("20000.00")
    status = ProgressReport.Status.SUBMITTED


class FundingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingDecision

    project = factory.SubFactory(ProjectFactory)
    funder = "Ministerium für Wirtschaft, Innovation, Digitalisierung und Energie NRW"
    programme = "Digitale Modellregionen NRW"
    reference = factory.Sequence(lambda n: f"DMR-{n:04d}")
    decision_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=400))
    eligible_costs = Decimal("50000.00")
    funding_rate = Decimal("80.00")
    granted_amount = Decimal("40000.00")
    own_share = Decimal("10000.00")


class DrawdownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drawdown

    funding_decision = factory.SubFactory(FundingDecisionFactory)
    requested_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=20)
    )
    requested_amount = Decimal("10000.00")
    received_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    received_amount = Decimal("10000.00")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    title = "Software und Lizenzen"
    planned_amount = Decimal("30000.00")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = "Förderbescheid"
    kind = Document.Kind.FUNDING_DECISION
    file = factory.django.FileField(filename="bescheid.pdf", data=b"%PDF-1.4\n%test\n")
    original_name = "Förderbescheid 2024.pdf"
    size = 16


class ReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Receipt

    project = factory.SubFactory(ProjectFactory)
    budget_line = factory.LazyAttribute(lambda r: BudgetLineFactory(project=r.project))
    number = factory.Sequence(lambda n: f"B-{n:04d}")
    receipt_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    payee = "IT-Dienstleister GmbH"
    purpose = "Lizenzen"
    net_amount = Decimal("1000.00")
    gross_amount = Decimal("1190.00")
    payment_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
