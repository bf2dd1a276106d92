import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    CycleStep,
    DocumentKind,
    Registration,
    RegistrationDocument,
    RegistrationStatus,
)
from certification.services import registration as services
from tests.builders import PDF_BYTES, PNG_BYTES, submitted_registration
from tests.factories import UnitFactory, UserFactory
from units.models import ManagingLevel, Role, UnitType
from units.services import grant_role

# The pages read the clock: it is set to a fixed moment (tests/conftest.py `clock`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def page_url(unit):
    return reverse("certification:unit-registration", kwargs={"unit_pk": unit.pk})


def form_data(**overrides):
    data = {
        "registered_on": timezone.localdate().strftime("%d/%m/%Y"),
        "signer_name": "Ngô Văn Hải",
        "signer_title": "Trưởng khóm",
        "commitment": "Khóm 1 đăng ký phấn đấu đạt tiêu chuẩn.",
        "households_resident": "120",
        "households_registered": "118",
        "action": "save",
    }
    data.update(overrides)
    return data


# --- the unit representative ------------------------------------------------------------------


def test_representative_saves_a_draft_and_finishes_it_later(client, world, open_cycle):
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.khom_1), form_data())
    assert response.status_code == 302
    registration = Registration.objects.get(unit=world.khom_1)
    assert (registration.status, registration.signer_name, registration.households_registered) == (
        RegistrationStatus.DRAFT,
        "Ngô Văn Hải",
        118,
    )
    page = client.get(page_url(world.khom_1)).content.decode()
    assert "Cần bổ sung trước khi nộp:" in page
    assert "Hãy đính kèm Nghị quyết của chi bộ/đảng ủy." in page


def test_representative_submits_with_a_document_and_sees_the_receipt_code(
    client, world, open_cycle
):
    client.force_login(world.users.rep_khom)
    data = form_data(
        action="submit",
        document_kind=DocumentKind.PARTY_RESOLUTION,
        document_date=timezone.localdate().strftime("%d/%m/%Y"),
        document_file=SimpleUploadedFile("Nghị quyết chi bộ.pdf", PDF_BYTES),
    )
    response = client.post(page_url(world.khom_1), data, follow=True)
    registration = Registration.objects.get(unit=world.khom_1)
    assert registration.status == RegistrationStatus.SUBMITTED
    code = registration.receipt_code
    assert code == f"DK{open_cycle.year}-86-000001"
    body = response.content.decode()
    assert f"Mã hồ sơ của bạn là {code}" in body
    assert "Nghị_quyết_chi_bộ.pdf" in body


