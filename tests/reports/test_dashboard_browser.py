"""The dashboard in a real browser at phone (360 px) and desktop (1280 px) widths.

Set JEMPUT_SCREENSHOTS=docs/screenshots to refresh the screenshots in the docs.
"""
import os
from pathlib import Path

import pytest
import reports_factories as rf
from PIL import Image
from sqlalchemy import select

from webapp.extensions import db
from webapp.visits.models import Visit

WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}


def shrink_png(src, dest):
    """A palette PNG (screenshots are flat UI colours): small enough for the docs."""
    Image.open(src).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        dest, optimize=True)
    return dest.stat().st_size


@pytest.mark.browser
def test_dashboard_at_phone_and_desktop_width(demo, live_server, browser, tmp_path):
    opened = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    rf.run_day(opened)
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()
    out = Path(os.environ.get("JEMPUT_SCREENSHOTS") or tmp_path)
    tmp_path = Path(os.environ.get("JEMPUT_SCREENSHOTS_RAW") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/login")
        page.fill("#username", "koordinator")
        page.fill("#password", "demo12345")
        page.click("main button[type=submit]")
        page.goto(f"{live_server.url}/koordinator/capaian")
        assert page.locator("h1").inner_text() == "Capaian Perekaman"
        assert page.locator("svg.chart").count() >= 3
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal scroll of {overflow}px at {width}px"
        small = page.evaluate("""() => [...document.querySelectorAll('main a.button, main button')]
            .filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)
            .filter(h => h < 44).length""")
        assert small == 0, "touch targets under 44 px"
        chart = page.locator("svg.chart").first.bounding_box()
        assert chart["width"] <= width and chart["width"] >= min(300, width - 40)
        shots = {f"dashboard-{name}-{width}.png": page}
        if name == "phone":  # a phone screen is short: also the per-kecamatan section
            shots[f"dashboard-{name}-{width}-kecamatan.png"] = page.locator("#h-kec").locator("..")
        for filename, target in shots.items():
            raw = tmp_path / f"raw-{filename}"
            target.screenshot(path=str(raw))
            size = shrink_png(raw, out / filename)
            assert size < 200_000, f"{filename} is {size} bytes"
        page.goto(f"{live_server.url}/koordinator/laporan/{closed.id}")  # the visit page too
        assert page.get_by_role("button", name="Buat Kunjungan Susulan").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(tmp_path / f"visit-{name}.png"), full_page=True)
        context.close()
