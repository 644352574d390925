"""REST API v1 (django-ninja): a thin surface over the services and selectors."""
