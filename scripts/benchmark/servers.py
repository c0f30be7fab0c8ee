"""The processes and databases of a run: the app's environment, `manage.py`, gunicorn."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmark.settings import AUDIT_KEY, GUNICORN, PYTHON, ROOT, SERVER


def app_env(database_url: str, args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=f"bench-{secrets.token_urlsafe(40)}",
        AUDIT_HMAC_KEY=AUDIT_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE=str(args.conn_max_age),
        LOG_LEVEL="WARNING",
        # The benchmark logs in a few times per size; the production rate would refuse it.
        LOGIN_THROTTLE_RATE="1000/min",
        # The checkout's own tree first; a --app module may live on the caller's path.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def server_env(database_url: str, args) -> dict[str, str]:
    """The gunicorn instances' environment: straight to PostgreSQL, or through a PgBouncer
    in transaction mode listening on `--pgbouncer-port` (seeding and the ceilings stay
    direct)."""
    env = app_env(database_url, args)
    if args.pgbouncer_port:
        parts = urlsplit(database_url)
        env["DATABASE_URL"] = urlunsplit(
            parts._replace(netloc=f"{parts.username}@127.0.0.1:{args.pgbouncer_port}")
        )
        env["DATABASE_TRANSACTION_POOLER"] = "1"
    return env


def manage(env: dict, *arguments: str, log: Path) -> None:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(arguments)}\n")
        out.flush()
        # stderr stays on the terminal: the seed's progress bar shows there.
        subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, stdout=out, check=True)


def missing_routes(env: dict, paths: list[str]) -> set[str]:
    """The paths no URL pattern answers, asked of Django's resolver in a child process."""
    probe = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "missing = []\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        resolve(path.split('?')[0])\n"
        "    except Resolver404:\n"
        "        missing.append(path)\n"
        "print(json.dumps(missing))\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe, json.dumps(paths)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "pos_project.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in its own process group, always stopped on the way out."""

    def __init__(self, env: dict, args, log: Path):
        self.port = free_port()
        self.log = log.open("a")
        command = [
            GUNICORN, args.app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(args.workers),
            "--threads", str(args.threads),
            # The worker class and keep-alive come from gunicorn.conf.py, read from ROOT.
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see its log")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Servers:
    """`count` gunicorn instances of the app on their own ports, sharing one database, as a
    chain's application servers share its PostgreSQL."""

    def __init__(self, env: dict, args, log: Path, count: int):
        self.instances = []
        try:
            for _ in range(count):
                self.instances.append(Server(env, args, log))
        except BaseException:
            self.stop()
            raise

    @property
    def ports(self) -> list[int]:
        return [server.port for server in self.instances]

    def wait_healthy(self) -> None:
        for server in self.instances:
            server.wait_healthy()

    def stop(self) -> None:
        for server in self.instances:
            server.stop()


def admin_sql(*statements: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


def template_name(args) -> str:
    return f"{args.db_prefix}_template"


def database_name(args, label: str) -> str:
    return f"{args.db_prefix}_{label}"


def prepare_template(args, run_dir: Path) -> None:
    """One migrated, empty database that every size is copied from: migrate runs once."""
    template = template_name(args)
    admin_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)', f'CREATE DATABASE "{template}"')
    env = app_env(f"{SERVER}/{template}", args)
    manage(env, "migrate", "--no-input", log=run_dir / "migrate.log")


def database_exists(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as db:
        return bool(db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())
