package io.capipc.system.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.servers.IpcException;
import io.capipc.servers.ServerLoop;
import io.capipc.system.Harness;
import io.capipc.system.SlotPool;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The name server on both runtimes: registration, lookup by right, per-client badges, revocation, budgets. */
class NameServerTest {
    /** Client slots: the name server, the client's own untyped, where lookups land, where a watch lands, scratch. */
    static final int NAMES = 0;
    static final int UNTYPED = 1;
    static final int GOT = 2;
    static final int WATCH = 3;
    static final int SERVICE = 4;
    static final long BUDGET = 4096;

    static List<String> runtimes() {
        return Harness.runtimes();
    }

    /** A name server on {@code h}; returns its endpoint. */
    static ObjectHandle nameServer(Harness h, List<NameServer> out) {
        ObjectHandle ep = h.kernel().createEndpoint();
        SpaceHandle space = h.kernel().createSpace("names", 40);
        h.kernel().install(space, 0, ep, Rights.READ | Rights.GRANT, 0);
        h.start(h.kernel().createTask(space, "names"), sys -> {
            NameServer ns = new NameServer(sys, 0, 1, 2, new SlotPool(8, 32));
            out.add(ns);
            var _ = ns.serve();
        });
        return ep;
    }

    /** A client space with a badged capability to the name server and an untyped of its own. */
    static SpaceHandle client(Harness h, ObjectHandle names, String name, int number, int rights) {
        SpaceHandle space = h.kernel().createSpace(name, 8);
        h.kernel().install(space, NAMES, names, Rights.WRITE | Rights.GRANT, NameRights.badge(number, rights));
        h.kernel().install(space, UNTYPED, h.kernel().createUntyped(BUDGET), Rights.ALL, 0);
        return space;
    }

