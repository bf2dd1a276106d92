"""System checks of the certification app: the reminder recovery settings must be consistent."""

from django.conf import settings
from django.core.checks import Error, register

# A send is a few SMTP round-trips (connect, EHLO, MAIL, RCPT, DATA), each bounded by
# EMAIL_TIMEOUT: a claim must outlast several of them, or a slow send is taken over and doubled.
CLAIM_EXPIRY_PER_EMAIL_TIMEOUT = 3


@register()
def check_recovery_settings(app_configs, **kwargs):
    errors = []
    timeout = settings.EMAIL_TIMEOUT or 0
    if not timeout:
        errors.append(
            Error(
                "EMAIL_TIMEOUT must be set: without it a send can hang past its claim's expiry.",
                id="certification.E001",
            )
        )
    elif CLAIM_EXPIRY_PER_EMAIL_TIMEOUT * timeout > settings.REMINDER_CLAIM_EXPIRY_SECONDS:
        errors.append(
            Error(
                f"REMINDER_CLAIM_EXPIRY_SECONDS ({settings.REMINDER_CLAIM_EXPIRY_SECONDS}) must be "
                f"at least {CLAIM_EXPIRY_PER_EMAIL_TIMEOUT} × EMAIL_TIMEOUT ({timeout}): a slow "
                "send would be taken over by another worker and sent twice.",
                id="certification.E001",
            )
        )
    if settings.OUTBOX_REQUEUE_AFTER_SECONDS < settings.OUTBOX_DRAIN_SECONDS:
        errors.append(
            Error(
                "OUTBOX_REQUEUE_AFTER_SECONDS must be at least OUTBOX_DRAIN_SECONDS: an e-mail "
                "handed by one drain would be handed again by the next before a worker takes it.",
                id="certification.E002",
            )
        )
    return errors
