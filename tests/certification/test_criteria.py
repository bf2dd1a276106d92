"""Criteria sets: the circulars loaded by migration, publishing and versioning, the frozen admin."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import (
    CriteriaSet,
    CriteriaSetStatus,
    Criterion,
    CriterionKind,
    DocumentKind,
    ExclusionRule,
    Registration,
)
from certification.services.criteria import (
    create_new_version,
    ensure_editable,
    publish_criteria_set,
)
from tests.factories import AreaFactory, ProvinceFactory, UnitFactory, UserFactory
from units.models import EnterpriseSize, SchoolLevel, UnitType

pytestmark = pytest.mark.django_db

TT23 = "TT23-2012"
TT124 = "TT124-2021"
NOW = datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC)
CHANGELIST = "admin:certification_criteriaset_changelist"
# Every field of a criterion but its identity and its set: what a copy must reproduce.
CRITERION_CONTENT = (
    "unit_type",
    "number",
    "title",
    "text",
    "kind",
    "parameters",
    "evidence_expected",
    "text_to_verify",
    "verification_note",
)


def _loaded(code):
    return CriteriaSet.objects.get(code=code, version=1)


def _fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


def _content(criteria_set):
    return list(
        criteria_set.criteria.order_by("unit_type", "number").values_list(*CRITERION_CONTENT)
    )


def _snapshot(criteria_set):
    """Everything stored about a set and its criteria, identities included."""
    row = CriteriaSet.objects.filter(pk=criteria_set.pk).values().get()
    criteria = list(criteria_set.criteria.order_by("pk").values())
    return row, criteria


def _draft(code="TT-THU", *, criteria=1, title="Bộ tiêu chí thử nghiệm", province=None):
    criteria_set = CriteriaSet.objects.create(
        code=code,
        title=title,
        legal_basis="Quyết định thử nghiệm",
        effective_from=datetime.date(2026, 1, 1),
        province=province,
    )
    for number in range(1, criteria + 1):
        Criterion.objects.create(
            criteria_set=criteria_set,
            unit_type=UnitType.RESIDENTIAL_AREA,
            number=number,
            title=f"Tiêu chí thử {number}",
            text="Nội dung tiêu chí thử.",
            kind=CriterionKind.QUAL,
        )
    return criteria_set


# --- The sets loaded by migration 0002 ---------------------------------------------------------


def test_loaded_sets_are_published_first_versions():
    # Act
    rows = list(
        CriteriaSet.objects.filter(code__in=[TT23, TT124], version=1)
        .order_by("code")
        .values_list(
            "code", "version", "status", "effective_from", "effective_to", "exclusion_rule"
        )
    )

    # Assert
    assert rows == [
        (
            TT124,
            1,
            CriteriaSetStatus.PUBLISHED,
            datetime.date(2022, 2, 10),
            None,
            ExclusionRule.CIRCULAR_124,
        ),
        (
            TT23,
            1,
            CriteriaSetStatus.PUBLISHED,
            datetime.date(2012, 6, 18),
            datetime.date(2022, 2, 9),
            ExclusionRule.NONE,
        ),
    ]


def test_loaded_sets_have_criteria_for_every_unit_type():
    # Act
    counts = {
        (row["criteria_set__code"], row["unit_type"]): row["count"]
        for row in Criterion.objects.filter(
            criteria_set__code__in=[TT23, TT124], criteria_set__version=1
        )
        .values("criteria_set__code", "unit_type")
        .annotate(count=Count("pk"))
    }

    # Assert
    assert counts == {
        (TT23, UnitType.RESIDENTIAL_AREA): 4,
        (TT23, UnitType.COMMUNE): 4,
        (TT23, UnitType.AGENCY): 4,
        (TT23, UnitType.ENTERPRISE): 4,
        (TT23, UnitType.SCHOOL): 3,
        (TT124, UnitType.RESIDENTIAL_AREA): 5,
        (TT124, UnitType.COMMUNE): 4,
        (TT124, UnitType.AGENCY): 3,
        (TT124, UnitType.ENTERPRISE): 3,
        (TT124, UnitType.SCHOOL): 6,
    }


def test_loaded_tt124_commune_child_units_are_pooled_100_registered_70_recognised():
    # Act
    criterion = _loaded(TT124).criteria.get(unit_type=UnitType.COMMUNE, number=4)

    # Assert
    assert criterion.kind == CriterionKind.PCT_CHILD
    assert criterion.parameters == {
        "child_units": {
            "registered_min_percent": 100,
            "recognised_min_percent": 70,
            "pooling": "all",
            "types": ["residential_area", "agency", "enterprise", "school"],
        }
    }


def test_loaded_tt23_commune_child_units_count_only_recognised_residential_areas():
    # Act
    criterion = _loaded(TT23).criteria.get(unit_type=UnitType.COMMUNE, number=4)

    # Assert
    assert criterion.kind == CriterionKind.PCT_CHILD
    assert criterion.parameters == {
        "child_units": {
            "recognised_min_percent": 70,
            "pooling": "all",
            "types": ["residential_area"],
        }
    }


def test_loaded_residential_first_criterion_combines_documents_and_household_share():
    # Act
    criterion = _loaded(TT124).criteria.get(unit_type=UnitType.RESIDENTIAL_AREA, number=1)

    # Assert
    assert criterion.parameters == {
        "documents": ["party_resolution", "registration"],
        "documents_due": "03-31",
        "share": [
            {"part": "households_registered", "whole": "households_resident", "min_percent": 100}
        ],
    }


def test_loaded_criteria_to_verify_are_the_reconstructed_ones():
    # Act
    marked = set(
        Criterion.objects.filter(
            criteria_set__code__in=[TT23, TT124], text_to_verify=True
        ).values_list("criteria_set__code", "unit_type", "number")
    )

    # Assert
    residential, commune, agency, enterprise, school = (
        UnitType.RESIDENTIAL_AREA,
        UnitType.COMMUNE,
        UnitType.AGENCY,
        UnitType.ENTERPRISE,
        UnitType.SCHOOL,
    )
    assert marked == {
        (TT23, residential, 2),
        (TT23, residential, 3),
        (TT23, residential, 4),
        (TT23, commune, 2),
        (TT23, agency, 4),
        (TT23, enterprise, 4),
        (TT23, school, 3),
        (TT124, residential, 3),
        (TT124, residential, 4),
        (TT124, residential, 5),
        (TT124, commune, 2),
        (TT124, agency, 3),
        (TT124, enterprise, 3),
        *((TT124, school, number) for number in range(1, 7)),
    }


def test_loaded_criteria_to_verify_all_carry_a_note():
    # Act
    without_note = Criterion.objects.filter(text_to_verify=True, verification_note="").count()

    # Assert
    assert Criterion.objects.filter(text_to_verify=True).count() == 19
    assert without_note == 0


def test_loaded_parameters_name_only_known_documents_figures_and_types():
    # Arrange
    documents = {*DocumentKind.values, "registration"}
    figures = {field.name for field in Registration._meta.get_fields()}
    known_keys = {
        "documents",
        "optional_documents",
        "documents_due",
        "share",
        "child_units",
        "models_min",
        "items",
        "figures",
        "rule",
        "rating",
        "value",
        "no_discipline_from",
        # Version 2 of TT124-2021 (migration 0037).
        "item_labels",
        "excusable",
        "force_rating",
        "no_discipline",
        "departments",
    }
    problems = []

    # Act
    for criterion in Criterion.objects.filter(criteria_set__code__in=[TT23, TT124]):
        parameters = criterion.parameters
        where = f"{criterion.criteria_set.code} {criterion.unit_type} {criterion.number}"
        problems += [f"{where}: key {key}" for key in set(parameters) - known_keys]
        for kind in parameters.get("documents", []) + parameters.get("optional_documents", []):
            if kind not in documents:
                problems.append(f"{where}: document {kind}")
        for share in parameters.get("share", []):
            if {share["part"], share["whole"]} - figures:
                problems.append(f"{where}: share {share}")
        child_types = parameters.get("child_units", {}).get("types", [])
        if set(child_types) - set(UnitType.values):
            problems.append(f"{where}: child types {child_types}")
        if "items" in parameters and not all(parameters["items"]):
            problems.append(f"{where}: empty item")
        if criterion.kind == CriterionKind.NO_EVENT and not parameters.get("items"):
            problems.append(f"{where}: NO-EVENT without items")

    # Assert
    assert problems == []


def test_load_migration_reverse_removes_the_sets_and_forward_restores_them():
    # Arrange
    migration = importlib.import_module("certification.migrations.0002_load_criteria_sets")
    version_2 = importlib.import_module("certification.migrations.0037_tt124_criteria_version_2")
    loaded = Criterion.objects.filter(criteria_set__code__in=[TT23, TT124])
    count_before = loaded.count()

    # Act: migrations reverse newest first
    version_2.withdraw_version_2(apps, None)
    migration.unload_criteria_sets(apps, None)
    sets_after_reverse = CriteriaSet.objects.filter(code__in=[TT23, TT124]).count()
    criteria_after_reverse = loaded.count()
    migration.load_criteria_sets(apps, None)
    version_2.publish_version_2(apps, None)

    # Assert
    assert (sets_after_reverse, criteria_after_reverse) == (0, 0)
    assert CriteriaSet.objects.filter(code__in=[TT23, TT124]).count() == 3
    assert loaded.count() == count_before


# --- Exclusions ---------------------------------------------------------------------------------


def test_exclusion_reason_tt124_excludes_a_micro_enterprise_in_vietnamese():
    # Arrange
    enterprise = UnitFactory(
        unit_type=UnitType.ENTERPRISE,
        residential_subtype="",
        enterprise_size=EnterpriseSize.MICRO,
    )

    # Act
    reason = _loaded(TT124).exclusion_reason(enterprise)

    # Assert
    assert reason == "Thông tư 124/2021 không áp dụng cho doanh nghiệp nhỏ và siêu nhỏ."


def test_exclusion_reason_tt124_admits_a_medium_enterprise():
    # Arrange
    enterprise = UnitFactory(
        unit_type=UnitType.ENTERPRISE,
        residential_subtype="",
        enterprise_size=EnterpriseSize.MEDIUM,
    )

    # Act
    reason = _loaded(TT124).exclusion_reason(enterprise)

    # Assert
    assert reason == ""


def test_exclusion_reason_tt23_excludes_nobody():
    # Arrange
    units = [
        UnitFactory(
            unit_type=UnitType.ENTERPRISE,
            residential_subtype="",
            enterprise_size=EnterpriseSize.MICRO,
        ),
        UnitFactory(unit_type=UnitType.AGENCY, residential_subtype="", is_armed_forces=True),
        UnitFactory(
            unit_type=UnitType.SCHOOL, residential_subtype="", school_level=SchoolLevel.PRIMARY
        ),
    ]

    # Act
    reasons = [_loaded(TT23).exclusion_reason(unit) for unit in units]

    # Assert
    assert reasons == ["", "", ""]


# --- Services -----------------------------------------------------------------------------------


def test_publish_criteria_set_publishes_a_draft_with_criteria():
    # Arrange
    user = UserFactory()
    draft = _draft()

    # Act
    published = publish_criteria_set(draft, by=user, now=NOW)

    # Assert
    stored = _fresh(draft)
    assert (stored.status, stored.published_at, stored.published_by) == (
        CriteriaSetStatus.PUBLISHED,
        NOW,
        user,
    )
    assert published == stored


def test_publish_criteria_set_refuses_a_published_set():
    # Arrange
    published = _loaded(TT124)
    before = _snapshot(published)

    # Act
    with pytest.raises(ValidationError):
        publish_criteria_set(published, by=UserFactory(), now=NOW)

    # Assert
    assert _snapshot(published) == before


def test_publish_criteria_set_refuses_an_empty_draft():
    # Arrange
    empty = _draft(criteria=0)

    # Act
    with pytest.raises(ValidationError):
        publish_criteria_set(empty, by=UserFactory(), now=NOW)

    # Assert
    stored = _fresh(empty)
    assert (stored.status, stored.published_at, stored.published_by) == (
        CriteriaSetStatus.DRAFT,
        None,
        None,
    )


def test_create_new_version_copies_every_criterion_into_a_draft():
    # Arrange
    source = _loaded(TT124)

    # Act
    draft = create_new_version(source, by=UserFactory())

    # Assert
    stored = _fresh(draft)
    assert (
        stored.code,
        stored.version,
        stored.status,
        stored.previous_version,
        stored.published_at,
        stored.title,
        stored.legal_basis,
        stored.effective_from,
        stored.exclusion_rule,
    ) == (
        TT124,
        3,  # after version 2, published by migration 0037
        CriteriaSetStatus.DRAFT,
        source,
        None,
        source.title,
        source.legal_basis,
        source.effective_from,
        source.exclusion_rule,
    )
    assert len(_content(stored)) == 21
    assert _content(stored) == _content(source)


def test_create_new_version_leaves_the_published_set_untouched():
    # Arrange
    source = _loaded(TT23)
    before = _snapshot(source)

    # Act
    create_new_version(source, by=UserFactory())

    # Assert
    assert _snapshot(source) == before


def test_create_new_version_refuses_while_a_draft_of_the_code_exists():
    # Arrange
    source = _loaded(TT124)
    create_new_version(source, by=UserFactory())

    # Act
    with pytest.raises(ValidationError) as raised:
        create_new_version(source, by=UserFactory())

    # Assert
    assert "v3" in raised.value.messages[0]
    assert list(CriteriaSet.objects.filter(code=TT124).values_list("version", flat=True)) == [
        3,
        2,
        1,
    ]


def test_create_new_version_refuses_a_draft():
    # Arrange
    draft = _draft()

    # Act
    with pytest.raises(ValidationError):
        create_new_version(draft, by=UserFactory())

    # Assert
    assert CriteriaSet.objects.filter(code=draft.code).count() == 1


def test_create_new_version_numbers_after_the_latest_version():
    # Arrange
    first = _loaded(TT124)
    second = create_new_version(first, by=None)
    publish_criteria_set(second, by=None, now=NOW)

    # Act
    third = create_new_version(first, by=None)

    # Assert
    assert (third.version, third.previous_version) == (4, first)


def test_ensure_editable_refuses_a_published_set_and_accepts_a_draft():
    # Act
    with pytest.raises(ValidationError):
        ensure_editable(_loaded(TT23))
    result = ensure_editable(_draft())

    # Assert
    assert result is None


# --- Admin: a published set is frozen -----------------------------------------------------------


def _change_form_data(criteria_set, *, title):
    """The set's change form as the browser would post it, with a new title and criterion text."""
    data = {
        "title": title,
        "legal_basis": criteria_set.legal_basis,
        "effective_from": criteria_set.effective_from.isoformat(),
        "effective_to": criteria_set.effective_to.isoformat() if criteria_set.effective_to else "",
        "province": criteria_set.province_id or "",
        "exclusion_rule": criteria_set.exclusion_rule,
    }
    criteria = list(criteria_set.criteria.order_by("unit_type", "number"))
    data.update(
        {
            "criteria-TOTAL_FORMS": len(criteria),
            "criteria-INITIAL_FORMS": len(criteria),
            "criteria-MIN_NUM_FORMS": 0,
            "criteria-MAX_NUM_FORMS": 1000,
        }
    )
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        data.update(
            {
                f"{prefix}id": criterion.pk,
                f"{prefix}criteria_set": criteria_set.pk,
                f"{prefix}unit_type": criterion.unit_type,
                f"{prefix}number": criterion.number,
                f"{prefix}title": criterion.title,
                f"{prefix}kind": criterion.kind,
                f"{prefix}text": "Nội dung đã sửa." if index == 0 else criterion.text,
            }
        )
        if criterion.text_to_verify:
            data[f"{prefix}text_to_verify"] = "on"
    return data


