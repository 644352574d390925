"""Portal pages: open with suggestions, deflect, follow and reply, rate, the public KB."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.test import override_settings

from palier.knowledge.models import ArticleUse, UseKind
from palier.tickets import services
from palier.tickets.models import Satisfaction, Ticket


def test_requester_opens_a_ticket_with_an_attachment(desk, browse):
    http = browse(desk.a.requester)
    response = http.post("/portal/new/", {
        "title": "VPN drops", "description": "Every ten minutes.",
        "category": desk.categories["vpn"].pk,
        "attachments": SimpleUploadedFile("log.txt", b"IKE timeout", content_type="text/plain")})
    ticket = Ticket.objects.get(title="VPN drops")
    assert response["Location"] == f"/portal/tickets/{ticket.pk}/"
    assert ticket.requester == desk.a.requester and ticket.category == desk.categories["vpn"]
    page = http.get(response["Location"]).content.decode()
    assert "log.txt" in page and ticket.number in page


def test_form_errors_keep_the_requester_on_the_form(desk, browse):
    response = browse(desk.a.requester).post("/portal/new/", {"title": "", "description": ""})
    assert response.status_code == 200 and not Ticket.objects.exists()


def test_suggestions_appear_while_typing(desk, browse, public_article):
    page = browse(desk.a.requester).get("/portal/suggest/",
                                         {"title": "vpn disconnecting"}).content.decode()
    assert "VPN keeps disconnecting" in page and "This solved my problem" in page


def test_this_solved_my_problem_counts_and_opens_no_ticket(desk, browse, public_article):
    response = browse(desk.a.requester).post(f"/portal/solved/{public_article.pk}/",
                                             {"typed": "vpn drops"})
    assert response.status_code == 200 and "no ticket was opened" in response.content.decode()
    assert not Ticket.objects.exists()
    assert ArticleUse.objects.filter(article=public_article, kind=UseKind.DEFLECTED).count() == 1


def test_requester_follows_and_replies(desk, browse):
    ticket = desk.open(desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Secret note", internal=True)
    http = browse(desk.a.requester)
    http.post(f"/portal/tickets/{ticket.pk}/reply/", {"body": "Still broken."})
    page = http.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "Still broken." in page and "Secret note" not in page


def test_requester_rates_a_resolved_ticket_once(desk, browse):
    ticket = desk.open(desk.a)
    services.take(desk.a.l1, ticket.pk)
    services.resolve(desk.a.l1, ticket.pk, resolution="Reset.")
    http = browse(desk.a.requester)
    assert "How did we do?" in http.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    http.post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "4", "comment": "Good"})
    assert Satisfaction.objects.get(ticket=ticket).score == 4
    page = http.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "You rated this resolution 4/5." in page and "How did we do?" not in page


def test_a_rating_out_of_range_is_refused(desk, browse):
    ticket = desk.open(desk.a)
    services.take(desk.a.l1, ticket.pk)
    services.resolve(desk.a.l1, ticket.pk, resolution="Reset.")
    browse(desk.a.requester).post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "9"})
    assert not Satisfaction.objects.exists()


def test_public_kb_lists_and_searches_published_articles(desk, browse, public_article):
    http = browse(desk.a.requester)
    assert "VPN keeps disconnecting" in http.get("/portal/kb/").content.decode()
    assert "VPN keeps disconnecting" in http.get("/portal/kb/?q=vpn").content.decode()
    assert "renew the certificate" in http.get(
        f"/portal/kb/{public_article.pk}/").content.decode()


def test_portal_list_and_ticket_query_counts_are_pinned(desk, browse,
                                                         django_assert_num_queries):
    tickets = [desk.open(desk.a, title=f"VPN {n}") for n in range(4)]
    http = browse(desk.a.requester)
    http.get("/portal/")
    with django_assert_num_queries(3):
        assert http.get("/portal/").status_code == 200
    with django_assert_num_queries(8):
        assert http.get(f"/portal/tickets/{tickets[0].pk}/").status_code == 200


def test_french_is_chosen_from_the_browser(desk, browse):
    http = browse(desk.a.requester)
    page = http.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert 'lang="fr"' in page and "Mes tickets" in page


def test_language_switcher_sets_the_language(desk, browse):
    http = browse(desk.a.requester)
    http.post("/i18n/setlang/", {"language": "fr", "next": "/portal/"})
    assert "Mes tickets" in http.get("/portal/").content.decode()


@override_settings(PALIER_LOGIN_ATTEMPTS=3)
def test_sign_in_is_throttled_after_repeated_failures(desk):
    http = HttpClient()
    email = desk.a.requester.email
    for _ in range(3):
        http.post("/login/", {"username": email, "password": "wrong"})
    response = http.post("/login/", {"username": email, "password": "secret"})
    assert response.status_code == 200 and "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in http.session


def test_sign_in_with_email_and_password(desk):
    http = HttpClient()
    response = http.post("/login/", {"username": desk.a.requester.email, "password": "secret"})
    assert response.status_code == 302 and http.session["_auth_user_id"]


@override_settings(SESSION_COOKIE_SECURE=True)
def test_session_cookie_is_secure_when_configured(desk):
    http = HttpClient()
    response = http.post("/login/", {"username": desk.a.requester.email, "password": "secret"},
                         secure=True)
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_mail_links_by_number_lead_to_the_ticket(desk, browse):
    ticket = desk.open(desk.a)
    response = browse(desk.a.requester).get(f"/portal/tickets/{ticket.number}/")
    assert response["Location"] == f"/portal/tickets/{ticket.pk}/"
