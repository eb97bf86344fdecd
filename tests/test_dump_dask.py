"""A dump linted on a real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes started
here on 127.0.0.1 give the same bytes as local processes, watchdog included. With ``CI=true`` a cluster
that cannot start fails these tests instead of skipping them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.test_dump_support import SLOW_TEXT, build_dump, cli_env, make_page, make_pages, run_cli

WORKERS = 2


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"the Dask cluster could not start: {reason}", pytrace=False)
    pytest.skip(f"the Dask cluster could not start: {reason}")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers, all on 127.0.0.1."""
    try:
        from distributed import Client
    except ImportError as error:
        _unavailable(str(error))
    directory = tmp_path_factory.mktemp("dask")
    scheduler_file = directory / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    common = {"cwd": directory, "env": cli_env(), "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            **common,  # type: ignore[arg-type]
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline and processes[0].poll() is None:
            time.sleep(0.1)
        if not scheduler_file.exists():
            _unavailable("the scheduler wrote no scheduler file")
        for number in range(WORKERS):
            processes.append(
                subprocess.Popen(
                    [*dask, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                     "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{number}",
                     "--local-directory", str(directory / f"w{number}")],
                    **common,  # type: ignore[arg-type]
                )
            )  # fmt: skip
        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout=30) as client:
            try:
                client.wait_for_workers(WORKERS, timeout=90)
            except TimeoutError:
                _unavailable(f"{WORKERS} workers did not join within 90 s")
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_dask_cluster_writes_the_same_bytes_as_local_processes(scheduler: str, tmp_path: Path) -> None:
    pages = make_pages(80)
    pages[42] = make_page(43, SLOW_TEXT)  # the watchdog works inside Dask workers too
    dump = build_dump(tmp_path, pages, per_stream=10)
    flags = ["--format", "jsonl", "--page-timeout", "1"]
    local = run_cli("lint", str(dump), *flags, "--jobs", "2", "-o", "local.jsonl", cwd=tmp_path)
    dask = run_cli("lint", str(dump), *flags, "--scheduler", scheduler, "-o", "dask.jsonl", cwd=tmp_path)
    assert local.returncode == dask.returncode == 1, local.stderr + dask.stderr
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (
        '"page_id": 43, "rev_id": 100043, "title": "Page 43", "set_aside": "took longer than 1 s"}'
        in (tmp_path / "dask.jsonl").read_text()
    )
    assert "80 pages in 8 partitions" in dask.stderr


def test_the_scheduler_address_can_come_from_the_environment(scheduler: str, tmp_path: Path) -> None:
    dump = build_dump(tmp_path, make_pages(30), per_stream=10)
    local = run_cli("lint", str(dump), "--format", "jsonl", "--jobs", "1", cwd=tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "wikitools", "lint", str(dump), "--format", "jsonl"],
        cwd=tmp_path, env={**cli_env(), "DASK_SCHEDULER_ADDRESS": scheduler}, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.stdout == local.stdout and done.stdout


def test_the_python_api_runs_on_a_dask_client(scheduler: str, tmp_path: Path) -> None:
    from distributed import Client

    from wikitools.dump import lint_page, partitions, read_pages

    dump = build_dump(tmp_path, make_pages(25), per_stream=10)

    def lint_partition(partition):
        return [(page.page_id, f.rule) for page in read_pages(partition) for f in lint_page(page)]

    with Client(scheduler, timeout=30) as client:
        found = sorted(
            x for part in client.gather(client.map(lint_partition, partitions([dump]))) for x in part
        )
    assert (1, "L105") in found and len({page_id for page_id, _ in found}) == 25


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    dump = build_dump(tmp_path, make_pages(3))
    done = subprocess.run(
        [sys.executable, "-m", "wikitools", "lint", str(dump), "--scheduler", "tcp://127.0.0.1:9"],
        cwd=tmp_path, env={**cli_env(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("wikitools: tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert len(done.stderr.splitlines()) == 1