    static MemorySegment name(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.US_ASCII));
    }

    static String error(IpcException e) {
        return e.error() != null ? e.error().name() : e.status().name();
    }

    /** A service that answers every Call with the caller's badge in MR0. */
    static ObjectHandle badgeEcho(Harness h, SpaceHandle owner, int slot) {
        ObjectHandle ep = h.kernel().createEndpoint();
        SpaceHandle space = h.kernel().createSpace("echo", 2);
        h.kernel().install(space, 0, ep, Rights.READ, 0);
        h.kernel().install(owner, slot, ep, Rights.WRITE | Rights.GRANT, 0);
        h.start(h.kernel().createTask(space, "echo"), sys -> {
            var _ = ServerLoop.serve(sys, 0, s -> {
                s.ipc().setMr(0, s.ipc().badge());
                return MessageInfo.of(0, 1);
            });
        });
        return ep;
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void lookup_perClientBadge_eachClientIsKnownByItsOwnBadge(String runtime) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<NameServer> ns = new ArrayList<>();
            ObjectHandle names = nameServer(h, ns);
            SpaceHandle ownerSpace = client(h, names, "owner", 1, NameRights.REGISTER);
            badgeEcho(h, ownerSpace, SERVICE);
            TaskHandle owner = h.kernel().createTask(ownerSpace, "owner");
            h.start(owner, sys -> {
                try {
                    new NamesClient(sys, NAMES).register(name("echo"), SERVICE, true);
                    seen.add("registered");
                } catch (IpcException e) {
                    seen.add("register " + error(e));
                }
            });
            h.awaitEnded(owner);
            List<TaskHandle> clients = new ArrayList<>();
            for (int c = 2; c <= 4; c++) {
                int number = c;
                TaskHandle t = h.kernel().createTask(client(h, names, "c" + c, c, NameRights.LOOKUP), "c" + c);
                clients.add(t);
                h.start(t, sys -> {
                    try {
                        int slot = new NamesClient(sys, NAMES).receiveSlot(GOT).lookup(name("echo"));
                        Status s = sys.call(slot, MessageInfo.of(1, 0));
                        seen.add("c" + number + " " + s + " badge=" + sys.ipc().mr(0));
                    } catch (IpcException e) {
                        seen.add("c" + number + " " + error(e));
                    }
                });
            }
            h.awaitEnded(clients.toArray(TaskHandle[]::new));
            assertEquals(3, ns.getFirst().lookups(), seen.toString());
        }
        assertTrue(seen.contains("registered"), seen.toString());
        for (int c = 2; c <= 4; c++) {
            assertTrue(seen.contains("c" + c + " OK badge=" + NameRights.badge(c, NameRights.LOOKUP)), seen.toString());
        }
    }

    /** Runs {@code body} as a new task in {@code space} to its end. */
    static void phase(Harness h, SpaceHandle space, String name, TaskBodyWithIpc body) throws InterruptedException {
        TaskHandle t = h.kernel().createTask(space, name);
        h.start(t, sys -> {
            try {
                body.run(sys);
            } catch (IpcException e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        });
        h.awaitEnded(t);
    }

    /** A task body that may throw IpcException (which fails the test). */
    interface TaskBodyWithIpc {
        void run(Syscalls sys) throws IpcException;
    }

    /** The error a typed call ended with, or "OK". */
    interface Attempt {
        void run() throws IpcException;
    }

    static String outcome(Attempt a) {
        try {
            a.run();
            return "OK";
        } catch (IpcException e) {
            return error(e);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void badRequests_areRefusedWithTheirOwnErrors(String runtime) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle names = nameServer(h, new ArrayList<>());
            SpaceHandle owner = client(h, names, "owner", 1, NameRights.REGISTER);
            SpaceHandle other = client(h, names, "other", 2, NameRights.REGISTER | NameRights.LOOKUP);
            SpaceHandle looker = client(h, names, "looker", 3, NameRights.LOOKUP);
            h.kernel().install(owner, SERVICE, h.kernel().createEndpoint(), Rights.ALL, 0);
            h.kernel().install(other, SERVICE, h.kernel().createEndpoint(), Rights.ALL, 0);
            h.kernel().install(looker, SERVICE, h.kernel().createEndpoint(), Rights.ALL, 0);
            phase(h, owner, "owner", sys -> {
                NamesClient n = new NamesClient(sys, NAMES).receiveSlot(GOT);
                n.register(name("svc"), SERVICE, false);
                got.add("owner lookup " + outcome(() -> n.lookup(name("svc"))));
            });
            phase(h, other, "other", sys -> {
                NamesClient n = new NamesClient(sys, NAMES).receiveSlot(GOT);
                got.add("taken " + outcome(() -> n.register(name("svc"), SERVICE, false)));
                got.add("not owner " + outcome(() -> n.unregister(name("svc"))));
                got.add("unknown " + outcome(() -> n.lookup(name("nothing-here"))));
                got.add("too long " + outcome(() -> n.lookup(name("x".repeat(Names.MAX_NAME + 1)))));
                got.add("empty " + outcome(() -> n.lookup(name(""))));
                got.add("bad char " + outcome(() -> n.lookup(name("a b"))));
                got.add("longest " + outcome(() -> n.lookup(name("x".repeat(Names.MAX_NAME)))));
                got.add("watch no budget " + outcome(() -> n.watch(name("svc"))));
            });
            phase(h, looker, "looker", sys -> {
                NamesClient n = new NamesClient(sys, NAMES).receiveSlot(GOT);
                got.add("register without right " + outcome(() -> n.register(name("mine"), SERVICE, false)));
                got.add("lookup " + outcome(() -> n.lookup(name("svc"))));
            });
        }
        assertEquals(List.of("owner lookup NOT_PERMITTED", "taken NAME_TAKEN", "not owner NOT_PERMITTED",
                "unknown NOT_FOUND", "too long BAD_NAME", "empty BAD_NAME", "bad char BAD_NAME", "longest NOT_FOUND",
                "watch no budget NO_BUDGET", "register without right NOT_PERMITTED", "lookup OK"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void unregister_revokesEveryLookup(String runtime) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle names = nameServer(h, new ArrayList<>());
            SpaceHandle owner = client(h, names, "owner", 1, NameRights.REGISTER);
            badgeEcho(h, owner, SERVICE);
            SpaceHandle looker = client(h, names, "looker", 2, NameRights.LOOKUP);
            phase(h, owner, "owner", sys -> new NamesClient(sys, NAMES).register(name("echo"), SERVICE, false));
            phase(h, looker, "looker", sys -> {
                int slot = new NamesClient(sys, NAMES).receiveSlot(GOT).lookup(name("echo"));
                got.add("call " + sys.call(slot, MessageInfo.of(1, 0)));
            });
            phase(h, owner, "owner-again", sys -> got.add("unregistered " + new NamesClient(sys, NAMES).unregister(name("echo"))));
            phase(h, looker, "looker-again", sys -> {
                got.add("old capability " + sys.call(GOT, MessageInfo.of(1, 0)));
                got.add("lookup " + outcome(() -> new NamesClient(sys, NAMES).receiveSlot(GOT).lookup(name("echo"))));
            });
        }
        assertEquals(List.of("call OK", "unregistered true", "old capability INVALID_CAPABILITY", "lookup NOT_FOUND"), got);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void ownerDisconnects_itsNamesGo_watchersAreSignalled_budgetsComeBack(String runtime) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        long[] used = new long[3];
        try (Harness h = Harness.of(runtime)) {
            ObjectHandle names = nameServer(h, new ArrayList<>());
            SpaceHandle owner = client(h, names, "owner", 1, NameRights.REGISTER);
            badgeEcho(h, owner, SERVICE);
            SpaceHandle watcher = h.kernel().createSpace("watcher", 8);
            h.kernel().install(watcher, NAMES, names, Rights.WRITE | Rights.GRANT, NameRights.badge(2, NameRights.LOOKUP));
            ObjectHandle untyped = h.kernel().createUntyped(100); // room for one notification (64 bytes), not two
            h.kernel().install(watcher, UNTYPED, untyped, Rights.ALL, 0);
            phase(h, watcher, "watcher", sys -> {
                NamesClient n = new NamesClient(sys, NAMES).receiveSlot(WATCH);
                n.donate(UNTYPED);
                got.add("again " + outcome(() -> n.donate(UNTYPED)));
                got.add("watch " + n.watch(name("echo")));
                got.add("second watch " + outcome(() -> n.receiveSlot(GOT).watch(name("other"))));
            });
            used[0] = untypedUsed(h, untyped);
            phase(h, owner, "owner", sys -> {
                new NamesClient(sys, NAMES).register(name("echo"), SERVICE, false);
                got.add("owner leaves " + sys.delete(NAMES)); // its badge's last capability: BADGE_DISCONNECTED
            });
            phase(h, watcher, "watcher-again", sys -> {
                // Registered, then removed: the word is CHANGED either way; the lookup says which is now.
                got.add("wait " + sys.waitNotification(WATCH) + " word " + sys.ipc().badge());
                got.add("lookup " + outcome(() -> new NamesClient(sys, NAMES).receiveSlot(GOT).lookup(name("echo"))));
                got.add("watcher leaves " + sys.delete(NAMES));
            });
            used[1] = awaitUsed(h, untyped, 0); // the name server handles the disconnect on its own time
        }
        assertEquals(List.of("again ALREADY_DONATED", "watch " + WATCH, "second watch NO_BUDGET", "owner leaves OK",
                "wait OK word " + Names.CHANGED, "lookup NOT_FOUND", "watcher leaves OK"), got);
        assertEquals(64, used[0], "the watch was charged to the client's untyped");
        assertEquals(0, used[1], "the client's objects went with its badge, and their charge came back");
    }

    static long awaitUsed(Harness h, ObjectHandle untyped, long want) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (untypedUsed(h, untyped) != want && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return untypedUsed(h, untyped);
    }

    static long untypedUsed(Harness h, ObjectHandle untyped) {
        KernelView.UntypedView u = h.kernel().inspect().untyped(untyped.id());
        return u.used();
    }
}
