package io.capipc.servers.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every interface shape the compiler rejects, each with the message that names what is wrong and
 * where (docs/servers.md, "Rules"): a bad interface is a compile error, never a stub that fails at
 * run time.
 */
class RejectedInterfaceTest {
    private static final String HEADER = """
            package test;

            import io.capipc.servers.*;
            import java.lang.foreign.MemorySegment;

            """;

    static Compilation compile(String source) {
        return Compiler.javac()
                .withProcessors(new IpcProcessor())
                .compile(JavaFileObjects.forSourceString("test.T", HEADER + source));
    }

    static Compilation compileInterface(String body) {
        return compile("@IpcInterface public interface T {\n" + body + "\n}\n");
    }

    private static void rejected(String body, String message) {
        Compilation c = compileInterface(body);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining(message);
    }

    @Test
    void ipcInterface_onAClass_rejected() {
        Compilation c = compile("@IpcInterface public class T {}\n");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("@IpcInterface applies to an interface; T is a class");
    }

    @Test
    void method_withoutOp_rejectedNamingIt() {
        rejected("long get() throws IpcException;", "method get needs @Op(n)");
    }

    @Test
    void operationNumbers_duplicated_rejectedNamingBoth() {
        rejected("@Op(1) long a() throws IpcException; @Op(1) long b() throws IpcException;",
                "operation number 1 of b is already used by a");
    }

    @Test
    void operationNumber_zeroOrInTheProtocolRange_rejected() {
        rejected("@Op(0) long a() throws IpcException;", "operation number 0 of a is out of range");
        rejected("@Op(0x40000000) long a() throws IpcException;", "is out of range 1..1073741823");
    }

    @Test
    void method_withoutThrowsIpcException_rejected() {
        rejected("@Op(1) long get();", "operation get must declare 'throws IpcException'");
    }

    @Test
    void method_throwingAnotherCheckedException_rejected() {
        rejected("@Op(1) long get() throws IpcException, java.io.IOException;",
                "operation get may throw only IpcException, not java.io.IOException");
    }

    @Test
    void parameter_ofAnUnsupportedType_rejectedNamingMethodAndParameter() {
        rejected("@Op(1) void put(String name) throws IpcException;",
                "unsupported type java.lang.String for parameter name of put");
    }

    @Test
    void result_ofAnUnsupportedType_rejected() {
        rejected("@Op(1) String name() throws IpcException;", "unsupported type java.lang.String for the result of name");
    }

    @Test
    void memorySegment_withoutLease_rejected() {
        rejected("@Op(1) void put(MemorySegment data) throws IpcException;",
                "parameter data of put is a MemorySegment: say @Lease(READ) or @Lease(WRITE)");
    }

    @Test
    void memorySegment_asResult_rejected() {
        rejected("@Op(1) MemorySegment get() throws IpcException;", "the result of get cannot be a MemorySegment");
    }

    @Test
    void lease_onANonSegment_rejected() {
        rejected("@Op(1) void put(@Lease(Lease.Access.READ) long n) throws IpcException;",
                "@Lease applies to a MemorySegment; parameter n of put is a long");
    }

    @Test
    void cap_onANonInt_rejected() {
        rejected("@Op(1) void give(@Cap long slot) throws IpcException;", "@Cap applies to an int (a capability slot); parameter slot of give");
    }

    @Test
    void registers_overSixtyFour_rejectedWithTheCount() {
        String params = IntStream.range(0, 65).mapToObj(i -> "long p" + i).collect(Collectors.joining(", "));
        rejected("@Op(1) void wide(" + params + ") throws IpcException;", "operation wide needs 65 registers; a message carries 64");
    }

    @Test
    void leasesCountTheirSizeRegister_overSixtyFour_rejected() {
        String params = IntStream.range(0, 63).mapToObj(i -> "long p" + i).collect(Collectors.joining(", "));
        rejected("@Op(1) void wide(" + params + ", @Lease(Lease.Access.READ) MemorySegment a, @Lease(Lease.Access.READ) MemorySegment b)"
                + " throws IpcException;", "operation wide needs 65 registers");
    }

    @Test
    void capabilities_overFour_rejected() {
        rejected("@Op(1) void give(@Cap int a, @Cap int b, @Cap int c, @Cap int d, @Cap int e) throws IpcException;",
                "operation give sends 5 capabilities; a message carries 4");
    }

    @Test
    void leasesOfOneKind_overEight_rejected() {
        String params = IntStream.range(0, 9).mapToObj(i -> "@Lease(Lease.Access.WRITE) MemorySegment s" + i)
                .collect(Collectors.joining(", "));
        rejected("@Op(1) void many(" + params + ") throws IpcException;", "operation many has more than 8 leases of one kind");
    }

    @Test
    void oneWay_withAResult_rejected() {
        rejected("@Op(1) @OneWay long tick() throws IpcException;", "one-way operation tick must return void");
    }

    @Test
    void oneWay_withALease_rejected() {
        rejected("@Op(1) @OneWay void log(@Lease(Lease.Access.READ) MemorySegment line) throws IpcException;",
                "one-way operation log cannot take leases");
    }

    @Test
    void async_oneWay_rejected() {
        rejected("@Op(1) @OneWay @Async void log(long line) throws IpcException;", "one-way operation log cannot be @Async");
    }

    @Test
    void async_withALease_rejected() {
        rejected("@Op(1) @Async long sum(@Lease(Lease.Access.READ) MemorySegment data) throws IpcException;",
                "async operation sum cannot take leases: an AsyncCall attaches no buffers");
    }

    @Test
    void async_returningACapability_rejected() {
        rejected("@Op(1) @Async @Cap int open(long id) throws IpcException;", "async operation open cannot return a capability");
    }

    @Test
    void genericInterface_rejected() {
        Compilation c = compile("@IpcInterface public interface T<X> { @Op(1) void a() throws IpcException; }\n");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("IPC interface T may not be generic");
    }

    @Test
    void genericMethod_rejected() {
        rejected("@Op(1) <X> void a() throws IpcException;", "operation a may not be generic");
    }

    @Test
    void overloads_rejected() {
        rejected("@Op(1) void a() throws IpcException; @Op(2) void a(long x) throws IpcException;", "operation a is declared twice");
    }

    @Test
    void defaultMethod_rejected() {
        rejected("@Op(1) default void a() throws IpcException {}", "method a has a body");
    }

    @Test
    void extendingAnInterface_rejected() {
        Compilation c = compile("@IpcInterface public interface T extends Runnable { @Op(1) void a() throws IpcException; }\n");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("may not extend other interfaces");
    }

    @Test
    void noOperation_rejected() {
        rejected("", "IPC interface T declares no operation");
    }

    @Test
    void everyMistake_reportedInOneCompile() {
        Compilation c = compileInterface("@Op(1) void a(String s) throws IpcException; @Op(1) long b();");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("unsupported type java.lang.String for parameter s of a");
        assertThat(c).hadErrorContaining("operation b must declare 'throws IpcException'");
    }
}
