"""Builders shared by the tests: uploaded files, registration values, and objects taken through the
real services (registered, filed, recommended, decided). Test modules import from here, never from
one another or from a conftest."""

import datetime
import threading

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.filing import attach_dossier_documents, file_registration
from certification.models import (
    REQUIRED_DOSSIER_DOCUMENTS,
    Assessment,
    AssessmentStatus,
    Cycle,
    DocumentKind,
    DossierDocumentKind,
    Registration,
    RegistrationStatus,
    ResultValue,
    YearlyResult,
)
from certification.services import assessment as assessment_services
from certification.services import decisions as decision_services
from certification.services import registration as registration_services
from tests.factories import AreaFactory, UnitFactory
from units.models import ManagingLevel, UnitType

d = datetime.date


IN_WINDOW = datetime.date(2026, 2, 15)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def pdf_file(name="nghi-quyet.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def complete_values(**overrides):
    values = {
        "registered_on": datetime.date(2026, 2, 10),
        "signer_name": "Ngô Văn Hải",
        "signer_title": "Trưởng khóm",
        "commitment": "Khóm 1 đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”.",
        "households_resident": 120,
        "households_registered": 120,
    }
    values.update(overrides)
    return values


ASSESSED_ON = d(2026, 11, 1)


ASSESSED_AT = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 0))


def acknowledged(cycle, unit, *, reviewer, **values):
    """A registration filed on 10/02/2026 with its documents (dated 20/01/2026) and acknowledged."""
    registration = file_registration(
        cycle,
        unit,
        values=complete_values(**values),
        documents=lambda kind: (pdf_file(), d(2026, 1, 20)),
        day=d(2026, 2, 10),
        now=ASSESSED_AT,
        by=None,
    )
    return registration_services.acknowledge_registration(registration, by=reviewer)


def submitted_registration(open_cycle, unit, *, by=None):
    """A registration filed and submitted today (the cycle's registration is open today)."""
    today = timezone.localdate()
    registration = registration_services.start_registration(
        open_cycle,
        unit,
        values={
            "registered_on": today,
            "signer_name": "Ngô Văn Hải",
            "commitment": "Cam kết",
            "households_resident": 10,
            "households_registered": 10,
        },
        by=by,
        today=today,
    )
    registration_services.add_document(
        registration,
        kind=DocumentKind.PARTY_RESOLUTION,
        uploaded_file=pdf_file(),
        document_date=today,
        by=by,
    )
    return registration_services.submit_registration(
        registration, by=by, now=timezone.now(), today=today
    )


def answer_all(assessment, answer="met"):
    assessment_services.save_answers(
        assessment,
        answers={
            a.criterion_id: {
                "answer": answer,
                "items": {str(n): True for n in range(1, 20)},
                "figures": {
                    "crimes": 2,
                    "crimes_last_year": 3,
                    "social_evils": 0,
                    "social_evils_last_year": 1,
                    "violations": 1,
                    "violations_last_year": 1,
                },
            }
            for a in assessment.answers.all()
        },
        by=None,
    )


def complete_dossier(assessment):
    answer_all(assessment)
    assessment_services.save_dossier_details(
        assessment,
        values={
            "meeting_on": d(2026, 10, 25),
            "meeting_attendance": 45,
            "meeting_chair": "Ông Hải",
        },
        by=None,
    )
    attach_dossier_documents(
        assessment, REQUIRED_DOSSIER_DOCUMENTS, upload_for=lambda kind: pdf_file(), by=None
    )
    return Assessment.objects.get(pk=assessment.pk)


def commune_with_children(world, cycle, *, areas, registered, recognised):
    """A commune of `areas` residential areas, `registered` of them filed, `recognised` đạt."""
    commune_area = AreaFactory(parent=world.vinh_long, code="29999", name="Xã Thử")
    commune = UnitFactory(
        code="XA-29999",
        name="Xã Thử",
        unit_type=UnitType.COMMUNE,
        residential_subtype="",
        area=commune_area,
        managing_level=ManagingLevel.PROVINCE,
    )
    children = UnitFactory.create_batch(areas, area=commune_area)
    for index, child in enumerate(children):
        if index < registered:
            registration_services.start_registration(
                cycle, child, values={}, by=None, today=d(2026, 2, 1)
            )
        YearlyResult.objects.create(
            cycle=cycle,
            unit=child,
            decided_on=d(2026, 11, 20),
            result=ResultValue.RECOGNISED if index < recognised else ResultValue.NOT_RECOGNISED,
        )
    from certification.models import Registration

    Registration.objects.filter(unit__in=children).update(status=RegistrationStatus.ACKNOWLEDGED)
    return commune


