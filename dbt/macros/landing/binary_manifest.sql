{#-
  The manifest of a binary dataset's files (lib/lake/binary-manifest.ts) on DuckDB: what the Glue ingestion
  job (Spark's binaryFile) and the Databricks bronze tables step (Auto Loader's binaryFile) write to bronze,
  built from the files themselves with DuckDB's read_blob (filename, content, size, last_modified), so that
  the local project has the same landing table without a seed: one row per file, in the manifest's column
  order, then _source, _batch_id and _ingested_at.
    files               a path or glob read_blob takes, e.g. 'sample_data/binary/*'
    max_content_bytes   the dataset's source.maxContentBytes: larger files have no content (content_omitted)
    source_description  what _source records (the landing pattern)
    batch_id            what _batch_id records
  Duplicates are flagged as everywhere: the earliest row of a SHA-256 (by _ingested_at, modified_at, path) is the
  original, the others carry is_duplicate and duplicate_of. DuckDB only (read_blob).
-#}
{% macro binary_manifest(files, max_content_bytes, source_description, batch_id) %}
    with listed as (
        select
            filename as path,
            cast(size as bigint) as size_bytes,
            timezone('UTC', last_modified) as modified_at,
            {{ platform_binary_content_type("lower(regexp_extract(filename, '\\.([^./]+)$', 1))") }} as content_type,
            sha256(content) as content_sha256,
            case when size <= {{ max_content_bytes }} then content end as content,
            size > {{ max_content_bytes }} as content_omitted,
            '{{ source_description }}' as _source,
            '{{ batch_id }}' as _batch_id,
            cast({{ dbt.current_timestamp() }} as timestamp) as _ingested_at
        from read_blob('{{ files }}')
    ),

    judged as (
        select
            *,
            first_value(path) over (partition by content_sha256 order by _ingested_at, modified_at, path) as original_path
        from listed
    )

    select
        path,
        size_bytes,
        modified_at,
        content_type,
        content_sha256,
        content,
        content_omitted,
        original_path <> path as is_duplicate,
        case when original_path <> path then original_path end as duplicate_of,
        _source,
        _batch_id,
        _ingested_at
    from judged
{% endmacro %}
