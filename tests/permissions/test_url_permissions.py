"""Every URL pattern of the URLconf, requested with GET and POST by every kind of user.

The patterns are read from the URLconf, so a new URL is covered at once: a pattern without a
declared expectation below fails `test_every_url_pattern_has_a_declared_expectation`. For each
pattern the test knows who may read it (GET) and who may act through it (POST). Everyone else
must be refused — the login page for anonymous users, 403/404/405 (or a redirect with a message,
for a POST) for the others — and a refused POST must change nothing in the database.
"""

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.builders import database_state

pytestmark = pytest.mark.django_db

IN_SCOPE = frozenset({"representative", "reviewer", "decision_maker", "observer", "administrator"})
OUT_OF_SCOPE = frozenset(
    {"other_representative", "other_reviewer", "other_decision_maker", "other_observer"}
)
LOGGED_IN = IN_SCOPE | OUT_OF_SCOPE
EVERYONE = LOGGED_IN | {"anonymous"}
AREA_ROLES = frozenset({"reviewer", "decision_maker", "observer", "administrator"})
NOBODY = frozenset()
# The People's Committee of the ward acts on its decisions; an administrator is not one.
DECISION_MAKER = frozenset({"decision_maker"})
REVIEWER = frozenset({"reviewer", "administrator"})
UNIT = frozenset({"representative", "administrator"})


@dataclass(frozen=True)
class Access:
    """Who may read the page (GET) and who may act through it (POST)."""

    get: frozenset
    post: frozenset = NOBODY


READ_IN_SCOPE = Access(get=IN_SCOPE)
EXPORTED_LISTS = ("unit", "registration", "dossier", "dossier-answers", "decision", "result")
ANY_USER_READS = Access(get=LOGGED_IN)

# Keyed by URL name; the value of a path parameter comes from the scene (see PARAMETERS).
EXPECTED = {
    # Since issue 10 the home page greets anonymous visitors too.
    "home": Access(get=EVERYONE, post=EVERYONE),
    "units:unit-list": ANY_USER_READS,
    "units:unit-detail": READ_IN_SCOPE,
    "certification:registration-list": ANY_USER_READS,
    "certification:registration-detail": READ_IN_SCOPE,
    # An observer acknowledging, a decision maker returning: refused.
    "certification:registration-acknowledge": Access(get=NOBODY, post=REVIEWER),
    "certification:registration-return": Access(get=NOBODY, post=REVIEWER),
    "certification:document-download": READ_IN_SCOPE,
    "certification:document-remove": Access(get=NOBODY, post=UNIT),
    "certification:unit-registration": Access(get=IN_SCOPE, post=UNIT),
    "certification:extension-create": Access(get=REVIEWER, post=REVIEWER),
    # Not to the representative of a unit inside the commune (the leak of issue 14).
    "certification:registration-completeness": Access(get=AREA_ROLES),
    "certification:notification-list": ANY_USER_READS,
    "certification:notification-count": ANY_USER_READS,
    "certification:notification-read": Access(get=NOBODY, post=frozenset({"representative"})),
    "certification:notification-read-all": Access(get=NOBODY, post=LOGGED_IN),
    "certification:notification-preference": Access(get=NOBODY, post=LOGGED_IN),
    "certification:unit-dossier": Access(get=IN_SCOPE, post=UNIT),
    "certification:dossier-start": Access(get=NOBODY, post=UNIT),
    "certification:dossier-submit": Access(get=UNIT, post=UNIT),
    "certification:dossier-document-download": READ_IN_SCOPE,
    "certification:dossier-queue": ANY_USER_READS,
    "certification:dossier-bulk-approve": Access(get=NOBODY, post=REVIEWER),
    # The unit's representative reads its own dossier's review page (reasons, history).
    "certification:dossier-review": READ_IN_SCOPE,
    # A decision maker recommending, an observer refusing: refused.
    **{
        f"certification:dossier-{step}": Access(get=NOBODY, post=REVIEWER)
        for step in ("approve", "refuse", "send-back", "send-down", "reopen", "opinions")
    },
    "certification:decision-list": ANY_USER_READS,
    "certification:decision-prepare": Access(get=DECISION_MAKER, post=DECISION_MAKER),
    # The representative of a unit on the decision reads it (issue 10).
    "certification:decision-detail": READ_IN_SCOPE,
    "certification:decision-edit": Access(get=DECISION_MAKER, post=DECISION_MAKER),
    # A reviewer issuing: refused.
    "certification:decision-issue": Access(get=NOBODY, post=DECISION_MAKER),
    "certification:decision-discard": Access(get=NOBODY, post=DECISION_MAKER),
    "certification:decision-pdf": READ_IN_SCOPE,
    "certification:certificate-pdf": READ_IN_SCOPE,
    "certification:certificate-annul": Access(get=DECISION_MAKER, post=DECISION_MAKER),
    # Issue 10's exports (rows filtered by scope) and progress pages (area roles only).
    # Issue 11: every list's file (GET only), the results list, the printable yearly summary,
    # and background jobs, which are their owner's alone (the scene's job is the reviewer's).
    **{f"certification:{name}-export": Access(get=LOGGED_IN) for name in EXPORTED_LISTS},
    "certification:result-list": ANY_USER_READS,
    "certification:area-summary": Access(get=AREA_ROLES),
    "certification:area-summary-xlsx": Access(get=AREA_ROLES),
    "certification:job-list": ANY_USER_READS,
    "certification:job-detail": Access(get=frozenset({"reviewer"})),
    "certification:job-download": Access(get=frozenset({"reviewer"})),
    # "Mine": every area role sees the progress of its own area, wherever it is.
    "certification:area-progress-mine": Access(
        get=AREA_ROLES | OUT_OF_SCOPE - {"other_representative"},
        post=AREA_ROLES | OUT_OF_SCOPE - {"other_representative"},
    ),
    "certification:area-progress": Access(get=AREA_ROLES, post=AREA_ROLES),
    "public:register": Access(get=EVERYONE),
    "public:verify": Access(get=EVERYONE, post=EVERYONE),
    "password_reset": Access(get=EVERYONE, post=EVERYONE),
    "login": Access(get=EVERYONE, post=EVERYONE),
    "logout": Access(get=NOBODY, post=EVERYONE),
    "password_change": Access(get=LOGGED_IN, post=LOGGED_IN),
    "password_change_done": ANY_USER_READS,
    "password_reset_done": Access(get=EVERYONE),
    "password_reset_confirm": Access(get=EVERYONE, post=EVERYONE),
    "password_reset_complete": Access(get=EVERYONE),
    "set_language": Access(get=EVERYONE, post=EVERYONE),
    "health": Access(get=EVERYONE),
    # Static files from STATIC_ROOT in development (DEBUG) only; the path asked for does not exist.
    "static": Access(get=NOBODY),
    # The Django admin: administrators (staff) only; its own permissions decide the rest.
    "admin:*": Access(get=frozenset({"administrator"}), post=frozenset({"administrator"})),
    # An administrator already logged in is sent on from the admin's login page to the admin.
    "admin:login": Access(get=EVERYONE - {"administrator"}, post=EVERYONE),
}

