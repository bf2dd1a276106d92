"""Every main page, per role, served by gunicorn (2 workers, DEBUG off) on the national data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antt_national .venv/bin/python bench/pages.py

Fill the database first with bench/generate_national.py (its users are the roles below). The
command migrates the database, starts gunicorn on 127.0.0.1:--port with DEBUG off, and prints
per page and role:

- queries per request (counted in-process with the Django test client on the same database),
  and with --demo-database URL the same pages' queries on a small database (the generator's
  --scale 0.01): a page whose count differs grows with the data ("MISS queries");
- p50 / p95 latency at 1 and at 8 concurrent clients (HTTP to gunicorn, --requests per client;
  the 8 clients go on for at least --min-seconds, so the login page's hundreds of requests per
  second are not timed over a few milliseconds);
- throughput at 8 clients as a share of the login page's on the same server;
- for the heaviest aggregate (the dossier queue's counters): their time through the view's
  code, and the page's time, each as a ratio to the same SQL run raw.

Targets (issue 10): p95 <= 200 ms at 8 clients, throughput >= 30% of login, counters <= 2x raw
SQL. A missed target is marked with "MISS" and by how much. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

P95_TARGET_MS = 200
THROUGHPUT_TARGET = 0.30
COUNTERS_TARGET = 2.0


def _environment() -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-pages-not-a-secret-" + "x" * 40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
    )
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/pages.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return env


def _pages(this_year: int) -> list[tuple[str, str | None, str]]:
    """(label, username or None for anonymous, path)."""
    from django.db.models import Count

    from certification.models import Assessment, Certificate, Decision
    from units.models import Area

    province = Area.objects.get(code="P01")
    commune = Area.objects.filter(depth=2, path__startswith=province.path).order_by("path")[0]
    # A commune's dossier under review, as the provincial reviewer opens it (the heaviest page:
    # the commune's panel of its units); a small database may have none: then any under review.
    under_review = Assessment.objects.filter(
        unit__area__path__startswith=province.path,
        cycle__year=this_year,
        status__in=["submitted", "appraised"],
    ).order_by("pk")
    dossier = under_review.filter(unit__unit_type="commune").first() or under_review.first()
    token = Certificate.objects.filter(annulment__isnull=True).order_by("-pk")[0].token
    # The province's largest decision (hundreds of units at national scale).
    decision = (
        Decision.objects.filter(issuing_area=province)
        .annotate(units=Count("entries"))
        .order_by("-units", "pk")
        .first()
    )
    y = this_year
    return [
        ("login page (reference)", None, "/accounts/login/"),
        ("home", "admin", "/"),
        ("home", "ca.p01", "/"),
        ("home", "ca.x00001", "/"),
        ("home", "ubnd.p01", "/"),
        ("home", "qs.p01", "/"),
        ("home", "dv.u0000001", "/"),
        ("dossier queue, default", "admin", "/certification/dossiers/"),
        ("dossier queue, overdue", "admin", f"/certification/dossiers/?overdue=on&year={y}"),
        ("dossier queue, search", "admin", f"/certification/dossiers/?q=T%E1%BB%95&year={y}"),
        ("dossier queue, sort by unit", "admin", f"/certification/dossiers/?sort=unit&year={y}"),
        ("dossier queue, deep page", "admin", f"/certification/dossiers/?year={y}&page=150"),
        ("dossier queue, default", "ca.p01", "/certification/dossiers/"),
        ("dossier queue, overdue", "ca.p01", "/certification/dossiers/?overdue=on"),
        ("dossier queue, default", "ca.x00001", "/certification/dossiers/"),
        ("a dossier", "ca.p01", f"/certification/dossiers/{dossier.pk}/"),
        ("registrations, default", "admin", "/certification/registrations/"),
        ("registrations, search", "admin", f"/certification/registrations/?q=%E1%BA%A5p&year={y}"),
        ("registrations, deep page", "admin", f"/certification/registrations/?year={y}&page=150"),
        ("registrations, default", "ca.x00001", "/certification/registrations/"),
        ("units list", "admin", "/units/"),
        ("units list, search", "admin", "/units/?q=tan+hoa"),
        ("units list", "ca.p01", "/units/"),
        ("decisions", "ubnd.p01", "/certification/decisions/"),
        ("a decision, largest", "ubnd.p01", f"/certification/decisions/{decision.pk}/"),
        ("notifications", "dv.u0000001", "/certification/notifications/"),
        ("public register, all", None, "/cong-khai/"),
        ("public register, province", None, f"/cong-khai/?province={province.pk}"),
        (
            "public register, commune",
            None,
            f"/cong-khai/?province={province.pk}&commune={commune.pk}",
        ),
        ("public register, search", None, "/cong-khai/?q=T%E1%BB%95+d%C3%A2n"),
        ("public register, deep page", None, "/cong-khai/?page=150"),
        ("certificate verification", None, f"/cong-khai/xac-minh/{token}/"),
        ("admin units, search", "admin", "/admin/units/unit/?q=ap+phu"),
        ("admin units, filter", "admin", "/admin/units/unit/?unit_type__exact=school"),
        (
            "admin registrations, year",
            "admin",
            f"/admin/certification/registration/?cycle__year={y}",
        ),
        ("admin dossiers, status", "admin", "/admin/certification/assessment/?status=submitted"),
        ("admin dossiers, search", "admin", "/admin/certification/assessment/?q=U0000101"),
    ]


def _sessions(usernames) -> dict[str, str]:
    """A session cookie per user, made in-process (same database and SECRET_KEY as gunicorn)."""
    from django.test import Client

    from units.models import User

    cookies = {}
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    return cookies


def _query_count(path: str, username: str | None) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from units.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    client.get(path)  # warm the caches every worker has too (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def _queries_by_page(pages) -> dict[str, int]:
    """Query counts of the pages that exist at this scale (a deep page may not: no count)."""
    counts = {}
    for label, username, path in pages:
        status, queries = _query_count(path, username)
        if status == 200:
            counts[f"{label}|{username}"] = queries
    return counts


def _demo_queries(url: str, only: str) -> dict[str, int]:
    """The pages' query counts on another (small) database, counted by a child process."""
    command = [sys.executable, str(Path(__file__).resolve()), "--queries-only", "--only", only]
    env = dict(os.environ, DATABASE_URL=url)
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _load(port: int, path: str, cookie: str | None, clients: int, per_client: int,
          min_seconds: float = 0.0):  # fmt: skip
    """Latencies (ms) of clients × per_client GETs (each client goes on until min_seconds have
    passed, so a cheap page is not timed over a few milliseconds), and the wall time."""
    headers = {"Host": "127.0.0.1", "Accept-Language": "vi"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    latencies, errors = [], []

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        done = 0
        while done < per_client or time.perf_counter() < until:
            done += 1
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    until = start + min_seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - start, errors


def _cpu_reference_ms() -> float:
    """A fixed piece of pure Python (two million additions), median of five: how fast this
    machine's CPU runs Python when the run starts, to compare runs made on different machines."""

    def once() -> float:
        start = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        return (time.perf_counter() - start) * 1000

    return statistics.median(once() for _ in range(5))


def _percentile(values, share) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _raw_ratio(this_year: int, repeat: int = 7) -> dict:
    """The queue counters (and the whole queue page) against the same SQL run raw."""
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from certification.views.review import DossierQueueView
    from units.models import User

    admin = User.objects.get(username="admin")
    view = DossierQueueView()
    view.request = RequestFactory().get("/certification/dossiers/")
    view.request.user = admin
    with CaptureQueriesContext(connection) as captured:
        view._counts(this_year)
    counter_sql = [query["sql"] for query in captured.captured_queries]

    def timed(function) -> float:
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
        return statistics.median(timings)

    def run_raw(statements):
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    client = Client()
    client.force_login(admin)
    with CaptureQueriesContext(connection) as captured:
        client.get("/certification/dossiers/")
    # The page's reads as plain SELECTs (a server-side cursor's DECLARE and the session's
    # writes left out).
    page_sql = [
        query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")
    ]
    return {
        "counters_view_ms": timed(lambda: view._counts(this_year)),
        "counters_raw_ms": timed(lambda: run_raw(counter_sql)),
        "page_ms": timed(lambda: client.get("/certification/dossiers/")),
        "page_raw_ms": timed(lambda: run_raw(page_sql)),
        "counter_queries": len(counter_sql),
    }


def _start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "antt_portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer on /accounts/login/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=5, help="requests per client")
    parser.add_argument(
        "--min-seconds", type=float, default=2.0,
        help="8 clients load each page at least this long (throughput and p95 at 8 clients)",
    )  # fmt: skip
    parser.add_argument("--only", default="", help="run only pages whose label contains this")
    parser.add_argument("--raw-only", action="store_true", help="only the ratios to raw SQL")
    parser.add_argument(
        "--demo-database", default="", help="URL of a small database to compare query counts with"
    )
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    env = _environment()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antt_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    this_year = timezone.localdate().year
    pages = _pages(this_year)
    if args.only:
        pages = [page for page in pages if args.only in page[0] or page[0].startswith("login")]
    if args.queries_only:
        print(json.dumps(_queries_by_page(pages)))
        return
    demo = _demo_queries(args.demo_database, args.only) if args.demo_database else {}
    if args.raw_only:
        pages = []
    cookies = _sessions({username for _, username, _ in pages if username})
    started = datetime.datetime.now(datetime.UTC)
    print(
        f"bench/pages.py — {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}; gunicorn 2 workers, DEBUG off; "
        f"CPU reference {_cpu_reference_ms():.0f} ms (2M additions in Python)"
    )
    server = _start_gunicorn(args.port, env) if pages else None
    rows, login_throughput, misses = [], None, []
    try:
        for label, username, path in pages:
            status, queries = _query_count(path, username)
            cookie = cookies.get(username)
            _load(args.port, path, cookie, 1, 1)  # warm both workers' caches
            one, _, errors_one = _load(args.port, path, cookie, 1, args.requests * 2)
            eight, wall, errors_eight = _load(
                args.port, path, cookie, 8, args.requests, args.min_seconds
            )
            throughput = len(eight) / wall
            if login_throughput is None:
                login_throughput = throughput
            ratio = throughput / login_throughput
            p95 = _percentile(eight, 0.95)
            notes = []
            if status != 200 or errors_one or errors_eight:
                notes.append(f"HTTP {status} {sorted(set(errors_one + errors_eight))}")
            if p95 > P95_TARGET_MS:
                notes.append(f"MISS p95 +{p95 - P95_TARGET_MS:.0f} ms")
            if ratio < THROUGHPUT_TARGET:
                notes.append(f"MISS throughput {ratio:.0%} < 30%")
            demo_queries = demo.get(f"{label}|{username}")
            if demo and demo_queries is None:
                notes.append("no such page at demo scale")
            elif demo_queries is not None and demo_queries != queries:
                notes.append(f"MISS queries {demo_queries} at demo scale")
            if notes and "MISS" in " ".join(notes):
                misses.append(f"{label} ({username or 'anonymous'})")
            rows.append((label, username or "anonymous", queries, statistics.median(one),
                         _percentile(one, 0.95), statistics.median(eight), p95, throughput,
                         ratio, "; ".join(notes)))  # fmt: skip
            print(
                f"{label:<30} {username or 'anonymous':<12} q={queries:<3} "
                f"1c p50 {rows[-1][3]:6.0f} p95 {rows[-1][4]:6.0f} | 8c p50 {rows[-1][5]:6.0f} "
                f"p95 {p95:6.0f} ms | {throughput:5.1f} req/s = {ratio:4.0%} of login  "
                f"{rows[-1][9]}",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    raw = _raw_ratio(this_year)
    counters_ratio = raw["counters_view_ms"] / raw["counters_raw_ms"]
    print(
        f"\nqueue counters (admin, {raw['counter_queries']} queries): "
        f"view {raw['counters_view_ms']:.1f} ms, "
        f"raw SQL {raw['counters_raw_ms']:.1f} ms = {counters_ratio:.2f}x"
        + ("" if counters_ratio <= COUNTERS_TARGET else f"  MISS (> {COUNTERS_TARGET}x)")
    )
    print(
        f"queue page (admin, in-process): {raw['page_ms']:.1f} ms, its SQL raw "
        f"{raw['page_raw_ms']:.1f} ms = {raw['page_ms'] / raw['page_raw_ms']:.2f}x"
    )
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    print(f"pages missing a target: {len(misses)} of {len(rows)}")
    print(
        "\n| page | user | queries | p50 1c | p95 1c | p50 8c | p95 8c | req/s 8c | vs login |",
        end="",
    )
    print(" note |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row[0]} | {row[1]} | {row[2]} | {row[3]:.0f} | {row[4]:.0f} | {row[5]:.0f} | "
            f"{row[6]:.0f} | {row[7]:.1f} | {row[8]:.0%} | {row[9]} |"
        )


if __name__ == "__main__":
    main()