def test_admin_published_set_change_post_changes_nothing(admin_client):
    # Arrange
    published = _loaded(TT124)
    before = _snapshot(published)
    url = reverse("admin:certification_criteriaset_change", args=[published.pk])

    # Act
    response = admin_client.post(url, _change_form_data(published, title="Tiêu đề bị sửa"))

    # Assert
    assert response.status_code == 403
    assert _snapshot(published) == before


def test_admin_draft_set_change_post_saves_title_and_criteria(admin_client):
    # Arrange
    draft = create_new_version(_loaded(TT124), by=None)
    first = draft.criteria.order_by("unit_type", "number").first()
    url = reverse("admin:certification_criteriaset_change", args=[draft.pk])

    # Act
    response = admin_client.post(url, _change_form_data(draft, title="Tiêu đề phiên bản 2"))

    # Assert
    assert response.status_code == 302
    assert _fresh(draft).title == "Tiêu đề phiên bản 2"
    assert _fresh(first).text == "Nội dung đã sửa."
    assert _loaded(TT124).criteria.get(unit_type=first.unit_type, number=first.number).text != (
        "Nội dung đã sửa."
    )


def test_admin_published_criterion_change_post_changes_nothing(admin_client):
    # Arrange
    criterion = _loaded(TT23).criteria.get(unit_type=UnitType.COMMUNE, number=1)
    before = Criterion.objects.filter(pk=criterion.pk).values().get()
    data = {
        "criteria_set": criterion.criteria_set_id,
        "unit_type": criterion.unit_type,
        "number": criterion.number,
        "title": "Tiêu đề bị sửa",
        "kind": criterion.kind,
        "text": "Nội dung bị sửa",
        "parameters": "{}",
        "evidence_expected": "",
        "verification_note": "",
    }

    # Act
    response = admin_client.post(
        reverse("admin:certification_criterion_change", args=[criterion.pk]), data
    )

    # Assert
    assert response.status_code == 403
    assert Criterion.objects.filter(pk=criterion.pk).values().get() == before


