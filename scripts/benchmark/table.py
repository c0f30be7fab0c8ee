"""The report: one table of every figure, and the targets, from the sizes' results.

Absolute times move two to three times between machines of the same kind, so the targets
are ratios measured in the same run: each read's p95 against the token-auth floor's, the
one-request checkout against the six-request one, each checkout against its raw-SQL ceiling.
"""

from benchmark.checkouts import FLOWS
from benchmark.reads import READS
from benchmark.settings import fmt

FLOOR = "me"
FLOORS = {FLOOR, "healthz"}
# A read's p95 at the largest size within this many times the floor's, growing at most
# GROWTH_TARGET times from the smallest size.
READ_TARGET = 3.0
GROWTH_TARGET = 1.5
# The one-request checkout against the six-request flow at 4 clients, and each against its
# raw-SQL ceiling at 4 clients.
FLOWS_RATIO_TARGET = 3.0
CEILING_SHARE_TARGETS = {"one_request": 0.40, "six_request": 0.35}


def _read(result: dict, name: str) -> dict:
    return (result.get("reads") or {}).get(name) or {}


def _level(result: dict, flow: str, clients: int) -> dict | None:
    return ((result.get("checkouts") or {}).get(flow) or {}).get(clients)


def _ceiling(result: dict, flow: str) -> float | None:
    return ((result.get("ceilings") or {}).get(flow) or {}).get("per_second")


def _ratio(a, b) -> float | None:
    return a / b if a and b else None


