package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class SpecCompilerTest {

    static final String CUSTOMER_SPEC = String.join(
            "\n",
            "name: crm-customer",
            "version: 3",
            "source: public.customer",
            "columns: [id, cust_type, first_name, last_name, company_name, status, balance_cents, fax, email,",
            "          email_opt_in, region, updated_at]",
            "aggregates:",
            "  party:",
            "    topic: party",
            "    key:",
            "      field: party_id",
            "      uuid5: {namespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, columns: [id]}",
            "    ownership: region",
            "    fields:",
            "      kind: {from: cust_type, map: {B: ORGANISATION, P: PERSON}, unmapped: error}",
            "      display_name:",
            "        expr: \"after.cust_type == 'B' ? after.company_name : after.first_name + ' ' + after.last_name\"",
            "      status: {from: status, map: {A: ACTIVE, C: CLOSED}, default: UNKNOWN}",
            "      balance: {type: decimal(2), expr: \"decimal(after.balance_cents) / decimal(100)\"}",
            "      email: {from: email, when: \"after.email_opt_in == true\"}",
            "      region: region",
            "      updated_at: {type: timestamp, from: updated_at}",
            "      legacy_system: {const: crm}",
            "    dropped:",
            "      fax: no fax in the target model",
            "  customer_profile:",
            "    key: {field: profile_id, uuid5: {namespace: 6ba7b812-9dad-11d1-80b4-00c04fd430c8, columns: [id]}}",
            "    fields:",
            "      balance_cents: {type: long, from: balance_cents}");

    private static Map<String, Object> person() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 42L);
        row.put("cust_type", "P");
        row.put("first_name", "Ada");
        row.put("last_name", "Lovelace");
        row.put("company_name", null);
        row.put("status", "A");
        row.put("balance_cents", 123456L);
        row.put("fax", "+44 20 1234");
        row.put("email", "ada@example.com");
        row.put("email_opt_in", false);
        row.put("region", "EU");
        row.put("updated_at", LocalDateTime.of(2026, 11, 24, 10, 15, 30, 123_000_000));
        return row;
    }

    @Test
    void translatesAnOverloadedLegacyRowIntoAParty() {
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Map<String, Object> row = person();

        String id = party.targetId(row);
        Struct value = party.translate(id, row, Map.of(), Map.of(), "c");

        assertEquals(
                Uuid5.of(UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), "{\"id\":42}")
                        .toString(),
                id);
        assertEquals(id, value.getString("party_id"));
        assertEquals("PERSON", value.getString("kind"));
        assertEquals("Ada Lovelace", value.getString("display_name"));
        assertEquals("ACTIVE", value.getString("status"));
        assertEquals(new BigDecimal("1234.56"), value.get("balance"));
        assertNull(value.get("email"), "not opted in: the conditional field stays empty");
        assertEquals("EU", value.getString("region"));
        assertEquals("crm", value.getString("legacy_system"));
        assertEquals(
                LocalDateTime.of(2026, 11, 24, 10, 15, 30, 123_000_000)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli(),
                ((Date) value.get("updated_at")).getTime(),
                "wall clock kept as UTC");
        assertEquals(List.of("fax"), party.droppedValues(row));
        assertEquals("crm-customer@3", party.rule());
        assertEquals("party", party.topic());
        assertEquals("region", party.ownershipField());
    }

    @Test
    void organisationsAndUnknownStatusesFollowTheirRules() {
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Map<String, Object> row = person();
        row.put("cust_type", "B");
        row.put("company_name", "Analytical Engines Ltd");
        row.put("status", "X");
        row.put("email_opt_in", true);

        Struct value = party.translate(party.targetId(row), row, Map.of(), Map.of(), "u");

        assertEquals("ORGANISATION", value.getString("kind"));
        assertEquals("Analytical Engines Ltd", value.getString("display_name"));
        assertEquals("UNKNOWN", value.getString("status"));
        assertEquals("ada@example.com", value.getString("email"));
    }

    @Test
    void oneLegacyTableFeedsTwoAggregatesWithTheirOwnKeys() {
        Map<String, AggregateTranslator> all = SpecCompiler.compile(CUSTOMER_SPEC);
        Map<String, Object> row = person();

        assertEquals(List.of("party", "customer_profile"), List.copyOf(all.keySet()));
        assertNotEquals(
                all.get("party").targetId(row), all.get("customer_profile").targetId(row));
        assertEquals(
                123456L,
                all.get("customer_profile")
                        .translate("p", row, Map.of(), Map.of(), "c")
                        .get("balance_cents"));
    }

    @Test
    void aReferenceToAnotherAggregateIsThatAggregatesOwnId() {
        String policySpec = String.join(
                "\n",
                "name: policy",
                "version: 1",
                "source: public.policy",
                "columns: [policy_no, customer_id, cancelled_by]",
                "aggregates:",
                "  policy:",
                "    key: {field: policy_id, uuid5: {namespace: 7f1d2a8e-3c55-4b0e-9d4a-2b6f1c9e8a01, "
                        + "columns: [policy_no]}}",
                "    fields:",
                "      holder_party_id: {ref: {uuid5: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, key: {id: customer_id}}}",
                "      canceller_party_id: {ref: {uuid5: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, "
                        + "key: {id: cancelled_by}}}");
        AggregateTranslator policy = SpecCompiler.compile(policySpec, "policy");
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Map<String, Object> row = new HashMap<>();
        row.put("policy_no", "PA-1");
        row.put("customer_id", 42L);
        row.put("cancelled_by", null);

        Struct translated = policy.translate(policy.targetId(row), row, Map.of(), Map.of(), "c");

        assertEquals(party.targetId(person()), translated.get("holder_party_id"), "the party of customer 42");
        assertNull(translated.get("canceller_party_id"), "no legacy value, no reference");
        assertPath(
                "aggregates.policy.fields.holder_party_id.ref.key.id",
                policySpec.replace("key: {id: customer_id}", "key: {id: customer}"));
        assertPath(
                "aggregates.policy.fields.holder_party_id.ref.uuid5",
                policySpec.replace(
                        "uuid5: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, key: {id: customer_id}",
                        "uuid5: nope, key: {id: customer_id}"));
        assertPath(
                "aggregates.policy.fields.holder_party_id",
                policySpec.replace(
                        "{ref: {uuid5: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, key: {id: customer_id}}}",
                        "{from: customer_id, ref: {uuid5: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, key: {id: x}}}"));
    }

    @Test
    void schemasAreBuiltOnceAndCarryTheSpecVersion() {
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Struct first = party.translate("a", person(), Map.of(), Map.of(), "c");
        Struct second = party.translate("b", person(), Map.of(), Map.of(), "c");

        assertSame(first.schema(), second.schema());
        assertEquals("crm-customer.party", first.schema().name());
        assertEquals(3, first.schema().version());
    }

    @Test
    void uuid5MatchesTheRfcExample() {
        assertEquals(
                UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"),
                Uuid5.of(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    @Test
    void moneyStaysExactAndRoundingIsAnErrorNotASilentChange() {
        String spec = "name: m\nversion: 1\nsource: t\naggregates:\n  a:\n    key: {column: id}\n    fields:\n"
                + "      third: {type: decimal(2), expr: \"decimal(after.amount) / decimal(3)\"}\n"
                + "      sum: {type: decimal(2), expr: \"decimal('0.10') + decimal('0.20')\"}\n";
        AggregateTranslator translator = SpecCompiler.compile(spec, "a");
        Map<String, Object> row = new HashMap<>(Map.of("id", 1L, "amount", new BigDecimal("3.00")));
        Struct value = translator.translate("1", row, Map.of(), Map.of(), "c");
        assertEquals(new BigDecimal("1.00"), value.get("third"));
        assertEquals(new BigDecimal("0.30"), value.get("sum"), "0.1 + 0.2 is exactly 0.3");

        row.put("amount", new BigDecimal("1.00"));
        DataException error =
                assertThrows(DataException.class, () -> translator.translate("1", row, Map.of(), Map.of(), "c"));
        assertTrue(error.getMessage().contains("without rounding"), error.getMessage());
        assertTrue(
                error.getMessage().contains("m@1") && error.getMessage().contains("{\"id\":1}"),
                "names the rule and the legacy key: " + error.getMessage());
    }

    @Test
    void anUnmappedValueFailsWithTheValueTheRuleAndTheKey() {
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Map<String, Object> row = person();
        row.put("cust_type", "Z");

        DataException error = assertThrows(
                DataException.class, () -> party.translate(party.targetId(row), row, Map.of(), Map.of(), "c"));
        assertTrue(
                error.getMessage().contains("'Z'")
                        && error.getMessage().contains("crm-customer@3")
                        && error.getMessage().contains("{\"id\":42}"),
                error.getMessage());
    }

    @Test
    void aColumnDroppedFromTheLegacyTableIsAClearErrorAndANewOneIsIgnored() {
        AggregateTranslator party = SpecCompiler.compile(CUSTOMER_SPEC, "party");
        Map<String, Object> row = person();
        row.put("loyalty_tier", "gold");
        party.translate(party.targetId(row), row, Map.of(), Map.of(), "c");

        row.remove("region");
        DataException error = assertThrows(
                DataException.class, () -> party.translate(party.targetId(row), row, Map.of(), Map.of(), "c"));
        assertTrue(error.getMessage().contains("legacy column 'region' is missing"), error.getMessage());
    }

    @Test
    void aFailingFieldNamesItsPathAndTheValuesTypeAndAMaskedOneNeverTheValue() {
        String spec = "name: m\nversion: 1\nsource: t\ncolumns: {id: bigint, birth: varchar(10), tier: text}\n"
                + "aggregates:\n  a:\n    key: {column: id}\n    fields:\n"
                + "      born_on: {type: date, expr: \"date(after.birth)\", masked: true}\n"
                + "      tier: {from: tier, map: {G: GOLD}, unmapped: error, masked: true}\n";
        Map<String, Object> row = new HashMap<>(Map.of("id", 1L, "birth", "31/01/1980", "tier", "G"));

        DataException masked = assertThrows(
                DataException.class,
                () -> SpecCompiler.compile(spec, "a").translate("1", row, Map.of(), Map.of(), "c"));
        assertTrue(
                masked.getMessage().contains("aggregates.a.fields.born_on")
                        && masked.getMessage().contains("string")
                        && !masked.getMessage().contains("31/01/1980")
                        && masked.getMessage().contains("{\"id\":1}"),
                masked.getMessage());
        DataException plain = assertThrows(
                DataException.class,
                () -> SpecCompiler.compile(spec.replace(", masked: true}\n      tier", "}\n      tier"), "a")
                        .translate("1", row, Map.of(), Map.of(), "c"));
        assertTrue(plain.getMessage().contains("31/01/1980"), plain.getMessage());

        row.put("birth", "1980-01-31");
        row.put("tier", "P");
        DataException unmapped = assertThrows(
                DataException.class,
                () -> SpecCompiler.compile(spec, "a").translate("1", row, Map.of(), Map.of(), "c"));
        assertTrue(
                unmapped.getMessage().contains("aggregates.a.fields.tier")
                        && !unmapped.getMessage().contains("'P'"),
                unmapped.getMessage());
        assertEquals(List.of("born_on", "tier"), SpecCompiler.compile(spec, "a").maskedFields());
    }

    @Test
    void mappedValuesAndDefaultsAreConvertedOnceWhenTheSpecCompiles() {
        String spec = "name: m\nversion: 1\nsource: t\naggregates:\n  a:\n    key: {column: id}\n    fields:\n"
                + "      level: {type: int, from: code, map: {1: 10, 2: 20}, default: 0}\n";
        AggregateTranslator translator = SpecCompiler.compile(spec, "a");
        assertEquals(
                10,
                translator
                        .translate("1", Map.of("id", 1L, "code", 1L), Map.of(), Map.of(), "c")
                        .get("level"),
                "a numeric legacy code matches its map key");
        assertEquals(
                0,
                translator
                        .translate("1", Map.of("id", 1L, "code", 9L), Map.of(), Map.of(), "c")
                        .get("level"));
        assertSame(
                translator.recipes().get(0).map().get("1"),
                translator.recipes().get(0).map().get("1"),
                "the recipe holds the converted value itself");
        assertEquals(10, translator.recipes().get(0).map().get("1"));
        assertPath("aggregates.a.fields.level.map.2", spec.replace("2: 20", "2: twenty"));
        assertPath("aggregates.a.fields.level.default", spec.replace("default: 0", "default: none"));
    }

    @Test
    void invalidSpecsAreReportedWithTheirPath() {
        assertPath("aggregates.party.fields.kind", CUSTOMER_SPEC.replace(", unmapped: error", ""));
        assertPath("aggregates.party.fields.balance.type", CUSTOMER_SPEC.replace("decimal(2)", "money"));
        assertPath(
                "aggregates.party.fields.display_name.expr",
                CUSTOMER_SPEC.replace("? after.company_name", "?? after.company_name"));
        assertPath("aggregates.party.fields.region.from", CUSTOMER_SPEC.replace("region: region", "region: regio"));
        assertPath(
                "aggregates.party.fields.balance.expr",
                CUSTOMER_SPEC.replace("decimal(after.balance_cents) / decimal(100)", "after.balance_cents > 0"));
        assertPath(
                "aggregates.party.key.uuid5.namespace",
                CUSTOMER_SPEC.replace("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "not-a-uuid"));
        assertPath("aggregates.party.dropped.fax", CUSTOMER_SPEC.replace("fax: no fax in the target model", "fax: ''"));
        assertPath("aggregates.party.colour", CUSTOMER_SPEC.replace("    ownership: region", "    colour: blue"));
        SpecException yaml = assertThrows(SpecException.class, () -> MappingSpec.parse("name: [unclosed\nversion: 1"));
        assertTrue(yaml.getMessage().contains("line"), yaml.getMessage());
    }

    @Test
    void expressionsCannotReachTheJvmFilesNetworkOrEnvironment() {
        for (String attempt : List.of(
                "java.lang.Runtime.getRuntime().exec('id')",
                "getenv('HOME')",
                "after.getClass().getName()",
                "file('/etc/passwd')",
                "http.get('http://127.0.0.1/')",
                "T(java.lang.System).exit(1)",
                "import('os')")) {
            String spec = "name: x\nversion: 1\nsource: t\naggregates:\n  a:\n    key: {column: id}\n    fields:\n"
                    + "      f: {expr: \"" + attempt.replace("\"", "\\\"") + "\"}\n";
            SpecException error =
                    assertThrows(SpecException.class, () -> SpecCompiler.compile(spec), "must not compile: " + attempt);
            assertEquals("aggregates.a.fields.f.expr", error.path(), attempt);
        }
    }

    private static void assertPath(String path, String spec) {
        SpecException error = assertThrows(SpecException.class, () -> SpecCompiler.compile(spec));
        assertEquals(path, error.path(), error.getMessage());
    }
}
