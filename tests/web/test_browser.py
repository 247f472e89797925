"""The pages in a real headless Chromium (Selenium with the system's chromium and chromedriver):
forms filled for Earth and GJ 1214 b, the numbers and figures appear, a negative mass shows the
inline error, a catalogue planet's report downloads. Screenshots go to test-artifacts/ (or
$PLANETINFER_TEST_ARTIFACTS)."""

import os
import shutil
import time
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium and chromedriver are not installed (.ci/run installs them)",
)
ARTIFACTS = Path(os.environ.get("PLANETINFER_TEST_ARTIFACTS",
                                Path(__file__).resolve().parents[2] / "test-artifacts"))  # fmt: skip


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1200,1600"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.downloads = downloads
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _wait(driver, css: str, timeout: float = 60.0):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))  # fmt: skip


def _shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / "screenshots" / f"{name}.png"))


def _example(driver, form: str, label: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//form[@id='{form}']//a[text()='{label}']").click()


def test_interior_page_for_earth_and_gj1214b(browser, live_server):
    browser.get(f"{live_server}/interior")
    for label in ("Earth", "GJ 1214 b"):
        _example(browser, "interior-form", label)
        result = _wait(browser, "#interior-form-result svg")
        assert "core mass fraction" in browser.find_element("id", "interior-form-result").text
        assert result.is_displayed()
        _shot(browser, f"interior_{label.replace(' ', '_')}")


def test_negative_mass_shows_the_inline_error(browser, live_server):
    browser.get(f"{live_server}/interior")
    browser.find_element("name", "mass").send_keys("-1")
    browser.find_element("name", "radius").send_keys("1")
    browser.find_element("css selector", "#interior-form button").click()
    deadline = time.time() + 30
    while time.time() < deadline and not browser.find_element("id", "interior-form-error").text:
        time.sleep(0.1)
    assert "mass" in browser.find_element("id", "interior-form-error").text
    _shot(browser, "interior_negative_mass")


def test_mass_and_escape_pages(browser, live_server):
    browser.get(f"{live_server}/mass")
    for label in ("Earth", "GJ 1214 b"):
        _example(browser, "mass-form", label)
        assert "M =" in _wait(browser, "#mass-median").text
    _shot(browser, "mass")
    browser.get(f"{live_server}/escape")
    _example(browser, "escape-form", "sub-Neptune, K dwarf")
    _wait(browser, "#escape-form-result table")
    _example(browser, "evolve-form", "sub-Neptune, K dwarf")
    _wait(browser, "#evolve-form-result svg")
    _shot(browser, "escape")


def test_catalogue_planet_report_downloads(browser, live_server):
    browser.get(f"{live_server}/characterise")
    browser.find_element("id", "planet-search").send_keys("GJ 1214 b")
    browser.find_element("css selector", "#characterise-form button").click()
    assert "M =" in _wait(browser, "#characterise-mass").text
    _wait(browser, "#download-html", timeout=120).click()
    deadline = time.time() + 30
    while time.time() < deadline and not list(browser.downloads.glob("*_report.html")):
        time.sleep(0.2)
    reports = list(browser.downloads.glob("*_report.html"))
    assert reports and "GJ 1214 b" in reports[0].read_text()
    _shot(browser, "characterise_gj1214b")
