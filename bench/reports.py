"""The report archive: list and search p50/p95 per request against a running server; draft time.

.venv/bin/python bench/reports.py                      # SQLite (a fresh file under /tmp)
.venv/bin/python bench/reports.py --database-url postgresql://postgres@127.0.0.1:5432/tsunagu_bench
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout

from bench.harness import free_port, table, tsunagu_server  # noqa: E402
from bench.seed import recreate_postgres_database  # noqa: E402

BATCH = 500
# Two-character words, longer compounds, and a phrase every report contains.
SHORT_WORDS = ("人事", "研修", "評価", "資格", "予算", "庁内", "育成", "計画")
LONG_WORDS = ("デジタル人材", "ITパスポート", "業務改善", "データ活用", "情報セキュリティ")
EVERYWHERE = "ご参加いただいた"
FILLER = (
    "各自治体から取組の共有があり、意見交換を行いました。",
    "研修の対象者や内容について具体的な事例が紹介されました。",
    "今後も継続して情報交換の場を設けることを確認しました。",
    "課題として、担当者の負担や予算の確保が挙げられました。",
    "オンラインと集合研修を組み合わせる工夫が共有されました。",
)
VOCABULARY = tuple(
    f"{a}{b}"
    for a in ("地域", "行政", "窓口", "職員", "住民", "広域")
    for b in (
        "連携",
        "改革",
        "支援",
        "協働",
        "推進",
        "活用",
        "調整",
        "分析",
        "整備",
        "共有",
        "研究",
        "交流",
        "企画",
        "運用",
        "管理",
        "診断",
        "相談",
        "設計",
        "検証",
        "展開",
    )
)


def report_text(rng: random.Random) -> str:
    """About 1,500 characters: filler sentences and vocabulary words, each word in ~8%."""
    parts: list[str] = []
    while sum(map(len, parts)) < 1400:
        parts.append(rng.choice(FILLER))
        if rng.random() < 0.5:
            parts.append(
                rng.choice(VOCABULARY + SHORT_WORDS + LONG_WORDS) + "について議論しました。"
            )
    parts.append(f"{EVERYWHERE}皆さま、ありがとうございました。")
    return "\n".join(parts)


async def seed(count: int, organizer_email: str = "bench@tsunagu.example.jp") -> None:
    from events.accounts.organizers import create_organizer
    from events.reports.blocks import Block, dumps
    from events.reports.publishing import search_text
    from events.sessions.series import SeriesInput, create_series
    from events.tables import ExchangeSession, Report, ReportArchiveEntry, ReportVersion
    from networking.municipalities import read_data_file
    from networking.regions import Region

    rng = random.Random(11)
    organizer = await create_organizer(organizer_email, "bench-password-123")
    regions = [region.value for region in Region]
    series = [
        (await create_series(organizer, SeriesInput(f"{r.name} DX人材育成 情報交換会", r.slug)), r)
        for r in regions
    ]
    codes = [record for record in read_data_file()]
    start = dt.datetime(2019, 4, 1, 5, tzinfo=dt.UTC)
    for offset in range(0, count, BATCH):
        numbers = range(offset, min(offset + BATCH, count))
        sessions = []
        for number in numbers:
            row, area = series[number % len(series)]
            starts_at = start + dt.timedelta(hours=6 * number)
            sessions.append(
                ExchangeSession(
                    series=row["id"],
                    title=f"第{number + 1}回 情報交換会",
                    region=area.slug,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    registration_deadline=starts_at - dt.timedelta(days=7),
                    capacity=30,
                    per_municipality_limit=3,
                    status="reported",
                )
            )
        session_rows = await ExchangeSession.insert(*sessions).returning(ExchangeSession.id)
        reports, versions, entries = [], [], []
        for number, session_row, session in zip(numbers, session_rows, sessions, strict=True):
            row, area = series[number % len(series)]
            local = [c for c in codes if area.contains(c.code)]
            attended = rng.sample(local, min(len(local), rng.randint(3, 8)))
            title = f"{row['title']} 第{number + 1}回 情報交換会 開催レポート"
            blocks = (
                Block("title", "title", title, ""),
                Block("lead", "lead", "", report_text(rng)),
            )
            reports.append(
                Report(
                    exchange_session=session_row["id"],
                    blocks=dumps(blocks),
                    state="published",
                    latest_version=1,
                )
            )
            names = "・".join(c.name for c in attended)
            fiscal = session.starts_at.year - (1 if session.starts_at.month < 4 else 0)
            entries.append(
                dict(
                    version=1,
                    title=title,
                    lead=blocks[1].body[:200],
                    starts_at=session.starts_at,
                    fiscal_year=fiscal,
                    region=area.slug,
                    series=row["id"],
                    series_title=row["title"],
                    tags="|" + rng.choice(("人事", "研修", "KPI", "DX計画")) + "|",
                    municipality_codes="|" + "|".join(c.code for c in attended) + "|",
                    municipality_names=names,
                    search_text=search_text(title, blocks[1].body, row["title"], names),
                    published_at=session.starts_at + dt.timedelta(days=14),
                )
            )
            versions.append((title, dumps(blocks)))
        report_rows = await Report.insert(*reports).returning(Report.id)
        await ReportVersion.insert(
            *(
                ReportVersion(report=r["id"], number=1, title=t, blocks=b, pdf_state="ready")
                for r, (t, b) in zip(report_rows, versions, strict=True)
            )
        )
        entry_rows = await ReportArchiveEntry.insert(
            *(
                ReportArchiveEntry(report=r["id"], **e)
                for r, e in zip(report_rows, entries, strict=True)
            )
        ).returning(ReportArchiveEntry.id)
        await bulk_terms(
            [(row["id"], e["search_text"]) for row, e in zip(entry_rows, entries, strict=True)]
        )


async def bulk_terms(entries: list[tuple[int, str]]) -> None:
    """The pair index as publishing writes it, inserted through the driver's bulk path."""
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.engine.sqlite import SQLiteEngine

    from events.lib.database import engine
    from events.reports.search import terms_of

    rows = [(entry, term) for entry, text in entries for term in sorted(terms_of(text))]
    db = engine()
    if isinstance(db, PostgresEngine):
        connection = await db.get_new_connection()
        try:
            await connection.copy_records_to_table(
                "report_search_term", records=rows, columns=["entry", "term"]
            )
        finally:
            await connection.close()
        return
    assert isinstance(db, SQLiteEngine)
    with sqlite3.connect(db.path, timeout=60) as connection:
        connection.executemany("INSERT INTO report_search_term (entry, term) VALUES (?, ?)", rows)


