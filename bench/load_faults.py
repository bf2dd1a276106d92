"""Load and faults: 50 users for 60 s, then PostgreSQL restarted and Redis stopped under load.

    .venv/bin/python bench/load_faults.py            # about 5 minutes; --help for the knobs

One command builds a production-like stack of its own under a temporary folder, so it disturbs
no other database or Redis and may restart them at will:

- a private PostgreSQL cluster (initdb, a free port) and a private Redis (a free port);
- the portal migrated, the demo loaded (`manage.py load_demo`), static files collected;
- gunicorn with deploy/gunicorn.conf.py (2 workers, DEBUG off, a strong SECRET_KEY, persistent
  health-checked database connections as in docs/deployment.md), a Celery worker and beat;
- e-mails to a local SMTP sink (aiosmtpd), counted.

Then locust (headless, bench/load_users.py) runs --users simulated users once (they log in
once: a login costs a PBKDF2 hash) through three phases in a row:

a. load: the main pages and actions for --duration s (the logging-in included). Target: no
   5xx, no connection error.
b. PostgreSQL stopped (fast shutdown: open connections cut) 5 s into the phase, started again
   after --outage s. Targets: while it is down every failure is the clean 503 page (no
   traceback, no connection error); after it is back (+ --grace s) no error at all.
c. Redis stopped 5 s into the phase for --outage s. Targets: no error at all; every e-mail
   queued meanwhile reaches the SMTP sink once Redis is back (the outbox drains).

After the run, the database must be consistent: each dossier's and registration's status is
that of its last audit row, each dossier has one answer per criterion of its set, and no
submitted dossier has a blank answer.

It prints the figures as a table and exits 1 if a target is missed (2 if the stack did not
start). The load run is a script with figures, not a test; docs/security.md quotes its runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "antt2026"
DRAFT_USER = "bench.khom7"
FAULT_AFTER = 5  # seconds into phase b or c before the service is stopped
# What consistency() lists by id; any id listed is a half-written change.
INVARIANTS = (
    "dossier_status_not_last_audit_row",
    "registration_status_not_last_audit_row",
    "dossier_answers_not_one_per_criterion",
    "submitted_dossier_with_blank_answer",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users (50)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of phase a (60)")
    parser.add_argument(
        "--fault-phase", type=int, default=40, help="seconds of phases b and c each (40)"
    )
    parser.add_argument("--outage", type=int, default=12, help="seconds a service is down (12)")
    parser.add_argument(
        "--grace", type=int, default=5, help="seconds after a restart before errors count (5)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--phases", default="abc", help="which phases to run, e.g. 'a' or 'bc' (abc)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--check-consistency", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not set(args.phases) <= set("abc") or not args.phases:
        parser.error("--phases takes letters among a, b, c")
    if args.users < 10:
        parser.error("--users must be at least 10 (7 are fixed: drafts and registration rounds)")
    if FAULT_AFTER + args.outage + args.grace + 10 > args.fault_phase:
        parser.error("--fault-phase must leave 10 s of load after 5 s, --outage and --grace")
    return args


# --- Judging a phase from the request log ----------------------------------------------------


@dataclass
class Window:
    """Requests of one stretch of a phase, and how they ended."""

    label: str
    requests: int = 0
    ok: int = 0  # 1xx–4xx
    clean_503: int = 0
    server_errors: int = 0  # 5xx other than the clean 503 page
    connection_errors: int = 0
    durations: list[float] = field(default_factory=list)
    first: float | None = None
    last: float | None = None

    def add(self, record: dict) -> None:
        self.requests += 1
        status = record["status"]
        if status == 0:
            self.connection_errors += 1
        elif status == 503 and record.get("clean"):
            self.clean_503 += 1
        elif status >= 500:
            self.server_errors += 1
        else:
            self.ok += 1
        self.durations.append(record["ms"])
        self.first = record["t"] if self.first is None else min(self.first, record["t"])
        self.last = record["t"] if self.last is None else max(self.last, record["t"])

    @property
    def errors(self) -> int:
        return self.server_errors + self.connection_errors

    def percentile(self, share: float) -> float:
        if not self.durations:
            return 0.0
        ordered = sorted(self.durations)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def throughput(self) -> float:
        if not self.requests or self.first is None or self.last == self.first:
            return 0.0
        return self.requests / (self.last - self.first)


def split_windows(
    records: list[dict], outage: tuple[float, float] | None, grace: float
) -> dict[str, Window]:
    """'before' (ended before the stop), 'after' (began after the restart + grace) and 'down'
    (everything that overlapped the outage); or 'all' without an outage."""
    if outage is None:
        window = Window("all")
        for record in records:
            window.add(record)
        return {"all": window}
    windows = {name: Window(name) for name in ("before", "down", "after")}
    stopped, started = outage
    for record in records:
        ended = record["t"] + record["ms"] / 1000
        if ended < stopped:
            windows["before"].add(record)
        elif record["t"] > started + grace:
            windows["after"].add(record)
        else:
            windows["down"].add(record)
    return windows


def per_page(records: list[dict]) -> dict[str, Window]:
    pages: dict[str, Window] = {}
    for record in records:
        pages.setdefault(record["name"], Window(record["name"])).add(record)
    return dict(sorted(pages.items()))


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def format_report(phases: dict[str, dict], checks: list[Check]) -> str:
    """The figures as plain-text tables: windows of each phase, then the targets."""
    lines = []
    header = (
        f"{'phase / window':<34}{'requests':>9}{'ok':>8}{'503 clean':>10}{'5xx':>6}"
        f"{'conn err':>9}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>7}"
    )
    lines += [header, "-" * len(header)]
    for phase, data in phases.items():
        for name, window in data["windows"].items():
            lines.append(
                f"{phase + ' / ' + name:<34}{window.requests:>9}{window.ok:>8}"
                f"{window.clean_503:>10}{window.server_errors:>6}{window.connection_errors:>9}"
                f"{window.percentile(0.5):>8.0f}{window.percentile(0.95):>8.0f}"
                f"{window.throughput():>7.1f}"
            )
    for phase, data in phases.items():
        pages = data.get("pages")
        if not pages:
            continue
        lines += ["", f"phase {phase}, per page:", header, "-" * len(header)]
        for name, window in pages.items():
            lines.append(
                f"{name[:33]:<34}{window.requests:>9}{window.ok:>8}{window.clean_503:>10}"
                f"{window.server_errors:>6}{window.connection_errors:>9}"
                f"{window.percentile(0.5):>8.0f}{window.percentile(0.95):>8.0f}{'':>7}"
            )
    lines += ["", "targets:"]
    for check in checks:
        lines.append(f"  [{'PASS' if check.passed else 'FAIL'}] {check.name}: {check.detail}")
    return "\n".join(lines)


def phase_checks(phase: str, windows: dict[str, Window]) -> list[Check]:
    """The targets that read only the request log."""
    if "all" in windows:
        window = windows["all"]
        return [
            Check(
                f"{phase}: no 5xx, no connection error",
                window.errors == 0 and window.clean_503 == 0 and window.requests > 0,
                f"{window.requests} requests, {window.server_errors} 5xx, "
                f"{window.clean_503} 503, {window.connection_errors} connection errors",
            )
        ]
    before, down, after = windows["before"], windows["down"], windows["after"]
    return [
        Check(
            f"{phase}: no error before the fault",
            before.errors == 0 and before.clean_503 == 0 and before.requests > 0,
            f"{before.requests} requests, {before.errors + before.clean_503} errors",
        ),
        Check(
            f"{phase}: while down, failures are the clean 503 page only",
            down.errors == 0,
            f"{down.requests} requests: {down.ok} answered, {down.clean_503} clean 503, "
            f"{down.server_errors} other 5xx, {down.connection_errors} connection errors",
        ),
        Check(
            f"{phase}: recovered by itself (no error after restart + grace)",
            after.errors == 0 and after.clean_503 == 0 and after.ok > 0,
            f"{after.requests} requests, {after.errors + after.clean_503} errors",
        ),
    ]


# --- Inside Django (run as subprocesses with the stack's environment) --------------------------


def _django():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antt_portal.settings")
    import django

    django.setup()


def prepare() -> dict:
    """A representative for the demo's draft dossier (Khóm 7 has none), and the ids the
    simulated users need."""
    _django()
    from certification.demo_data import _ap_code, _khom_code
    from certification.models import Certificate, Registration
    from units.models import Role, Unit, User
    from units.services import grant_role

    khom_7 = Unit.objects.get(code=_khom_code("Khóm 7"))
    user, created = User.objects.get_or_create(
        username=DRAFT_USER,
        defaults={"first_name": "Khóm 7", "last_name": "Bench", "email": "bench.khom7@example.vn"},
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    grant_role(user, Role.UNIT_REPRESENTATIVE, unit=khom_7, by=None)
    # Registrations a unit and its reviewer pass back and forth (submit, return, submit…): each
    # step writes an audit row and notifies the other side (an e-mail in the outbox).
    rounds = []
    for unit_code, unit_user, reviewer in (
        (_ap_code("Ấp Phú Hòa"), "kdc.canglong.phuhoa", "ca.canglong"),
        (_khom_code("Khóm 3"), "kdc.travinh.khom3", "ca.travinh"),
        ("XA-29341", "xa.tieucan", "ca.tinh"),  # a commune unit: appraised by the province
    ):
        unit = Unit.objects.get(code=unit_code)
        registration = Registration.objects.filter(unit=unit).order_by("-cycle__year").first()
        rounds.append(
            {
                "unit_user": unit_user,
                "reviewer": reviewer,
                "unit": unit.pk,
                "registration": registration.pk,
            }
        )
    return {
        "draft_user": DRAFT_USER,
        "draft_unit": khom_7.pk,
        "rounds": rounds,
        "tokens": list(Certificate.objects.values_list("token", flat=True)[:20]),
    }


def consistency() -> dict:
    """What a half-written change would break, and the outbox's state."""
    _django()
    from django.db.models import Count, F, Q

    from certification.models import (
        Assessment,
        AssessmentStatus,
        MailStatus,
        OutgoingMail,
        Registration,
        RegistrationStatus,
    )
    from certification.services.assessment import criteria_for

    # The status is the last status *change*: events that change nothing (a draft saved, a file
    # added) are not steps (the demo even records some after its backdated submissions).
    dossiers_off, answers_missing, answers_blank = [], [], []
    for dossier in Assessment.objects.select_related("cycle", "unit").annotate(
        answer_count=Count("answers"),
        blank_count=Count("answers", filter=Q(answers__answer="")),
    ):
        last = (
            dossier.transitions.exclude(from_status=F("to_status")).order_by("-at", "-pk").first()
        )
        expected = last.to_status if last else AssessmentStatus.DRAFT
        if dossier.status != expected:
            dossiers_off.append(dossier.pk)
        if dossier.answer_count != criteria_for(dossier.cycle, dossier.unit).count():
            answers_missing.append(dossier.pk)
        if dossier.status != AssessmentStatus.DRAFT and dossier.blank_count:
            answers_blank.append(dossier.pk)
    registrations_off = []
    for registration in Registration.objects.all():
        last = (
            registration.events.exclude(from_status=F("to_status")).order_by("-at", "-pk").first()
        )
        expected = last.to_status if last else RegistrationStatus.DRAFT
        if registration.status != expected:
            registrations_off.append(registration.pk)
    mails = dict(
        OutgoingMail.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "dossiers": Assessment.objects.count(),
        "registrations": Registration.objects.count(),
        "dossier_status_not_last_audit_row": dossiers_off,
        "registration_status_not_last_audit_row": registrations_off,
        "dossier_answers_not_one_per_criterion": answers_missing,
        "submitted_dossier_with_blank_answer": answers_blank,
        "mails": {status: mails.get(status, 0) for status in MailStatus.values},
        "mails_total": sum(mails.values()),
        "registration_events": sum(r.events.count() for r in Registration.objects.all()),
        "mails_created_at": [
            at.timestamp() for at in OutgoingMail.objects.values_list("created_at", flat=True)
        ],
    }


