package io.capipc.servers.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * An IPC interface as the generators see it, once {@link Validator} accepted it: plain values, no
 * javax.lang.model types beyond JavaPoet's names.
 */
final class Model {
    private Model() {}

    /** How a value travels. */
    enum Carrier {
        /** In one message register. */
        REGISTER,
        /** A MemorySegment in the send buffer; its size in one register. */
        READ_LEASE,
        /** A MemorySegment in the receive buffer; its size in one register. */
        WRITE_LEASE,
        /** A capability slot, transferred; no register. */
        CAP,
        /** Nothing: a void result. */
        NONE
    }

    /** The Java type of a register value, which says how it is encoded and decoded. */
    enum Scalar {
        LONG, INT, SHORT, BYTE, CHAR, BOOLEAN, FLOAT, DOUBLE, ENUM, NONE
    }

    /**
     * One value: a parameter, or a result ({@code name} "result").
     *
     * @param type the Java type as the interface declares it
     * @param enumType the enum's class, for {@link Scalar#ENUM}
     * @param move for a capability, whether it is transferred with MOVE
     */
    record Value(String name, TypeName type, Carrier carrier, Scalar scalar, ClassName enumType, boolean move) {
        /** A value that is not a capability moved ({@code @Cap(move = true)}). */
        Value(String name, TypeName type, Carrier carrier, Scalar scalar, ClassName enumType) {
            this(name, type, carrier, scalar, enumType, false);
        }

        boolean isLease() {
            return carrier == Carrier.READ_LEASE || carrier == Carrier.WRITE_LEASE;
        }

        /** Registers this value takes in a message. */
        int registers() {
            return carrier == Carrier.REGISTER || isLease() ? 1 : 0;
        }
    }

    /**
     * One operation.
     *
     * @param async whether the client may also make it as an AsyncCall ({@code @Async})
     */
    record Operation(String name, int number, boolean oneWay, boolean async, List<Value> params, Value result) {
        int requestRegisters() {
            int n = 0;
            for (Value v : params) {
                n += v.registers();
            }
            return n;
        }

        int capsIn() {
            return (int) params.stream().filter(v -> v.carrier() == Carrier.CAP).count();
        }

        int leases(Carrier kind) {
            return (int) params.stream().filter(v -> v.carrier() == kind).count();
        }

        int replyRegisters() {
            return result.carrier() == Carrier.REGISTER ? 1 : 0;
        }

        int replyCaps() {
            return result.carrier() == Carrier.CAP ? 1 : 0;
        }

        /** The name with its first letter upper-cased, for generated member names. */
        String capitalized() {
            return Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }

        /** The name in UPPER_SNAKE_CASE, for constants. */
        String constant() {
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A whole interface.
     *
     * @param type the annotated interface
     * @param errors the declared error enum
     */
    record Interface(ClassName type, ClassName errors, List<Operation> operations) {
        ClassName client() {
            return sibling("Client");
        }

        ClassName server() {
            return sibling("Server");
        }

        ClassName dispatcher() {
            return sibling("Dispatcher");
        }

        private ClassName sibling(String suffix) {
            return ClassName.get(type.packageName(), String.join("_", type.simpleNames()) + suffix);
        }

        int capsIn() {
            return operations.stream().mapToInt(Operation::capsIn).max().orElse(0);
        }

        boolean hasAsync() {
            return operations.stream().anyMatch(Operation::async);
        }

        boolean returnsCaps() {
            return operations.stream().anyMatch(o -> o.replyCaps() > 0);
        }

        /** Every enum type a value uses, once each, in order of first use. */
        List<ClassName> enums() {
            return operations.stream()
                    .flatMap(o -> java.util.stream.Stream.concat(o.params().stream(), java.util.stream.Stream.of(o.result())))
                    .filter(v -> v.scalar() == Scalar.ENUM)
                    .map(Value::enumType)
                    .distinct()
                    .toList();
        }
    }
}
