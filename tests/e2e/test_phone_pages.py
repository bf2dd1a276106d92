"""The demo province in a real headless Chromium at 390 px: the home page, the bell and the
notifications page fit the phone; the main pages are photographed at both widths."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.e2e.chromium import PHONE, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# var/screenshots by default; `SCREENSHOT_DIR=docs/screenshots` refreshes the README's pictures.
DOCS_SCREENSHOTS = SCREENSHOTS


@pytest.fixture
def demo_province(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())


def page_width(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth")


def test_unit_head_reads_next_step_bell_and_notifications_on_a_phone(
    browser,
    live_server,
    demo_province,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    log_in(browser, live_server, "kdc.anhoi.khupho2")

    step = browser.find_element(By.CSS_SELECTOR, ".next-step")
    assert step.text.startswith("Việc cần làm tiếp (")
    assert "Thời hạn:" in step.text
    assert page_width(browser) <= PHONE
    badge = browser.find_element(By.ID, "notification-unread-count")
    WebDriverWait(browser, 10).until(expected_conditions.visibility_of(badge))
    assert int(badge.text) > 0
    assert not browser.find_element(By.ID, "main-nav").is_displayed()

    browser.find_element(By.ID, "notification-bell-link").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/notifications/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thông báo"
    assert "http://" not in browser.find_element(By.ID, "notification-items").text
    assert page_width(browser) <= PHONE
    checked = browser.find_elements(By.CSS_SELECTOR, "input[name=email_mode]:checked")
    assert len(checked) == 1

    browser.find_element(By.CSS_SELECTOR, "button.notification-title").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/registration/"))
    assert page_width(browser) <= PHONE


PAGES = (
    ("kdc.travinh.khom3", "/", "home-unit"),
    ("kdc.travinh.khom3", "/certification/decisions/", "decisions-unit"),
    ("kdc.anhoi.khupho2", "/certification/notifications/", "notifications"),
    ("ca.travinh", "/", "home-reviewer"),
    ("ubnd.canglong", "/", "home-decision-maker"),
    ("quan.sat", "/", "home-observer"),
    ("quan.sat", "/certification/progress/", "progress-observer"),
    ("quan.sat", "/certification/results/", "results-observer"),
    ("ca.travinh", "/certification/jobs/", "jobs-reviewer"),
    ("admin", "/", "home-administrator"),
    ("admin", "/khong-co-trang-nay/", "not-found"),
    (None, "/", "landing"),
)


def test_main_pages_fit_a_phone_and_are_photographed(browser, live_server, demo_province):
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    current = None
    for username, path, name in PAGES:
        if username != current:
            browser.set_window_size(PHONE, 844)
            if username is None:
                browser.delete_all_cookies()
            else:
                log_in(browser, live_server, username)
            current = username
        browser.set_window_size(PHONE, 844)
        browser.get(live_server.url + path)
        if page_width(browser) > PHONE:
            too_wide[name] = page_width(browser)
        browser.save_screenshot(str(DOCS_SCREENSHOTS / f"{name}-390.png"))
        browser.set_window_size(1366, 900)
        browser.get(live_server.url + path)
        browser.save_screenshot(str(DOCS_SCREENSHOTS / f"{name}-1366.png"))

    assert too_wide == {}
