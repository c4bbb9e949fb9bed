package io.capipc.servers.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.capipc.servers.processor.Model.Carrier;
import io.capipc.servers.processor.Model.Interface;
import io.capipc.servers.processor.Model.Operation;
import io.capipc.servers.processor.Model.Scalar;
import io.capipc.servers.processor.Model.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Checks an {@code @IpcInterface} against the rules of docs/servers.md and builds its {@link Model};
 * every rule broken is reported as a compile error on the element that broke it, naming the method
 * and the parameter, so one compile shows every mistake.
 */
final class Validator {
    static final String IPC_INTERFACE = "io.capipc.servers.IpcInterface";
    static final String OP = "io.capipc.servers.Op";
    static final String ONE_WAY = "io.capipc.servers.OneWay";
    static final String ASYNC = "io.capipc.servers.Async";
    static final String LEASE = "io.capipc.servers.Lease";
    static final String CAP = "io.capipc.servers.Cap";
    static final String IPC_EXCEPTION = "io.capipc.servers.IpcException";
    static final String MEMORY_SEGMENT = "java.lang.foreign.MemorySegment";
    /** Labels at and above this belong to the library's protocol errors (Wire.PROTOCOL_BASE). */
    static final int PROTOCOL_BASE = 0x4000_0000;
    static final int MAX_REGISTERS = 64;
    static final int MAX_CAPS = 4;
    static final int MAX_SEGMENTS = 8;

    private final Messager messager;
    private boolean failed;

    Validator(Messager messager) {
        this.messager = messager;
    }

