{{ config(enabled=target.type == 'duckdb', tags=['landing']) }}
-- The local manifest of a binary dataset (macro binary_manifest, DuckDB read_blob) over the committed sample
-- files in sample_data/binary/ (a PNG, a copy of it, a PDF, a text file, an empty file and a file over the
-- 1024-byte limit of the test), held to what the Glue and Databricks steps write for the same files
-- (test/spark/test_binary.py, test/streaming/test_bronze_binary.py): a returned row is a difference.
with manifest as (
    {{ binary_manifest('sample_data/binary/*', 1024, '_landing/incoming/campaign-assets/*', 'sample') }}
),

files as (
    select
        *,
        regexp_extract(path, '[^/]+$') as file_name
    from manifest
),

expected (file_name, size_bytes, content_type, content_sha256, content_omitted) as (
    values
    ('logo.png', 73, 'image/png', '5f421507dc3f0f3d17923dfda8b616892fb96e8649f3ad19dc7f6aa304db3a1e', false),
    ('logo-copy.png', 73, 'image/png', '5f421507dc3f0f3d17923dfda8b616892fb96e8649f3ad19dc7f6aa304db3a1e', false),
    ('brief.pdf', 77, 'application/pdf', '56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26', false),
    ('notes.txt', 30, 'text/plain', '505d2d45ff540d85931eb847075b09cd03dda8c9e40ef60ea33ef9c9ae756da1', false),
    ('empty.txt', 0, 'text/plain', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', false),
    ('video.mp4', 2048, 'video/mp4', '9bd780d60ba04846dbf6db4cf7d4a661cb01c36f54b27e7f8e89c96c010b5dfa', true)
),

differences as (
    select coalesce(e.file_name, f.file_name) as file_name, 'row differs from the expected manifest' as problem
    from expected as e
    full outer join files as f on e.file_name = f.file_name
    where
        e.file_name is null or f.file_name is null
        or f.size_bytes <> e.size_bytes
        or f.content_type <> e.content_type
        or f.content_sha256 <> e.content_sha256
        or f.content_omitted <> e.content_omitted
        -- content: the bytes up to the limit, none above it
        or (f.content is null) <> e.content_omitted
        or (not e.content_omitted and octet_length(f.content) <> e.size_bytes)
    union all
    -- of the two identical PNGs exactly one is the duplicate, pointing at the other; nothing else is
    select file_name, 'duplicate flag wrong' as problem
    from files
    where
        (is_duplicate and (file_name not in ('logo.png', 'logo-copy.png') or regexp_extract(duplicate_of, '[^/]+$') not in ('logo.png', 'logo-copy.png')))
        or (not is_duplicate and duplicate_of is not null)
    union all
    select 'logo*.png' as file_name, 'not exactly one duplicate' as problem
    from files
    where file_name in ('logo.png', 'logo-copy.png')
    having count(*) filter (where is_duplicate) <> 1
)

select * from differences
