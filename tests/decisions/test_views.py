"""Decision pages, private certificate downloads, the public register and verification page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import Certificate, Decision, DecisionStatus
from certification.services import decisions as services
from certification.views import decisions as decisions_views
from tests.builders import DECIDED_AT as NOW
from tests.builders import prepare, quick_recommended
from tests.certification.review_scene import text_of
from tests.decision_scene import EVIDENCE_NAME, PRIVATE_NOTE, VIETNAMESE_NAME
from tests.factories import UnitFactory
from units.services import move_unit

pytestmark = pytest.mark.django_db


def verify_url(certificate):
    return reverse("public:verify", args=[certificate.token])


def issue_many(cycle, area, count, *, by):
    units = UnitFactory.create_batch(count, area=area)
    decision = prepare(cycle, area, [quick_recommended(cycle, unit) for unit in units], by=by)
    return services.issue_decision(decision, by=by, now=NOW)


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- public pages --------------------------------------------------------------------------------


def test_public_register_needs_no_login_and_lists_recognised_units(client, ward, issued):
    response = client.get(reverse("public:register"))

    assert response.status_code == 200
    listed = [certificate.unit_name for certificate in response.context["certificates"]]
    assert listed == ["Khóm 1", VIETNAMESE_NAME]
    assert VIETNAMESE_NAME in response.content.decode()


def test_public_pages_show_no_private_field(client, ward, issued):
    certificate = Certificate.objects.get(unit=ward.to_7)
    private = [
        ward.to_7.contact_email,
        ward.to_7.contact_phone,
        ward.khom_1.contact_email,
        EVIDENCE_NAME,
        PRIVATE_NOTE,
        "Xảy ra vụ trộm cắp tài sản chưa làm rõ",  # the reason a unit was left out
        "Khóm 2",
    ]

    for url in (reverse("public:register"), verify_url(certificate)):
        content = client.get(url).content.decode()

        assert VIETNAMESE_NAME in content
        assert [value for value in private if value in content] == []


def test_public_register_filters_by_year_province_commune_and_name(
    client, world, ward, issued, cycle124
):
    decision = prepare(
        cycle124, world.xa_2, [quick_recommended(cycle124, world.ap_2)], by=world.users.decider_xa2
    )
    services.issue_decision(decision, by=world.users.decider_xa2, now=NOW)
    url = reverse("public:register")

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [certificate.unit_name for certificate in response.context["certificates"]]

    assert names() == ["Khóm 1", VIETNAMESE_NAME, "Ấp Phú Hòa"]  # by area, then name
    assert names(province=world.vinh_long.pk, commune=world.xa_2.pk) == ["Ấp Phú Hòa"]
    assert names(province=world.ben_tre.pk) == []
    assert names(q="Phước Hậu") == [VIETNAMESE_NAME]
    assert names(year=2026, q="Khóm") == ["Khóm 1"]
    assert names(year=2025) == []  # not a year on the register: the filter refuses it


def test_public_register_form_keeps_the_search_and_the_chosen_province(client, world, ward, issued):
    response = client.get(reverse("public:register"), {"province": world.vinh_long.pk, "q": "Khóm"})
    html = response.content.decode()

    assert (
        '<input type="search" name="q" value="Khóm" class="form-control" maxlength="100" id="id_q">'
    ) in html
    assert f'<option value="{world.vinh_long.pk}" selected>{world.vinh_long.name}</option>' in html


def test_public_register_queries_do_not_grow_with_rows(client, world, cycle124, decider):
    issue_many(cycle124, world.phuong_1, 1, by=decider)
    with_one = queries_of(client, reverse("public:register"))

    issue_many(cycle124, world.phuong_1, 49, by=decider)
    with_fifty = queries_of(client, reverse("public:register"))

    assert with_fifty == with_one


def test_public_register_search_ignores_accents_and_case_and_finds_numbers(client, ward, issued):
    url = reverse("public:register")
    certificate = Certificate.objects.get(unit=ward.khom_1)

    def names(q):
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        return [certificate.unit_name for certificate in response.context["certificates"]]

    assert names("to dan PHUOC hau") == [VIETNAMESE_NAME]  # every word, anywhere, no accents
    assert names("Tổ") == [VIETNAMESE_NAME]  # a short word: the beginning of a word
    assert names("om") == []  # ... not two letters inside "Khóm"
    assert names(certificate.number.lower()) == ["Khóm 1"]
    assert names(f"{certificate.number} khom") == ["Khóm 1"]
    assert names(f"{certificate.number} Phước") == []


def test_public_register_search_queries_do_not_grow_with_rows(client, world, cycle124, decider):
    url = reverse("public:register") + "?q=thu+nghiem"
    issue_many(cycle124, world.phuong_1, 1, by=decider)
    with_one = queries_of(client, url)

    issue_many(cycle124, world.phuong_1, 19, by=decider)
    with_twenty = queries_of(client, url)

    assert with_twenty == with_one
    assert len(client.get(url).context["certificates"]) == 20


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("filtered", ["province", "commune"])
def test_public_register_by_area_queries_do_not_grow_with_rows(
    client, world, cycle124, decider, filtered, count, django_assert_num_queries
):
    issue_many(cycle124, world.phuong_1, count, by=decider)
    query = {"province": world.vinh_long.pk}
    if filtered == "commune":
        query["commune"] = world.phuong_1.pk
    client.get(reverse("public:register"), query)

    # the years, the provinces, the chosen province's communes (options and check), count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("public:register"), query)

    assert len(response.context["certificates"]) == count


def test_public_register_lists_a_moved_unit_under_its_area_today(client, world, ward, issued):
    """The register's area filters read the unit's area today, kept on its certificate when
    the unit moves (the area on the decision stays what the certificate shows)."""
    moved = Certificate.objects.get(unit=ward.to_7)
    assert moved.unit_area == world.phuong_1
    move_unit(ward.to_7, world.xa_2, on=NOW.date(), reason="Sáp nhập", by=None)
    url = reverse("public:register")

    def names(area):
        query = {"province": world.vinh_long.pk, "commune": area.pk}
        return [c.unit_name for c in client.get(url, query).context["certificates"]]

    assert names(world.xa_2) == [VIETNAMESE_NAME]
    assert names(world.phuong_1) == ["Khóm 1"]
    moved.refresh_from_db()
    assert moved.unit_area == world.xa_2
    assert moved.area_name == Certificate.objects.get(unit=ward.khom_1).area_name  # as decided


def test_verification_page_reads_valid_then_annulled_with_the_date(client, ward, issued, decider):
    certificate = Certificate.objects.get(unit=ward.khom_1)
    assert client.get(verify_url(certificate)).context["verification"].status == "valid"
    client.force_login(decider)

    response = client.post(
        reverse("certification:certificate-annul", args=[certificate.pk]),
        {
            "annulled_on": "10/12/2026",
            "reference": "Quyết định số 7/QĐ-UBND ngày 10/12/2026",
            "reason": "Hồ sơ kê khai không trung thực",
        },
    )
    assert response.status_code == 302
    client.logout()
    response = client.get(verify_url(certificate))

    verification = response.context["verification"]
    assert (verification.status, verification.annulment.annulled_on.isoformat()) == (
        "annulled",
        "2026-12-10",
    )
    content = response.content.decode()
    assert "10/12/2026" in content
    assert "Quyết định số 7/QĐ-UBND ngày 10/12/2026" in content
    assert "Hồ sơ kê khai không trung thực" not in content
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_of_an_unknown_token_is_404(client, issued):
    assert client.get(reverse("public:verify", args=["khong-co-ma-nay"])).status_code == 404


# --- private certificate downloads ---------------------------------------------------------------


def test_unit_representative_downloads_own_certificate_not_another_units(client, world, issued):
    own = Certificate.objects.get(unit=world.khom_1)
    other = Certificate.objects.get(unit__name=VIETNAMESE_NAME)
    client.force_login(world.users.rep_khom)

    response = client.get(reverse("certification:certificate-pdf", args=[own.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    assert client.get(reverse("certification:certificate-pdf", args=[other.pk])).status_code == 404


def test_reviewer_of_the_area_downloads_the_certificate_and_the_decision(client, world, issued):
    certificate = Certificate.objects.get(unit=world.khom_1)
    client.force_login(world.users.reviewer_phuong)

    for url in (
        reverse("certification:certificate-pdf", args=[certificate.pk]),
        reverse("certification:decision-pdf", args=[issued.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_unit_page_shows_results_and_consecutive_years(client, world, issued):
    certificate = Certificate.objects.get(unit=world.khom_1)
    client.force_login(world.users.rep_khom)

    response = client.get(world.khom_1.get_absolute_url())

    html = response.content.decode()
    history = html[html.index('id="recognition-history"') :]
    consecutive = re.search(r'id="consecutive-years"><span[^>]*>[^<\d]*(\d+)\D', history)
    years = re.findall(r'<td data-label="[^"]*">(\d{4})</td>', history)
    assert (int(consecutive.group(1)), years) == (1, ["2026"])
    assert reverse("certification:certificate-pdf", args=[certificate.pk]) in (
        response.content.decode()
    )


# --- decision maker's pages ----------------------------------------------------------------------


def test_decision_maker_prepares_and_issues_a_decision_through_the_pages(client, ward, decider):
    client.force_login(decider)
    prepare_url = reverse("certification:decision-prepare") + f"?area={ward.area.pk}&year=2026"
    page = client.get(prepare_url)
    assert page.status_code == 200
    assert [dossier.unit.name for dossier in page.context["form"].dossiers] == [
        "Khóm 1",
        "Khóm 2",
        VIETNAMESE_NAME,
    ]

    response = client.post(
        prepare_url,
        {
            "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
            "place": "Trà Vinh",
            "decided_on": "20/11/2026",
            "signer_name": "Võ Thị Mai",
            "signer_title": "Chủ tịch",
            f"choice_{ward.dossier_khom_1.pk}": "recognised",
            f"choice_{ward.dossier_khom_2.pk}": "not_recognised",
            f"reason_{ward.dossier_khom_2.pk}": "Xảy ra vụ trộm cắp tài sản",
            f"choice_{ward.dossier_to_7.pk}": "later",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:decision-detail", args=[decision.pk])
    assert sorted(decision.entries.values_list("unit_name", "result")) == [
        ("Khóm 1", "recognised"),
        ("Khóm 2", "not_recognised"),
    ]

    response = client.post(
        reverse("certification:decision-issue", args=[decision.pk]), {"confirm": "on"}
    )
    decision.refresh_from_db()
    assert (response.status_code, decision.status, decision.number) == (
        302,
        DecisionStatus.ISSUED,
        "1/QĐ-UBND",
    )
    page = client.get(reverse("certification:decision-detail", args=[decision.pk]))
    assert page.context["may_issue"] is False
    assert "ANTT-2026-29242-0001" in page.content.decode()


def test_issuing_without_the_confirmation_changes_nothing_and_keeps_the_comment(
    client, ward, decider
):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    events = list(decision.events.values_list("action", flat=True))
    client.force_login(decider)

    response = client.post(
        reverse("certification:decision-issue", args=[decision.pk]),
        {"comment": "Đã họp thống nhất ngày 18/11."},
    )

    decision.refresh_from_db()
    assert response.status_code == 400
    assert (
        decision.status,
        decision.number,
        list(decision.events.values_list("action", flat=True)),
    ) == (
        DecisionStatus.DRAFT,
        "",
        events,
    )
    assert not Certificate.objects.exists()
    page = response.content.decode()
    assert "Hãy đánh dấu ô xác nhận: chưa có gì được thực hiện." in page
    assert "Đã họp thống nhất ngày 18/11." in page


def test_issuing_after_confirming_keeps_the_comment_in_the_history(client, ward, decider):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    client.force_login(decider)

    client.post(
        reverse("certification:decision-issue", args=[decision.pk]),
        {"comment": "Đã họp thống nhất ngày 18/11.", "confirm": "on"},
    )

    decision.refresh_from_db()
    event = decision.events.get(action="issued")
    assert decision.status == DecisionStatus.ISSUED
    assert (event.reason, event.by) == (
        "1 đơn vị được công nhận, 0 đơn vị chưa đạt.\nĐã họp thống nhất ngày 18/11.",
        decider,
    )


def test_leaving_a_unit_out_without_a_reason_is_refused_on_the_page(client, ward, decider):
    client.force_login(decider)
    prepare_url = reverse("certification:decision-prepare") + f"?area={ward.area.pk}&year=2026"

    response = client.post(
        prepare_url,
        {
            "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
            "place": "Trà Vinh",
            "decided_on": "20/11/2026",
            "signer_name": "Võ Thị Mai",
            "signer_title": "Chủ tịch",
            f"choice_{ward.dossier_khom_1.pk}": "not_recognised",
            f"choice_{ward.dossier_khom_2.pk}": "later",
            f"choice_{ward.dossier_to_7.pk}": "later",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"reason_{ward.dossier_khom_1.pk}"]
    assert Decision.objects.count() == 0


def test_issuing_twice_shows_a_message_not_an_error(client, ward, issued, decider):
    client.force_login(decider)

    response = client.post(
        reverse("certification:decision-issue", args=[issued.pk]), {"confirm": "on"}, follow=True
    )

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Trạng thái của quyết định này hiện là “đã ban hành”; thao tác chưa được thực hiện "
        "(có thể người khác đã xử lý trước). Hãy tải lại trang."
    ]


def test_decision_pages_of_another_area_are_404(client, world, ward, issued):
    certificate = Certificate.objects.get(unit=world.khom_1)
    client.force_login(world.users.decider_xa2)

    for url in (
        reverse("certification:decision-detail", args=[issued.pk]),
        reverse("certification:decision-pdf", args=[issued.pk]),
        reverse("certification:certificate-pdf", args=[certificate.pk]),
        reverse("certification:certificate-annul", args=[certificate.pk]),
        reverse("certification:decision-prepare") + f"?area={ward.area.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("certification:decision-issue", args=[issued.pk])).status_code == 404


def test_reviewer_reads_a_decision_but_cannot_act_on_it(client, world, ward, decider):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    client.force_login(world.users.reviewer_phuong)

    page = client.get(reverse("certification:decision-detail", args=[decision.pk]))

    assert (page.status_code, page.context["may_issue"]) == (200, False)
    response = client.post(reverse("certification:decision-issue", args=[decision.pk]))
    assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_decision_list_queries_do_not_grow_with_rows(client, world, cycle124, decider):
    client.force_login(decider)
    issue_many(cycle124, world.phuong_1, 1, by=decider)
    with_one = queries_of(client, reverse("certification:decision-list"))

    for _ in range(49):
        issue_many(cycle124, world.phuong_1, 1, by=decider)
    with_fifty = queries_of(client, reverse("certification:decision-list"))

    assert with_fifty == with_one


def test_decision_page_shows_its_units_a_page_at_a_time_with_their_count(
    client, world, cycle124, decider, monkeypatch
):
    """A provincial decision lists hundreds of units: the page shows a page of them, the count
    by result above, and asks as many queries for twenty units as for one."""
    monkeypatch.setattr(decisions_views, "ENTRIES_PAGE_SIZE", 3)
    client.force_login(decider)
    one = issue_many(cycle124, world.phuong_1, 1, by=decider)
    twenty = issue_many(cycle124, world.phuong_1, 20, by=decider)
    url = reverse("certification:decision-detail", args=[twenty.pk])

    first, last = client.get(url), client.get(url + "?page=7")

    names = sorted(twenty.entries.values_list("unit_name", flat=True))
    assert [entry.unit_name for entry in first.context["entries"]] == names[:3]
    assert [entry.unit_name for entry in last.context["entries"]] == names[18:]
    assert text_of(first, "decision-entry-counts") == "Đạt: 20"
    assert "Trang 1 / 7" in first.content.decode()
    single = reverse("certification:decision-detail", args=[one.pk])
    assert queries_of(client, url) == queries_of(client, single)


def test_decision_list_shows_the_dossiers_waiting(client, ward, decider):
    client.force_login(decider)

    response = client.get(reverse("certification:decision-list"))

    assert response.context["waiting"] == [(ward.area, {2026: 3})]


def test_changing_a_draft_leaves_newly_waiting_dossiers_for_later(client, ward, decider):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    client.force_login(decider)

    page = client.get(reverse("certification:decision-edit", args=[decision.pk]))

    form = page.context["form"]
    assert {
        dossier.unit.name: form[f"choice_{dossier.pk}"].value() for dossier in form.dossiers
    } == {
        "Khóm 1": "recognised",
        "Khóm 2": "later",
        VIETNAMESE_NAME: "later",
    }


def test_unit_representative_finds_the_certificate_on_the_dossier_page(client, world, ward, issued):
    from django.urls import reverse

    from certification.models import Certificate
    from units.models import Role
    from units.services import grant_role

    unit = ward.dossier_khom_1.unit
    grant_role(world.users.nobody, Role.UNIT_REPRESENTATIVE, unit=unit, by=None)
    client.force_login(world.users.nobody)
    certificate = Certificate.objects.get(unit=unit)
    page = client.get(reverse("certification:unit-dossier", args=[unit.pk])).content.decode()
    assert reverse("certification:certificate-pdf", args=[certificate.pk]) in page


@pytest.mark.parametrize("decided_on", ["31/12/9999", "01/01/2028", "31/12/2025"])
def test_a_draft_decision_dated_outside_its_year_or_the_next_is_refused(
    client, ward, decider, decided_on
):
    client.force_login(decider)
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    response = client.post(
        reverse("certification:decision-edit", args=[decision.pk]),
        {
            "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
            "place": "Trà Vinh",
            "decided_on": decided_on,
            "signer_name": "Võ Thị Mai",
            "signer_title": "Chủ tịch",
            f"choice_{ward.dossier_khom_1.pk}": "recognised",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["decided_on"] == [
        "Hãy nhập một ngày trong khoảng năm 2026 đến năm 2027."
    ]
    assert Decision.objects.get(pk=decision.pk).decided_on.year == 2026


def test_the_certificate_admin_does_not_show_the_stored_search_column(client, world, issued):
    certificate = Certificate.objects.get(unit=world.khom_1)
    administrator = world.users.administrator
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    response = client.get(reverse("admin:certification_certificate_change", args=[certificate.pk]))

    assert response.status_code == 200
    assert certificate.unit_name in response.content.decode()
    assert "search" not in response.content.decode().split('id="content-main"')[1].lower()
