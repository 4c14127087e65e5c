import pytest

from tasks import services


@pytest.fixture
def make_task(director, science_unit):
    """A task carol gives to the science unit."""

    def make(by=None, **fields):
        fields.setdefault("title", "Rà soát các đề tài chậm tiến độ")
        fields.setdefault("lead_unit", science_unit)
        return services.task_create(by=by or director, **fields)

    return make


@pytest.fixture
def assigned(make_task, unit_head, specialist):
    """A task bob has assigned to dave."""

    def make(**fields):
        task = make_task(**fields)
        services.task_assign(task=task, by=unit_head, handler=specialist)
        task.refresh_from_db()
        return task

    return make
