-- The party service's database ("party_service"): the party aggregate with lineage, and its ownership table.
CREATE TABLE IF NOT EXISTS public.party (
  party_id       text PRIMARY KEY,                -- UUIDv5 of the legacy customer id
  kind           text,
  display_name   text,
  status         text,
  email          text,
  region         text,
  updated_at     timestamp(3),
  lineage_source_system text, lineage_source_table text, lineage_source_key text COLLATE "C",
  lineage_source_position bigint, lineage_source_committed_at timestamptz, lineage_operation text,
  lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz,
  lineage_deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS party_lineage_source_key ON public.party (lineage_source_key);
CREATE INDEX IF NOT EXISTS party_lineage_applied_at ON public.party (lineage_applied_at);
CREATE TABLE IF NOT EXISTS public.migration_ownership (
  migration_unit  varchar(255) NOT NULL,
  partition_value varchar(255) NOT NULL,
  owner           varchar(16)  NOT NULL,
  since           timestamp,
  PRIMARY KEY (migration_unit, partition_value)
);
