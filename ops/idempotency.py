"""Idempotency keys: a retried request lands on the first one's answer instead of acting twice.

The API reads the ``Idempotency-Key`` header; web forms carry a hidden ``idempotency_key``
field generated when the form is rendered (``{% idempotency_field %}``), so a double submit or a
retry after a dropped connection shows the first result instead of «đã được phát hành».

The key row is inserted first, in the transaction that wraps the action, so two copies of one
request cannot both act: the second waits on the unique index until the first commits, then
reads its answer. Only answers below 400 are kept; a refused request releases its key (its
transaction rolls back), so the person can correct and send it again. Keys expire after a day.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema

from ops.models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
TTL = timedelta(days=1)


def new_key() -> str:
    return uuid.uuid4().hex


def respond_once(request, *, key: str, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer ``respond()`` once per (person, endpoint, key) for a day; replay it to the retries."""
    key = (key or "").strip()[:100]
    user = getattr(request, "user", None)
    if not key or user is None or not user.is_authenticated:
        return respond()
    endpoint = f"{request.method} {request.path}"[:200]
    now = timezone.now()
    mine = IdempotencyKey.objects.filter(user=user, endpoint=endpoint, key=key)
    mine.filter(created_at__lt=now - TTL).delete()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, endpoint=endpoint, key=key, created_at=now)
        except IntegrityError:
            record = None
        if record is not None:
            response = respond()
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")[:100]
            record.location = response.get("Location", "")[:500]
            record.body = b"" if response.streaming else response.content
            record.save(update_fields=["status", "content_type", "location", "body"])
            return response
    first = mine.first()
    if first is None or not first.status:  # purged meanwhile: act as a fresh request would
        return respond()
    replay = HttpResponse(bytes(first.body), status=first.status, content_type=first.content_type or None)
    if first.location:
        replay["Location"] = first.location
    replay["Idempotent-Replayed"] = "true"
    return replay


def idempotent_api(method):
    """Wrap a DRF view's ``post(self, request, …)``: the ``Idempotency-Key`` header makes it once-only."""

    @wraps(method)
    def wrapper(view, request, *args, **kwargs):
        def respond():
            response = method(view, request, *args, **kwargs)
            if getattr(response, "accepted_renderer", None) is None and hasattr(response, "data"):
                response.accepted_renderer = request.accepted_renderer
                response.accepted_media_type = request.accepted_media_type
                response.renderer_context = view.get_renderer_context()
            return response

        return respond_once(request, key=request.headers.get(HEADER, ""), respond=respond)

    return extend_schema(parameters=[_HEADER_PARAMETER])(wrapper)


_HEADER_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Khóa chống gửi lặp (tối đa 100 ký tự, ví dụ một UUID). Gửi lại cùng khóa trong vòng một ngày "
        "sẽ nhận lại đúng câu trả lời thành công lần đầu thay vì thực hiện lần nữa."
    ),
)


def idempotent_form(view):
    """Wrap a page view: a POST carrying ``idempotency_key`` is acted on once, then replayed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        return respond_once(request, key=request.POST.get(FIELD, ""), respond=lambda: view(request, *args, **kwargs))

    return wrapper


def keys_purge(*, now=None) -> int:
    """Delete the keys older than a day; answer how many."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - TTL).delete()
    return deleted
