package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Any existing deterministic id scheme can be written as a key or a reference. */
class KeyFormsTest {

    private static final UUID POLICY_NS = UUID.fromString("3f6c2b5e-8a41-4d27-9c1e-5b7a0d2e4f10");
    private static final UUID PARTY_NS = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    private static AggregateTranslator aggregate(String columns, String key, String fields) {
        String spec = "name: k\nversion: 1\nsource: t\n" + columns + "aggregates:\n  a:\n    key: " + key + "\n"
                + "    fields:\n" + fields;
        return SpecCompiler.compile(spec, "a");
    }

    @Test
    void aUuid5OfANameTemplateReproducesIdsDefinedAsTableColonKey() {
        AggregateTranslator policy = aggregate(
                "columns: {pol_id: bigint, status: smallint}\n",
                "{field: policy_id, uuid5: {namespace: " + POLICY_NS + ", name: \"'policy:' + string(after.pol_id)\"}}",
                "      status: {type: int, from: status}\n");

        assertEquals(Uuid5.of(POLICY_NS, "policy:42").toString(), policy.targetId(Map.of("pol_id", 42L, "status", 1L)));
        assertEquals(List.of("pol_id"), policy.keyColumns());
    }

    @Test
    void aKeyCanBeAnyExpressionOfTheRowAsItIs() {
        AggregateTranslator policy =
                aggregate("", "{field: policy_id, expr: \"'POL-' + string(after.pol_id)\"}", "      status: status\n");
        assertEquals("POL-42", policy.targetId(Map.of("pol_id", 42L, "status", "A")));
    }

    @Test
    void aFragmentTableWhoseKeyColumnIsNamedOtherwiseMakesTheSameIdAsTheHeader() {
        AggregateTranslator header = aggregate(
                "",
                "{field: policy_id, uuid5: {namespace: " + POLICY_NS + ", columns: [pol_id]}}",
                "      status: status\n");
        AggregateTranslator premium = aggregate(
                "",
                "{field: policy_id, uuid5: {namespace: " + POLICY_NS + ", columns: {pol_id: policy_ref}}}",
                "      premium: premium\n");

        assertEquals(header.targetId(Map.of("pol_id", 42L)), premium.targetId(Map.of("policy_ref", 42L)));
        assertEquals(Uuid5.of(POLICY_NS, "{\"pol_id\":42}").toString(), premium.targetId(Map.of("policy_ref", 42L)));
    }

    @Test
    void aReferenceByNameIsTheReferencedAggregatesIdAndNullWhenItsColumnIs() {
        AggregateTranslator policy = aggregate(
                "",
                "{field: policy_id, uuid5: {namespace: " + POLICY_NS + ", columns: [pol_id]}}",
                "      holder_id: {ref: {uuid5: " + PARTY_NS + ", name: \"'customer:' + string(after.cust_id)\"}}\n");
        Map<String, Object> row = new HashMap<>(Map.of("pol_id", 1L, "cust_id", 7L));
        Struct value = policy.translate(policy.targetId(row), row, Map.of(), Map.of(), "r");
        assertEquals(Uuid5.of(PARTY_NS, "customer:7").toString(), value.get("holder_id"));

        row.put("cust_id", null);
        assertNull(policy.translate(policy.targetId(row), row, Map.of(), Map.of(), "r")
                .get("holder_id"));
    }

    @Test
    void badKeysAreRefusedWithTheirPath() {
        SpecException notText = assertThrows(
                SpecException.class,
                () -> aggregate(
                        "columns: {pol_id: bigint}\n",
                        "{field: id, uuid5: {namespace: " + POLICY_NS + ", name: \"after.pol_id > 3\"}}",
                        "      x: {const: a}\n"));
        assertEquals("aggregates.a.key.uuid5.name", notText.path());
        SpecException context = assertThrows(
                SpecException.class,
                () -> aggregate("", "{field: id, expr: \"string(source.position)\"}", "      x: {const: a}\n"));
        assertTrue(context.getMessage().contains("row alone"), context.getMessage());
        SpecException both = assertThrows(
                SpecException.class,
                () -> aggregate("", "{field: id, column: a, expr: \"after.a\"}", "      x: {const: a}\n"));
        assertTrue(both.getMessage().contains("exactly one"), both.getMessage());
        SpecException unknown = assertThrows(
                SpecException.class,
                () -> aggregate(
                        "columns: [pol_id]\n",
                        "{field: id, uuid5: {namespace: dns, name: \"string(after.polid)\"}}",
                        "      x: {const: a}\n"));
        assertTrue(unknown.getMessage().contains("unknown legacy column 'polid'"), unknown.getMessage());
    }

    @Test
    void aKeyExpressionThatYieldsNullIsAnErrorNotANullId() {
        AggregateTranslator policy = aggregate("", "{field: id, expr: \"trim(after.code)\"}", "      x: {const: a}\n");
        Map<String, Object> row = new HashMap<>();
        row.put("code", null);
        assertThrows(DataException.class, () -> policy.targetId(row));
    }
}
