"""The hamlet head fills in the year-end dossier on a phone, in a real headless Chromium."""

import datetime

import pytest
from django.utils import timezone

from certification.models import (
    Assessment,
    Criterion,
    CriterionKind,
    CycleCalendar,
    RegistrationStatus,
)
from certification.services import assessment as services
from certification.services import registration as registration_services
from certification.services.cycles import create_cycle
from tests.e2e.chromium import SCREENSHOTS, console_errors
from tests.factories import (
    AreaFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    published_criteria_set,
)
from units.models import Role, UnitType
from units.services import grant_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_dossier():
    """A hamlet with an acknowledged registration and a started dossier of two criteria.

    The criteria are made here: a transactional test starts from an empty database, without the
    sets the migrations load.
    """
    today = timezone.localdate()
    province = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")
    commune = AreaFactory(parent=province, code="29278", name="Xã Càng Long")
    hamlet = UnitFactory(code="KDC-1", name="Ấp Phú Hòa", area=commune)
    head = UserFactory(username="kdc.phuhoa", first_name="Văn Hải", last_name="Ngô")
    grant_role(head, Role.UNIT_REPRESENTATIVE, unit=hamlet, by=None)
    criteria_set = published_criteria_set(code="TT124-E2E")
    Criterion.objects.create(
        criteria_set=criteria_set,
        unit_type=UnitType.RESIDENTIAL_AREA,
        number=2,
        title="Không để xảy ra cháy, nổ nghiêm trọng",
        text="Không để xảy ra cháy, nổ nghiêm trọng trên địa bàn.",
        kind=CriterionKind.NO_EVENT,
        parameters={"items": ["Cháy, nổ nghiêm trọng"]},
    )
    cycle = create_cycle(year=today.year, province=province, criteria_set=criteria_set, by=None)
    CycleCalendar.objects.filter(cycle=cycle).update(
        assessment_starts_on=today - datetime.timedelta(days=30),
        assessment_ends_on=today,
        dossier_due_on=today + datetime.timedelta(days=10),
        review_due_on=today + datetime.timedelta(days=20),
        decision_due_on=today + datetime.timedelta(days=30),
    )
    registration = registration_services.start_registration(
        cycle, hamlet, values={}, by=None, today=datetime.date(today.year, 2, 10)
    )
    registration.status = RegistrationStatus.ACKNOWLEDGED
    registration.save()
    return services.start_assessment(registration, by=head, today=today)


def _click(driver, element):
    # The sticky save bar may cover an element Selenium scrolled to the bottom edge, and
    # Bootstrap's smooth scrolling would move it while Selenium clicks.
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def test_hamlet_head_answers_saves_and_keeps_unsaved_typing_on_a_phone(
    browser,
    live_server,
    settings,
    tmp_path,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    settings.MEDIA_ROOT = tmp_path / "media"
    assessment = _open_dossier()
    first = assessment.answers.get(criterion__number=1)
    prefix = f"c{first.criterion_id}-"

    browser.get(live_server.url + "/accounts/login/")  # "/" is the visitors' landing page
    browser.find_element(By.NAME, "username").send_keys("kdc.phuhoa")
    browser.find_element(By.NAME, "password").send_keys("mat-khau-thu-nghiem")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _click(browser, browser.find_element(By.CSS_SELECTOR, ".role-section .dossier-link"))
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/dossier/"))
    dossier_url = browser.current_url

    # Answer criterion 1 ("met", with a note) and save.
    _click(browser, browser.find_element(By.CSS_SELECTOR, f"label[for='id_{prefix}answer_0']"))
    note = browser.find_element(By.ID, f"id_{prefix}note")
    _click(browser, note)
    note.send_keys("Chi bộ họp ngày 15/01")
    _click(browser, browser.find_element(By.ID, "save-dossier"))

    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".alert-success"))
    )
    assert browser.find_element(By.CSS_SELECTOR, ".alert-success").text == (
        "Đã lưu. Bạn có thể hoàn thiện và nộp sau."
    )
    assert browser.find_element(By.ID, f"id_{prefix}answer_0").is_selected()
    assert browser.find_element(By.ID, f"id_{prefix}note").get_attribute("value") == (
        "Chi bộ họp ngày 15/01"
    )
    first.refresh_from_db()
    assert (first.answer, first.note) == ("met", "Chi bộ họp ngày 15/01")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "dossier-phone.png"))

    # Type without saving, open the page again: the typing comes back, with a notice.
    chair = browser.find_element(By.ID, "id_meeting_chair")
    _click(browser, chair)
    chair.send_keys("Ngô Văn Hải")
    note = browser.find_element(By.ID, f"id_{prefix}note")
    _click(browser, note)
    note.send_keys(", đủ thành phần")
    WebDriverWait(browser, 5).until(
        lambda driver: (
            "đủ thành phần"
            in (driver.execute_script("return JSON.stringify(window.localStorage)") or "")
        )
    )
    browser.get(dossier_url)

    notice = browser.find_element(By.ID, "draft-restored")
    WebDriverWait(browser, 5).until(lambda driver: notice.is_displayed())
    assert browser.find_element(By.ID, f"id_{prefix}note").get_attribute("value") == (
        "Chi bộ họp ngày 15/01, đủ thành phần"
    )
    assert browser.find_element(By.ID, "id_meeting_chair").get_attribute("value") == "Ngô Văn Hải"
    assert Assessment.objects.get().meeting_chair == ""

    # Saved, the draft is dropped: the next visit shows the saved page and no notice.
    _click(browser, browser.find_element(By.ID, "save-dossier"))
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".alert-success"))
    )
    browser.get(dossier_url)
    assert not browser.find_element(By.ID, "draft-restored").is_displayed()
    assert browser.execute_script("return window.localStorage.length") == 0
    assert Assessment.objects.get().meeting_chair == "Ngô Văn Hải"
    assert console_errors(browser) == []
