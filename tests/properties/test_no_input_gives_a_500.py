"""Property-based tests (hypothesis): no input to a form, a POST parameter or a list's query
gives a 500, and a refused input changes nothing.

The strategies mix what a hostile user types (huge and negative numbers, Unicode digits that
`int()` accepts, far dates, control characters, markup) with well-formed values, field by field.
Kept small (`max_examples`) so the suite stays fast; every run draws new examples.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certification.filters.registration import RegistrationFilter
from certification.filters.review import AssessmentFilter
from certification.models import Assessment, Decision
from tests.builders import database_state
from units.filters import UnitFilter

pytestmark = pytest.mark.django_db

FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1",
        "99999999999999999999",
        "-99999999999999999999",
        "3000000000",
        "²",
        "٣",
        "1e9",
        "0x10",
        "NaN",
        "inf",
        "31/12/9999",
        "00/00/0000",
        "29/02/2026",
        "9999-12-31",
        "01/01/0001",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "x" * 5000,
        "\x00",
        "on",
        "yes",
        "true",
    ]
)
VALUE = st.one_of(
    HOSTILE,
    st.integers().map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda day: day.strftime("%d/%m/%Y")),
    st.text(max_size=40),
)


def params(names):
    return st.dictionaries(st.sampled_from(sorted(names)), VALUE, max_size=len(names))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def no_server_error(response):
    assert response.status_code < 500


# --- lists: every query parameter -------------------------------------------------------------

LISTS = {
    "units:unit-list": {*UnitFilter.base_filters, "page"},
    "certification:registration-list": {*RegistrationFilter.base_filters, "page"},
    "certification:dossier-queue": {*AssessmentFilter.base_filters, "page"},
    "certification:decision-list": {"page"},
    "certification:notification-list": {"page"},
    "certification:decision-prepare": {"area", "year"},
    "public:register": {"year", "province", "commune", "q", "page"},
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_query_parameters_never_give_a_500(scene, name):
    user = scene.actors[
        "decision_maker" if name == "certification:decision-prepare" else "reviewer"
    ]
    client = client_for(user)

    @FEW
    @given(query=params(LISTS[name]))
    def check(query):
        no_server_error(client.get(reverse(name), query))

    check()


# --- forms: every POST parameter --------------------------------------------------------------


def _fuzz_post(client, url, base: dict, extra_names=()):
    """Posts the valid `base` with any of its fields (and `extra_names`) replaced; a refusal
    (anything but a redirect) must leave the database as it was."""

    @FEW
    @given(changes=params({*base, *extra_names}))
    def check(changes):
        before = database_state()
        response = client.post(url, {**base, **changes})
        no_server_error(response)
        if response.status_code != 302:
            assert database_state() == before

    check()


def test_dossier_form_never_gives_a_500(scene):
    """The unit's dossier, reopened as a draft so that the form is live."""
    dossier = scene.objects["dossier"]
    Assessment.objects.filter(pk=dossier.pk).update(status="draft", awaiting_level="")
    criteria = dossier.answers.values_list("criterion_id", flat=True)
    base = {
        "meeting_on": "25/10/2026",
        "meeting_attendance": "45",
        "meeting_chair": "Ngô Văn Hải",
        "summary": "Năm qua khóm giữ vững an ninh, trật tự.",
        "action": "save",
        **{f"c{pk}-answer": "met" for pk in criteria},
    }
    extra = {"remove_document", *(f"c{pk}-fig_crimes" for pk in criteria)}
    url = reverse("certification:unit-dossier", args=[scene.objects["unit"].pk])
    _fuzz_post(client_for(scene.actors["representative"]), url, base, extra)


def test_registration_form_never_gives_a_500(scene):
    url = reverse("certification:unit-registration", args=[scene.objects["unit"].pk])
    base = {
        "registered_on": "10/02/2026",
        "signer_name": "Ngô Văn Hải",
        "signer_title": "Trưởng khóm",
        "commitment": "Phấn đấu đạt tiêu chuẩn.",
        "households_resident": "120",
        "households_registered": "118",
        "document_kind": "",
        "document_date": "",
        "action": "save",
    }
    _fuzz_post(client_for(scene.actors["representative"]), url, base)


def test_decision_form_never_gives_a_500(scene):
    draft = scene.objects["draft"]
    entry = draft.entries.get()
    base = {
        "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
        "place": "Trà Vinh",
        "decided_on": "20/11/2026",
        "signer_name": "Võ Thị Mai",
        "signer_title": "Chủ tịch",
        f"choice_{entry.assessment_id}": "recognised",
        f"reason_{entry.assessment_id}": "",
    }
    url = reverse("certification:decision-edit", args=[draft.pk])
    _fuzz_post(client_for(scene.actors["decision_maker"]), url, base)
    assert Decision.objects.get(pk=draft.pk).decided_on.year in (2026, 2027)


def test_annulment_form_never_gives_a_500(scene):
    url = reverse("certification:certificate-annul", args=[scene.objects["certificate"].pk])
    base = {"annulled_on": "01/12/2026", "reference": "", "reason": ""}
    _fuzz_post(client_for(scene.actors["decision_maker"]), url, base)


def test_extension_form_never_gives_a_500(scene):
    url = reverse("certification:extension-create", args=[scene.objects["unit"].pk])
    base = {"step": "dossier", "due_on": "", "reason": ""}
    _fuzz_post(client_for(scene.actors["reviewer"]), url, base)


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("certification:dossier-refuse", {"refuse-reason", "refuse-seen_status"}),
        ("certification:dossier-send-down", {"down-reason", "down-seen_status"}),
        ("certification:dossier-reopen", {"reopen-seen_status"}),
        ("certification:dossier-send-back", {"back-seen_status", "back-send_1", "back-reason_1"}),
        ("certification:dossier-approve", {"seen_status"}),
    ],
)
def test_review_steps_never_give_a_500(scene, name, fields):
    url = reverse(name, args=[scene.objects["dossier"].pk])
    _fuzz_post(client_for(scene.actors["reviewer"]), url, {}, fields)


def test_bulk_approve_and_return_never_give_a_500(scene):
    reviewer = client_for(scene.actors["reviewer"])
    _fuzz_post(reviewer, reverse("certification:dossier-bulk-approve"), {}, {"dossiers", "query"})
    url = reverse("certification:registration-return", args=[scene.objects["registration"].pk])
    _fuzz_post(reviewer, url, {}, {"reason"})


def test_public_verification_of_any_token_never_gives_a_500(client, scene):
    @FEW
    @given(token=st.text(alphabet=st.characters(categories=["L", "N", "Pd"]), min_size=1))
    def check(token):
        no_server_error(client.get(f"/cong-khai/xac-minh/{token}/"))

    check()
