package io.capipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskBody;
import io.capipc.examples.kv.KeyValue;
import io.capipc.examples.kv.KeyValueClient;
import io.capipc.examples.kv.KeyValueDispatcher;
import io.capipc.examples.kv.KeyValueStore;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.servers.IpcException;
import io.capipc.servers.ProtocolError;
import io.capipc.servers.Server;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The key-value store through its generated stub, on both runtimes. */
class KeyValueTest {
    static List<String> runtimes() {
        return Harness.runtimes();
    }

    private static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(MemorySegment s, long n) {
        return new String(s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A store served on a fresh endpoint, and {@code clients} client tasks with badges 1.. running {@code body}. */
    private static List<TaskHandle> system(Harness h, int capacity, int clients, TaskBody body) {
        ObjectHandle ep = h.kernel().createEndpoint();
        SpaceHandle server = h.kernel().createSpace("kv", 4);
        h.kernel().install(server, 0, ep, Rights.READ, 0);
        Server s = Server.builder(0, new KeyValueDispatcher(new KeyValueStore(capacity))).build();
        h.start(h.kernel().createTask(server, "kv"), s::serve);
        List<TaskHandle> started = new java.util.ArrayList<>();
        for (int c = 1; c <= clients; c++) {
            SpaceHandle space = h.kernel().createSpace("client" + c, 4);
            h.kernel().install(space, 0, ep, Rights.WRITE, c);
            TaskHandle t = h.kernel().createTask(space, "client" + c);
            h.start(t, body);
            started.add(t);
        }
        return started;
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void putGetRemove_manyClients_eachSeesItsOwnKeys(String runtime) throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<TaskHandle> clients = system(h, 100, 3, sys -> {
                KeyValue kv = new KeyValueClient(sys, 0);
                String me = sys.ipc() + "";
                for (int i = 0; i < 5; i++) {
                    String key = me + "/" + i;
                    kv.put(bytes(key), bytes("value of " + key));
                }
                MemorySegment value = MemorySegment.ofArray(new byte[64]);
                for (int i = 0; i < 5; i++) {
                    String key = me + "/" + i;
                    long n = kv.get(bytes(key), value);
                    if (!text(value, n).equals("value of " + key)) {
                        wrong.add(key + " -> " + text(value, n));
                    }
                    if (!kv.remove(bytes(key)) || kv.remove(bytes(key))) {
                        wrong.add("remove " + key);
                    }
                }
            });
            h.awaitEnded(clients.toArray(TaskHandle[]::new));
        }
        assertEquals(List.of(), wrong);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void errors_declaredAndTransport_bothVisibleToTheCaller(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<TaskHandle> clients = system(h, 1, 1, sys -> {
                KeyValue kv = new KeyValueClient(sys, 0);
                MemorySegment value = MemorySegment.ofArray(new byte[8]);
                IpcException missing = assertThrows(IpcException.class, () -> kv.get(bytes("nothing"), value));
                seen.add(missing.error());
                seen.add(missing.status());
                IpcException longKey = assertThrows(IpcException.class, () -> kv.put(MemorySegment.ofArray(new byte[300]), value));
                seen.add(longKey.error());
                kv.put(bytes("a"), bytes("1"));
                seen.add(assertThrows(IpcException.class, () -> kv.put(bytes("b"), bytes("2"))).error());
                seen.add(kv.size());
                // A read-only segment cannot be written: the kernel refuses the Call itself.
                IpcException readOnly = assertThrows(IpcException.class, () -> kv.get(bytes("a"), value.asReadOnly()));
                seen.add(readOnly.status());
                assertNull(readOnly.error());
                // A value longer than the lease: the server writes what fits and says the full length.
                kv.put(bytes("a"), bytes("12345678910"));
                seen.add(kv.get(bytes("a"), value));
                seen.add(text(value, 8));
            });
            h.awaitEnded(clients.toArray(TaskHandle[]::new));
        }
        assertEquals(List.of(KeyValue.Error.NOT_FOUND, Status.OK, KeyValue.Error.KEY_TOO_LONG, KeyValue.Error.FULL, 1L,
                Status.INVALID_ARGUMENT, 11L, "12345678"), seen);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void hostileClient_rawMessages_answeredWithProtocolErrors(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<TaskHandle> clients = system(h, 10, 1, sys -> {
                seen.add(sys.call(0, MessageInfo.of(77, 0)));                  // no such operation
                seen.add(sys.ipc().label() - io.capipc.servers.Wire.PROTOCOL_BASE);
                seen.add(sys.call(0, MessageInfo.of(KeyValueDispatcher.OP_GET, 1))); // too few registers
                seen.add(sys.ipc().label() - io.capipc.servers.Wire.PROTOCOL_BASE);
                sys.ipc().setMr(0, -5);                                         // a negative lease size
                seen.add(sys.call(0, MessageInfo.of(KeyValueDispatcher.OP_REMOVE, 1)));
                seen.add(sys.ipc().label() - io.capipc.servers.Wire.PROTOCOL_BASE);
                seen.add(sys.send(0, MessageInfo.of(KeyValueDispatcher.OP_SIZE, 0))); // a two-way operation, sent
                seen.add(new KeyValueClient(sys, 0).size());                    // and the server still serves
            });
            h.awaitEnded(clients.toArray(TaskHandle[]::new));
        }
        assertEquals(List.of(Status.OK, ProtocolError.UNKNOWN_OPERATION.ordinal(), Status.OK, ProtocolError.BAD_REQUEST.ordinal(),
                Status.OK, ProtocolError.BAD_REQUEST.ordinal(), Status.OK, 0L), seen);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void clientClosesItsArena_afterItsCall_serverUnharmed(String runtime) throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (Harness h = Harness.of(runtime)) {
            List<TaskHandle> clients = system(h, 10, 1, sys -> {
                KeyValue kv = new KeyValueClient(sys, 0);
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment key = arena.allocate(3);
                    key.copyFrom(bytes("abc"));
                    kv.put(key, bytes("x"));
                }
                seen.add(kv.size());
                assertFalse(kv.remove(bytes("zzz")));
                assertTrue(kv.remove(bytes("abc")));
            });
            h.awaitEnded(clients.toArray(TaskHandle[]::new));
        }
        assertEquals(List.of(1L), seen);
    }
}
