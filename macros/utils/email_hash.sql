{#- The keyed hash of an email address: SHA-256 of a secret key followed by the trimmed,
    lower-cased address (NULL for a missing one). Without the key a guessed address cannot
    be checked against the hash, as it could against a plain md5. The key comes from env
    DBT_ENV_SECRET_EMAIL_HASH_KEY and reaches the engine outside the SQL text: on DuckDB
    as the variable email_hash_key (set by plugins/email_hash_key.py), on Spark as the
    session setting spark.lifecycle.email_hash_key (profiles.yml). -#}
{% macro email_hash(expression) %}
    {{ return(adapter.dispatch('email_hash', 'customer_lifecycle')(expression)) }}
{% endmacro %}

{% macro default__email_hash(expression) %}
    sha256(getvariable('email_hash_key') || lower({{ clean_text(expression) }}))
{% endmacro %}

{#- Spark substitutes ${spark.*} settings into the SQL text it parses -#}
{% macro spark__email_hash(expression) %}
    sha2(concat('${spark.lifecycle.email_hash_key}', lower({{ clean_text(expression) }})), 256)
{% endmacro %}

{#- SQL true when the engine holds the public development key (the secret env var is
    unset): compares with the public value only, so the secret never enters SQL. -#}
{% macro email_hash_key_is_development() %}
    {{ return(adapter.dispatch('email_hash_key_is_development', 'customer_lifecycle')()) }}
{% endmacro %}

{#- PostgreSQL: the key is the setting lifecycle.email_hash_key, which reaches the
    connection through libpq's PGOPTIONS ('-c lifecycle.email_hash_key=...') or is kept
    by the server (ALTER ROLE ... SET); unset, the development key. -#}
{% macro postgres__email_hash(expression) %}
    encode(sha256(convert_to({{ postgres_email_hash_key() }} || lower({{ clean_text(expression) }}), 'UTF8')), 'hex')
{% endmacro %}

{% macro postgres_email_hash_key() -%}
    coalesce(nullif(current_setting('lifecycle.email_hash_key', true), ''), 'customer-lifecycle-development-key')
{%- endmacro %}

{% macro default__email_hash_key_is_development() %}
    coalesce(getvariable('email_hash_key'), 'customer-lifecycle-development-key') = 'customer-lifecycle-development-key'
{% endmacro %}

{% macro spark__email_hash_key_is_development() %}
    '${spark.lifecycle.email_hash_key}' = 'customer-lifecycle-development-key'
{% endmacro %}

{% macro postgres__email_hash_key_is_development() %}
    {{ postgres_email_hash_key() }} = 'customer-lifecycle-development-key'
{% endmacro %}

{#- A raw table's email column as its keyed hash. File mode: the registration hook's
    view already hashed it (no raw view shows an address), so it passes through.
    Warehouse mode: hashed here. -#}
{% macro raw_email_hash(column) %}
    {%- if var('raw_schema', none) -%}
        {{ email_hash(column) }}
    {%- else -%}
        {{ clean_text(column) }}
    {%- endif -%}
{% endmacro %}

{#- A raw text line with every comma-separated piece that holds an '@' replaced by
    'email_hash=' and the keyed hash of the piece (spaces and double quotes trimmed), so a
    rejected line's text keeps no address. Idempotent: a hashed line has no '@'. -#}
{% macro emails_hashed_in_line(expression) %}
    {{ return(adapter.dispatch('emails_hashed_in_line', 'customer_lifecycle')(expression)) }}
{% endmacro %}

{% macro default__emails_hashed_in_line(expression) %}
    array_to_string(list_transform(string_split(({{ expression }}), ','),
        line_piece -> case when line_piece like '%@%'
            then 'email_hash=' || {{ email_hash("trim(line_piece, ' ' || chr(34))") }}
            else line_piece end), ',')
{% endmacro %}

{% macro spark__emails_hashed_in_line(expression) %}
    array_join(transform(split(({{ expression }}), ','),
        line_piece -> case when line_piece like '%@%'
            then concat('email_hash=', {{ email_hash("regexp_replace(line_piece, '^[ \"]+|[ \"]+$', '')") }})
            else line_piece end), ',')
{% endmacro %}
