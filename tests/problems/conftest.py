"""Problems share the knowledge fixtures (the model off, a fresh index, ``publish``)."""

from tests.api.conftest import api  # noqa: F401
from tests.knowledge.conftest import _fresh_index, model, publish  # noqa: F401
