"""The yearly summary an area reports upwards and the chart of the progress page (issue 11): the
same figures as the progress page and as the lists they stand for."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certification.models import Cycle
from tests.builders import client_for

pytestmark = pytest.mark.django_db


def test_the_summary_equals_the_progress_page_and_the_lists(demo):
    client = client_for("ubnd.tinh")
    year = Cycle.objects.current_year()
    progress = client.get(reverse("certification:area-progress-mine") + f"?year={year}")
    area = progress.context["area"]

    page = client.get(reverse("certification:area-summary", args=[area.pk]) + f"?year={year}")

    summary = page.context["summary"]
    assert summary.total.eligible > 0 and summary.total.registered > 0
    for line in summary.lines:
        of_type = [r for r in progress.context["rows"] if r["unit_type"] == line.unit_type]
        this_year = [r["years"][0].counts for r in of_type]
        assert line.eligible == sum(c.get("eligible", 0) for c in this_year)
        assert line.registered == sum(c.get("registered", 0) for c in this_year)
        assert line.recognised == sum(c.get("recognised", 0) for c in this_year)
        units = client.get(
            reverse("units:unit-list") + f"?area={area.pk}&unit_type={line.unit_type}&active=yes"
        ).context["paginator"]
        assert line.eligible == units.count
        results = client.get(
            reverse("certification:result-list")
            + f"?area={area.pk}&unit_type={line.unit_type}&year={year}&result=recognised"
        ).context["paginator"]
        assert line.recognised == results.count
    assert summary.total.eligible == sum(line.eligible for line in summary.lines)
    assert [rule.area for rule in summary.failing] == [
        rule.area for rule in progress.context["failing"]
    ]
    text = page.content.decode()
    assert f"<td>{summary.total.eligible}</td>" in text
    assert 'id="yearly-summary"' in text


def test_the_summary_workbook_holds_the_page_figures(demo):
    client = client_for("ubnd.tinh")
    year = Cycle.objects.current_year()
    area = client.get(reverse("certification:area-progress-mine")).context["area"]
    summary = client.get(
        reverse("certification:area-summary", args=[area.pk]) + f"?year={year}"
    ).context["summary"]

    response = client.get(
        reverse("certification:area-summary-xlsx", args=[area.pk]) + f"?year={year}"
    )

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].values)
    assert rows[2] == (
        "Loại đơn vị",
        "Thuộc diện",
        "Đã đăng ký",
        "Tỷ lệ đăng ký",
        "Được công nhận",
        "Tỷ lệ công nhận trên số đăng ký",
    )
    figures = [row[1:] for row in rows[3:]]
    assert figures == [
        (
            line.eligible,
            line.registered,
            line.registered_percent,
            line.recognised,
            line.recognised_percent,
        )
        for line in [*summary.lines, summary.total]
    ]
    failing = list(workbook.worksheets[1].values)[1:]
    assert [row[0] for row in failing] == [rule.area.name for rule in summary.failing]


def test_the_progress_page_draws_its_chart_as_an_image_beside_its_table(demo):
    client = client_for("ubnd.tinh")

    response = client.get(reverse("certification:area-progress-mine"))

    text = response.content.decode()
    assert '<img class="chart-img" src="data:image/svg+xml;base64,' in text
    assert 'id="summary-table"' in text
    assert "<script" not in text.split('id="progress-summary"')[1].split("</section>")[0]
    assert reverse("certification:area-summary", args=[response.context["area"].pk]) in text


def test_the_summary_of_an_area_out_of_scope_is_a_404(demo):
    client = client_for("ubnd.travinh")
    province = client_for("ubnd.tinh").get(reverse("certification:area-progress-mine"))
    area = province.context["area"]

    assert client.get(reverse("certification:area-summary", args=[area.pk])).status_code == 404
    assert client.get(reverse("certification:area-summary-xlsx", args=[area.pk])).status_code == 404
