package io.capipc.servers.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.capipc.servers.processor.Model.Carrier;
import io.capipc.servers.processor.Model.Interface;
import io.capipc.servers.processor.Model.Operation;
import io.capipc.servers.processor.Model.Value;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code NameServer}, the interface a server implements (leases become {@code Leased}, and
 * each method is told its {@code Caller}), and {@code NameDispatcher}, which decodes a message, calls
 * it, and encodes the answer, writing exactly the reply's registers.
 */
final class ServerWriter {
    static final ClassName CALLER = ClassName.get("io.capipc.servers", "Caller");
    static final ClassName LEASED = ClassName.get("io.capipc.servers", "Leased");
    static final ClassName LEASE_ACCESS = ClassName.get("io.capipc.servers", "Lease", "Access");
    static final ClassName DISPATCHER = ClassName.get("io.capipc.servers", "Dispatcher");

    private ServerWriter() {}

    /** The name of the caller parameter: "caller", unless an operation's parameter has taken it. */
    private static String callerName(Operation op) {
        return op.params().stream().anyMatch(p -> p.name().equals("caller")) ? "caller$" : "caller";
    }

    private static TypeName serverType(Value v) {
        return v.isLease() ? LEASED : v.type();
    }

    static TypeSpec writeServer(Interface itf) {
        TypeSpec.Builder t = TypeSpec.interfaceBuilder(itf.server())
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("What a server of {@link $T} implements; {@link $T} calls it. Made by capipc's interface\n"
                        + "compiler; do not edit. A lease is a {@link $T}; a capability parameter is the slot it\n"
                        + "arrived in. Throw {@code IpcException.of(error)} to answer with one of the interface's\n"
                        + "errors; defer the answer with {@link $T#defer()}.\n", itf.type(), itf.dispatcher(), LEASED, CALLER);
        for (Operation op : itf.operations()) {
            MethodSpec.Builder m = MethodSpec.methodBuilder(op.name())
                    .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                    .returns(op.result().carrier() == Carrier.NONE ? TypeName.VOID : op.result().type())
                    .addException(ClientWriter.IPC_EXCEPTION)
                    .addParameter(CALLER, callerName(op));
            for (Value p : op.params()) {
                m.addParameter(serverType(p), p.name());
            }
            t.addMethod(m.build());
        }
        return t.build();
    }

