"""What every bench script needs: a real server process, wrk, and the server's peak memory."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TSUNAGU = str(Path(sys.executable).parent / "tsunagu")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    pid: int
    base_url: str


def bench_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TSUNAGU_ENV": "demo",
        "PICCOLO_CONF": "events.piccolo_conf",
        "SMTP_PORT": "1",  # no mail leaves a bench run
    }


@contextmanager
def serving(
    command: list[str], env: dict[str, str], port: int, health_path: str
) -> Iterator[Server]:
    """Start a server process, wait until it answers, stop it afterwards."""
    log = open(REPO / "bench" / f".server-{port}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url + health_path, process)
        yield Server(process.pid, base_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still draining a backlog: the numbers are taken
            process.kill()
            process.wait()
        log.close()


@contextmanager
def tsunagu_server(database_url: str, port: int, *, server: str = "") -> Iterator[Server]:
    """`tsunagu serve --no-worker` beside one `tsunagu worker`, as several instances are run
    (and /healthz answers 200 only while a worker polls); `server` picks granian or uvicorn."""
    command = [TSUNAGU, "serve", "--port", str(port), "--no-worker"]
    command += ["--server", server] if server else []
    env = bench_env(database_url)
    with serving(command, env, port, "/municipalities") as web:
        worker = subprocess.Popen(
            [TSUNAGU, "worker"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(web.base_url + "/healthz", worker)
            yield web
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def hello_server(port: int) -> AbstractContextManager[Server]:
    """The ceiling: hello world in Litestar, under the same uvicorn settings as `tsunagu serve`."""
    command = [sys.executable, str(REPO / "bench" / "hello.py"), str(port)]
    return serving(command, dict(os.environ), port, "/")


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see bench/.server-*.log")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (local bench server)
                return
        except OSError:  # refused, or an error status such as /healthz's 503 before a poll
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def settle(url: str, *, quick_seconds: float = 0.25, bound_seconds: float = 120) -> None:
    """Wait until the server answers `url` quickly three times in a row: the requests of the run
    before (which wrk no longer waits for) have been answered. Bounded: then it goes on."""
    deadline = time.monotonic() + bound_seconds
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=bound_seconds):  # noqa: S310 (local server)
                pass
        except OSError:  # an error status still means an answer
            pass
        quick = quick + 1 if time.monotonic() - started < quick_seconds else 0


def peak_rss_mb(pid: int) -> float:
    """High-water marks of the resident memory (VmHWM) of the process and its children, in MB:
    granian answers from a worker process it starts, uvicorn from the process itself."""
    total_kb = 0
    for process in (pid, *_descendants(pid)):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except FileNotFoundError:  # exited since it was listed
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        total_kb += int(match.group(1)) if match else 0
    return total_kb / 1024 if total_kb else float("nan")


def reset_peak_rss(pid: int) -> None:
    """Start the high-water marks of the process and its children again from their resident
    memory now (Linux: 5 written to /proc/PID/clear_refs), so that a run's peak is its own."""
    for process in (pid, *_descendants(pid)):
        with contextlib.suppress(FileNotFoundError):  # exited since it was listed
            Path(f"/proc/{process}/clear_refs").write_text("5")


def _descendants(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        listed = [(task / "children").read_text().split() for task in tasks]
    except FileNotFoundError:  # exited since it was listed
        return []
    children = [int(child) for names in listed for child in names]
    return [*children, *(grandchild for child in children for grandchild in _descendants(child))]


def load_average() -> str:
    """The machine's 1-, 5- and 15-minute load averages: how busy the shared cores were."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    output: str  # what wrk printed, with the lines a script's done() adds
    # CPU seconds wrk used per second of the run (NaN: not measured): near the number of its
    # threads, the load generator, not the server, would set the pace.
    client_cpu: float = float("nan")


def require_wrk() -> None:
    """Say plainly when the load generator is missing, before any seeding starts."""
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed, and these figures need it (a Python client tops out near "
            "300 requests/s here and would be the bottleneck): apt-get install -y wrk"
        )


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 64,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: str = "",
    script_args: tuple[str, ...] = (),
    timeout_seconds: int = 30,
) -> LoadResult:
    """Run wrk against one URL (bounded in time) and read its latency distribution.

    `script` names a Lua file in bench/lua/ that shapes the requests; its args follow `--`.
    The timeout is long so that a slow request is measured, not dropped as a socket error.
    """
    require_wrk()
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += [f"--timeout={timeout_seconds}s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA / script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    used_before = _children_cpu_seconds()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    client_cpu = (_children_cpu_seconds() - used_before) / seconds
    throughput = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if throughput is None:
        raise RuntimeError(f"wrk printed no Requests/sec line:\n{output}")
    return LoadResult(
        requests_per_second=float(throughput.group(1)),
        p50_ms=_latency(output, r"50%"),
        p99_ms=_latency(output, r"99%"),
        max_ms=_latency(output, r"Latency\s+[\d.]+\w+\s+[\d.]+\w+"),
        errors=_errors(output),
        client_cpu=client_cpu,
        output=output,
    )


def _children_cpu_seconds() -> float:
    """CPU time of the child processes this one has waited for (each wrk run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _latency(output: str, label: str) -> float:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
    if match is None:
        return float("nan")
    return _ms(float(match.group(1)), match.group(2))


def _ms(value: float, unit: str) -> float:
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _errors(output: str) -> int:
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        total += sum(int(part) for part in socket_errors.groups())
    return total


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
