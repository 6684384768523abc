import io

import pytest

from stakeholders import demo, services
from stakeholders.models import Contact, DistributionList, Involvement, LegalBasisRecord

from .factories import make_project

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_press_list_has_recipients():
    make_project(slug="digitales-buergerbuero", title="Digitales Bürgerbüro")
    demo.seed(io.StringIO())
    counts = (
        Contact.objects.count(),
        LegalBasisRecord.objects.count(),
        Involvement.objects.count(),
    )
    demo.seed(io.StringIO())
    assert (
        Contact.objects.count(),
        LegalBasisRecord.objects.count(),
        Involvement.objects.count(),
    ) == counts
    press = DistributionList.objects.get(name="Presseverteiler Modellregion")
    recipients = services.effective_recipients(distribution_list=press)
    assert recipients.count() == 4
    assert Involvement.objects.filter(project__slug="digitales-buergerbuero").count() == 2


def test_demo_seed_works_without_projects():
    out = io.StringIO()
    demo.seed(out)
    assert "0 Projektbeteiligungen" in out.getvalue()
