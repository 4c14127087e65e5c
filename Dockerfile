# The portal's image: web, worker and beat run from it (docker-compose.yml, docs/deployment.md).
# The same Debian packages as a host install, on the Python the project pins (3.11).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/srv/portal/var

# WeasyPrint: Pango and HarfBuzz's subsetter (without libharfbuzz-subset0 fonts are subset
# ~5x slower); fontconfig and Liberation for the fonts; pg_dump/pg_restore (15, as the
# database image) for `manage.py backup` and `restore`; ocrmypdf and Tesseract's Vietnamese
# data read scanned received documents (intake).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      fontconfig fonts-liberation2 \
      postgresql-client-15 \
      tesseract-ocr-vie ocrmypdf \
 && rm -rf /var/lib/apt/lists/*

# A new named volume takes the ownership of the folder it is mounted on: portal's.
RUN useradd --system --uid 10001 --user-group --home-dir /srv/portal --shell /usr/sbin/nologin portal \
 && mkdir -p /srv/portal/app /srv/portal/var/media /srv/portal/var/staticfiles \
 && chown -R portal:portal /srv/portal/var

WORKDIR /srv/portal/app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .

USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "config.wsgi"]
