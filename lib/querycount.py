"""The number of SQL queries a request made, in an ``X-Query-Count`` response header: for bench/run only.

Installed only when ``PORTAL_BENCH_QUERY_HEADER`` is on (config/settings.py; off by default, never
set in production): the header tells a client how the pages are built. Counts the statements on
every database alias, from the first middleware to the rendered response (a streamed body's later
queries are not counted).
"""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Query-Count"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
