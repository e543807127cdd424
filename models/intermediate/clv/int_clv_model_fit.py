"""One row per fitted CLV model parameter (published as the mart clv_model_parameters):
BG/NBD and Pareto/NBD (purchase counts, P(alive)) and Gamma-Gamma (spend per purchase),
each fitted by maximum likelihood on the buy-till-you-die inputs to the as-of date
(`fit_period` = as_of); and, when `clv_calibration_end_date` sets a holdout, BG/NBD and
Pareto/NBD again on the calibration period only (`fit_period` = calibration), whose
forecasts the holdout marts compare with what happened. The math is in lib/btyd.py.

Time unit (var `clv_time_unit`, default week): the fit reads recency and T already
converted by the inputs models (days / 7 for weeks). The parameters only mean something
in that unit: alpha is a time scale, so a weekly alpha is 7 times smaller than a daily
one; the unit is stored beside them.
"""
import pandas as pd

import btyd


def sorted_inputs(relation):
    # a fixed row order: floating-point sums, and so the fitted digits, depend on it
    frame = relation.df().sort_values("customer_id", kind="mergesort")
    return frame.reset_index(drop=True)


def transaction_fits(inputs, fit_period, fitted_through):
    """BG/NBD and Pareto/NBD fits on one set of inputs, as parameter rows."""
    x = inputs["repeat_purchase_count"].to_numpy(dtype=float)
    t_x = inputs["recency_time_units"].to_numpy(dtype=float)
    T = inputs["age_time_units"].to_numpy(dtype=float)
    rows = []
    if len(inputs) >= 2 and x.sum() > 0:
        for model_name, names in btyd.TRANSACTION_MODELS.items():
            params, log_likelihood = btyd.fit_transaction_model(model_name, x, t_x, T)
            rows += [(model_name, fit_period, name, value, log_likelihood, len(inputs), fitted_through)
                     for name, value in zip(names, params)]
    return rows


def model(dbt, session):
    dbt.config(materialized="table")
    inputs = sorted_inputs(dbt.ref("int_customer_clv_inputs"))
    holdout = sorted_inputs(dbt.ref("int_customer_clv_holdout_inputs"))
    time_unit = inputs["time_unit"].iloc[0] if len(inputs) else None
    as_of_date = inputs["as_of_date"].max() if len(inputs) else None

    rows = transaction_fits(inputs, "as_of", as_of_date)
    repeaters = inputs[(inputs["repeat_purchase_count"] > 0) & (inputs["repeat_revenue"].astype(float) > 0)]
    if len(repeaters) >= 2:
        gx = repeaters["repeat_purchase_count"].to_numpy(dtype=float)
        gm = repeaters["repeat_revenue"].astype(float).to_numpy() / gx
        params, log_likelihood = btyd.fit_gamma_gamma(gx, gm)
        rows += [("gamma_gamma", "as_of", name, value, log_likelihood, len(repeaters), as_of_date)
                 for name, value in zip(btyd.GAMMA_GAMMA_PARAMETERS, params)]
    if len(holdout):
        rows += transaction_fits(holdout, "calibration", holdout["calibration_end_date"].max())

    frame = pd.DataFrame(rows, columns=["model_name", "fit_period", "parameter_name", "parameter_value",
                                        "log_likelihood", "customers_used", "fitted_through_date"])
    frame["time_unit"] = time_unit
    frame["as_of_date"] = pd.to_datetime(as_of_date) if as_of_date is not None else pd.NaT
    frame["fitted_through_date"] = pd.to_datetime(frame["fitted_through_date"])
    # pandas has no date type: cast back to dates, like every other date column
    return session.sql("""
        select
            model_name, fit_period, parameter_name, parameter_value, log_likelihood,
            cast(customers_used as integer) as customers_used, time_unit,
            cast(fitted_through_date as date) as fitted_through_date,
            cast(as_of_date as date) as as_of_date
        from frame""")
