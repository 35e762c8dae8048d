"""The pure part of the stream pipeline: what the platform definition says about a stream dataset,
turned into Spark inputs (schemas, quality predicates, Kafka options). No Spark import, so it is unit
tested without a cluster (test/constructs/databricks/pipelines/test_stream_rules.py)."""

import json

# Definition column types -> Avro types (JSON and Avro payloads share the definition's columns).
AVRO_TYPES = {
    "string": "string",
    "int": "int",
    "bigint": "long",
    "double": "double",
    "boolean": "boolean",
    "date": {"type": "int", "logicalType": "date"},
    "timestamp": {"type": "long", "logicalType": "timestamp-micros"},
}

# A change event carries its operation and the commit order of the change in the source beside the
# dataset's columns, named as in the bronze CDC layout (lib/lake/layout.ts bronzeMetadataColumns).
CHANGE_OPERATION = "_op"
CHANGE_SEQUENCE = "_change_seq"
CHANGE_OPERATIONS = ("insert", "update", "delete")
DELETE = "delete"
SCD_TYPES = (1, 2)

KAFKA_LOGIN_MODULE = "kafkashaded.org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
KAFKA_CALLBACK_HANDLER = "kafkashaded.org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler"


def change_data(dataset: dict) -> dict | None:
    """The dataset's change-data settings (``{"scdType": 1 | 2}``) when its messages are change events, else None."""
    cdc = dataset.get("cdc")
    if cdc is None:
        return None
    if cdc.get("scdType") not in SCD_TYPES:
        raise ValueError(f"dataset {dataset['name']}: cdc.scdType is {cdc.get('scdType')!r}; allowed: {', '.join(map(str, SCD_TYPES))}")
    return cdc


def change_columns(dataset: dict) -> list:
    """The fields a change event carries beyond the dataset's columns (none for a dataset without CDC)."""
    if change_data(dataset) is None:
        return []
    return [{"name": CHANGE_OPERATION, "type": "string", "nullable": True}, {"name": CHANGE_SEQUENCE, "type": "bigint", "nullable": True}]


def message_columns(dataset: dict) -> list:
    """The fields of a message: the dataset's columns, then the change fields of a CDC dataset."""
    return [*dataset["columns"], *change_columns(dataset)]


def ddl_schema(columns: list) -> str:
    """`name type, ...` for from_json, with every name quoted."""
    return ", ".join(f"`{column['name']}` {column['type']}" for column in columns)


def avro_schema(dataset: dict) -> str:
    """The Avro schema an Avro stream's messages are written with (plain Avro, no framing): the registered
    version the pipeline configuration carries (`messageSchema`, the latest in the schema registry), or
    without one the record of the dataset's columns (a nullable column is a union with null).

    Every field of a change event is nullable: a delete carries its key alone, and the quality rules
    check the rest of an insert or update (as the AWS streaming job's message schema does for CDC)."""
    if dataset.get("messageSchema"):
        return dataset["messageSchema"]
    fields = []
    optional = change_data(dataset) is not None
    for column in message_columns(dataset):
        kind = column["type"]
        if kind.startswith("decimal("):
            precision, scale = (int(part) for part in kind[len("decimal("):-1].split(","))
            avro = {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}
        else:
            avro = AVRO_TYPES[kind]
        fields.append({"name": column["name"], "type": ["null", avro] if column["nullable"] or optional else avro})
    return json.dumps({"type": "record", "name": dataset["name"], "fields": fields})


def sql_literal(value) -> str:
    """A SQL literal: numbers as they are, anything else as a quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def quality_rules(dataset: dict) -> dict:
    """Row-level rules of the dataset as SQL predicates, by rule name.

    Every record must decode, keys and non-nullable columns must be present, and the definition's
    not_null, accepted_values and range rules hold (like dbt's tests, a null passes accepted_values and
    range; not_null says whether it may be null). `unique` is enforced by deduplicating on the keys in
    silver; `row_count` is about loads, which a stream does not have.

    A change event must name a known operation and carry its sequence; a delete may carry nothing but its
    key, so the rules about the other columns hold for inserts and updates only.
    """
    rules = {"payload_decodes": "_payload IS NOT NULL"}
    for key in dataset["keys"]:
        rules[f"key_{key}_present"] = f"`{key}` IS NOT NULL"
    envelope = {}
    if change_data(dataset) is not None:
        operations = ", ".join(sql_literal(operation) for operation in CHANGE_OPERATIONS)
        envelope = {
            "change_operation_known": f"`{CHANGE_OPERATION}` IN ({operations})",
            "change_sequence_present": f"`{CHANGE_SEQUENCE}` IS NOT NULL",
        }
    content = _content_rules(dataset)
    if envelope:
        content = {name: f"`{CHANGE_OPERATION}` = {sql_literal(DELETE)} OR ({predicate})" for name, predicate in content.items()}
    return {**rules, **envelope, **content}


def _content_rules(dataset: dict) -> dict:
    """The rules about a record's non-key columns (the definition's and its not-nullable columns)."""
    rules = {}
    for column in dataset["columns"]:
        if not column["nullable"] and column["name"] not in dataset["keys"]:
            rules[f"{column['name']}_not_null"] = f"`{column['name']}` IS NOT NULL"
    for rule in dataset["quality"]:
        kind = rule["rule"]
        if kind == "not_null":
            rules[f"{rule['column']}_not_null"] = f"`{rule['column']}` IS NOT NULL"
        elif kind == "accepted_values":
            values = ", ".join(sql_literal(value) for value in rule["values"])
            rules[f"{rule['column']}_accepted_values"] = f"`{rule['column']}` IS NULL OR `{rule['column']}` IN ({values})"
        elif kind == "range":
            bounds = []
            if rule.get("min") is not None:
                bounds.append(f"`{rule['column']}` >= {sql_literal(rule['min'])}")
            if rule.get("max") is not None:
                bounds.append(f"`{rule['column']}` <= {sql_literal(rule['max'])}")
            rules[f"{rule['column']}_in_range"] = f"`{rule['column']}` IS NULL OR ({' AND '.join(bounds)})"
    return rules


def event_time_column(dataset: dict) -> str:
    """The first timestamp column of the dataset, or the broker timestamp when it has none."""
    return next((column["name"] for column in dataset["columns"] if column["type"] == "timestamp"), "_kafka_timestamp")


def kafka_source_options(
    *, topic: str, namespace_host: str, token_endpoint: str, client_id: str, client_secret: str, consumer_group: str, max_offsets_per_trigger: str
) -> dict:
    """Spark Kafka source options for one topic on the Event Hubs Kafka endpoint, with Entra ID (OAuth)."""
    jaas = (
        f"{KAFKA_LOGIN_MODULE} required "
        f'clientId="{client_id}" clientSecret="{client_secret}" '
        f'scope="https://{namespace_host}/.default" ssl.protocol="SSL";'
    )
    return {
        "kafka.bootstrap.servers": f"{namespace_host}:9093",
        "subscribe": topic,
        "startingOffsets": "earliest",
        "kafka.group.id": consumer_group,
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "OAUTHBEARER",
        "kafka.sasl.jaas.config": jaas,
        "kafka.sasl.oauthbearer.token.endpoint.url": token_endpoint,
        "kafka.sasl.login.callback.handler.class": KAFKA_CALLBACK_HANDLER,
        # Losing data (retention expired before it was read) must stop the pipeline, not pass unseen.
        "failOnDataLoss": "true",
        "maxOffsetsPerTrigger": max_offsets_per_trigger,
    }
