"""`make loadtest`: a bounded, self-stopping load against a real server on 127.0.0.1.

It sets up a fresh database (SQLite in a temporary folder, or PostgreSQL with --database postgres), loads
the demo board plus one fictional account per simulated user, starts gunicorn and the task worker, then
drives a mix of page views, searches and writes from this second process for a fixed time. Afterwards it
checks that every acknowledged write is in the database and that no "database is locked" error occurred,
and prints requests per second, p50 and p95 latency and the error count.

--cluster (`make cluster-test`): PostgreSQL and Redis, two web nodes with separate var/ folders sharing one
uploads folder, and two workers. Each simulated person's requests go to either node at random (sessions must
work on both). Then: a task queued through node A must run on a worker, and a task whose worker is killed
mid-task must run again on the other worker (or be recorded as failed), never silently lost.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765
PORTS = [PORT]  # --cluster: one port per web node
PASSWORD = "load-test-password"  # noqa: S105 - fictional load-test accounts in a throwaway database

PAGES = ["/", "/cases/", "/board/", "/board/agencies/", "/board/committees/", "/referrals/", "/reviews/",
         "/actions/", "/committees/", "/learning/", "/deadlines/"]
SEARCHES = ["/learning/library/?q=information+sharing", "/learning/library/?q=missing+episodes",
            "/audit/?actor=load", "/reviews/?q=child"]

SETUP = """
from casereview.partnership.models import Board, RoleGrant, User
board = Board.objects.get(slug="riverside")
for n in range({users}):
    user, _ = User.objects.get_or_create(username=f"load{{n}}", defaults=dict(
        board=board, email=f"load{{n}}@riverside.example", first_name="Load", last_name=f"Tester{{n}}",
        is_demo_account=True))
    user.set_password("{password}")
    user.save()
    RoleGrant.objects.get_or_create(user=user, role="business_manager")
"""

COUNT_WRITES = """
from casereview.api.models import ApiToken
for name in ApiToken.objects.filter(name__startswith="load-write-").values_list("name", flat=True):
    print("stored:" + name)
"""


def run(cmd, env):
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"{' '.join(cmd[1:])} failed:\n{result.stderr[-3000:]}")
    return result


class Session:
    """One simulated person: a keep-alive connection to each web node, and their cookies."""

    def __init__(self, rng=None, address: str | None = None):
        self.conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in PORTS]
        self.rng = rng or random.Random(0)  # noqa: S311 - which node serves a request, not security
        self.cookies: dict[str, str] = {}
        # --cluster: the nodes sit behind a (simulated) load balancer, which tells them each person's address.
        self.address = address

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Referer": f"http://127.0.0.1:{PORT}{path}"})
        conn = self.rng.choice(self.conns)  # either node may serve any request
        for attempt in (1, 2):
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before this request reached it: reconnect
                # and send it again, as a browser does. A second failure is a real error.
                conn.close()
                if attempt == 2:
                    raise
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username):
        self.request("GET", "/accounts/login/")
        status, body = self.request("POST", "/accounts/login/", {"login": username, "password": PASSWORD})
        if status != 302:
            said = re.findall(rb'<li>(?:<a[^>]*>)?([^<]{0,120})', body)[:2]
            raise RuntimeError(f"{username} could not sign in ({status}: {said})")


def address(n: int) -> str | None:
    """Each simulated person's own address, as the load balancer reports it (cluster mode only)."""
    return f"198.51.100.{n % 250 + 1}" if len(PORTS) > 1 else None


