"""Emails: a keyed hash (SHA-256 of a secret key and the normalised address), the key never
written to SQL, compiled files or logs, and no address readable in the built database."""
import csv
import gzip
import hashlib
import os

import duckdb
import pytest

from conftest import DB_FILE, PROJECT_DIR, query, run_dbt

SECRET = "test-secret-4f9c2e"
DEVELOPMENT_KEY = "customer-lifecycle-development-key"


def keyed_hash(key: str, email: str) -> str:
    return hashlib.sha256((key + email.strip().lower()).encode()).hexdigest()


def raw_customers():
    with gzip.open(PROJECT_DIR / "data" / "demo" / "customers.csv.gz", "rt", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def keyed_build(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("keyed") / DB_FILE
    os.environ["DBT_ENV_SECRET_EMAIL_HASH_KEY"] = SECRET
    try:
        result = run_dbt(["build", "--select", "+stg_raw__customers", "+stg_raw__rejects", "+stg_raw__orders",
                          "+stg_raw__events", "--exclude", "test_type:unit"], db_path,
                         write_json=True)  # the secret must be in no artifact either
    finally:
        del os.environ["DBT_ENV_SECRET_EMAIL_HASH_KEY"]
    return db_path, result


def test_email_hash_is_sha256_of_the_key_and_the_address(keyed_build):
    db_path, _ = keyed_build
    staged = dict(query(db_path, "select customer_id, email_hash from staging.stg_raw__customers").values.tolist())
    expected = {}
    for row in raw_customers():
        if row["email"].strip() and row["customer_id"].strip() in staged:
            expected.setdefault(row["customer_id"].strip(), set()).add(keyed_hash(SECRET, row["email"]))
    assert len(expected) > 1000
    assert all(staged[customer] in hashes for customer, hashes in expected.items())
    # a hash made with the public development key (or none, plain md5) does not match
    some_email = next(row["email"] for row in raw_customers() if row["email"].strip())
    assert keyed_hash(DEVELOPMENT_KEY, some_email) not in set(staged.values())


def test_the_secret_is_in_no_file_or_message(keyed_build):
    db_path, result = keyed_build
    assert SECRET not in result.stdout + result.stderr
    assert "development key" not in result.stdout  # set, so no warning
    for path in db_path.parent.rglob("*"):
        if path.is_file() and path.suffix not in {".duckdb", ".wal"}:
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_build_without_the_key_warns_once(demo_build):
    log = (demo_build.parent / "logs" / "dbt.log").read_text()
    assert log.count("DBT_ENV_SECRET_EMAIL_HASH_KEY is not set") >= 1


def test_no_address_is_readable_in_the_built_database(demo_build):
    """Anyone who can open the database (without the key) finds no address in any text
    column of any table or view, raw_files' views included."""
    with duckdb.connect(str(demo_build), read_only=True) as con:
        con.execute(f"set file_search_path = '{demo_build.parent}'")
        columns = con.sql("""select table_schema, table_name, column_name from information_schema.columns
                             where data_type = 'VARCHAR' and table_catalog = current_database()""").fetchall()
        assert any(schema == "raw_files" for schema, _, _ in columns)
        with_address = []
        for schema, table, column in columns:
            found = con.sql(f'select count(*) from "{schema}"."{table}" where "{column}" like \'%@%\'').fetchone()[0]
            if found:
                with_address.append(f"{schema}.{table}.{column}")
    assert with_address == []
