"""The registration list and the dossier queue as CSV and XLSX, filtered as on screen."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_registration_csv_holds_the_rows_of_the_filtered_list(demo):
    client = client_for("ca.travinh")
    query = "?waiting=1"
    listed = client.get(reverse("certification:registration-list") + query).context["paginator"]

    response = client.get(reverse("certification:registration-export", args=["csv"]) + query)

    rows = csv_rows(response)
    assert response["Content-Disposition"] == 'attachment; filename="dang-ky.csv"'
    assert rows[0][:3] == ["Mã hồ sơ", "Mã đơn vị", "Đơn vị"]
    assert sorted(row[0] for row in rows[1:]) == sorted(r.receipt_code for r in listed.object_list)
    assert len(rows) - 1 == listed.count > 0


def test_dossier_xlsx_holds_only_what_the_user_may_see(demo):
    client = client_for("ca.travinh")
    everything = client_for("admin")

    mine = client.get(reverse("certification:dossier-export", args=["xlsx"]) + "?status=")
    all_dossiers = everything.get(reverse("certification:dossier-export", args=["xlsx"]))

    def sheet_rows(response):
        data = b"".join(response.streaming_content)
        return list(load_workbook(io.BytesIO(data), read_only=True).active.values)

    my_rows, all_rows = sheet_rows(mine), sheet_rows(all_dossiers)
    assert {row[3] for row in my_rows[1:]} == {"Phường Trà Vinh"}
    assert len(all_rows) > len(my_rows) > 1


def test_export_of_an_unknown_format_is_a_404_and_a_bad_filter_goes_back_to_the_list(demo):
    client = client_for("ca.travinh")

    assert client.get("/certification/registrations/export.pdf").status_code == 404
    response = client.get(
        reverse("certification:dossier-export", args=["csv"]) + "?area=999999", follow=True
    )
    assert response.redirect_chain == [
        (reverse("certification:dossier-queue") + "?area=999999", 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "Tệp chưa được tạo: có bộ lọc không hợp lệ. Hãy sửa bộ lọc rồi tải lại."
    ]
