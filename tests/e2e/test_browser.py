"""The portal in a real headless Chromium: log in, read the home page, browse units on a phone."""

import pytest

from tests.e2e.chromium import SCREENSHOTS, console_errors
from tests.factories import AreaFactory, ProvinceFactory, UnitFactory, UserFactory
from units.models import Role
from units.services import grant_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_logs_in_and_browses_units_on_a_phone(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    province = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")
    commune = AreaFactory(parent=province, code="29278", name="Xã Càng Long")
    UnitFactory(code="KDC-1", name="Ấp Phú Hòa", area=commune)
    UnitFactory(code="KDC-2", name="Ấp Mỹ Huê", area=commune)
    reviewer = UserFactory(username="ca.tinh", first_name="Minh Tuấn", last_name="Trần")
    grant_role(reviewer, Role.REVIEWER, area=province, by=None)

    browser.get(live_server.url + "/")
    assert browser.find_element(By.ID, "landing-verify").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#landing-login a").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/accounts/login/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đăng nhập"
    browser.find_element(By.NAME, "username").send_keys("ca.tinh")
    browser.find_element(By.NAME, "password").send_keys("mat-khau-thu-nghiem")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    # Wait for the home page itself: the login page's heading goes stale as it is replaced.
    greeting = "Xin chào, Trần Minh Tuấn"
    WebDriverWait(browser, 10).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), greeting)
    )
    assert browser.find_element(By.TAG_NAME, "h1").text == greeting
    section = browser.find_element(By.CSS_SELECTOR, ".role-section")
    assert "Tỉnh Vĩnh Long" in section.text
    assert "2 đơn vị đang hoạt động" in section.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "home-phone.png"))

    # The collapsed menu opens on a phone: Bootstrap's JavaScript loaded under the CSP.
    menu_link = browser.find_element(By.CSS_SELECTOR, "#main-nav a[href='/units/']")
    assert not menu_link.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
    WebDriverWait(browser, 10).until(expected_conditions.element_to_be_clickable(menu_link))
    assert menu_link.text == "Đơn vị"
    menu_link.click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/units/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đơn vị"

    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert sorted(row.find_elements(By.TAG_NAME, "td")[1].text for row in rows) == [
        "Ấp Mỹ Huê",
        "Ấp Phú Hòa",
    ]
    browser.save_screenshot(str(SCREENSHOTS / "units-phone.png"))
    assert console_errors(browser) == []