# --- The stack --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s: {what}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrivatePostgres:
    """A cluster of the script's own (initdb under the temporary folder, a free port)."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.port = free_port()

    def _run(self, *arguments: str) -> None:
        command = [str(PG_BIN / arguments[0]), *arguments[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> PrivatePostgres:
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self.start()

    def start(self) -> PrivatePostgres:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        # "fast": open sessions are cut at once, as when the server is restarted for real.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/antt"


class PrivateRedis:
    """A Redis of one's own on a free port, which may be stopped and started again on the same
    port (also the worker tests' private Redis, tests/reminders/processes.py)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: _answers(self.port), timeout=10, what="private redis-server")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Stack:
    """PostgreSQL, Redis, SMTP sink, gunicorn, Celery worker and beat under one folder."""

    def __init__(self, root: Path, workers: int):
        self.root = root
        self.workers = workers
        self.postgres = PrivatePostgres(root)
        self.redis = PrivateRedis()
        self.web_port = free_port()
        self.processes: list[subprocess.Popen] = []
        self.sink = None
        self.env: dict[str, str] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def manage(self, *arguments: str, timeout: int = 600) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(arguments)}:\n{result.stderr[-3000:]}")
        return result.stdout

    def inside(self, flag: str) -> dict:
        result = subprocess.run(
            [sys.executable, __file__, flag],
            cwd=BASE_DIR,
            env={**self.env, "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"{flag}:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, say) -> dict:
        sys.path.insert(0, str(BASE_DIR))
        from tests.reminders.smtp_sink import SmtpSink  # aiosmtpd, no Django

        say("private PostgreSQL (initdb)")
        self.postgres.init()
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.postgres.port),
                "-U",
                "postgres",
                "antt",
            ],
            check=True,
        )
        say("private Redis, SMTP sink")
        self.redis.start()
        self.sink = SmtpSink().__enter__()
        var = self.root / "var"
        var.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SITE_URL": self.base_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.postgres.url,
            "CELERY_BROKER_URL": self.redis.url,
            "EMAIL_URL": self.sink.url,
            "VAR_DIR": str(var),
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": str(self.workers),
            "LOG_LEVEL": "WARNING",
        }
        say("migrate, load_demo; collectstatic beside them")
        # DEBUG off serves hashed static names from the manifest; the admin's files only cost time.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "-i", "admin"],
            cwd=BASE_DIR,
            env=self.env,
        )
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo", "--password", PASSWORD)
        if collect.wait(timeout=600):
            raise RuntimeError("collectstatic failed")
        targets = self.inside("--prepare")
        say("gunicorn, Celery worker and beat")
        celery = [sys.executable, "-m", "celery", "-A", "antt_portal"]
        self._spawn(
            "gunicorn",
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "antt_portal.wsgi",
                "--config",
                "deploy/gunicorn.conf.py",
            ],
        )
        self._spawn("worker", [*celery, "worker", "--concurrency=1", "--loglevel=INFO"])
        self._spawn("beat", [*celery, "beat", "-s", str(self.root / "beat-schedule")])
        wait_until(self.healthy, timeout=90, what="/health/ answering 200")
        return targets

    def _spawn(self, name: str, command: list[str]) -> None:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=log)
        )

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/health/", timeout=10) as response:
                return response.status == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.postgres.stop()
        if self.sink is not None:
            self.sink.__exit__(None, None, None)