# The scene's object (tests/permissions/conftest.py) for each path parameter, by URL name.
PARAMETERS = {
    "units:unit-detail": "unit",
    "certification:registration-detail": "registration",
    "certification:registration-acknowledge": "registration",
    "certification:registration-return": "registration",
    "certification:document-download": "document",
    "certification:document-remove": "document",
    "certification:unit-registration": "unit",
    "certification:extension-create": "unit",
    "certification:registration-completeness": "area",
    "certification:area-progress": "area",
    "certification:area-summary": "area",
    "certification:area-summary-xlsx": "area",
    "certification:job-detail": "job",
    "certification:job-download": "job",
    "certification:notification-read": "notification",
    "certification:unit-dossier": "unit",
    "certification:dossier-start": "unit",
    "certification:dossier-submit": "unit",
    "certification:dossier-document-download": "dossier_document",
    "certification:decision-detail": "decision",
    "certification:decision-edit": "draft",
    "certification:decision-issue": "draft",
    "certification:decision-discard": "draft",
    "certification:decision-pdf": "decision",
    "certification:certificate-pdf": "certificate",
    "certification:certificate-annul": "certificate",
    **{
        f"certification:dossier-{step}": "dossier"
        for step in ("review", "approve", "refuse", "send-back", "send-down", "reopen", "opinions")
    },
}


def url_patterns():
    """(route, name) of every pattern the URLconf resolves, namespaces included."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield prefix + str(pattern.pattern), name

    return list(walk(get_resolver().url_patterns, "", ""))


def expectation_key(route: str, name: str | None) -> str | None:
    if route.startswith("^static/"):
        return "static"
    if name in EXPECTED:
        return name
    if (name and name.startswith("admin:")) or route.startswith("admin/"):
        return "admin:*"
    return None


def concrete_path(route: str, name: str | None, scene) -> str:
    """The route with every parameter filled: the scene's object where one is named, else 1."""
    value = str(scene.objects[PARAMETERS[name]].pk) if name in PARAMETERS else "1"
    if name == "public:verify":
        value = str(scene.objects["certificate"].token)
    if name in {f"certification:{listed}-export" for listed in EXPORTED_LISTS}:
        value = "csv"
    # Regular-expression routes (the admin's app list, static files): one example each.
    path = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: value, path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def is_login_redirect(response) -> bool:
    """Sent to a login page (or, from the admin's logout, to the admin's door)."""
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(("/accounts/login/", "/admin/login/")) or location == "/admin/"
    )


