"""``GET /healthz``: is the portal able to do its work? For monitoring; no sign-in, no secrets."""

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import background


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    # The project's Celery app (config/celery.py) is the current one; ops stays below config.
    from celery import current_app

    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:
        return False


def _age(now, moment) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


@require_GET
@never_cache
def healthz(request):
    """200 when the database and the broker answer and the queue drains; 503 otherwise.

    The body names what is wrong: ``database`` and ``broker`` ("ok" or "down"), the worker's
    last heartbeat (ISO time and age in seconds) and the age of the oldest due job.
    """
    now = timezone.now()
    database = _database_ok()
    heartbeat_at = oldest = None
    if database:
        beats = background.Heartbeat.objects.filter(name=background.WORKER)
        heartbeat_at = beats.values_list("beat_at", flat=True).first()
        oldest = background.oldest_due(now=now)
    broker = _broker_ok()
    state = background.QueueState(heartbeat_at=heartbeat_at, oldest_due_at=oldest)
    healthy = database and broker and not state.late(now)
    body = {
        "status": "ok" if healthy else "failing",
        "database": "ok" if database else "down",
        "broker": "ok" if broker else "down",
        "worker_heartbeat": heartbeat_at.isoformat() if heartbeat_at else None,
        "worker_heartbeat_age_seconds": _age(now, heartbeat_at),
        "oldest_due_job_age_seconds": _age(now, oldest) if oldest and oldest < now else (0 if oldest else None),
    }
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """``GET /favicon.ico``: the portal's icon (pages name it with ``<link rel=icon>``; this
    answers the browsers and tools that ask for the old fixed path)."""
    from django.contrib.staticfiles import finders
    from django.http import FileResponse, Http404
    from django.utils.cache import patch_cache_control

    path = finders.find("favicon.svg")
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/svg+xml")  # noqa: SIM115 (closed by the response)
    patch_cache_control(response, public=True, max_age=86400)
    return response
