-- One row per fitted CLV model parameter: the fit of int_clv_model_fit as published to BI
-- tools (refitted with it, weekly; the daily job scores customers with the latest fit).
select * from {{ ref('int_clv_model_fit') }}
