import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from soest_office.models import Municipality

TEST_PASSWORD = "richtig-geheim-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass `role=Role.PARTNER` (and `municipality=`) to put it in a group."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nutzer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))
        if create:
            self.save()


def municipality(slug: str) -> Municipality:
    return Municipality.objects.get(slug=slug)
