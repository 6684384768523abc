from django.urls import path

from .views import actions, bodies, items, meetings, oparl, respond, series

app_name = "meetings"

urlpatterns = [
    path("gremien/", bodies.body_list, name="body_list"),
    path("gremien/<slug:slug>/", bodies.body_detail, name="body_detail"),
    path("gremien/<slug:slug>/reihen/neu/", series.series_form, name="series_create"),
    path("gremien/<slug:slug>/reihen/<int:pk>/", series.series_detail, name="series_detail"),
    path("gremien/<slug:slug>/reihen/<int:pk>/bearbeiten/", series.series_form, name="series_edit"),
    path(
        "gremien/<slug:slug>/reihen/<int:pk>/termine/<str:day>/<slug:action>/",
        series.occurrence_action,
        name="occurrence_action",
    ),
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
    # OParl 1.1, read-only and public (meetings marked public only).
    path("oparl/v1/", oparl.system, name="oparl_system"),
    path("oparl/v1/body/", oparl.body_list, name="oparl_body_list"),
    path("oparl/v1/body/<int:pk>/", oparl.body, name="oparl_body"),
    path(
        "oparl/v1/body/<int:pk>/organization/",
        oparl.organization_list,
        name="oparl_organization_list",
    ),
    path("oparl/v1/body/<int:pk>/person/", oparl.person_list, name="oparl_person_list"),
    path("oparl/v1/body/<int:pk>/meeting/", oparl.meeting_list, name="oparl_meeting_list"),
    path("oparl/v1/body/<int:pk>/paper/", oparl.paper_list, name="oparl_paper_list"),
    path("oparl/v1/organization/<int:pk>/", oparl.organization, name="oparl_organization"),
    path("oparl/v1/person/<int:pk>/", oparl.person, name="oparl_person"),
    path("oparl/v1/meeting/<int:pk>/", oparl.meeting, name="oparl_meeting"),
    path("oparl/v1/agendaitem/<int:pk>/", oparl.agenda_item, name="oparl_agenda_item"),
    path("oparl/v1/paper/<int:pk>/", oparl.paper, name="oparl_paper"),
    path("oparl/v1/consultation/<int:pk>/", oparl.consultation, name="oparl_consultation"),
    path("oparl/v1/file/<int:pk>/", oparl.file, name="oparl_file"),
    path("oparl/v1/file/<int:pk>/inhalt", oparl.file_content, name="oparl_file_content"),
]
