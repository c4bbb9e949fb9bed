package io.capipc.servers.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.capipc.servers.processor.Model.Carrier;
import io.capipc.servers.processor.Model.Interface;
import io.capipc.servers.processor.Model.Operation;
import io.capipc.servers.processor.Model.Value;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code NameClient}: the interface implemented over one endpoint slot. Each method writes its
 * registers, makes one Call (or Send), checks the status and the reply, and reads the result: no
 * allocation, no lambdas, no boxing. Buffers for leases are arrays made once per stub. An
 * {@code @Async} operation gets two more methods: {@code nameAsync} (an AsyncCall through a port,
 * returning its tag) and {@code nameResult} (its answer, decoded).
 */
final class ClientWriter {
    static final ClassName SYSCALLS = ClassName.get("io.capipc.api", "Syscalls");
    static final ClassName IPC_BUFFER = ClassName.get("io.capipc.api", "IpcBuffer");
    static final ClassName MESSAGE_INFO = ClassName.get("io.capipc.api", "MessageInfo");
    static final ClassName STATUS = ClassName.get("io.capipc.api", "Status");
    static final ClassName IPC_EXCEPTION = ClassName.get("io.capipc.servers", "IpcException");
    static final ClassName SEGMENT = ClassName.get("java.lang.foreign", "MemorySegment");

    private ClientWriter() {}

