"""Unity Catalog grants of the tables the pipelines create: the plan, and the statements that apply it.

A Delta Live Tables pipeline publishes its tables at run time and cannot grant on them, so the table
grants job (apply_table_grants.py) gives every table of the plan exactly its planned grants: what a
principal holds beyond the plan is revoked, what it lacks is granted. The plan is written by the
platform from the definition (``TableGrantsJob``); this module is plain Python (no Spark), unit tested.

Plan (JSON)::

    {"version": 1,
     "tables": [{"table": "<catalog>.<schema>.<table>", "kind": "table" | "view",
                 "grants": [{"principal": "<group>", "privileges": ["SELECT", "APPLY_TAG", ...]}]}]}

Privileges are named as Terraform names them (``APPLY_TAG``); SQL and ``SHOW GRANTS`` spell them with
spaces (``APPLY TAG``). Inherited privileges (granted on the schema or catalog) and ownership are not
the table's own grants and are left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

PLAN_VERSION = 1
KINDS = ("table", "view")
# What Unity Catalog lets be granted on a table or view; anything else in a plan is a mistake.
TABLE_PRIVILEGES = ("ALL_PRIVILEGES", "APPLY_TAG", "MANAGE", "MODIFY", "REFRESH", "SELECT")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_]+$")


class PlanError(ValueError):
    """The plan is not what the platform writes."""


@dataclass(frozen=True)
class PlannedTable:
    """One table of the plan: its name, its kind and every principal's privileges (canonical names)."""

    table: str
    kind: str
    grants: Mapping[str, frozenset[str]]


def canonical_privilege(name: str) -> str:
    """``APPLY TAG``, ``apply_tag`` -> ``APPLY_TAG``: one spelling for comparing plan and catalog."""
    return re.sub(r"[\s_]+", "_", name.strip()).upper()


def sql_privilege(name: str) -> str:
    """``APPLY_TAG`` -> ``APPLY TAG``: the spelling of GRANT and REVOKE."""
    return canonical_privilege(name).replace("_", " ")


def quote_identifier(name: str) -> str:
    """A principal or name part in backticks (group names hold hyphens), backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


def quote_table(table: str) -> str:
    """``catalog.schema.table`` with each part quoted."""
    return ".".join(quote_identifier(part) for part in table.split("."))


def load_plan(text: str) -> list[PlannedTable]:
    """The tables of a plan, checked: version, fully qualified names, kinds and privileges."""
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanError(f"the plan is not JSON: {error}") from error
    if not isinstance(plan, dict) or plan.get("version") != PLAN_VERSION:
        found = plan.get("version") if isinstance(plan, dict) else type(plan).__name__
        raise PlanError(f"plan version {found!r} is not {PLAN_VERSION}, the version this job reads")
    tables = plan.get("tables")
    if not isinstance(tables, list):
        raise PlanError(f"plan tables ({tables!r}) must be a list")
    result: list[PlannedTable] = []
    seen: set[str] = set()
    for index, entry in enumerate(tables):
        where = f"plan tables[{index}]"
        name = entry.get("table") if isinstance(entry, dict) else None
        parts = name.split(".") if isinstance(name, str) else []
        if len(parts) != 3 or not all(_IDENTIFIER.match(part) for part in parts):
            raise PlanError(f"{where}: table {name!r} must be <catalog>.<schema>.<table> of letters, digits and underscores")
        if name in seen:
            raise PlanError(f"{where}: table {name} is planned twice")
        seen.add(name)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise PlanError(f"{where} ({name}): kind {kind!r} must be one of: {', '.join(KINDS)}")
        grants: dict[str, frozenset[str]] = {}
        for grant in entry.get("grants") or []:
            principal = grant.get("principal") if isinstance(grant, dict) else None
            privileges = grant.get("privileges") if isinstance(grant, dict) else None
            if not isinstance(principal, str) or not principal:
                raise PlanError(f"{where} ({name}): a grant has no principal: {grant!r}")
            if not isinstance(privileges, list) or not privileges:
                raise PlanError(f"{where} ({name}): the grant of {principal} has no privileges")
            canonical = frozenset(canonical_privilege(str(privilege)) for privilege in privileges)
            unknown = sorted(canonical - set(TABLE_PRIVILEGES))
            if unknown:
                raise PlanError(f"{where} ({name}): {principal} is given {', '.join(unknown)}; table privileges are: {', '.join(TABLE_PRIVILEGES)}")
            if kind == "view" and "MODIFY" in canonical:
                raise PlanError(f"{where} ({name}): {principal} is given MODIFY on a view, which takes no writes")
            grants[principal] = grants.get(principal, frozenset()) | canonical
        result.append(PlannedTable(table=name, kind=kind, grants=grants))
    return result


def current_grants(rows: Iterable[Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    """The table's own grants from ``SHOW GRANTS ON TABLE`` rows (principal, actionType, objectType).

    Rows of the schema and catalog (inherited) and ownership are left out: they are not the table's grants.
    """
    grants: dict[str, set[str]] = {}
    for row in rows:
        object_type = str(row.get("objectType") or "").upper()
        privilege = canonical_privilege(str(row["actionType"]))
        if object_type != "TABLE" or privilege == "OWN":
            continue
        grants.setdefault(str(row["principal"]), set()).add(privilege)
    return {principal: frozenset(privileges) for principal, privileges in grants.items()}


def grant_statements(table: PlannedTable, current: Mapping[str, frozenset[str]]) -> list[str]:
    """REVOKE what is held beyond the plan, then GRANT what is missing; nothing when they agree."""
    statements: list[str] = []
    target = quote_table(table.table)
    for principal in sorted(current):
        extra = sorted(current[principal] - table.grants.get(principal, frozenset()))
        if extra:
            statements.append(f"REVOKE {', '.join(sql_privilege(p) for p in extra)} ON TABLE {target} FROM {quote_identifier(principal)}")
    for principal in sorted(table.grants):
        missing = sorted(table.grants[principal] - current.get(principal, frozenset()))
        if missing:
            statements.append(f"GRANT {', '.join(sql_privilege(p) for p in missing)} ON TABLE {target} TO {quote_identifier(principal)}")
    return statements
