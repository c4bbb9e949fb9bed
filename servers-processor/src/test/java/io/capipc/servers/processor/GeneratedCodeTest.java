package io.capipc.servers.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What the compiler generates for accepted interfaces: it compiles under Error Prone and NullAway
 * (the build's checkers, with the generated code in a @NullMarked package), with every kind of value,
 * and reads as code a person would write.
 */
class GeneratedCodeTest {
    private static final List<String> CHECKERS = List.of(
            "-XDcompilePolicy=simple", "--should-stop=ifError=FLOW",
            "-Xplugin:ErrorProne -Xep:NullAway:ERROR -XepOpt:NullAway:OnlyNullMarked=true -XepOpt:NullAway:JSpecifyMode=true"
                    + " -Xep:PackageInfo:OFF", // it reads a file name from the source URI, which compile-testing keeps in memory
            "-Xlint:all,-processing", "-Werror");

    private static final JavaFileObject PACKAGE = JavaFileObjects.forSourceString("test.package-info", """
            @NullMarked
            package test;

            import org.jspecify.annotations.NullMarked;
            """);

    private static final JavaFileObject EVERYTHING = JavaFileObjects.forSourceString("test.Everything", """
            package test;

            import io.capipc.servers.*;
            import java.lang.foreign.MemorySegment;

            @IpcInterface(errors = Everything.Problem.class)
            public interface Everything {
                enum Problem { NOT_FOUND, FULL }
                enum Color { RED, GREEN }

                @Op(1) long add(long a, long b) throws IpcException;
                @Op(2) int narrow(int i, short s, byte b, char c) throws IpcException;
                @Op(3) boolean flip(boolean b) throws IpcException;
                @Op(4) double scale(float f, double d) throws IpcException;
                @Op(5) Color next(Color c) throws IpcException;
                @Op(6) long copy(@Lease(Lease.Access.READ) MemorySegment in, @Lease(Lease.Access.WRITE) MemorySegment out,
                        @Lease(Lease.Access.READ) MemorySegment more) throws IpcException;
                @Op(7) void give(@Cap int slot, long tag) throws IpcException;
                @Op(8) @Cap int take() throws IpcException;
                @Op(9) @OneWay void tick(long n) throws IpcException;
                @Op(10) void clear() throws IpcException;
                @Op(11) long caller(long caller) throws IpcException;
                @Op(12) @Async Color paint(Color c, @Cap int canvas) throws IpcException;
                @Op(13) @Async void poke() throws IpcException;
            }
            """);

    /**
     * Error Prone finds its plugin checkers (NullAway) on the processor path, which javac leaves
     * unset when processors are passed in: the test's class path is given as one.
     */
    private static Compilation compileChecked(JavaFileObject... sources) {
        List<String> options = new java.util.ArrayList<>(CHECKERS);
        options.add("-processorpath");
        options.add(System.getProperty("java.class.path"));
        return Compiler.javac().withProcessors(new IpcProcessor()).withOptions(options).compile(sources);
    }

    @Test
    void everyKindOfValue_compilesCleanUnderErrorProneAndNullAway() {
        Compilation c = compileChecked(PACKAGE, EVERYTHING);
        assertThat(c).succeeded();
        List<Diagnostic<? extends JavaFileObject>> warnings = c.warnings().stream()
                .filter(d -> !d.getMessage(null).contains("No processor claimed")).collect(Collectors.toList());
        assertEquals(List.of(), warnings);
        assertThat(c).generatedSourceFile("test.EverythingClient");
        assertThat(c).generatedSourceFile("test.EverythingServer");
        assertThat(c).generatedSourceFile("test.EverythingDispatcher");
    }

    @Test
    void sixtyFourRegisters_fit() {
        String params = IntStream.range(0, 64).mapToObj(i -> "long p" + i).collect(Collectors.joining(", "));
        Compilation c = compileChecked(PACKAGE, JavaFileObjects.forSourceString("test.Wide", """
                package test;
                import io.capipc.servers.*;
                @IpcInterface public interface Wide { @Op(1) void wide(%s) throws IpcException; }
                """.formatted(params)));
        assertThat(c).succeeded();
    }

    @Test
    void registerOnlyOperation_readsAsHandWrittenCode() throws IOException {
        Compilation c = compileChecked(PACKAGE, EVERYTHING);
        String client = c.generatedSourceFile("test.EverythingClient").orElseThrow().getCharContent(false).toString();
        assertTrue(client.contains("""
                    @Override
                    public long add(long a, long b) throws IpcException {
                        this.ipc.setMr(0, a);
                        this.ipc.setMr(1, b);
                        Wire.checkStatus(this.sys.call(this.endpoint, INFO_ADD, this.timeout));
                        Wire.checkReply(this.ipc, 1, 0, ERRORS);
                        return this.ipc.mr(0);
                    }
                """), client);
        String dispatcher = c.generatedSourceFile("test.EverythingDispatcher").orElseThrow().getCharContent(false).toString();
        assertTrue(dispatcher.contains("""
                    private long add(Syscalls sys$, Caller caller$) throws IpcException {
                        IpcBuffer ipc$ = sys$.ipc();
                        Wire.requireCall(caller$);
                        Wire.checkRequest(ipc$, 2, 0);
                        long a = ipc$.mr(0);
                        long b = ipc$.mr(1);
                        long result$ = this.server.add(caller$, a, b);
                        ipc$.setMr(0, result$);
                        return REPLY_ADD;
                    }
                """), dispatcher);
        assertTrue(dispatcher.startsWith("// Generated by capipc's interface compiler"), dispatcher);
    }

    @Test
    void asyncOperation_getsAnAsyncCallReturningItsTagAndADecoderOfItsAnswer() throws IOException {
        Compilation c = compileChecked(PACKAGE, EVERYTHING);
        String client = c.generatedSourceFile("test.EverythingClient").orElseThrow().getCharContent(false).toString();
        assertTrue(client.contains("""
                    public long paintAsync(Everything.Color c, int canvas) throws IpcException {
                        this.ipc.setMr(0, Wire.ofEnum(c));
                        this.ipc.setCap(0, canvas);
                        this.ipc.setMove(0, false);
                        Wire.checkStatus(this.sys.asyncCall(this.port, INFO_PAINT));
                        return this.ipc.tag();
                    }
                """), client);
        assertTrue(client.contains("""
                    public Everything.Color paintResult() throws IpcException {
                        Wire.checkAsyncAnswer(this.ipc);
                        Wire.checkReply(this.ipc, 1, 0, ERRORS);
                        return Wire.toEnum(this.ipc.mr(0), EVERYTHING_COLOR_VALUES, ProtocolError.BAD_REPLY);
                    }
                """), client);
        assertTrue(client.contains("public void pokeResult() throws IpcException {"), client);
        assertTrue(client.contains("public EverythingClient port(int slot) {"), client);
        // the operation itself stays a synchronous Call
        assertTrue(client.contains("Wire.checkStatus(this.sys.call(this.endpoint, INFO_PAINT, this.timeout));"), client);
    }

    @Test
    void capMove_setsTheMoveFlagForEachCapability_andClearsItForOthers() throws IOException {
        Compilation c = compileChecked(PACKAGE, JavaFileObjects.forSourceString("test.Blocks", """
                package test;
                import io.capipc.servers.*;
                @IpcInterface public interface Blocks {
                    @Op(1) @Cap(move = true) int swap(@Cap(move = true) int block, @Cap int witness) throws IpcException;
                }
                """));
        String client = c.generatedSourceFile("test.BlocksClient").orElseThrow().getCharContent(false).toString();
        assertTrue(client.contains("""
                        this.ipc.setCap(0, block);
                        this.ipc.setMove(0, true);
                        this.ipc.setCap(1, witness);
                        this.ipc.setMove(1, false);
                """), client);
        String dispatcher = c.generatedSourceFile("test.BlocksDispatcher").orElseThrow().getCharContent(false).toString();
        assertTrue(dispatcher.contains("setMove(0, true);"), dispatcher);
    }

    @Test
    void parameterNamedCaller_serverInterfaceRenamesItsCallerParameter() throws IOException {
        Compilation c = compileChecked(PACKAGE, EVERYTHING);
        String server = c.generatedSourceFile("test.EverythingServer").orElseThrow().getCharContent(false).toString();
        assertTrue(server.contains("long caller(Caller caller$, long caller) throws IpcException;"), server);
        assertTrue(server.contains("long copy(Caller caller, Leased in, Leased out, Leased more) throws IpcException;"), server);
    }
}
