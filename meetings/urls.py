from django.urls import path

from .views import actions, bodies, items, meetings, respond

app_name = "meetings"

urlpatterns = [
    path("gremien/", bodies.body_list, name="body_list"),
    path("gremien/<slug:slug>/", bodies.body_detail, name="body_detail"),
    path("sitzungen/", meetings.meeting_list, name="list"),
    path("sitzungen/neu/", meetings.meeting_form, name="meeting_create"),
    path("sitzungen/aufgaben/", actions.action_list, name="action_list"),
    path("sitzungen/aufgaben/<int:pk>/status/", actions.action_status, name="action_status"),
    path("sitzungen/vorlagen/<int:pk>/", items.paper_download, name="paper_download"),
    path("sitzungen/antwort/<str:token>/", respond.respond_link, name="respond_link"),
    path("sitzungen/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", meetings.meeting_form, name="meeting_edit"),
    path("sitzungen/<int:pk>/protokoll.pdf", meetings.minutes_pdf, name="minutes_pdf"),
    path(
        "sitzungen/<int:pk>/aktion/<slug:action>/", meetings.meeting_action, name="meeting_action"
    ),
    path("sitzungen/<int:pk>/top/neu/", items.agenda_item_form, name="agenda_item_create"),
    path(
        "sitzungen/<int:pk>/top/<int:item_pk>/",
        items.agenda_item_form,
        name="agenda_item_edit",
    ),
    path(
        "sitzungen/<int:pk>/top/<int:item_pk>/protokoll/",
        items.minutes_form,
        name="minutes_edit",
    ),
    path("sitzungen/<int:pk>/top/<int:item_pk>/vorlage/", items.paper_form, name="paper_create"),
    path("sitzungen/<int:pk>/beschluss/", items.decision_form, name="decision_create"),
    path("sitzungen/<int:pk>/aufgabe/", items.action_item_form, name="action_item_create"),
    path("sitzungen/<int:pk>/anwesenheit/", items.attendance_form, name="attendance"),
]