DECIDED_ON = datetime.date(2026, 11, 20)


DECIDED_AT = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))


def yearly_results(world, unit, results: dict[int, str]):
    """The unit's results of past years, each in the demo province's cycle of that year."""
    criteria_set = Cycle.objects.get(year=2026).criteria_set
    for year, result in results.items():
        cycle, _ = Cycle.objects.get_or_create(
            year=year, province=world.vinh_long, defaults={"criteria_set": criteria_set}
        )
        YearlyResult.objects.create(
            cycle=cycle, unit=unit, result=result, decided_on=d(year, 11, 12)
        )


def details(**overrides):
    values = {
        "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
        "place": "Trà Vinh",
        "decided_on": DECIDED_ON,
        "signer_name": "Võ Thị Mai",
        "signer_title": "Chủ tịch",
    }
    values.update(overrides)
    return values


def recommended(cycle, unit, *, reviewer, evidence_name="", note=""):
    """A dossier taken through the real workflow: registered, filed, submitted, recommended."""
    registration = acknowledged(cycle, unit, reviewer=reviewer)
    assessment = assessment_services.start_assessment(registration, by=None, today=ASSESSED_ON)
    assessment = complete_dossier(assessment)
    if evidence_name or note:
        answer = assessment.answers.select_related("criterion").first()
        if note:
            assessment_services.save_answers(
                assessment, answers={answer.criterion_id: {"note": note}}, by=None
            )
        if evidence_name:
            assessment_services.add_dossier_document(
                assessment,
                kind=DossierDocumentKind.EVIDENCE,
                criterion=answer.criterion,
                uploaded_file=SimpleUploadedFile(
                    evidence_name, PDF_BYTES, content_type="application/pdf"
                ),
                by=None,
            )
    assessment_services.submit_assessment(assessment, by=None, now=DECIDED_AT, today=ASSESSED_ON)
    return assessment_services.approve_assessment(
        assessment, by=reviewer, now=DECIDED_AT, today=ASSESSED_ON
    )


def quick_recommended(cycle, unit):
    """A recommended dossier written straight to the tables, for tests that need many."""
    registration = Registration.objects.create(
        cycle=cycle, unit=unit, area=unit.area, status=RegistrationStatus.ACKNOWLEDGED
    )
    return Assessment.objects.create(
        registration=registration,
        cycle=cycle,
        unit=unit,
        area=unit.area,
        status=AssessmentStatus.RECOMMENDED,
    )


def prepare(cycle, area, dossiers, *, by, left_out=None, **overrides):
    """A draft recognising `dossiers` and not recognising `left_out` ({dossier: reason})."""
    choices = {dossier.pk: ("recognised", "") for dossier in dossiers}
    for dossier, reason in (left_out or {}).items():
        choices[dossier.pk] = ("not_recognised", reason)
    return decision_services.prepare_decision(
        cycle, area, details=details(**overrides), choices=choices, by=by, now=DECIDED_AT
    )


def run_in_parallel(functions):
    """Starts every function at the same moment in its own thread (and connection)."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except Exception as error:  # the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def database_state() -> dict:
    """Counts of every table of the apps, and every status, read time and number they hold."""
    state = {}
    for model in [
        *apps.get_app_config("units").get_models(),
        *apps.get_app_config("certification").get_models(),
    ]:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.name in {"status", "read_at", "number", "round", "email_mode", "password"}
        ]
        rows = model.objects.order_by("pk").values_list("pk", *fields)
        state[model._meta.label] = list(rows)
    return state


def client_for(username: str) -> Client:
    """A test client logged in as the (demo) user of that name."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def listed(client: Client, url: str) -> int:
    """How many rows the list behind a link holds (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def queries_of(client: Client, url: str) -> int:
    """How many queries the page takes once the session is warm (a first request made); the page
    must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)
