"""The deployment files: docker-compose.yml, the systemd units, the Procfiles, gunicorn's and
nginx's configuration. No container engine runs here, so the compose file is checked as YAML;
nginx's configuration is tested with nginx itself where it is installed (.ci/run installs it)."""

import configparser
import datetime
import http.client
import json
import shutil
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx; .ci/run does)")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_process_with_its_command_and_keeps_data_in_volumes():
    spec = compose()
    services = spec["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "nginx"}
    for name, service in services.items():
        assert service.get("command"), f"{name} has no command"
    command = {name: " ".join(service["command"]) for name, service in services.items()}
    assert command["web"].startswith("gunicorn --config deploy/gunicorn.conf.py config.wsgi")
    assert command["worker"].startswith("celery -A config worker") and "--beat" not in command["worker"]
    assert command["beat"].startswith("celery -A config beat") and services["beat"]["deploy"]["replicas"] == 1
    assert [name for name, line in command.items() if " beat" in line] == ["beat"]  # exactly one beat
    assert "migrate --noinput" in command["migrate"] and "collectstatic --noinput" in command["migrate"]
    assert {"pgdata", "media", "static", "redisdata"} <= set(spec["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker", "beat"):
        assert "media:/srv/portal/var/media" in services[name]["volumes"], name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["CELERY_BROKER_URL"].startswith("redis://")
    assert "media:/srv/portal/var/media:ro" in services["nginx"]["volumes"]
    mounted = [volume.split(":")[0] for volume in services["nginx"]["volumes"] if volume.startswith("./deploy/")]
    assert mounted and all((ROOT / path).is_file() for path in mounted)
    assert (ROOT / "Dockerfile").is_file() and "libharfbuzz-subset0" in (ROOT / "Dockerfile").read_text()


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text())
    return parser


def test_the_systemd_units_run_web_worker_and_one_beat_from_the_environment_file():
    lines = {}
    for name in ("portal-web.service", "portal-worker.service", "portal-beat.service"):
        service = unit(name)["Service"]
        assert service["EnvironmentFile"] == "/etc/portal/env" and service["User"] == "portal", name
        assert service["ReadWritePaths"] == "/srv/portal/var", name
        lines[name] = service["ExecStart"]
    assert lines["portal-web.service"].endswith("gunicorn --config deploy/gunicorn.conf.py config.wsgi")
    assert " worker " in lines["portal-worker.service"] and "--beat" not in lines["portal-worker.service"]
    assert lines["portal-beat.service"].endswith("celery -A config beat --loglevel INFO")


def procfile(path: Path) -> dict[str, str]:
    entries = [line.split(":", 1) for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {name: command.strip() for name, command in entries}


def test_make_run_keeps_its_embedded_procfile_and_production_has_its_own():
    embedded = procfile(ROOT / "Procfile")
    assert set(embedded) == {"web", "worker"} and "--beat" in embedded["worker"]  # make run: one process, beat inside
    production = procfile(DEPLOY / "Procfile")
    assert set(production) == {"web", "worker", "beat"}
    assert "gunicorn --config deploy/gunicorn.conf.py" in production["web"] and "--beat" not in production["worker"]


def test_gunicorn_loads_its_configuration_and_the_app():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    done = subprocess.run(
        [gunicorn, "--check-config", "--config", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_nginx_accepts_exactly_the_portals_upload_limit():
    limit = next(line for line in (DEPLOY / "nginx.conf").read_text().splitlines() if "client_max_body_size" in line)
    assert limit.split()[1] == f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20}m;"


def test_behind_nginx_the_lockout_sees_the_client_with_one_trusted_proxy(settings):
    """nginx overwrites X-Forwarded-For with the client's address: with one trusted proxy the
    lockout reads it; with the default 0 everyone behind nginx shares nginx's own address."""
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in (DEPLOY / "nginx.conf").read_text()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-app-environment"]["AXES_IPWARE_PROXY_COUNT"] == "1"
    behind_nginx = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.30.40")
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert get_client_ip_address(behind_nginx) == "10.20.30.40"
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert get_client_ip_address(behind_nginx) == "127.0.0.1"


# --- nginx itself -----------------------------------------------------------------------------


def self_signed(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder.mkdir()
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def substituted(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the file: update this test"
        text = text.replace(old, new)
    return text


@pytest.fixture
def nginx_prefix(tmp_path):
    """deploy/nginx.conf and nginx-upstream.conf with this test's folders and ports, in a main config."""
    ports = {"http": free_port(), "https": free_port(), "app": free_port()}
    self_signed(tmp_path / "tls")
    shutil.copytree(ROOT / "static" / "errors", tmp_path / "var" / "staticfiles" / "errors")  # as collectstatic does
    site = substituted(
        (DEPLOY / "nginx.conf").read_text(),
        {
            "/srv/portal/var/": f"{tmp_path}/var/",
            "/etc/portal/tls/": f"{tmp_path}/tls/",
            "listen 80;": f"listen 127.0.0.1:{ports['http']};",
            "listen 443 ssl;": f"listen 127.0.0.1:{ports['https']} ssl;",
        },
    )
    (tmp_path / "site.conf").write_text(site)
    upstream = substituted(
        (DEPLOY / "nginx-upstream.conf").read_text(), {"127.0.0.1:8000": f"127.0.0.1:{ports['app']}"}
    )
    (tmp_path / "upstream.conf").write_text(upstream)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; master_process off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ include /etc/nginx/mime.types; access_log {tmp_path}/access.log; {temp}\n"
        f"  include {tmp_path}/upstream.conf; include {tmp_path}/site.conf; }}\n"
    )
    return tmp_path, ports


@needs_nginx
def test_nginx_t_accepts_the_configuration(nginx_prefix):
    prefix, _ports = nginx_prefix
    done = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True
    )
    assert done.returncode == 0 and "syntax is ok" in done.stderr, done.stderr


class FakePortal(BaseHTTPRequestHandler):
    """Stands in for gunicorn: echoes the headers nginx forwards, or hands a download over."""

    def do_GET(self):
        if self.path == "/download":
            self.send_response(200)
            self.send_header("X-Accel-Redirect", "/_protected/issued/2027/c%C3%B4ng-v%C4%83n.pdf")
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Disposition", 'attachment; filename="cong-van.pdf"')
            self.send_header("Repr-Digest", "sha-256=:dGVzdA==:")
            self.end_headers()
            return
        body = json.dumps({name: self.headers.get(name) for name in ("X-Forwarded-For", "X-Forwarded-Proto")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@needs_nginx
def test_nginx_serves_static_and_protected_files_and_forwards_the_client(nginx_prefix):
    prefix, ports = nginx_prefix
    media = prefix / "var" / "media" / "issued" / "2027"
    media.mkdir(parents=True)
    (media / "công-văn.pdf").write_bytes(b"%PDF-1.7 issued")
    portal = ThreadingHTTPServer(("127.0.0.1", ports["app"]), FakePortal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE)
    tls = ssl._create_unverified_context()

    def get(path: str, headers: dict | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPSConnection("127.0.0.1", ports["https"], context=tls, timeout=10)
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse()

    try:
        for _ in range(100):
            try:
                get("/static/errors/413.html").read()
                break
            except OSError:
                time.sleep(0.1)
        page = get("/static/errors/50x.html")
        assert page.status == 200 and "tạm thời chưa phản hồi" in page.read().decode()

        seen = json.loads(get("/anything", {"X-Forwarded-For": "6.6.6.6"}).read())  # a client's own header
        assert seen == {"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https"}

        assert get("/_protected/issued/2027/c%C3%B4ng-v%C4%83n.pdf").status == 404  # internal only
        download = get("/download")
        assert download.status == 200 and download.read() == b"%PDF-1.7 issued"
        assert download.getheader("Content-Type") == "application/pdf"
        assert download.getheader("Content-Disposition") == 'attachment; filename="cong-van.pdf"'
        assert download.getheader("Repr-Digest") == "sha-256=:dGVzdA==:"
        assert download.getheader("X-Content-Type-Options") == "nosniff"

        upload = http.client.HTTPSConnection("127.0.0.1", ports["https"], context=tls, timeout=10)
        upload.putrequest("POST", "/upload")
        upload.putheader("Content-Length", str(21 * 2**20 + 1))
        upload.endheaders()
        too_large = upload.getresponse()
        assert too_large.status == 413 and "Tệp quá lớn" in too_large.read().decode()

        plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
        plain.request("GET", "/tasks/")
        redirect = plain.getresponse()
        assert redirect.status == 301 and redirect.getheader("Location").startswith("https://")

        portal.shutdown()
        portal.server_close()
        down = get("/tasks/")
        assert down.status == 502 and "tạm thời chưa phản hồi" in down.read().decode()
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        portal.server_close()


class Health(BaseHTTPRequestHandler):
    status = 200
    body = {"status": "ok", "database": "ok", "broker": "ok"}
    seen: dict = {}

    def do_GET(self):
        Health.seen = {"path": self.path, "host": self.headers["Host"]}
        content = json.dumps(Health.body).encode()
        self.send_response(Health.status)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args):
        pass


def test_the_container_healthcheck_passes_while_the_web_process_reaches_its_database():
    """A late worker or a broker down makes /healthz 503 but the web process still serves: healthy.
    Its database down, or nothing answering: unhealthy."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"HEALTHCHECK_PORT": str(server.server_address[1]), "ALLOWED_HOSTS": "dieuhanh.example.vn,localhost"}

    def check() -> int:
        return subprocess.run([sys.executable, str(DEPLOY / "healthcheck.py")], env=env, timeout=30).returncode

    try:
        assert check() == 0
        assert Health.seen == {"path": "/healthz", "host": "dieuhanh.example.vn"}
        Health.status, Health.body = 503, {"status": "failing", "database": "ok", "broker": "down"}
        assert check() == 0
        Health.body = {"status": "failing", "database": "down", "broker": "ok"}
        assert check() == 1
    finally:
        server.shutdown()
        server.server_close()
    assert check() == 1  # nothing listening
