"""Regenerate docs/editor.png: the web editor with suggestions from a real model, in Debian's Chromium.

    .venv/bin/python scripts/editor_screenshot.py [--model default] [--out docs/editor.png]

Starts `spelltune serve` on a free loopback port (with a throwaway dictionary and feedback folder),
pastes the first lines of examples/sample.txt, waits for the check, opens the first suggestion's card
and saves a screenshot. Needs `chromium` (apt-get install chromium) and the playwright package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    """Start the server, drive the browser, write the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "editor.png")
    parser.add_argument("--lines", type=int, default=3, help="lines of examples/sample.txt to paste")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("error: chromium is missing: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    sys.path.insert(0, str(REPO / "bench"))
    from serve_load import free_port

    text = "\n".join((REPO / "examples" / "sample.txt").read_text(encoding="utf-8").splitlines()[: args.lines])
    port = free_port()
    env = {**os.environ, "SPELLTUNE_DATA_DIR": tempfile.mkdtemp(prefix="spelltune-screenshot-")}
    server = subprocess.Popen([sys.executable, "-m", "spelltune", "serve", "--model", args.model, "--port", str(port)],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            deadline = time.monotonic() + 900
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/")
                    break
                except Exception:  # noqa: BLE001 - not up yet
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit("error: the server did not start:\n" + server.stderr.read().decode(errors="replace"))
                    time.sleep(1)
            page.locator("#auto-check").uncheck()
            page.locator("#text").fill(text)
            page.locator("#check").click()
            expect(page.locator("#status")).to_contain_text("suggestion", timeout=600_000)
            real = page.locator("#backdrop mark:not(.kind-hint)")
            shown = real.nth(1) if real.count() > 1 else page.locator("#backdrop mark").first
            box = shown.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(page.locator("#card")).to_be_visible()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            count = page.locator("#backdrop mark").count()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrote {args.out} ({count} suggestions underlined)")


if __name__ == "__main__":
    main()
