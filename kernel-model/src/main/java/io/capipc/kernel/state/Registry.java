package io.capipc.kernel.state;

import org.jspecify.annotations.Nullable;

import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.kernel.object.AsyncPort;
import io.capipc.kernel.object.Endpoint;
import io.capipc.kernel.object.Notification;
import io.capipc.kernel.object.Region;
import io.capipc.kernel.object.RegionMemory;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.SpaceObject;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.object.TaskControl;
import io.capipc.kernel.object.Untyped;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object the boot API made, and every async port Bind made, in creation order, and the
 * kernel-wide id counter. Views, invariants and the runtimes read it. Ids are dense, so a task is
 * found by its id in O(1). The tasks include the carriers of async port entries (see
 * {@link io.capipc.kernel.object.Courier}), which views report with their ports, not as tasks.
 *
 * <p>KEY ASSUMPTION: the caller holds the kernel's lock.
 */
public final class Registry {
    private final List<Space> spaces = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    private final List<KernelObject> objects = new ArrayList<>();
    private final List<AsyncPort> ports = new ArrayList<>();
    private final List<Untyped> untypeds = new ArrayList<>();
    /** The untyped each live object made by Retype was made from. */
    private final java.util.Map<KernelObject, Untyped> madeFrom = new java.util.IdentityHashMap<>();
    /** Every capability space: each Space's and each task's TCB slot. */
    private final List<CSpace> cspaces = new ArrayList<>();
    /** Everything by id: a Space, a task, a kernel object, or null (ids of reply-pool entries). */
    private final List<Object> byId = new ArrayList<>();
    private int nextId;

    /** A new Space; its reply-pool entries take the ids after its own. */
    public Space addSpace(String name, int slots, int replyPool) {
        int id = take(1 + replyPool);
        Space space = new Space(id, name, slots, replyPool, id + 1);
        byId.set(id, space);
        spaces.add(space);
        cspaces.add(space.cspace());
        return space;
    }

    /** A new Endpoint tracking any number of badges. */
    public Endpoint addEndpoint() {
        return added(new Endpoint(take(1)));
    }

    /** A new Endpoint tracking up to {@code badges} badges at once. */
    public Endpoint addEndpoint(int badges) {
        return added(new Endpoint(take(1), badges));
    }

    private Endpoint added(Endpoint ep) {
        byId.set(ep.id(), ep);
        objects.add(ep);
        return ep;
    }

    /** A new Notification. */
    public Notification addNotification() {
        Notification n = new Notification(take(1));
        byId.set(n.id(), n);
        objects.add(n);
        return n;
    }

    /** A new region (or window) of {@code length} bytes from {@code offset} of {@code memory}. */
    public Region addRegion(RegionMemory memory, long offset, long length) {
        Region r = new Region(take(1), memory, offset, length);
        byId.set(r.id(), r);
        objects.add(r);
        return r;
    }

    /** A new task in {@code space}. */
    public Task addTask(Space space, String name) {
        Task t = new Task(take(1), name, space);
        tasks.add(t);
        byId.set(t.id(), t);
        cspaces.add(t.tcbSpace());
        return t;
    }

    /**
     * A new async port of {@code capacity} entries, with its own space and a carrier task per entry
     * (Bind: the one syscall that allocates).
     */
    public AsyncPort addAsyncPort(int capacity) {
        int spaceId = take(1);
        // Not in byId: no handle can name a port's space, so boot code cannot put anything in it.
        Space space = new Space(spaceId, "port-space#" + spaceId, AsyncPort.slotsFor(capacity), 0, spaceId + 1);
        cspaces.add(space.cspace());
        Task[] carriers = new Task[capacity];
        for (int i = 0; i < capacity; i++) {
            carriers[i] = addTask(space, "carrier-" + i + "@" + spaceId);
        }
        AsyncPort port = new AsyncPort(take(1), space, carriers);
        byId.set(port.id(), port);
        objects.add(port);
        ports.add(port);
        return port;
    }

    /** A new Untyped with a budget of {@code budget} bytes (boot API, or Retype). */
    public Untyped addUntyped(long budget) {
        Untyped u = new Untyped(take(1), budget);
        byId.set(u.id(), u);
        objects.add(u);
        untypeds.add(u);
        return u;
    }

    /** A new Space made by Retype, and the object its capabilities name. */
    public SpaceObject addSpaceObject(int slots, int replyPool) {
        int id = take(1);
        Space space = addSpace("space#" + id, slots, replyPool);
        SpaceObject o = new SpaceObject(id, space);
        byId.set(id, o);
        objects.add(o);
        return o;
    }

    /** The object Task capabilities to {@code t} name, made the first time it is asked for. */
    public TaskControl taskControl(Task t) {
        TaskControl c = t.control();
        if (c == null) {
            c = new TaskControl(take(1), t);
            t.control(c);
            byId.set(c.id(), c);
            objects.add(c);
        }
        return c;
    }

    private int take(int ids) {
        int first = nextId;
        nextId += ids;
        while (byId.size() < nextId) {
            byId.add(null);
        }
        return first;
    }

    /** The task with {@code id}, or null. */
    public @Nullable Task task(int id) {
        return id >= 0 && id < byId.size() && byId.get(id) instanceof Task t ? t : null;
    }

    /** The Space with {@code id}, or null. */
    public @Nullable Space space(int id) {
        return id >= 0 && id < byId.size() && byId.get(id) instanceof Space s ? s : null;
    }

    /** The endpoint or notification with {@code id}, or null. */
    public @Nullable KernelObject object(int id) {
        return id >= 0 && id < byId.size() && byId.get(id) instanceof KernelObject o ? o : null;
    }

    public List<Space> spaces() {
        return spaces;
    }

    public List<Task> tasks() {
        return tasks;
    }

    public List<KernelObject> objects() {
        return objects;
    }

    /** Retype: {@code object} was made from {@code u} at {@code charge} bytes. */
    public void made(KernelObject object, Untyped u, long charge) {
        u.charge(object, charge);
        madeFrom.put(object, u);
    }

    /** {@code object} was destroyed: if Retype made it, its charge goes back to its untyped. Allocates nothing. */
    public void destroyed(KernelObject object) {
        Untyped u = madeFrom.remove(object);
        if (u != null && !u.refund(object)) {
            throw new AssertionError(u + " does not list " + object + ", which it made");
        }
    }

    /** Every untyped, in creation order. */
    public List<Untyped> untypeds() {
        return untypeds;
    }

    /** Every async port, in creation order. */
    public List<AsyncPort> ports() {
        return ports;
    }

    public List<CSpace> cspaces() {
        return cspaces;
    }
}
