from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import path

from palier.api.main import api

admin.site.site_header = "Palier · tiered service desk"
admin.site.site_title = "Palier"
admin.site.index_title = "Desk configuration"

urlpatterns = [
    path("", lambda request: HttpResponseRedirect("/admin/")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
