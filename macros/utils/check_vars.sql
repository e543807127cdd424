{#- on-run-start hook: validates the vars whose bad value would otherwise surface late
    (as one failing model, after its unit tests passed with their pinned values), so the
    whole invocation stops at once with an error naming the var; and warns, once per
    invocation, when email hashes use the public development key. -#}
{% macro check_vars() %}
    {%- if execute -%}
        {%- do date_var('as_of_date') -%}
        {%- do date_var('clv_calibration_end_date') -%}
        {%- do clv_transaction_model() -%}
        {%- do retention_breakdowns() -%}
        {%- if run_query('select ' ~ email_hash_key_is_development()).columns[0].values()[0] -%}
            {%- do exceptions.warn("DBT_ENV_SECRET_EMAIL_HASH_KEY is not set: email hashes use the public "
                ~ "development key, which anyone can use to test guessed addresses. Set a secret "
                ~ "of your own in production (README, Privacy).") -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('select 1 as vars_checked') }}
{% endmacro %}
