package io.rollingmigration.packaging;

/** The legacy CRM's customer table, the source of the example party spec, as the end-to-end tests create it. */
final class LegacyCustomerTable {

    static final String DDL = "CREATE TABLE public.customer (id bigint PRIMARY KEY, cust_type char(1) NOT NULL, "
            + "first_name text, last_name text, company_name text, status char(1) NOT NULL, "
            + "balance_cents bigint NOT NULL, fax text, email text, email_opt_in boolean NOT NULL, "
            + "region text NOT NULL, updated_at timestamp(6) NOT NULL)";

    private LegacyCustomerTable() {}
}
