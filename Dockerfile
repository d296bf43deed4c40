# syntax=docker/dockerfile:1
# VBĐH: Tryton 8.0 server (vb_* modules) + the sao web client, one image for
# every application service of docker-compose.yml (web, init, worker, cron).
#
#   docker build -t vbdh:8.0 .
#   docker compose up -d
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TRYTOND_CONFIG=/etc/trytond/trytond-postgresql.conf \
    XDG_RUNTIME_DIR=/run/tryton

# Runtime libraries: libpq5 for psycopg, DejaVu fonts (they cover Vietnamese
# diacritics) for the PDF reports.
# nodejs/npm are needed only to fetch the web client, so they are installed,
# used and purged in this one layer: the final image carries no Node.js.
# The web root is /opt/vbdh/www/node_modules/tryton-sao; its index.html loads
# ./node_modules/<dependency>/..., hence the node_modules -> .. symlink.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libpq5 fonts-dejavu-core fonts-liberation2 poppler-utils \
        tesseract-ocr tesseract-ocr-vie nodejs npm; \
    mkdir -p /opt/vbdh/www; \
    cd /opt/vbdh/www; \
    npm install --omit=dev --no-audit --no-fund --no-update-notifier \
        tryton-sao@8.0; \
    ln -s .. node_modules/tryton-sao/node_modules; \
    test -f node_modules/tryton-sao/index.html; \
    test -f node_modules/tryton-sao/node_modules/jquery/dist/jquery.js; \
    npm cache clean --force; \
    apt-get purge -y --auto-remove nodejs npm; \
    rm -rf /var/lib/apt/lists/* /root/.npm /root/.config

# Only what the package build needs (no .venv, var/, .git from the work tree).
WORKDIR /opt/vbdh/src
COPY pyproject.toml README* ./
COPY addons ./addons
COPY web ./web
COPY config /etc/trytond

# The project with its PostgreSQL drivers, gunicorn for the WSGI service and
# polib for web/po2json.py; then the Vietnamese locale of sao.
RUN set -eux; \
    pip install ".[postgresql]" gunicorn polib; \
    python web/po2json.py web/locale/vi.po \
        /opt/vbdh/www/node_modules/tryton-sao/locale/vi.json; \
    python -c "import trytond.modules.vb_document"; \
    for c in vbdh-setup trytond-admin trytond-worker trytond-cron gunicorn; \
    do command -v "$c"; done

# Unprivileged user; /var/lib/trytond is the filestore ([database] path) and
# is owned by it so a fresh named volume mounted there inherits the owner.
# /run/tryton ($XDG_RUNTIME_DIR) takes gunicorn's control socket, which would
# otherwise land in $HOME, i.e. the filestore.
RUN set -eux; \
    groupadd --system --gid 1000 tryton; \
    useradd --system --uid 1000 --gid tryton --home-dir /var/lib/trytond \
        --shell /usr/sbin/nologin tryton; \
    install -d -o tryton -g tryton -m 0750 /var/lib/trytond; \
    install -d -o tryton -g tryton -m 0700 /run/tryton

USER tryton
WORKDIR /var/lib/trytond
EXPOSE 8000

# gthread workers: every logged-in sao tab keeps one long-polling request to
# /<db>/bus open ([bus] allow_subscribe), which would block a sync worker.
CMD ["gunicorn", "--workers", "4", "--worker-class", "gthread", \
     "--threads", "16", "--timeout", "120", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "trytond.application:app"]
