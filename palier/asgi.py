"""ASGI entry point (``palier serve --prod --worker-class uvicorn``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
application = get_asgi_application()
