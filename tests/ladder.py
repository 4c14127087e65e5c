"""Bring a task through the agency's acceptance ladder when the ladder is not what a test is about."""

from tasks import permissions as rights
from tasks import services
from tasks.models import Extension, Task


def accept_fully(task: Task, note: str = "") -> Task:
    """Accept the submitted result at every step the agency's ladder has (head, then leader)."""
    task = Task.objects.get(pk=task.pk)
    while task.state == Task.State.SUBMITTED:
        services.task_accept(task=task, by=rights.acceptance_deciders(task)[0], note=note)
        task = Task.objects.get(pk=task.pk)
    return task


def decide_fully(extension: Extension, *, grant: bool, note: str = "") -> Extension:
    """Grant or refuse the extension at every step it needs (the head, then the leader beyond his limit)."""
    extension = Extension.objects.get(pk=extension.pk)
    while extension.state == Extension.State.PENDING:
        task = Task.objects.get(pk=extension.task_id)
        person = rights.extension_deciders(task, extension)[0]
        services.task_extension_decide(extension=extension, by=person, grant=grant, note=note)
        extension = Extension.objects.get(pk=extension.pk)
    return extension
