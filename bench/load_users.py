"""The simulated users of bench/load_faults.py (a locustfile; run by it, not by hand).

Each simulated user logs in as a demo role and browses what that role uses: the home page,
queues, a dossier, registrations, notifications, the progress page; visitors read the public
register and verify certificates. Two kinds change state: a unit representative saving its draft
dossier (several at once on the same dossier), and a pair that submits a registration and returns
it, round after round (each step writes an audit row and notifies the other side by e-mail).

Every request is appended to the JSON-lines file named by LOAD_LOG: start time, name, status
(0 for a connection error), duration, and for an error page whether it was the clean 503 page
(no traceback). load_faults.py judges the run from that file, window by window.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PASSWORD = os.environ.get("LOAD_PASSWORD", "antt2026")
TARGETS = json.loads(os.environ.get("LOAD_TARGETS", "{}"))
_log = open(os.environ.get("LOAD_LOG", os.devnull), "a", buffering=1)  # noqa: SIM115


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time=None, **_kw):
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        status = 0
    record = {
        "t": start_time or time.time(),
        "name": name,
        "method": request_type,
        "status": status,
        "ms": round(response_time or 0, 1),
    }
    if status >= 500:
        text = getattr(response, "text", "") or ""
        record["clean"] = 'id="error-503"' in text and "Traceback" not in text
    if exception is not None and not status:
        record["error"] = repr(exception)[:160]
    _log.write(json.dumps(record) + "\n")


class _Forms(HTMLParser):
    """The POST forms of a page, each with the name/value pairs a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["fields"].append(
                [a["name"], a.get("value") or ("on" if kind == "checkbox" else "")]
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(self._textarea)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = (
                self._select["chosen"]
                if self._select["chosen"] is not None
                else self._select["first"]
            )
            if chosen is not None:
                self._form["fields"].append([self._select["name"], chosen])
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def post_form_fields(html: str, needle: str | None = None) -> list[list[str]] | None:
    """The name/value pairs of the page's POST form containing field `needle` (a browser's save)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _value in form["fields"]}
        if needle is None or needle in names:
            return form["fields"]
    return None


def _ids(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


def log_in(client: HttpSession, username: str) -> bool:
    page = client.get("/accounts/login/", name="/accounts/login/")
    token = client.cookies.get("csrftoken", "")
    if page.status_code != 200 or not token:
        return False
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + "/accounts/login/"},
        name="/accounts/login/ [POST]",
    )
    return response.status_code == 200 and "sessionid" in client.cookies


def post(client: HttpSession, url: str, data, *, name: str):
    token = client.cookies.get("csrftoken", "")
    if isinstance(data, dict):
        data = list(data.items())
    data = [pair for pair in data if pair[0] != "csrfmiddlewaretoken"]
    data.append(("csrfmiddlewaretoken", token))
    return client.post(url, data=data, headers={"Referer": client.base_url + url}, name=name)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: tuple[str, ...] = ()

    def on_start(self):
        self.username = random.choice(self.usernames)
        self.logged_in = log_in(self.client, self.username)

    def ensure_logged_in(self) -> bool:
        if not self.logged_in:
            self.logged_in = log_in(self.client, self.username)
        return self.logged_in

    @task(3)
    def home(self):
        if self.ensure_logged_in():
            self.client.get("/", name="/ (home)")

    @task(1)
    def notifications(self):
        if self.ensure_logged_in():
            self.client.get("/certification/notifications/", name="/certification/notifications/")
            self.client.get(
                "/certification/notifications/count/", name="/certification/notifications/count/"
            )


class Reviewer(PortalUser):
    weight = 12
    usernames = ("ca.travinh", "ca.canglong", "ca.tinh")

    @task(3)
    def dossier_queue_and_one_dossier(self):
        if not self.ensure_logged_in():
            return
        queue = self.client.get("/certification/dossiers/", name="/certification/dossiers/")
        ids = _ids(queue.text, r"/certification/dossiers/(\d+)/")
        if ids:
            self.client.get(
                f"/certification/dossiers/{random.choice(ids)}/",
                name="/certification/dossiers/[id]/",
            )

    @task(2)
    def registrations(self):
        if not self.ensure_logged_in():
            return
        page = self.client.get(
            "/certification/registrations/", name="/certification/registrations/"
        )
        ids = _ids(page.text, r"/certification/registrations/(\d+)/")
        if ids:
            self.client.get(
                f"/certification/registrations/{random.choice(ids)}/",
                name="/certification/registrations/[id]/",
            )


class DecisionMaker(PortalUser):
    weight = 6
    usernames = ("ubnd.tinh", "ubnd.travinh", "ubnd.canglong")

    @task(2)
    def decisions(self):
        if self.ensure_logged_in():
            self.client.get("/certification/decisions/", name="/certification/decisions/")

    @task(2)
    def queue(self):
        if self.ensure_logged_in():
            self.client.get("/certification/dossiers/", name="/certification/dossiers/")


class Observer(PortalUser):
    weight = 4
    usernames = ("quan.sat",)

    @task(2)
    def progress(self):
        if self.ensure_logged_in():
            self.client.get("/certification/progress/", name="/certification/progress/")

    @task(1)
    def units(self):
        if self.ensure_logged_in():
            self.client.get("/units/", name="/units/")


class UnitRepresentative(PortalUser):
    weight = 12
    usernames = (
        "kdc.travinh.khom3",
        "kdc.anhoi.khupho2",
        "xa.tieucan",
        "cq.ttyt.canglong",
        "dn.maylongduc",
    )

    @task(2)
    def my_unit(self):
        if not self.ensure_logged_in():
            return
        home = self.client.get("/", name="/ (home)")
        ids = _ids(home.text, r"/units/(\d+)/")
        if ids:
            self.client.get(f"/units/{ids[0]}/", name="/units/[id]/")

    @task(1)
    def read_all_notifications(self):
        if self.ensure_logged_in():
            post(
                self.client,
                "/certification/notifications/read-all/",
                {},
                name="/certification/notifications/read-all/ [POST]",
            )


class Visitor(HttpUser):
    """Not logged in: the landing page, the public register, certificate verification."""

    weight = 10
    wait_time = between(1, 3)

    @task(2)
    def landing(self):
        self.client.get("/", name="/ (landing)")

    @task(3)
    def register_and_verify(self):
        page = self.client.get("/cong-khai/", name="/cong-khai/")
        tokens = _ids(page.text, r"/cong-khai/xac-minh/([\w-]+)/") or TARGETS.get("tokens", [])
        if tokens:
            self.client.get(
                f"/cong-khai/xac-minh/{random.choice(tokens)}/",
                name="/cong-khai/xac-minh/[token]/",
            )


class DraftSaver(PortalUser):
    """The representative of a unit with a draft dossier, saving it as typed (several at once)."""

    fixed_count = 4
    usernames = (TARGETS.get("draft_user", ""),)

    @task(4)
    def save_draft(self):
        if not self.ensure_logged_in():
            return
        url = f"/certification/units/{TARGETS['draft_unit']}/dossier/"
        page = self.client.get(url, name="/certification/units/[id]/dossier/")
        fields = post_form_fields(page.text, "meeting_chair") if page.status_code == 200 else None
        if fields is None:
            return
        fields = [pair for pair in fields if pair[0] not in {"action", "summary"}]
        fields += [
            ("summary", f"Báo cáo năm (lưu lúc {time.strftime('%H:%M:%S')})"),
            ("action", "save"),
        ]
        post(self.client, url, fields, name="/certification/units/[id]/dossier/ [POST save]")


class RegistrationRound(PortalUser):
    """A unit submits its registration, its reviewer returns it; and again (notifies both).

    One simulated user per pair of demo accounts (TARGETS["rounds"]), acting as both."""

    rounds = TARGETS.get("rounds", [])
    fixed_count = len(rounds)
    wait_time = between(0.5, 1)
    _next = itertools.count()

    def on_start(self):
        self.round = self.rounds[next(self._next) % len(self.rounds)]
        self.usernames = (self.round["unit_user"],)
        super().on_start()
        self.reviewer = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        self.reviewer_in = log_in(self.reviewer, self.round["reviewer"])

    @task
    def submit_then_return(self):
        if not self.ensure_logged_in():
            return
        url = f"/certification/units/{self.round['unit']}/registration/"
        page = self.client.get(url, name="/certification/units/[id]/registration/")
        fields = post_form_fields(page.text, "signer_name") if page.status_code == 200 else None
        if fields is not None:
            fields = [pair for pair in fields if pair[0] != "action"] + [("action", "submit")]
            post(
                self.client,
                url,
                fields,
                name="/certification/units/[id]/registration/ [POST submit]",
            )
        if not self.reviewer_in:
            self.reviewer_in = log_in(self.reviewer, self.round["reviewer"])
            if not self.reviewer_in:
                return
        post(
            self.reviewer,
            f"/certification/registrations/{self.round['registration']}/return/",
            {"reason": "Bổ sung biên bản họp (vòng tải thử)."},
            name="/certification/registrations/[id]/return/ [POST]",
        )
