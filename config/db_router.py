"""The database router: reads of reports and dashboards to the streaming replica, if any.

Installed always; it routes to the ``replica`` alias only inside ``lib.replica.replica_reads()``
and only when DATABASE_REPLICA_URL configures that alias (docs/deployment.md, "Scaling out").
"""

from django.conf import settings

from lib.replica import REPLICA, replica_reads_active


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_reads_active() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # Django's default: the instance's own database, else default

    def db_for_write(self, model, **hints):
        return None  # always default: a streaming replica is read-only

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of default: an object read from one may point to one from the other.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None  # the replica follows default's schema by replication
