"""The whole double opt-in flow against a real SMTP server (aiosmtpd)."""

import pytest
from django.urls import reverse

from subscriptions.forms import SubscribeForm
from subscriptions.models import Subscription

from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    with SmtpSink() as server:
        server.configure(settings)
        yield server


def test_double_opt_in_over_real_smtp(client, sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("subscriptions:subscribe"),
            {
                "email": "sina@müller-soest.de",
                "name": "Sina Müller",
                "frequency": "weekly",
                "consent": "on",
                "started": SubscribeForm().initial["started"],
            },
        )
    ((rcpts, message),) = sink.wait_for(1)
    assert rcpts == ["sina@xn--mller-soest-thb.de"]
    assert "bestätigen" in message["Subject"]
    link = sink.link(message, "/presse/abo/bestaetigen/")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{path}").status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.frequency == "weekly"

    # Asking again sends the manage link with RFC 8058 headers, no second confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("subscriptions:subscribe"),
            {
                "email": "sina@müller-soest.de",
                "frequency": "immediate",
                "consent": "on",
                "started": SubscribeForm().initial["started"],
            },
        )
    _rcpts, manage = sink.wait_for(2)[1]
    assert manage["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/presse/abo/abmelden/" in manage["List-Unsubscribe"]
    assert "/presse/abo/verwalten/" in sink.text(manage)
    assert Subscription.objects.get().frequency == "weekly"
