"""The reference Avro compatibility checker: Apache Avro's own (the `avro` package,
avro.compatibility.ReaderWriterCompatibilityChecker), for `npm run schemas:streams -- --check`, which
runs every reader/writer pair the TypeScript checker (lib/schema-registry) judged through it and fails
when the two disagree.

Reads a JSON list of {"reader": <schema>, "writer": <schema>} on standard input and writes a JSON list
of {"compatible": bool, "incompatibilities": [...], "locations": [...]} (rule names upper case, as the
TypeScript checker names them), or {"error": "..."} for a schema the library refuses to parse.
"""

import json
import sys

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType


def judge(pair: dict) -> dict:
    try:
        reader = avro.schema.parse(json.dumps(pair["reader"]))
        writer = avro.schema.parse(json.dumps(pair["writer"]))
    except avro.errors.AvroException as error:
        return {"error": str(error)}
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return {
        "compatible": result.compatibility is SchemaCompatibilityType.compatible,
        "incompatibilities": sorted({kind.value.upper() for kind in result.incompatibilities}),
        "locations": sorted(result.locations) if result.compatibility is not SchemaCompatibilityType.compatible else [],
    }


def main() -> None:
    pairs = json.load(sys.stdin)
    json.dump([judge(pair) for pair in pairs], sys.stdout)


if __name__ == "__main__":
    main()
