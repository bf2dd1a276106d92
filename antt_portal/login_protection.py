"""django-axes under a name the administrators read: its app has no verbose name of its own, so the
admin showed the bare label "Axes"."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = gettext_lazy("Login protection (Axes)")
