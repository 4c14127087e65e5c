"""Exit 0 when the portal on this machine answers GET /healthz with 200 (docker-compose.yml's healthcheck).

Standard library only. Asks as the first host in ALLOWED_HOSTS, over the proxy's HTTPS header,
so neither the host check nor an HTTPS redirect turns a healthy portal into a failure.
"""

import http.client
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost"
port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
    status = connection.getresponse().status
except OSError:
    sys.exit(1)
sys.exit(0 if status == 200 else 1)
