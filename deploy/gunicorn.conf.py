"""gunicorn's settings for the portal's web process (systemd, deploy/Procfile and docker-compose.yml).

Read from the environment so one file serves every way of running it; docs/deployment.md
explains the numbers. An empty variable (as copied from .env.example) means the default.
"""

import multiprocessing
import os

# 127.0.0.1:8000 behind the nginx of this host; 0.0.0.0:8000 in a container or when nginx
# runs on another host (then firewall the port to that host). Several addresses: spaces.
bind = (os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000").split()
# Sync workers: each serves one request at a time and pages take milliseconds; PDFs and
# reports take up to a few seconds, so give the host's cores some spare workers.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# A report rendered to PDF for a whole province is the slowest request: well under this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# WeasyPrint and fontTools keep caches that grow; recycling workers bounds the memory.
max_requests = 1000
max_requests_jitter = 100
# Not preloaded: `kill -HUP` (systemctl reload) then starts new workers on the new code
# while the old ones finish their requests — the zero-downtime upgrade of docs/deployment.md.
preload_app = False
# The proxy whose X-Forwarded-Proto gunicorn believes (nginx on this host by default).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
accesslog = "-"
errorlog = "-"
