"""One row per CLV model parameter (published as the mart clv_model_parameters): the BG/NBD (purchase counts, P(alive)) and
Gamma-Gamma (spend per purchase) fits on the buy-till-you-die inputs, by maximum
likelihood (closed-form log-likelihoods, scipy), with the log-likelihood, customers
used, time unit and as-of date.

Time unit (var `clv_time_unit`, default week): the fit reads recency and T already
converted by int_customer_clv_inputs (days / 7 for weeks). The parameters only mean
something in that unit: alpha (BG/NBD) is a time scale, so a weekly alpha is 7 times
smaller than a daily one; the unit is stored beside them.
"""
import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln


def bgnbd_log_likelihood(params, x, t_x, T):
    """Total BG/NBD log-likelihood (Fader, Hardie and Lee 2005, eq. 6)."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
                      -np.inf)
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


def gamma_gamma_log_likelihood(params, x, m):
    """Total Gamma-Gamma log-likelihood of mean spend m over x repeat purchases
    (Fader and Hardie, "The Gamma-Gamma model of monetary value", 2013)."""
    p, q, v = params
    return float(np.sum(
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
        + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(v + m * x)))


# log-parameter bounds: every parameter in [e^-10, e^10]. Without them the optimiser can
# walk to p ~ 1e16, where gammaln(px + q) - gammaln(px) loses all precision and the
# rounding error looks like a better likelihood.
LOG_BOUNDS = (-10.0, 10.0)


def fit(neg_log_likelihood, n_params, n_customers):
    """Maximise over bounded log-parameters (keeps them positive): a simplex search,
    polished by L-BFGS-B. Deterministic: fixed start, no randomness.

    The optimisers minimise the mean per customer, not the total: their tolerances are
    absolute, so on the total a 10x larger data set needs 10x finer relative precision,
    and at 100,000 customers the simplex ran out of evaluations (40,000, 8 minutes)
    instead of converging (about 850). Same optimum, same digits."""
    def mean_negative(z):
        return neg_log_likelihood(z) / n_customers

    start = np.zeros(n_params)
    bounds = [LOG_BOUNDS] * n_params
    first = minimize(mean_negative, start, method="Nelder-Mead", bounds=bounds,
                     options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
    polished = minimize(mean_negative, first.x, method="L-BFGS-B", bounds=bounds,
                        options={"ftol": 1e-15, "gtol": 1e-10})
    best = polished if polished.fun <= first.fun else first
    return np.exp(best.x), -neg_log_likelihood(best.x)


def model(dbt, session):
    dbt.config(materialized="table")
    # a fixed row order: floating-point sums, and so the fitted digits, depend on it
    inputs = dbt.ref("int_customer_clv_inputs").df().sort_values("customer_id", kind="mergesort")
    inputs = inputs.reset_index(drop=True)
    time_unit = inputs["time_unit"].iloc[0] if len(inputs) else None
    as_of_date = inputs["as_of_date"].max() if len(inputs) else None

    x = inputs["repeat_purchase_count"].to_numpy(dtype=float)
    t_x = inputs["recency_time_units"].to_numpy(dtype=float)
    T = inputs["age_time_units"].to_numpy(dtype=float)
    rows = []
    if len(inputs) >= 2 and x.sum() > 0:
        bg_params, bg_ll = fit(lambda z: -bgnbd_log_likelihood(np.exp(z), x, t_x, T), 4, len(x))
        for name, value in zip(["r", "alpha", "a", "b"], bg_params):
            rows.append(("bg_nbd", name, value, bg_ll, len(inputs)))
    repeaters = inputs[(inputs["repeat_purchase_count"] > 0) & (inputs["repeat_revenue"].astype(float) > 0)]
    if len(repeaters) >= 2:
        gx = repeaters["repeat_purchase_count"].to_numpy(dtype=float)
        gm = repeaters["repeat_revenue"].astype(float).to_numpy() / gx
        gg_params, gg_ll = fit(lambda z: -gamma_gamma_log_likelihood(np.exp(z), gx, gm), 3, len(gx))
        for name, value in zip(["p", "q", "gamma"], gg_params):
            rows.append(("gamma_gamma", name, value, gg_ll, len(repeaters)))
    frame = pd.DataFrame(rows, columns=["model_name", "parameter_name", "parameter_value",
                                        "log_likelihood", "customers_used"])
    frame["time_unit"] = time_unit
    frame["as_of_date"] = pd.to_datetime(as_of_date) if as_of_date is not None else pd.NaT
    # pandas has no date type: cast back to a date, like every other as_of_date
    return session.sql("select * replace (cast(as_of_date as date) as as_of_date) from frame")
