# syntax=docker/dockerfile:1
# The API for production: granian (python -m config.server) on $PORT, as a
# non-root user, with FoundationDB's client library for FDB_CLUSTER_FILE.
#
#   docker build -t coditect-api .
#   docker run -p 8080:8080 -e JWT_SECRET=... -e FDB_CLUSTER_FILE=/etc/foundationdb/fdb.cluster \
#       -v /etc/foundationdb:/etc/foundationdb:ro coditect-api
#
# Without FDB_CLUSTER_FILE it runs on the embedded store at /data (mount a volume there).
FROM python:3.11-slim-bookworm

# FoundationDB's client package, from its GitHub release, checked with sha256sum -c.
# The binding (foundationdb==7.3.79 in requirements.txt) is pinned to the same line.
# The digests are the published ones for 7.3.79 (see docs/OPERATIONS.md, "Upgrading
# FoundationDB"): pass --build-arg FDB_VERSION=... with both digests to change it.
ARG FDB_VERSION=7.3.79
ARG FDB_CLIENTS_SHA256_AMD64=52cc22565c42e7eb60c08f395a0626483735c311be0d80b7c035ac8e328e2fff
ARG FDB_CLIENTS_SHA256_ARM64=52de6931803c322e131c5e84cebb35d647237ef51a7df3df6fbe32b9b971e7fb
ARG TARGETARCH=amd64

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Downloaded with Python's urllib (no curl in the image); apt-get resolves the
# package's few dependencies. Installs libfdb_c.so, fdbcli, fdbbackup, fdbrestore.
RUN case "${TARGETARCH}" in \
        amd64) deb_arch=amd64; sha256="${FDB_CLIENTS_SHA256_AMD64}" ;; \
        arm64) deb_arch=aarch64; sha256="${FDB_CLIENTS_SHA256_ARM64}" ;; \
        *) echo "no FoundationDB client package for ${TARGETARCH}" >&2; exit 1 ;; \
    esac \
    && deb="foundationdb-clients_${FDB_VERSION}-1_${deb_arch}.deb" \
    && python -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
        "https://github.com/apple/foundationdb/releases/download/${FDB_VERSION}/${deb}" "/tmp/${deb}" \
    && echo "${sha256}  /tmp/${deb}" | sha256sum -c - \
    && apt-get update \
    && apt-get install -y --no-install-recommends "/tmp/${deb}" \
    && rm -rf /var/lib/apt/lists/* "/tmp/${deb}"

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app \
    && mkdir -p /data /run/coditect \
    && chown app:app /data /run/coditect

WORKDIR /app
COPY requirements.txt ./
RUN python -m venv "${VIRTUAL_ENV}" \
    && pip install --no-compile -r requirements.txt

# Code stays owned by root: the app user can read it, not change it.
COPY . .

ENV HOST=0.0.0.0 \
    PORT=8080 \
    DEBUG=false \
    SKIP_DOTENV=1 \
    FDBSTORE_PATH=/data/store.sqlite3

USER 10001:10001
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/v5/health' % os.environ.get('PORT', '8080'), timeout=4)"]

ENTRYPOINT ["sh", "/app/docker/entrypoint.sh"]
CMD ["python", "-m", "config.server"]
