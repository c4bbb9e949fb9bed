package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.KernelView.MappingView;
import io.capipc.kernel.inspect.KernelView.RegionView;
import io.capipc.kernel.inspect.KernelView.SlotView;
import io.capipc.kernel.inspect.Outcome;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regions, windows and mappings (docs/semantics.md §12.1, guarantees 14 and 15) on the deterministic
 * driver: Map returns a view of exactly the capability's bytes, shared between Spaces, read-only
 * without WRITE; Carve makes windows as children; a mapping ends with its authority (Unmap, Delete,
 * Revoke, Move away, Mutate) and every view of it then refuses access; the bytes are freed exactly
 * once, after the last region and window over them.
 */
class RegionTest {
    /** In the owner's space: the region with every right, then spare slots. */
    static final int REGION = 0;
    static final int WINDOW = 1;
    static final int SPARE = 2;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle region = kernel.createRegion(4096);
    private final SpaceHandle ownerSpace = kernel.createSpace("owner", 8);
    private final SpaceHandle peerSpace = kernel.createSpace("peer", 8);
    private final TaskHandle owner;
    private final TaskHandle peer;

    RegionTest() {
        kernel.install(ownerSpace, REGION, region, Rights.ALL, 0);
        owner = started(kernel.createTask(ownerSpace, "owner"));
        peer = started(kernel.createTask(peerSpace, "peer"));
    }

    private TaskHandle started(TaskHandle t) {
        d.start(t);
        return t;
    }

    @AfterEach
    void invariantsHold() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    private MemorySegment map(TaskHandle t, int cap) {
        assertEquals(Outcome.OK, d.map(t, cap));
        return d.ipc(t).mapping();
    }

