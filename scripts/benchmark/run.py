"""One size (seed, serve, measure, ceiling), and the whole run."""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from bench_ceiling import run_ceiling
from bench_ceiling_one_request import run_one_request_ceiling

from benchmark.checkouts import CHECKOUT_PATHS, ONE_REQUEST_PATH, measure_checkouts
from benchmark.fixtures import load_fixtures
from benchmark.reads import READS, measure_reads
from benchmark.servers import (
    Servers,
    admin_sql,
    app_env,
    database_exists,
    database_name,
    manage,
    missing_routes,
    prepare_template,
    server_env,
    template_name,
)
from benchmark.settings import (
    AUDIT_KEY,
    FULL,
    GUNICORN_SETTINGS,
    PROBE_ID,
    QUICK,
    ROOT,
    SERVER,
    Profile,
    say,
    size_label,
)
from benchmark.table import build_table, markdown, plain, targets

CEILINGS = {"six_request": run_ceiling, "one_request": run_one_request_ceiling}


def run_size(customers: int, args, profile: Profile, run_dir: Path) -> dict:
    label = size_label(customers)
    sales = customers * args.sales_per_customer
    name = database_name(args, label)
    database_url = f"{SERVER}/{name}"
    env = app_env(database_url, args)
    log = run_dir / f"{label}.log"
    result: dict = {
        "customers": customers,
        "sales": sales,
        "database": name,
        "requests_target": profile.requests,
    }
    say(f"\n== {customers:,} customers, {sales:,} sales ({name})")

    if args.reuse_db and database_exists(name):
        say("  reusing the existing database (--reuse-db): no seed timing")
        result["seed_seconds"] = None
    else:
        admin_sql(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{template_name(args)}"',
        )
        say(f"  seeding (log: {log})")
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                manage(
                    env, "seed_demo", "--customers", str(customers), "--sales", str(sales), log=log
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                # The load is one transaction, so nothing of it stayed; a server shared with
                # other work can refuse one (e.g. its lock table full), so it gets one retry.
                say(f"  seed failed (see {log}); retrying once")
                result["seed_retried"] = True
        result["seed_seconds"] = time.perf_counter() - started
        say(f"  seeded in {result['seed_seconds']:.1f} s")
        # The load leaves gigabytes of dirty pages; flushed now, they do not land on the
        # disk in the middle of the measurements.
        started = time.perf_counter()
        admin_sql("CHECKPOINT")
        say(f"  checkpoint in {time.perf_counter() - started:.1f} s")

    paths = [template.split("?")[0].format(id=PROBE_ID) for *_, template, _ in READS]
    paths = [*dict.fromkeys(paths), *CHECKOUT_PATHS, ONE_REQUEST_PATH]
    missing = missing_routes(env, paths)
    for path in sorted(missing):
        say(f"  missing endpoint: {path}")
    result["missing"] = sorted(missing)

    servers = Servers(server_env(database_url, args), args, log, count=args.servers)
    result["servers"] = args.servers
    result["pgbouncer_port"] = args.pgbouncer_port
    try:
        servers.wait_healthy()
        ports = servers.ports
        rng = random.Random(2026)
        fixtures = load_fixtures(database_url, ports[0], profile.requests, rng)
        result["rows"] = fixtures.counts
        say(
            f"  gunicorn on port(s) {', '.join(map(str, ports))}: {args.workers} workers x "
            f"{args.threads} threads each"
        )
        say("  reads (one keep-alive client, after warm-up):")
        result["reads"] = measure_reads(ports[0], fixtures, missing, profile)
        if any(path in missing for path in [*CHECKOUT_PATHS, ONE_REQUEST_PATH]):
            result["checkouts"] = None
            say("  checkouts: n/a (missing endpoints)")
        else:
            say(
                f"  checkouts ({profile.checkout_seconds:g} s per level, clients dealt over "
                f"{len(ports)} server(s)):"
            )
            result["checkouts"] = measure_checkouts(ports, fixtures, profile.checkout_seconds)
    finally:
        servers.stop()

    result["ceilings"] = {}
    for flow, ceiling in CEILINGS.items():
        say(f"  ceiling of the {flow.replace('_', '-')} checkout (raw SQL, one loop):")
        try:
            figures = ceiling(database_url, seconds=profile.ceiling_seconds, audit_key=AUDIT_KEY)
            say(f"    {figures['per_second']:6.1f} checkouts/s")
        except psycopg.Error as exc:
            figures = {"error": str(exc).strip()}
            say(f"    failed: {exc}")
        result["ceilings"][flow] = figures
    say("  check_ledgers (every balance, statement, summary, Z report and lot):")
    started = time.perf_counter()
    try:
        manage(env, "check_ledgers", log=log)
        clean = True
    except subprocess.CalledProcessError:
        clean = False
    result["ledgers"] = {"clean": clean, "seconds": time.perf_counter() - started}
    verdict = "clean" if clean else f"DIFFERENCES: see {log}"
    say(f"    {verdict} in {result['ledgers']['seconds']:.0f} s")
    if not args.keep_db and not args.reuse_db:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return result


def interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="The benchmark behind docs/performance.md.")
    parser.add_argument("--quick", action="store_true", help="Small sizes, under 2 minutes.")
    parser.add_argument("--sizes", help="Comma-separated customer counts, e.g. 10000,100000.")
    parser.add_argument("--sales-per-customer", type=int, default=2)
    parser.add_argument("--requests", type=int, help="Measured requests per read endpoint.")
    parser.add_argument("--checkout-seconds", type=float, help="Duration of each client level.")
    workers, threads = GUNICORN_SETTINGS["workers"], GUNICORN_SETTINGS["threads"]
    parser.add_argument(
        "--workers",
        type=int,
        default=workers,
        help=f"gunicorn workers ({workers}: gunicorn.conf.py).",
    )
    parser.add_argument(
        "--threads", type=int, default=threads, help=f"Threads per worker ({threads})."
    )
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE for the app.")
    parser.add_argument(
        "--app",
        default="pos_project.wsgi",
        help="WSGI module for gunicorn, to measure a candidate change (default pos_project.wsgi).",
    )
    parser.add_argument("--keep-db", action="store_true", help="Keep the databases afterwards.")
    parser.add_argument(
        "--reuse-db", action="store_true", help="Use existing databases as they are (no seed)."
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="gunicorn instances on their own ports; checkout clients are dealt over them.",
    )
    parser.add_argument(
        "--pgbouncer-port",
        type=int,
        help="Serve through a PgBouncer in transaction mode on this port (started by you).",
    )
    parser.add_argument(
        "--db-prefix",
        default="pos_bench",
        help="Database names: <prefix>_template, <prefix>_10k, ... (default pos_bench).",
    )
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="Results directory.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    base = QUICK if args.quick else FULL
    profile = Profile(
        sizes=[int(size) for size in args.sizes.split(",")] if args.sizes else base.sizes,
        requests=args.requests or base.requests,
        warmup=base.warmup,
        checkout_seconds=args.checkout_seconds or base.checkout_seconds,
        ceiling_seconds=base.ceiling_seconds,
        read_budget_seconds=base.read_budget_seconds,
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = Path(args.out) / f"{stamp}{'-quick' if args.quick else ''}"
    run_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # A SIGTERM (CI timeout, kill) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, interrupt)
    say(f"Benchmark {stamp}: sizes {profile.sizes}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    if not args.reuse_db:
        prepare_template(args, run_dir)
    try:
        results = [run_size(size, args, profile, run_dir) for size in profile.sizes]
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{template_name(args)}" WITH (FORCE)')
    elapsed = time.perf_counter() - started

    headers, rows = build_table(results)
    verdicts = targets(results)
    report = {
        "started": stamp,
        "seconds": elapsed,
        "quick": args.quick,
        "workers": args.workers,
        "threads": args.threads,
        "conn_max_age": args.conn_max_age,
        "servers": args.servers,
        "pgbouncer_port": args.pgbouncer_port,
        "app": args.app,
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "sizes": results,
        "table": {"headers": headers, "rows": rows},
        "targets": verdicts,
    }
    (run_dir / "results.json").write_text(json.dumps(report, indent=2, default=str))
    (run_dir / "results.md").write_text(
        f"# Benchmark {stamp}\n\n"
        f"{os.cpu_count()} CPUs; {args.servers} gunicorn instance(s) of {args.workers} workers x "
        f"{args.threads} threads (gthread); CONN_MAX_AGE={args.conn_max_age}; "
        f"total {elapsed:.0f} s; load average at "
        f"the end {', '.join(f'{v:.1f}' for v in os.getloadavg())}.\n\n"
        + markdown(headers, rows)
        + "\n\nTargets:\n\n"
        + "\n".join(f"- {line}" for line in verdicts)
        + "\n"
    )
    sys.stdout.write("\n" + plain(headers, rows) + "\n")
    sys.stdout.write("\nTargets:\n" + "\n".join(f"  {line}" for line in verdicts) + "\n")
    say(f"\nDone in {elapsed:.0f} s. Results: {run_dir / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
