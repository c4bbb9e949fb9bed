package io.capipc.examples.counter;

import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.servers.Caller;
import io.capipc.servers.IpcException;
import io.capipc.servers.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * The counter, with a session per client badge (its own total) and watchers signalled on every
 * change. A watcher's notification capability arrives in the server's receive slot; the service
 * moves it to a slot of its own, {@code watcherBase + n}, so the next one can arrive.
 */
public final class CounterService implements CounterServer {
    /** A client's session: what it added. */
    public static final class Contribution {
        long total;
    }

    private final Syscalls sys;
    private final int watcherBase;
    private final int maxWatchers;
    private int watchers;
    private long value;
    private final List<Long> closed = new ArrayList<>();

    /** A counter for the server task {@code sys}, keeping watchers in slots {@code watcherBase..+maxWatchers-1}. */
    public CounterService(Syscalls sys, int watcherBase, int maxWatchers) {
        this.sys = sys;
        this.watcherBase = watcherBase;
        this.maxWatchers = maxWatchers;
    }

    /** The server loop for this service on the endpoint in {@code endpoint}, sessions by badge. */
    public Server server(int endpoint, int receiveSlot) {
        return Server.builder(endpoint, new CounterDispatcher(this))
                .receiveSlots(receiveSlot)
                .sessions(badge -> new Contribution(), (badge, session) -> closed.add(badge))
                .build();
    }

    @Override
    public long add(Caller caller, long delta) {
        caller.session(Contribution.class).total += delta;
        value += delta;
        signalWatchers();
        return value;
    }

    @Override
    public long value(Caller caller) {
        return value;
    }

    @Override
    public void bump(Caller caller) {
        long unused = add(caller, 1);
    }

    @Override
    public void watch(Caller caller, int notification) throws IpcException {
        if (watchers == maxWatchers) {
            throw IpcException.of(Counter.Error.TOO_MANY_WATCHERS);
        }
        Status s = sys.move(notification, watcherBase + watchers);
        if (s != Status.OK) {
            throw IpcException.of(s);
        }
        watchers++;
    }

    @Override
    public long mine(Caller caller) {
        return caller.session(Contribution.class).total;
    }

    /** Badges whose session was closed (their last capability went), in order. */
    public List<Long> closedSessions() {
        return List.copyOf(closed);
    }

    private void signalWatchers() {
        for (int i = 0; i < watchers; i++) {
            Status unused = sys.signal(watcherBase + i); // a watcher whose notification is gone is skipped
        }
    }
}