async def prepare(url: str, count: int) -> None:
    if url.startswith("postgres"):
        if not urllib.parse.urlsplit(url).path.lstrip("/").startswith("tsunagu_bench"):
            raise SystemExit("the PostgreSQL database name must start with tsunagu_bench")
        await recreate_postgres_database(url)
    os.environ.update(DATABASE_URL=url, PICCOLO_CONF="events.piccolo_conf", TSUNAGU_ENV="demo")
    from events.lib.migrations import migrate

    await migrate(verbose=False)
    await seed(count)
    if url.startswith("postgres"):
        # What autovacuum does soon after a bulk load: planner statistics, visibility map.
        from piccolo.engine.postgres import PostgresEngine

        from events.lib.database import engine

        db = engine()
        assert isinstance(db, PostgresEngine)
        connection = await db.get_new_connection()
        try:
            await connection.execute("VACUUM ANALYZE")
        finally:
            await connection.close()


def timed_get(url: str) -> float:
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local bench server)
        response.read()
        assert response.status == 200
    return (time.perf_counter() - began) * 1000


def operations(rng: random.Random) -> dict[str, list[str]]:
    """200 request paths per operation; pages and filters vary so cached pages rarely repeat."""
    regions = (
        "hokkaido",
        "tohoku",
        "kanto",
        "chubu",
        "kinki",
        "chugoku",
        "shikoku",
        "kyushu-okinawa",
    )

    def q(path: str, **params: object) -> str:
        return f"{path}?{urllib.parse.urlencode(params)}"

    n = 200
    return {
        "list page /reports": [q("/reports", page=rng.randint(1, 500)) for _ in range(n)],
        "list page by region": [
            q("/reports", region=rng.choice(regions), page=rng.randint(1, 60)) for _ in range(n)
        ],
        "listReports API": [q("/api/reports", page=rng.randint(1, 500)) for _ in range(n)],
        "search 2 chars (人事...)": [
            q("/api/reports/search", q=rng.choice(SHORT_WORDS), page=rng.randint(1, 5))
            for _ in range(n)
        ],
        "search longer words": [
            q("/api/reports/search", q=rng.choice(LONG_WORDS), page=rng.randint(1, 5))
            for _ in range(n)
        ],
        "search in every report": [
            q("/api/reports/search", q=EVERYWHERE, page=rng.randint(1, 500)) for _ in range(n)
        ],
        "search + fiscal year": [
            q("/api/reports/search", q=rng.choice(SHORT_WORDS), fiscal_year=rng.randint(2019, 2024))
            for _ in range(n)
        ],
        "search page /reports?q=": [
            q("/reports", q=rng.choice(SHORT_WORDS + LONG_WORDS), page=rng.randint(1, 40))
            for _ in range(n)
        ],
    }


def draft_time(rounds: int = 200) -> float:
    """Milliseconds to generate the seed session's draft from its facts (the pure generator)."""
    from events.reports.generation import generate
    from tests.events.reports.test_generation import seed_facts

    facts = seed_facts()
    generate(facts)  # templates compiled once, as in a running server
    began = time.perf_counter()
    for _ in range(rounds):
        generate(facts)
    return (time.perf_counter() - began) * 1000 / rounds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args()
    url = args.database_url or (
        f"sqlite:///{tempfile.mkdtemp(prefix='tsunagu-bench-')}/bench.sqlite3"
    )
    began = time.perf_counter()
    asyncio.run(prepare(url, args.reports))
    seeded = time.perf_counter() - began
    rows: list[list[str]] = []
    rng = random.Random(3)
    with tsunagu_server(url, free_port()) as server:
        for name, paths in operations(rng).items():
            timed_get(server.base_url + paths[0])  # warm up
            times = sorted(timed_get(server.base_url + path) for path in paths)
            p95 = times[int(len(times) * 0.95) - 1]
            rows.append(
                [
                    name,
                    f"{statistics.median(times):.1f}",
                    f"{p95:.1f}",
                    f"{times[-1]:.1f}",
                    "yes" if p95 < 50 else "NO",
                ]
            )
        total = json.loads(
            urllib.request.urlopen(server.base_url + "/api/reports").read()  # noqa: S310
        )["total"]
    rows.append(["generate one draft (in process)", f"{draft_time():.2f}", "", "", ""])
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"\n{engine}: {total:,} published reports (seeded in {seeded:.0f} s), "
        f"200 sequential requests per row, {os.cpu_count()} cores\n"
    )
    print(table(["operation", "p50 ms", "p95 ms", "max ms", "p95 < 50 ms"], rows))


if __name__ == "__main__":
    main()
