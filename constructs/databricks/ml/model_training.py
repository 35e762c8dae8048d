"""The core of an ML use case's training job: read the gold feature tables, fit, evaluate, log and register.

The plan (lib/ml/training-plan.ts, as JSON) says everything that differs between use cases and environments:
the tables and their columns, the label, the numeric and categorical features, the held-out split and its
seed, the estimator, the MLflow experiment and the registered model. Where the runs and models go is the
caller's configuration (tracking and registry URIs): `databricks` / `databricks-uc` in the job, a local file
store in the test; the code path is the same.

A run logs the plan's parameters, the held-out metrics (ROC AUC, accuracy, precision, recall, F1, log loss,
row counts) and the fitted scikit-learn pipeline (skops format, whose loading runs no pickled code; the
pyfunc predicts the probability of each class), registers it as a new version of the model, and moves the
plan's champion alias to the new version when its held-out ROC AUC beats the champion's (or there is none).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the job imports pyspark, pandas and sklearn lazily, so that the plan can be read anywhere
    import pandas as pd
    from pyspark.sql import SparkSession
    from sklearn.pipeline import Pipeline

PLAN_VERSION = 1
MODEL_ARTIFACT = "model"
# Types of the pipeline that skops does not trust by default; loading trusts these and nothing else
# (OneHotEncoder keeps its output dtype as a numpy.dtype).
SKOPS_TRUSTED_TYPES = ["numpy.dtype"]
# The metric a new version must beat to become the champion.
CHAMPION_METRIC = "test_roc_auc"


@dataclass(frozen=True)
class TrainingTable:
    table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TrainingPlan:
    use_case: str
    description: str
    model: str
    experiment: str
    label: str
    keys: tuple[str, ...]
    tables: tuple[TrainingTable, ...]
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    test_fraction: float
    seed: int
    regularization: float
    max_iterations: int
    champion_alias: str
    raw: dict[str, Any] = field(compare=False, repr=False)

    @property
    def features(self) -> list[str]:
        return [*self.numeric, *self.categorical]


def load_plan(text: str) -> TrainingPlan:
    """The plan from its JSON; refuses another plan version or estimator, naming the field."""
    raw = json.loads(text)
    if raw.get("version") != PLAN_VERSION:
        raise ValueError(f"training plan version {raw.get('version')!r} is not {PLAN_VERSION}; regenerate it with this platform release")
    estimator = raw["estimator"]
    if estimator.get("kind") != "logistic_regression":
        raise ValueError(f"training plan estimator.kind {estimator.get('kind')!r} is not supported; supported: logistic_regression")
    return TrainingPlan(
        use_case=raw["useCase"],
        description=raw["description"],
        model=raw["model"],
        experiment=raw["experiment"],
        label=raw["label"],
        keys=tuple(raw["keys"]),
        tables=tuple(TrainingTable(table=t["table"], columns=tuple(t["columns"])) for t in raw["tables"]),
        numeric=tuple(raw["features"]["numeric"]),
        categorical=tuple(raw["features"]["categorical"]),
        test_fraction=float(raw["split"]["testFraction"]),
        seed=int(raw["split"]["seed"]),
        regularization=float(estimator["regularization"]),
        max_iterations=int(estimator["maxIterations"]),
        champion_alias=raw["championAlias"],
        raw=raw,
    )


def training_frame(spark: "SparkSession", plan: TrainingPlan) -> "pd.DataFrame":
    """The feature tables joined on the keys, in key order (so that the seeded split is reproducible), as pandas."""
    frames = [spark.table(table.table).select(*table.columns) for table in plan.tables]
    joined = reduce(lambda left, right: left.join(right, on=list(plan.keys), how="inner"), frames)
    return joined.orderBy(*plan.keys).toPandas()


def features_and_label(frame: "pd.DataFrame", plan: TrainingPlan) -> tuple["pd.DataFrame", "pd.Series", int]:
    """The model's input (numbers as float, categories as text or missing) and the 0/1 label; rows without a label are left out and counted."""
    labelled = frame[frame[plan.label].notna()]
    features = labelled[plan.features].copy()
    for column in plan.numeric:
        features[column] = features[column].astype("float64")  # decimals arrive as Decimal, booleans as bool
    for column in plan.categorical:
        features[column] = features[column].astype("object").where(features[column].notna(), None)
    label = labelled[plan.label].astype("int64")
    unexpected = sorted(set(label.unique()) - {0, 1})
    if unexpected:
        raise ValueError(f"label {plan.label} of {plan.use_case} holds {unexpected}; a binary label holds only 0/1 (or false/true)")
    return features.reset_index(drop=True), label.reset_index(drop=True), len(frame) - len(labelled)


