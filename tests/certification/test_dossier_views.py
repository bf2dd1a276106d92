"""The unit's dossier page: start, answer, attach, submit, rounds, and who may see or change it."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentDocument,
    AssessmentStatus,
    DossierDocumentKind,
    RegistrationStatus,
    ReviewLevel,
)
from certification.services import assessment as services
from certification.services import registration as registration_services
from certification.services.cycles import create_cycle
from tests.builders import PDF_BYTES, answer_all, complete_dossier, complete_values, pdf_file
from tests.certification.dossier_scene import (
    acknowledged_this_year,
    criteria_of,
    criterion_data,
    dossier_data,
    page_url,
    tt124,
)
from units.models import Role
from units.services import grant_role

# The pages read the clock: it is set to a fixed moment (tests/conftest.py `clock`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
d = datetime.date
Status = AssessmentStatus


def readiness_items(body: str) -> list[tuple[str, str]]:
    """(kind, text) of each line of the readiness panel, tags stripped."""
    found = re.findall(r'<li class="readiness-item" data-kind="(\w+)">(.*?)</li>', body, re.S)
    return [(kind, re.sub(r"<[^>]+>", "", text).strip()) for kind, text in found]


# --- the unit representative ------------------------------------------------------------------


def test_dossier_happy_path_start_answer_upload_and_submit(client, world, khom_registration):
    client.force_login(world.users.rep_khom)
    first_visit = client.get(page_url(world.khom_1))
    assert 'id="start-dossier"' in first_visit.content.decode()

    started = client.post(reverse("certification:dossier-start", args=[world.khom_1.pk]))
    assert started.status_code == 302
    assessment = Assessment.objects.get(unit=world.khom_1)
    first = criteria_of(assessment)[0]
    data = dossier_data(
        assessment,
        **{
            f"c{first.pk}-note": "Chi bộ họp ngày 15/01",
            f"c{first.pk}-evidence": SimpleUploadedFile("danh-sach-ho.pdf", PDF_BYTES),
            "proposal_file": SimpleUploadedFile("to-trinh.pdf", PDF_BYTES),
            "report_file": SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
            "minutes_file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES),
        },
    )

    saved = client.post(page_url(world.khom_1), data, follow=True)

    assert "Đã lưu. Bạn có thể hoàn thiện và nộp sau." in saved.content.decode()
    answer = assessment.answers.get(criterion=first)
    assert (answer.answer, answer.note) == ("met", "Chi bộ họp ngày 15/01")
    assert list(
        AssessmentDocument.objects.order_by("kind").values_list(
            "kind", "criterion", "original_name"
        )
    ) == [
        ("evidence", first.pk, "danh-sach-ho.pdf"),
        ("minutes", None, "bien-ban.pdf"),
        ("proposal", None, "to-trinh.pdf"),
        ("report", None, "bao-cao.pdf"),
    ]
    assert saved.context["readiness"].passes is True

    submitted = client.post(page_url(world.khom_1), dossier_data(assessment, action="submit"))

    assert submitted.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)
    page = client.get(page_url(world.khom_1))
    assert page.context["editing"] is False
    assert 'id="dossier-form"' not in page.content.decode()
    assert [(t.from_status, t.to_status, t.by) for t in page.context["transitions"]] == [
        ("draft", "submitted", world.users.rep_khom)
    ]


def test_dossier_rejected_file_keeps_typed_notes_and_saves_nothing(client, world, khom_dossier):
    client.force_login(world.users.rep_khom)
    first = criteria_of(khom_dossier)[0]
    data = dossier_data(
        khom_dossier,
        meeting_chair="Người Đã Gõ",
        **{
            f"c{first.pk}-note": "Ghi chú đã gõ trên điện thoại",
            f"c{first.pk}-evidence": SimpleUploadedFile("gia.pdf", b"just text, not a PDF"),
        },
    )

    response = client.post(page_url(world.khom_1), data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "“gia.pdf” không phải tệp PDF, JPEG, PNG, DOCX, XLSX" in body
    assert "Chưa lưu gì: hãy sửa các ô được đánh dấu bên dưới." in body
    assert f'id="id_c{first.pk}-note">\nGhi chú đã gõ trên điện thoại</textarea>' in body
    assert 'value="Người Đã Gõ"' in body
    khom_dossier.refresh_from_db()
    assert (khom_dossier.meeting_chair, AssessmentDocument.objects.count()) == ("", 0)
    assert set(khom_dossier.answers.values_list("answer", "note")) == {("", "")}


def test_dossier_submit_asks_for_confirmation_when_the_check_does_not_pass(
    client, world, khom_dossier
):
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.khom_1), dossier_data(khom_dossier, action="submit"))
    confirm_url = reverse("certification:dossier-submit", args=[world.khom_1.pk])
    assert response["Location"] == confirm_url
    assert Assessment.objects.get().status == Status.DRAFT

    confirm = client.get(confirm_url)
    assert [kind for kind, _ in readiness_items(confirm.content.decode())] == [
        "missing",
        "missing",
        "missing",
    ]
    client.post(confirm_url, {"confirm": "yes"})
    assert Assessment.objects.get().status == Status.SUBMITTED


def test_dossier_locked_after_submission_refuses_a_post(client, world, khom_dossier):
    services.submit_assessment(
        khom_dossier, by=None, now=timezone.now(), today=timezone.localdate()
    )
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.khom_1), dossier_data(khom_dossier))
    assert response.status_code == 400
    assert "Hồ sơ đang ở trạng thái “đã nộp, đang thẩm định”: đơn vị không thể sửa nữa." in (
        response.content.decode()
    )
    assert set(khom_dossier.answers.values_list("answer", flat=True)) == {""}


def test_dossier_removing_a_document_also_saves_what_was_typed(client, world, khom_dossier):
    document = services.add_dossier_document(
        khom_dossier, kind=DossierDocumentKind.REPORT, uploaded_file=pdf_file(), by=None
    )
    client.force_login(world.users.rep_khom)
    response = client.post(
        page_url(world.khom_1),
        dossier_data(khom_dossier, meeting_chair="Ông Hải", remove_document=str(document.pk)),
    )
    assert response.status_code == 302
    assert AssessmentDocument.objects.count() == 0
    assert Assessment.objects.get().meeting_chair == "Ông Hải"


# --- permissions ------------------------------------------------------------------------------


def test_dossier_of_another_unit_is_404_for_a_representative(client, world, khom_dossier):
    grant_role(world.users.nobody, Role.UNIT_REPRESENTATIVE, unit=world.ap_2, by=None)
    client.force_login(world.users.nobody)
    unit_pk = world.khom_1.pk
    assert client.get(page_url(world.khom_1)).status_code == 404
    assert client.post(page_url(world.khom_1), dossier_data(khom_dossier)).status_code == 404
    for name in ("dossier-start", "dossier-submit"):
        assert client.post(reverse(f"certification:{name}", args=[unit_pk])).status_code == 404
    assert Assessment.objects.get().status == Status.DRAFT
    assert set(khom_dossier.answers.values_list("answer", flat=True)) == {""}


@pytest.mark.parametrize("user_name", ["reviewer_xa2", "observer_ben_tre", "decider_xa2"])
def test_dossier_is_404_outside_the_users_area(client, world, khom_dossier, user_name):
    grant_role(world.users.nobody, Role.REVIEWER, area=world.xa_2, by=None)
    user = world.users.nobody if user_name == "reviewer_xa2" else getattr(world.users, user_name)
    client.force_login(user)
    assert client.get(page_url(world.khom_1)).status_code == 404


def test_dossier_reviewer_in_the_area_reads_but_cannot_change_it(client, world, khom_dossier):
    client.force_login(world.users.reviewer_phuong)
    page = client.get(page_url(world.khom_1))
    assert page.status_code == 200
    assert (page.context["editing"], page.context["details_form"]) == (False, None)
    assert [item["view"].criterion.number for item in page.context["criteria"]] == [1, 2, 3, 4, 5]
    assert 'id="dossier-form"' not in page.content.decode()

    assert client.post(page_url(world.khom_1), dossier_data(khom_dossier)).status_code == 403
    submit_url = reverse("certification:dossier-submit", args=[world.khom_1.pk])
    assert client.post(submit_url, {"confirm": "yes"}).status_code == 403
    assert Assessment.objects.get().status == Status.DRAFT
    assert set(khom_dossier.answers.values_list("answer", flat=True)) == {""}


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        ("rep_khom", 200),
        ("reviewer_phuong", 200),
        ("reviewer_province", 200),
        ("decider_xa2", 404),
        ("observer_ben_tre", 404),
        ("nobody", 404),
    ],
)
def test_dossier_document_download_checks_the_jurisdiction(
    client, world, khom_dossier, user_name, status
):
    document = services.add_dossier_document(
        khom_dossier, kind=DossierDocumentKind.MINUTES, uploaded_file=pdf_file(), by=None
    )
    client.force_login(getattr(world.users, user_name))
    response = client.get(reverse("certification:dossier-document-download", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"


# --- rounds -----------------------------------------------------------------------------------


@pytest.fixture
def returned_dossier(world, khom_dossier):
    """Round 2: the reviewer sent criteria 1 and 2 back."""
    dossier = complete_dossier(khom_dossier)
    services.submit_assessment(dossier, by=None, now=timezone.now(), today=timezone.localdate())
    first, second = criteria_of(dossier)[:2]
    return services.send_back_criteria(
        dossier,
        reasons={first.pk: "Thiếu danh sách hộ ký cam kết", second.pk: "Ghi rõ kết quả"},
        by=world.users.reviewer_phuong,
        now=timezone.now(),
    )


def test_dossier_round_two_shows_only_the_returned_criteria_editable(
    client, world, returned_dossier
):
    client.force_login(world.users.rep_khom)
    page = client.get(page_url(world.khom_1))
    rows = [
        (
            item["view"].criterion.number,
            item["form"] is not None,
            item["collapsed"],
            item["view"].returned_reason,
        )
        for item in page.context["criteria"]
    ]
    assert rows == [
        (1, True, False, "Thiếu danh sách hộ ký cam kết"),
        (2, True, False, "Ghi rõ kết quả"),
        (3, False, True, ""),
        (4, False, True, ""),
        (5, False, True, ""),
    ]
    assert "Thiếu danh sách hộ ký cam kết" in page.content.decode()


def test_dossier_round_two_refuses_a_change_to_a_criterion_not_sent_back(
    client, world, returned_dossier
):
    first, _second, third = criteria_of(returned_dossier)[:3]
    client.force_login(world.users.rep_khom)
    data = {
        **dossier_data(returned_dossier),
        **criterion_data(first, note="Đã bổ sung danh sách"),
        f"c{third.pk}-note": "Sửa lén",
    }

    response = client.post(page_url(world.khom_1), data)

    assert response.status_code == 400
    assert "Ở lần này chỉ được sửa các tiêu chí cán bộ thẩm định đã trả lại." in (
        response.content.decode()
    )
    notes = dict(returned_dossier.answers.values_list("criterion_id", "note"))
    assert (notes[first.pk], notes[third.pk]) == ("", "")


def test_dossier_round_two_saves_a_returned_criterion(client, world, returned_dossier):
    first, second = criteria_of(returned_dossier)[:2]
    client.force_login(world.users.rep_khom)
    data = {
        key: value
        for key, value in dossier_data(returned_dossier).items()
        if not key.startswith("c") or key.startswith((f"c{first.pk}-", f"c{second.pk}-"))
    }
    data[f"c{first.pk}-note"] = "Đã bổ sung danh sách"

    response = client.post(page_url(world.khom_1), data)

    assert response.status_code == 302
    assert returned_dossier.answers.get(criterion=first).note == "Đã bổ sung danh sách"


# --- notes copied from last year --------------------------------------------------------------


def test_dossier_copied_notes_are_marked_until_edited(client, world, dossier_cycle):
    last_cycle = create_cycle(
        year=dossier_cycle.year - 1, province=world.vinh_long, criteria_set=tt124(), by=None
    )
    old_registration = registration_services.start_registration(
        last_cycle,
        world.khom_1,
        values=complete_values(),
        by=None,
        today=d(last_cycle.year, 2, 10),
    )
    old_registration.status = RegistrationStatus.ACKNOWLEDGED
    old_registration.save()
    old = services.start_assessment(old_registration, by=None, today=d(last_cycle.year, 11, 1))
    first = criteria_of(old)[0]
    services.save_answers(
        old, answers={first.pk: {"note": "Chi bộ họp ngày 15/01\nĐủ thành phần"}}, by=None
    )
    acknowledged_this_year(dossier_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    client.force_login(world.users.rep_khom)
    client.post(reverse("certification:dossier-start", args=[world.khom_1.pk]))
    assessment = Assessment.objects.get(cycle=dossier_cycle)
    copied_pk = assessment.answers.get(criterion__number=1).criterion_id

    page = client.get(page_url(world.khom_1)).content.decode()
    assert re.findall(r'id="note-copied-(\d+)"', page) == [str(copied_pk)]

    # Saved untouched (the browser sends CRLF line breaks), the note stays marked as copied.
    untouched = dossier_data(
        assessment, **{f"c{copied_pk}-note": "Chi bộ họp ngày 15/01\r\nĐủ thành phần"}
    )
    client.post(page_url(world.khom_1), untouched)
    assert assessment.answers.get(criterion_id=copied_pk).note_copied is True

    edited = dossier_data(assessment, **{f"c{copied_pk}-note": "Chi bộ họp ngày 12/01"})
    client.post(page_url(world.khom_1), edited)
    answer = assessment.answers.get(criterion_id=copied_pk)
    assert (answer.note, answer.note_copied) == ("Chi bộ họp ngày 12/01", False)
    assert 'id="note-copied-' not in client.get(page_url(world.khom_1)).content.decode()


# --- readiness --------------------------------------------------------------------------------


def test_dossier_readiness_panel_lists_exactly_what_is_missing(client, world, khom_dossier):
    first, second = criteria_of(khom_dossier)[:2]
    services.save_answers(
        khom_dossier,
        answers={first.pk: {"answer": "met"}, second.pk: {"answer": "not_met"}},
        by=None,
    )
    services.add_dossier_document(
        khom_dossier, kind=DossierDocumentKind.REPORT, uploaded_file=pdf_file(), by=None
    )
    client.force_login(world.users.rep_khom)

    body = client.get(page_url(world.khom_1)).content.decode()

    titles = {c.number: f"{c.number}. {c.title}" for c in criteria_of(khom_dossier)}
    assert readiness_items(body) == [
        ("unanswered", titles[3]),
        ("unanswered", titles[4]),
        ("unanswered", titles[5]),
        ("missing", "Tờ trình đề nghị xét duyệt, công nhận"),
        ("missing", "Biên bản họp đánh giá"),
        ("missing", "Ngày họp đánh giá"),
        ("failing", f"{titles[2]}: Đơn vị tự đánh giá “không đạt”."),
    ]


def test_dossier_shows_where_the_answer_contradicts_the_automatic_check(
    client, world, dossier_cycle
):
    registration = acknowledged_this_year(
        dossier_cycle, world.khom_1, reviewer=world.users.reviewer_phuong
    )
    registration.households_registered = 100
    registration.save()
    assessment = services.start_assessment(registration, by=None, today=timezone.localdate())
    answer_all(assessment, "met")
    client.force_login(world.users.rep_khom)

    body = client.get(page_url(world.khom_1)).content.decode()

    first = criteria_of(assessment)[0]
    assert re.findall(r'id="contradiction-(\d+)"', body) == [str(first.pk)]
    assert f'id="auto-result-{first.pk}" data-result="fail"' in body
    assert "100 trên 120" in body


# --- links and query counts -------------------------------------------------------------------


def test_dossier_is_linked_from_home_and_registration_once_acknowledged(
    client, world, khom_registration
):
    client.force_login(world.users.rep_khom)
    url = page_url(world.khom_1)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    registration_page = client.get(
        reverse("certification:unit-registration", args=[world.khom_1.pk])
    )
    assert f'href="{url}"' in registration_page.content.decode()


def test_dossier_page_query_count_does_not_grow_with_evidence(
    client, world, khom_dossier, django_assert_num_queries
):
    first = criteria_of(khom_dossier)[0]

    def attach(count):
        for _ in range(count):
            services.add_dossier_document(
                khom_dossier,
                kind=DossierDocumentKind.EVIDENCE,
                criterion=first,
                uploaded_file=pdf_file(),
                by=None,
            )

    attach(1)
    client.force_login(world.users.rep_khom)
    client.get(page_url(world.khom_1))  # warm the per-process caches
    # The page's own queries: unit, cycle, registration, dossier, may edit; answers, evidence,
    # returns, last year's dossier, registration documents (criterion views); documents,
    # calendar, extension, calendar (deadline), document kinds (readiness), status changes.
    # The base page (session, user, roles, bell) adds its own; compared, not counted here.
    with CaptureQueriesContext(connection) as with_one_file:
        client.get(page_url(world.khom_1))
    attach(9)

    with django_assert_num_queries(len(with_one_file)):
        response = client.get(page_url(world.khom_1))

    assert len(response.context["criteria"][0]["view"].evidence) == 10


def test_dossier_errors_sit_beside_their_fields_under_one_banner(client, world, khom_dossier):
    client.force_login(world.users.rep_khom)
    criteria = criteria_of(khom_dossier)
    data = dossier_data(
        khom_dossier,
        meeting_attendance="-3",
        meeting_chair="",
        **{f"c{criterion.pk}-answer": "" for criterion in criteria[:3]},
    )

    response = client.post(page_url(world.khom_1), data)

    body = response.content.decode()
    assert response.status_code == 400
    banners = re.findall(r'class="alert alert-(?:danger|error)[^"]*"', body)
    assert len(banners) == 1, banners
    assert body.count("Chưa lưu gì: hãy sửa các ô được đánh dấu bên dưới.") == 1
    # The error is shown once, beside its field (crispy's invalid-feedback), not in a list.
    assert 'id="id_meeting_attendance"' in body.split("is-invalid", 1)[1][:400]
    assert body.count("Đảm bảo giá trị này lớn hơn hoặc bằng với 0") == 1
