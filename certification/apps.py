from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from certification import checks  # noqa: F401  (registers the system checks)
        from certification.models.counts import follow_unit_move
        from units.signals import unit_moved

        # The status counters are kept per area: a unit's move moves its counts, in the move's
        # transaction (units never imports certification, so it signals the move).
        unit_moved.connect(follow_unit_move, dispatch_uid="certification-status-counts")