def build_pipeline(plan: TrainingPlan) -> "Pipeline":
    """Median-imputed, standardised numbers and one-hot categories into a logistic regression."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    transformers = []
    if plan.numeric:
        numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
        transformers.append(("numeric", numeric, list(plan.numeric)))
    if plan.categorical:
        categorical = Pipeline(
            [
                ("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
                ("encode", OneHotEncoder(handle_unknown="ignore")),
            ]
        )
        transformers.append(("categorical", categorical, list(plan.categorical)))
    classifier = LogisticRegression(C=plan.regularization, max_iter=plan.max_iterations, random_state=plan.seed)
    return Pipeline([("features", ColumnTransformer(transformers)), ("classifier", classifier)])


@dataclass(frozen=True)
class FittedModel:
    pipeline: "Pipeline"
    metrics: dict[str, float]
    example: "pd.DataFrame"


def fit_and_evaluate(frame: "pd.DataFrame", plan: TrainingPlan) -> FittedModel:
    """Fits on a stratified, seeded split and measures on the held-out part."""
    from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_score, recall_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    features, label, unlabelled = features_and_label(frame, plan)
    counts = label.value_counts()
    if len(counts) < 2 or counts.min() < 2:
        raise ValueError(
            f"{plan.use_case}: the feature tables hold {len(label)} labelled rows, by {plan.label}: "
            f"{ {int(value): int(count) for value, count in counts.items()} }; "
            "training needs at least 2 rows of each class"
        )
    x_train, x_test, y_train, y_test = train_test_split(
        features, label, test_size=plan.test_fraction, random_state=plan.seed, stratify=label
    )
    pipeline = build_pipeline(plan).fit(x_train, y_train)
    probability = pipeline.predict_proba(x_test)[:, 1]
    predicted = (probability >= 0.5).astype("int64")
    metrics = {
        "test_roc_auc": float(roc_auc_score(y_test, probability)),
        "test_accuracy": float(accuracy_score(y_test, predicted)),
        "test_precision": float(precision_score(y_test, predicted, zero_division=0)),
        "test_recall": float(recall_score(y_test, predicted, zero_division=0)),
        "test_f1": float(f1_score(y_test, predicted, zero_division=0)),
        "test_log_loss": float(log_loss(y_test, probability, labels=[0, 1])),
        "training_rows": float(len(x_train)),
        "test_rows": float(len(x_test)),
        "unlabelled_rows": float(unlabelled),
        "positive_rate": float(label.mean()),
    }
    return FittedModel(pipeline=pipeline, metrics=metrics, example=x_train.head(5))


@dataclass(frozen=True)
class RegisteredVersion:
    run_id: str
    version: int
    metrics: dict[str, float]
    champion: bool


def _parameters(plan: TrainingPlan) -> dict[str, Any]:
    return {
        "use_case": plan.use_case,
        "tables": ",".join(table.table for table in plan.tables),
        "label": plan.label,
        "keys": ",".join(plan.keys),
        "numeric_features": ",".join(plan.numeric),
        "categorical_features": ",".join(plan.categorical),
        "test_fraction": plan.test_fraction,
        "seed": plan.seed,
        "estimator": "logistic_regression",
        "regularization": plan.regularization,
        "max_iterations": plan.max_iterations,
    }


def _champion_score(client: Any, plan: TrainingPlan) -> float | None:
    from mlflow.exceptions import MlflowException

    try:
        champion = client.get_model_version_by_alias(plan.model, plan.champion_alias)
    except MlflowException:  # no version holds the alias yet
        return None
    score = client.get_run(champion.run_id).data.metrics.get(CHAMPION_METRIC)
    return None if score is None or math.isnan(score) else float(score)


def train_and_register(spark: "SparkSession", plan: TrainingPlan, tracking_uri: str, registry_uri: str) -> RegisteredVersion:
    """One training run: fit and evaluate, log the run and the model, register a version, promote it if it is the best."""
    import mlflow
    import mlflow.sklearn
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(registry_uri)
    mlflow.set_experiment(plan.experiment)
    fitted = fit_and_evaluate(training_frame(spark, plan), plan)
    signature = infer_signature(fitted.example, fitted.pipeline.predict_proba(fitted.example))
    with mlflow.start_run(run_name=f"{plan.use_case}-training", tags={"use_case": plan.use_case, "model": plan.model}) as run:
        mlflow.log_params(_parameters(plan))
        mlflow.log_metrics(fitted.metrics)
        mlflow.log_dict(plan.raw, "training_plan.json")
        info = mlflow.sklearn.log_model(
            fitted.pipeline,
            name=MODEL_ARTIFACT,
            signature=signature,
            input_example=fitted.example,
            registered_model_name=plan.model,
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_SKOPS,
            skops_trusted_types=SKOPS_TRUSTED_TYPES,
            # Pinned from this environment instead of inferred in a subprocess; serving installs the same.
            pip_requirements=mlflow.sklearn.get_default_pip_requirements(include_skops=True),
            pyfunc_predict_fn="predict_proba",
        )
    version = int(info.registered_model_version)
    client = mlflow.MlflowClient()
    best = _champion_score(client, plan)
    champion = best is None or fitted.metrics[CHAMPION_METRIC] > best
    if champion:
        client.set_registered_model_alias(plan.model, plan.champion_alias, version)
    return RegisteredVersion(run_id=run.info.run_id, version=version, metrics=fitted.metrics, champion=champion)
