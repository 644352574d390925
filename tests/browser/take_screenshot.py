"""Take the README screenshot of the console on a running demo desk (not a test).

    PALIER_DATA_DIR=/tmp/shot .venv/bin/palier demo --no-serve
    PALIER_DATA_DIR=/tmp/shot .venv/bin/palier serve --port 8765 &
    .venv/bin/python tests/browser/take_screenshot.py http://127.0.0.1:8765 docs/screenshot.png
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main(base: str, out: str) -> None:
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="en-GB")
        page.goto(f"{base}/login/")
        page.fill("#id_username", "l2@demo.palier.test")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.goto(f"{base}/console/queues/level/")
        links = page.locator("#rows a[href^='/console/tickets/']")
        for i in range(min(links.count(), 30)):  # a ticket that arrived with a handoff
            page.goto(base + links.nth(i).get_attribute("href"))
            if page.locator(".handoff").count():
                break
            page.go_back()
        page.wait_for_selector("#suggest-title + div h3", timeout=60_000)
        page.screenshot(path=out)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
