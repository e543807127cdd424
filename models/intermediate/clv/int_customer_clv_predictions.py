"""One row per customer with a completed order on or before the as-of date: for each
transaction model (BG/NBD, Pareto/NBD; columns prefixed by the model's name) P(alive),
expected purchases over the horizon (var `clv_horizon_months`, default 12) and the same
discounted month by month (var `clv_monthly_discount_rate`); and the Gamma-Gamma
expected spend per purchase. Parameters: the `as_of` fits of int_clv_model_fit.

Time units: the parameters are in `clv_time_unit`s (default week) and so are the
recency and T columns of int_customer_clv_inputs; the horizon is in calendar months,
each `time_units_per_month` long (4.348 weeks; computed there too). Discounting: the
purchases expected in month m are divided by (1 + monthly rate) ** m, i.e. paid at
the end of the month they happen in.
"""
import numpy as np
import pandas as pd

import btyd


def model(dbt, session):
    dbt.config(materialized="table")
    horizon = int(float(dbt.config.get("clv_horizon_months")))
    monthly_rate = float(dbt.config.get("clv_monthly_discount_rate"))
    if horizon < 1 or monthly_rate < 0:
        raise ValueError("clv_horizon_months must be >= 1 and clv_monthly_discount_rate >= 0")

    # a fixed row order: floating-point sums, and so the digits, depend on it
    inputs = dbt.ref("int_customer_clv_inputs").df().sort_values("customer_id", kind="mergesort")
    inputs = inputs.reset_index(drop=True)
    parameters = btyd.fitted_parameters(dbt.ref("int_clv_model_fit").df(), "as_of")

    x = inputs["repeat_purchase_count"].to_numpy(dtype=float)
    t_x = inputs["recency_time_units"].to_numpy(dtype=float)
    T = inputs["age_time_units"].to_numpy(dtype=float)
    month = float(inputs["time_units_per_month"].iloc[0]) if len(inputs) else 1.0
    result = pd.DataFrame({"customer_id": inputs["customer_id"]})

    for model_name in btyd.TRANSACTION_MODELS:
        params = parameters.get(model_name)
        if params is None:
            for column in ["p_alive", "expected_purchases", "discounted_expected_purchases"]:
                result[f"{model_name}_{column}"] = np.nan
            continue
        expected = btyd.EXPECTED_PURCHASES[model_name]
        cumulative = [np.zeros(len(inputs))] + [expected(params, m * month, x, t_x, T) for m in range(1, horizon + 1)]
        result[f"{model_name}_p_alive"] = btyd.P_ALIVE[model_name](params, x, t_x, T)
        result[f"{model_name}_expected_purchases"] = cumulative[-1]
        result[f"{model_name}_discounted_expected_purchases"] = sum(
            (cumulative[m] - cumulative[m - 1]) / (1 + monthly_rate) ** m for m in range(1, horizon + 1))

    gamma_gamma = parameters.get("gamma_gamma")
    if gamma_gamma is not None and gamma_gamma[1] > 1:
        mean_repeat = np.where(x > 0, inputs["repeat_revenue"].astype(float).to_numpy() / np.maximum(x, 1), 0.0)
        result["expected_avg_order_value"] = btyd.expected_spend(gamma_gamma, x, mean_repeat)
    else:
        result["expected_avg_order_value"] = np.nan
    return result
