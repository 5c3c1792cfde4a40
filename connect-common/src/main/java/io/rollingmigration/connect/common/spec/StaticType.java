package io.rollingmigration.connect.common.spec;

import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.NullableType;

/**
 * What the checker knows of an expression's value, in the words validation messages use: {@code string},
 * {@code int}, {@code uint}, {@code double}, {@code bool}, {@code bytes}, {@code decimal}, {@code timestamp},
 * {@code duration}, {@code null}, {@code list}, {@code map}, or {@code dyn} when it depends on values whose type is
 * not known (columns declared without a type, or not declared).
 */
public record StaticType(String name) {

    public static final StaticType DYN = new StaticType("dyn");

    static StaticType of(CelType type) {
        CelType target = type instanceof NullableType nullable ? nullable.targetType() : type;
        if (target.equals(SpecFunctions.DECIMAL)) {
            return new StaticType("decimal");
        }
        CelKind kind = target.kind();
        return switch (kind) {
            case STRING -> new StaticType("string");
            case INT -> new StaticType("int");
            case UINT -> new StaticType("uint");
            case DOUBLE -> new StaticType("double");
            case BOOL -> new StaticType("bool");
            case BYTES -> new StaticType("bytes");
            case TIMESTAMP -> new StaticType("timestamp");
            case DURATION -> new StaticType("duration");
            case NULL_TYPE -> new StaticType("null");
            case LIST -> new StaticType("list");
            case MAP -> new StaticType("map");
            case DYN, ANY, TYPE_PARAM -> DYN;
            default -> new StaticType(target.name());
        };
    }

    public boolean unknown() {
        return this.equals(DYN);
    }

    @Override
    public String toString() {
        return name;
    }
}
