"""Users, roles, levels and groups."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from palier.accounts.models import Group, Level, Role, User


@pytest.mark.parametrize(("role", "requester", "staff", "manager"), [
    (Role.REQUESTER, True, False, False),
    (Role.AGENT, False, True, False),
    (Role.MANAGER, False, True, True),
    (Role.ADMIN, False, True, True),
])
def test_roles(db, role, requester, staff, manager):
    user = User(email="x@example.test", role=role)
    assert (user.is_requester, user.is_desk_staff, user.is_manager) == (requester, staff, manager)


def test_users_sign_in_with_a_lowercased_email(db):
    user = User.objects.create_user("Jane.Doe@Example.TEST", "pw")
    assert user.email == "jane.doe@example.test"
    assert user.check_password("pw")
    assert user.role == Role.REQUESTER
    assert str(user) == "jane.doe@example.test"


def test_an_email_is_required(db):
    with pytest.raises(ValueError):
        User.objects.create_user("", "pw")


def test_emails_are_unique(db):
    User.objects.create_user("a@example.test")
    with pytest.raises(IntegrityError):
        User.objects.create_user("A@example.test")


def test_a_superuser_is_an_administrator(db):
    admin = User.objects.create_superuser("root@desk.test", "pw")
    assert (admin.role, admin.is_staff, admin.is_superuser, admin.is_manager) == (
        Role.ADMIN, True, True, True)


def test_the_migrations_seed_three_levels_in_rank_order(db):
    assert [(lv.code, lv.rank) for lv in Level.objects.all()] == [
        ("L1", 1), ("L2", 2), ("L3", 3)]
    assert str(Level.objects.get(code="L2")) == "L2 · Technical support"


def test_level_ranks_are_unique(db):
    with pytest.raises(IntegrityError):
        Level.objects.create(code="L2b", name="Duplicate", rank=2)


def test_groups_are_ordered_by_level_then_name(desk):
    assert [g.name for g in Group.objects.all()] == [
        "Service Desk", "Application Support", "Network & Systems",
        "Infrastructure Engineering"]


def test_a_level_in_use_cannot_be_deleted(desk):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        desk.levels["L1"].delete()


def test_the_desk_personas(desk):
    for side in (desk.a, desk.b):
        assert side.requester.is_requester and not side.requester.is_client_manager
        assert side.client_manager.is_client_manager
        assert side.manager.is_manager
        for agent in (side.l1, side.l2, side.l3, side.manager):
            assert list(agent.agent.clients.all()) == [side.client]
