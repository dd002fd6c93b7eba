"""The container files: what can be checked without a Docker engine.

The Dockerfile and docker-compose.yml are read as text and YAML and held to
their promises; the two shell scripts run for real, ``fdb-init.sh`` against a
stand-in ``fdbcli`` that plays a new, unconfigured FoundationDB server.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
import yaml

from tests.config.conftest import ROOT, run

FDB_IMAGE = "foundationdb/foundationdb:7.3.79"


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_image_installs_the_pinned_client_with_a_verified_checksum(dockerfile):
    assert dockerfile.startswith("# syntax=docker/dockerfile:1")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "ARG FDB_VERSION=7.3.79" in dockerfile
    digests = re.findall(r"^ARG FDB_CLIENTS_SHA256_\w+=([0-9a-f]*)$", dockerfile, re.M)
    assert len(digests) == 2 and all(len(d) == 64 for d in digests)
    assert "foundationdb-clients_${FDB_VERSION}-1_${deb_arch}.deb" in dockerfile
    assert "| sha256sum -c -" in dockerfile
    assert "releases/download/${FDB_VERSION}/" in dockerfile


def test_the_image_runs_the_production_server_as_a_non_root_user_with_a_healthcheck(dockerfile):
    user = re.search(r"^USER (\S+)$", dockerfile, re.M)
    assert user and user.group(1).split(":")[0] not in {"0", "root"}
    assert 'CMD ["python", "-m", "config.server"]' in dockerfile
    healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (.*)$", dockerfile, re.M)
    assert healthcheck and "/api/v5/health" in healthcheck.group(1)
    assert "urllib.request" in healthcheck.group(1)
    assert "curl" not in healthcheck.group(1)
    assert "preload" not in dockerfile


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "var"):
        assert entry in ignored


def test_compose_runs_pinned_foundationdb_an_init_job_and_the_api(compose):
    services = compose["services"]
    assert services["fdb"]["image"] == FDB_IMAGE
    assert services["fdb-init"]["image"] == FDB_IMAGE
    assert services["fdb-init"]["entrypoint"] == ["sh", "/docker/fdb-init.sh"]
    assert services["fdb-init"]["environment"]["FDB_INIT_CONFIGURATION"] == "single memory"
    api = services["api"]
    assert api["build"] == "."
    assert api["depends_on"]["fdb-init"]["condition"] == "service_completed_successfully"
    env = api["environment"]
    cluster = services["fdb"]["environment"]["FDB_CLUSTER_FILE_CONTENTS"]
    assert env["FDB_CLUSTER_FILE_CONTENTS"] == cluster == "docker:docker@127.0.0.1:4500"
    assert env["FDB_CLUSTER_FILE"].startswith("/run/coditect/")
    assert services["fdb"]["environment"]["FDB_NETWORKING_MODE"] == "host"
    assert api["network_mode"] == services["fdb-init"]["network_mode"] == "service:fdb"
    assert "${PORT:-8080}:8080" in services["fdb"]["ports"]


def test_the_scripts_are_executable_posix_shell():
    for script in ("docker/entrypoint.sh", "docker/fdb-init.sh", "scripts/serve.sh"):
        path = ROOT / script
        assert path.stat().st_mode & stat.S_IXUSR, script
        result = run(["sh", "-n", str(path)], env={"PATH": os.environ["PATH"]})
        assert result.returncode == 0, result.stderr


def test_the_entrypoint_writes_the_cluster_file_then_runs_the_command(tmp_path):
    cluster = tmp_path / "run" / "fdb.cluster"
    env = {
        "PATH": os.environ["PATH"],
        "FDB_CLUSTER_FILE": str(cluster),
        "FDB_CLUSTER_FILE_CONTENTS": "docker:docker@127.0.0.1:4500",
    }
    result = run(["sh", "docker/entrypoint.sh", "cat", str(cluster)], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "docker:docker@127.0.0.1:4500\n"


FAKE_FDBCLI = """#!/bin/sh
# Stand-in for fdbcli: a new server with no database until `configure new` runs.
state="$FAKE_STATE"
for arg in "$@"; do
    case "$arg" in
        "status json")
            if [ -f "$state" ]; then
                printf '{\\n  "client" : {\\n    "database_status" : {\\n'
                printf '      "available" : true\\n    }\\n  }\\n}\\n'
            else
                printf '{ "cluster" : { "recovery_state" : {\\n'
                printf '  "name" : "configuration_never_created" } },\\n'
                printf '  "client" : { "database_status" : { "available" : false } } }\\n'
            fi
            exit 0 ;;
        "configure new "*)
            echo "$arg" >> "$state.log"
            if [ -f "$state" ]; then echo "ERROR: Database already exists!"; exit 1; fi
            : > "$state"; echo "Database created"; exit 0 ;;
    esac
done
exit 1
"""


def fake_fdbcli(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fdbcli = bin_dir / "fdbcli"
    fdbcli.write_text(FAKE_FDBCLI)
    fdbcli.chmod(0o755)
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_STATE": str(tmp_path / "configured"),
        "FDB_CLUSTER_FILE": str(tmp_path / "fdb.cluster"),
        "FDB_CLUSTER_FILE_CONTENTS": "docker:docker@127.0.0.1:4500",
        "FDB_INIT_INTERVAL": "0",
        "FDB_INIT_ATTEMPTS": "5",
    }


def test_fdb_init_configures_a_new_database_once(tmp_path):
    env = fake_fdbcli(tmp_path)
    first = run(["sh", "docker/fdb-init.sh"], env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "configure new single memory" in first.stdout
    assert (tmp_path / "configured.log").read_text() == "configure new single memory\n"
    assert (tmp_path / "fdb.cluster").read_text() == "docker:docker@127.0.0.1:4500\n"

    again = run(["sh", "docker/fdb-init.sh"], env)  # a restart: already configured
    assert again.returncode == 0
    assert "configure new" not in again.stdout
    assert (tmp_path / "configured.log").read_text().count("configure new") == 1


def test_fdb_init_fails_when_the_server_never_answers(tmp_path):
    env = fake_fdbcli(tmp_path)
    (tmp_path / "bin" / "fdbcli").write_text("#!/bin/sh\nexit 1\n")
    result = run(["sh", "docker/fdb-init.sh"], env)
    assert result.returncode == 1
    assert "did not become available" in result.stderr
