"""Helpers of the press mailing tests: a contact on a list, a mailing sent with its
on-commit tasks run, deliveries queued but not sent."""

from news import mailing
from news.models import Delivery
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact
from stakeholders.tests.factories import consenting_contact

D = Delivery.Status


def member(press_list, contact):
    stakeholder_services.list_add_contacts(
        distribution_list=press_list, contacts=Contact.objects.filter(pk=contact.pk)
    )
    return contact


def send(release, user, lists=(), extra=(), capture=None):
    with capture(execute=True):
        return mailing.distribution_send(
            release=release, user=user, lists=list(lists), extra_contacts=list(extra)
        )


def queued_deliveries(release, office, press_list, n, tag="Batch"):
    for i in range(n):
        member(press_list, consenting_contact(last_name=f"{tag}{i:03d}"))
    mailing.distribution_send(release=release, user=office, lists=[press_list])  # not committed
    return list(
        Delivery.objects.filter(distribution__release=release)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
