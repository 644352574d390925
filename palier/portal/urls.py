from django.urls import path

from palier.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new_ticket, name="new"),
    path("suggest/", views.suggest, name="suggest"),
    path("solved/<int:article_id>/", views.solved, name="solved"),
    path("tickets/<int:ticket_id>/", views.ticket_page, name="ticket"),
    path("tickets/<str:number>/", views.ticket_by_number, name="ticket_by_number"),
    path("tickets/<int:ticket_id>/reply/", views.reply, name="reply"),
    path("tickets/<int:ticket_id>/rate/", views.rate, name="rate"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("kb/", views.kb_index, name="kb"),
    path("kb/<int:article_id>/", views.kb_article, name="article"),
]