    static TypeSpec writeDispatcher(Interface itf) {
        TypeSpec.Builder t = TypeSpec.classBuilder(itf.dispatcher())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(DISPATCHER)
                .addJavadoc("Dispatches the messages of {@link $T} to a {@link $T}, for a {@code Server}. Made by\n"
                        + "capipc's interface compiler; do not edit. Its {@code reply...} methods answer a deferred call.\n",
                        itf.type(), itf.server());
        for (Operation op : itf.operations()) {
            t.addField(FieldSpec.builder(TypeName.INT, "OP_" + op.constant(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The operation number (label) of {@code $L}.\n", op.name())
                    .initializer("$L", op.number()).build());
        }
        for (Operation op : itf.operations()) {
            if (!op.oneWay()) {
                t.addField(FieldSpec.builder(TypeName.LONG, "REPLY_" + op.constant(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.of(0, $L, $L)", ClientWriter.MESSAGE_INFO, op.replyRegisters(), op.replyCaps()).build());
            }
        }
        if (itf.operations().stream().anyMatch(Operation::oneWay)) {
            t.addField(FieldSpec.builder(TypeName.LONG, "DONE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("What a one-way operation answers if it was Called instead of Sent.\n")
                    .initializer("$T.of(0, 0)", ClientWriter.MESSAGE_INFO).build());
        }
        for (ClassName e : itf.enums()) {
            t.addField(FieldSpec.builder(ArrayTypeName.of(e), Codecs.valuesField(e), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.values()", e).build());
        }
        t.addField(itf.server(), "server", Modifier.PRIVATE, Modifier.FINAL);
        for (Operation op : itf.operations()) {
            for (Value p : op.params()) {
                if (p.isLease()) {
                    t.addField(FieldSpec.builder(LEASED, leaseField(op, p), Modifier.PRIVATE, Modifier.FINAL)
                            .initializer("new $T($T.$L)", LEASED, LEASE_ACCESS, p.carrier() == Carrier.READ_LEASE ? "READ" : "WRITE")
                            .build());
                }
            }
        }
        t.addMethod(MethodSpec.constructorBuilder()
                .addJavadoc("A dispatcher calling {@code server}.\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(itf.server(), "server")
                .addStatement("this.server = $T.requireNonNull(server, $S)", java.util.Objects.class, "server")
                .build());
        t.addMethod(dispatch(itf));
        for (Operation op : itf.operations()) {
            t.addMethod(handler(op));
            if (!op.oneWay()) {
                t.addMethod(deferredReply(op));
            }
        }
        addDescription(t, itf);
        return t.build();
    }

    private static String leaseField(Operation op, Value p) {
        return op.name() + Character.toUpperCase(p.name().charAt(0)) + p.name().substring(1);
    }

    private static MethodSpec dispatch(Interface itf) {
        CodeBlock.Builder cases = CodeBlock.builder().beginControlFlow("return switch (sys.ipc().label())");
        for (Operation op : itf.operations()) {
            cases.addStatement("case OP_$L -> $L(sys, caller)", op.constant(), op.name());
        }
        cases.addStatement("default -> throw $T.of($T.UNKNOWN_OPERATION)", ClientWriter.IPC_EXCEPTION, Codecs.PROTOCOL_ERROR);
        cases.unindent().add("};\n");
        return MethodSpec.methodBuilder("dispatch")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.LONG)
                .addParameter(ClientWriter.SYSCALLS, "sys")
                .addParameter(CALLER, "caller")
                .addException(ClientWriter.IPC_EXCEPTION)
                .addCode(cases.build())
                .build();
    }

    /** Decodes, calls, encodes: exactly the reply's registers are written, after the method returned. */
    private static MethodSpec handler(Operation op) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(op.name())
                .addModifiers(Modifier.PRIVATE)
                .returns(TypeName.LONG)
                .addParameter(ClientWriter.SYSCALLS, "sys$")
                .addParameter(CALLER, "caller$")
                .addException(ClientWriter.IPC_EXCEPTION)
                .addStatement("$T ipc$$ = sys$$.ipc()", ClientWriter.IPC_BUFFER);
        if (!op.oneWay()) {
            m.addStatement("$T.requireCall(caller$$)", Codecs.WIRE);
        }
        m.addStatement("$T.checkRequest(ipc$$, $L, $L)", Codecs.WIRE, op.requestRegisters(), op.capsIn());
        int reg = 0;
        int cap = 0;
        boolean anyRead = false;
        boolean anyWrite = false;
        for (Value p : op.params()) {
            switch (p.carrier()) {
                case REGISTER -> m.addStatement("$T $L = $L", p.type(), p.name(),
                        Codecs.decode(p, CodeBlock.of("ipc$$.mr($L)", reg++), "BAD_REQUEST"));
                case READ_LEASE, WRITE_LEASE -> {
                    boolean read = p.carrier() == Carrier.READ_LEASE;
                    String at = read ? "readAt$" : "writeAt$";
                    if (read ? !anyRead : !anyWrite) {
                        m.addStatement("long $L = 0", at);
                    }
                    anyRead |= read;
                    anyWrite |= !read;
                    m.addStatement("long $LSize$$ = $T.toSize(ipc$$.mr($L), $L)", p.name(), Codecs.WIRE, reg++, at);
                    m.addStatement("this.$L.bind(sys$$, $L, $LSize$$)", leaseField(op, p), at, p.name());
                    m.addStatement("$L += $LSize$$", at, p.name());
                }
                case CAP -> m.addStatement("int $L = caller$$.receivedSlot($L)", p.name(), cap++);
                case NONE -> throw new AssertionError(p);
            }
        }
        CodeBlock args = CodeBlock.join(java.util.stream.Stream.concat(java.util.stream.Stream.of(CodeBlock.of("caller$$")),
                op.params().stream().map(p -> p.isLease() ? CodeBlock.of("this.$L", leaseField(op, p)) : CodeBlock.of("$L", p.name())))
                .toList(), ", ");
        Value r = op.result();
        if (r.carrier() == Carrier.NONE) {
            m.addStatement("this.server.$L($L)", op.name(), args);
            m.addStatement("return $L", op.oneWay() ? "DONE" : "REPLY_" + op.constant());
            return m.build();
        }
        m.addStatement("$T result$$ = this.server.$L($L)", r.type(), op.name(), args);
        writeResult(m, r, "ipc$", "result$");
        m.addStatement("return REPLY_$L", op.constant());
        return m.build();
    }

    private static void writeResult(MethodSpec.Builder m, Value r, String ipc, String result) {
        if (r.carrier() == Carrier.REGISTER) {
            m.addStatement("$L.setMr(0, $L)", ipc, Codecs.encode(r, result));
        } else if (r.carrier() == Carrier.CAP) {
            m.addStatement("$L.setCap(0, $L)", ipc, result);
            m.addStatement("$L.setMove(0, $L)", ipc, r.move());
        }
    }

    /** {@code replyOp(sys, token, result)}: the answer to a deferred call, by its token. */
    private static MethodSpec deferredReply(Operation op) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("reply" + op.capitalized())
                .addJavadoc("Answers a deferred {@code $L} by its token (see {@code Caller.defer}); OK, and dropped, if its\n"
                        + "caller gave up; INVALID_CAPABILITY for a token already used.\n", op.name())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ClientWriter.STATUS)
                .addParameter(ClientWriter.SYSCALLS, "sys")
                .addParameter(TypeName.LONG, "token");
        if (op.result().carrier() != Carrier.NONE) {
            m.addParameter(op.result().type(), "result");
            writeResult(m, op.result(), "sys.ipc()", "result");
        }
        m.addStatement("return sys.reply(token, REPLY_$L)", op.constant());
        return m.build();
    }

    private static void addDescription(TypeSpec.Builder t, Interface itf) {
        TypeName errorsClass = ParameterizedTypeName.get(ClassName.get(Class.class),
                WildcardTypeName.subtypeOf(ParameterizedTypeName.get(ClassName.get(Enum.class), WildcardTypeName.subtypeOf(Object.class))));
        t.addMethod(MethodSpec.methodBuilder("errors").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(errorsClass).addStatement("return $T.class", itf.errors()).build());
        t.addMethod(MethodSpec.methodBuilder("capabilitiesIn").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.INT).addStatement("return $L", itf.capsIn()).build());
        t.addMethod(MethodSpec.methodBuilder("interfaceName").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(String.class).addStatement("return $S", itf.type().canonicalName()).build());
    }
}
