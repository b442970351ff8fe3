"""Real HTTP on loopback: gunicorn as a subprocess, signed-in clients, load and bursts."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: str, workers: int, env: dict, pythonpath: str | None = None):
    """Serve ``target`` with gunicorn (sync workers, as `make serve`); yields (base URL, pid)."""
    port = free_port()
    args = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    if pythonpath:
        args += ["--pythonpath", pythonpath]
    log = open(Path(env["BENCH_TMP"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [*args, target], cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(base + "/", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {log.name}") from None
                time.sleep(0.2)
        # every worker imports the app before it answers; make sure all of them have
        wait_for_workers(proc.pid, workers)
        warm(base + "/", 4 * workers)
        yield base, proc.pid
    finally:
        _stop(proc, log)


def _stop(proc: subprocess.Popen, log) -> None:
    """Ask a server or worker to stop, as a service manager would; kill it if it will not."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@contextmanager
def documents_worker(env: dict):
    """`selfassess documents worker` beside the app servers, as a deployment with Redis runs
    one; nothing without REDIS_URL (each app server builds its own)."""
    if not env.get("REDIS_URL"):
        yield None
        return
    log = open(Path(env["BENCH_TMP"]) / "documents-worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "selfassess"), "documents", "worker"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
    )
    try:
        yield proc
    finally:
        _stop(proc, log)


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def wait_for_workers(master: int, workers: int) -> None:
    deadline = time.monotonic() + 60
    while len(worker_pids(master)) < workers and time.monotonic() < deadline:
        time.sleep(0.1)


def cpu_seconds(pids) -> float:
    """User and system CPU seconds the processes have used so far (those still running)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def pids_named(*names: str) -> list[int]:
    """Every running process whose command name is one of names (postgres, redis-server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in names:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class CpuUse:
    """Who used the machine's CPU between start() and stop(): the app servers, the database and
    Redis servers, and this process (the load generator's clients), in seconds and as a share of
    every core's time."""

    def __init__(self, app_pids) -> None:
        self.app_pids = list(app_pids)

    def _now(self) -> dict:
        own = os.times()
        return {
            "app_servers": cpu_seconds(self.app_pids),
            "database": cpu_seconds(pids_named("postgres")),
            "redis": cpu_seconds(pids_named("redis-server")),
            "clients": own.user + own.system,
            "wall": time.monotonic(),
        }

    def start(self) -> None:
        self.before = self._now()

    def stop(self) -> dict:
        after = self._now()
        wall = after["wall"] - self.before["wall"]
        cores = os.cpu_count() or 1
        used = {k: round(after[k] - self.before[k], 1) for k in after if k != "wall"}
        return {
            "seconds": round(wall, 1),
            "cores": cores,
            "cpu_seconds": used,
            "share_of_machine": {k: round(v / (wall * cores), 2) for k, v in used.items()},
        }


def memory_kb(pid: int) -> dict:
    """VmRSS (now) and VmHWM (peak resident set) of a process, in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def warm(url: str, count: int, session: requests.Session | None = None) -> None:
    session = session or requests.Session()
    for _ in range(count):
        session.get(url, timeout=30)


class LoopbackSession(requests.Session):
    """Production cookies are Secure (behind HTTPS in service); on plain-HTTP loopback the
    client must still send them back, so each response's cookies lose the flag."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def client() -> requests.Session:
    return LoopbackSession()


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def sign_in(base: str, email: str, password: str, address: str = "10.9.0.1") -> requests.Session:
    session = client()
    session.headers["X-Forwarded-For"] = address
    token = csrf_token(session.get(base + "/sign-in", timeout=30).text)
    response = session.post(
        base + "/sign-in",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {email} failed: {response.status_code}")
    return session


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * share
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(latencies: list[float], elapsed: float, ok: int, sent: int) -> dict:
    return {
        "requests": sent,
        "ok": ok,
        "seconds": round(elapsed, 3),
        "per_second": round(ok / elapsed, 1) if elapsed else None,
        "p50_ms": round(1000 * percentile(latencies, 0.5), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
    }


def load(send, sessions: list[requests.Session], per_client: int, expect: int = 200) -> dict:
    """Each session (one thread each) calls ``send(session, n)`` ``per_client`` times, back to
    back; ``send`` may be a URL to GET."""
    if isinstance(send, str):
        url = send

        def send(session, _n):
            return session.get(url, timeout=60)

    latencies: list[float] = []
    ok = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions) + 1)

    def client(session: requests.Session) -> None:
        barrier.wait()
        for n in range(per_client):
            t0 = time.perf_counter()
            response = send(session, n)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                ok[0] += response.status_code == expect

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return summary(latencies, time.perf_counter() - started, ok[0], len(sessions) * per_client)


def burst(requests_to_send: list, spread: float) -> tuple[dict, list]:
    """Send each prepared request (a callable returning a response) from its own thread, their
    start times spread evenly over ``spread`` seconds; the summary and every response."""
    latencies: list[float] = []
    responses: list = [None] * len(requests_to_send)
    barrier = threading.Barrier(len(requests_to_send) + 1)
    n = len(requests_to_send)

    def phone(i: int, send) -> None:
        barrier.wait()
        time.sleep(spread * i / n)
        t0 = time.perf_counter()
        try:
            responses[i] = send()
        except requests.RequestException as error:
            responses[i] = error
        latencies.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=phone, args=(i, s)) for i, s in enumerate(requests_to_send)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    ok = sum(1 for r in responses if getattr(r, "status_code", None) == 200)
    return summary(latencies, time.perf_counter() - started, ok, n), responses
