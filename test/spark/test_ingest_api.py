"""REST sources through the ingestion core on local Spark and a local HTTP server.

Page and cursor pagination, each with a 429 (Retry-After) and a 503 on the way that the ingestion
retries; every record lands exactly once (in bronze, or in the quarantine with its reason).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from local_platform import LocalPlatform, arguments, gi, local_options, read_bronze, read_quarantine, run_at

COLUMNS = [
    {"name": "campaign_id", "type": "bigint", "nullable": False},
    {"name": "name", "type": "string", "nullable": True},
    {"name": "budget", "type": "decimal(18,2)", "nullable": True},
    {"name": "starts_on", "type": "date", "nullable": True},
]


def records(count: int) -> list[dict]:
    rows = [{"campaign_id": i, "name": f"Campaign {i}", "budget": f"{i}.25", "starts_on": "2026-12-01"} for i in range(1, count + 1)]
    if count >= 10:
        rows[9]["budget"] = "a lot"  # campaign 10: quarantined, whole, with its reason
    return rows


def api_options(root: Path, base_url: str, pagination: str) -> gi.Options:
    argv = arguments(
        f"campaigns_{pagination}",
        "api",
        "json",
        COLUMNS,
        ["campaign_id"],
        domain="marketing",
        base_url=base_url,
        api_path=f"/v1/{pagination}",
        pagination=pagination,
        api_auth_name="marketing/automation-api",
        source_description=f"{base_url}/v1/{pagination}",
    )
    return local_options(root, argv)


@pytest.mark.parametrize(("pagination", "count", "pages"), [("page", 1234, 4), ("cursor", 600, 3)])
def test_every_record_lands_once_through_pagination_and_retries(spark, rest_api, tmp_path: Path, pagination: str, count: int, pages: int) -> None:
    rest_api.serve(records(count), failures=[(429, "1"), (503, None)])
    options = api_options(tmp_path, rest_api.base_url, pagination)
    platform = LocalPlatform(tmp_path / "state", secrets={"marketing/automation-api": {"token": "local-test-token"}})

    result = gi.ingest(spark, options, platform, run_at("run-1"))

    # The first request was throttled, then failed, then answered; every page once after that.
    assert [status for _path, status in rest_api.answered] == [429, 503] + [200] * pages
    assert rest_api.authorizations == ["Bearer local-test-token"] * (pages + 2)
    assert (result.read, result.landed, result.quarantined) == (count, count - 1, 1)
    bronze = read_bronze(spark, options)
    ids = [row["campaign_id"] for row in bronze.select("campaign_id").collect()]
    assert len(ids) == len(set(ids)) == count - 1
    assert set(ids) == set(range(1, count + 1)) - {10}
    first = bronze.where("campaign_id = 1").first()
    assert (first["name"], Decimal(str(first["budget"])), str(first["starts_on"])) == ("Campaign 1", Decimal("1.25"), "2026-12-01")
    assert first["_source"] == f"{rest_api.base_url}/v1/{pagination}"
    assert first["_batch_id"] == "run-1"
    quarantine = read_quarantine(spark, options).collect()
    assert [(q["reason"], '"campaign_id":10' in q["record"]) for q in quarantine] == [("budget: not a decimal(18,2)", True)]


def test_gives_up_after_the_last_attempt_naming_the_url(spark, rest_api, tmp_path: Path) -> None:
    rest_api.serve(records(5), failures=[(503, "0")] * gi.API_ATTEMPTS)
    options = api_options(tmp_path, rest_api.base_url, "cursor")
    platform = LocalPlatform(tmp_path / "state", secrets={"marketing/automation-api": {"token": "t"}})
    with pytest.raises(gi.IngestionError, match=r"^dataset campaigns_cursor: GET http://127\.0\.0\.1:\d+/v1/cursor failed with HTTP 503$"):
        gi.ingest(spark, options, platform, run_at("run-1"))
    assert len(rest_api.answered) == gi.API_ATTEMPTS
