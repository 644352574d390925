"""/api/v1 reference data (levels, groups, categories, clients), /me and /tokens."""

from django.http import HttpRequest
from ninja import Router, Status

from palier.accounts import services as accounts
from palier.accounts.models import ApiToken, Group, Level
from palier.api.schemas import (
    CategoryOut,
    ClientOut,
    Error,
    GroupOut,
    Id,
    LevelOut,
    MeOut,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from palier.clients.models import Client
from palier.tickets.models import Category
from palier.tickets.selectors import scope_of

router = Router(tags=["reference"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


@router.get("/levels", response={200: list[LevelOut], **ERRORS})
def levels(request: HttpRequest):
    return Level.objects.all()


@router.get("/groups", response={200: list[GroupOut], **ERRORS})
def groups(request: HttpRequest):
    return Group.objects.select_related("level")


@router.get("/categories", response={200: list[CategoryOut], **ERRORS})
def categories(request: HttpRequest):
    return Category.objects.filter(is_active=True).select_related("default_level")


@router.get("/clients", response={200: list[ClientOut], **ERRORS})
def clients(request: HttpRequest):
    """The clients the caller may see: their own, or those their desk serves."""
    return Client.objects.filter(pk__in=scope_of(request.auth).client_ids)


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest):
    user, scope = request.auth, scope_of(request.auth)
    return MeOut(id=user.pk, email=user.email, full_name=user.full_name, role=user.role,
                 client_id=user.client_id, is_client_manager=user.is_client_manager,
                 language=user.language, agent_id=scope.agent_id,
                 groups=sorted(scope.group_ids), clients=sorted(scope.client_ids))


tokens = Router(tags=["tokens"])


@tokens.get("/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: HttpRequest):
    return ApiToken.objects.filter(user=request.auth)


@tokens.post("/tokens", response={201: TokenCreated, **ERRORS})
def create_token(request: HttpRequest, data: TokenIn):
    token, secret = accounts.create_token(request.auth, name=data.name,
                                          expires_days=data.expires_days, actor=request.auth)
    token.token = secret
    return Status(201, token)


@tokens.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS})
def revoke_token(request: HttpRequest, token_id: Id):
    return accounts.revoke_token(request.auth, token_id)
