"""The training job of an ML use case: trains on the gold feature tables and registers a model version.

    train_model.py --plan /Workspace/Shared/<prefix>-<env>/ml/<use case>.json \
        [--tracking-uri databricks] [--registry-uri databricks-uc]

The task of the use case's training job (`MlTrainingJob`), on a job cluster of the job policy. The plan
comes from the definition and the feature tables' dbt contracts (lib/ml), deployed beside this file;
model_training.py does the work. The runs go to the use case's MLflow experiment and the versions to its
Unity Catalog model; the test runs this same entry point with a local file store as both URIs.
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession

# Databricks runs a workspace Python file with its folder on sys.path; model_training.py is deployed beside it.
from model_training import load_plan, train_and_register


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True, help="path of the training plan (JSON)")
    parser.add_argument("--tracking-uri", default="databricks", help="where MLflow logs the run (default: the workspace)")
    parser.add_argument("--registry-uri", default="databricks-uc", help="where the model version is registered (default: Unity Catalog)")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as plan_file:
        plan = load_plan(plan_file.read())
    spark = SparkSession.builder.getOrCreate()
    result = train_and_register(spark, plan, args.tracking_uri, args.registry_uri)
    metrics = ", ".join(f"{name} {value:.4f}" for name, value in sorted(result.metrics.items()))
    promoted = f"; now the {plan.champion_alias}" if result.champion else f"; the {plan.champion_alias} scores higher and stays"
    print(f"{plan.model} version {result.version} from run {result.run_id}: {metrics}{promoted}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
