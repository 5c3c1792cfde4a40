-- The policy service's database ("policy_service"): the policy and premium aggregates, each row with the lineage
-- columns the sink writes (docs/lineage.md), and the ownership control table. Business columns are nullable: a
-- delete of a row the service never held leaves a versioned marker row (the sink's soft deletes). A policy row is
-- assembled from two legacy tables, policy and policy_billing: two fragments, each with its own version column.
CREATE TABLE IF NOT EXISTS public.policy (
  policy_id        text PRIMARY KEY,              -- UUIDv5 of the legacy policy_no
  policy_number    text,
  holder_party_id  text,                          -- the party service's id of the holder
  product          text,
  status           text,
  effective_date   date,
  expiry_date      date,
  ends_on          date,                          -- the cancellation date, else the expiry date
  region           text,
  vin              text,
  updated_at       timestamp(3),
  annual_premium   numeric(12,2),                 -- from policy_billing, rounded to the cent
  billing_currency text,
  policy_version   bigint,                        -- the version of the policy fragment
  billing_version  bigint,                        -- the version of the billing fragment
  lineage_source_system text, lineage_source_table text, lineage_source_key text COLLATE "C",
  lineage_source_position bigint, lineage_source_committed_at timestamptz, lineage_operation text,
  lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz,
  lineage_deleted_at timestamptz
);
-- The reconciler looks target rows up, and walks them, by the legacy key: byte order (COLLATE "C") keeps that cheap.
CREATE INDEX IF NOT EXISTS policy_lineage_source_key ON public.policy (lineage_source_key);
CREATE INDEX IF NOT EXISTS policy_lineage_applied_at ON public.policy (lineage_applied_at);
-- The write-back lane (connectors/policy-writeback.json) reads a deleted policy's legacy key from the row before the
-- delete: Debezium on this store must see the whole row.
ALTER TABLE public.policy REPLICA IDENTITY FULL;
CREATE TABLE IF NOT EXISTS public.policy_premium (
  premium_id       text PRIMARY KEY,              -- UUIDv5 of (policy_no, term_start)
  policy_id        text,
  term_start       date,
  annual_premium   numeric(12,2),
  currency         text,
  installments     int,
  updated_at       timestamp(3),
  lineage_source_system text, lineage_source_table text, lineage_source_key text COLLATE "C",
  lineage_source_position bigint, lineage_source_committed_at timestamptz, lineage_operation text,
  lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz,
  lineage_deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS policy_premium_lineage_source_key ON public.policy_premium (lineage_source_key);
CREATE INDEX IF NOT EXISTS policy_premium_lineage_applied_at ON public.policy_premium (lineage_applied_at);
CREATE TABLE IF NOT EXISTS public.migration_ownership (
  migration_unit  varchar(255) NOT NULL,
  partition_value varchar(255) NOT NULL,
  owner           varchar(16)  NOT NULL,
  since           timestamp,
  PRIMARY KEY (migration_unit, partition_value)
);
