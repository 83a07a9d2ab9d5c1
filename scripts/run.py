"""`make run`: everything a developer needs, in one terminal; Ctrl-C stops it all.

Starts (or reuses) the embedded PostgreSQL unless DATABASE_URL is set, migrates, loads the demo
data, then runs the web server on http://127.0.0.1:8000 with a Celery worker and Celery beat.
Without CELERY_BROKER_URL the worker and beat talk through kombu's filesystem transport in
.devdata/celery-broker/, so reminders and other background work are delivered without Redis.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable


def _stop(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C (SIGINT) or a SIGTERM from a supervisor both stop every child cleanly.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    env = dict(os.environ)
    started_embedded_db = not env.get("DATABASE_URL")
    env["DATABASE_URL"] = subprocess.check_output([PY, "scripts/devdb.py", "run"], cwd=BASE_DIR, text=True).strip()
    env.setdefault("DEBUG", "true")
    env.setdefault("PYTHONUNBUFFERED", "1")
    (BASE_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
    if not env.get("CELERY_BROKER_URL"):
        for folder in ("queue", "processed", "control"):
            (BASE_DIR / ".devdata" / "celery-broker" / folder).mkdir(parents=True, exist_ok=True)

    manage = [PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "seed_demo"], cwd=BASE_DIR, env=env, check=True)

    celery = [PY, "-m", "celery", "-A", "mentorship"]
    commands = {
        "worker": [*celery, "worker", "-l", "info", "--concurrency=2", "--without-gossip", "--without-mingle"],
        "beat": [*celery, "beat", "-l", "info"],
        "web": [*manage, "runserver", "127.0.0.1:8000"],
    }
    processes = {name: subprocess.Popen(cmd, cwd=BASE_DIR, env=env) for name, cmd in commands.items()}
    print("\nThe app runs on http://127.0.0.1:8000 — demo logins are in README.md. Ctrl-C stops it.\n", flush=True)

    exit_code = 0
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (exit code {process.returncode}); stopping the rest.", file=sys.stderr)
                    exit_code = process.returncode or 1
                    raise KeyboardInterrupt
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if started_embedded_db:
            subprocess.run([PY, "scripts/devdb.py", "stop"], cwd=BASE_DIR, check=False)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
