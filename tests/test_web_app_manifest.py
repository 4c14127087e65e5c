"""The portal can be added to a phone's home screen: a web app manifest, its icons, no offline copy."""

import json
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image

STATIC = Path(settings.BASE_DIR) / "static"


def test_the_manifest_is_served_as_a_manifest(client):
    response = client.get("/static/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(b"".join(response.streaming_content))
    assert manifest["name"] == "Cổng điều hành văn bản"
    assert manifest["short_name"] == "Điều hành"
    assert manifest["lang"] == "vi"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#7a1c1c"
    sizes = {(icon["sizes"], icon["type"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "image/png"), ("512x512", "image/png")}


def test_every_icon_of_the_manifest_is_a_png_of_its_size(client):
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        response = client.get(f"/static/{icon['src']}")
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == "image/png"
        picture = Image.open(BytesIO(b"".join(response.streaming_content)))
        assert picture.format == "PNG"
        assert f"{picture.width}x{picture.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_its_colour(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#7a1c1c">' in page


def test_no_service_worker_keeps_pages_offline():
    """Confidential documents must not stay in a phone's cache (docs/accessibility.md)."""
    scripts = [path for path in (STATIC / "js").rglob("*.js")]
    assert scripts
    assert not [path.name for path in scripts if "serviceWorker" in path.read_text(encoding="utf-8")]
    assert "serviceworker" not in (STATIC / "manifest.webmanifest").read_text(encoding="utf-8").lower()
