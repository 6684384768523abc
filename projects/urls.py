from django.urls import path  # noqa: F401  (patterns arrive with the projects issue)

app_name = "projects"

urlpatterns: list = []
