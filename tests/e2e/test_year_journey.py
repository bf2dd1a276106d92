"""The whole year as one journey on a 390 px phone, in a real headless Chromium (issue 11).

The hamlet head registers; the commune police acknowledge; the head submits the dossier with a
PDF as evidence; the police send two criteria back; the head corrects them and submits again; the
police recommend with a comment after confirming; the People's Committee sees the dossier on its
home page and issues the decision after confirming; the head finds the certificate; a visitor who
is not logged in verifies it. Each page is read (Vietnamese texts), and no page may be wider than
the phone.

A fresh province is built for the test (the demo's state would get in the way). Every date comes
from the one `timezone.localdate()` the pages read too (not the `clock` fixture: Chromium keeps its
own clock and would drop a session cookie that expired by it).
"""

import datetime
import time
import warnings

import pytest
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentTransition,
    Certificate,
    Criterion,
    CriterionKind,
    CycleCalendar,
    DecisionEvent,
)
from certification.services.cycles import create_cycle
from tests.builders import PDF_BYTES
from tests.e2e.chromium import PHONE, SCREENSHOTS, log_in
from tests.factories import (
    AreaFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    published_criteria_set,
)
from units.models import AreaKind, Role, UnitType
from units.services import grant_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "antt2026"  # the password chromium.log_in types by default
COMMENT = "Khóm làm tốt hòa giải ở cơ sở; đề nghị công nhận."


def _fresh_year(today: datetime.date):
    """A ward with its police, its People's Committee and one hamlet; a cycle open today."""
    province = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")
    ward = AreaFactory(parent=province, code="29242", name="Phường Trà Vinh", kind=AreaKind.PHUONG)
    hamlet = UnitFactory(code="KDC-9", name="Khóm 9", area=ward)
    people = {
        "kdc.khom9": (Role.UNIT_REPRESENTATIVE, {"unit": hamlet}, "Văn Hải", "Ngô"),
        "ca.travinh": (Role.REVIEWER, {"area": ward}, "Minh Tuấn", "Trần"),
        "ubnd.travinh": (Role.DECISION_MAKER, {"area": ward}, "Thị Mai", "Võ"),
    }
    for username, (role, where, first, last) in people.items():
        user = UserFactory(username=username, first_name=first, last_name=last, password=PASSWORD)
        grant_role(user, role, by=None, **where)
    # A transactional test starts without the criteria sets the migrations load: criterion 1
    # (a document) comes with the set, 2 and 3 are the reviewer's judgement.
    criteria_set = published_criteria_set(code="TT124-HANH-TRINH")
    for number, title in ((2, "Không có tụ điểm phức tạp"), (3, "Hòa giải thành ở cơ sở")):
        Criterion.objects.create(
            criteria_set=criteria_set,
            unit_type=UnitType.RESIDENTIAL_AREA,
            number=number,
            title=title,
            text=f"{title} trên địa bàn.",
            kind=CriterionKind.QUAL,
        )
    cycle = create_cycle(year=today.year, province=province, criteria_set=criteria_set, by=None)
    day = datetime.timedelta(days=1)
    CycleCalendar.objects.filter(cycle=cycle).update(
        registration_opens_on=today - 60 * day,
        registration_closes_on=today + 5 * day,
        assessment_starts_on=today - 30 * day,
        assessment_ends_on=today,
        dossier_due_on=today + 10 * day,
        review_due_on=today + 20 * day,
        decision_due_on=today + 30 * day,
    )
    return hamlet


