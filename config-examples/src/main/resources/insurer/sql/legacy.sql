-- The insurer's legacy policy administration database (PostgreSQL, database "insurer"): personal-auto policies,
-- their premiums per term, and the customers who hold them. Timestamps are UTC wall-clock times.
CREATE TABLE IF NOT EXISTS public.customer (
  id            bigint PRIMARY KEY,
  cust_type     char(1) NOT NULL,                 -- P person, B business
  first_name    text,
  last_name     text,
  company_name  text,
  status        char(1) NOT NULL,                 -- A active, S suspended, C closed
  email         text,
  email_opt_in  boolean NOT NULL DEFAULT false,
  fax           text,                             -- retired by the party service
  region        text NOT NULL,                    -- the ownership partition: NORTH, SOUTH, ...
  updated_at    timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE IF NOT EXISTS public.policy (
  policy_no      text PRIMARY KEY,                -- e.g. PA-000123
  customer_id    bigint NOT NULL REFERENCES public.customer (id),
  product_code   text NOT NULL,                   -- PAUTO
  status_code    char(1) NOT NULL,                -- Q quoted, A in force, L lapsed, C cancelled
  effective_date date NOT NULL,
  expiry_date    date,
  cancel_date    date,                            -- set when cancelled; may be backdated
  region         text NOT NULL,
  vehicle_vin    text,
  updated_at     timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE IF NOT EXISTS public.policy_premium (
  policy_no      text NOT NULL REFERENCES public.policy (policy_no),
  term_start     date NOT NULL,
  premium_cents  bigint NOT NULL,
  currency       char(3) NOT NULL,
  installments   int NOT NULL,
  updated_at     timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (policy_no, term_start)
);
-- The policy's current billing: the annual premium in four decimals, the currency as char(3) padded by old
-- screens. One row per policy; the policy service keeps it on the policy row (a fragment of it).
CREATE TABLE IF NOT EXISTS public.policy_billing (
  policy_no      text PRIMARY KEY REFERENCES public.policy (policy_no),
  annual_premium numeric(12,4) NOT NULL,
  currency       char(5) NOT NULL,
  updated_at     timestamp(6) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
-- The reconcilers' incremental runs find changed rows through updated_at.
CREATE INDEX IF NOT EXISTS customer_updated_at ON public.customer (updated_at);
CREATE INDEX IF NOT EXISTS policy_updated_at ON public.policy (updated_at);
CREATE INDEX IF NOT EXISTS policy_premium_updated_at ON public.policy_premium (updated_at);
CREATE INDEX IF NOT EXISTS policy_billing_updated_at ON public.policy_billing (updated_at);