def test_admin_published_set_cannot_be_deleted(admin_client):
    # Arrange
    published = _loaded(TT23)
    url = reverse("admin:certification_criteriaset_delete", args=[published.pk])

    # Act
    response = admin_client.post(url, {"post": "yes"})

    # Assert
    assert response.status_code == 403
    assert CriteriaSet.objects.filter(pk=published.pk).exists()


def test_admin_published_set_change_page_is_read_only_and_offers_a_new_version(admin_client):
    # Arrange
    published = _loaded(TT124)

    # Act
    response = admin_client.get(
        reverse("admin:certification_criteriaset_change", args=[published.pk])
    )

    # Assert
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in page
    assert 'name="title"' not in page
    assert 'name="criteria-0-text"' not in page
    assert '<input type="hidden" name="action" value="create_new_version">' in page
    assert (
        f"?criteria_set__id__exact={published.pk}&amp;text_to_verify__exact=1" in page
    )  # the link to the criteria whose wording is to verify


def test_admin_draft_set_change_page_offers_to_publish(admin_client):
    # Arrange
    draft = _draft()

    # Act
    response = admin_client.get(reverse("admin:certification_criteriaset_change", args=[draft.pk]))

    # Assert
    page = response.content.decode()
    assert 'name="_save"' in page
    assert '<input type="hidden" name="action" value="publish">' in page


