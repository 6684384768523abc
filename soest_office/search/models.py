from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One searchable object: the stored search document of a source (see registry.py).

    Kept current by signals and `search_index_update()`; rebuilt by
    `manage.py rebuild_search_index`. The original texts are kept for snippets; the matching
    structures are backend-specific: on PostgreSQL the `vector` column (german + unaccent,
    weights A-D, GIN index) and trigram indexes on `names_norm`/`phonetic`; on SQLite an FTS5
    table `soest_search_fts` keyed by this row's id (see the 0003 migration). Access is never
    decided here: the engine joins every hit back to its source's `visible_to` scope.
    """

    source = models.CharField(_("Quelle"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    title = models.CharField(_("Titel"), max_length=300)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    body = models.TextField(_("Text"), blank=True)
    # Folded names (title, people, organisations, municipalities) for typo tolerance.
    names_norm = models.TextField(_("Namen (normalisiert)"), blank=True)
    # Kölner Phonetik codes of the names, space-separated and framed by spaces.
    phonetic = models.TextField(_("Namen (phonetisch)"), blank=True)
    url = models.CharField(_("Adresse"), max_length=500)
    municipalities = models.ManyToManyField(
        "soest_office.Municipality",
        verbose_name=_("Kommunen"),
        blank=True,
        related_name="+",
    )
    # A row of the category facet's model (an app's, e.g. the fields of action): a plain id,
    # so the kernel keeps no foreign key into an app (registry.CategoryFacet).
    category_id = models.PositiveIntegerField(_("Kategorie"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    # Filled on PostgreSQL only (SQLite keeps an unused column of this type).
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("aktualisiert am"), auto_now=True)

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_entry_unique"),
        ]
        indexes = [models.Index(fields=["source", "year"], name="search_entry_source_year")]

    def __str__(self):
        return f"{self.source}:{self.object_id} {self.title}"

    def get_absolute_url(self):
        return self.url


class ExtractedText(models.Model):
    """Text extracted from an uploaded file of a search source (by a Celery task, never in
    the request), so its contents are searchable: `(source, object_id)` name the object as
    SearchEntry does. Removed when its object leaves the index."""

    class Status(models.TextChoices):
        DONE = "done", _("extrahiert")
        SKIPPED = "skipped", _("übersprungen")
        FAILED = "failed", _("fehlgeschlagen")

    source = models.CharField(_("Quelle"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    file_name = models.CharField(_("gespeicherte Datei"), max_length=300)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices)
    text = models.TextField(_("Text"), blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    extracted_at = models.DateTimeField(_("extrahiert am"), auto_now=True)

    class Meta:
        verbose_name = _("extrahierter Dateitext")
        verbose_name_plural = _("extrahierte Dateitexte")
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="extracted_text_unique"),
        ]

    def __str__(self):
        return f"{self.source}:{self.object_id}: {self.get_status_display()}"
