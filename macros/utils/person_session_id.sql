{#- A session's id: a hash of the person and the session's key within the person (the
    tracker's session id, 'derived-<n>' for an inactivity session, an order's event id for
    an order in no session). The one place a session id is formed. -#}
{% macro person_session_id(person_column, session_key) -%}
    {{ dbt.hash(dbt.concat(['(' ~ person_column ~ ')', "'|'", '(' ~ session_key ~ ')'])) }}
{%- endmacro %}