    private static void assertEnded(MemorySegment view) {
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0), "read through an ended view");
        assertThrows(IllegalStateException.class, () -> view.set(ValueLayout.JAVA_BYTE, 0, (byte) 1),
                "write through an ended view");
    }

    private RegionView regionView(int id) {
        for (RegionView r : kernel.inspect().regions()) {
            if (r.id() == id) {
                return r;
            }
        }
        throw new AssertionError("no region " + id);
    }

    private SlotView slot(SpaceHandle s, int index) {
        for (KernelView.SpaceView sv : kernel.inspect().spaces()) {
            for (SlotView v : sv.id() == s.id() ? sv.slots() : List.<SlotView>of()) {
                if (v.index() == index) {
                    return v;
                }
            }
        }
        throw new AssertionError("slot " + index + " of " + s + " is empty");
    }

    // ---- Map and Unmap

    @Test
    void map_viewOfExactlyTheRegionsBytes_zeroedAndWritable() {
        MemorySegment view = map(owner, REGION);
        assertEquals(4096, view.byteSize());
        assertFalse(view.isReadOnly());
        assertEquals(0, view.get(ValueLayout.JAVA_LONG, 4088));
        view.set(ValueLayout.JAVA_LONG, 0, 42);
        assertEquals(42, view.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(List.of(new MappingView(ownerSpace.id(), REGION, region.id(), true)), kernel.inspect().mappings());
    }

    @Test
    void deleteByTheSystemBuilder_endsTheMappingAndItsView() {
        MemorySegment view = map(owner, REGION);
        d.delete(ownerSpace, REGION);
        assertEnded(view);
        assertEquals(List.of(), kernel.inspect().mappings());
        assertTrue(regionView(region.id()).destroyed());
    }

    @Test
    void mapTwice_returnsTheSameMapping() {
        MemorySegment first = map(owner, REGION);
        MemorySegment second = map(owner, REGION);
        assertSame(first, second);
        assertEquals(1, kernel.inspect().mappings().size());
    }

    @Test
    void mapWithoutWrite_readOnlyView_refusesWrites() {
        assertEquals(Outcome.OK, d.copy(owner, REGION, SPARE, Rights.READ));
        MemorySegment writable = map(owner, REGION);
        writable.set(ValueLayout.JAVA_INT, 8, 7);
        MemorySegment view = map(owner, SPARE);
        assertTrue(view.isReadOnly());
        assertEquals(7, view.get(ValueLayout.JAVA_INT, 8));
        assertThrows(IllegalArgumentException.class, () -> view.set(ValueLayout.JAVA_INT, 8, 9));
        assertThrows(UnsupportedOperationException.class, () -> view.asReadOnly().asByteBuffer().putInt(0, 1));
        assertEquals(7, writable.get(ValueLayout.JAVA_INT, 8));
    }

    @Test
    void mapWithoutRead_refusedNeedsRead() {
        assertEquals(Outcome.OK, d.copy(owner, REGION, SPARE, Rights.WRITE));
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.map(owner, SPARE));
        assertEquals(Reason.NEEDS_READ, d.ipc(owner).reason());
        assertEquals(List.of(), kernel.inspect().mappings());
    }

    @Test
    void twoSpaces_mapTheSameBytes_seeEachOthersWrites() {
        kernel.install(peerSpace, REGION, region, Rights.READ, 0);
        MemorySegment mine = map(owner, REGION);
        MemorySegment theirs = map(peer, REGION);
        mine.set(ValueLayout.JAVA_LONG, 128, 0x1234_5678L);
        assertEquals(0x1234_5678L, theirs.get(ValueLayout.JAVA_LONG, 128));
    }

    @Test
    void unmap_endsEveryViewOfTheMapping_andTheNextMapIsFresh() {
        MemorySegment view = map(owner, REGION);
        view.set(ValueLayout.JAVA_BYTE, 5, (byte) 5);
        assertEquals(Outcome.OK, d.unmap(owner, REGION));
        assertEnded(view);
        assertEquals(List.of(), kernel.inspect().mappings());
        MemorySegment again = map(owner, REGION);
        assertEquals(5, again.get(ValueLayout.JAVA_BYTE, 5), "the bytes outlive the mapping");
    }

    @Test
    void unmapNotMapped_ok() {
        assertEquals(Outcome.OK, d.unmap(owner, REGION));
    }

    @Test
    void unmapAnEndpoint_refusedNotARegion() {
        kernel.install(ownerSpace, SPARE, kernel.createEndpoint(), Rights.ALL, 0);
        assertEquals(Outcome.INVALID_CAPABILITY, d.unmap(owner, SPARE));
        assertEquals(Reason.NOT_A_REGION, d.ipc(owner).reason());
        assertEquals(Outcome.INVALID_CAPABILITY, d.map(owner, SPARE));
        assertEquals(Reason.NOT_A_REGION, d.ipc(owner).reason());
    }

    // ---- A mapping dies with its authority (guarantee 14)

    @Test
    void delete_endsTheMapping() {
        assertEquals(Outcome.OK, d.copy(owner, REGION, SPARE, Rights.READ | Rights.WRITE));
        MemorySegment view = map(owner, SPARE);
        assertEquals(Outcome.OK, d.delete(owner, SPARE));
        assertEnded(view);
        assertEquals(List.of(), kernel.inspect().mappings());
    }

    @Test
    void revoke_endsTheMappingsOfEveryDescendant_butNotTheRevokersOwn() {
        assertEquals(Outcome.OK, d.copy(owner, REGION, SPARE, Rights.ALL));
        assertEquals(Outcome.OK, d.carve(owner, SPARE, 1024, 1024, Rights.ALL, WINDOW));
        MemorySegment own = map(owner, REGION);
        MemorySegment child = map(owner, SPARE);
        MemorySegment grandchild = map(owner, WINDOW);
        assertEquals(Outcome.OK, d.revoke(owner, REGION));
        assertEnded(child);
        assertEnded(grandchild);
        own.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        assertEquals(List.of(new MappingView(ownerSpace.id(), REGION, region.id(), true)), kernel.inspect().mappings());
    }

    @Test
    void moveAway_endsTheMappingInTheOldSlot() {
        MemorySegment view = map(owner, REGION);
        assertEquals(Outcome.OK, d.move(owner, REGION, SPARE));
        assertEnded(view);
        assertEquals(List.of(), kernel.inspect().mappings());
        assertEquals(4096, map(owner, SPARE).byteSize());
    }

    @Test
    void mutate_endsTheMapping_andAWritableOneCannotSurviveLosingWrite() {
        MemorySegment view = map(owner, REGION);
        assertEquals(Outcome.OK, d.mutate(owner, REGION, SPARE, Rights.READ, 0));
        assertEnded(view);
        assertTrue(map(owner, SPARE).isReadOnly());
    }

    // ---- Carve

    @Test
    void carve_windowOfExactlyItsBytes_asAChild_withRightsMasked() {
        MemorySegment whole = map(owner, REGION);
        whole.set(ValueLayout.JAVA_LONG, 1024, 77);
        assertEquals(Outcome.OK, d.carve(owner, REGION, 1024, 512, Rights.READ | Rights.GRANT, WINDOW));
        SlotView w = slot(ownerSpace, WINDOW);
        assertEquals(ObjectType.REGION, w.type());
        assertEquals(Rights.READ | Rights.GRANT, w.rights());
        assertEquals(ownerSpace.id(), w.parentSpace());
        assertEquals(REGION, w.parentSlot());
        RegionView rv = regionView(w.objectId());
        assertEquals(new RegionView(w.objectId(), region.id(), 1024, 512, false, 0), rv);
        MemorySegment window = map(owner, WINDOW);
        assertEquals(512, window.byteSize());
        assertTrue(window.isReadOnly());
        assertEquals(77, window.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void carveOfAWindow_offsetsAdd_andMustFitTheWindow() {
        assertEquals(Outcome.OK, d.carve(owner, REGION, 1000, 100, Rights.ALL, WINDOW));
        assertEquals(Outcome.RANGE, d.carve(owner, WINDOW, 50, 51, Rights.ALL, SPARE));
        assertEquals(Reason.WINDOW_OUTSIDE, d.ipc(owner).reason());
        assertEquals(Outcome.OK, d.carve(owner, WINDOW, 50, 50, Rights.ALL, SPARE));
        assertEquals(1050, regionView(slot(ownerSpace, SPARE).objectId()).offset());
        map(owner, REGION).set(ValueLayout.JAVA_BYTE, 1099, (byte) 9);
        assertEquals(9, map(owner, SPARE).get(ValueLayout.JAVA_BYTE, 49));
    }

    @Test
    void carve_refusals_inOrder_leaveNothing() {
        KernelView before = kernel.inspect();
        assertEquals(Outcome.RANGE, d.carve(owner, REGION, -1, 1, Rights.ALL, WINDOW));
        assertEquals(Reason.OFFSET_NEGATIVE, d.ipc(owner).reason());
        assertEquals(Outcome.RANGE, d.carve(owner, REGION, 0, -1, Rights.ALL, WINDOW));
        assertEquals(Reason.WINDOW_OUTSIDE, d.ipc(owner).reason());
        assertEquals(Outcome.RANGE, d.carve(owner, REGION, 4097, 0, Rights.ALL, WINDOW));
        assertEquals(Reason.WINDOW_OUTSIDE, d.ipc(owner).reason());
        assertEquals(Outcome.RANGE, d.carve(owner, REGION, Long.MAX_VALUE, Long.MAX_VALUE, Rights.ALL, WINDOW));
        assertEquals(Reason.WINDOW_OUTSIDE, d.ipc(owner).reason(), "no overflow makes a huge window fit");
        assertEquals(Outcome.INVALID_ARGUMENT, d.carve(owner, REGION, 0, 1, 1 << 9, WINDOW));
        assertEquals(Reason.RIGHTS_UNKNOWN_BITS, d.ipc(owner).reason());
        assertEquals(Outcome.INVALID_ARGUMENT, d.carve(owner, REGION, 0, 1, Rights.ALL, 8));
        assertEquals(Reason.DESTINATION_OUT_OF_RANGE, d.ipc(owner).reason());
        assertEquals(Outcome.INVALID_CAPABILITY, d.carve(owner, SPARE, 0, 1, Rights.ALL, WINDOW));
        assertEquals(Reason.EMPTY_SLOT, d.ipc(owner).reason());
        assertEquals(Outcome.OK, d.copy(owner, REGION, SPARE, Rights.READ | Rights.WRITE));
        KernelView withCopy = kernel.inspect();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.carve(owner, SPARE, 0, 1, Rights.ALL, WINDOW));
        assertEquals(Reason.NEEDS_GRANT, d.ipc(owner).reason());
        assertEquals(Outcome.SLOT_OCCUPIED, d.carve(owner, REGION, 0, 1, Rights.ALL, SPARE));
        assertEquals(Reason.DESTINATION_OCCUPIED, d.ipc(owner).reason());
        assertEquals(withCopy, kernel.inspect());
        assertEquals(before.regions(), kernel.inspect().regions());
    }

    @Test
    void carveEmptyWindowAtTheEnd_allowed() {
        assertEquals(Outcome.OK, d.carve(owner, REGION, 4096, 0, Rights.ALL, WINDOW));
        assertEquals(0, map(owner, WINDOW).byteSize());
    }

    // ---- The bytes are freed exactly once, after the last region and window over them (guarantee 15)

    @Test
    void bytesOutliveTheRegion_whileAWindowLives_thenFreedOnceWithIt() {
        assertEquals(Outcome.OK, d.carve(owner, REGION, 0, 16, Rights.ALL, WINDOW));
        int windowId = slot(ownerSpace, WINDOW).objectId();
        MemorySegment view = map(owner, WINDOW);
        view.set(ValueLayout.JAVA_LONG, 8, 99);
        assertEquals(Outcome.OK, d.delete(owner, REGION));
        assertTrue(regionView(region.id()).destroyed());
        assertEquals(0, regionView(region.id()).frees(), "the window still covers some of the bytes");
        assertEquals(99, view.get(ValueLayout.JAVA_LONG, 8), "the window's mapping is its own authority");
        SlotView orphan = slot(ownerSpace, WINDOW);
        assertEquals(-1, orphan.parentSlot(), "a window whose parent went is a root");
        assertEquals(Outcome.OK, d.delete(owner, WINDOW));
        assertTrue(regionView(windowId).destroyed());
        assertEquals(1, regionView(windowId).frees());
        assertEquals(1, regionView(region.id()).frees(), "the same bytes, freed once");
        assertEnded(view);
    }

    @Test
    void windowGoesFirst_bytesFreedWithTheRegion() {
        assertEquals(Outcome.OK, d.carve(owner, REGION, 8, 8, Rights.ALL, WINDOW));
        int windowId = slot(ownerSpace, WINDOW).objectId();
        assertEquals(Outcome.OK, d.delete(owner, WINDOW));
        assertTrue(regionView(windowId).destroyed());
        assertEquals(0, regionView(windowId).frees(), "the region still covers the bytes");
        assertEquals(Outcome.OK, d.delete(owner, REGION));
        assertEquals(1, regionView(region.id()).frees());
    }

    // ---- Made at run time (docs/semantics.md §13)

    @Test
    void retypeARegion_chargedItsBytes_andRevokeOfTheUntyped_endsItsMappingsFreesItAndRestoresTheBudget() {
        kernel.install(ownerSpace, SPARE, kernel.createUntyped(10_000), Rights.ALL, 0);
        assertEquals(Outcome.OK, d.retype(owner, SPARE, ObjectType.REGION, 4096, WINDOW));
        KernelView.UntypedView u = kernel.inspect().untypeds().getFirst();
        assertEquals(io.capipc.api.ObjectSizes.REGION + 4096, u.used());
        int made = slot(ownerSpace, WINDOW).objectId();
        assertEquals(Outcome.OK, d.carve(owner, WINDOW, 0, 16, Rights.ALL, SPARE + 2));
        MemorySegment whole = map(owner, WINDOW);
        MemorySegment window = map(owner, SPARE + 2);
        whole.set(ValueLayout.JAVA_BYTE, 3, (byte) 3);
        assertEquals(3, window.get(ValueLayout.JAVA_BYTE, 3));
        assertEquals(Outcome.NO_SPACE, d.retype(owner, SPARE, ObjectType.REGION, 10_000, SPARE + 3), "over budget");
        assertEquals(Outcome.OK, d.revoke(owner, SPARE));
        assertEnded(whole);
        assertEnded(window);
        assertEquals(1, regionView(made).frees());
        assertEquals(0, kernel.inspect().untypeds().getFirst().used());
    }

    // ---- Over a file

    @Test
    void regionOverAFile_readsAndWritesItInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ObjectHandle fileRegion = kernel.createRegion(file);
        kernel.install(ownerSpace, SPARE, fileRegion, Rights.ALL, 0);
        MemorySegment view = map(owner, SPARE);
        assertEquals(8, view.byteSize());
        assertEquals(3, view.get(ValueLayout.JAVA_BYTE, 2));
        view.set(ValueLayout.JAVA_BYTE, 7, (byte) 80);
        assertEquals(Outcome.OK, d.delete(owner, SPARE));
        assertEquals(80, Files.readAllBytes(file)[7]);
        assertTrue(Files.exists(file), "the file stays");
    }

    @Test
    void createRegion_negativeSize_refusedByTheBootApi() {
        assertThrows(IllegalArgumentException.class, () -> kernel.createRegion(-1));
    }

    @Test
    void emptyRegion_mapsToAnEmptyView() {
        kernel.install(ownerSpace, SPARE, kernel.createRegion(0), Rights.ALL, 0);
        assertEquals(0, map(owner, SPARE).byteSize());
    }
}
