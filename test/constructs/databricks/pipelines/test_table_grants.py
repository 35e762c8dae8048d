"""Unit tests of table_grants.py: the plan is checked, and the statements make a table's grants exactly the plan."""

import json
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "constructs" / "databricks" / "pipelines"))

from table_grants import (  # noqa: E402
    PlanError,
    canonical_privilege,
    current_grants,
    grant_statements,
    load_plan,
    sql_privilege,
)

TABLE = "acme_dev.silver.web_events"


def plan(*tables: dict) -> str:
    return json.dumps({"version": 1, "tables": list(tables)})


def entry(grants: dict, table: str = TABLE, kind: str = "table") -> dict:
    return {"table": table, "kind": kind, "grants": [{"principal": p, "privileges": privs} for p, privs in grants.items()]}


def row(principal: str, action: str, object_type: str = "TABLE") -> dict:
    return {"principal": principal, "actionType": action, "objectType": object_type, "objectKey": TABLE}


class PrivilegeNamesTest(unittest.TestCase):
    def test_terraform_and_sql_spellings_compare_equal(self):
        self.assertEqual(canonical_privilege("APPLY TAG"), "APPLY_TAG")
        self.assertEqual(canonical_privilege("apply_tag"), "APPLY_TAG")
        self.assertEqual(sql_privilege("APPLY_TAG"), "APPLY TAG")
        self.assertEqual(sql_privilege("select"), "SELECT")


class LoadPlanTest(unittest.TestCase):
    def test_reads_tables_kinds_and_privileges(self):
        [table] = load_plan(plan(entry({"data-engineering": ["APPLY_TAG", "MODIFY", "SELECT"], "marketing-analytics": ["SELECT"]})))
        self.assertEqual(table.table, TABLE)
        self.assertEqual(table.kind, "table")
        self.assertEqual(table.grants, {"data-engineering": frozenset({"APPLY_TAG", "MODIFY", "SELECT"}), "marketing-analytics": frozenset({"SELECT"})})

    def test_fails_on_another_version(self):
        with self.assertRaisesRegex(PlanError, "plan version 2 is not 1"):
            load_plan(json.dumps({"version": 2, "tables": []}))

    def test_fails_on_a_name_that_is_not_fully_qualified(self):
        with self.assertRaisesRegex(PlanError, r"table 'silver.web_events' must be <catalog>.<schema>.<table>"):
            load_plan(plan(entry({"analysts": ["SELECT"]}, table="silver.web_events")))

    def test_fails_on_a_privilege_tables_do_not_have(self):
        with self.assertRaisesRegex(PlanError, "analysts is given USE_SCHEMA; table privileges are"):
            load_plan(plan(entry({"analysts": ["USE_SCHEMA"]})))

    def test_fails_on_modify_of_a_view(self):
        with self.assertRaisesRegex(PlanError, "MODIFY on a view"):
            load_plan(plan(entry({"data-engineering": ["MODIFY", "SELECT"]}, kind="view")))

    def test_fails_on_a_table_planned_twice(self):
        with self.assertRaisesRegex(PlanError, "planned twice"):
            load_plan(plan(entry({"analysts": ["SELECT"]}), entry({"analysts": ["SELECT"]})))


class CurrentGrantsTest(unittest.TestCase):
    def test_keeps_the_tables_own_grants_only(self):
        rows = [
            row("data-engineering", "SELECT"),
            row("data-engineering", "APPLY TAG"),
            row("data-engineering", "MODIFY", "SCHEMA"),
            row("analysts", "USE SCHEMA", "SCHEMA"),
            row("pipeline-owner", "OWN"),
        ]
        self.assertEqual(current_grants(rows), {"data-engineering": frozenset({"SELECT", "APPLY_TAG"})})


class GrantStatementsTest(unittest.TestCase):
    def test_grants_what_is_missing_on_a_new_table(self):
        [table] = load_plan(plan(entry({"data-engineering": ["APPLY_TAG", "MODIFY", "SELECT"], "marketing-analytics": ["SELECT"]})))
        self.assertEqual(
            grant_statements(table, {}),
            [
                "GRANT APPLY TAG, MODIFY, SELECT ON TABLE `acme_dev`.`silver`.`web_events` TO `data-engineering`",
                "GRANT SELECT ON TABLE `acme_dev`.`silver`.`web_events` TO `marketing-analytics`",
            ],
        )

    def test_revokes_what_is_held_beyond_the_plan(self):
        [table] = load_plan(plan(entry({"marketing-analytics": ["SELECT"]})))
        current = current_grants([row("marketing-analytics", "SELECT"), row("marketing-analytics", "MODIFY"), row("analysts", "SELECT")])
        self.assertEqual(
            grant_statements(table, current),
            [
                "REVOKE SELECT ON TABLE `acme_dev`.`silver`.`web_events` FROM `analysts`",
                "REVOKE MODIFY ON TABLE `acme_dev`.`silver`.`web_events` FROM `marketing-analytics`",
            ],
        )

    def test_changes_nothing_when_the_grants_are_the_plan(self):
        [table] = load_plan(plan(entry({"data-engineering": ["APPLY_TAG", "SELECT"]}, kind="view")))
        current = current_grants([row("data-engineering", "APPLY TAG"), row("data-engineering", "SELECT"), row("owner", "OWN")])
        self.assertEqual(grant_statements(table, current), [])

    def test_quotes_backticks_in_names(self):
        [table] = load_plan(plan(entry({"odd`group": ["SELECT"]})))
        self.assertEqual(grant_statements(table, {}), ["GRANT SELECT ON TABLE `acme_dev`.`silver`.`web_events` TO `odd``group`"])


if __name__ == "__main__":
    unittest.main()
