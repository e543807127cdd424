"""One row per customer with a completed order on or before the as-of date: P(alive),
expected purchases over the horizon (var `clv_horizon_months`, default 12), the same
discounted month by month (var `clv_monthly_discount_rate`), and the expected spend per
purchase, from the parameters in `int_clv_model_fit`.

Time units: the parameters are in `clv_time_unit`s (default week) and so are the
recency and T columns of int_customer_clv_inputs; the horizon is in calendar months,
each `time_units_per_month` long (4.348 weeks; computed there too). Discounting: the
purchases expected in month m are divided by (1 + monthly rate) ** m, i.e. paid at
the end of the month they happen in.
"""
import numpy as np
import pandas as pd
from scipy.special import hyp2f1


def p_alive(params, x, t_x, T):
    """BG/NBD probability that a customer with (x, t_x, T) is still alive."""
    r, alpha, a, b = params
    ratio = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return 1.0 / (1.0 + ratio)


def expected_purchases(params, t, x, t_x, T):
    """BG/NBD expected purchases in (T, T + t] given (x, t_x, T) (Fader, Hardie and Lee
    2005, eq. 10). With x = t_x = T = 0 it is the unconditional E[X(t)] of a new customer."""
    r, alpha, a, b = params
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    tail = 1.0 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return head * tail * p_alive(params, x, t_x, T)


def expected_spend(params, x, m):
    """Gamma-Gamma expected mean spend per purchase given x repeat purchases of mean m;
    the population mean p * gamma / (q - 1) when x = 0."""
    p, q, v = params
    return (p * (v + x * m)) / (p * x + q - 1)


def model(dbt, session):
    dbt.config(materialized="table")
    horizon_setting = dbt.config.get("clv_horizon_months")
    rate_setting = dbt.config.get("clv_monthly_discount_rate")
    horizon = int(float(horizon_setting))
    monthly_rate = float(rate_setting)
    if horizon < 1 or monthly_rate < 0:
        raise ValueError("clv_horizon_months must be >= 1 and clv_monthly_discount_rate >= 0")

    # a fixed row order: floating-point sums, and so the fitted digits, depend on it
    inputs = dbt.ref("int_customer_clv_inputs").df().sort_values("customer_id", kind="mergesort")
    inputs = inputs.reset_index(drop=True)
    parameters = dbt.ref("int_clv_model_fit").df()
    values = {(row.model_name, row.parameter_name): row.parameter_value for row in parameters.itertuples()}

    x = inputs["repeat_purchase_count"].to_numpy(dtype=float)
    t_x = inputs["recency_time_units"].to_numpy(dtype=float)
    T = inputs["age_time_units"].to_numpy(dtype=float)
    result = pd.DataFrame({"customer_id": inputs["customer_id"]})

    bg = [values.get(("bg_nbd", name)) for name in ["r", "alpha", "a", "b"]]
    if all(value is not None for value in bg):
        month = float(inputs["time_units_per_month"].iloc[0]) if len(inputs) else 1.0
        cumulative = [np.zeros(len(inputs))]
        for m in range(1, horizon + 1):
            cumulative.append(expected_purchases(bg, m * month, x, t_x, T))
        discounted = sum((cumulative[m] - cumulative[m - 1]) / (1 + monthly_rate) ** m for m in range(1, horizon + 1))
        result["p_alive"] = p_alive(bg, x, t_x, T)
        result["expected_purchases"] = cumulative[-1]
        result["discounted_expected_purchases"] = discounted
    else:
        result["p_alive"] = np.nan
        result["expected_purchases"] = np.nan
        result["discounted_expected_purchases"] = np.nan

    gg = [values.get(("gamma_gamma", name)) for name in ["p", "q", "gamma"]]
    if all(value is not None for value in gg) and gg[1] > 1:
        mean_repeat = np.where(x > 0, inputs["repeat_revenue"].astype(float).to_numpy() / np.maximum(x, 1), 0.0)
        result["expected_avg_order_value"] = expected_spend(gg, x, mean_repeat)
    else:
        result["expected_avg_order_value"] = np.nan
    return result
