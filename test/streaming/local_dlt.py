"""The Databricks stream pipeline (constructs/databricks/pipelines/stream_medallion.py) run on local Spark,
Delta Lake and the local Kafka broker.

Why not Spark Declarative Pipelines: PySpark 4.1's `pyspark.pipelines` (the open-source core of the same
API) declares tables, materialized views, views and append flows, but has no expectations and no AUTO
CDC flow, and runs only through Spark Connect and the `spark-pipelines` CLI. The pipeline needs both, so
this runner keeps the Databricks module as it is and runs the graph it declares:

* `LocalPipeline.load` imports the module unchanged, with a `dlt` module of this runner's, the pipeline
  configuration (`platform.*`) set on the session, `spark` and a `dbutils` whose secrets are test values.
* Reads of pipeline datasets (`spark.read.table`, `spark.readStream.table`) go through the runner, which
  materializes what a dataset reads before the dataset itself: the graph runs in dependency order
  whatever order the module declares it in, and a cycle is an error naming the datasets.
* A table whose query is a stream is a Structured Streaming query into a Delta table (an `availableNow`
  trigger: everything the sources hold now, then stop; checkpoints under the pipeline's storage folder,
  so the next `run` goes on where this one stopped). A table whose query is a batch is a materialized
  view, recomputed and replaced (one Delta commit) on every run. A view is its query, inlined into its
  readers, as in Delta Live Tables.
* Each `run` is one pipeline update with an id of its own (a random UUID, as Databricks gives each
  update), set on the session as `spark.pipelines.updateId`, the key the Databricks runtime sets, and
  kept in `LocalPipeline.update_id`.
* `create_auto_cdc_flow` is a stream of the source view into `foreachBatch`, which applies each
  micro-batch with Delta `MERGE`: the change events are kept (once per key and sequence) in
  `__apply_changes_storage_<table>`, as Databricks keeps its tombstones, and the target is recomputed for
  the keys the micro-batch touched. SCD type 1: the latest change of each key by `sequence_by` wins,
  a delete removes the key (and an older change arriving after it does not bring the key back). SCD type
  2: each change is a version from `__START_AT` (its sequence) to `__END_AT` (the next change's, null
  for the current one); a delete closes the current version.
* Kafka: the module builds Event Hubs options (SASL_SSL, OAUTHBEARER, credentials from the secret scope);
  the local broker speaks PLAINTEXT, so `local_kafka_options` keeps every option the module sets except
  the endpoint and the authentication, and refuses a topic the broker does not have with an error naming
  it (Spark's Kafka source fails too, but with UnknownTopicOrPartitionException, which names no topic).

Fidelity limits (what Databricks does that this runner does not):
* expectations are recorded (`LocalPipeline.expectations`) but not counted into an event log; the module
  declares them as warnings and routes failing rows itself (`_failed_rules`), which does run here;
* the change-event store keeps every event (Databricks drops tombstones after
  `pipelines.cdc.tombstoneGCThresholdInSeconds`); two different events of one key with the same sequence
  are applied as one, either of them; `track_history_column_list` and `ignore_null_updates` are not
  supported (a flow that sets them fails);
* no Unity Catalog: tables are Delta tables of the session catalog (`spark_catalog`, the catalog the
  configuration must name), comments and grants are not kept, table properties are;
* no continuous mode, no autoscaling, one update at a time, and `spark.conf` is the session's.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

ROOT = Path(__file__).resolve().parents[2]
PIPELINE_FOLDER = ROOT / "constructs" / "databricks" / "pipelines"
LOCAL_CATALOG = "spark_catalog"
SCD_HISTORY_COLUMNS = ("__START_AT", "__END_AT")
# Options of the module's Kafka source that only the Event Hubs endpoint needs.
EVENT_HUBS_ONLY = ("kafka.bootstrap.servers", "kafka.security.protocol")
SEQUENCE, DELETED = "__sequence", "__deleted"
# The key under which the Databricks runtime gives the pipeline code the id of the running update.
UPDATE_ID_KEY = "spark.pipelines.updateId"


class LocalPipelineError(Exception):
    """The pipeline cannot run locally as declared; the message names the dataset."""


@dataclass
class Dataset:
    """A table, streaming table or view the module declares."""

    name: str
    kind: str  # "table" (query decides streaming table or materialized view), "streaming_table" (flows write it), "view"
    query: Callable[[], Any] | None
    table_properties: Mapping[str, str] = field(default_factory=dict)
    expectations: Mapping[str, str] = field(default_factory=dict)


@dataclass
class AutoCdcFlow:
    target: str
    source: str
    keys: list[str]
    sequence_by: Any
    apply_as_deletes: Any
    except_column_list: list[str]
    stored_as_scd_type: int


def _column(value: Any, as_expression: bool) -> Any:
    from pyspark.sql import functions as F  # noqa: N812 (Spark convention)

    if isinstance(value, str):
        return F.expr(value) if as_expression else F.col(value)
    return value


class LocalPipeline:
    """The graph one module declares, and its local runs."""

    def __init__(self, spark: Any, storage: Path, query_timeout_seconds: float = 180) -> None:
        self.spark = spark
        self.storage = storage
        self.query_timeout_seconds = query_timeout_seconds
        self.datasets: dict[str, Dataset] = {}
        self.flows: list[AutoCdcFlow] = []
        self._state: dict[str, str] = {}
        self.order: list[str] = []
        # The id of the current (or last) update; None before the first run.
        self.update_id: str | None = None

    # -----------------------------------------------------------------------------------------
    # Declaring: the `dlt` module the pipeline imports

    def dlt_module(self) -> types.ModuleType:
        module = types.ModuleType("dlt", "Delta Live Tables declarations, recorded by test/streaming/local_dlt.py")

        def table(name: str, comment: str = "", table_properties: Mapping[str, str] | None = None, **unsupported: Any) -> Callable:
            return self._declaring(name, "table", table_properties, unsupported)

        def view(name: str, comment: str = "", **unsupported: Any) -> Callable:
            return self._declaring(name, "view", None, unsupported)

        def expect_all(expectations: Mapping[str, str]) -> Callable:
            def attach(function: Callable) -> Callable:
                function.__dict__.setdefault("_expectations", {}).update(expectations)
                return function

            return attach

        def expect(name: str, constraint: str) -> Callable:
            return expect_all({name: constraint})

        def create_streaming_table(name: str, comment: str = "", table_properties: Mapping[str, str] | None = None, **unsupported: Any) -> None:
            self._refuse(name, "create_streaming_table", unsupported)
            self._declare(Dataset(name, "streaming_table", None, dict(table_properties or {})))

        def create_auto_cdc_flow(
            target: str,
            source: str,
            keys: list[str],
            sequence_by: Any,
            apply_as_deletes: Any = None,
            except_column_list: list[str] | None = None,
            stored_as_scd_type: int | str = 1,
            **unsupported: Any,
        ) -> None:
            self._refuse(target, "create_auto_cdc_flow", unsupported)
            if target not in self.datasets or self.datasets[target].kind != "streaming_table":
                raise LocalPipelineError(f"create_auto_cdc_flow: target {target} is not declared with create_streaming_table before the flow")
            if int(stored_as_scd_type) not in (1, 2):
                raise LocalPipelineError(f"create_auto_cdc_flow into {target}: stored_as_scd_type is {stored_as_scd_type!r}; allowed: 1, 2")
            self.flows.append(
                AutoCdcFlow(target, source, list(keys), sequence_by, apply_as_deletes, list(except_column_list or []), int(stored_as_scd_type))
            )

        module.table = table
        module.view = view
        module.expect_all = expect_all
        module.expect = expect
        module.create_streaming_table = create_streaming_table
        module.create_auto_cdc_flow = create_auto_cdc_flow
        module.apply_changes = create_auto_cdc_flow  # the API's former name
        return module

    def _refuse(self, name: str, what: str, unsupported: Mapping[str, Any]) -> None:
        if unsupported:
            raise LocalPipelineError(f"{what} {name}: {', '.join(sorted(unsupported))} not supported by the local runner (test/streaming/local_dlt.py)")

    def _declaring(self, name: str, kind: str, properties: Mapping[str, str] | None, unsupported: Mapping[str, Any]) -> Callable:
        self._refuse(name, kind, unsupported)

        def register(function: Callable) -> Callable:
            self._declare(Dataset(name, kind, function, dict(properties or {}), dict(function.__dict__.get("_expectations", {}))))
            return function

        return register

    def _declare(self, dataset: Dataset) -> None:
        if dataset.name in self.datasets:
            raise LocalPipelineError(f"dataset {dataset.name} is declared twice")
        self.datasets[dataset.name] = dataset

    @property
    def expectations(self) -> dict[str, Mapping[str, str]]:
        """The expectations of each dataset that declares some, by rule name."""
        return {name: dataset.expectations for name, dataset in self.datasets.items() if dataset.expectations}

    # -----------------------------------------------------------------------------------------
    # Loading the module

    def load(self, source: Path, configuration: Mapping[str, str], secrets: Mapping[tuple[str, str], str], kafka: Callable[[dict], dict]) -> types.ModuleType:
        """Imports the pipeline module with this runner's `dlt`, `spark` and `dbutils`; `kafka` adapts the
        Kafka source options the module builds to the broker the run reads."""
        for key, value in configuration.items():
            self.spark.conf.set(key, value)
        spec = importlib.util.spec_from_file_location(source.stem, source)
        module = importlib.util.module_from_spec(spec)
        module.spark = PipelineSpark(self.spark, self)
        module.dbutils = LocalDbutils(secrets)
        saved = {name: sys.modules.get(name) for name in ("dlt",)}
        sys.modules["dlt"] = self.dlt_module()
        if str(source.parent) not in sys.path:
            sys.path.insert(0, str(source.parent))
        try:
            spec.loader.exec_module(module)
        finally:
            for name, previous in saved.items():
                if previous is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = previous
        event_hubs_options = module.kafka_options
        module.kafka_options = lambda topic: kafka(event_hubs_options(topic))
        return module

    # -----------------------------------------------------------------------------------------
    # Running

    def run(self) -> list[str]:
        """One update: every table and streaming table, each after what it reads. Returns the order."""
        self._state, self.order = {}, []
        self.update_id = str(uuid.uuid4())
        self.spark.conf.set(UPDATE_ID_KEY, self.update_id)
        for name, dataset in self.datasets.items():
            if dataset.kind != "view":
                self.materialize(name)
        return self.order

    def read(self, name: str, streaming: bool) -> Any:
        """A pipeline dataset as its reader sees it, materialized first; any other table as Spark reads it."""
        dataset = self.datasets.get(name)
        if dataset is None:
            return (self.spark.readStream if streaming else self.spark.read).table(name)
        if dataset.kind == "view":
            frame = self._query(dataset)
            if frame.isStreaming != streaming:
                raise LocalPipelineError(f"view {name} is a {'stream' if frame.isStreaming else 'batch'} and is read as a {'stream' if streaming else 'batch'}")
            return frame
        self.materialize(name)
        return (self.spark.readStream if streaming else self.spark.read).table(name)

    def materialize(self, name: str) -> None:
        state = self._state.get(name)
        if state == "done":
            return
        if state == "running":
            running = [other for other, value in self._state.items() if value == "running"]
            raise LocalPipelineError(f"datasets {' -> '.join(running)} -> {name} read each other in a cycle")
        self._state[name] = "running"
        dataset = self.datasets[name]
        self._create_schema(name)
        if dataset.kind == "streaming_table":
            flows = [flow for flow in self.flows if flow.target == name]
            if not flows:
                raise LocalPipelineError(f"streaming table {name} has no flow writing it")
            for flow in flows:
                self._run_auto_cdc(flow, dataset)
        else:
            frame = self._query(dataset)
            if frame.isStreaming:
                self._ensure_table(name, frame.schema, dataset.table_properties)
                query = frame.writeStream.format("delta").option("checkpointLocation", self._checkpoint(name)).trigger(availableNow=True).toTable(name)
                self._await(name, query)
            else:
                frame.write.format("delta").mode("overwrite").option("overwriteSchema", "true").saveAsTable(name)
                self._set_properties(name, dataset.table_properties)
        self._state[name] = "done"
        self.order.append(name)

    def _query(self, dataset: Dataset) -> Any:
        try:
            return dataset.query()
        except LocalPipelineError:
            raise
        except Exception as error:
            raise LocalPipelineError(f"the query of {dataset.name} failed: {error}") from error

    def _await(self, name: str, query: Any) -> None:
        from pyspark.errors import StreamingQueryException

        try:
            finished = query.awaitTermination(self.query_timeout_seconds)
        except StreamingQueryException as error:
            raise LocalPipelineError(f"the flow into {name} failed: {error}") from error
        if not finished:
            query.stop()
            raise LocalPipelineError(f"the flow into {name} did not finish within {self.query_timeout_seconds} s")

    def _checkpoint(self, name: str) -> str:
        return str(self.storage / "checkpoints" / name)

    def _create_schema(self, name: str) -> None:
        parts = name.split(".")
        if len(parts) != 3 or parts[0] != LOCAL_CATALOG:
            raise LocalPipelineError(f"table {name}: the local run keeps tables in {LOCAL_CATALOG}.<schema>.<table>; set platform.catalog to {LOCAL_CATALOG}")
        self.spark.sql(f"CREATE SCHEMA IF NOT EXISTS {parts[0]}.`{parts[1]}`")

    def _ensure_table(self, name: str, schema: Any, properties: Mapping[str, str]) -> None:
        from delta.tables import DeltaTable

        # The builder takes <schema>.<table>: the session catalog's names.
        builder = DeltaTable.createIfNotExists(self.spark).tableName(name.split(".", 1)[1]).addColumns(schema)
        for key, value in properties.items():
            builder = builder.property(key, value)
        builder.execute()

    def _set_properties(self, name: str, properties: Mapping[str, str]) -> None:
        if properties:
            listed = ", ".join(f"'{key}' = '{value}'" for key, value in properties.items())
            self.spark.sql(f"ALTER TABLE {name} SET TBLPROPERTIES ({listed})")

    # -----------------------------------------------------------------------------------------
    # AUTO CDC

    def _run_auto_cdc(self, flow: AutoCdcFlow, target: Dataset) -> None:
        from pyspark.sql import functions as F  # noqa: N812
        from pyspark.sql.types import StructField, StructType

        source = self.read(flow.source, streaming=True)
        missing = [column for column in [*flow.keys, *flow.except_column_list] if column not in source.columns]
        if missing:
            raise LocalPipelineError(f"AUTO CDC flow {flow.source} -> {flow.target}: the source has no column {', '.join(missing)}; it has {', '.join(source.columns)}")
        events = (
            source.withColumn(SEQUENCE, _column(flow.sequence_by, as_expression=False))
            .withColumn(DELETED, F.coalesce(_column(flow.apply_as_deletes, as_expression=True), F.lit(False)) if flow.apply_as_deletes is not None else F.lit(False))
            .drop(*flow.except_column_list)
        )
        columns = [column for column in events.columns if column not in (SEQUENCE, DELETED)]
        sequence_type = events.schema[SEQUENCE].dataType
        storage = self._storage_table(flow.target)
        self._ensure_table(storage, events.schema, {})
        target_schema = StructType([events.schema[column] for column in columns])
        if flow.stored_as_scd_type == 2:
            target_schema = StructType([*target_schema.fields, *(StructField(name, sequence_type, True) for name in SCD_HISTORY_COLUMNS)])
        self._ensure_table(flow.target, target_schema, target.table_properties)

        def apply(batch: Any, batch_id: int) -> None:
            apply_changes(batch.sparkSession, batch, flow, storage, columns)

        query = events.writeStream.foreachBatch(apply).option("checkpointLocation", self._checkpoint(flow.target)).trigger(availableNow=True).start()
        self._await(flow.target, query)

    @staticmethod
    def _storage_table(target: str) -> str:
        catalog, schema, table = target.split(".")
        return f"{catalog}.{schema}.__apply_changes_storage_{table}"


def _keys_match(keys: list[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.`{key}` <=> {right}.`{key}`" for key in keys)


def apply_changes(spark: Any, batch: Any, flow: AutoCdcFlow, storage: str, columns: list[str]) -> None:
    """Applies one micro-batch of change events to the flow's target (see the module docstring).

    Idempotent: a replayed micro-batch finds its events already stored and recomputes the same rows."""
    from delta.tables import DeltaTable
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    events = batch.dropDuplicates([*flow.keys, SEQUENCE])
    (
        DeltaTable.forName(spark, storage)
        .alias("t")
        .merge(events.alias("s"), f"{_keys_match(flow.keys, 't', 's')} AND t.{SEQUENCE} = s.{SEQUENCE}")
        .whenNotMatchedInsertAll()
        .execute()
    )
    touched = events.select(*flow.keys).distinct()
    history = spark.read.table(storage).join(touched, flow.keys, "left_semi")
    by_key = Window.partitionBy(*[F.col(f"`{key}`") for key in flow.keys])
    target = DeltaTable.forName(spark, flow.target).alias("t")
    if flow.stored_as_scd_type == 1:
        latest = history.withColumn("__rank", F.row_number().over(by_key.orderBy(F.col(SEQUENCE).desc()))).where("__rank = 1")
        values = {f"`{column}`": f"s.`{column}`" for column in columns}
        (
            target.merge(latest.alias("s"), _keys_match(flow.keys, "t", "s"))
            .whenMatchedDelete(condition=f"s.{DELETED}")
            .whenMatchedUpdate(set=values)
            .whenNotMatchedInsert(condition=f"NOT s.{DELETED}", values=values)
            .execute()
        )
        return
    versions = (
        history.withColumn("__END_AT", F.lead(SEQUENCE).over(by_key.orderBy(SEQUENCE)))
        .where(~F.col(DELETED))
        .withColumn("__START_AT", F.col(SEQUENCE))
    )
    values = {f"`{column}`": f"s.`{column}`" for column in [*columns, *SCD_HISTORY_COLUMNS]}
    (
        target.merge(versions.alias("s"), f"{_keys_match(flow.keys, 't', 's')} AND t.__START_AT = s.__START_AT")
        .whenMatchedUpdate(set=values)
        .whenNotMatchedInsert(values=values)
        .execute()
    )


class _PipelineReader:
    """`spark.read` / `spark.readStream` of the module: tables of the pipeline through the runner."""

    def __init__(self, reader: Any, pipeline: LocalPipeline, streaming: bool) -> None:
        self._reader, self._pipeline, self._streaming = reader, pipeline, streaming

    def table(self, name: str) -> Any:
        return self._pipeline.read(name, self._streaming)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class PipelineSpark:
    """The `spark` the module sees: the session, with reads of pipeline datasets resolved by the runner."""

    def __init__(self, spark: Any, pipeline: LocalPipeline) -> None:
        self._spark, self._pipeline = spark, pipeline

    @property
    def read(self) -> _PipelineReader:
        return _PipelineReader(self._spark.read, self._pipeline, streaming=False)

    @property
    def readStream(self) -> _PipelineReader:  # noqa: N802 (Spark's name)
        return _PipelineReader(self._spark.readStream, self._pipeline, streaming=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spark, name)


class LocalDbutils:
    """`dbutils` with the one thing the pipeline uses: secrets, from a dict of (scope, key) -> value."""

    def __init__(self, secrets: Mapping[tuple[str, str], str]) -> None:
        store = dict(secrets)

        class Secrets:
            @staticmethod
            def get(scope: str, key: str) -> str:
                if (scope, key) not in store:
                    raise LocalPipelineError(f"secret {key} is not in scope {scope}")
                return store[(scope, key)]

        self.secrets = Secrets()


def local_kafka_options(spark: Any, bootstrap_servers: str) -> Callable[[dict], dict]:
    """Adapts the module's Event Hubs options to a PLAINTEXT broker: the same source options (topic, starting
    offsets, consumer group, failOnDataLoss, maxOffsetsPerTrigger), this broker, no SASL; a topic the broker
    does not have is an error naming it."""
    import glue_stream

    def adapt(options: dict) -> dict:
        topic = options["subscribe"]
        with glue_stream.admin_client(spark, {"bootstrap.servers": bootstrap_servers}) as admin:
            topics = sorted(admin.listTopics().names().get())
        if topic not in topics:
            raise LocalPipelineError(f'topic "{topic}" does not exist on the Kafka broker {bootstrap_servers}; it has: {", ".join(topics) or "no topics"}')
        kept = {key: value for key, value in options.items() if key not in EVENT_HUBS_ONLY and not key.startswith("kafka.sasl.")}
        return {**kept, "kafka.bootstrap.servers": bootstrap_servers}

    return adapt
