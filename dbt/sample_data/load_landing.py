#!/usr/bin/env python3
"""Loads landing CSV files written by generate_bronze.py into a DuckDB database as the landing tables of dbt.

    .venv/bin/python dbt/sample_data/load_landing.py <csv dir> <database file> [--schema main_landing]

Each `<csv dir>/<domain>/raw_<dataset>.csv` becomes `<schema>.raw_<dataset>`, exactly like the seeds (and the
ingestion jobs' tables the sources read in the cloud): the dataset's columns as text, so that values which do
not cast survive to be quarantined by silver, and the ingestion metadata typed. The sources read the schema
`<target schema>_landing` (`main_landing` on the DuckDB targets). scripts/bench-dbt.sh and the engines
comparison (test/spark/test_engines_agree.py) load their generated data sets with it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The ingestion metadata columns and their types (lib/lake/layout.ts bronzeMetadataColumns); every other column is text.
METADATA_TYPES = {"_change_seq": "bigint", "_ingested_at": "timestamp", "_kafka_partition": "integer", "_kafka_offset": "bigint"}


def load_landing(csv_dir: Path, database: str, schema: str = "main_landing") -> dict[str, int]:
    """Creates or replaces one landing table per CSV file; returns the rows of each table."""
    import duckdb

    paths = sorted(csv_dir.glob("*/raw_*.csv"))
    if not paths:
        raise FileNotFoundError(f"no landing files {csv_dir}/<domain>/raw_<dataset>.csv; run generate_bronze.py --out {csv_dir}")
    rows: dict[str, int] = {}
    con = duckdb.connect(database)
    try:
        con.execute(f"create schema if not exists {schema}")
        for path in paths:
            source = f"read_csv('{path}', header = true, all_varchar = true)"
            columns = [c[0] for c in con.execute(f"select * from {source} limit 0").description]
            select = ", ".join(f"cast({c} as {METADATA_TYPES[c]}) as {c}" if c in METADATA_TYPES else c for c in columns)
            con.execute(f"create or replace table {schema}.{path.stem} as select {select} from {source}")
            rows[path.stem] = con.execute(f"select count(*) from {schema}.{path.stem}").fetchone()[0]
    finally:
        con.close()
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv_dir", type=Path, help="the --out directory of generate_bronze.py")
    parser.add_argument("database", help="the DuckDB database file")
    parser.add_argument("--schema", default="main_landing", help="schema of the landing tables (default: main_landing, what the sources read on DuckDB)")
    args = parser.parse_args(argv)
    for table, count in load_landing(args.csv_dir, args.database, args.schema).items():
        print(f"loaded {table:24s} {count:>12,d} rows")


if __name__ == "__main__":
    main(sys.argv[1:])
