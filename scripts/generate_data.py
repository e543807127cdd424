#!/usr/bin/env python3
"""Deterministic generator of a store's raw orders, events and customers.

The store is simulated from processes whose parameters are known, so the marts can be
checked against the truth:

* Customers sign up over the period (growing, seasonal), after anonymous browsing.
* Repeat purchases follow BG/NBD: purchase rate lambda ~ Gamma(r, alpha) per day,
  after each purchase the customer drops out with probability p ~ Beta(a, b).
  Calendar time is warped by a seasonal intensity (December peak, promotion weeks),
  so the process runs in "operational time" and keeps its BG/NBD structure there.
* Spend per order follows Gamma-Gamma: nu ~ Gamma(q, gamma), amount ~ Gamma(p, nu).
* Events: journey sessions (landing, search, product views, compare, cart, checkout,
  purchase), email campaigns (delivered/opened/clicked), retargeting ad clicks,
  reviews, shares, referral invites and referral sign-ups.
* A small, controlled share of bad rows is injected (duplicates, null ids, bad
  amounts, unparseable and future timestamps, unknown statuses).

Everything is vectorised with numpy (no per-row Python loops), so large sizes stay
fast. The truth per customer is written to ``_truth/customers_truth.csv``.

Usage: python scripts/generate_data.py --customers 2000 --out data/demo

Big sizes: ``--shards K`` simulates the customers as K independent populations of the
same store, each written as soon as it is done (``<table>/part-<k>``, ids prefixed
``s<k>-``), so memory is one shard's, not the whole data set's.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

CHANNELS = np.array(["organic", "paid_search", "social", "email", "referral", "direct"])
CHANNEL_SHARE = np.array([0.25, 0.22, 0.18, 0.07, 0.10, 0.18])
# Channel quality: first-purchase conversion, purchase-rate and drop-out multipliers.
CHANNEL_CONVERSION = np.array([0.75, 0.60, 0.50, 0.80, 0.85, 0.70])
CHANNEL_RATE_FACTOR = np.array([1.0, 0.8, 0.7, 1.2, 1.3, 1.0])
CHANNEL_DROPOUT_FACTOR = np.array([1.0, 1.3, 1.5, 0.9, 0.7, 1.0])
COUNTRIES = np.array(["US", "GB", "DE", "FR", "CA", "AU", "NL", "ES"])
COUNTRY_SHARE = np.array([0.40, 0.15, 0.12, 0.09, 0.08, 0.06, 0.05, 0.05])

# True process parameters (per day). Documented in DECISIONS.md and the truth file.
BGNBD = {"r": 0.9, "alpha": 45.0, "a": 1.2, "b": 4.0}
GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "gamma": 30.0}

# Promotion windows (month, day, length in days, intensity multiplier).
PROMOTIONS = [(3, 15, 5, 1.8), (7, 10, 4, 1.6), (11, 24, 7, 2.5)]
SECONDS_PER_DAY = 86_400


def seasonal_intensity(days: np.ndarray, start: np.datetime64) -> np.ndarray:
    """Relative purchase intensity per calendar day (mean about 1)."""
    dates = start + days.astype("timedelta64[D]")
    doy = (dates - dates.astype("datetime64[Y]")).astype(int)
    month_day = pd.DatetimeIndex(dates)
    intensity = 1.0 + 0.3 * np.cos(2 * np.pi * (doy - 350) / 365.0)
    for month, day, length, boost in PROMOTIONS:
        promo_start = pd.to_datetime(
            {"year": month_day.year, "month": month, "day": day}
        ).to_numpy()
        offset = (dates - promo_start.astype("datetime64[D]")).astype(int)
        intensity = np.where((offset >= 0) & (offset < length), intensity * boost, intensity)
    return intensity / intensity.mean()


class Clock:
    """Maps operational time (where the processes are homogeneous) to calendar days."""

    def __init__(self, start: np.datetime64, days: int):
        grid = np.arange(days + 400)
        self.cumulative = np.concatenate([[0.0], np.cumsum(seasonal_intensity(grid, start))])
        self.grid = np.arange(len(self.cumulative), dtype=float)

    def to_operational(self, calendar_days: np.ndarray) -> np.ndarray:
        return np.interp(calendar_days, self.grid, self.cumulative)

    def to_calendar(self, operational: np.ndarray) -> np.ndarray:
        return np.interp(operational, self.cumulative, self.grid)


def group_cumsum(values: np.ndarray, group_sizes: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each group (groups are contiguous)."""
    total = np.cumsum(values)
    starts = np.concatenate([[0], np.cumsum(group_sizes)[:-1]])
    offsets = np.repeat(np.concatenate([[0.0], total])[starts], group_sizes)
    return total - offsets


