package io.capipc.benchmarks;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.TaskBody;
import io.capipc.benchmarks.typed.SumClient;
import io.capipc.benchmarks.typed.SumDispatcher;
import io.capipc.benchmarks.typed.SumServer;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of the server library (issue 20): one round trip {@code add(a, b)} through the generated
 * stub, a {@code Server} loop and the generated dispatcher, against the same call written by hand on
 * the primitives (setMr, Call, check the status and the label, read MR0; the server Recv, then
 * ReplyWait with the sum). Same kernel, same runtime (platform threads, default spin), same run:
 * the ratio generated/handWritten is the figure (docs/benchmarks.md); the GC profiler's B/op must
 * be 0 for both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TypedCalls {
    private static final long ADD = MessageInfo.of(1, 2);
    private static final long SUM = MessageInfo.of(0, 1);

    /** The server of the generated side. */
    static final class Adder implements SumServer {
        @Override
        public long add(Caller caller, long a, long b) {
            return a + b;
        }

        @Override
        public void stop(Caller caller) {
            caller.stopServer();
        }
    }

    /** The hand-written server: Recv, then ReplyWait with the sum, until a STOP arrives. */
    static final TaskBody HAND_SERVER = sys -> {
        IpcBuffer ipc = sys.ipc();
        Status s = sys.recv(0);
        while (s == Status.OK && ipc.label() != CapipcPair.STOP) {
            ipc.setMr(0, ipc.mr(0) + ipc.mr(1));
            s = sys.replyWait(0, SUM);
        }
        CapipcPair.check(s, "server recv/replyWait");
    };

    @State(Scope.Thread)
    public static class Generated {
        CapipcPair pair;
        SumClient sum;
        long i;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1, sys -> {
                Status unused = Server.builder(0, new SumDispatcher(new Adder())).build().serve(sys);
            });
            sum = new SumClient(pair.client, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            sum.stop();
            pair.runtime.exit(pair.clientTask);
            if (!pair.runtime.awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the typed server did not stop");
            }
        }
    }

    @State(Scope.Thread)
    public static class HandWritten {
        CapipcPair pair;
        long i;

        @Setup(Level.Trial)
        public void setUp() {
            pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1, HAND_SERVER);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            pair.close();
        }
    }

    @Benchmark
    public long generated(Generated s) throws IpcException {
        return s.sum.add(s.i++, 1);
    }

    @Benchmark
    public long handWritten(HandWritten s) {
        IpcBuffer ipc = s.pair.client.ipc();
        ipc.setMr(0, s.i++);
        ipc.setMr(1, 1);
        CapipcPair.check(s.pair.client.call(0, ADD), "call");
        if (ipc.label() != 0) {
            throw new IllegalStateException("error label " + ipc.label());
        }
        return ipc.mr(0);
    }
}
