-- The insurer's legacy policy administration database on MariaDB (database "insurer"): the same four tables as
-- ../sql/legacy.sql, in MariaDB's types. The binary log must be in ROW format with full row images for Debezium's
-- MariaDB connector (legacy-cdc.json). Timestamps are UTC wall-clock times.
CREATE TABLE IF NOT EXISTS customer (
  id            BIGINT PRIMARY KEY,
  cust_type     CHAR(1) NOT NULL,                 -- P person, B business
  first_name    VARCHAR(100),
  last_name     VARCHAR(100),
  company_name  VARCHAR(200),
  status        CHAR(1) NOT NULL,                 -- A active, S suspended, C closed
  email         VARCHAR(200),
  email_opt_in  BOOLEAN NOT NULL DEFAULT FALSE,   -- TINYINT(1): legacy-cdc.json streams it as a boolean
  fax           VARCHAR(40),                      -- retired by the party service
  region        VARCHAR(10) NOT NULL,             -- the ownership partition: NORTH, SOUTH, ...
  updated_at    DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  KEY customer_updated_at (updated_at)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS policy (
  policy_no      VARCHAR(20) PRIMARY KEY,         -- e.g. PA-000123
  customer_id    BIGINT NOT NULL,
  product_code   VARCHAR(10) NOT NULL,            -- PAUTO
  status_code    CHAR(1) NOT NULL,                -- Q quoted, A in force, L lapsed, C cancelled
  effective_date DATE NOT NULL,
  expiry_date    DATE,
  cancel_date    DATE,                            -- set when cancelled; may be backdated
  region         VARCHAR(10) NOT NULL,
  vehicle_vin    VARCHAR(40),
  updated_at     DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  KEY policy_updated_at (updated_at),
  CONSTRAINT policy_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
) CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS policy_premium (
  policy_no      VARCHAR(20) NOT NULL,
  term_start     DATE NOT NULL,
  premium_cents  BIGINT NOT NULL,
  currency       CHAR(3) NOT NULL,
  installments   INT NOT NULL,
  updated_at     DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  PRIMARY KEY (policy_no, term_start),
  KEY policy_premium_updated_at (updated_at),
  CONSTRAINT premium_policy FOREIGN KEY (policy_no) REFERENCES policy (policy_no)
) CHARACTER SET utf8mb4;
-- The policy's current billing: the annual premium in four decimals, the currency as CHAR(5) (MariaDB drops the
-- padding old screens typed when it reads a CHAR; the spec trims it either way).
CREATE TABLE IF NOT EXISTS policy_billing (
  policy_no      VARCHAR(20) PRIMARY KEY,
  annual_premium DECIMAL(12,4) NOT NULL,
  currency       CHAR(5) NOT NULL,
  updated_at     DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  KEY policy_billing_updated_at (updated_at),
  CONSTRAINT billing_policy FOREIGN KEY (policy_no) REFERENCES policy (policy_no)
) CHARACTER SET utf8mb4;