def format_timestamps(seconds: np.ndarray, start: np.datetime64, rng, offset_share: float):
    """ISO strings in UTC; a share carries a local UTC offset (same instant)."""
    instants = start.astype("datetime64[s]") + np.round(seconds).astype("int64").astype("timedelta64[s]")
    hours = rng.choice(np.array([-5, 1, 2, 8]), size=len(seconds))
    with_offset = rng.random(len(seconds)) < offset_share
    shifted = instants + np.where(with_offset, hours, 0).astype("timedelta64[h]")
    text = np.datetime_as_string(shifted, unit="s").astype(object)
    suffix = np.where(
        with_offset,
        np.char.add(np.where(hours < 0, "-", "+"), np.char.add(np.char.zfill(np.abs(hours).astype(str), 2), ":00")),
        "",
    )
    text = np.where(with_offset, text + suffix.astype(object), np.char.replace(text.astype(str), "T", " ").astype(object))
    return text


def simulate(n_customers: int, seed: int, start: str, days: int, browse_factor: float,
             purchase_factor: float = 1.0):
    rng = np.random.default_rng(seed)
    start64 = np.datetime64(start)
    clock = Clock(start64, days)
    horizon_s = days * SECONDS_PER_DAY

    # ---- customers: sign-up time (growing trend, seasonal), channel, country
    growth = rng.power(1.6, n_customers)  # density rising over the period
    signup_day = clock.to_calendar(growth * clock.to_operational(np.array([days - 1.0]))[0])
    signup_s = signup_day * SECONDS_PER_DAY + rng.integers(8 * 3600, 23 * 3600, n_customers)
    signup_s = np.minimum(signup_s, horizon_s - 1)
    channel_idx = rng.choice(len(CHANNELS), size=n_customers, p=CHANNEL_SHARE)
    country = rng.choice(COUNTRIES, size=n_customers, p=COUNTRY_SHARE)
    customer_ids = np.char.add("c_", np.char.zfill(np.arange(1, n_customers + 1).astype(str), 6))
    anon_of_customer = np.char.add("a_", np.char.zfill(np.arange(1, n_customers + 1).astype(str), 7))

    # ---- first purchase and BG/NBD repeat purchases
    converts = rng.random(n_customers) < CHANNEL_CONVERSION[channel_idx]
    first_s = signup_s + rng.exponential(2.5 * SECONDS_PER_DAY, n_customers) * (rng.random(n_customers) > 0.35)
    first_s = first_s + rng.integers(60, 1800, n_customers)
    converts &= first_s < horizon_s
    lam = (rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha"], n_customers) * CHANNEL_RATE_FACTOR[channel_idx]
           * purchase_factor)
    p_drop = np.clip(rng.beta(BGNBD["a"], BGNBD["b"], n_customers) * CHANNEL_DROPOUT_FACTOR[channel_idx], 0.001, 0.999)
    repeats_before_death = np.minimum(rng.geometric(p_drop) - 1, 400)
    repeats_before_death = np.where(converts, repeats_before_death, 0)
    buyer_idx = np.repeat(np.arange(n_customers), repeats_before_death)
    gaps = rng.exponential(1.0, len(buyer_idx)) / lam[buyer_idx]
    op_first = clock.to_operational(first_s / SECONDS_PER_DAY)
    op_times = op_first[buyer_idx] + group_cumsum(gaps, repeats_before_death)
    repeat_s = clock.to_calendar(op_times) * SECONDS_PER_DAY
    # purchases made after the end of the period are not observed (but count in the truth)
    nu = rng.gamma(GAMMA_GAMMA["q"], 1.0 / GAMMA_GAMMA["gamma"], n_customers)
    purchase_customer = np.concatenate([np.flatnonzero(converts), buyer_idx])
    purchase_s = np.concatenate([first_s[converts], repeat_s])
    observed = purchase_s < horizon_s
    purchase_customer, purchase_s = purchase_customer[observed], purchase_s[observed]
    order = np.lexsort((purchase_s, purchase_customer))
    purchase_customer, purchase_s = purchase_customer[order], purchase_s[order]
    amounts = np.round(rng.gamma(GAMMA_GAMMA["p"], 1.0 / nu[purchase_customer]), 2)
    amounts = np.maximum(amounts, 0.5)
    counts = np.bincount(purchase_customer, minlength=n_customers)

    # cancelled and refunded orders are extra attempts beside the true purchases
    n_extra = int(0.08 * len(purchase_s))
    extra_from = rng.integers(0, len(purchase_s), n_extra)
    extra_customer = purchase_customer[extra_from]
    extra_s = np.minimum(purchase_s[extra_from] + rng.integers(-3 * 86400, 3 * 86400, n_extra), horizon_s - 1)
    extra_s = np.maximum(extra_s, signup_s[extra_customer] + 60)
    extra_status = np.where(rng.random(n_extra) < 0.6, "cancelled", "refunded")
    extra_amount = np.round(rng.gamma(GAMMA_GAMMA["p"], 1.0 / nu[extra_customer]), 2)

    n_orders = len(purchase_s) + n_extra
    order_customer = np.concatenate([purchase_customer, extra_customer])
    order_s = np.concatenate([purchase_s, extra_s])
    order_amount = np.concatenate([amounts, extra_amount])
    status_clean = np.concatenate([np.full(len(purchase_s), "completed"), extra_status])
    sort = np.argsort(order_s, kind="stable")
    order_customer, order_s, order_amount, status_clean = (
        order_customer[sort], order_s[sort], order_amount[sort], status_clean[sort])
    order_ids = np.char.add("o_", np.char.zfill(np.arange(1, n_orders + 1).astype(str), 7))
    # raw status spellings vary: casing, padding, missing (= completed), US spelling
    variant = rng.random(n_orders)
    status_raw = status_clean.astype(object)
    status_raw = np.where((status_clean == "completed") & (variant < 0.10), "", status_raw)
    status_raw = np.where((status_clean == "completed") & (variant > 0.95), "Completed", status_raw)
    status_raw = np.where((status_clean == "cancelled") & (variant < 0.3), "canceled", status_raw)
    status_raw = np.where((status_clean == "refunded") & (variant < 0.2), " REFUNDED ", status_raw)

    orders = pd.DataFrame({
        "order_id": order_ids,
        "customer_id": customer_ids[order_customer],
        "ordered_at": format_timestamps(order_s, start64, rng, 0.1),
        "amount": np.char.mod("%.2f", order_amount),
        "status": status_raw,
    })

    customers = pd.DataFrame({
        "customer_id": customer_ids,
        "email": np.char.add(np.char.add("user", np.arange(1, n_customers + 1).astype(str)), "@example.com"),
        "created_at": format_timestamps(signup_s, start64, rng, 0.0),
        "acquisition_channel": np.where(rng.random(n_customers) < 0.9, CHANNELS[channel_idx], ""),
        "country": country,
    })

    events = simulate_events(
        rng, clock, start64, days, n_customers, customer_ids, anon_of_customer, signup_s,
        channel_idx, lam, purchase_customer, purchase_s, browse_factor,
        order_customer[status_clean != "completed"], order_s[status_clean != "completed"],
    )

    # BG/NBD drop-out happens right after a purchase: a buyer is still alive at the end of
    # the period when some of the purchases before drop-out fall after it.
    alive_at_end = converts & (np.maximum(counts - 1, 0) < repeats_before_death)
    truth = pd.DataFrame({
        "customer_id": customer_ids,
        "true_channel": CHANNELS[channel_idx],
        "converted": converts,
        "purchase_rate_per_day": lam,
        "dropout_probability": p_drop,
        "repeat_purchases_before_dropout": repeats_before_death,
        "observed_purchases": counts,
        "spend_scale_nu": nu,
        "expected_order_value": GAMMA_GAMMA["p"] / nu,
        "alive_at_end": alive_at_end,
    })
    return orders, events, customers, truth


