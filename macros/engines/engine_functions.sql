{#- on-run-start hook: the functions an engine lacks, created in the target schema before
    any model runs. Only PostgreSQL needs one: lifecycle_try_cast (safe_cast_to,
    parse_timestamp_utc). Idempotent (create or replace). -#}
{% macro engine_functions() %}
    {{ return(adapter.dispatch('engine_functions', 'customer_lifecycle')()) }}
{% endmacro %}

{% macro default__engine_functions() %}
    {{ return('select 1 as no_engine_functions') }}
{% endmacro %}

{#- The text assigned to the type of `target` (PL/pgSQL converts by the type's input
    function), NULL where that raises. The function's time zone is UTC, so text without
    an offset is read as UTC whatever the session's zone. Parallel unsafe: the
    exception block opens a subtransaction, which a parallel worker cannot. -#}
{% macro postgres__engine_functions() %}
    {%- if not execute %}{{ return('select 1 as no_engine_functions') }}{% endif -%}
    {%- set schema = target.schema -%}
    {% do run_query('create schema if not exists ' ~ adapter.quote(schema)) %}
    {{ return('create or replace function ' ~ adapter.quote(schema) ~ '.lifecycle_try_cast(value text, inout target anyelement)
    language plpgsql immutable parallel unsafe set timezone = \'UTC\' as $lifecycle$
begin
    target := value;
exception when others then
    target := null;
end
$lifecycle$') }}
{% endmacro %}
