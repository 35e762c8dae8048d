"""The table grants job: gives every table the pipelines have published exactly its planned grants.

    apply_table_grants.py --plan /Workspace/Shared/<prefix>-<env>/pipelines/table_grants.json

The plan comes from the platform definition (``TableGrantsJob`` writes it next to this file). Each run
reads the table's grants (``SHOW GRANTS``), revokes what is held beyond the plan and grants what is
missing (table_grants.py decides, in plain Python): a rerun changes nothing, and a grant made by hand is
reverted, as Terraform reverts them on the catalog and schemas. A planned table that does not exist
yet (its pipeline has not run) is skipped and reported; until it is granted, only its owner (the
pipeline's identity) can read it, so a late run never exposes data to the wrong group. Any failed
statement fails the run, after every table has been tried.
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession

# Databricks runs a workspace Python file with its folder on sys.path; table_grants.py is deployed beside it.
from table_grants import current_grants, grant_statements, load_plan, quote_table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True, help="path of the plan (JSON) in the workspace")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as plan_file:
        tables = load_plan(plan_file.read())
    spark = SparkSession.builder.getOrCreate()
    missing: list[str] = []
    failures: list[str] = []
    changed = 0
    for table in tables:
        if not spark.catalog.tableExists(table.table):
            missing.append(table.table)
            continue
        rows = [row.asDict() for row in spark.sql(f"SHOW GRANTS ON TABLE {quote_table(table.table)}").collect()]
        for statement in grant_statements(table, current_grants(rows)):
            try:
                spark.sql(statement)
                changed += 1
                print(statement)
            except Exception as error:  # noqa: BLE001 - report every failure, then fail the run
                failures.append(f"{statement}: {error}")
    print(f"table grants: {len(tables) - len(missing)} tables checked, {changed} statements applied, {len(missing)} not created yet")
    for table in missing:
        print(f"  not created yet (granted on a later run): {table}")
    for failure in failures:
        print(f"  FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
