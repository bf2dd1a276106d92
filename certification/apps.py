from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from certification import checks  # noqa: F401  (registers the system checks)
        from certification.models.counts import follow_unit_level, follow_unit_move
        from units.signals import unit_level_changed, unit_moved

        # The status counters are kept per area (and, for registrations, per level in charge): a
        # unit's move or change of level moves its counts, in the change's transaction (units
        # never imports certification, so it signals the change).
        unit_moved.connect(follow_unit_move, dispatch_uid="certification-status-counts")
        unit_level_changed.connect(follow_unit_level, dispatch_uid="certification-status-levels")
