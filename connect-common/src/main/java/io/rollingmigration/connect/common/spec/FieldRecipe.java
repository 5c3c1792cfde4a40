package io.rollingmigration.connect.common.spec;

import dev.cel.common.ast.CelExpr;
import java.util.Map;

/**
 * How one field of an aggregate is derived from a legacy row, for code that must derive it elsewhere than in the
 * translator (the reconciler computing digests in SQL). Map values and the fallback are already converted to the
 * field's type, as the translator would write them.
 *
 * @param type       {@code string}, {@code long}, {@code int}, {@code double}, {@code boolean}, {@code decimal},
 *                   {@code date}, {@code time}, {@code timestamp} or {@code bytes}
 * @param from       the legacy column, when the field copies or maps one
 * @param map        legacy value (as text) to target value, or {@code null}
 * @param expression the checked CEL expression, or {@code null}
 * @param other      true when the field is conditional, a constant or a reference to another aggregate
 */
public record FieldRecipe(
        String name,
        String type,
        String from,
        Map<String, Object> map,
        Object fallback,
        boolean failOnUnmapped,
        CelExpr expression,
        boolean other) {}
