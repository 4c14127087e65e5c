"""Badges of the task pages: one colour per state and per tracking class, everywhere."""

from django import template

from tasks.models import Task, TrackingClass

register = template.Library()

STATE_CSS = {
    Task.State.NEW: "text-bg-info",
    Task.State.IN_PROGRESS: "text-bg-primary",
    Task.State.SUBMITTED: "text-bg-warning",
    Task.State.RETURNED: "text-bg-danger",
    Task.State.DONE: "text-bg-success",
    Task.State.CANCELLED: "text-bg-secondary",
}

TRACKING_CSS = {
    TrackingClass.ON_TIME: "text-bg-success",
    TrackingClass.LATE: "text-bg-warning",
    TrackingClass.WITHIN: "bg-success-subtle text-success-emphasis border border-success-subtle",
    TrackingClass.OVERDUE: "text-bg-danger",
    TrackingClass.NO_DEADLINE: "text-bg-light border",
    TrackingClass.CANCELLED: "text-bg-secondary",
}

PRIORITY_CSS = {Task.Priority.HIGH: "text-bg-warning", Task.Priority.URGENT: "text-bg-danger"}


@register.filter
def task_state_css(state: str) -> str:
    """What waits on someone is amber, what went back red, what is done green."""
    return STATE_CSS.get(state, "text-bg-light")


@register.filter
def tracking_css(tracking: str) -> str:
    return TRACKING_CSS.get(tracking, "text-bg-light")


@register.filter
def tracking_label(tracking: str) -> str:
    """The Government Office's name of a tracking class."""
    try:
        return TrackingClass(tracking).label
    except ValueError:
        return ""


@register.filter
def priority_css(priority: int) -> str:
    return PRIORITY_CSS.get(priority, "")


@register.filter
def row_css(task) -> str:
    """Overdue rows red, rows due within three days amber."""
    if getattr(task, "tracking", "") == TrackingClass.OVERDUE:
        return "row-overdue"
    if getattr(task, "due_soon", False):
        return "row-due-soon"
    return ""
