import random

import pytest
from django.contrib.auth import authenticate

from palier.accounts.models import Agent, Group, Role, User
from palier.clients.models import Client
from palier.demo import catalog, texts_en, texts_fr, vocabulary
from palier.demo.directory import build_directory
from palier.demo.phrases import PUBLIC
from palier.tickets.models import Category, IntakeRule
from palier.tickets.services.directory import required_handoff_fields

pytestmark = pytest.mark.django_db


def test_fixed_logins_authenticate_with_demo(demo_directory):
    for email, role, _who in catalog.logins():
        user = authenticate(email=email, password="demo")
        assert user is not None, email
        assert user.role == role
    admin = User.objects.get(email="admin@demo.palier.test")
    assert admin.is_superuser and admin.is_staff and admin.agent.clients.count() == 3


def test_fixed_agents_sit_in_their_groups(demo_directory):
    def groups(login: str) -> set[str]:
        agent = Agent.objects.get(user__email=f"{login}@demo.palier.test")
        return set(agent.groups.values_list("name", flat=True))

    assert groups("l1") == {"Service Desk"}
    assert groups("l2") == {"Network & Systems"}
    assert groups("l3") == {"Infrastructure Engineering"}
    assert groups("manager") == set(Group.objects.values_list("name", flat=True))
    assert not Agent.objects.exclude(clients__isnull=False).exists()


def test_three_clients_one_french(demo_directory):
    assert Client.objects.count() == 3
    french = Client.objects.get(language="fr")
    assert User.objects.get(email="requester2@demo.palier.test").client == french
    assert set(french.people.values_list("language", flat=True)) == {"fr"}
    assert Client.objects.filter(contracts__included_levels__code="L3").distinct().count() == 2


def test_agents_cost_more_at_higher_levels(demo_directory):
    cost = {code: [float(a.hourly_cost) for a in Agent.objects.filter(
        user__role=Role.AGENT, groups__level__code=code)] for code in ("L1", "L2", "L3")}
    assert max(cost["L1"]) < min(cost["L2"]) and max(cost["L2"]) < min(cost["L3"])


def test_category_tree_has_about_sixty_categories(demo_directory):
    assert 55 <= Category.objects.count() <= 70
    assert Category.objects.filter(parent=None).count() == 10
    vpn = Category.objects.get(path="Network > VPN")
    assert required_handoff_fields(vpn) == ["affected_host", "error_message"]
    assert set(vpn.groups.values_list("level__code", flat=True)) == {"L2", "L3"}
    assert IntakeRule.objects.filter(priority="P1", start_level__code="L2").exists()
    assert IntakeRule.objects.filter(skip_allowed=True, categories__isnull=False).exists()


def test_build_directory_is_idempotent(demo_directory):
    users, categories = User.objects.count(), Category.objects.count()
    again = build_directory()
    assert User.objects.count() == users and Category.objects.count() == categories
    assert [c.pk for c in again.clients] == [c.pk for c in demo_directory.desk.clients]


def test_every_template_fills_in_both_languages():
    leaves = {leaf.key for leaf in catalog.LEAVES}
    assert set(texts_en.TEXTS) == leaves == set(texts_fr.TEXTS)
    rng = random.Random(1)
    for client in catalog.CLIENTS:
        for leaf in catalog.LEAVES:
            values = vocabulary.fill(rng, client.code, leaf.area, ("A B", "C D"))
            values.update(username="a.b", first="A", group="G", vendor="V", reference="R")
            for texts in (texts_en.TEXTS[leaf.key], texts_fr.TEXTS[leaf.key]):
                for template in (t for part in texts for t in part):
                    assert template.format_map(values)
            assert all(vocabulary.FIELD_SOURCES[name] in values for name in leaf.fields)
        for options in PUBLIC[client.language].values():
            assert all(option.format_map(values) for option in options)
