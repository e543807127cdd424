"""CLV validated against the literature on the CDNOW 1/10th sample (Fader, Hardie and
Lee 2005): the real dbt build, as of 1997-09-30, weekly time unit."""
import importlib.util

import numpy as np
import pandas as pd
import pytest

from conftest import DB_FILE, FIXTURES_DIR, PROJECT_DIR, query, run_dbt

CDNOW = FIXTURES_DIR / "cdnow" / "CDNOW_sample.txt"
PUBLISHED_BGNBD = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}
PUBLISHED_GAMMA_GAMMA = {"p": 6.2496, "q": 3.7442, "gamma": 15.4435}


def load_model_module(relative_path):
    spec = importlib.util.spec_from_file_location(relative_path.stem, PROJECT_DIR / relative_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cdnow_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("cdnow")
    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, dtype=str,
                      names=["master_id", "sample_id", "date", "cds", "dollars"])
    orders = pd.DataFrame({
        "order_id": [f"{sample}-{row}" for row, sample in enumerate(raw.sample_id)],
        "customer_id": raw.sample_id.astype(int).astype(str),
        "ordered_at": pd.to_datetime(raw.date, format="%Y%m%d").dt.strftime("%Y-%m-%d"),
        "amount": raw.dollars,
        "status": "completed",
    })
    data_dir = work / "data"
    data_dir.mkdir()
    orders.to_csv(data_dir / "orders.csv", index=False)
    db_path = work / DB_FILE
    run_dbt(["build", "--select", "+customer_clv", "+clv_model_parameters", "--exclude", "test_type:unit",
             "--indirect-selection", "cautious"], db_path,
            {"raw_data_dir": "data", "as_of_date": "1997-09-30", "clv_time_unit": "week"})
    return db_path


def test_calibration_facts(cdnow_build):
    clv = query(cdnow_build, "select * from marts.customer_clv")
    assert len(clv) == 2357
    assert clv.repeat_purchase_count.sum() == 2457
    assert (clv.repeat_purchase_count == 0).sum() == 1411
    first = clv.set_index("customer_id").loc["1"]
    assert first.repeat_purchase_count == 2
    assert round(first.days_first_to_last_purchase / 7, 2) == 30.43
    assert round(first.days_since_first_purchase / 7, 2) == 38.86


def test_bgnbd_and_gamma_gamma_match_the_published_fits(cdnow_build):
    fitted = query(cdnow_build, "select * from marts.clv_model_parameters")
    values = dict(zip(fitted.parameter_name, fitted.parameter_value))
    for name, published in PUBLISHED_BGNBD.items():
        assert abs(values[name] / published - 1) < 0.001, (name, values[name], published)
    log_likelihood = fitted[fitted.model_name == "bg_nbd"].log_likelihood.iloc[0]
    assert abs(log_likelihood - (-9582.43)) <= 0.01, log_likelihood
    for name, published in PUBLISHED_GAMMA_GAMMA.items():
        assert abs(values[name] / published - 1) < 0.005, (name, values[name], published)
    assert set(fitted.time_unit) == {"week"}
    assert query(cdnow_build, "select distinct typeof(as_of_date) as t, as_of_date::varchar as d"
                              " from marts.clv_model_parameters").values.tolist() == [["DATE", "1997-09-30"]]


def test_holdout_cumulative_repeat_transactions_at_week_78(cdnow_build):
    predictions = load_model_module(PROJECT_DIR.joinpath("models/intermediate/clv/int_customer_clv_predictions.py")
                                    .relative_to(PROJECT_DIR))
    clv = query(cdnow_build, "select first_purchase_date from marts.customer_clv")
    birth_weeks = (pd.to_datetime(clv.first_purchase_date) - pd.Timestamp("1997-01-01")).dt.days.to_numpy() / 7
    params = [PUBLISHED_BGNBD[name] for name in ["r", "alpha", "a", "b"]]
    zeros = np.zeros(len(birth_weeks))
    # a new customer's expected repeat purchases = the conditional formula at x = t_x = T = 0
    expected = predictions.expected_purchases(params, 78 - birth_weeks, zeros, zeros, zeros).sum()
    assert abs(expected - 4166) <= 1, expected


def test_predictions_are_sane_on_cdnow(cdnow_build):
    clv = query(cdnow_build, "select * from marts.customer_clv")
    assert clv.p_alive.between(0, 1).all()
    # one-time buyers are always alive under BG/NBD (no evidence of a drop-out yet)
    assert (clv[clv.repeat_purchase_count == 0].p_alive == 1).all()
    assert (clv.predicted_clv >= 0).all() and clv.predicted_clv.sum() > 0


