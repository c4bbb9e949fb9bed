package io.capipc.benchmarks;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.SyscallClass;
import java.io.IOException;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the kernel's Flight Recorder events cost (docs/benchmarks.md, "Flight Recorder events"): the
 * Call/ReplyWait round trip of {@link Calls} (spinning platform threads, no registers) with
 * <ul>
 *   <li>OFF: no recording (the JDK's recorder never started);
 *   <li>DISABLED: a recording in the JDK's default configuration, which leaves capipc's events off;
 *   <li>ON: a recording with capipc's five event types enabled (each round trip commits two events,
 *       the client's Call spanning its blocked interval and the server's ReplyWait).
 * </ul>
 * The recording is in memory only (no file is written while measuring). Compare the three within one
 * run: this VM drifts between runs (NOTES.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlightRecorderCost {
    public enum Jfr { OFF, DISABLED, ON }

    @State(Scope.Thread)
    public static class Pair {
        @Param({"OFF", "DISABLED", "ON"})
        public Jfr jfr;

        CapipcPair pair;
        Recording recording;
        long info;

        @Setup(Level.Trial)
        public void setUp() throws IOException, ParseException {
            recording = switch (jfr) {
                case OFF -> null;
                case DISABLED -> new Recording(Configuration.getConfiguration("default"));
                case ON -> {
                    Recording r = new Recording();
                    for (SyscallClass c : SyscallClass.values()) {
                        r.enable(c.eventName());
                    }
                    yield r;
                }
            };
            if (recording != null) {
                recording.setToDisk(false);
                recording.setMaxSize(64L << 20);
                recording.start();
            }
            pair = new CapipcPair(ThreadedRuntime.Threads.PLATFORM, ThreadedRuntime.DEFAULT_SPIN, 1, CapipcPair.echo(0));
            info = MessageInfo.of(CapipcPair.WORK, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pair.close();
            if (recording != null) {
                recording.close();
            }
        }
    }

    @Benchmark
    public Status callReplyWait(Pair p) {
        return p.pair.client.call(0, p.info);
    }
}
