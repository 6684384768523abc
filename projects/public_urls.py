"""The public project pages (/vorhaben/, no login)."""

from django.urls import path

from .views import public_pages

app_name = "vorhaben"

urlpatterns = [
    path("", public_pages.PublicProjectListView.as_view(), name="list"),
    path("<slug:slug>/", public_pages.PublicProjectDetailView.as_view(), name="detail"),
    path(
        "<slug:slug>/dokumente/<int:pk>/",
        public_pages.public_document_download,
        name="document",
    ),
]