def simulate_events(rng, clock, start64, days, n_customers, customer_ids, anon_ids, signup_s,
                    channel_idx, lam, purchase_customer, purchase_s, browse_factor,
                    attempt_customer, attempt_s):
    horizon_s = days * SECONDS_PER_DAY
    n_visitors = int(0.6 * n_customers)
    visitor_anon = np.char.add("v_", np.char.zfill(np.arange(1, n_visitors + 1).astype(str), 7))

    sessions = []  # each: dict of equal-length arrays describing sessions

    def add_sessions(kind, cust, anon, start_s, channel, platform=None):
        n = len(start_s)
        if platform is None:
            platform = np.where(rng.random(n) < 0.35, "app", "web")
        sessions.append({
            "kind": np.full(n, kind), "cust": cust, "anon": anon,
            "start": start_s, "channel": channel, "platform": platform,
        })

    none_c = lambda n: np.full(n, "", dtype=object)  # noqa: E731

    # anonymous browsing before sign-up (web, cookie id only), then the sign-up session
    pre_n = rng.integers(1, 4, n_customers)
    pre_cust = np.repeat(np.arange(n_customers), pre_n)
    pre_start = signup_s[pre_cust] - rng.uniform(600, 14 * SECONDS_PER_DAY, len(pre_cust))
    add_sessions("browse_anonymous", none_c(len(pre_cust)), anon_ids[pre_cust], pre_start,
                 CHANNELS[channel_idx[pre_cust]], np.full(len(pre_cust), "web"))
    add_sessions("signup", customer_ids.astype(object), anon_ids.astype(object), signup_s - 300,
                 CHANNELS[channel_idx], np.full(n_customers, "web"))

    # visitors who never sign up
    v_n = rng.integers(1, 4, n_visitors)
    v_idx = np.repeat(np.arange(n_visitors), v_n)
    v_start = rng.uniform(0, horizon_s, len(v_idx))
    v_channel = rng.choice(CHANNELS, size=len(v_idx), p=CHANNEL_SHARE)
    add_sessions("browse_anonymous", none_c(len(v_idx)), visitor_anon[v_idx], v_start, v_channel,
                 np.full(len(v_idx), "web"))

    # purchase sessions end with the order; later channels mix direct/organic/email
    later_channels = np.array(["direct", "organic", "email", "paid_search", "social"])
    later_share = np.array([0.4, 0.25, 0.15, 0.12, 0.08])
    n_p = len(purchase_s)
    first_of_customer = np.concatenate([[True], purchase_customer[1:] != purchase_customer[:-1]])
    p_channel = np.where(first_of_customer, CHANNELS[channel_idx[purchase_customer]],
                         rng.choice(later_channels, size=n_p, p=later_share))
    add_sessions("purchase", customer_ids[purchase_customer].astype(object),
                 anon_ids[purchase_customer].astype(object), purchase_s, p_channel)
    # abandoned checkouts beside cancelled / refunded attempts
    add_sessions("cart", customer_ids[attempt_customer].astype(object),
                 anon_ids[attempt_customer].astype(object), attempt_s - 900,
                 rng.choice(later_channels, size=len(attempt_s), p=later_share))

    # browsing while a customer: Poisson count over the observed life
    life_days = np.maximum((horizon_s - signup_s) / SECONDS_PER_DAY, 0)
    b_n = rng.poisson(np.minimum(lam + 0.004, 0.1) * life_days * browse_factor)
    b_idx = np.repeat(np.arange(n_customers), b_n)
    b_start = signup_s[b_idx] + rng.uniform(0, 1, len(b_idx)) * (horizon_s - signup_s[b_idx])
    add_sessions("browse", customer_ids[b_idx].astype(object), anon_ids[b_idx].astype(object), b_start,
                 rng.choice(later_channels, size=len(b_idx), p=later_share))

    # email campaigns: monthly to subscribers signed up before the send
    subscriber = rng.random(n_customers) < 0.5
    sends = np.arange(20, days, 30) * SECONDS_PER_DAY + 9 * 3600.0
    send_grid_c, send_grid_t = np.meshgrid(np.flatnonzero(subscriber), sends, indexing="ij")
    keep = send_grid_t.ravel() > signup_s[send_grid_c.ravel()]
    mail_c, mail_t = send_grid_c.ravel()[keep], send_grid_t.ravel()[keep]
    opened = rng.random(len(mail_c)) < 0.25
    clicked = opened & (rng.random(len(mail_c)) < 0.3)
    click_t = mail_t + rng.uniform(600, 2 * SECONDS_PER_DAY, len(mail_c))
    add_sessions("email_click", customer_ids[mail_c[clicked]].astype(object),
                 anon_ids[mail_c[clicked]].astype(object), click_t[clicked] + 5, np.full(clicked.sum(), "email"))

    s = {k: np.concatenate([part[k] for part in sessions]) for k in sessions[0]}
    n_s = len(s["start"])
    uses_sdk_session = s["platform"] == "app"
    s["raw_session_id"] = np.where(uses_sdk_session, np.char.add("s_", np.arange(n_s).astype(str)), "")
    # app sessions are identified by the customer id alone (no cookie)
    s["anon"] = np.where(uses_sdk_session & (s["cust"] != ""), "", s["anon"])

    ev = []  # (session index, offset seconds, event name)

    def emit(mask, offset, name):
        idx = np.flatnonzero(mask)
        ev.append((idx, np.broadcast_to(offset, len(idx)) if np.ndim(offset) == 0 else offset[idx],
                   np.full(len(idx), name)))

    kind = s["kind"]
    all_s = np.ones(n_s, dtype=bool)
    from_ad = (s["channel"] == "social") & (rng.random(n_s) < 0.3)
    emit(from_ad, 0.0, "ad_click")
    emit(all_s, 1.0, "page_view")
    emit(kind == "signup", 240.0, "sign_up")
    emit((kind == "signup") & np.isin(s["channel"], ["referral"]), 250.0, "referral_signed_up")
    searches = (rng.random(n_s) < 0.45) | (kind == "purchase") & (rng.random(n_s) < 0.4)
    emit(searches, 20.0, "search")
    n_views = rng.poisson(1.5, n_s) + np.isin(kind, ["purchase", "cart"])
    for i in range(int(n_views.max(initial=0))):
        emit(n_views > i, 40.0 + 30.0 * i, "product_view")
    browsing = np.isin(kind, ["browse", "browse_anonymous", "email_click"])
    emit((n_views > 1) & (rng.random(n_s) < 0.3), 35.0 + 30.0 * n_views, "product_compare")
    cart = np.isin(kind, ["purchase", "cart"]) | (browsing & (n_views > 0) & (rng.random(n_s) < 0.25))
    emit(cart, 60.0 + 30.0 * n_views, "add_to_cart")
    checkout = np.isin(kind, ["purchase", "cart"]) | (cart & browsing & (rng.random(n_s) < 0.3))
    emit(checkout, 90.0 + 30.0 * n_views, "checkout_started")
    purchase_session = kind == "purchase"
    order_offset = 120.0 + 30.0 * n_views
    emit(purchase_session, order_offset, "order_completed")

    session_idx = np.concatenate([e[0] for e in ev])
    offset = np.concatenate([e[1] for e in ev]).astype(float)
    names = np.concatenate([e[2] for e in ev])
    # purchase sessions are anchored on the order time: the order event lands exactly on it
    anchor_shift = np.where(purchase_session, order_offset, 0.0)
    ts = s["start"][session_idx] + offset - anchor_shift[session_idx]
    # campaign and post-purchase events are their own rows (no session)
    extra = []
    extra.append((mail_c, mail_t, "email_delivered", "email"))
    extra.append((mail_c[opened], mail_t[opened] + rng.uniform(300, 86400, opened.sum()), "email_opened", "email"))
    extra.append((mail_c[clicked], click_t[clicked], "email_clicked", "email"))
    reviewed = rng.random(len(purchase_s)) < 0.12
    extra.append((purchase_customer[reviewed], purchase_s[reviewed] + rng.uniform(2, 12, reviewed.sum()) * 86400,
                  "review_submitted", ""))
    shared = rng.random(len(purchase_s)) < 0.06
    extra.append((purchase_customer[shared], purchase_s[shared] + rng.uniform(60, 7200, shared.sum()), "share", ""))
    invited = rng.random(len(purchase_s)) < 0.04
    extra.append((purchase_customer[invited], purchase_s[invited] + rng.uniform(600, 3 * 86400, invited.sum()),
                  "referral_invite_sent", ""))

    e_cust = [s["cust"][session_idx]]
    e_anon = [s["anon"][session_idx]]
    e_ts = [ts]
    e_name = [names]
    e_sess = [s["raw_session_id"][session_idx]]
    e_channel = [s["channel"][session_idx]]
    e_platform = [s["platform"][session_idx]]
    for cust_idx, t, name, channel in extra:
        n = len(cust_idx)
        e_cust.append(customer_ids[cust_idx].astype(object))
        e_anon.append(np.full(n, "", dtype=object))
        e_ts.append(t)
        e_name.append(np.full(n, name))
        e_sess.append(np.full(n, ""))
        e_channel.append(np.full(n, channel))
        e_platform.append(np.full(n, "email" if channel == "email" else "web"))

    events = pd.DataFrame({
        "customer_id": np.concatenate(e_cust).astype(object),
        "anonymous_id": np.concatenate(e_anon).astype(object),
        "occurred_s": np.concatenate(e_ts),
        "event_name": np.concatenate(e_name),
        "session_id": np.concatenate(e_sess),
        "channel": np.concatenate(e_channel),
        "platform": np.concatenate(e_platform),
    })
    events = events[(events["occurred_s"] >= 0) & (events["occurred_s"] < horizon_s)]
    events = events.sort_values("occurred_s", kind="stable").reset_index(drop=True)
    # channel is recorded on the landing event of a session only (as trackers do)
    first_in_session = ~events.duplicated(subset=["customer_id", "anonymous_id", "session_id", "channel"])
    events.loc[~first_in_session & (events["event_name"] != "email_delivered"), "channel"] = ""
    events.insert(0, "event_id", np.char.add("e_", np.char.zfill(np.arange(1, len(events) + 1).astype(str), 9)))
    events.insert(4, "occurred_at", format_timestamps(events.pop("occurred_s").to_numpy(), start64, rng, 0.05))
    return events[["event_id", "anonymous_id", "customer_id", "event_name", "occurred_at",
                   "session_id", "channel", "platform"]]


