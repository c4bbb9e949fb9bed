package io.capipc.servers.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import io.capipc.servers.processor.Model.Scalar;
import io.capipc.servers.processor.Model.Value;

/** How a register value is written into and read out of a message register (Wire's encoding). */
final class Codecs {
    static final ClassName WIRE = ClassName.get("io.capipc.servers", "Wire");
    static final ClassName PROTOCOL_ERROR = ClassName.get("io.capipc.servers", "ProtocolError");

    private Codecs() {}

    /** The name of the cached {@code values()} array of an enum, a static field of the generated class. */
    static String valuesField(ClassName enumType) {
        return String.join("_", enumType.simpleNames()).replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toUpperCase(java.util.Locale.ROOT) + "_VALUES";
    }

    /** {@code expr} (of the value's type) as a {@code long} register. */
    static CodeBlock encode(Value v, String expr) {
        return switch (v.scalar()) {
            case LONG, INT, SHORT, BYTE, CHAR -> CodeBlock.of("$L", expr);
            case BOOLEAN -> CodeBlock.of("$T.ofBoolean($L)", WIRE, expr);
            case FLOAT -> CodeBlock.of("$T.ofFloat($L)", WIRE, expr);
            case DOUBLE -> CodeBlock.of("$T.doubleToRawLongBits($L)", Double.class, expr);
            case ENUM -> CodeBlock.of("$T.ofEnum($L)", WIRE, expr);
            case NONE -> throw new AssertionError("no register for " + v);
        };
    }

    /**
     * The register {@code reg} (a long expression) as the value's type; out of range throws
     * {@code bad} (BAD_REQUEST on the server, BAD_REPLY on the client).
     */
    static CodeBlock decode(Value v, CodeBlock reg, String bad) {
        return switch (v.scalar()) {
            case LONG -> reg;
            case INT -> CodeBlock.of("$T.toInt($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case SHORT -> CodeBlock.of("$T.toShort($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case BYTE -> CodeBlock.of("$T.toByte($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case CHAR -> CodeBlock.of("$T.toChar($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case BOOLEAN -> CodeBlock.of("$T.toBoolean($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case FLOAT -> CodeBlock.of("$T.toFloat($L, $T.$L)", WIRE, reg, PROTOCOL_ERROR, bad);
            case DOUBLE -> CodeBlock.of("$T.longBitsToDouble($L)", Double.class, reg);
            case ENUM -> CodeBlock.of("$T.toEnum($L, $L, $T.$L)", WIRE, reg, valuesField(v.enumType()), PROTOCOL_ERROR, bad);
            case NONE -> throw new AssertionError("no register for " + v);
        };
    }

    /** True if a value of this scalar type needs the enum's cached values. */
    static boolean isEnum(Value v) {
        return v.scalar() == Scalar.ENUM;
    }
}