def test_rejected_file_keeps_everything_typed_and_saves_nothing(client, world, open_cycle):
    client.force_login(world.users.rep_khom)
    data = form_data(
        signer_name="Người Đã Gõ",
        document_kind=DocumentKind.PARTY_RESOLUTION,
        document_date="20/01/2026",
        document_file=SimpleUploadedFile("nghi-quyet.pdf", b"just text, not a PDF"),
    )
    response = client.post(page_url(world.khom_1), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "“nghi-quyet.pdf” không phải tệp PDF, JPEG, PNG, DOCX, XLSX" in body
    assert 'value="Người Đã Gõ"' in body
    assert 'value="118"' in body
    assert Registration.objects.count() == 0


def test_oversized_file_is_refused_with_the_limit(client, world, open_cycle, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(world.users.rep_khom)
    data = form_data(
        document_kind=DocumentKind.OTHER,
        document_date="20/01/2026",
        document_file=SimpleUploadedFile("anh.png", PNG_BYTES + b"\x00" * 200),
    )
    response = client.post(page_url(world.khom_1), data)
    assert response.status_code == 400
    assert "tệp chỉ được tối đa 100" in response.content.decode()
    assert RegistrationDocument.objects.count() == 0


def test_more_registered_than_resident_households_is_an_error_on_the_field(
    client, world, open_cycle
):
    client.force_login(world.users.rep_khom)
    response = client.post(
        page_url(world.khom_1), form_data(households_resident="100", households_registered="150")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["households_registered"] == [
        "Không được lớn hơn số hộ cư trú (100)."
    ]
    assert Registration.objects.count() == 0


def test_excluded_unit_sees_why_it_cannot_register(client, world, open_cycle):
    from units.models import Role
    from units.services import grant_role

    grant_role(world.users.nobody, Role.UNIT_REPRESENTATIVE, unit=world.enterprise, by=None)
    client.force_login(world.users.nobody)
    response = client.get(page_url(world.enterprise))
    assert response.context["form"] is None
    assert "Thông tư 124/2021 không áp dụng cho doanh nghiệp nhỏ và siêu nhỏ." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        ("rep_khom", 404),  # another unit's registration
        ("observer_ben_tre", 404),
        ("decider_xa2", 200),
        ("reviewer_province", 200),
    ],
)
def test_registration_page_of_a_unit_is_404_outside_the_jurisdiction(
    client, world, open_cycle, user_name, status
):
    client.force_login(getattr(world.users, user_name))
    assert client.get(page_url(world.ap_2)).status_code == status


def test_representative_cannot_change_another_units_registration(client, world, open_cycle):
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.ap_2), form_data())
    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_reviewer_reads_but_cannot_edit_a_units_registration(client, world, open_cycle):
    client.force_login(world.users.reviewer_phuong)
    response = client.post(page_url(world.khom_1), form_data())
    assert response.status_code == 400
    assert Registration.objects.count() == 0


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "status"),
    [("rep_khom", 200), ("reviewer_phuong", 200), ("decider_xa2", 404), ("nobody", 404)],
)
def test_document_download_checks_the_jurisdiction(client, world, open_cycle, user_name, status):
    registration = submitted_registration(open_cycle, world.khom_1)
    document = registration.documents.get()
    client.force_login(getattr(world.users, user_name))
    response = client.get(reverse("certification:document-download", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"


def test_documents_are_stored_outside_the_static_root_under_a_random_name(world, open_cycle):
    from django.conf import settings

    document = submitted_registration(open_cycle, world.khom_1).documents.get()
    assert not document.file.path.startswith(str(settings.STATIC_ROOT))
    assert "nghi-quyet" not in document.file.name
    assert document.original_name == "nghi-quyet.pdf"


# --- the reviewer -----------------------------------------------------------------------------


def test_reviewer_list_starts_on_what_waits_for_them(client, world, open_cycle):
    submitted_registration(open_cycle, world.khom_1)
    submitted_registration(open_cycle, world.ap_2)
    client.force_login(world.users.reviewer_phuong)
    response = client.get(reverse("certification:registration-list"))
    assert [r.unit for r in response.context["object_list"]] == [world.khom_1]
    home = client.get(reverse("home"))
    assert home.context["queue"].registrations == 1
    assert "bản đăng ký cần tiếp nhận" in home.content.decode()


def test_provincial_reviewer_does_not_wait_on_commune_managed_units(client, world, open_cycle):
    submitted_registration(open_cycle, world.khom_1)
    client.force_login(world.users.reviewer_province)
    waiting = client.get(reverse("certification:registration-list"))
    everything = client.get(reverse("certification:registration-list"), {"waiting": ""})
    assert list(waiting.context["object_list"]) == []
    assert [r.unit for r in everything.context["object_list"]] == [world.khom_1]


@pytest.mark.parametrize("count", [1, 30])
def test_reviewer_list_query_count_does_not_grow(
    client, world, open_cycle, count, django_assert_num_queries
):
    units = [world.khom_1, *UnitFactory.create_batch(count - 1, area=world.phuong_1)]
    for unit in units:
        submitted_registration(open_cycle, unit)
    client.force_login(world.users.reviewer_phuong)
    # session, user, roles, area choices, count, page of registrations with units and areas
    with django_assert_num_queries(6):
        response = client.get(reverse("certification:registration-list"))
    assert len(response.context["object_list"]) == count


def test_reviewer_acknowledges_from_the_detail_page(client, world, open_cycle):
    registration = submitted_registration(open_cycle, world.khom_1)
    client.force_login(world.users.reviewer_phuong)
    response = client.post(
        reverse("certification:registration-acknowledge", args=[registration.pk]), follow=True
    )
    assert "Đã tiếp nhận đăng ký." in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.ACKNOWLEDGED


def test_second_reviewer_acting_on_a_handled_registration_sees_a_message(client, world, open_cycle):
    registration = submitted_registration(open_cycle, world.khom_1)
    services.acknowledge_registration(registration, by=world.users.reviewer_phuong)
    colleague = UserFactory(username="ca.traVinh.2")
    grant_role(colleague, Role.REVIEWER, area=world.phuong_1, by=None)
    client.force_login(colleague)
    response = client.post(
        reverse("certification:registration-acknowledge", args=[registration.pk]), follow=True
    )
    assert response.status_code == 200
    assert "có thể người khác đã xử lý trước" in response.content.decode()


def test_return_without_a_reason_keeps_the_registration_and_explains(client, world, open_cycle):
    registration = submitted_registration(open_cycle, world.khom_1)
    client.force_login(world.users.reviewer_phuong)
    response = client.post(
        reverse("certification:registration-return", args=[registration.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Hãy nêu lý do để đơn vị biết cần sửa gì." in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.SUBMITTED


def test_returned_registration_shows_the_reason_to_the_unit(client, world, open_cycle):
    registration = submitted_registration(open_cycle, world.khom_1)
    client.force_login(world.users.reviewer_phuong)
    client.post(
        reverse("certification:registration-return", args=[registration.pk]),
        {"reason": "Thiếu chữ ký của trưởng khóm"},
    )
    client.force_login(world.users.rep_khom)
    page = client.get(page_url(world.khom_1))
    assert "Thiếu chữ ký của trưởng khóm" in page.content.decode()
    assert page.context["form"] is not None


@pytest.mark.parametrize("user_name", ["observer_ben_tre", "decider_xa2", "rep_khom"])
def test_review_actions_are_404_for_users_who_may_not_review(client, world, open_cycle, user_name):
    registration = submitted_registration(open_cycle, world.khom_1)
    client.force_login(getattr(world.users, user_name))
    url = reverse("certification:registration-acknowledge", args=[registration.pk])
    assert client.post(url).status_code == 404
    assert Registration.objects.get().status == RegistrationStatus.SUBMITTED


# --- extensions and completeness --------------------------------------------------------------


def test_reviewer_grants_an_extension_that_the_unit_sees(client, world, open_cycle):
    client.force_login(world.users.reviewer_phuong)
    due = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        reverse("certification:extension-create", args=[world.khom_1.pk]),
        {"step": CycleStep.REGISTRATION, "due_on": due.strftime("%d/%m/%Y"), "reason": "Bão số 3"},
    )
    assert response.status_code == 302
    client.force_login(world.users.rep_khom)
    page = client.get(page_url(world.khom_1)).content.decode()
    assert f"hạn đăng ký phấn đấu của đơn vị là ngày {due:%d/%m/%Y}" in page
    assert "Bão số 3" in page


def test_unit_representative_cannot_grant_an_extension(client, world, open_cycle):
    client.force_login(world.users.rep_khom)
    url = reverse("certification:extension-create", args=[world.khom_1.pk])
    assert client.get(url).status_code == 404


def test_extension_form_explains_a_date_before_the_deadline(client, world, open_cycle):
    client.force_login(world.users.reviewer_phuong)
    response = client.post(
        reverse("certification:extension-create", args=[world.khom_1.pk]),
        {"step": CycleStep.REGISTRATION, "due_on": f"01/01/{open_cycle.year}", "reason": "Bão"},
    )
    assert response.status_code == 400
    assert "Hạn mới phải sau hạn thông thường" in response.content.decode()


def test_completeness_page_shows_x_of_y_and_who_is_missing(client, world, open_cycle):
    UnitFactory(code="KDC-004", name="Khóm 4", area=world.phuong_1)
    submitted_registration(open_cycle, world.khom_1)
    client.force_login(world.users.reviewer_phuong)
    response = client.get(
        reverse("certification:registration-completeness", args=[world.phuong_1.pk])
    )
    body = response.content.decode()
    assert f"1/2 đơn vị đã đăng ký năm {open_cycle.year}" in body
    assert "Khóm 4" in body


def test_completeness_page_is_404_outside_the_jurisdiction(client, world, open_cycle):
    client.force_login(world.users.observer_ben_tre)
    url = reverse("certification:registration-completeness", args=[world.phuong_1.pk])
    assert client.get(url).status_code == 404


def test_completeness_page_is_404_to_the_representative_of_a_unit_in_the_commune(
    client, world, open_cycle
):
    client.force_login(world.users.rep_khom)
    url = reverse("certification:registration-completeness", args=[world.phuong_1.pk])
    assert client.get(url).status_code == 404


def test_completeness_page_shows_the_commune_unit_its_own_child_units(client, world, open_cycle):
    commune_unit = UnitFactory(
        code="XA-29242",
        name="Phường Trà Vinh",
        unit_type=UnitType.COMMUNE,
        residential_subtype="",
        area=world.phuong_1,
        managing_level=ManagingLevel.PROVINCE,
    )
    representative = UserFactory(username="phuong.travinh")
    grant_role(representative, Role.UNIT_REPRESENTATIVE, unit=commune_unit, by=None)
    client.force_login(representative)
    own = reverse("certification:registration-completeness", args=[world.phuong_1.pk])
    other = reverse("certification:registration-completeness", args=[world.xa_2.pk])
    response = client.get(own)
    assert response.status_code == 200
    assert "Khóm 1" in response.content.decode()
    assert client.get(other).status_code == 404


def test_extension_to_the_year_9999_is_refused(client, world, open_cycle):
    client.force_login(world.users.reviewer_phuong)
    response = client.post(
        reverse("certification:extension-create", args=[world.khom_1.pk]),
        {"step": CycleStep.REGISTRATION, "due_on": "31/12/9999", "reason": "Bão"},
    )
    assert response.status_code == 400
    year = open_cycle.year
    assert response.context["form"].errors["due_on"] == [
        f"Hãy nhập một ngày trong khoảng năm {year} đến năm {year + 1}."
    ]


def test_registration_figures_beyond_the_maximum_are_refused(client, world, open_cycle):
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.khom_1), form_data(households_resident="3000000000"))
    assert response.status_code == 400
    assert response.context["form"].errors["households_resident"] == [
        "Con số này quá lớn: tối đa là 1000000."
    ]
    assert not Registration.objects.exists()
