"""Every main page, the admin and the error pages read in Vietnamese: no English left on them.

The demo province (tests/demo.py) is loaded once; every demo user's pages are found by following
the links of the portal from the home page, so a new page is walked without being listed here.
"""

from __future__ import annotations

import html
import re
from collections import deque

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from certification.models import Certificate

# Words and phrases that are English and never Vietnamese (so no Vietnamese word such as "to",
# "no", "in" or "an" is here). Matched as whole words, ignoring case.
ENGLISH = (
    "the",
    "and",
    "you",
    "your",
    "with",
    "please",
    "click",
    "select",
    "add",
    "change",
    "delete",
    "save",
    "search",
    "filter",
    "show counts",
    "hide counts",
    "import",
    "export",
    "history",
    "home",
    "log in",
    "log out",
    "password",
    "error",
    "page",
    "not found",
    "server error",
    "django",
    "model name",
    "skip to main content",
    "access attempts?",
    "access failures?",
    "access logs?",
    "welcome",
    "view site",
    "recent actions",
    "none",
    "yes",
    "today",
    "submit",
    "registration",
    "dossier",
    "decision",
    "unit",
    "units",
    "waiting",
    "overdue",
    "notifications?",
)
ENGLISH_PATTERN = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)

# Visible text and the attributes a person reads or hears (placeholders, screen-reader labels).
# Not `alt`: Django's admin search icon has alt="Search" written into its template, untranslatable.
ATTRIBUTES = re.compile(r'\b(?:placeholder|aria-label|title)="([^"]*)"')
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
# django-axes names its rows in English in code ("Access Log for admin @ …"): data, not a message.
AXES_ROW_NAMES = re.compile(r"Access Log for |Attempted Access:|Failed access: user")
URL = re.compile(r"\S+://\S+")  # an address is not a message (the notifications test checks them)

# Links not to follow: files, the admin (walked on its own), leaving the session.
SKIPPED = re.compile(r"^/(static|media|admin|i18n)/|/pdf/|download|/documents/|logout")


def visible_text(page: str) -> str:
    page = HIDDEN.sub(" ", page)
    attributes = " ".join(ATTRIBUTES.findall(page))
    text = html.unescape(TAG.sub(" ", page) + " " + attributes)
    return re.sub(r"\s+", " ", AXES_ROW_NAMES.sub(" ", URL.sub(" ", text)))


def english_in(page: str) -> list[str]:
    """Each English phrase on the page with a little of what surrounds it."""
    text = visible_text(page)
    return [
        f"{m.group()} ← …{text[max(0, m.start() - 40) : m.end() + 40].strip()}…"
        for m in ENGLISH_PATTERN.finditer(text)
    ]


def links_of(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(/[^"#]*)"', page)]


def walk(client: Client, start: str = "/") -> dict[str, list[str]]:
    """Follow the portal's own links from `start`, one page per URL shape (digits stripped)."""
    seen_shapes = set()
    queue = deque([start])
    english = {}
    while queue:
        url = queue.popleft()
        shape = re.sub(r"\d+", "N", url.split("?")[0]) + ("?" if "?" in url else "")
        if shape in seen_shapes or SKIPPED.search(url):
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        if found := english_in(page):
            english[url] = found
        queue.extend(links_of(page))
    return english, seen_shapes


def test_english_pattern_catches_the_admin_surfaces_seen_in_the_issue():
    page = (
        '<a href="/x/">Show counts</a><title>Trang web admin Django</title><p>Access attempts</p>'
    )
    assert [found.split(" ← ")[0] for found in english_in(page)] == [
        "Show counts",
        "Django",
        "Access attempts",
    ]
    assert english_in("<p>Khóm 3 đã được công nhận năm 2025. Tổ to, no ấm, An Hội.</p>") == []


USERS = (
    "admin",
    "ca.tinh",
    "ubnd.tinh",
    "quan.sat",
    "ca.travinh",
    "ca.canglong",
    "ubnd.travinh",
    "ubnd.canglong",
    "kdc.travinh.khom3",
    "kdc.canglong.phuhoa",
    "kdc.anhoi.khupho2",
    "xa.tieucan",
    "cq.ttyt.canglong",
    "dn.maylongduc",
    "th.thpt.canglong",
)


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_page_a_demo_user_reaches_is_vietnamese(demo, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))

    english, walked = walk(client)

    assert len(walked) >= 5, walked
    assert english == {}


@pytest.mark.django_db
def test_the_admin_index_and_every_changelist_are_vietnamese(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]

    english = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := english_in(response.content.decode()):
            english[url] = found

    assert english == {}
    index = client.get(reverse("admin:index")).content.decode()
    assert "Quản trị cổng công nhận ANTT" in index
    assert "Chống dò mật khẩu (Axes)" in index


@pytest.mark.django_db
def test_anonymous_pages_and_a_bad_certificate_code_are_vietnamese(demo):
    client = Client()
    certificate = Certificate.objects.in_force().first()
    english = {}
    for url, status in (
        ("/", 200),
        (reverse("login"), 200),
        (reverse("public:register"), 200),
        (reverse("public:verify", args=[certificate.token]), 200),
        (reverse("public:verify", args=["khong-co-ma-nay"]), 404),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if found := english_in(response.content.decode()):
            english[url] = found

    assert english == {}


@pytest.mark.django_db
def test_the_error_pages_are_vietnamese_and_lead_somewhere():
    request = RequestFactory().get("/khong-co/")
    request.user = AnonymousUser()

    pages = {
        404: defaults.page_not_found(request, Exception()),
        403: defaults.permission_denied(request, Exception()),
        400: defaults.bad_request(request, Exception()),
        500: defaults.server_error(request),
    }

    assert {code: english_in(page.content.decode()) for code, page in pages.items()} == {
        404: [],
        403: [],
        400: [],
        500: [],
    }
    not_found = pages[404].content.decode()
    assert "Không tìm thấy trang" in not_found
    assert 'href="/cong-khai/"' in not_found
    assert "Lỗi máy chủ" in pages[500].content.decode()
