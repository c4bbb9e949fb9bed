package io.capipc.system.name;

import io.capipc.api.ObjectType;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Leased;
import io.capipc.servers.Server;
import io.capipc.system.SlotPool;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The name server: a flat namespace of capabilities, served by one task on one endpoint.
 *
 * <p><b>Who asks.</b> Every client holds a capability to the server's endpoint minted with its own
 * badge ({@link NameRights}); the rights in the badge decide what it may do, so a client without
 * LOOKUP is refused whatever it sends. Each badge has a session ({@link Client}); when the badge's
 * last capability goes (BADGE_DISCONNECTED), the session closes: the names it registered are removed
 * (every lookup of them revoked), its watches deleted and its donated untyped given back.
 *
 * <p><b>Where capabilities live.</b> A registered capability arrives in the receive slot and moves to
 * a slot of the {@link SlotPool}; a lookup answers with a child of it (minted with the looker's badge
 * when registered so, a copy otherwise), made in the {@code outbox} slot and transferred in the
 * reply, so the client's capability is a descendant of the server's: Revoke of the server's slot
 * takes every lookup back. The outbox is emptied at the next lookup; its children move up to the
 * stored capability, so they stay revocable.
 *
 * <p><b>Whose memory.</b> The server holds no untyped of its own. A client's objects (its watch
 * notifications) are retyped from the untyped it donated ({@link Names#donate}); without one it is
 * answered NO_BUDGET, and when it goes, deleting its untyped destroys them and refunds the budget.
 */
public final class NameServer implements NamesServer {
    /** A badge's state: its donated untyped and its watches. */
    static final class Client {
        final long badge;
        int untyped = -1;
        final List<Watch> watches = new ArrayList<>();

        Client(long badge) {
            this.badge = badge;
        }
    }

    /** A name bound to the capability in {@code slot}. */
    record Entry(String name, long owner, int slot, boolean perClientBadge) {}

    /** A notification in {@code slot}, signalled when {@code name} comes or goes. */
    record Watch(String name, long badge, int slot) {}

    private final Syscalls sys;
    private final int endpoint;
    private final int receiveSlot;
    private final int outbox;
    private final SlotPool pool;
    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final byte[] nameBytes = new byte[Names.MAX_NAME];
    private final MemorySegment nameSegment = MemorySegment.ofArray(nameBytes);
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile int registered;

    /**
     * A name server for the task {@code sys}, serving the endpoint in {@code endpoint} (READ and
     * GRANT), receiving capabilities in {@code receiveSlot}, answering lookups from {@code outbox},
     * and keeping what it holds in {@code pool}'s slots.
     */
    public NameServer(Syscalls sys, int endpoint, int receiveSlot, int outbox, SlotPool pool) {
        this.sys = sys;
        this.endpoint = endpoint;
        this.receiveSlot = receiveSlot;
        this.outbox = outbox;
        this.pool = pool;
    }

    /** The server loop: sessions by badge, closed (names removed) when the badge disconnects. */
    public Server server() {
        return Server.builder(endpoint, new NamesDispatcher(this))
                .receiveSlots(receiveSlot)
                .sessions(Client::new, (badge, session) -> disconnected((Client) session))
                .build();
    }

    /** Empties the pool and the outbox (a restarted server's leftovers), then serves until stopped. */
    public Status serve() {
        return serve(true);
    }

    /** Serves until stopped, emptying the pool and the outbox first if {@code leftovers} (after a restart). */
    public Status serve(boolean leftovers) {
        if (leftovers) {
            pool.reset(sys);
            var _ = sys.delete(outbox); // an empty slot is OK
        }
        return server().serve(sys);
    }

    @Override
    public void register(Caller caller, Leased name, int capability, boolean perClientBadge) throws IpcException {
        require(caller, NameRights.REGISTER);
        String n = name(name);
        Entry old = entries.get(n);
        if (old != null && old.owner() != caller.badge()) {
            throw refuse(Names.Error.NAME_TAKEN);
        }
        if (old != null) {
            remove(old, false);
        }
        int slot = pool.take();
        if (slot < 0) {
            throw refuse(Names.Error.FULL);
        }
        Status s = sys.move(capability, slot);
        if (s != Status.OK) {
            throw new IllegalStateException("moving a received capability: " + s);
        }
        entries.put(n, new Entry(n, caller.badge(), slot, perClientBadge));
        registered = entries.size();
        signal(n);
    }

    @Override
    public int lookup(Caller caller, Leased name) throws IpcException {
        require(caller, NameRights.LOOKUP);
        Entry e = entries.get(name(name));
        if (e == null) {
            throw refuse(Names.Error.NOT_FOUND);
        }
        var _ = sys.delete(outbox); // the previous answer's children move up to its stored capability
        Status s = e.perClientBadge() ? sys.mint(e.slot(), outbox, Rights.ALL, caller.badge())
                : sys.copy(e.slot(), outbox, Rights.ALL);
        switch (s) {
            case OK -> { }
            case INVALID_ARGUMENT -> throw refuse(Names.Error.NOT_MINTABLE);
            case NO_SPACE -> throw refuse(Names.Error.FULL);
            default -> throw new IllegalStateException("deriving a lookup of '" + e.name() + "': " + s);
        }
        lookups.incrementAndGet();
        return outbox;
    }

    @Override
    public boolean unregister(Caller caller, Leased name) throws IpcException {
        require(caller, NameRights.REGISTER);
        Entry e = entries.get(name(name));
        if (e == null) {
            return false;
        }
        if (e.owner() != caller.badge()) {
            throw refuse(Names.Error.NOT_PERMITTED);
        }
        remove(e, true);
        return true;
    }

    @Override
    public void donate(Caller caller, int untyped) throws IpcException {
        Client c = caller.session(Client.class);
        if (c.untyped >= 0) {
            throw refuse(Names.Error.ALREADY_DONATED);
        }
        int slot = pool.take();
        if (slot < 0) {
            throw refuse(Names.Error.FULL);
        }
        Status s = sys.move(untyped, slot);
        if (s != Status.OK) {
            throw new IllegalStateException("moving a received untyped: " + s);
        }
        c.untyped = slot;
    }

    @Override
    public int watch(Caller caller, Leased name) throws IpcException {
        require(caller, NameRights.LOOKUP);
        String n = name(name);
        Client c = caller.session(Client.class);
        if (c.untyped < 0) {
            throw refuse(Names.Error.NO_BUDGET);
        }
        int slot = pool.take();
        if (slot < 0) {
            throw refuse(Names.Error.FULL);
        }
        // Made in the outbox, then badged into its slot: Signal ORs the capability's badge into the word.
        var _ = sys.delete(outbox);
        Status s = sys.retype(c.untyped, ObjectType.NOTIFICATION, 0, outbox);
        if (s != Status.OK) {
            pool.giveBack(sys, slot);
            throw refuse(Names.Error.NO_BUDGET); // spent (NO_SPACE), or the untyped lacks WRITE
        }
        s = sys.mutate(outbox, slot, Rights.ALL, Names.CHANGED);
        if (s != Status.OK) {
            throw new IllegalStateException("badging a watch notification: " + s);
        }
        Watch w = new Watch(n, c.badge, slot);
        c.watches.add(w);
        watches.add(w);
        if (entries.containsKey(n)) {
            var _ = sys.signal(slot);
        }
        return slot;
    }

    /** Names registered now (for the CLI; read from any thread). */
    public int registered() {
        return registered;
    }

    /** Lookups answered with a capability. */
    public long lookups() {
        return lookups.get();
    }

    /** Requests refused (no right, unknown name, bad name...). */
    public long refusals() {
        return refusals.get();
    }

    private void disconnected(Client c) {
        Iterator<Entry> it = entries.values().iterator();
        List<Entry> owned = new ArrayList<>();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.owner() == c.badge) {
                owned.add(e);
            }
        }
        for (Entry e : owned) {
            remove(e, true);
        }
        for (Watch w : c.watches) {
            watches.remove(w);
            pool.giveBack(sys, w.slot());
        }
        if (c.untyped >= 0) {
            pool.giveBack(sys, c.untyped); // deleting an untyped revokes it first: the budget comes back whole
        }
    }

    /** Removes {@code e}: every lookup of it revoked, its slot given back, watchers told (if {@code tell}). */
    private void remove(Entry e, boolean tell) {
        entries.remove(e.name());
        registered = entries.size();
        pool.giveBack(sys, e.slot());
        if (tell) {
            signal(e.name());
        }
    }

    private void signal(String name) {
        for (Watch w : watches) {
            if (w.name().equals(name)) {
                var _ = sys.signal(w.slot()); // a client that deleted its copy still has ours signalled
            }
        }
    }

    private void require(Caller caller, int rights) throws IpcException {
        if (!NameRights.has(caller.badge(), rights)) {
            throw refuse(Names.Error.NOT_PERMITTED);
        }
    }

    private String name(Leased lease) throws IpcException {
        long size = lease.size();
        if (size < 1 || size > Names.MAX_NAME) {
            throw refuse(Names.Error.BAD_NAME);
        }
        MemorySegment dst = nameSegment.asSlice(0, size);
        if (lease.read(0, dst) != Status.OK || lease.count() != size) {
            throw refuse(Names.Error.BAD_NAME);
        }
        for (int i = 0; i < size; i++) {
            byte b = nameBytes[i];
            boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '.' || b == '_' || b == '/' || b == '-';
            if (!ok) {
                throw refuse(Names.Error.BAD_NAME);
            }
        }
        return new String(nameBytes, 0, (int) size, StandardCharsets.US_ASCII);
    }

    private IpcException refuse(Names.Error error) {
        refusals.incrementAndGet();
        return IpcException.of(error);
    }
}
