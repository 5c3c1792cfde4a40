package io.rollingmigration.converter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every combination of the settings that change what JsonConverter reads or writes, for keys and for values. */
final class Settings {

    private Settings() {}

    static List<BothConverters> everyCombination() {
        List<BothConverters> all = new ArrayList<>();
        for (boolean schemas : new boolean[] {true, false}) {
            for (String decimals : new String[] {"BASE64", "NUMERIC"}) {
                for (boolean replaceNull : new boolean[] {true, false}) {
                    for (boolean isKey : new boolean[] {false, true}) {
                        all.add(new BothConverters(
                                Map.of(
                                        "schemas.enable", String.valueOf(schemas),
                                        "decimal.format", decimals,
                                        "replace.null.with.default", String.valueOf(replaceNull)),
                                isKey));
                    }
                }
            }
        }
        return all;
    }
}