# --- Admin actions ------------------------------------------------------------------------------


def test_admin_publish_action_publishes_the_draft_and_reports_the_published_set(admin_client):
    # Arrange
    published = _loaded(TT124)
    draft = create_new_version(published, by=None)
    before = _snapshot(published)

    # Act
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "publish", "_selected_action": [draft.pk, published.pk], "index": 0},
    )

    # Assert
    assert response.status_code == 302
    assert _fresh(draft).status == CriteriaSetStatus.PUBLISHED
    assert _snapshot(published) == before
    levels = [message.level for message in get_messages(response.wsgi_request)]
    assert levels == [messages.ERROR, messages.SUCCESS]


def test_admin_new_version_action_opens_the_new_draft(admin_client):
    # Arrange
    published = _loaded(TT23)

    # Act
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "create_new_version", "_selected_action": [published.pk], "index": 0},
    )

    # Assert
    draft = CriteriaSet.objects.get(code=TT23, version=2)
    assert response.status_code == 302
    assert response.url == reverse("admin:certification_criteriaset_change", args=[draft.pk])
    assert _content(draft) == _content(published)


def test_admin_new_version_action_reports_an_existing_draft(admin_client):
    # Arrange
    published = _loaded(TT23)
    create_new_version(published, by=None)

    # Act
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "create_new_version", "_selected_action": [published.pk], "index": 0},
    )

    # Assert
    levels = [message.level for message in get_messages(response.wsgi_request)]
    assert levels == [messages.ERROR]
    assert CriteriaSet.objects.filter(code=TT23).count() == 2


