"""The reads a till and a back office make most, each measured from one keep-alive client."""

import time
from urllib.parse import quote

from bench_support import percentile

from benchmark.client import Client
from benchmark.fixtures import Fixtures
from benchmark.settings import MIN_SAMPLES, PROBE_ID, Profile, say

# name, label, path template, account.
READS = [
    # Floors: what any request costs on this machine right now, to read the others against.
    ("healthz", "floor: /healthz (no auth, SELECT 1)", "/healthz", "cashier"),
    ("me", "floor: /api/me/ (token auth)", "/api/me/", "cashier"),
    ("search_name", "search by name fragment", "/customers/api/customers/?search={q}", "cashier"),
    ("search_phone", "search by phone fragment", "/customers/api/customers/?search={q}", "cashier"),
    ("search_surname", "search by surname alone (broad)", "/customers/api/customers/?search={q}",
     "cashier"),
    ("customer_detail", "customer detail", "/customers/api/customers/{id}/", "cashier"),
    ("purchase_history", "purchase history page", "/customers/api/customers/{id}/sales/",
     "cashier"),
    ("debtors", "debtors, first page", "/customers/api/debtors/", "manager"),
    ("audit_log", "audit log, first page", "/sales/api/audit-logs/", "manager"),
    ("receipt", "receipt (JSON)", "/sales/api/sales/{id}/receipt/", "cashier"),
    ("customer_stats", "customer dashboard (stats)", "/customers/api/customers/stats/",
     "manager"),
]  # fmt: skip


def read_paths(name: str, template: str, fixtures: Fixtures) -> list[str]:
    if name == "search_name":
        return [template.format(q=quote(q)) for q in fixtures.name_fragments]
    if name == "search_phone":
        return [template.format(q=quote(q)) for q in fixtures.phone_fragments]
    if name == "search_surname":
        return [template.format(q=quote(q)) for q in fixtures.surnames]
    if name == "customer_detail":
        return [template.format(id=i) for i in fixtures.customers]
    if name == "purchase_history":
        return [template.format(id=i) for i in fixtures.buyers]
    if name == "receipt":
        return [template.format(id=i) for i in fixtures.receipts]
    return [template]


def measure_reads(port: int, fixtures: Fixtures, missing: set[str], profile: Profile) -> dict:
    results = {}
    for name, label, template, account in READS:
        paths = read_paths(name, template, fixtures)
        if not paths or template.split("?")[0].format(id=PROBE_ID) in missing:
            results[name] = {"label": label, "missing": True}
            continue
        client = Client(port, fixtures.tokens[account])
        latencies, errors, statuses, sent = [], 0, {}, 0
        started = time.perf_counter()
        try:
            for index in range(profile.warmup + profile.requests):
                spent = time.perf_counter() - started
                if index < profile.warmup and spent > profile.read_budget_seconds / 4:
                    continue  # a slow endpoint gets a shorter warm-up
                over_budget = spent > profile.read_budget_seconds
                if index >= profile.warmup and over_budget and len(latencies) >= MIN_SAMPLES:
                    break
                status, _, seconds = client.call("GET", paths[index % len(paths)])
                sent += 1
                if status != 200:
                    errors += 1
                    statuses[status] = statuses.get(status, 0) + 1
                elif index >= profile.warmup:
                    latencies.append(seconds * 1000)
        finally:
            client.close()
        missing_route = sent > 0 and statuses.get(404, 0) == sent
        results[name] = {
            "label": label,
            "missing": missing_route,
            "requests": len(latencies),
            "errors": errors,
            "statuses": {str(code): count for code, count in statuses.items()},
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
        }
        summary = results[name]
        if summary["p95_ms"] is not None:
            say(
                f"    {label:<34} p50 {summary['p50_ms']:6.1f} ms   p95 {summary['p95_ms']:6.1f} ms"
                + (f"   ({len(latencies)} requests)" if len(latencies) < profile.requests else "")
                + (f"   errors {errors} {statuses}" if errors else "")
            )
        else:
            say(f"    {label:<34} no successful request: {statuses}")
    return results