class Journey:
    """The browser, the pages visited, and those wider than the phone."""

    def __init__(self, driver, live_server, tmp_path):
        from selenium.webdriver.common.by import By

        self.driver, self.url, self.by = driver, live_server.url, By
        self.live_server = live_server
        self.too_wide: dict[str, int] = {}
        self.pdf = tmp_path / "bien-ban-hop-khom-9.pdf"
        self.pdf.write_bytes(PDF_BYTES)

    def find(self, css):
        return self.driver.find_element(self.by.CSS_SELECTOR, css)

    def text(self, css) -> str:
        element = self.find(css)  # waits for the page that has it
        self.check_width()
        return element.text

    def check_width(self):
        """Records the page if it scrolls sideways at 390 px."""
        scroll, client = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            path = self.driver.current_url.removeprefix(self.url)
            self.too_wide[path] = scroll

    def log_in(self, username):
        log_in(self.driver, self.live_server, username)
        self.check_width()

    def click(self, css_or_element):
        element = self.find(css_or_element) if isinstance(css_or_element, str) else css_or_element
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
        )
        element.click()
        self.check_width()

    def submit(self, css):
        """Clicks a form's button and waits until the browser has left the page, so what is read
        next comes from the answer, not from the page being replaced (both may share ids)."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        def left(driver) -> bool:
            # Stale, or (while the document is being swapped) "node does not belong to the
            # document": either way the button's page is gone; then the answer must be loaded.
            try:
                element.is_enabled()
            except WebDriverException:
                try:
                    return driver.execute_script("return document.readyState") == "complete"
                except WebDriverException:
                    return False
            return False

        element = self.find(css)
        self.click(element)
        WebDriverWait(self.driver, 10).until(left)

    def type(self, css, text, *, clear=False):
        element = self.find(css)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
        )
        if clear:
            element.clear()
        element.send_keys(text)

    def set_date(self, css, day: datetime.date):
        # A date input takes its value in ISO form whatever the browser's language.
        self.driver.execute_script("arguments[0].value = arguments[1];", self.find(css), str(day))

    def upload(self, css):
        self.find(css).send_keys(str(self.pdf))

    def link(self, text):
        return self.driver.find_element(self.by.LINK_TEXT, text)

    def messages(self) -> str:
        self.find("main")
        self.check_width()
        return " ".join(m.text for m in self.driver.find_elements(self.by.CSS_SELECTOR, ".alert"))

    def photograph(self, name, part=None):
        """The whole page (or one part of it), as tall as it is, at the phone's width."""
        from selenium.common.exceptions import TimeoutException

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if part is not None:
            # A picture for the docs, not a check: Chromium's renderer sometimes does not answer
            # an element's screenshot in time on a loaded machine; try again, then do without.
            for _attempt in range(3):
                try:
                    self.find(part).screenshot(str(SCREENSHOTS / f"journey-{name}-390.png"))
                    return
                except TimeoutException:
                    time.sleep(1)
            warnings.warn(
                f"no screenshot of {part} ({name}): the renderer did not answer", stacklevel=2
            )
            return
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(PHONE, min(height, 6000))
        self.driver.save_screenshot(str(SCREENSHOTS / f"journey-{name}-390.png"))
        self.driver.set_window_size(PHONE, 844)