def test_demo_holdout_predictions_come_close_to_what_happened(tmp_path, capsys):
    """Calibrate on the demo up to 2025-06-30, predict 6 months, compare with the purchase
    days that really happened in 2025-07-01..2025-12-31 (the generator's known process)."""
    db_path = tmp_path / DB_FILE
    run_dbt(["build", "--select", "+customer_clv", "--exclude", "test_type:unit", "--indirect-selection", "cautious"],
            db_path, {"as_of_date": "2025-06-30", "clv_horizon_months": 6})
    predicted = query(db_path, "select customer_id, expected_purchases from marts.customer_clv").set_index("customer_id")
    actual = query(db_path, """
        select customer_id, count(distinct order_date) as purchases
        from staging.stg_raw__orders
        where order_status = 'completed' and order_date between date '2025-07-01' and date '2025-12-31'
        group by customer_id""").set_index("customer_id").purchases
    actual = actual.reindex(predicted.index).fillna(0)
    total_ratio = predicted.expected_purchases.sum() / actual.sum()
    correlation = np.corrcoef(predicted.expected_purchases, actual)[0, 1]
    with capsys.disabled():
        print(f"\n[demo holdout] customers {len(predicted)}, predicted {predicted.expected_purchases.sum():.1f}"
              f" vs actual {actual.sum():.0f} purchase days (ratio {total_ratio:.3f}), correlation {correlation:.3f}")
    # A report more than a validation: the generator adds seasonality and promotion weeks
    # (a busy Q4), which stationary BG/NBD cannot foresee, so the second half of 2025 is
    # under-predicted (ratio 0.63 when written). The bounds catch a broken model, not that.
    assert 0.5 < total_ratio < 1.5
    assert correlation > 0.4


def test_without_python_models_every_sql_clv_column_still_builds(tmp_path):
    """Engines without dbt Python models (Spark in session mode) set clv_probabilistic
    false: the fit is not built, the probabilistic columns are NULL, the rest is equal."""
    db_path = tmp_path / DB_FILE
    run_dbt(["build", "--select", "+customer_clv", "--exclude", "test_type:unit", "--indirect-selection", "cautious"],
            db_path, {"clv_probabilistic": False})
    tables = query(db_path, "select table_name from information_schema.tables").table_name.tolist()
    assert not {"int_clv_model_fit", "clv_model_parameters", "int_customer_clv_predictions"} & set(tables)
    clv = query(db_path, "select * from marts.customer_clv")
    assert len(clv) > 0
    assert clv[["p_alive", "expected_purchases", "expected_avg_order_value", "predicted_clv"]].isna().all().all()
    assert clv.historical_clv.notna().all() and clv.formula_clv.notna().any()


def test_btyd_inputs_equal_lifetimes_for_every_customer(cdnow_build):
    """Every buy-till-you-die input of customer_clv, for all 2,357 CDNOW customers, against
    the field's reference implementation: lifetimes' summary_data_from_transaction_data
    (daily frequency: repeat purchase days, recency and T in days, monetary value the mean
    of the repeat purchase days' totals)."""
    from lifetimes.utils import summary_data_from_transaction_data

    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, names=["master_id", "sample_id", "date", "cds", "dollars"])
    raw["date"] = pd.to_datetime(raw.date.astype(str), format="%Y%m%d")
    raw["customer_id"] = raw.sample_id.astype(str)
    reference = summary_data_from_transaction_data(
        raw, "customer_id", "date", monetary_value_col="dollars",
        observation_period_end="1997-09-30", freq="D")
    clv = query(cdnow_build, """
        select customer_id, repeat_purchase_count, days_first_to_last_purchase,
               days_since_first_purchase, cast(avg_repeat_purchase_value as double) as avg_repeat_purchase_value
        from marts.customer_clv""").set_index("customer_id").loc[reference.index]
    assert len(clv) == len(reference) == 2357
    assert (clv.repeat_purchase_count == reference.frequency).all()
    assert (clv.days_first_to_last_purchase == reference.recency).all()
    assert (clv.days_since_first_purchase == reference["T"]).all()
    # the project rounds money to the cent (half up); lifetimes keeps the float mean
    difference = (clv.avg_repeat_purchase_value - reference.monetary_value).abs()
    assert difference.max() <= 0.005 + 1e-9, reference.assign(project=clv.avg_repeat_purchase_value)[difference > 0.005].head()
    assert (reference.frequency > 1).sum() > 300  # customers whose average the old bug got wrong
