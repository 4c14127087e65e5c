"""Exit 0 when the portal's web process on this machine can serve (docker-compose.yml's healthcheck).

It asks GET /healthz and reads the body's "database": the web process is healthy when it answers
and reaches its database. /healthz also answers 503 when the broker or the worker is late; that
is the worker's trouble, shown to staff by the delay notice, and restarting the web process
would not mend it. Standard library only. Asks as the first host in ALLOWED_HOSTS, over the
proxy's HTTPS header, so neither the host check nor an HTTPS redirect turns a healthy portal
into a failure.
"""

import http.client
import json
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost"
port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
    body = json.loads(connection.getresponse().read() or b"{}")
except (OSError, ValueError):
    sys.exit(1)
sys.exit(0 if body.get("database") == "ok" else 1)