def inject_bad_rows(rng, orders, events, customers, share: float):
    """Append a controlled share of bad rows; returns the frames and a count per reason."""
    def pick(frame, n):
        return frame.iloc[rng.integers(0, len(frame), n)].copy()

    n_o, n_e, n_c = (max(1, int(share * len(f))) for f in (orders, events, customers))
    bad_orders = []
    for reason in ["duplicate", "null_order_id", "null_customer_id", "bad_amount_text",
                   "bad_amount_negative", "bad_timestamp", "future_timestamp", "unknown_status"]:
        rows = pick(orders, n_o)
        if reason != "duplicate":
            rows["order_id"] = [f"o_bad_{reason}_{i}" for i in range(n_o)]
        if reason == "null_order_id":
            rows["order_id"] = ""
        elif reason == "null_customer_id":
            rows["customer_id"] = ""
        elif reason == "bad_amount_text":
            rows["amount"] = "n/a"
        elif reason == "bad_amount_negative":
            rows["amount"] = "-12.50"
        elif reason == "bad_timestamp":
            rows["ordered_at"] = "2025-02-30 25:61:00"
        elif reason == "future_timestamp":
            rows["ordered_at"] = "2099-01-01 00:00:00"
        elif reason == "unknown_status":
            rows["status"] = "on_hold"
        bad_orders.append(rows)
    bad_events = []
    for reason in ["duplicate", "null_event_id", "null_identity", "null_event_name",
                   "bad_timestamp", "future_timestamp"]:
        rows = pick(events, n_e)
        if reason != "duplicate":
            rows["event_id"] = [f"e_bad_{reason}_{i}" for i in range(n_e)]
        if reason == "null_event_id":
            rows["event_id"] = ""
        elif reason == "null_identity":
            rows["customer_id"], rows["anonymous_id"] = "", ""
        elif reason == "null_event_name":
            rows["event_name"] = ""
        elif reason == "bad_timestamp":
            rows["occurred_at"] = "yesterday"
        elif reason == "future_timestamp":
            rows["occurred_at"] = "2099-06-01T12:00:00+00:00"
        bad_events.append(rows)
    bad_customers = []
    for reason in ["duplicate", "null_customer_id", "bad_timestamp"]:
        rows = pick(customers, n_c)
        if reason == "null_customer_id":
            rows["customer_id"] = ""
        elif reason == "bad_timestamp":
            rows["customer_id"] = [f"c_bad_{i}" for i in range(n_c)]
            rows["created_at"] = "13/45/2024"
        bad_customers.append(rows)
    orders = pd.concat([orders, *bad_orders], ignore_index=True)
    events = pd.concat([events, *bad_events], ignore_index=True)
    customers = pd.concat([customers, *bad_customers], ignore_index=True)
    # shuffle bad rows in, deterministically
    orders = orders.iloc[rng.permutation(len(orders))].reset_index(drop=True)
    customers = customers.iloc[rng.permutation(len(customers))].reset_index(drop=True)
    return orders, events, customers, {"orders": 8 * n_o, "events": 6 * n_e, "customers": 3 * n_c}


