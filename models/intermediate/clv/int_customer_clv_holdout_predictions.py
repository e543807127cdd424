"""One row per customer of int_customer_clv_holdout_inputs and transaction model
(BG/NBD, Pareto/NBD): what the model fitted on the calibration period (the `calibration`
fits of int_clv_model_fit) forecasts for the holdout period. No rows without a holdout.

- p_alive: P(alive) at the calibration end.
- predicted_holdout_purchases: expected purchase days in the holdout, given the
  customer's calibration history (the conditional expectation).
- predicted_repeat_purchases_to_holdout_end: expected repeat purchase days from the
  first purchase to the holdout end, for a customer with no history yet (the
  unconditional E[X(t)]). Its sum is the cumulative forecast the BG/NBD paper compares
  with the actual repeat purchases.
"""
import numpy as np
import pandas as pd

import btyd

COLUMNS = ["customer_id", "model_name", "p_alive", "predicted_holdout_purchases",
           "predicted_repeat_purchases_to_holdout_end"]


def model(dbt, session):
    dbt.config(materialized="table")
    # a fixed row order: floating-point sums, and so the digits, depend on it
    inputs = dbt.ref("int_customer_clv_holdout_inputs").df().sort_values("customer_id", kind="mergesort")
    inputs = inputs.reset_index(drop=True)
    parameters = btyd.fitted_parameters(dbt.ref("int_clv_model_fit").df(), "calibration")
    if len(inputs):
        holdout = inputs["holdout_time_units"].to_numpy(dtype=float)
        if holdout.min() <= 0:
            raise ValueError(f"clv_calibration_end_date ({inputs['calibration_end_date'].iloc[0]}) must be before "
                             f"the as-of date ({inputs['holdout_end_date'].iloc[0]}): the holdout period is empty")

    x = inputs["repeat_purchase_count"].to_numpy(dtype=float)
    t_x = inputs["recency_time_units"].to_numpy(dtype=float)
    T = inputs["age_time_units"].to_numpy(dtype=float)
    zeros = np.zeros(len(inputs))
    frames = []
    for model_name in btyd.TRANSACTION_MODELS:
        params = parameters.get(model_name)
        if params is None or not len(inputs):
            continue
        expected = btyd.EXPECTED_PURCHASES[model_name]
        frames.append(pd.DataFrame({
            "customer_id": inputs["customer_id"],
            "model_name": model_name,
            "p_alive": btyd.P_ALIVE[model_name](params, x, t_x, T),
            "predicted_holdout_purchases": expected(params, holdout, x, t_x, T),
            "predicted_repeat_purchases_to_holdout_end": expected(
                params, inputs["age_at_holdout_end_time_units"].to_numpy(dtype=float), zeros, zeros, zeros),
        }))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    # explicit types: an empty frame (no holdout) has no dtypes to infer them from
    return session.sql("""
        select
            cast(customer_id as varchar) as customer_id,
            cast(model_name as varchar) as model_name,
            cast(p_alive as double) as p_alive,
            cast(predicted_holdout_purchases as double) as predicted_holdout_purchases,
            cast(predicted_repeat_purchases_to_holdout_end as double) as predicted_repeat_purchases_to_holdout_end
        from frame""")
