"""Buy-till-you-die models shared by the CLV Python models (dbt-duckdb puts this folder on
sys.path through the profile's `module_paths`): the BG/NBD, Pareto/NBD and Gamma-Gamma
log-likelihoods, their maximum-likelihood fit, and the per-customer quantities read from
the fitted parameters.

Inputs are numpy arrays in one time unit: x repeat purchases, t_x the time of the last
purchase and T the age, both measured from the first purchase.
"""
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

BG_NBD_PARAMETERS = ("r", "alpha", "a", "b")
PARETO_NBD_PARAMETERS = ("r", "alpha", "s", "beta")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "gamma")
TRANSACTION_MODELS = {"bg_nbd": BG_NBD_PARAMETERS, "pareto_nbd": PARETO_NBD_PARAMETERS}


# ---------------------------------------------------------------- BG/NBD (Fader, Hardie and Lee 2005)

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


def bgnbd_p_alive(params, x, t_x, T):
    """BG/NBD probability that a customer with (x, t_x, T) is still alive."""
    r, alpha, a, b = params
    ratio = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return 1.0 / (1.0 + ratio)


def bgnbd_expected_purchases(params, t, x, t_x, T):
    """BG/NBD expected purchases in (T, T + t] given (x, t_x, T) (Fader, Hardie and Lee
    2005, eq. 10). With x = t_x = T = 0 it is the unconditional E[X(t)] of a new customer."""
    r, alpha, a, b = params
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    tail = 1.0 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return head * tail * bgnbd_p_alive(params, x, t_x, T)


# ---------------------------------------------------------------- Pareto/NBD (Schmittlein, Morrison and Colombo 1987)

def _pareto_log_a0(params, x, t_x, T):
    """log A0 of the Pareto/NBD likelihood (Fader and Hardie, "A note on deriving the
    Pareto/NBD model and related expressions", 2005, eq. 22-23): A0 = F(t_x) - F(T) with

        F(t) = 2F1(r+s+x, b1; r+s+x+1; z(t)) / (m + t)^(r+s+x),  z(t) = |alpha - beta| / (m + t),

    m = max(alpha, beta), b1 = s + 1 when alpha >= beta, else r + x. The hypergeometric
    factor overflows, and (m + t)^-(r+s+x) underflows, for frequent buyers; so F is taken
    in logs through Euler's transformation, 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b;
    a+1; z). The new series has positive terms, each at most z times the one before
    (a+1-b is r+x or s+1, both > 0), so it lies in [1, 1/(1-z)] and scipy evaluates it to
    full precision: the large part, (1-z)^(1-b), is exact in logs. Returns -inf where
    A0 = 0 (t_x = T)."""
    r, alpha, s, beta = params
    high, low = max(alpha, beta), min(alpha, beta)
    b1 = s + 1.0 if alpha >= beta else r + x
    a1 = r + s + x

    def log_f(t):
        z = (high - low) / (high + t)
        return ((1.0 - b1) * (np.log(low + t) - np.log(high + t))
                + np.log(hyp2f1(1.0, a1 + 1.0 - b1, a1 + 1.0, z))
                - a1 * np.log(high + t))

    at_last, at_age = log_f(t_x), log_f(T)
    with np.errstate(divide="ignore"):
        # A0 = F(t_x) (1 - F(T) / F(t_x)); F decreases in t, so the difference is >= 0
        return at_last + np.log(-np.expm1(np.minimum(at_age - at_last, 0.0)))


def pareto_log_likelihood(params, x, t_x, T):
    """Total Pareto/NBD log-likelihood (Fader and Hardie 2005, eq. 22)."""
    r, alpha, s, beta = params
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive_to_T = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died_before_T = np.log(s / (r + s + x)) + _pareto_log_a0(params, x, t_x, T)
    return float(np.sum(head + np.logaddexp(alive_to_T, died_before_T)))


def pareto_p_alive(params, x, t_x, T):
    """Pareto/NBD probability that a customer with (x, t_x, T) is still alive (Fader and
    Hardie 2005, eq. 18): 1 / (1 + s / (r+s+x) (alpha+T)^(r+x) (beta+T)^s A0)."""
    r, alpha, s, beta = params
    log_ratio = (np.log(s / (r + s + x)) + (r + x) * np.log(alpha + T) + s * np.log(beta + T)
                 + _pareto_log_a0(params, x, t_x, T))
    return 1.0 / (1.0 + np.exp(np.minimum(log_ratio, 700.0)))


