import datetime as dt
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import PressRelease, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Stichwort {n}")
    slug = factory.Sequence(lambda n: f"stichwort-{n}")


class PressReleaseFactory(factory.django.DjangoModelFactory):
    """A draft by default; `published=True` for a public one."""

    class Meta:
        model = PressRelease
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Neues aus der Modellregion {n}")
    slug = factory.Sequence(lambda n: f"neues-aus-der-modellregion-{n}")
    dateline = "Soest"
    teaser = "Das Projektbüro berichtet über Fortschritte der Digitalen Modellregion."
    body = (
        "Die **Stadt Soest** und ihre Partner treiben die Digitalisierung voran.\n\n"
        "- Punkt eins\n- Punkt zwei"
    )
    author = factory.SubFactory("soest_office.tests.factories.UserFactory")
    status = PressRelease.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=PressRelease.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=PressRelease.Status.SCHEDULED,
            publish_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1)),
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


def image_bytes(fmt="JPEG", size=(64, 48), color=(10, 80, 160)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name="foto.jpg", fmt="JPEG", **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)
