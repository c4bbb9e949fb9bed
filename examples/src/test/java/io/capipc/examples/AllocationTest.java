package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Register-only operations through the generated stub and dispatcher, and the Server loop, allocate
 * nothing on either side after warm-up, on platform threads (docs/semantics.md guarantee 11 carried
 * up to typed calls): the calls that succeed, the declared-error answers and the one-way sends. Each
 * side measures its own thread with ThreadMXBean over {@value #ROUND} calls per round and keeps the
 * smallest of {@value #ROUNDS} rounds; any byte fails the test.
 */
class AllocationTest {
    private static final int WARMUP = 50_000;
    private static final int ROUND = 20_000;
    private static final int ROUNDS = 3;
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The server side: counts calls, and reads its own thread's counter at round boundaries. */
    private static final class Measured implements AdderServer {
        final long[] marks = new long[ROUNDS + 1];
        long calls;

        private void count() {
            calls++;
            long k = calls - WARMUP;
            if (k >= 0 && k % ROUND == 0 && k / ROUND <= ROUNDS) {
                marks[(int) (k / ROUND)] = BEAN.getCurrentThreadAllocatedBytes();
            }
        }

        @Override
        public long add(Caller caller, long a, long b) {
            count();
            return a + b;
        }

        @Override
        public boolean flip(Caller caller, boolean b) {
            count();
            return !b;
        }

        @Override
        public Adder.Color next(Caller caller, Adder.Color c) {
            count();
            return c == Adder.Color.BLUE ? Adder.Color.RED : c == Adder.Color.RED ? Adder.Color.GREEN : Adder.Color.BLUE;
        }

        @Override
        public double scale(Caller caller, double d, float f, int i, short s, byte b, char c) {
            count();
            return d * f + i + s + b + c;
        }

        @Override
        public long check(Caller caller, long x) throws IpcException {
            count();
            if (x < 0) {
                throw IpcException.of(Adder.Error.NEGATIVE); // shared, stackless: no allocation
            }
            return x;
        }

        @Override
        public void note(Caller caller, long x) {
            count();
        }

        long best() {
            long best = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                best = Math.min(best, marks[r + 1] - marks[r]);
            }
            return best;
        }
    }

    @FunctionalInterface
    private interface Op {
        void call(Adder adder, long i) throws IpcException;
    }

    private static Op op(String name) {
        return switch (name) {
            case "add" -> (a, i) -> require(a.add(i, 1) == i + 1);
            case "flip" -> (a, i) -> require(a.flip((i & 1) == 0) == ((i & 1) != 0));
            case "next" -> (a, i) -> require(a.next(Adder.Color.RED) == Adder.Color.GREEN);
            case "scale" -> (a, i) -> require(a.scale(1.5, 2f, 1, (short) 1, (byte) 1, 'a') == 3 + 3 + 97);
            case "error" -> (a, i) -> {
                try {
                    long unused = a.check(-1);
                    throw new AssertionError("no error");
                } catch (IpcException e) {
                    require(e.error() == Adder.Error.NEGATIVE);
                }
            };
            case "oneWay" -> (a, i) -> a.note(i);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new AssertionError("wrong answer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "flip", "next", "scale", "error", "oneWay"})
    void registerOnlyOperation_bothSides_allocateNothing(String name) throws Exception {
        Kernel kernel = new Kernel();
        ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
        ObjectHandle ep = kernel.createEndpoint();
        SpaceHandle serverSpace = kernel.createSpace("server", 4);
        SpaceHandle clientSpace = kernel.createSpace("client", 4);
        kernel.install(serverSpace, 0, ep, Rights.READ, 0);
        kernel.install(clientSpace, 0, ep, Rights.WRITE, 1);
        Measured service = new Measured();
        // Sessions on, so the per-badge lookup is measured too.
        Server server = Server.builder(0, new AdderDispatcher(service)).sessions(badge -> new Object(), (b, s) -> { }).build();
        rt.start(kernel.createTask(serverSpace, "server"), sys -> {
            Status unused = server.serve(sys);
        });
        Map<String, Long> client = new ConcurrentHashMap<>();
        Op op = op(name);
        Thread c = rt.start(kernel.createTask(clientSpace, "client"), sys -> {
            Adder adder = new AdderClient(sys, 0);
            for (long i = 0; i < WARMUP; i++) {
                op.call(adder, i);
            }
            long best = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long before = BEAN.getCurrentThreadAllocatedBytes();
                for (long i = 0; i < ROUND; i++) {
                    op.call(adder, i);
                }
                best = Math.min(best, BEAN.getCurrentThreadAllocatedBytes() - before);
            }
            client.put("client", best);
            // A Call after one-way Sends: when it returns, the server has handled them all.
            long unused = adder.add(0, 0);
        });
        c.join(Duration.ofMinutes(3));
        assertEquals(Map.of(), rt.failures());
        assertTrue(service.calls >= WARMUP + ROUNDS * ROUND, "the server handled " + service.calls);
        assertEquals(0L, client.get("client"), "client bytes per " + ROUND + " " + name + " calls");
        assertEquals(0L, service.best(), "server bytes per " + ROUND + " " + name + " calls");
    }
}