def build_table(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    small, large = results[0], results[-1]
    headers = ["measure"] + [f"{r['customers']:,} customers" for r in results]
    if len(results) > 1:
        headers.append("large / small")
    rows = []

    def add(label, values, ratio=""):
        row = [label, *values]
        if len(results) > 1:
            row.append(ratio)
        rows.append(row)

    add("seed (s)", [fmt(r.get("seed_seconds"), digits=0) for r in results])
    add("servers (gunicorn instances)", [str(r.get("servers", 1)) for r in results])
    for name, label, *_ in READS:
        for stat in ("p50_ms", "p95_ms"):
            cells = []
            for r in results:
                read = _read(r, name)
                if not read or read.get("missing"):
                    cells.append("n/a (missing)")
                    continue
                text = fmt(read.get(stat), " ms")
                if stat == "p95_ms" and name not in FLOORS:
                    floor = _ratio(read.get(stat), _read(r, FLOOR).get(stat))
                    text += f" ({fmt(floor, 'x', 2)} floor)" if floor else ""
                if read.get("requests", 0) < r.get("requests_target", 0):
                    text += f" (n={read['requests']})"
                if read.get("errors"):
                    text += f" ({read['errors']} errors)"
                cells.append(text)
            ratio = ""
            if stat == "p95_ms":
                growth = _ratio(_read(large, name).get("p95_ms"), _read(small, name).get("p95_ms"))
                ratio = fmt(growth, "x", 2)
            add(f"{label} {stat[:3]}", cells, ratio)
    for flow, label, _checkout, levels in FLOWS:
        for clients in levels:
            cells = []
            for r in results:
                level = _level(r, flow, clients)
                cells.append(
                    "n/a (missing)"
                    if level is None
                    else f"{level['per_second']:.1f}/s ({level['errors']} errors)"
                )
            add(f"{label}s/s, {clients} client{'s' if clients > 1 else ''}", cells)
        for stat in ("p50_ms", "p95_ms"):
            cells = []
            for r in results:
                level = _level(r, flow, 1)
                cells.append("n/a" if level is None else fmt(level[stat], " ms"))
            add(f"{label} at 1 client {stat[:3]}", cells)
        add(f"{label}: ceiling, raw SQL/s", [fmt(_ceiling(r, flow), "/s") for r in results])
        for clients in (1, 4):
            cells = []
            for r in results:
                level = _level(r, flow, clients)
                share = _ratio(level and level["per_second"], _ceiling(r, flow))
                cells.append(f"{share:.0%}" if share else "n/a")
            add(f"{label}: {clients} client{'s' if clients > 1 else ''} / ceiling", cells)
    one_vs_six = []
    p95_vs_six = []
    for r in results:
        one, six = _level(r, "one_request", 4), _level(r, "six_request", 4)
        one_vs_six.append(fmt(_ratio(one and one["per_second"], six and six["per_second"]), "x"))
        one, six = _level(r, "one_request", 1), _level(r, "six_request", 1)
        p95_vs_six.append(fmt(_ratio(one and one["p95_ms"], six and six["p95_ms"]), "x", 2))
    add("one-request / six-request throughput, 4 clients", one_vs_six)
    add("one-request / six-request p95, 1 client", p95_vs_six)
    cells = []
    for r in results:
        six = _level(r, "six_request", 1)
        cells.append(fmt(_ratio(six and six["p95_ms"], _read(r, FLOOR).get("p95_ms")), "x"))
    add("six-request checkout p95 / floor p95", cells)
    return headers, rows


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plain(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    out = []
    for index, row in enumerate([headers, *rows]):
        out.append(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        )
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "missed")


def targets(results: list[dict]) -> list[str]:
    """The targets against this run, one line each, at the largest size."""
    small, large = results[0], results[-1]
    lines = []
    floor = _read(large, FLOOR).get("p95_ms")
    for name, label, *_ in READS:
        if name in FLOORS:
            continue
        p95 = _read(large, name).get("p95_ms")
        ratio = _ratio(p95, floor)
        lines.append(
            f"{label}: p95 {fmt(p95, ' ms')} = {fmt(ratio, 'x', 2)} the floor, target "
            f"<= {READ_TARGET:g}x ({_verdict(None if ratio is None else ratio <= READ_TARGET)})"
        )
        if len(results) > 1:
            growth = _ratio(p95, _read(small, name).get("p95_ms"))
            lines.append(
                f"{label}: p95 growth {fmt(growth, 'x', 2)}, target <= {GROWTH_TARGET:g}x "
                f"({_verdict(None if growth is None else growth <= GROWTH_TARGET)})"
            )
    one4, six4 = _level(large, "one_request", 4), _level(large, "six_request", 4)
    ratio = _ratio(one4 and one4["per_second"], six4 and six4["per_second"])
    met = None if ratio is None else ratio >= FLOWS_RATIO_TARGET
    lines.append(
        f"one-request / six-request throughput at 4 clients: {fmt(ratio, 'x')}, target >= "
        f"{FLOWS_RATIO_TARGET:g}x ({_verdict(met)})"
    )
    one1, six1 = _level(large, "one_request", 1), _level(large, "six_request", 1)
    ratio = _ratio(one1 and one1["p95_ms"], six1 and six1["p95_ms"])
    lines.append(
        f"one-request / six-request p95 at 1 client: {fmt(ratio, 'x', 2)}, target <= 0.33x "
        f"({_verdict(None if ratio is None else ratio <= 1 / 3)})"
    )
    for flow, label in (("one_request", "one-request"), ("six_request", "six-request")):
        share_target = CEILING_SHARE_TARGETS[flow]
        # The one-request checkout's share is held at every size, the six-request flow's at
        # the largest.
        for result in results if flow == "one_request" else [large]:
            level = _level(result, flow, 4)
            share = _ratio(level and level["per_second"], _ceiling(result, flow))
            errors = level["errors"] if level else None
            met = None if share is None else share >= share_target and errors == 0
            lines.append(
                f"{label} at 4 clients / its ceiling ({result['customers']:,} customers): "
                f"{fmt(share and share * 100, ' %', 0)}, {errors} errors, target >= "
                f"{share_target:.0%} ({_verdict(met)})"
            )
    ratio = _ratio(six1 and six1["p95_ms"], floor)
    lines.append(
        f"six-request checkout p95 at 1 client / floor p95: {fmt(ratio, 'x')}, target < 20x "
        f"({_verdict(None if ratio is None else ratio < 20)})"
    )
    for result in results:
        ledgers = result.get("ledgers")
        if ledgers:
            lines.append(
                f"check_ledgers after the run ({result['customers']:,} customers): "
                f"{'clean' if ledgers['clean'] else 'DIFFERENCES (see the log)'}"
            )
    return lines