    static TypeSpec write(Interface itf) {
        TypeSpec.Builder t = TypeSpec.classBuilder(itf.client())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(itf.type())
                .addJavadoc("The client stub of {@link $T}: each method is one Call (or, for a one-way operation,\n"
                        + "one Send) on the endpoint in one slot of the calling task's Space. Made by capipc's interface\n"
                        + "compiler; do not edit. A stub belongs to one task, as its syscalls do.\n", itf.type());
        t.addField(FieldSpec.builder(ArrayTypeName.of(itf.errors()), "ERRORS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$T.values()", itf.errors()).build());
        for (ClassName e : itf.enums()) {
            t.addField(FieldSpec.builder(ArrayTypeName.of(e), Codecs.valuesField(e), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.values()", e).build());
        }
        for (Operation op : itf.operations()) {
            t.addField(FieldSpec.builder(TypeName.LONG, "INFO_" + op.constant(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.of($L, $L, $L)", MESSAGE_INFO, op.number(), op.requestRegisters(), op.capsIn()).build());
        }
        t.addField(SYSCALLS, "sys", Modifier.PRIVATE, Modifier.FINAL);
        t.addField(IPC_BUFFER, "ipc", Modifier.PRIVATE, Modifier.FINAL);
        t.addField(TypeName.INT, "endpoint", Modifier.PRIVATE, Modifier.FINAL);
        for (Operation op : itf.operations()) {
            addBuffers(t, op);
        }
        t.addField(FieldSpec.builder(TypeName.LONG, "timeout", Modifier.PRIVATE).initializer("$T.FOREVER", SYSCALLS).build());
        t.addMethod(constructor(itf));
        t.addMethod(MethodSpec.methodBuilder("timeout")
                .addJavadoc("Sets the timeout of every call from now on, in nanoseconds on the runtime's clock (one\n"
                        + "deadline covers the queued and the reply phase; then the call fails with TIMEOUT);\n"
                        + "{@code Syscalls.FOREVER}, the default, never expires.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(itf.client())
                .addParameter(TypeName.LONG, "nanos")
                .beginControlFlow("if (nanos < 0)")
                .addStatement("throw new $T($S + nanos)", IllegalArgumentException.class, "a timeout must be >= 0, was ")
                .endControlFlow()
                .addStatement("this.timeout = nanos")
                .addStatement("return this")
                .build());
        if (itf.returnsCaps()) {
            t.addField(FieldSpec.builder(TypeName.INT, "receiveSlot", Modifier.PRIVATE).initializer("-1").build());
            t.addMethod(MethodSpec.methodBuilder("receiveSlot")
                    .addJavadoc("Sets the empty slot of this task's Space where a capability an operation returns lands;\n"
                            + "without one, such an operation fails with MISSING_CAPABILITY.\n")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(itf.client())
                    .addParameter(TypeName.INT, "slot")
                    .beginControlFlow("if (slot < 0)")
                    .addStatement("throw new $T($S + slot)", IllegalArgumentException.class, "a receive slot must be >= 0, was ")
                    .endControlFlow()
                    .addStatement("this.receiveSlot = slot")
                    .addStatement("return this")
                    .build());
        }
        if (itf.hasAsync()) {
            t.addField(FieldSpec.builder(TypeName.INT, "port", Modifier.PRIVATE).initializer("-1").build());
            t.addMethod(MethodSpec.methodBuilder("port")
                    .addJavadoc("Sets the slot of the async port (made by Bind on this interface's endpoint) that the\n"
                            + "{@code ...Async} methods send through; their answers arrive on the port's reply endpoint.\n")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(itf.client())
                    .addParameter(TypeName.INT, "slot")
                    .beginControlFlow("if (slot < 0)")
                    .addStatement("throw new $T($S + slot)", IllegalArgumentException.class, "a port slot must be >= 0, was ")
                    .endControlFlow()
                    .addStatement("this.port = slot")
                    .addStatement("return this")
                    .build());
        }
        for (Operation op : itf.operations()) {
            t.addMethod(method(op));
            if (op.async()) {
                t.addMethod(asyncMethod(op));
                t.addMethod(resultMethod(op));
            }
        }
        return t.build();
    }

    private static void addBuffers(TypeSpec.Builder t, Operation op) {
        int reads = op.leases(Carrier.READ_LEASE);
        int writes = op.leases(Carrier.WRITE_LEASE);
        if (reads + writes == 0) {
            return;
        }
        TypeName array = ArrayTypeName.of(SEGMENT);
        t.addField(FieldSpec.builder(array, op.name() + "Send", Modifier.PRIVATE, Modifier.FINAL)
                .initializer(reads == 0 ? CodeBlock.of("$T.NO_SEGMENTS", Codecs.WIRE) : CodeBlock.of("$T.segments($L)", Codecs.WIRE, reads))
                .build());
        t.addField(FieldSpec.builder(array, op.name() + "Recv", Modifier.PRIVATE, Modifier.FINAL)
                .initializer(writes == 0 ? CodeBlock.of("$T.NO_SEGMENTS", Codecs.WIRE) : CodeBlock.of("$T.segments($L)", Codecs.WIRE, writes))
                .build());
    }

    private static MethodSpec constructor(Interface itf) {
        return MethodSpec.constructorBuilder()
                .addJavadoc("A stub for the endpoint in slot {@code endpoint} (WRITE; GRANT too to send capabilities),\n"
                        + "for the task whose syscalls {@code sys} are.\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(SYSCALLS, "sys")
                .addParameter(TypeName.INT, "endpoint")
                .beginControlFlow("if (endpoint < 0)")
                .addStatement("throw new $T($S + endpoint)", IllegalArgumentException.class, "the endpoint slot must be >= 0, was ")
                .endControlFlow()
                .addStatement("this.sys = $T.requireNonNull(sys, $S)", java.util.Objects.class, "sys")
                .addStatement("this.ipc = sys.ipc()")
                .addStatement("this.endpoint = endpoint")
                .build();
    }

    private static MethodSpec method(Operation op) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(op.name())
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(op.result().carrier() == Carrier.NONE ? TypeName.VOID : op.result().type())
                .addException(IPC_EXCEPTION);
        for (Value p : op.params()) {
            m.addParameter(ParameterSpec.builder(p.type(), p.name()).build());
        }
        int reg = 0;
        int cap = 0;
        int read = 0;
        int write = 0;
        for (Value p : op.params()) {
            switch (p.carrier()) {
                case REGISTER -> m.addStatement("this.ipc.setMr($L, $L)", reg++, Codecs.encode(p, p.name()));
                case READ_LEASE -> {
                    m.addStatement("this.ipc.setMr($L, $L.byteSize())", reg++, p.name());
                    m.addStatement("this.$LSend[$L] = $L", op.name(), read++, p.name());
                }
                case WRITE_LEASE -> {
                    m.addStatement("this.ipc.setMr($L, $L.byteSize())", reg++, p.name());
                    m.addStatement("this.$LRecv[$L] = $L", op.name(), write++, p.name());
                }
                case CAP -> {
                    m.addStatement("this.ipc.setCap($L, $L)", cap, p.name());
                    m.addStatement("this.ipc.setMove($L, $L)", cap++, p.move());
                }
                case NONE -> throw new AssertionError(p);
            }
        }
        String info = "INFO_" + op.constant();
        if (op.oneWay()) {
            m.addStatement("$T.checkStatus(this.sys.send(this.endpoint, $L, this.timeout))", Codecs.WIRE, info);
            return m.build();
        }
        if (op.replyCaps() > 0) {
            m.addStatement("this.ipc.setReceiveSlot(0, this.receiveSlot)");
        }
        if (read + write > 0) {
            m.addStatement("$T status$$ = this.sys.call(this.endpoint, $L, this.$LSend, this.$LRecv, this.timeout)", STATUS, info,
                    op.name(), op.name());
            m.addComment("the stub keeps none of the caller's segments alive after the call");
            m.addStatement("$T.release(this.$LSend)", Codecs.WIRE, op.name());
            m.addStatement("$T.release(this.$LRecv)", Codecs.WIRE, op.name());
            m.addStatement("$T.checkStatus(status$$)", Codecs.WIRE);
        } else {
            m.addStatement("$T.checkStatus(this.sys.call(this.endpoint, $L, this.timeout))", Codecs.WIRE, info);
        }
        addResult(m, op);
        return m.build();
    }

    /** Checks the reply in the IPC buffer and returns the result. */
    private static void addResult(MethodSpec.Builder m, Operation op) {
        m.addStatement("$T.checkReply(this.ipc, $L, $L, ERRORS)", Codecs.WIRE, op.replyRegisters(), op.replyCaps());
        switch (op.result().carrier()) {
            case REGISTER -> m.addStatement("return $L", Codecs.decode(op.result(), CodeBlock.of("this.ipc.mr(0)"), "BAD_REPLY"));
            case CAP -> m.addStatement("return this.receiveSlot");
            case NONE -> { }
            case READ_LEASE, WRITE_LEASE -> throw new AssertionError(op);
        }
    }

    /** {@code nameAsync}: the same message as an AsyncCall through the port; returns its tag. */
    private static MethodSpec asyncMethod(Operation op) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(op.name() + "Async")
                .addJavadoc("{@link #$L} as an AsyncCall through the {@link #port port}: returns at once with the call's tag,\n"
                        + "the badge its answer will carry on the port's reply endpoint; decode that answer with\n"
                        + "{@link #$LResult}. Throws if the port refused the call (WOULD_BLOCK when every entry is\n"
                        + "taken, REVOKED, INVALID_CAPABILITY without a port).\n", op.name(), op.name())
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.LONG)
                .addException(IPC_EXCEPTION);
        int reg = 0;
        int cap = 0;
        for (Value p : op.params()) {
            m.addParameter(ParameterSpec.builder(p.type(), p.name()).build());
            switch (p.carrier()) {
                case REGISTER -> m.addStatement("this.ipc.setMr($L, $L)", reg++, Codecs.encode(p, p.name()));
                case CAP -> {
                    m.addStatement("this.ipc.setCap($L, $L)", cap, p.name());
                    m.addStatement("this.ipc.setMove($L, $L)", cap++, p.move());
                }
                case READ_LEASE, WRITE_LEASE, NONE -> throw new AssertionError(p);
            }
        }
        m.addStatement("$T.checkStatus(this.sys.asyncCall(this.port, INFO_$L))", Codecs.WIRE, op.constant());
        m.addStatement("return this.ipc.tag()");
        return m.build();
    }

    /** {@code nameResult}: decodes an answer to {@code nameAsync} that a Recv put in the IPC buffer. */
    private static MethodSpec resultMethod(Operation op) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(op.name() + "Result")
                .addJavadoc("The outcome of a {@link #$LAsync}, from its answer, which a Recv on the port's reply endpoint\n"
                        + "has just put in this task's IPC buffer (its badge is the call's tag): the result, or the\n"
                        + "server's error, or the transport error the kernel sent instead (PEER_DIED, NO_REPLY,\n"
                        + "REVOKED), each thrown as {@link #$L} would.\n", op.name(), op.name())
                .addModifiers(Modifier.PUBLIC)
                .returns(op.result().carrier() == Carrier.NONE ? TypeName.VOID : op.result().type())
                .addException(IPC_EXCEPTION);
        m.addStatement("$T.checkAsyncAnswer(this.ipc)", Codecs.WIRE);
        addResult(m, op);
        return m.build();
    }
}