# --- Phases ------------------------------------------------------------------------------------


def run_locust(stack: Stack, targets: dict, *, users: int, seconds: int, log: Path, schedule):
    """Locust headless for `seconds`, with `schedule(t0)` (the faults) run meanwhile.

    One run for all phases: the users log in once (a login costs a PBKDF2 hash, ~0.5 s of CPU
    each), so the faults strike a steady load, not the logging-in."""
    locust = Path(sys.executable).with_name("locust")
    command = [str(locust), "-f", str(BASE_DIR / "bench" / "load_users.py"), "--headless"]
    command += ["--host", stack.base_url, "-u", str(users), "-r", str(max(5, users // 5))]
    # A few seconds more than the plan: the phases count from the first request, once locust
    # has started; what comes after the last phase is not judged.
    command += ["-t", f"{seconds + 15}s", "--only-summary", "--stop-timeout", "10"]
    env = {
        **stack.env,
        "LOAD_LOG": str(log),
        "LOAD_TARGETS": json.dumps(targets),
        "LOAD_PASSWORD": PASSWORD,
    }
    with open(log.with_suffix(".out"), "w") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=out)
        wait_until(
            lambda: (log.exists() and log.stat().st_size > 0) or process.poll() is not None,
            timeout=60,
            what="locust's first request",
            interval=0.1,
        )
        times = schedule(time.time())
        process.wait(timeout=seconds + 120)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return records, times


def plan(args: argparse.Namespace) -> dict[str, tuple[int, int]]:
    """Each chosen phase's (start, end) in seconds from the start of the run."""
    spans, start = {}, 0
    for phase in args.phases:
        length = args.duration if phase == "a" else args.fault_phase
        spans[phase] = (start, start + length)
        start += length
    return spans


def fault_schedule(stack: Stack, spans: dict, outage: int, say):
    """Stops PostgreSQL in phase b and Redis in phase c, FAULT_AFTER s in, for `outage` s;
    returns the epoch times of each phase and outage."""

    def run(t0: float) -> dict:
        def until(offset: float) -> None:
            time.sleep(max(0.0, t0 + offset - time.time()))

        times = {phase: (t0 + start, t0 + end) for phase, (start, end) in spans.items()}
        for phase, service in (("b", stack.postgres), ("c", stack.redis)):
            if phase not in spans:
                continue
            until(spans[phase][0])
            if phase == "c":
                times["sink_before_c"] = stack.sink.count()
            until(spans[phase][0] + FAULT_AFTER)
            say(f"phase {phase}: {'PostgreSQL' if phase == 'b' else 'Redis'} stopped")
            stopped = time.time()
            service.stop()
            until(spans[phase][0] + FAULT_AFTER + outage)
            service.start()
            times[f"outage_{phase}"] = (stopped, time.time())
            say(f"phase {phase}: started again")
        return times

    return run


def by_phase(records: list[dict], times: dict, grace: float) -> dict[str, list[dict]]:
    """Each request in the phase it began in, except that one still running when a service
    stopped (or begun before its restart + grace) belongs to that outage's phase."""
    phases: dict[str, list[dict]] = {phase: [] for phase in "abc" if phase in times}
    outages = {
        phase: (times[f"outage_{phase}"][0], times[f"outage_{phase}"][1] + grace)
        for phase in "bc"
        if f"outage_{phase}" in times
    }
    for record in records:
        ended = record["t"] + record["ms"] / 1000
        phase = next(
            (p for p, (stop, back) in outages.items() if ended >= stop and record["t"] <= back),
            None,
        )
        if phase is None:
            phase = next((p for p in phases if times[p][0] <= record["t"] < times[p][1]), None)
        if phase is not None:
            phases[phase].append(record)
    return phases


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.prepare or args.check_consistency:
        print(json.dumps(prepare() if args.prepare else consistency()))
        return 0
    if not Path(sys.executable).with_name("locust").exists():
        print("locust is not installed: pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="antt-load-"))
    began = time.time()

    def say(message: str) -> None:
        print(f"[{time.time() - began:5.0f} s] {message}", flush=True)

    stack = Stack(root, args.workers)
    phases: dict[str, dict] = {}
    checks: list[Check] = []
    spans = plan(args)
    try:
        try:
            targets = stack.start(say)
        except Exception as error:
            print(f"the stack did not start: {error}", file=sys.stderr)
            return 2
        before = stack.inside("--check-consistency")
        total = max(end for _start, end in spans.values())
        say(
            f"locust: {args.users} users for {total} s — "
            + ", ".join(f"{p} {s}–{e} s" for p, (s, e) in spans.items())
        )
        records, times = run_locust(
            stack,
            targets,
            users=args.users,
            seconds=total,
            log=root / "requests.jsonl",
            schedule=fault_schedule(stack, spans, args.outage, say),
        )
        phased = by_phase(records, times, args.grace)
        if "a" in spans:
            chosen = phased["a"]
            windows = split_windows(chosen, None, args.grace)
            phases["a load"] = {"windows": windows, "pages": per_page(chosen)}
            checks += phase_checks("a load", windows)
        if "b" in spans:
            windows = split_windows(phased["b"], times["outage_b"], args.grace)
            phases["b postgres restart"] = {"windows": windows}
            checks += phase_checks("b postgres", windows)
        if "c" in spans:
            chosen = phased["c"]
            windows = split_windows(chosen, times["outage_c"], args.grace)
            phases["c redis stop"] = {"windows": windows}
            everything = split_windows(chosen, None, args.grace)["all"]
            checks.append(
                Check(
                    "c redis: pages kept working (no error at all)",
                    everything.errors == 0 and everything.clean_503 == 0 and everything.ok > 0,
                    f"{everything.requests} requests, {everything.server_errors} 5xx, "
                    f"{everything.clean_503} 503, {everything.connection_errors} connection errors",
                )
            )
            say("waiting for the outbox to drain")
            deadline = time.time() + 120
            while True:
                state = stack.inside("--check-consistency")
                waiting = state["mails"]["pending"] + state["mails"]["sending"]
                if not waiting or time.time() > deadline:
                    break
                time.sleep(5)
            start, end = times["c"]
            queued = sum(start <= at < end for at in state["mails_created_at"])
            while_down = sum(
                times["outage_c"][0] <= at <= times["outage_c"][1]
                for at in state["mails_created_at"]
            )
            received = stack.sink.count() - times["sink_before_c"]
            checks.append(
                Check(
                    "c redis: notifications arrive after Redis is back",
                    while_down > 0 and received >= queued and not waiting,
                    f"{queued} e-mails queued during the phase ({while_down} while Redis was "
                    f"down), {received} received by the SMTP sink since, {waiting} still "
                    f"waiting, {state['mails']['failed']} failed overall",
                )
            )
        after = stack.inside("--check-consistency")
        broken = {key: after[key] for key in INVARIANTS if after[key]}
        checks.append(
            Check(
                "database consistent after the run (no half-written dossier or registration)",
                not broken,
                f"{after['dossiers']} dossiers, {after['registrations']} registrations, "
                f"{after['registration_events'] - before['registration_events']} registration "
                f"events and {after['mails_total'] - before['mails_total']} e-mails written "
                f"during the run; inconsistent: {broken or 'none'}",
            )
        )
    finally:
        say("stopping the stack")
        stack.stop()
        if args.keep:
            print(f"logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    report = format_report(phases, checks)
    print()
    print(report)
    if args.json:
        args.json.write_text(json.dumps(figures(phases, checks), indent=2))
    return 0 if checks and all(check.passed for check in checks) else 1


def figures(phases: dict[str, dict], checks: list[Check]) -> dict:
    return {
        "checks": [check.__dict__ for check in checks],
        "phases": {
            phase: {
                name: {
                    "requests": w.requests,
                    "ok": w.ok,
                    "clean_503": w.clean_503,
                    "server_errors": w.server_errors,
                    "connection_errors": w.connection_errors,
                    "p50_ms": w.percentile(0.5),
                    "p95_ms": w.percentile(0.95),
                    "per_s": round(w.throughput(), 1),
                }
                for name, w in data["windows"].items()
            }
            for phase, data in phases.items()
        },
    }


if __name__ == "__main__":
    sys.exit(main())
