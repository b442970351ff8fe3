"""BENCHMARKS.md from results.json: the table, how to reproduce it, and the profiling notes."""

from __future__ import annotations

from pathlib import Path


def _f(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value:,.2f}{unit}".rstrip()


def _x(value) -> str:
    return "n/a" if value is None else f"{value:,.2f}x"


def _rows(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(figure, measured, floor, ratio, target)."""
    rows = []
    for name in ("sqlite", "postgresql"):
        db = results.get(name)
        if not db:
            rows.append((f"1. National picture, {name}", "not run", "", "", "<= 1.5x"))
            continue
        p = db["national_picture"]
        rows.append(
            (
                f"1. National picture, one collection ({name}, "
                f"{p['return_answer_rows']:,} return rows)",
                f"{_f(p['picture_ms'])} ms",
                f"{_f(p['floor_ms'])} ms (bare grouped SQL)",
                _x(p["ratio"]),
                "<= 1.5x",
            )
        )
        if "computed_ms" in p:
            rows.append(
                (
                    f"   grouped afresh, the rows not kept ({name})",
                    f"{_f(p['computed_ms'])} ms",
                    f"{_f(p['floor_ms'])} ms (bare grouped SQL)",
                    _x(p["computed_ratio"]),
                    "",
                )
            )
        rows.append(
            (
                f"   with change since the previous round ({name})",
                f"{_f(p['with_change_ms'])} ms",
                f"{_f(2 * p['floor_ms'])} ms (the query twice)",
                _x(p["with_change_ratio_vs_two_floors"]),
                "",
            )
        )
        http = db["http"]
        b = http["burst"]
        rows.append(
            (
                f"2. Workshop burst, {b['sent']} phones in 1 s ({name})",
                f"{b['recorded']}/{b['sent']} votes recorded; p50 {_f(b['p50_ms'])} ms, "
                f"p95 {_f(b['p95_ms'])} ms",
                f"hello-world burst p50 {_f(results['hello']['burst']['p50_ms'])} ms, "
                f"p95 {_f(results['hello']['burst']['p95_ms'])} ms",
                "p95 " + _x(b["p95_ms"] / results["hello"]["burst"]["p95_ms"]),
                "all recorded, p95 <= 100 ms",
            )
        )
        v, hv = http["votes"], results["hello"]["votes"]
        rows.append(
            (
                f"   vote throughput, 60 phones x 5 votes ({name})",
                f"{_f(v['per_second'])} votes/s",
                f"{_f(hv['per_second'])} req/s (hello-world POST)",
                _x(v["per_second"] / hv["per_second"]),
                "",
            )
        )
        pic = http.get("picture_page")
        if pic:
            rows.append(
                (
                    f"5. National picture page, first views on fresh workers ({name}"
                    + (", Redis" if db.get("redis") else "")
                    + ")",
                    f"p50 {_f(pic['p50_ms'])} ms, p95 {_f(pic['p95_ms'])} ms",
                    "",
                    "",
                    "p95 <= 500 ms",
                )
            )
        changed = http.get("picture_after_change")
        if changed:
            where = name + (", Redis and its documents worker" if db.get("redis") else "")
            for key, label in (
                ("at_once", "the moment the import answers"),
                ("after", f"{changed['after_seconds']:.0f} s after the import answers"),
            ):
                c = changed[key]
                rows.append(
                    (
                        f"5. National picture page, first view after a change, "
                        f"{changed['analysts']} analysts at once, {label} ({where})",
                        f"p50 {_f(c['p50_ms'])} ms, p95 {_f(c['p95_ms'])} ms, max "
                        f"{_f(c['max_ms'])} ms ({c['views']} views; the import "
                        f"{_f(c['import_ms'])} ms)",
                        "",
                        "",
                        "p95 <= 500 ms",
                    )
                )
        many = db.get("many_workshops")
        if many:
            v = many["votes"]
            rows.append(
                (
                    f"6. {many['workshops']} workshops x {many['phones'] // many['workshops']} "
                    f"phones, following each second and voting ({name}"
                    + (", Redis" if db.get("redis") else "")
                    + ")",
                    f"follow p50 {_f(many['follow_p50_ms'])} ms, p95 {_f(many['follow_p95_ms'])}"
                    f" ms ({many['follow_seen']}/{many['follow_expected']} moves seen); "
                    f"{v['recorded']}/{v['acknowledged']} acknowledged votes recorded; "
                    f"{_f(many['polls_per_second'])} polls/s, "
                    f"{many['polls']['not_modified']:,} of {many['polls']['sent']:,} not modified"
                    + _machine_share(many.get("cpu")),
                    "1,000 ms (the phones' poll interval)",
                    _x(many["follow_p95_ms"] / 1000),
                    "every vote recorded, follow p95 <= 2 s",
                )
            )
        m = http["memory"]
        rows.append(
            (
                f"5. Peak memory per worker after the national picture ({name})",
                f"{_f(m['peak_rss_mb_max'])} MB max, {_f(m['peak_rss_mb_mean'])} MB mean "
                f"({m['workers']} workers)",
                f"{_f(m['rss_after_start_mb'])} MB after start",
                "",
                "",
            )
        )
    pdfs = [("sqlite", results["pdf"])]
    if results.get("postgresql") and results["postgresql"].get("pdf"):
        pdfs.append(("postgresql", results["postgresql"]["pdf"]))
    for name, pdf in pdfs:
        for label, key in (
            ("cold (chart and PDF caches cleared)", "cold"),
            ("charts cached, PDF laid out again", "charts_cached"),
            ("warm (PDF cached for this state)", "warm"),
        ):
            rows.append(
                (
                    f"3. PDF report, {len(pdf['frameworks'])} frameworks, {pdf['actions']} "
                    f"actions ({name}): {label}",
                    f"{_f(pdf[key + '_ms'])} ms",
                    f"{_f(pdf['floor_ms'])} ms (WeasyPrint on the finished HTML)",
                    _x(pdf[key + "_ratio"]),
                    "<= 1.3x" if key == "cold" else "",
                )
            )
    hello = results["hello"]["page"]
    for name in ("sqlite", "postgresql"):
        db = results.get(name)
        http = db["http"] if db else {}
        for label, key, target in (
            ("question page (rate one principle)", "question_page", ">= 50%"),
            ("report page", "report_page", ">= 25%"),
            ("report section page (principle 1 in detail)", "report_section_page", ""),
        ):
            page = http.get(key)
            if not page:
                continue
            size = http.get("page_kb", {}).get(key)
            rows.append(
                (
                    f"4. {label}, 8 clients x 25 requests ({name}"
                    + (", Redis" if db.get("redis") else "")
                    + (f", {size} KB" if size else "")
                    + ")",
                    f"{_f(page['per_second'])} req/s, p95 {_f(page['p95_ms'])} ms",
                    f"{_f(hello['per_second'])} req/s (hello-world)",
                    f"{_f(100 * page['per_second'] / hello['per_second'])}%",
                    target,
                )
            )
    return rows


def _machine_share(cpu: dict | None) -> str:
    """Where the machine's CPU went during the run: app servers, database, Redis, the phones."""
    if not cpu:
        return ""
    share = cpu["share_of_machine"]
    return (
        f"; CPU of the {cpu['cores']} cores: app servers {round(100 * share['app_servers'])}%, "
        f"database {round(100 * share['database'])}%, Redis {round(100 * share['redis'])}%, "
        f"the phones (load generator) {round(100 * share['clients'])}%; "
        f"{_f(cpu['app_server_ms_per_poll_or_vote'])} ms of app server CPU per poll or vote"
    )


def write_markdown(results: dict, path: Path, notes: Path) -> None:
    scale = results["scale"]
    gen = results["sqlite"]["generator"]
    lines = [
        "# Benchmarks",
        "",
        "Every figure is measured against a floor taken in the same run, on the same data and",
        "machine; absolute times are beside it. Written by `make bench` (bench/run.py) into",
        "`bench/results.json` and this file; never asserted in the tests.",
        "",
        f"Run {results['when']} on {results['machine']['cpus']} CPUs, Python "
        f"{results['machine']['python']}; gunicorn with {results['gunicorn_workers']} sync "
        "workers; "
        f"{scale['partnerships']} partnerships x {scale['raters']} raters x {scale['rounds']} "
        f"rounds = {gen['ratings']:,} ratings ({gen['rows']:,} rows, generated in "
        f"{gen['seconds']} s, {gen['rows_per_second']:,} rows/s on SQLite"
        + (
            f"; {results['postgresql']['generator']['rows_per_second']:,} rows/s on PostgreSQL"
            if results.get("postgresql")
            else ""
        )
        + f"). Whole run: {results['seconds']} s.",
        "",
        "| figure | measured | floor | ratio | target |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in _rows(results)]
    lines += [
        "",
        "## How to reproduce",
        "",
        "```sh",
        "make bench                        # full scale: 329 partnerships, 15 raters, 3 rounds",
        "BENCH_PARTNERSHIPS=60 make bench  # smaller and quicker",
        "BENCH_PG_URL= make bench          # SQLite only",
        "```",
        "",
        "PostgreSQL is used when `BENCH_PG_URL` (default",
        "`postgresql://postgres@127.0.0.1:5432/bench`) answers; its tables are dropped and made",
        "again. The data come from `selfassess demo national` (same seed, same data). Floors: the",
        "national picture against `SELECT framework_id, item_id, value, COUNT(*) FROM",
        "return_answer WHERE collection_id = ? GROUP BY ...` run on the raw driver connection;",
        "HTTP figures against `bench/hello_app.py` under the same gunicorn settings, with the same",
        "client threads; the PDF against WeasyPrint laying out the report's finished HTML. Phones",
        "join through the real join page (told apart by `X-Forwarded-For`, as behind a proxy) and",
        "vote through the real vote endpoint with their CSRF tokens.",
        "",
    ]
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
