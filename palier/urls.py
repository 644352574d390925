from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from palier.api.main import api
from palier.console.auth import SignInView, home

handler500 = "palier.ops.unavailable.server_error"  # a lost database is a 503
admin.site.site_header = "Palier · tiered service desk"
admin.site.site_title = "Palier"
admin.site.index_title = "Desk configuration"

urlpatterns = [
    path("", home, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("palier.console.urls")),
    path("portal/", include("palier.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("palier.ops.urls")),
]