# --- Admin: province of a provincial addition ---------------------------------------------------


def test_admin_province_autocomplete_finds_the_province(admin_client):
    # Arrange
    ProvinceFactory(name="Tỉnh Vĩnh Long")

    # Act
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "certification",
            "model_name": "criteriaset",
            "field_name": "province",
            "term": "Vĩnh Long",
        },
    )

    # Assert
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Tỉnh Vĩnh Long"]


def test_admin_add_set_refuses_a_commune_as_province(admin_client):
    # Arrange
    commune = AreaFactory(parent=ProvinceFactory())
    data = {
        "code": "VL-2026",
        "version": 1,
        "title": "Tiêu chí bổ sung của tỉnh",
        "legal_basis": "Quyết định của UBND tỉnh",
        "effective_from": "2026-01-01",
        "effective_to": "",
        "province": commune.pk,
        "exclusion_rule": ExclusionRule.CIRCULAR_124,
        "criteria-TOTAL_FORMS": 0,
        "criteria-INITIAL_FORMS": 0,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }

    # Act
    response = admin_client.post(reverse("admin:certification_criteriaset_add"), data)

    # Assert
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["province"]
    assert not CriteriaSet.objects.filter(code="VL-2026").exists()


# --- Admin changelists --------------------------------------------------------------------------
# Each builder adds `count` draft rows and returns the titles the list must show.


