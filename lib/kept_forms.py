"""A dialog's input kept across the redirect that follows a refusal.

Some forms live in dialogs (the task actions: report, extension, assign, return…) and answer
with a redirect to the page they came from. When the input is refused, nothing typed may be
lost: ``form_keep`` puts the typed values, the messages and the staged files (lib.staged_uploads)
in the session; the next full page carries them as JSON (the ``kept_form`` context processor and
base.html's ``json_script``, no inline script), and static/js/app.js opens the same dialog again,
fills it in, lists the kept files and shows the messages.
"""

from django import forms

SESSION_KEY = "kept_form"
_NOT_KEPT = {"csrfmiddlewaretoken", "next"}


def form_keep(
    request, *, dialog: str, action: str, form: forms.Form | None = None, message: str = "", title: str = ""
) -> None:
    """Remember the refused input for the next page: dialog id, URL it posts to, values, errors, files.

    ``form`` (when the view has one) gives the field errors and the staged files."""
    values = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in _NOT_KEPT and not name.endswith(("__staged", "__remove"))
    }
    files = [
        {"field": name, "token": staged.token, "name": staged.original_name}
        for name, field in (form.fields.items() if form is not None else ())
        for staged in getattr(field.widget, "staged", ())
    ]
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()} if form and form.is_bound else {}
    request.session[SESSION_KEY] = {
        "dialog": dialog,
        "action": action,
        "title": title,
        "values": values,
        "errors": errors,
        "message": str(message),
        "files": files,
    }


def kept_form(request) -> dict:
    """Context processor: the kept input, once, for the first full page rendered after the refusal."""
    session = getattr(request, "session", None)
    if session is None or request.headers.get("HX-Request") or SESSION_KEY not in session:
        return {}
    return {"kept_form": session.pop(SESSION_KEY)}