def pareto_expected_purchases(params, t, x, t_x, T):
    """Pareto/NBD expected purchases in (T, T + t] given (x, t_x, T) (Schmittlein,
    Morrison and Colombo 1987; Fader and Hardie 2005, eq. 24):
    (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T) / (beta+T+t))^(s-1)] P(alive);
    the limit (r+x)(beta+T)/(alpha+T) log((beta+T+t)/(beta+T)) P(alive) at s = 1.
    With x = t_x = T = 0 it is the unconditional E[X(t)] of a new customer."""
    r, alpha, s, beta = params
    span = np.log((beta + T + t) / (beta + T))
    if abs(s - 1.0) < 1e-9:
        lifetime_factor = span
    else:
        lifetime_factor = -np.expm1(-(s - 1.0) * span) / (s - 1.0)
    return (r + x) * (beta + T) / (alpha + T) * lifetime_factor * pareto_p_alive(params, x, t_x, T)


# ---------------------------------------------------------------- Gamma-Gamma (Fader and Hardie 2013)

def gamma_gamma_log_likelihood(params, x, m):
    """Total Gamma-Gamma log-likelihood of mean spend m over x repeat purchases
    (Fader and Hardie, "The Gamma-Gamma model of monetary value", 2013)."""
    p, q, v = params
    return float(np.sum(
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
        + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(v + m * x)))


def expected_spend(params, x, m):
    """Gamma-Gamma expected mean spend per purchase given x repeat purchases of mean m;
    the population mean p * gamma / (q - 1) when x = 0."""
    p, q, v = params
    return (p * (v + x * m)) / (p * x + q - 1)


# ---------------------------------------------------------------- the fit and the dispatch by model name

LOG_LIKELIHOODS = {"bg_nbd": bgnbd_log_likelihood, "pareto_nbd": pareto_log_likelihood}
P_ALIVE = {"bg_nbd": bgnbd_p_alive, "pareto_nbd": pareto_p_alive}
EXPECTED_PURCHASES = {"bg_nbd": bgnbd_expected_purchases, "pareto_nbd": pareto_expected_purchases}

# log-parameter bounds: every parameter in [e^-10, e^10]. Without them the optimiser can
# walk to p ~ 1e16, where gammaln(px + q) - gammaln(px) loses all precision and the
# rounding error looks like a better likelihood.
LOG_BOUNDS = (-10.0, 10.0)


def fit(neg_log_likelihood, n_params, n_customers):
    """Maximise over bounded log-parameters (keeps them positive): a simplex search,
    polished by L-BFGS-B. Deterministic: fixed start, no randomness. Returns the
    parameters and the maximised log-likelihood.

    The optimisers minimise the mean per customer, not the total: their tolerances are
    absolute, so on the total a 10x larger data set needs 10x finer relative precision,
    and at 100,000 customers the simplex ran out of evaluations instead of converging."""
    def mean_negative(z):
        value = neg_log_likelihood(z) / n_customers
        return value if np.isfinite(value) else 1e300

    start = np.zeros(n_params)
    bounds = [LOG_BOUNDS] * n_params
    first = minimize(mean_negative, start, method="Nelder-Mead", bounds=bounds,
                     options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
    polished = minimize(mean_negative, first.x, method="L-BFGS-B", bounds=bounds,
                        options={"ftol": 1e-15, "gtol": 1e-10})
    best = polished if polished.fun <= first.fun else first
    return np.exp(best.x), -neg_log_likelihood(best.x)


def fit_transaction_model(model_name, x, t_x, T):
    """Fit a transaction model (`bg_nbd` or `pareto_nbd`) by maximum likelihood."""
    log_likelihood = LOG_LIKELIHOODS[model_name]
    return fit(lambda z: -log_likelihood(np.exp(z), x, t_x, T), 4, len(x))


def fit_gamma_gamma(x, m):
    """Fit the Gamma-Gamma spend model on repeat buyers (x > 0, m > 0)."""
    return fit(lambda z: -gamma_gamma_log_likelihood(np.exp(z), x, m), 3, len(x))


def fitted_parameters(fit, fit_period):
    """{model_name: [parameter values in the model's order]} of one fit period of a frame
    shaped like int_clv_model_fit; a model whose fit is missing is left out."""
    rows = fit[fit["fit_period"] == fit_period]
    values = {(row.model_name, row.parameter_name): row.parameter_value for row in rows.itertuples()}
    names = dict(TRANSACTION_MODELS, gamma_gamma=GAMMA_GAMMA_PARAMETERS)
    return {model: [values[(model, name)] for name in parameters]
            for model, parameters in names.items() if all((model, name) in values for name in parameters)}
