import re

from django.urls import reverse

from participation.forms import ContributionForm, SupportForm


def form_data(participation, **overrides):
    data = {
        "kind": "idea",
        "title": "Trinkbrunnen am Markt",
        "text": "Im Sommer fehlt Wasser am Markt.",
        "author_name": "",
        "email": "",
        "consent": "on",
        "website": "",
        "started": ContributionForm(participation=participation).initial["started"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def support_data(email="fan@example.org", **overrides):
    return {"email": email, "website": "", "started": SupportForm().initial["started"], **overrides}


def list_url(participation):
    return reverse("participation:public_list", kwargs={"slug": participation.project.slug})


def link_in(message, prefix):
    match = re.search(rf"https?://\S+{re.escape(prefix)}\S+/", message.body)
    assert match, message.body
    return "/" + match.group(0).split("://", 1)[1].split("/", 1)[1]
