from django.urls import path  # noqa: F401  (patterns arrive with the stakeholders issue)

app_name = "stakeholders"

urlpatterns: list = []