class Actors:
    """One logged-in client per actor, logged in again after a request that logs out."""

    def __init__(self, scene):
        self.users = scene.actors
        self.clients = {actor: Client() for actor in self.users}
        for actor, user in self.users.items():
            if user is not None:
                self.clients[actor].force_login(user)

    def request(self, actor: str, method: str, path: str):
        client = self.clients[actor]
        response = getattr(client, method)(path)
        if self.users[actor] is not None and "_auth_user_id" not in client.session:
            client.force_login(self.users[actor])
        return response


def refusal_problem(actor, method, response) -> str:
    """Why `response` is not a refusal, or "" when it is one."""
    if actor == "anonymous":
        refused = is_login_redirect(response) or response.status_code in {404, 405}
        return "" if refused else "not refused"
    refused = {403, 404, 405}
    if method == "post":
        # A POST may also be answered with the form and its error, or a redirect and a message.
        refused |= {302, 400}
    return "" if response.status_code in refused or is_login_redirect(response) else "not refused"


def test_every_url_pattern_has_a_declared_expectation():
    undeclared = [
        (route, name) for route, name in url_patterns() if expectation_key(route, name) is None
    ]
    assert undeclared == []


def _check(scene, patterns, *, check_allowed=True) -> list[str]:
    """Every refusal that did not happen; with check_allowed, every allowed GET that failed."""
    actors, failures = Actors(scene), []
    for route, name in patterns:
        access = EXPECTED[expectation_key(route, name)]
        path = concrete_path(route, name, scene)
        baseline = database_state()
        for actor in sorted(EVERYONE):
            response = actors.request(actor, "get", path)
            if actor in access.get:
                # 503 is the health page saying a service is down, not a refusal.
                failed = response.status_code not in {*range(200, 400), 503}
                failed = failed or is_login_redirect(response)
                if check_allowed and failed:
                    failures.append(f"GET {path} as {actor}: {response.status_code}, expected OK")
            elif problem := refusal_problem(actor, "get", response):
                failures.append(f"GET {path} as {actor}: {response.status_code}, {problem}")
            if actor in access.post:
                continue
            response = actors.request(actor, "post", path)
            if problem := refusal_problem(actor, "post", response):
                failures.append(f"POST {path} as {actor}: {response.status_code}, {problem}")
            # Refused at the door (login, method): the view never ran. Otherwise compare.
            at_the_door = is_login_redirect(response) or response.status_code == 405
            if not at_the_door and database_state() != baseline:
                failures.append(f"POST {path} as {actor}: changed the database")
                baseline = database_state()
    return failures


def test_every_portal_url_refuses_whoever_may_not_read_or_act(scene):
    patterns = [(r, n) for r, n in url_patterns() if expectation_key(r, n) != "admin:*"]
    assert len(patterns) >= 50
    failures = _check(scene, patterns)
    assert failures == [], "\n".join(failures)


def test_every_admin_url_refuses_everyone_but_administrators(scene):
    patterns = [(r, n) for r, n in url_patterns() if expectation_key(r, n) == "admin:*"]
    assert len(patterns) >= 100
    # What an administrator may do inside the admin is the admin's own permissions' business.
    failures = _check(scene, patterns, check_allowed=False)
    assert failures == [], "\n".join(failures)


# --- acting at the wrong level (reviewer of the province on a commune-managed unit) -------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("certification:registration-acknowledge", "post"),
        ("certification:registration-return", "post"),
        ("certification:dossier-approve", "post"),
        ("certification:dossier-send-back", "post"),
    ],
)
def test_provincial_reviewer_cannot_act_on_a_commune_managed_unit(scene, name, method):
    """Khóm 1 is managed by the ward: the province appraises only what the ward forwards.

    (Extensions are not here: a level above may grant one, e.g. where a ward has no reviewer;
    the commune police extending a province-managed unit is refused in test_workflows.py.)"""
    scene.actors["reviewer_at_province"] = scene.reviewer_at_province
    route = next(route for route, pattern_name in url_patterns() if pattern_name == name)
    path = concrete_path(route, name, scene)
    before = database_state()
    response = Actors(scene).request("reviewer_at_province", method, path)
    assert response.status_code == 404
    assert database_state() == before
