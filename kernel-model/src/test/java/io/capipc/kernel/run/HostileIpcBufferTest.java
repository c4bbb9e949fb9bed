package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.ThreadedRuntime;
import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/semantics.md §7 on real threads: nothing a task supplies can break the kernel. Two hostile tasks
 * each have a second thread that rewrites their IPC buffer in a tight loop (capability slots and
 * receive slots, in range and out of it, negative) and closes the arenas of the buffers they attach,
 * while their syscalls run and while they are queued: an attacker that sends and calls an honest
 * server, and a receiver that an honest publisher sends capabilities to. Meanwhile honest clients
 * call the same server with buffers.
 *
 * <p>Pass: no syscall throws into any body (a throw would show in {@link ThreadedRuntime#failures});
 * every honest Call ends with the right answer and every honest send ends OK or by its timeout;
 * nothing stays blocked; the kernel's invariants hold at the end.
 */
class HostileIpcBufferTest {
    private static final int EP = 0;
    private static final int SINK_EP = 1;
    private static final int NTFN = 2;
    private static final int SLOTS = 8;
    private static final int STOP = 99;
    private static final int HONEST_CALLS = 1_500;
    private static final long ATTACK_NANOS = 600_000_000L;
    private static final long MS = 1_000_000L;

    private final Kernel kernel = new Kernel();
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle sinkEndpoint = kernel.createEndpoint();
    private final ObjectHandle notification = kernel.createNotification();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final Map<String, Status> seen = new ConcurrentHashMap<>();
    private volatile boolean attacking = true;

    private TaskHandle task(String name, int epRights, long badge) {
        SpaceHandle space = kernel.createSpace(name, SLOTS);
        kernel.install(space, EP, endpoint, epRights, badge);
        kernel.install(space, SINK_EP, sinkEndpoint, Rights.ALL, badge);
        kernel.install(space, NTFN, notification, Rights.ALL, badge);
        return kernel.createTask(space, name);
    }

    @ParameterizedTest
    @EnumSource(ThreadedRuntime.Threads.class)
    void hostileThreadsRewriteBuffersAndCloseArenas_honestCallsAnsweredAndKernelIntact(ThreadedRuntime.Threads threads)
            throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(kernel, threads);
        AtomicInteger honestLeft = new AtomicInteger(2);
        rt.start(task("server", Rights.READ | Rights.GRANT, 0), this::serve);
        for (int c = 1; c <= 2; c++) {
            long badge = c;
            rt.start(task("client" + c, Rights.WRITE, badge), sys -> {
                callHonestly(sys, badge);
                if (honestLeft.decrementAndGet() == 0) {
                    attacking = false;
                    expect("client stop", sys.send(EP, MessageInfo.of(STOP, 0)), Status.OK);
                }
            });
        }
        rt.start(task("attacker", Rights.WRITE | Rights.GRANT, 0xBAD), this::attack);
        rt.start(task("sink", Rights.READ, 0), this::sink);
        rt.start(task("publisher", Rights.WRITE, 7), this::publish);

        assertTrue(rt.awaitTermination(Duration.ofSeconds(60)), "tasks still blocked after 60 s: " + kernel.blockedOnGraph());
        assertEquals(Map.of(), rt.failures(), "a syscall threw into a body");
        assertEquals(List.of(), List.copyOf(wrong));
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /**
     * The honest server: answers each Call with MR0 + 1 and, through Read and Write, the caller's
     * bytes plus one. Read and Write may fail for the attacker (its arena closed under the copy, a
     * confined segment): they must return a status, and the server carries on.
     */
    private void serve(Syscalls sys) {
        MemorySegment scratch = MemorySegment.ofArray(new byte[16]);
        sys.ipc().setReceiveSlot(0, 5);
        Status s = sys.recv(EP);
        while (true) {
            expectOneOf("server receive", s, Status.OK);
            if (sys.ipc().caps() > 0) {
                expect("server drops a received capability", sys.delete(5), Status.OK);
            }
            if (sys.ipc().label() == STOP) {
                return;
            }
            if (sys.ipc().kind() != Kind.CALL) {
                s = sys.recv(EP);
                continue;
            }
            boolean honest = sys.ipc().badge() != 0xBAD;
            Status read = sys.read(0, scratch);
            long bytes = read == Status.OK ? sys.ipc().count() : 0;
            for (int i = 0; i < bytes; i++) {
                scratch.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (scratch.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) + 1));
            }
            Status write = sys.write(0, scratch.asSlice(0, bytes));
            if (honest && (read != Status.OK || write != Status.OK)) {
                wrong.add("server's Read/Write of an honest caller: " + read + "/" + write);
            }
            seen.put("server Read " + read, read);
            seen.put("server Write " + write, write);
            sys.ipc().setMr(0, sys.ipc().mr(0) + 1);
            sys.ipc().setMr(1, bytes);
            s = sys.replyWait(EP, MessageInfo.of(0, 2));
        }
    }

    private void callHonestly(Syscalls sys, long badge) {
        byte[] out = new byte[16];
        byte[] in = new byte[16];
        for (int i = 0; i < HONEST_CALLS; i++) {
            for (int b = 0; b < out.length; b++) {
                out[b] = (byte) (i + b + badge);
            }
            sys.ipc().setMr(0, i * 10L + badge);
            Status s = sys.call(EP, MessageInfo.of(1, 1), MemorySegment.ofArray(out), MemorySegment.ofArray(in));
            if (s != Status.OK || sys.ipc().mr(0) != i * 10L + badge + 1 || sys.ipc().mr(1) != 16) {
                wrong.add("client " + badge + " call " + i + ": " + s + ", MR0 " + sys.ipc().mr(0) + ", MR1 " + sys.ipc().mr(1));
                return;
            }
            for (int b = 0; b < in.length; b++) {
                if (in[b] != (byte) (out[b] + 1)) {
                    wrong.add("client " + badge + " call " + i + ": byte " + b + " is " + in[b]);
                    return;
                }
            }
        }
    }

    /**
     * The attacker: sends and calls with capabilities and buffers while its second thread rewrites
     * the slots it names and closes its arenas. Every syscall must return a status; which one does not
     * matter.
     */
    private void attack(Syscalls sys) throws InterruptedException {
        AtomicReference<Arena> arena = new AtomicReference<>();
        Thread hostile = hostileThread(sys.ipc(), arena, 1);
        SplittableRandom rnd = new SplittableRandom(2);
        long end = System.nanoTime() + ATTACK_NANOS;
        while (attacking && System.nanoTime() < end) {
            sys.ipc().setCap(0, NTFN);
            sys.ipc().setCap(1, SINK_EP);
            sys.ipc().setReceiveSlot(0, 6);
            long withCaps = MessageInfo.withCaps(MessageInfo.of(3, 1), 1 + rnd.nextInt(2));
            Status s = switch (rnd.nextInt(5)) {
                case 0 -> sys.send(EP, withCaps, MS);
                case 1 -> sys.nbSend(EP, withCaps);
                case 2 -> callWithClosingArena(sys, arena, withCaps);
                case 3 -> confinedCall(sys);
                default -> sys.call(EP, withCaps, new MemorySegment[0], new MemorySegment[0], 20 * MS);
            };
            seen.put("attacker " + s, s);
            expect("attacker Delete", sys.delete(6), Status.OK);
        }
        hostile.interrupt();
        hostile.join();
    }

    @SuppressWarnings("MustBeClosedChecker") // another thread closes the arena during the Call, on purpose
    private Status callWithClosingArena(Syscalls sys, AtomicReference<Arena> holder, long info) {
        Arena arena = Arena.ofShared();
        MemorySegment send = arena.allocate(16);
        MemorySegment recv = arena.allocate(16);
        holder.set(arena);
        Status s = sys.call(EP, info, new MemorySegment[] {send}, new MemorySegment[] {recv}, 20 * MS);
        closeQuietly(holder.getAndSet(null));
        return s;
    }

    /** A confined segment can never be reached by the server: refused at the Call, on every runtime. */
    private Status confinedCall(Syscalls sys) {
        try (Arena confined = Arena.ofConfined()) {
            Status s = sys.call(EP, MessageInfo.of(4, 0), confined.allocate(8), confined.allocate(8));
            expect("a Call with confined segments", s, Status.INVALID_ARGUMENT);
            return s;
        }
    }

    /** A receiver whose second thread rewrites its receive slots while it waits for capabilities. */
    private void sink(Syscalls sys) throws InterruptedException {
        Thread hostile = hostileThread(sys.ipc(), new AtomicReference<>(), 3);
        while (true) {
            Status s = sys.recv(SINK_EP, 5 * MS);
            expectOneOf("sink Recv", s, Status.OK, Status.TIMEOUT);
            for (int slot = 3; slot < SLOTS; slot++) {
                expect("sink Delete", sys.delete(slot), Status.OK);
            }
            if (s == Status.OK && sys.ipc().label() == STOP) {
                break;
            }
        }
        hostile.interrupt();
        hostile.join();
    }

    /** An honest publisher sending a notification capability to the hostile receiver. */
    private void publish(Syscalls sys) {
        long end = System.nanoTime() + ATTACK_NANOS;
        int sent = 0;
        while (System.nanoTime() < end) {
            sys.ipc().setCap(0, NTFN);
            Status s = sys.send(SINK_EP, MessageInfo.withCaps(MessageInfo.of(1, 0), 1), MS);
            expectOneOf("publisher Send", s, Status.OK, Status.TIMEOUT);
            sent += s == Status.OK ? 1 : 0;
        }
        expect("publisher stop", sys.send(SINK_EP, MessageInfo.of(STOP, 0)), Status.OK);
        if (sent == 0) {
            wrong.add("the publisher never got a message through");
        }
    }

    /**
     * A thread of the task's Space that is not the task: rewrites the IPC buffer's slots to anything
     * in -4..11 and closes the arena the task has published, at random, until interrupted.
     */
    private static Thread hostileThread(IpcBuffer ipc, AtomicReference<Arena> arena, long seed) {
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            while (!Thread.currentThread().isInterrupted()) {
                int i = rnd.nextInt(4);
                ipc.setCap(i, rnd.nextInt(16) - 4);
                ipc.setReceiveSlot(i, rnd.nextInt(16) - 4);
                if (rnd.nextInt(64) == 0) {
                    closeQuietly(arena.getAndSet(null));
                }
                Thread.onSpinWait();
            }
        });
        return t;
    }

    private static void closeQuietly(Arena arena) {
        if (arena != null) {
            arena.close();
        }
    }

    private void expect(String what, Status s, Status wanted) {
        expectOneOf(what, s, wanted);
    }

    private void expectOneOf(String what, Status s, Status... wanted) {
        if (!List.of(wanted).contains(s)) {
            wrong.add(what + " returned " + s + ", not one of " + List.of(wanted));
        }
    }
}
