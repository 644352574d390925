from django.urls import path

from palier.console.views import (
    actions,
    capacity,
    dashboard,
    exports,
    intake,
    knowledge,
    problems,
    queues,
    ticket,
)

app_name = "console"
urlpatterns = [
    path("", queues.queue, name="home"),
    path("queues/<str:name>/", queues.queue, name="queue"),
    path("queues/<str:name>/export.csv", exports.export_queue, name="export_queue"),
    path("views/save/", queues.save_view, name="save_view"),
    path("bulk/", queues.bulk, name="bulk"),
    path("tickets/new/", intake.new_ticket, name="new_ticket"),
    path("tickets/new/suggestions/", intake.new_ticket_suggestions, name="new_suggestions"),
    path("tickets/new/requesters/", intake.requester_options, name="requester_options"),
    path("tickets/<int:ticket_id>/", ticket.ticket_page, name="ticket"),
    path("tickets/<int:ticket_id>/suggestions/", ticket.suggestions, name="suggestions"),
    path("tickets/<int:ticket_id>/escalate/", actions.escalate, name="escalate"),
    path("tickets/<int:ticket_id>/make-article/", actions.make_article, name="make_article"),
    path("tickets/<int:ticket_id>/act/<str:action>/", actions.act, name="act"),
    path("kb/", knowledge.kb_index, name="kb"),
    path("kb/<int:article_id>/", knowledge.kb_article, name="article"),
    path("kb/<int:article_id>/<str:step>/", knowledge.kb_move, name="article_move"),
    path("problems/", problems.problem_list, name="problems"),
    path("problems/new/", problems.create, name="problem_new"),
    path("problems/candidates/", problems.candidates, name="problem_candidates"),
    path("problems/from-cluster/", problems.create_from_cluster, name="problem_from_cluster"),
    path("problems/<int:problem_id>/", problems.problem_page, name="problem"),
    path("problems/<int:problem_id>/act/<str:action>/", problems.act, name="problem_act"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("capacity/", capacity.capacity_page, name="capacity"),
]
