"""dbt-duckdb plugin (profiles.yml `plugins:`): gives every DuckDB connection and cursor the
email-hash key as the variable `email_hash_key`, read from the environment, so the key
reaches the engine without ever appearing in SQL, compiled files or logs. The SQL side is
the macro `email_hash` (sha256 of the key followed by the normalised address)."""
from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin

# dbt scrubs DBT_ENV_SECRET_* values from its logs and never stores them in artifacts
KEY_ENV = "DBT_ENV_SECRET_EMAIL_HASH_KEY"
# public, documented in README (Privacy): for demo and development builds only; the
# on-run-start hook warns when a build uses it (check_vars)
DEVELOPMENT_KEY = "customer-lifecycle-development-key"


class Plugin(BasePlugin):
    def initialize(self, plugin_config):
        self.key = os.environ.get(KEY_ENV) or DEVELOPMENT_KEY

    def configure_connection(self, conn):
        conn.execute("set variable email_hash_key = ?", [self.key])

    def configure_cursor(self, cursor):
        cursor.execute("set variable email_hash_key = ?", [self.key])