def available(paths, session):
    return [p for p in paths if session.request("GET", p)[0] == 200]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cluster", action="store_true",
                        help="two web nodes and two workers on PostgreSQL and Redis (implies --database postgres)")
    parser.add_argument("--redis-url", default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--postgres-url", default=os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://casereview:casereview@127.0.0.1:5432/casereview_load"))
    args = parser.parse_args()
    if args.cluster:
        args.database = "postgres"

    var = Path(tempfile.mkdtemp(prefix="casereview-load-"))
    env = {**os.environ, "CASEREVIEW_VAR_DIR": str(var), "CASEREVIEW_DEMO_MODE": "1",
           "SECRET_KEY": "load-test-" + "k" * 60, "DJANGO_SETTINGS_MODULE": "casereview.settings",
           "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.cluster:
        import redis
        from cryptography.fernet import Fernet

        redis.Redis.from_url(args.redis_url).flushdb()
        shared = var / "shared-uploads"
        shared.mkdir()
        env.update({"REDIS_URL": args.redis_url, "CASEREVIEW_TRUSTED_PROXIES": "1", "CASEREVIEW_FIELD_KEYS": Fernet.generate_key().decode(),
                    "CASEREVIEW_SHARED_UPLOADS": str(shared), "CASEREVIEW_TASK_HEARTBEAT_SECONDS": "2",
                    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"})
        PORTS[:] = [PORT, PORT + 1]
    if args.database == "postgres":
        import psycopg

        url = urllib.parse.urlparse(args.postgres_url)
        admin = args.postgres_url.replace(url.path, "/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.path[1:]}"')
            conn.execute(f'CREATE DATABASE "{url.path[1:]}"')
        env["DATABASE_URL"] = args.postgres_url
    print(f"Preparing a fresh {args.database} database with the demo board and {args.users} users…", flush=True)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PYTHON, "manage.py", "load_demo"], env)
    run([PYTHON, "manage.py", "shell", "-c", SETUP.format(users=args.users, password=PASSWORD)], env)

    node_envs = [env]
    if args.cluster:
        node_envs = []
        for node in ("a", "b"):  # each node has its own var/ folder: nothing may depend on sharing it
            (var / f"node-{node}").mkdir()
            node_envs.append({**env, "CASEREVIEW_VAR_DIR": str(var / f"node-{node}")})
    log = open(var / "server.log", "w")
    web_workers = "3" if len(node_envs) == 1 else "2"
    servers = [subprocess.Popen([str(Path(PYTHON).parent / "gunicorn"), "casereview.wsgi", "--bind",
                                 f"127.0.0.1:{port}", "--workers", web_workers, "--threads", "8", "--timeout", "60"],
                                cwd=ROOT, env=node_env, stdout=log, stderr=subprocess.STDOUT)
               for port, node_env in zip(PORTS, node_envs, strict=True)]
    workers = [subprocess.Popen([PYTHON, "manage.py", "run_worker"], cwd=ROOT, env=node_env, stdout=log,
                                stderr=subprocess.STDOUT) for node_env in node_envs]
    cluster_failures: list[str] = []
    try:
        for port in PORTS:
            for _ in range(150):
                try:
                    probe_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    probe_conn.request("GET", "/healthz")
                    probe_conn.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.2)
        probe = Session()
        probe.sign_in("load0")
        pages, searches = available(PAGES, probe), available(SEARCHES, probe)
        print(f"Pages: {len(pages)}, searches: {len(searches)}; {args.users} users for {args.seconds} s…", flush=True)

        latencies: list[float] = []
        errors: list[str] = []
        acknowledged: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def user(n):
            rng = random.Random(n)  # noqa: S311 - load mix, not security
            session = Session(rng, address(n))
            try:
                session.sign_in(f"load{n}")
            except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
                with lock:
                    errors.append(f"sign-in: {exc}")
                return
            i = 0
            while time.monotonic() < deadline:
                i += 1
                roll = rng.random()
                started = time.perf_counter()
                try:
                    if roll < 0.2:
                        name = f"load-write-{n}-{i}"
                        status, body = session.request("POST", "/account/api-tokens/", {"name": name})
                        # Acknowledged means the page confirmed it: the new token is shown.
                        ok = status == 200 and b"Your new token" in body
                        if ok:
                            with lock:
                                acknowledged.append(name)
                    else:
                        path = rng.choice(searches if roll < 0.4 and searches else pages)
                        status, _ = session.request("GET", path)
                        ok = status == 200
                except Exception as exc:  # noqa: BLE001
                    status, ok = repr(exc), False
                    session = Session(rng, address(n))
                    try:
                        session.sign_in(f"load{n}")
                    except Exception as again:  # noqa: BLE001 - counted below; this person stops
                        with lock:
                            errors.append(f"sign-in again: {again}")
                        return
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(str(status))

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.monotonic() - started
        if args.cluster:
            cluster_failures = check_tasks(node_envs, workers)
    finally:
        for process in (*servers, *workers):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        log.close()

    output = run([PYTHON, "manage.py", "shell", "-c", COUNT_WRITES], env).stdout.splitlines()
    stored = {line.removeprefix("stored:") for line in output if line.startswith("stored:")}
    lost = [name for name in acknowledged if name not in stored]
    locked = len(re.findall("database is locked", (var / "server.log").read_text()))
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    print(f"database: {args.database}  users: {args.users}  seconds: {args.seconds}")
    print(f"requests: {len(latencies)}  requests/s: {len(latencies) / duration:.1f}")
    print(f"p50: {statistics.median(ordered) * 1000:.0f} ms  p95: {p95 * 1000:.0f} ms")
    print(f"errors: {len(errors)}  acknowledged writes: {len(acknowledged)}  lost writes: {len(lost)}  "
          f"'database is locked': {locked}")
    if errors:
        print(f"first errors: {errors[:5]}")
    if lost:
        print(f"lost: {lost[:5]}")
    for failure in cluster_failures:
        print(f"cluster: {failure}")
    shutil.rmtree(var, ignore_errors=True)
    sys.exit(1 if errors or lost or locked or cluster_failures else 0)


QUEUE_EMAIL = """
from django.db import transaction
from casereview.notifications.services import email_queue
with transaction.atomic():
    email = email_queue(to="cluster-probe@riverside.example", subject="Cluster probe", body="x", board_id=None)
print("email:%d" % email.pk)
"""

EMAIL_STATUS = """
from casereview.notifications.models import OutboundEmail
print("status:" + OutboundEmail.objects.get(pk={pk}).status)
"""

QUEUE_SLOW = """
from bench.cluster_tasks import slow_probe
slow_probe.enqueue("{marker}", 6.0)
"""

READ_PROBE = """
from django.core.cache import cache
from casereview.core.huey_app import failed_tasks
print("started:%s" % cache.get("cluster-probe:{marker}:started"))
print("finished:%s" % cache.get("cluster-probe:{marker}:finished"))
print("failed:%d" % sum(1 for t in failed_tasks() if t.get("task", "").endswith("slow_probe")))
"""


def _shell(node_env, code) -> dict[str, str]:
    output = run([PYTHON, "manage.py", "shell", "-c", code], node_env).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def check_tasks(node_envs, workers) -> list[str]:
    """A task queued through node A runs on a worker; a worker killed mid-task does not lose its task."""
    failures = []
    email_id = _shell(node_envs[0], QUEUE_EMAIL)["email"]
    status = ""
    for _ in range(60):
        status = _shell(node_envs[1], EMAIL_STATUS.format(pk=email_id))["status"]
        if status == "sent":
            break
        time.sleep(1)
    print(f"task queued through node A: email {status} (read through node B)", flush=True)
    if status != "sent":
        failures.append(f"an email queued through node A was not sent (status {status})")

    marker = f"probe{int(time.time())}"
    _shell(node_envs[0], QUEUE_SLOW.format(marker=marker))
    started = "None"
    for _ in range(60):
        started = _shell(node_envs[0], READ_PROBE.format(marker=marker))["started"]
        if started != "None":
            break
        time.sleep(0.5)
    pids = {str(process.pid): process for process in workers}
    victim = pids.get(started.rsplit(":", 1)[-1])
    if victim is None:
        return [*failures, f"the slow task did not start on a known worker ({started})"]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    print(f"killed worker {victim.pid} while it ran the slow task; waiting for the other worker…", flush=True)
    outcome = {}
    for _ in range(150):
        outcome = _shell(node_envs[1], READ_PROBE.format(marker=marker))
        if outcome["finished"] != "None" or outcome["failed"] != "0":
            break
        time.sleep(1)
    if outcome.get("finished", "None") != "None":
        print(f"the killed worker's task ran again and finished on {outcome['finished']}", flush=True)
    elif outcome.get("failed", "0") != "0":
        print("the killed worker's task was recorded as failed", flush=True)
    else:
        failures.append("the task of the killed worker was neither run again nor recorded as failed")
    return failures


if __name__ == "__main__":
    main()