def _add_sets(count, tag):
    province = ProvinceFactory(name=f"Tỉnh {tag}")
    return [
        _draft(f"T-{tag}-{index}", title=f"Bộ {tag} {index}", province=province).title
        for index in range(count)
    ]


def _add_criteria(count, tag):
    titles = []
    for index in range(count):
        criteria_set = _draft(f"C-{tag}-{index}", criteria=0)
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            unit_type=UnitType.SCHOOL,
            number=1,
            title=f"Tiêu chí {tag} {index}",
            text="Nội dung.",
            kind=CriterionKind.NO_EVENT,
            text_to_verify=bool(index % 2),
        )
        titles.append(criterion.title)
    return titles


CHANGELISTS = {
    "criteriaset": ("admin:certification_criteriaset_changelist", "status__exact", _add_sets),
    "criterion": (
        "admin:certification_criterion_changelist",
        "criteria_set__status__exact",
        _add_criteria,
    ),
}


def _get_counting_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


@pytest.mark.parametrize("model_name", list(CHANGELISTS))
def test_changelist_query_count_is_the_same_for_1_and_30_rows(admin_client, model_name):
    # Arrange: only drafts are listed, so the loaded circulars do not blur "few" and "many".
    url_name, status_filter, add_rows = CHANGELISTS[model_name]
    url, params = reverse(url_name), {status_filter: CriteriaSetStatus.DRAFT}
    first_titles = add_rows(1, "một")
    response_for_one, queries_for_one = _get_counting_queries(admin_client, url, params)
    more_titles = add_rows(29, "nhiều")

    # Act
    response_for_30, queries_for_30 = _get_counting_queries(admin_client, url, params)

    # Assert
    assert response_for_one.status_code == 200
    assert response_for_30.status_code == 200
    assert response_for_30.context["cl"].result_count == 30
    assert queries_for_30 == queries_for_one
    page = response_for_30.content.decode()
    assert [title for title in first_titles + more_titles if title not in page] == []


def test_criterion_changelist_filters_the_wording_to_verify(admin_client):
    # Act
    response = admin_client.get(
        reverse("admin:certification_criterion_changelist"),
        {"text_to_verify__exact": "1", "criteria_set__id__exact": _loaded(TT124).pk},
    )

    # Assert
    shown = {(row.unit_type, row.number) for row in response.context["cl"].result_list}
    assert shown == {
        (UnitType.RESIDENTIAL_AREA, 3),
        (UnitType.RESIDENTIAL_AREA, 4),
        (UnitType.RESIDENTIAL_AREA, 5),
        (UnitType.COMMUNE, 2),
        (UnitType.AGENCY, 3),
        (UnitType.ENTERPRISE, 3),
        *((UnitType.SCHOOL, number) for number in range(1, 7)),
    }