    /** The model of {@code type}, or empty after reporting every error found. */
    Optional<Interface> validate(TypeElement type) {
        failed = false;
        if (type.getKind() != ElementKind.INTERFACE) {
            return fail(type, "@IpcInterface applies to an interface; " + type.getSimpleName() + " is a "
                    + type.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        if (!type.getTypeParameters().isEmpty()) {
            error(type, "IPC interface " + type.getSimpleName() + " may not be generic: a message has no type parameters");
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            error(type, "IPC interface " + type.getSimpleName() + " must be a top-level or member interface");
        }
        if (!type.getInterfaces().isEmpty()) {
            error(type, "IPC interface " + type.getSimpleName() + " may not extend other interfaces: declare its operations in it");
        }
        ClassName errors = errorsOf(type);
        List<Operation> ops = new ArrayList<>();
        Map<Integer, String> numbers = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (m.getModifiers().contains(Modifier.STATIC) || m.getModifiers().contains(Modifier.PRIVATE)) {
                continue;
            }
            Optional<Operation> op = operation(m);
            if (op.isEmpty()) {
                continue;
            }
            Operation o = op.get();
            String other = numbers.putIfAbsent(o.number(), o.name());
            if (other != null) {
                error(m, "operation number " + o.number() + " of " + o.name() + " is already used by " + other
                        + "; operation numbers must be unique in an interface");
            }
            if (names.putIfAbsent(o.name(), o.name()) != null) {
                error(m, "operation " + o.name() + " is declared twice; operations are named uniquely (no overloads)");
            }
            ops.add(o);
        }
        if (ops.isEmpty() && !failed) {
            error(type, "IPC interface " + type.getSimpleName() + " declares no operation");
        }
        return failed ? Optional.empty() : Optional.of(new Interface(ClassName.get(type), errors, ops));
    }

    private ClassName errorsOf(TypeElement type) {
        for (AnnotationMirror a : type.getAnnotationMirrors()) {
            if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(IPC_INTERFACE)) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : a.getElementValues().entrySet()) {
                if (e.getKey().getSimpleName().contentEquals("errors") && e.getValue().getValue() instanceof DeclaredType d) {
                    TypeElement errors = (TypeElement) d.asElement();
                    long constants = errors.getEnclosedElements().stream().filter(x -> x.getKind() == ElementKind.ENUM_CONSTANT).count();
                    if (constants >= PROTOCOL_BASE - 1) {
                        error(type, "error enum " + errors.getSimpleName() + " has too many constants for reply labels");
                    }
                    return ClassName.get(errors);
                }
            }
        }
        return ClassName.get("io.capipc.servers", "NoErrors");
    }

    private Optional<Operation> operation(ExecutableElement m) {
        String name = m.getSimpleName().toString();
        if (m.isDefault()) {
            error(m, "method " + name + " has a body; an IPC interface declares operations only");
            return Optional.empty();
        }
        Integer number = opNumber(m);
        if (number == null) {
            error(m, "method " + name + " needs @Op(n), its stable operation number");
            return Optional.empty();
        }
        if (number < 1 || number >= PROTOCOL_BASE) {
            error(m, "operation number " + number + " of " + name + " is out of range 1.." + (PROTOCOL_BASE - 1));
        }
        if (!m.getTypeParameters().isEmpty()) {
            error(m, "operation " + name + " may not be generic");
        }
        checkThrows(m, name);
        boolean oneWay = has(m, ONE_WAY);
        boolean async = has(m, ASYNC);
        List<Value> params = new ArrayList<>();
        for (VariableElement p : m.getParameters()) {
            value(p, p.asType(), p.getSimpleName().toString(), name, false).ifPresent(params::add);
        }
        Value result = m.getReturnType().getKind() == TypeKind.VOID
                ? new Value("result", TypeName.VOID, Carrier.NONE, Scalar.NONE, ClassName.OBJECT)
                : value(m, m.getReturnType(), "result", name, true).orElse(null);
        if (result == null) {
            return Optional.empty();
        }
        Operation op = new Operation(name, number, oneWay, async, List.copyOf(params), result);
        checkSizes(m, op);
        return Optional.of(op);
    }

    private void checkThrows(ExecutableElement m, String name) {
        boolean declares = false;
        for (TypeMirror t : m.getThrownTypes()) {
            String thrown = t.toString();
            if (thrown.equals(IPC_EXCEPTION)) {
                declares = true;
            } else if (!isUnchecked(t)) {
                error(m, "operation " + name + " may throw only IpcException, not " + thrown
                        + ": a server's other exceptions do not cross the call");
            }
        }
        if (!declares) {
            error(m, "operation " + name + " must declare 'throws IpcException': a call can fail in transport"
                    + " (PEER_DIED, REVOKED, TIMEOUT...) or be answered with an error");
        }
    }

    private static boolean isUnchecked(TypeMirror t) {
        for (TypeMirror s = t; s instanceof DeclaredType d; ) {
            String n = ((TypeElement) d.asElement()).getQualifiedName().toString();
            if (n.equals("java.lang.RuntimeException") || n.equals("java.lang.Error")) {
                return true;
            }
            s = ((TypeElement) d.asElement()).getSuperclass();
        }
        return false;
    }

    private void checkSizes(ExecutableElement m, Operation op) {
        String name = op.name();
        if (op.requestRegisters() > MAX_REGISTERS) {
            error(m, "operation " + name + " needs " + op.requestRegisters() + " registers; a message carries "
                    + MAX_REGISTERS + " (one per primitive, boolean, enum or lease)");
        }
        if (op.capsIn() > MAX_CAPS) {
            error(m, "operation " + name + " sends " + op.capsIn() + " capabilities; a message carries " + MAX_CAPS);
        }
        if (op.leases(Carrier.READ_LEASE) > MAX_SEGMENTS || op.leases(Carrier.WRITE_LEASE) > MAX_SEGMENTS) {
            error(m, "operation " + name + " has more than " + MAX_SEGMENTS + " leases of one kind; a Call attaches "
                    + MAX_SEGMENTS + " segments per buffer");
        }
        if (op.oneWay()) {
            if (op.result().carrier() != Carrier.NONE) {
                error(m, "one-way operation " + name + " must return void: nobody answers a Send");
            }
            if (op.leases(Carrier.READ_LEASE) + op.leases(Carrier.WRITE_LEASE) > 0) {
                error(m, "one-way operation " + name + " cannot take leases: a Send attaches no buffers");
            }
            if (op.async()) {
                error(m, "one-way operation " + name + " cannot be @Async: a Send already has no answer to wait for");
            }
        }
        if (op.async()) {
            if (op.leases(Carrier.READ_LEASE) + op.leases(Carrier.WRITE_LEASE) > 0) {
                error(m, "async operation " + name + " cannot take leases: an AsyncCall attaches no buffers");
            }
            if (op.replyCaps() > 0) {
                error(m, "async operation " + name + " cannot return a capability: its answer lands wherever the"
                        + " Recv that takes it says");
            }
        }
    }

    /** A parameter or a result: how it travels, or empty after an error. */
    private Optional<Value> value(Element at, TypeMirror type, String name, String op, boolean result) {
        String what = result ? "the result of " + op : "parameter " + name + " of " + op;
        boolean cap = has(at, CAP);
        String lease = leaseAccess(at);
        if (cap) {
            if (type.getKind() != TypeKind.INT) {
                return fail(at, "@Cap applies to an int (a capability slot); " + what + " is a " + type);
            }
            return Optional.of(new Value(name, TypeName.INT, Carrier.CAP, Scalar.INT, ClassName.OBJECT, capMoves(at)));
        }
        if (isSegment(type)) {
            if (result) {
                return fail(at, "the result of " + op + " cannot be a MemorySegment: return bytes through a"
                        + " @Lease(WRITE) parameter");
            }
            if (lease == null) {
                return fail(at, what + " is a MemorySegment: say @Lease(READ) or @Lease(WRITE)");
            }
            return Optional.of(new Value(name, TypeName.get(type),
                    lease.equals("READ") ? Carrier.READ_LEASE : Carrier.WRITE_LEASE, Scalar.NONE, ClassName.OBJECT));
        }
        if (lease != null) {
            return fail(at, "@Lease applies to a MemorySegment; " + what + " is a " + type);
        }
        Scalar s = scalar(type);
        if (s == null) {
            return fail(at, "unsupported type " + type + " for " + what + ": registers carry primitives, booleans"
                    + " and enums, bytes travel as @Lease MemorySegments, capabilities as @Cap ints");
        }
        ClassName enumType = s == Scalar.ENUM ? ClassName.get((TypeElement) ((DeclaredType) type).asElement()) : ClassName.OBJECT;
        return Optional.of(new Value(name, TypeName.get(type), Carrier.REGISTER, s, enumType));
    }

    private static Scalar scalar(TypeMirror type) {
        return switch (type.getKind()) {
            case LONG -> Scalar.LONG;
            case INT -> Scalar.INT;
            case SHORT -> Scalar.SHORT;
            case BYTE -> Scalar.BYTE;
            case CHAR -> Scalar.CHAR;
            case BOOLEAN -> Scalar.BOOLEAN;
            case FLOAT -> Scalar.FLOAT;
            case DOUBLE -> Scalar.DOUBLE;
            case DECLARED -> ((DeclaredType) type).asElement().getKind() == ElementKind.ENUM ? Scalar.ENUM : null;
            default -> null;
        };
    }

    private static boolean isSegment(TypeMirror type) {
        return type instanceof DeclaredType d
                && ((TypeElement) d.asElement()).getQualifiedName().contentEquals(MEMORY_SEGMENT);
    }

    private static Integer opNumber(Element e) {
        AnnotationMirror a = mirror(e, OP);
        if (a == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : a.getElementValues().entrySet()) {
            if (v.getKey().getSimpleName().contentEquals("value")) {
                return (Integer) v.getValue().getValue();
            }
        }
        return null;
    }

    /** "READ" or "WRITE" for a @Lease, else null. */
    private static String leaseAccess(Element e) {
        AnnotationMirror a = mirror(e, LEASE);
        if (a == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : a.getElementValues().entrySet()) {
            if (v.getKey().getSimpleName().contentEquals("value")) {
                return ((VariableElement) v.getValue().getValue()).getSimpleName().toString();
            }
        }
        return null;
    }

    /** {@code @Cap(move = true)}. */
    private static boolean capMoves(Element e) {
        AnnotationMirror a = mirror(e, CAP);
        if (a == null) {
            return false;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : a.getElementValues().entrySet()) {
            if (v.getKey().getSimpleName().contentEquals("move")) {
                return Boolean.TRUE.equals(v.getValue().getValue());
            }
        }
        return false;
    }

    private static boolean has(Element e, String annotation) {
        return mirror(e, annotation) != null;
    }

    private static AnnotationMirror mirror(Element e, String annotation) {
        for (AnnotationMirror a : e.getAnnotationMirrors()) {
            if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return a;
            }
        }
        return null;
    }

    private <T> Optional<T> fail(Element e, String message) {
        error(e, message);
        return Optional.empty();
    }

    private void error(Element e, String message) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, e);
    }
}
