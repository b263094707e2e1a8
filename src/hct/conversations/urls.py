from django.urls import path

from hct.conversations.views import iceberg, meetings, plan, record

app_name = "conversations"
urlpatterns = [
    path("", meetings.conversation_list, name="list"),
    path("new/", meetings.conversation_create, name="create"),
    path("<int:pk>/", meetings.conversation_detail, name="detail"),
    path("<int:pk>/change/", meetings.conversation_edit, name="edit"),
    path("<int:pk>/invitation.ics", meetings.invitation_ics, name="ics"),
    path("<int:pk>/invitations/", meetings.participants, name="participants"),
    path(
        "<int:pk>/invitations/<int:participant_pk>/reply/",
        meetings.participant_reply,
        name="reply",
    ),
    path("<int:pk>/places/", meetings.held_places, name="places"),
    path("<int:pk>/door/", meetings.door, name="door"),
    path("<int:pk>/door/<int:participant_pk>/", meetings.attend, name="attend"),
    path("<int:pk>/balance/", meetings.balance, name="balance"),
    path("<int:pk>/story/", record.centre_choose, name="centre-choose"),
    path("<int:pk>/story/centre/", record.centre, name="centre"),
    path("<int:pk>/contributions/", record.contributions, name="contributions"),
    path("<int:pk>/contributions.csv", record.contributions_csv, name="contributions-csv"),
    path(
        "<int:pk>/contributions/<int:contribution_pk>/remove/",
        record.contribution_remove,
        name="contribution-remove",
    ),
    path("<int:pk>/close/", record.closing_write, name="close"),
    path("<int:pk>/report/", record.report, name="report"),
    path("<int:pk>/report.pdf", record.report_pdf, name="report-pdf"),
    path("<int:pk>/iceberg/", iceberg.board, name="iceberg"),
    path("<int:pk>/iceberg/<int:item_pk>/", iceberg.item_detail, name="item"),
    path("<int:pk>/iceberg/<int:item_pk>/move/", iceberg.item_move, name="item-move"),
    path(
        "<int:pk>/iceberg/<int:item_pk>/evidence/<int:evidence_pk>/remove/",
        iceberg.evidence_remove,
        name="evidence-remove",
    ),
    path("<int:pk>/themes/", iceberg.themes_suggest, name="themes-suggest"),
    path("<int:pk>/themes/<int:suggestion_pk>/", iceberg.theme_accept, name="theme-accept"),
    path("<int:pk>/themes/<int:suggestion_pk>/drop/", iceberg.theme_drop, name="theme-drop"),
    path("<int:pk>/vision/", plan.vision, name="vision"),
    path("<int:pk>/vision/write/", plan.vision_write, name="vision-write"),
    path("<int:pk>/plan/", plan.plan, name="plan"),
    path("<int:pk>/plan/actions/new/", plan.action_add, name="action-add"),
    path("<int:pk>/plan/actions/<int:action_pk>/", plan.action_edit, name="action-edit"),
    path(
        "<int:pk>/plan/actions/<int:action_pk>/remove/",
        plan.action_remove,
        name="action-remove",
    ),
    path("cycles/<int:cycle_pk>/sensemaking/", plan.sensemaking, name="sensemaking"),
    path("cycles/<int:cycle_pk>/sensemaking.pdf", plan.sensemaking_pdf, name="sensemaking-pdf"),
]
