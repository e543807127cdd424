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

{% macro default__email_hash_key_is_development() %}
    coalesce(getvariable('email_hash_key'), 'customer-lifecycle-development-key') = 'customer-lifecycle-development-key'
{% endmacro %}

{% macro spark__email_hash_key_is_development() %}
    '${spark.lifecycle.email_hash_key}' = 'customer-lifecycle-development-key'
{% endmacro %}

{#- True when file mode's raw_files views show personal columns only as their keyed hash.
    Not on Spark: a Spark view stores its SQL text after ${...} substitution, which would
    put the key in the metastore (and there the external tables under the views read the
    files as they are anyway; README, Privacy). -#}
{% macro raw_views_hash_pii() %}
    {{ return(adapter.dispatch('raw_views_hash_pii', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__raw_views_hash_pii() %}
    {{ return(true) }}
{% endmacro %}

{% macro spark__raw_views_hash_pii() %}
    {{ return(false) }}
{% endmacro %}

{#- A raw table's email column as its keyed hash. File mode on DuckDB: the registration
    hook already hashed it (the raw_files view never shows an address), so it passes
    through. Warehouse mode, and Spark: hashed here. -#}
{% macro raw_email_hash(column) %}
    {%- if var('raw_schema', none) or not raw_views_hash_pii() -%}
        {{ email_hash(column) }}
    {%- else -%}
        {{ clean_text(column) }}
    {%- endif -%}
{% endmacro %}
