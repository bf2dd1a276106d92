"""Headless Chromium for the browser tests: the driver fixture, console errors, screenshots."""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
PHONE = 390  # the width of a mid-range phone, in CSS pixels


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=vi",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
    )
    driver.set_window_size(PHONE, 844)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def log_in(driver, live_server, username, password="antt2026"):
    """Logs in through the login page, after dropping any earlier session (the demo's password)."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(live_server.url + "/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
