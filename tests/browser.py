"""Headless Chromium for the interactive page's tests and benchmark.

Debian's ``chromium`` and ``chromium-driver`` driven by selenium, started
with nothing that reaches out (no sync, no component updates, no background
networking) and a fresh profile.  ``browser()`` skips the calling test when
Chromium is missing, unless the environment variable CI is set: there a
missing browser is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars")


def available() -> bool:
    import importlib.util

    return (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)
            and importlib.util.find_spec("selenium") is not None)


def require():
    """Skip (or, under CI, fail) when there is no browser to test with."""
    import pytest

    if available():
        return
    message = (f"no headless Chromium ({CHROMIUM}, {CHROMEDRIVER}) or no selenium: "
               "apt-get install chromium chromium-driver; pip install -e '.[test]'")
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: browser tests must run)")
    pytest.skip(message)


def browser(width: int = 1280, height: int = 800):
    """A selenium Chrome driver (headless Chromium) whose viewport is
    ``width`` x ``height`` CSS pixels, logging console messages and network
    events.  ``driver.profile_dir`` is removed by ``close(driver)``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="eclipse-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + (f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.profile_dir = profile
    # the window's outer size includes no browser chrome when headless, but
    # make the viewport exact whatever the version does
    inner_w, inner_h, outer_w, outer_h = driver.execute_script(
        "return [innerWidth, innerHeight, outerWidth, outerHeight]")
    if (inner_w, inner_h) != (width, height):
        driver.set_window_size(width + outer_w - inner_w, height + outer_h - inner_h)
    return driver


def session(width: int = 1280, height: int = 800, script_timeout_s: float = 30):
    """A browser for a module's tests (``yield from`` it in a fixture):
    skipped, or failed under CI, without Chromium; closed after them."""
    require()
    driver = browser(width, height)
    driver.set_script_timeout(script_timeout_s)
    yield driver
    close(driver)


def page_data(html: str) -> dict:
    """The data block of a page (``<script id="eclipse-data">``), as the page
    reads it: its JSON, with the ``<\\/`` that keeps a script's end out of it."""
    raw = re.search(r'<script id="eclipse-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def close(driver) -> None:
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


def network_requests(driver) -> list[str]:
    """URLs of every request the browser sent since the last call (Chrome's
    DevTools log: Network.requestWillBeSent)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    """Console messages of level SEVERE since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver, path) -> None:
    """Load a page from file:// and wait for its first draw."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("file://" + os.path.abspath(path))
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return !!(window.eclipseMap && eclipseMap.stats.firstDraw)"))
