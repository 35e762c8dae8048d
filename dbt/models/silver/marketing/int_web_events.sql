{{ config(materialized='table') }}

{#- Kafka delivers at least once: a producer retry repeats an event at a new offset. The first delivery
    of each event_id is kept. -#}
{{ accepted_deduplicated(
    ref('int_web_events_validated'),
    ['event_id'],
    ['event_id', 'session_id', 'customer_id', 'event_type', 'page_url', 'ip_address', 'event_at', 'kafka_partition', 'kafka_offset', 'ingested_at'],
    order_by='ingested_at, kafka_partition, kafka_offset',
) }}
