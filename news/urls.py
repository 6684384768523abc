from django.urls import path  # noqa: F401  (patterns arrive with the news issue)

app_name = "news"

urlpatterns: list = []
