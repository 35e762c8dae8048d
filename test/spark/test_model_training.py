"""The training job of an ML use case (constructs/databricks/ml) on local Spark with a local MLflow store.

The plan is the one the platform generates for the committed definition's customer_churn use case
(scripts/ml-training-plan.ts), for the local Iceberg catalog `lake`; the feature table is created with the
types of its dbt contract and filled with a seeded sample in which churn follows recency and recent orders.
The job's own entry point runs with a `file:` MLflow store as tracking and registry URI, where Databricks
passes `databricks` and `databricks-uc`: the code path is the same. Asserted: a run with the plan's
parameters and held-out metrics, a registered model version that loads and scores, the champion alias on
it, a rerun that reproduces the metrics (fixed seed) and leaves the champion where it is, and a clear error
for a sample with one class.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "constructs" / "databricks" / "ml"))

import model_training  # noqa: E402
import train_model  # noqa: E402

USE_CASE = "customer_churn"
CATALOG = "lake"
CONTRACTS = ROOT / "dbt" / "models" / "gold" / "customer" / "_customer__models.yml"
SEGMENTS = ["consumer", "business", "vip"]
COUNTRIES = ["DE", "FR", "ES", None]


@pytest.fixture(scope="module")
def mlflow_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> str:
    """A local file store for runs, artifacts and the model registry; nothing reaches a network."""
    monkeypatch_module.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch_module.setenv("DO_NOT_TRACK", "true")
    # The file store is in maintenance mode upstream but complete for runs and the registry; it needs no database.
    monkeypatch_module.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    return tmp_path_factory.mktemp("mlflow").as_uri()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    command = [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "scripts/ml-training-plan.ts", USE_CASE, CATALOG, f"/Shared/local/ml/{USE_CASE}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("plan") / f"{USE_CASE}.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plan(plan_file: Path) -> model_training.TrainingPlan:
    return model_training.load_plan(plan_file.read_text(encoding="utf-8"))


def contract_columns(model: str) -> list[tuple[str, str]]:
    models = yaml.safe_load(CONTRACTS.read_text(encoding="utf-8"))["models"]
    entry = next(m for m in models if m["name"] == model)
    return [(column["name"], column["data_type"]) for column in entry["columns"]]


def feature_row(index: int, rng: random.Random) -> dict[str, Any]:
    """One customer; churn is likelier with a long recency and few recent orders (a signal the model can learn)."""
    orders_30d = rng.choice([0, 0, 1, 2, 3, 5])
    prior_30d = rng.choice([0, 1, 2, 4])
    has_orders = rng.random() > 0.1
    order_count = orders_30d + prior_30d + rng.randint(0, 20) if has_orders else 0
    recency = rng.randint(0, 180) if has_orders else None
    score = (recency if recency is not None else 200) / 60 - orders_30d + rng.gauss(0, 1)
    revenue = Decimal(rng.randint(0, 500000)) / 100 if has_orders else Decimal("0.00")
    return {
        "customer_id": 1000 + index,
        "feature_date": dt.date(2026, 11, 1),
        "segment": rng.choice(SEGMENTS),
        "country_code": rng.choice(COUNTRIES),
        "tenure_days": rng.randint(60, 2000),
        "recency_days": recency,
        "order_count": order_count,
        "order_count_30d": orders_30d,
        "order_count_prior_30d": prior_30d,
        "revenue_eur": revenue,
        "average_order_value_eur": (revenue / order_count).quantize(Decimal("0.01")) if order_count else None,
        "cancelled_order_ratio": rng.random() * 0.3 if has_orders else 0.0,
        "web_session_count_30d": rng.randint(0, 12),
        "add_to_cart_count_30d": rng.randint(0, 6),
        "is_churned": score > 1.5,
    }


def write_feature_table(spark, table: str, rows: list[dict[str, Any]]) -> None:
    columns = contract_columns("ml_customer_churn_features")
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {table.rsplit('.', 1)[0]}")
    spark.sql(f"DROP TABLE IF EXISTS {table}")
    ddl = ", ".join(f"{name} {data_type}" for name, data_type in columns)
    spark.sql(f"CREATE TABLE {table} ({ddl}) USING iceberg")
    frame = spark.createDataFrame([tuple(row[name] for name, _ in columns) for row in rows], schema=ddl)
    frame.writeTo(table).append()


@pytest.fixture(scope="module")
def feature_table(spark, plan: model_training.TrainingPlan) -> str:
    rng = random.Random(20261205)
    table = plan.tables[0].table
    write_feature_table(spark, table, [feature_row(index, rng) for index in range(400)])
    return table


def test_the_plan_trains_on_the_contract_columns_other_than_keys_label_and_dates(plan: model_training.TrainingPlan) -> None:
    assert plan.model == f"{CATALOG}.ml.{USE_CASE}"
    assert plan.label == "is_churned" and plan.keys == ("customer_id",)
    contract = {name for name, _ in contract_columns("ml_customer_churn_features")}
    assert set(plan.features) == contract - {"customer_id", "feature_date", "is_churned"}
    assert set(plan.categorical) == {"segment", "country_code"}


def test_a_training_run_logs_metrics_and_registers_the_champion_version(spark, feature_table, plan, plan_file, mlflow_store, capsys) -> None:
    import mlflow

    assert train_model.main(["--plan", str(plan_file), "--tracking-uri", mlflow_store, "--registry-uri", mlflow_store]) == 0
    assert f"{plan.model} version 1 from run" in capsys.readouterr().out

    mlflow.set_tracking_uri(mlflow_store)
    mlflow.set_registry_uri(mlflow_store)
    client = mlflow.MlflowClient()
    [version] = client.search_model_versions(f"name='{plan.model}'")
    assert int(version.version) == 1 and version.status == "READY"
    run = client.get_run(version.run_id)
    assert run.info.experiment_id == client.get_experiment_by_name(plan.experiment).experiment_id
    assert run.data.params["label"] == "is_churned"
    assert run.data.params["seed"] == "42"
    assert run.data.params["tables"] == feature_table
    metrics = run.data.metrics
    assert metrics["training_rows"] + metrics["test_rows"] == 400 and metrics["test_rows"] == 80
    assert 0.75 < metrics["test_roc_auc"] <= 1.0, metrics  # the sample's signal is learnt
    assert 0.5 < metrics["test_accuracy"] <= 1.0
    assert client.get_model_version_by_alias(plan.model, plan.champion_alias).version == version.version

    model = mlflow.pyfunc.load_model(f"models:/{plan.model}@{plan.champion_alias}")
    sample = spark.table(feature_table).limit(5).toPandas()
    features, _, _ = model_training.features_and_label(sample, plan)
    probabilities = model.predict(features)
    assert probabilities.shape == (5, 2)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert json.loads(Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="training_plan.json")).read_text())["label"] == "is_churned"


def test_a_rerun_reproduces_the_metrics_and_keeps_the_champion(spark, feature_table, plan, mlflow_store) -> None:
    import mlflow

    first = mlflow.MlflowClient(tracking_uri=mlflow_store, registry_uri=mlflow_store)
    result = model_training.train_and_register(spark, plan, mlflow_store, mlflow_store)
    assert result.version == 2 and not result.champion
    earlier = first.get_run(first.get_model_version(plan.model, "1").run_id).data.metrics
    assert result.metrics["test_roc_auc"] == pytest.approx(earlier["test_roc_auc"], abs=1e-12)
    assert int(first.get_model_version_by_alias(plan.model, plan.champion_alias).version) == 1


def test_fails_when_the_sample_has_one_class(spark, plan, mlflow_store) -> None:
    rng = random.Random(7)
    rows = [{**feature_row(index, rng), "is_churned": False} for index in range(20)]
    table = f"{CATALOG}.ml_training_one_class.features"
    write_feature_table(spark, table, rows)
    one_class = model_training.load_plan(json.dumps({**plan.raw, "tables": [{"table": table, "columns": list(plan.tables[0].columns)}]}))
    with pytest.raises(ValueError, match=r"customer_churn: the feature tables hold 20 labelled rows, by is_churned: \{0: 20\}; training needs at least 2 rows of each class"):
        model_training.train_and_register(spark, one_class, mlflow_store, mlflow_store)
