"""The gold warehouse load: replaces the Azure SQL warehouse's gold tables with the catalog's gold tables.

    warehouse_load.py --plan /Workspace/Shared/<prefix>-<env>/warehouse/warehouse_load.json \
        --catalog <catalog> --server <server>.database.windows.net --database warehouse --credential <service credential>

A task of the dbt job, after `dbt_build`, on its job cluster (dedicated access mode, in the environment
network, which resolves the server to its private endpoint). The plan comes from the dbt gold contracts
(``WarehouseLoad`` writes it beside this file); gold_tables_load.py does the work. It signs in to the
database as the Databricks access connector's managed identity, through the Unity Catalog service
credential: no password exists anywhere. The identity's database user and rights are a one-time step
of the SQL admin group (`npx ts-node --swc scripts/warehouse-plan.ts grants <environment>`).
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession

# Databricks runs a workspace Python file with its folder on sys.path; gold_tables_load.py is deployed beside it.
from gold_tables_load import JdbcTarget, load_all, load_plan

SQL_SERVER_DRIVER = "com.microsoft.sqlserver.jdbc.SQLServerDriver"
DATABASE_SCOPE = "https://database.windows.net/.default"


def access_token(credential: str) -> str:
    """An Entra ID token for Azure SQL from the service credential (Databricks Runtime 15.4 LTS and later)."""
    from databricks.sdk.runtime import dbutils  # only on Databricks

    return dbutils.credentials.getServiceCredentialsProvider(credential).get_token(DATABASE_SCOPE).token


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True, help="path of the load plan (JSON) in the workspace")
    parser.add_argument("--catalog", required=True, help="the Unity Catalog catalog whose gold schema is loaded")
    parser.add_argument("--server", required=True, help="host name of the Azure SQL server")
    parser.add_argument("--database", required=True, help="the warehouse database")
    parser.add_argument("--credential", required=True, help="the Unity Catalog service credential of the load's managed identity")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as plan_file:
        plan = load_plan(plan_file.read())
    if plan.dialect != "tsql":
        raise ValueError(f"{args.plan} is a {plan.dialect} plan; the Azure SQL warehouse needs the tsql plan")
    spark = SparkSession.builder.getOrCreate()
    target = JdbcTarget(
        url=f"jdbc:sqlserver://{args.server}:1433;database={args.database};encrypt=true;trustServerCertificate=false;"
        "hostNameInCertificate=*.database.windows.net;loginTimeout=30",
        driver=SQL_SERVER_DRIVER,
        properties={"accessToken": access_token(args.credential)},
    )
    loaded, failures = load_all(spark, target, plan, lambda table: f"`{args.catalog}`.`{plan.schema}`.`{table.name}`")
    print(f"warehouse load: {len(loaded)} of {len(plan.tables)} gold tables replaced in {args.database}")
    for failure in failures:
        print(f"  FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
