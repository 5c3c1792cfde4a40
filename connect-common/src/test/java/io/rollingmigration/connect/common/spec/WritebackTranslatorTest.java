package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class WritebackTranslatorTest {

    /** A fleet register: a vehicle row becomes a vehicle aggregate, and the service's vehicles are written back. */
    private static String spec(String writeback) {
        return String.join(
                "\n",
                "name: fleet-vehicle",
                "version: 1",
                "source: fleet.vehicle",
                "columns:",
                "  veh_no: bigint",
                "  plate: varchar(12)",
                "  state_cd: char(1)",
                "  odo_tenths: bigint",
                "  reg_date: date",
                "  depot: text",
                "  notes: text",
                "  changed_at: timestamp(6)",
                "aggregates:",
                "  vehicle:",
                "    key: {field: vehicle_id, uuid5: {namespace: url, columns: [veh_no]}}",
                "    ownership: depot",
                "    fields:",
                "      plate: plate",
                "      state: {from: state_cd, map: {A: ACTIVE, S: SOLD, X: SCRAPPED}, default: UNKNOWN}",
                "      odometer_km: {type: decimal(1), expr: \"decimal(after.odo_tenths) / 10\"}",
                "      registered_on: {type: date, from: reg_date}",
                "      depot: depot",
                "      changed_at: {type: timestamp, from: changed_at}",
                "    dropped:",
                "      notes: free text the service does not keep",
                writeback);
    }

    private static final String WRITEBACK = String.join(
            "\n",
            "    writeback:",
            "      key:",
            "        veh_no: {sequence: fleet.vehicle_no_seq}",
            "      version: changed_at",
            "      columns:",
            "        odo_tenths: {expr: \"int(after.odometer_km * 10)\"}",
            "        notes: {keep: previous, default: ''}");

    private static AggregateTranslator vehicle(String writeback) {
        return SpecCompiler.compile(spec(writeback), "vehicle");
    }

    private static WritebackTranslator writeback() {
        return vehicle(WRITEBACK).writeback().orElseThrow();
    }

    private static Map<String, Object> legacyRow() {
        Map<String, Object> row = new HashMap<>();
        row.put("veh_no", 4711L);
        row.put("plate", "KA-EV 42");
        row.put("state_cd", "A");
        row.put("odo_tenths", 1234567L);
        row.put("reg_date", LocalDate.of(2021, 3, 1));
        row.put("depot", "NORTH");
        row.put("notes", "dent in the left door");
        row.put("changed_at", LocalDateTime.of(2026, 12, 1, 9, 30, 15, 250_000_000));
        return row;
    }

    /** The service's row, as Debezium on the service's table gives it: the aggregate's fields, normalised. */
    private static Map<String, Object> serviceRow(Map<String, Object> changes) {
        AggregateTranslator translator = vehicle(WRITEBACK);
        Map<String, Object> legacy = legacyRow();
        Struct aggregate = translator.translate(translator.targetId(legacy), legacy, Map.of(), Map.of(), "r");
        Map<String, Object> row = new LinkedHashMap<>(ValueNormalizer.row(aggregate));
        row.putAll(changes);
        return row;
    }

    @Test
    void aServiceRowBecomesTheLegacyRowItCameFromThroughTheRulesTheForwardSpecImplies() {
        Map<String, Object> legacy = legacyRow();
        LegacyWrite write = writeback().translate(serviceRow(Map.of()), Map.of(), "u", Map.of("veh_no", 4711L));

        assertEquals("fleet.vehicle", write.table());
        assertEquals(Map.of("veh_no", 4711L), write.key());
        assertTrue(write.keyKnown());
        for (String column : List.of("plate", "state_cd", "odo_tenths", "reg_date", "depot", "changed_at")) {
            assertEquals(legacy.get(column), write.values().get(column), column);
        }
        assertEquals(Set.of("notes"), write.kept(), "a dropped column keeps what legacy holds");
        assertEquals("NORTH", write.partition());
        assertEquals("changed_at", write.versionColumn());
    }

    @Test
    void whatTheServiceChangesArrivesInLegacyInTheLegacyShape() {
        LegacyWrite write = writeback()
                .translate(
                        serviceRow(Map.of("state", "SOLD", "odometer_km", new BigDecimal("130000.5"))),
                        Map.of(),
                        "u",
                        Map.of("veh_no", 4711L));

        assertEquals("S", write.values().get("state_cd"));
        assertEquals(1300005L, write.values().get("odo_tenths"));
    }

    @Test
    void theWrittenBackRowTranslatesForwardToTheServicesAggregateAgain() {
        AggregateTranslator forward = vehicle(WRITEBACK);
        Map<String, Object> service = serviceRow(Map.of("plate", "KA-EV 43", "state", "SCRAPPED"));
        LegacyWrite write = writeback().translate(service, Map.of(), "u", Map.of("veh_no", 4711L));

        Map<String, Object> legacy = new HashMap<>(write.values());
        legacy.putAll(write.key());
        legacy.put("notes", null);
        Struct again = forward.translate(forward.targetId(legacy), legacy, Map.of(), Map.of(), "u");
        assertEquals(service, new LinkedHashMap<>(ValueNormalizer.row(again)));
    }

    @Test
    void aRowTheServiceCreatedDrawsItsLegacyKeyFromTheDeclaredSequence() {
        Map<String, Object> created = serviceRow(Map.of("vehicle_id", "0b7d4c1e-new"));
        LegacyWrite write = writeback().translate(created, Map.of(), "c", null);

        assertFalse(write.keyKnown());
        assertEquals(Map.of("veh_no", "fleet.vehicle_no_seq"), write.sequences());
        assertEquals("0b7d4c1e-new", write.targetId());
        assertEquals(Map.of("notes", ""), write.insertDefaults());
    }

    @Test
    void aRowTheServiceCreatedWithoutAKeyRuleIsRefusedNamingWhatToDeclare() {
        String noKeyRule = String.join(
                "\n",
                "    writeback:",
                "      columns:",
                "        odo_tenths: {expr: \"int(after.odometer_km * 10)\"}",
                "        notes: {keep: previous}");
        DataException e = assertThrows(
                DataException.class,
                () -> vehicle(noKeyRule)
                        .writeback()
                        .orElseThrow()
                        .translate(serviceRow(Map.of()), Map.of(), "c", null));
        assertTrue(e.getMessage().contains("writeback.key.veh_no"), e.getMessage());
        assertTrue(e.getMessage().contains("fleet-vehicle@1"), e.getMessage());
    }

    @Test
    void theLegacyKeyIsReadFromTheServiceRowsLineage() {
        assertEquals(
                Map.of("veh_no", 4711L),
                writeback().keyFromLineage("{\"veh_no\":4711}").orElseThrow());
        assertTrue(writeback().keyFromLineage("{\"other\":1}").isEmpty());
        assertTrue(writeback().keyFromLineage(null).isEmpty());
    }

    @Test
    void aDeleteNeedsOnlyTheKey() {
        LegacyWrite write = writeback().translate(Map.of(), Map.of("vehicle_id", "x"), "d", Map.of("veh_no", 4711L));
        assertTrue(write.delete());
        assertEquals(Map.of("veh_no", 4711L), write.key());
        assertTrue(write.values().isEmpty());
    }

    @Test
    void aServiceValueWithNoLegacyCounterpartIsADataErrorNamingTheRule() {
        DataException e = assertThrows(
                DataException.class,
                () -> writeback()
                        .translate(serviceRow(Map.of("state", "UNKNOWN")), Map.of(), "u", Map.of("veh_no", 4711L)));
        assertTrue(e.getMessage().contains("aggregates.vehicle.writeback.columns.state_cd"), e.getMessage());
        assertTrue(e.getMessage().contains("'UNKNOWN'"), e.getMessage());
    }

    @Test
    void aLegacyColumnTheForwardRulesReadButTheWritebackCannotDeriveFailsValidation() {
        SpecException e = assertThrows(
                SpecException.class, () -> vehicle("    writeback:\n      columns:\n        notes: {keep: previous}"));
        assertEquals("aggregates.vehicle.writeback.columns", e.path());
        assertTrue(e.getMessage().contains("odo_tenths (fields.odometer_km.expr reads it)"), e.getMessage());

        SpecException dropped = assertThrows(
                SpecException.class,
                () -> vehicle(
                        "    writeback:\n      columns:\n        odo_tenths: {expr: \"int(after.odometer_km * 10)\"}"));
        assertTrue(dropped.getMessage().contains("notes (it is dropped"), dropped.getMessage());
    }

    @Test
    void aValueMapThatCannotBeReadBackwardsFailsValidationWhereTheRuleBelongs() {
        String merged = spec(WRITEBACK).replace("{A: ACTIVE, S: SOLD, X: SCRAPPED}", "{A: ACTIVE, R: ACTIVE, S: SOLD}");
        SpecException e = assertThrows(SpecException.class, () -> SpecCompiler.compile(merged, "vehicle"));
        assertEquals("aggregates.vehicle.writeback.columns.state_cd", e.path());
        assertTrue(e.getMessage().contains("ACTIVE stands for both A and R"), e.getMessage());

        String declared = merged.replace(
                "        notes: {keep: previous, default: ''}",
                "        notes: {keep: previous, default: ''}\n"
                        + "        state_cd: {from: state, map: {ACTIVE: A, SOLD: S}, default: X}");
        LegacyWrite write = SpecCompiler.compile(declared, "vehicle")
                .writeback()
                .orElseThrow()
                .translate(serviceRow(Map.of("state", "UNKNOWN")), Map.of(), "u", Map.of("veh_no", 1L));
        assertEquals("X", write.values().get("state_cd"));
    }

    @Test
    void rulesAreCheckedAgainstTheLegacyColumnsAndTheAggregatesFields() {
        assertPathOf(
                "aggregates.vehicle.writeback.columns.colour",
                WRITEBACK + "\n        colour: {const: red}",
                "unknown legacy column 'colour'");
        assertPathOf(
                "aggregates.vehicle.writeback.columns.plate.from",
                WRITEBACK + "\n        plate: {from: licence}",
                "'licence' is not a field of the aggregate");
        assertPathOf(
                "aggregates.vehicle.writeback.columns.reg_date.from",
                WRITEBACK + "\n        reg_date: {from: odometer_km}",
                "cannot be written into a date column");
        assertPathOf(
                "aggregates.vehicle.writeback.columns.depot.sequence",
                WRITEBACK + "\n        depot: {sequence: s}",
                "declare it under writeback.key");
        assertPathOf(
                "aggregates.vehicle.writeback.version",
                WRITEBACK.replace("version: changed_at", "version: notes"),
                "must be a legacy column the write-back writes");
        assertPathOf(
                "aggregates.vehicle.writeback.columns.odo_tenths.expr",
                WRITEBACK.replace("int(after.odometer_km * 10)", "after.registered_on"),
                "cannot be written into a long column");
        assertPathOf(
                "aggregates.vehicle.writeback.key.plate",
                WRITEBACK.replace("veh_no: {sequence: fleet.vehicle_no_seq}", "plate: {from: plate}"),
                "not a legacy key column");
    }

    @Test
    void aKeyThatIsALegacyColumnIsWrittenBackFromTheAggregatesId() {
        String byColumn = spec(WRITEBACK)
                .replace("uuid5: {namespace: url, columns: [veh_no]}", "column: veh_no")
                .replace("        veh_no: {sequence: fleet.vehicle_no_seq}\n", "")
                .replace("      key:\n", "");
        WritebackTranslator writeback =
                SpecCompiler.compile(byColumn, "vehicle").writeback().orElseThrow();
        LegacyWrite write = writeback.translate(serviceRow(Map.of("vehicle_id", "4712")), Map.of(), "c", null);
        assertEquals(Map.of("veh_no", 4712L), write.key());
    }

    @Test
    void aKeyMapIdLookedUpIsNotALegacyColumnSoWritebackKeyNamesTheLegacyKey() {
        String mapped = spec(WRITEBACK)
                .replace("uuid5: {namespace: url, columns: [veh_no]}", "column: vehicle_ref")
                .replace("  veh_no: bigint\n", "  veh_no: bigint\n  vehicle_ref: text\n");
        WritebackTranslator writeback =
                SpecCompiler.compile(mapped, "vehicle").writeback().orElseThrow();

        assertEquals(List.of("veh_no"), writeback.keyColumns());
        LegacyWrite known = writeback.translate(serviceRow(Map.of()), Map.of(), "u", Map.of("veh_no", 4711L));
        assertFalse(known.values().containsKey("vehicle_ref"), "the transform's column is not written back");
        assertEquals(
                Map.of("veh_no", 4711L),
                writeback.keyFromLineage("{\"veh_no\":4711}").orElseThrow());
        assertEquals(
                Map.of("veh_no", "fleet.vehicle_no_seq"),
                writeback.translate(serviceRow(Map.of()), Map.of(), "c", null).sequences());
    }

    @Test
    void aServiceChangingTheFieldALegacyKeyComesFromIsRefusedRatherThanMovingTheLegacyRow() {
        String byPlate = spec(WRITEBACK)
                .replace("uuid5: {namespace: url, columns: [veh_no]}", "uuid5: {namespace: url, columns: [plate]}")
                .replace("        veh_no: {sequence: fleet.vehicle_no_seq}\n", "")
                .replace("      key:\n", "");
        WritebackTranslator writeback =
                SpecCompiler.compile(byPlate, "vehicle").writeback().orElseThrow();

        assertEquals(
                Map.of("plate", "KA-EV 42"),
                writeback
                        .translate(serviceRow(Map.of()), Map.of(), "u", Map.of("plate", "KA-EV 42"))
                        .key());
        DataException e = assertThrows(
                DataException.class,
                () -> writeback.translate(
                        serviceRow(Map.of("plate", "KA-EV 99")), Map.of(), "u", Map.of("plate", "KA-EV 42")));
        assertTrue(e.getMessage().contains("does not move a legacy row"), e.getMessage());
        assertEquals(
                Map.of("plate", "KA-NEW 1"),
                writeback
                        .translate(serviceRow(Map.of("plate", "KA-NEW 1")), Map.of(), "c", null)
                        .key(),
                "a new row takes its key from the field");
    }

    @Test
    void aSpecWithoutWritebackRulesIsNotWrittenBack() {
        assertTrue(vehicle("").writeback().isEmpty());
    }

    private static String orderSpec(String customerRule) {
        return String.join(
                "\n",
                "name: shop-order",
                "version: 1",
                "source: shop.orders",
                "columns: {order_no: bigint, customer_id: bigint, status_cd: char(1)}",
                "aggregates:",
                "  order:",
                "    key: {field: order_id, column: order_no}",
                "    fields:",
                "      customer_party_id: {ref: {uuid5: url, key: {id: customer_id}}}",
                "      status: {from: status_cd, map: {O: OPEN}, unmapped: error}",
                "    writeback:",
                "      columns:",
                "        customer_id: " + customerRule);
    }

    @Test
    void aReferenceToAnotherAggregateIsLeftForTheWritebackToLookUpInTheReferencedTable() {
        String party = Uuid5.of(Uuid5.namespace("url"), "{\"id\":17}").toString();
        LegacyWrite write = SpecCompiler.compile(orderSpec("{ref: customer_party_id, table: shop.customer}"), "order")
                .writeback()
                .orElseThrow()
                .translate(
                        Map.of("order_id", "5", "customer_party_id", party, "status", "OPEN"),
                        Map.of(),
                        "u",
                        Map.of("order_no", 5L));

        assertEquals(Map.of("status_cd", "O"), write.values(), "the customer's key is not known yet");
        assertEquals(
                Map.of(
                        "customer_id",
                        new LegacyWrite.Reference("shop.customer", Uuid5.namespace("url"), List.of("id"), "id", party)),
                write.references());
    }

    @Test
    void aReferenceIsReadBackOnlyFromAReferenceFieldMadeOfKeyColumnsAndNeedsItsTable() {
        for (List<String> refused : List.of(
                List.of("{ref: status, table: shop.customer}", ".ref", "not a reference field"),
                List.of("{ref: customer_party_id}", "", "table: <the referenced legacy table>"),
                List.of("{from: status, table: shop.customer}", ".table", "a table belongs to a reference"))) {
            SpecException e =
                    assertThrows(SpecException.class, () -> SpecCompiler.compile(orderSpec(refused.get(0)), "order"));
            assertEquals("aggregates.order.writeback.columns.customer_id" + refused.get(1), e.path(), e.getMessage());
            assertTrue(e.getMessage().contains(refused.get(2)), e.getMessage());
        }
    }

    private static void assertPathOf(String path, String writeback, String message) {
        SpecException e = assertThrows(SpecException.class, () -> vehicle(writeback));
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
