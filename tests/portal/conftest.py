"""The portal's page tests use the console's fixtures."""

from tests.console.conftest import (  # noqa: F401
    _french_catalog,
    _no_semantic_model,
    browse,
    public_article,
)
