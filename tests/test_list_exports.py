"""Every list as CSV and XLSX (issue 11): the file holds exactly the rows of the list on screen
with the same filter, never a row out of the user's scope, a bad filter is said on the list page,
and the number of queries does not grow with the rows."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from certification.models import AssessmentAnswer
from tests.builders import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db


def file_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    if response["Content-Disposition"].endswith('.csv"'):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [["" if v is None else str(v) for v in row] for row in workbook.active.values]


# (list URL, export URL, query, the key of an object on screen, the key's column in the file)
LISTS = [
    (
        "units:unit-list",
        "certification:unit-export",
        "?unit_type=residential_area",
        lambda u: u.code,
        0,
    ),
    ("units:unit-list", "certification:unit-export", "?q=kh%C3%B3m", lambda u: u.code, 0),
    (
        "certification:registration-list",
        "certification:registration-export",
        "?waiting=",
        lambda r: r.receipt_code or "",
        0,
    ),
    (
        "certification:dossier-queue",
        "certification:dossier-export",
        "?status=",
        lambda a: a.unit.code,
        0,
    ),
    ("certification:decision-list", "certification:decision-export", "", lambda d: d.number, 0),
    ("certification:result-list", "certification:result-export", "", lambda r: r.unit.code, 0),
    (
        "certification:result-list",
        "certification:result-export",
        "?result=recognised",
        lambda r: r.unit.code,
        0,
    ),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("list_url", "export_url", "query", "key", "column"), LISTS)
@pytest.mark.parametrize("username", ["ca.travinh", "ubnd.tinh"])
def test_the_file_holds_exactly_the_rows_of_the_filtered_list(
    demo, username, list_url, export_url, query, key, column, fmt
):
    client = client_for(username)
    listed = client.get(reverse(list_url) + query).context["paginator"]

    response = client.get(reverse(export_url, args=[fmt]) + query)

    rows = file_rows(response)
    assert sorted(row[column] for row in rows[1:]) == sorted(
        str(key(item)) for item in listed.object_list
    )
    assert len(rows) - 1 == listed.count


def test_the_lists_of_the_demo_are_not_empty(demo):
    """The comparison above means something only where the lists hold rows."""
    client = client_for("ubnd.tinh")
    for list_url, _export, query, _key, _column in LISTS:
        assert client.get(reverse(list_url) + query).context["paginator"].count > 0, list_url


def test_a_commune_reviewer_never_gets_a_row_of_another_commune(demo):
    mine = file_rows(
        client_for("ca.travinh").get(reverse("certification:unit-export", args=["csv"]))
    )
    everything = file_rows(
        client_for("admin").get(reverse("certification:unit-export", args=["csv"]))
    )

    in_scope = set(
        Unit.objects.visible_to(get_user_model().objects.get(username="ca.travinh")).values_list(
            "code", flat=True
        )
    )
    assert {row[0] for row in mine[1:]} == in_scope
    assert len(everything) > len(mine) > 1


def test_dossier_answers_give_one_line_per_dossier_and_criterion(demo):
    client = client_for("ubnd.tinh")
    queue = client.get(reverse("certification:dossier-queue") + "?status=").context["paginator"]

    response = client.get(
        reverse("certification:dossier-answers-export", args=["csv"]) + "?status="
    )

    rows = file_rows(response)
    assert rows[0] == [
        "Mã đơn vị",
        "Đơn vị",
        "Loại đơn vị",
        "Địa bàn",
        "Năm",
        "Trạng thái",
        "Số thứ tự tiêu chí",
        "Tiêu chí",
        "Trả lời",
        "Ghi chú",
    ]
    answers = AssessmentAnswer.objects.filter(assessment__in=list(queue.object_list))
    assert len(rows) - 1 == answers.count() > 0
    assert {row[0] for row in rows[1:]} <= {a.unit.code for a in queue.object_list}


@pytest.mark.parametrize(
    ("list_url", "export_url"),
    [
        ("units:unit-list", "certification:unit-export"),
        ("certification:result-list", "certification:result-export"),
        ("certification:dossier-queue", "certification:dossier-answers-export"),
    ],
)
def test_a_bad_filter_is_said_on_the_list_with_the_filter_kept(demo, list_url, export_url):
    client = client_for("ca.travinh")

    response = client.get(reverse(export_url, args=["xlsx"]) + "?area=999999&q=kh", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse(list_url) + "?area=999999&q=kh"
    assert [str(m) for m in response.context["messages"]] == [
        "Tệp chưa được tạo: có bộ lọc không hợp lệ. Hãy sửa bộ lọc rồi tải lại."
    ]
    assert response.context["filter"].form["q"].value() == "kh"


@pytest.mark.parametrize(
    ("export_url", "one", "many"),
    [
        ("certification:unit-export", "?q=KDC-TV-K3", ""),
        ("certification:dossier-answers-export", "?status=&q=KDC-TV-K3", "?status="),
        ("certification:result-export", "?result=recognised&q=KDC-TV-K3", ""),
        ("certification:decision-export", "", ""),
    ],
)
def test_an_export_takes_as_many_queries_for_one_row_as_for_all(demo, export_url, one, many):
    client = client_for("admin")

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            rows = file_rows(client.get(reverse(export_url, args=["csv"]) + query))
        return len(captured), len(rows) - 1

    few, few_rows = queries(one)
    all_queries, all_rows = queries(many)
    assert few == all_queries
    assert all_rows >= few_rows


# --- the new list pages at 1 and 20 rows: the queries do not move ------------------------------


@pytest.fixture
def results(world):
    from certification.models import ResultValue, YearlyResult
    from certification.services.cycles import create_cycle
    from tests.factories import UnitFactory, published_criteria_set

    cycle = create_cycle(year=2025, province=None, criteria_set=published_criteria_set(), by=None)

    def make(count):
        units = [world.khom_1, *UnitFactory.create_batch(count - 1, area=world.phuong_1)]
        for unit in units:
            YearlyResult.objects.create(
                cycle=cycle,
                unit=unit,
                result=ResultValue.RECOGNISED,
                decided_on=datetime.date(2025, 12, 20),
            )

    return make


@pytest.mark.parametrize("count", [1, 20])
def test_the_results_list_takes_the_same_queries_for_1_and_20_rows(
    client, world, results, count, django_assert_num_queries
):
    results(count)
    client.force_login(world.users.reviewer_phuong)
    # session, user, roles (scope), area choices, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("certification:result-list"))
    assert len(response.context["object_list"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_job_list_takes_the_same_queries_for_1_and_20_rows(
    client, world, count, django_assert_num_queries
):
    from certification.models import BackgroundJob, JobKind

    user = world.users.reviewer_phuong
    for number in range(count):
        BackgroundJob.objects.create(user=user, kind=JobKind.EXPORT, title=f"ho-so-{number}.csv")
    client.force_login(user)
    # session, user, roles (the menu), count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("certification:job-list"))
    assert [job.title for job in response.context["jobs"]][-1:] == ["ho-so-0.csv"]
    assert len(response.context["jobs"]) == count
