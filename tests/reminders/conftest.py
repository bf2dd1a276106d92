"""Reminders over the shared world (tests/world.py) and a 2026 cycle for Vĩnh Long.

The deadlines that matter (Circular 124 defaults): registration closes 31/03/2026 for every unit
type; residential areas' dossiers are due 05/11, reviewed by 15/11, decided by 30/11.
"""

import uuid
from types import SimpleNamespace

import pytest
import redis

from antt_portal.celery import app
from certification.models import (
    Assessment,
    AssessmentStatus,
    Audience,
    CycleStep,
    Registration,
    RegistrationStatus,
    ReminderRule,
)
from certification.services.cycles import create_cycle
from tests.factories import UnitFactory, UserFactory, published_criteria_set
from tests.reminders.processes import CeleryProcess
from units.models import EnterpriseSize, ManagingLevel, Role, UnitType
from units.services import grant_role


@pytest.fixture
def cycle(world):
    return create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )


@pytest.fixture
def rules(db):
    """The rules under test, made here; the defaults loaded by migration 0005 are set aside."""
    ReminderRule.objects.all().delete()

    def make(step=CycleStep.REGISTRATION, audience=Audience.UNIT_REPRESENTATIVE, **values):
        return ReminderRule.objects.create(
            name=f"{step} → {audience}", step=step, audience=audience, **values
        )

    return SimpleNamespace(make=make)


@pytest.fixture
def reps(world):
    """A representative for each Vĩnh Long unit (the world only has one for Khóm 1)."""
    people = SimpleNamespace(
        khom=world.users.rep_khom,
        ap_2=UserFactory(username="kdc.phuhoa"),
        agency=UserFactory(username="cq.sotuphap"),
        enterprise=UserFactory(username="dn.cuulong"),
    )
    grant_role(people.ap_2, Role.UNIT_REPRESENTATIVE, unit=world.ap_2, by=None)
    grant_role(people.agency, Role.UNIT_REPRESENTATIVE, unit=world.agency, by=None)
    grant_role(people.enterprise, Role.UNIT_REPRESENTATIVE, unit=world.enterprise, by=None)
    return people


def register(cycle, unit, status=RegistrationStatus.SUBMITTED) -> Registration:
    return Registration.objects.create(cycle=cycle, unit=unit, area=unit.area, status=status)


def dossier(cycle, unit, status=AssessmentStatus.SUBMITTED, awaiting_level="") -> Assessment:
    registration = register(cycle, unit, RegistrationStatus.ACKNOWLEDGED)
    return Assessment.objects.create(
        registration=registration,
        cycle=cycle,
        unit=unit,
        area=unit.area,
        status=status,
        awaiting_level=awaiting_level,
    )


@pytest.fixture
def helpers():
    return SimpleNamespace(register=register, dossier=dossier)


@pytest.fixture
def second_khom(world):
    """Another residential area in Phường Trà Vinh, so a reviewer has two items."""
    return UnitFactory(code="KDC-004", name="Khóm 4", area=world.phuong_1)


@pytest.fixture
def medium_enterprise(world):
    return UnitFactory(
        code="DN-002",
        name="Công ty CP Dệt Trà Vinh",
        unit_type=UnitType.ENTERPRISE,
        residential_subtype="",
        enterprise_size=EnterpriseSize.MEDIUM,
        area=world.phuong_1,
        managing_level=ManagingLevel.COMMUNE,
    )


@pytest.fixture
def smtp_settings(settings):
    """Points Django's SMTP backend at a local sink: call with the sink once it runs."""

    def use(sink):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10

    return use


@pytest.fixture
def eager_celery(settings):
    """Tasks run in the test process (for the wiring tests; the worker tests use a real worker)."""
    from antt_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


# --- Real worker processes (test_workers.py, test_recovery.py) ------------------------------------


@pytest.fixture
def queue():
    name = f"test-reminders-{uuid.uuid4().hex[:10]}"
    yield name
    # Leave the shared Redis as it was: the queue, its exchange and kombu's bindings.
    client = redis.Redis.from_url(app.conf.broker_url)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)


@pytest.fixture
def processes(transactional_db, tmp_path, queue):
    """Starts Celery processes for the test and stops them all before the database is flushed."""
    started: list[CeleryProcess] = []

    def start(env, *, kind="worker", wait_ready=True):
        process = CeleryProcess(tmp_path, queue=queue, env=env, kind=kind)
        started.append(process.start(wait_ready=wait_ready))
        return process

    yield start
    for process in started:
        process.stop()
    for process in started:
        print(f"--- {process.name} ---\n{process.log()}")


@pytest.fixture
def units_with_representatives(world, cycle, rules):
    """`make(n)`: n residential areas without a registration, each with a representative."""

    def make(count):
        rules.make()
        emails = []
        for n in range(count):
            unit = UnitFactory(code=f"KDC-W{n:03d}", name=f"Khóm {n + 10}", area=world.phuong_1)
            user = UserFactory(username=f"kdc.w{n:03d}")
            grant_role(user, Role.UNIT_REPRESENTATIVE, unit=unit, by=None)
            emails.append(user.email)
        # The world's own Khóm 1 has a representative too.
        return sorted([*emails, world.users.rep_khom.email])

    return make