def write(frame: pd.DataFrame, path: Path, fmt: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.astype(str).to_parquet(path.with_suffix(".parquet"), index=False)
    elif fmt == "csv.gz":  # mtime 0 keeps the bytes reproducible
        frame.to_csv(path.with_suffix(".csv.gz"), index=False, compression={"method": "gzip", "mtime": 0})
    else:
        frame.to_csv(path.with_suffix(".csv"), index=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000, help="registered customers to simulate")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start", default="2024-01-01", help="first day of the simulated period")
    parser.add_argument("--days", type=int, default=731, help="length of the period in days")
    parser.add_argument("--browse-factor", type=float, default=1.0,
                        help="multiplies browsing sessions (raise for event-heavy benchmarks)")
    parser.add_argument("--purchase-factor", type=float, default=1.0,
                        help="multiplies every customer's purchase rate (raise for order-heavy benchmarks)")
    parser.add_argument("--bad-share", type=float, default=0.002,
                        help="share of bad rows injected per reason (0 for clean data)")
    parser.add_argument("--format", choices=["csv", "csv.gz", "parquet"], default="csv")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--shards", type=int, default=1,
                        help="simulate and write the customers in this many independent parts (memory)")
    args = parser.parse_args(argv)
    if args.shards < 1 or args.shards > args.customers:
        parser.error("--shards must be between 1 and --customers")

    per_shard = -(-args.customers // args.shards)
    truths, totals = [], {"orders": 0, "events": 0, "customers": 0}
    for shard in range(args.shards):
        size = min(per_shard, args.customers - shard * per_shard)
        seed = args.seed + 1000 * shard  # shard 0 is the unsharded data set
        rng = np.random.default_rng(seed + 1)
        orders, events, customers, truth = simulate(size, seed, args.start, args.days,
                                                    args.browse_factor, args.purchase_factor)
        bad = {"orders": 0, "events": 0, "customers": 0}
        if args.bad_share > 0:
            orders, events, customers, bad = inject_bad_rows(rng, orders, events, customers, args.bad_share)
        frames = {"orders": orders, "events": events, "customers": customers}
        if args.shards > 1:
            prefix_ids(frames, truth, f"s{shard}-")
        for name, frame in frames.items():
            write(frame, args.out / name / f"part-{shard}" if args.shards > 1 else args.out / name, args.format)
            totals[name] += len(frame)
        truths.append(truth)
        del orders, events, customers, frames
        print(f"shard {shard + 1}/{args.shards}: {size:,} customers; bad rows injected: {bad}", flush=True)
    # the truth sits beside the raw tables; the project never reads it, tests do
    pd.concat(truths, ignore_index=True).to_csv(args.out / "_truth.csv", index=False)
    print(f"wrote {totals['orders']:,} orders, {totals['events']:,} events, {totals['customers']:,} customers "
          f"to {args.out} ({args.format})")


# every id column; an empty value (a missing id) stays empty
ID_COLUMNS = {"orders": ["order_id", "customer_id"],
              "events": ["event_id", "anonymous_id", "customer_id", "session_id"],
              "customers": ["customer_id", "email"]}


def prefix_ids(frames: dict, truth: pd.DataFrame, prefix: str) -> None:
    """Make one shard's ids distinct from every other shard's."""
    for name, columns in ID_COLUMNS.items():
        for column in columns:
            values = frames[name][column].astype(str)
            frames[name][column] = np.where(values != "", prefix + values, values)
    truth["customer_id"] = prefix + truth["customer_id"].astype(str)


if __name__ == "__main__":
    main()
