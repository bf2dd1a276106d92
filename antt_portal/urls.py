from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

from antt_portal.health import health
from certification.views import home as certification_views
from certification.views import public as public_views
from units import views as unit_views

# The public register and certificate verification: no login (the views say so themselves).
public_patterns = (
    [
        path("", public_views.RegisterView.as_view(), name="register"),
        path("xac-minh/<slug:token>/", public_views.verify, name="verify"),
    ],
    "public",
)

# The admin speaks of the portal, not of Django ("Trang quản trị cho Django").
admin.site.site_header = gettext_lazy("ANTT portal administration")
admin.site.site_title = gettext_lazy("ANTT portal administration")
admin.site.index_title = gettext_lazy("Areas, units, users, criteria and cycles")

# A database that cannot be reached answers 503 "try again shortly", not "server error".
handler500 = "antt_portal.errors.server_error"

urlpatterns = [
    path("", certification_views.HomeView.as_view(), name="home"),
    path("units/", include("units.urls")),
    path("certification/", include("certification.urls")),
    path("cong-khai/", include(public_patterns)),
    # The reset link is built from SITE_URL (a forged Host header must not choose it).
    path(
        "accounts/password_reset/",
        unit_views.SiteUrlPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Switching language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # For the proxy, systemd and monitoring: database, broker and worker (docs/deployment.md).
    path("health/", health, name="health"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