def test_the_whole_year_on_a_phone(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    hamlet = _fresh_year(today)
    assert browser.get_window_size()["width"] == PHONE
    go = Journey(browser, live_server, tmp_path)

    # 1. The hamlet head registers.
    go.log_in("kdc.khom9")
    assert "Đăng ký" in go.text(".next-step")
    go.click(".next-step a")
    assert go.text("h1") == f"Đăng ký năm {today.year} — Khóm 9"
    go.photograph("registration")
    go.set_date("#id_registered_on", today)
    go.type("#id_signer_name", "Ngô Văn Hải", clear=True)
    go.type("#id_signer_title", "Trưởng khóm", clear=True)
    go.type("#id_commitment", "Khóm 9 đăng ký phấn đấu đạt tiêu chuẩn an toàn về ANTT.")
    go.type("#id_households_resident", "120")
    go.type("#id_households_registered", "118")
    from selenium.webdriver.support.ui import Select

    Select(go.find("#id_document_kind")).select_by_value("party_resolution")
    go.set_date("#id_document_date", today - datetime.timedelta(days=3))
    go.upload("#id_document_file")
    go.submit("button[name=action][value=submit]")
    assert "Đã nộp đăng ký. Mã hồ sơ của bạn là" in go.messages()
    go.photograph("registration-submitted")
    receipt = go.text("#receipt-code")

    # 2. The commune police acknowledge it from their home page.
    go.log_in("ca.travinh")
    assert go.text("#queue-registrations .display-6") == "1"
    go.click("#queue-registrations")
    assert "Khóm 9" in go.text("table")
    go.photograph("registration-list")
    go.click(go.link("Khóm 9"))
    assert receipt in go.text("main")
    go.photograph("registration-detail")
    go.submit("form[action$='/acknowledge/'] button")
    assert "Đã tiếp nhận đăng ký." in go.messages()

    # 3. The head opens the dossier, answers, attaches the evidence and the documents, submits.
    go.log_in("kdc.khom9")
    go.click(".next-step a")
    go.submit("#start-dossier")
    assert "Hồ sơ đã được mở." in go.messages()
    go.photograph("dossier-form")
    dossier = Assessment.objects.get(unit=hamlet)
    criteria = {
        a.criterion.number: a.criterion_id for a in dossier.answers.select_related("criterion")
    }
    for number, pk in sorted(criteria.items()):
        go.click(f"label[for='id_c{pk}-answer_0']")
        go.type(f"#id_c{pk}-note", f"Tiêu chí {number}: đạt theo sổ theo dõi của khóm.")
    go.upload(f"#id_c{criteria[1]}-evidence")
    go.set_date("#id_meeting_on", today - datetime.timedelta(days=2))
    go.type("#id_meeting_attendance", "45")
    go.type("#id_meeting_chair", "Ngô Văn Hải")
    for kind in ("proposal", "report", "minutes"):
        go.upload(f"#id_{kind}_file")
    go.submit("#submit-dossier")
    assert "Đã nộp hồ sơ." in go.messages()
    assert dossier.documents.filter(kind="evidence").count() == 1

    # 4. The police send criteria 2 and 3 back, each with its reason.
    go.log_in("ca.travinh")
    assert go.text("#queue-dossiers .display-6") == "1"
    go.click("#queue-dossiers")
    assert "Khóm 9" in go.text("table")
    go.photograph("dossier-queue")
    go.click(go.link("Khóm 9"))
    assert "Kiểm tra hồ sơ" in go.text("#readiness")
    go.photograph("review")
    go.click("#send-back summary")
    for number in (2, 3):
        go.click(f"#id_back-send_{criteria[number]}")
        go.type(f"#id_back-reason_{criteria[number]}", f"Bổ sung số liệu cho tiêu chí {number}.")
    go.submit("#send-back button[type=submit]")
    assert "Hồ sơ đã được trả lại đơn vị để bổ sung lần 2." in go.messages()

    # 5. The head corrects the two criteria and submits again.
    go.log_in("kdc.khom9")
    assert "trả lại" in go.text(".next-step")
    go.click(".next-step a")
    returned = go.text("#returned")
    assert "Bổ sung số liệu cho tiêu chí 2." in returned
    assert "Bổ sung số liệu cho tiêu chí 3." in returned
    go.photograph("dossier-returned")
    for number in (2, 3):
        go.type(f"#id_c{criteria[number]}-note", " Đã bổ sung số liệu quý IV.")
    go.submit("#submit-dossier")
    assert "Đã nộp hồ sơ." in go.messages()

    # 6. The police read what changed, write their opinion, and recommend after confirming.
    go.log_in("ca.travinh")
    go.click("#queue-dossiers")
    go.click(go.link("Khóm 9"))
    assert "Đã bổ sung số liệu quý IV." in go.text("main")
    go.click("#opinions summary")
    go.type("#id_opinion-dossier", "Khóm chấp hành tốt; số liệu khớp với sổ theo dõi.")
    go.submit("#opinions button[type=submit]")
    assert "Đã lưu ý kiến thẩm định của bạn." in go.messages()
    go.type("#id_comment", COMMENT)
    go.submit("#approve-form button[type=submit]")  # not confirmed: nothing happens
    assert "Hãy đánh dấu ô xác nhận: chưa có gì được thực hiện." in go.text("#approve-form")
    go.photograph("approve-refused", part="#review-actions")
    assert go.find("#id_comment").get_attribute("value") == COMMENT
    go.click("#id_confirm")
    go.submit("#approve-form button[type=submit]")
    assert "Đã đề nghị công nhận đơn vị." in go.messages()
    assert AssessmentTransition.objects.filter(assessment=dossier).latest("pk").reason == COMMENT

    # 7. The People's Committee sees it on its home page and issues the decision after confirming.
    go.log_in("ubnd.travinh")
    assert go.text(".waiting-decision") == "1 hồ sơ chờ quyết định."
    go.photograph("home-decision-maker")
    go.click(".committee-desk a.btn-danger")
    assert "Khóm 9" in go.text("main")
    # The reviewers' opinion is one tap away from the decision.
    go.click(".dossier-review-link")
    assert "Khóm chấp hành tốt; số liệu khớp với sổ theo dõi." in go.text("#dossier-opinion")
    go.driver.back()
    go.type("#id_signer_title", "Chủ tịch", clear=True)
    go.submit("main form button[type=submit]")
    assert "Đã lưu dự thảo." in go.messages()
    go.photograph("decision-draft", part="#draft-actions")
    go.type("#id_comment", "Thống nhất tại phiên họp UBND.")
    go.click("#id_confirm")
    go.submit("#issue-form button[type=submit]")
    assert "Đã ban hành Quyết định số 1/QĐ-UBND; các đơn vị đã được thông báo." in go.messages()
    assert DecisionEvent.objects.get(action="issued").reason.endswith(
        "Thống nhất tại phiên họp UBND."
    )

    # 8. The head sees the certificate.
    certificate = Certificate.objects.get(unit=hamlet)
    go.log_in("kdc.khom9")
    assert go.text(".next-step").startswith(f"Việc cần làm tiếp ({today.year}):")
    assert f"Giấy công nhận {certificate.number}" in go.text(".results-by-year")
    go.click(f".unit-home a[href='{hamlet.get_absolute_url()}']")
    assert certificate.number in go.text(".certificate-download")
    go.photograph("unit-certificate")
    public_link = go.find(".certificate-download a.small").get_attribute("href")

    # 9. A visitor who is not logged in verifies it.
    go.driver.delete_all_cookies()
    go.driver.get(public_link)
    go.check_width()
    assert go.text("#certificate-status") == (
        f"Còn hiệu lực. Giấy công nhận này ghi nhận kết quả công nhận năm {today.year}."
    )
    details = go.text("#certificate-details")
    assert "Khóm 9" in details and certificate.number in details
    go.photograph("verify")

    assert go.too_wide == {}
