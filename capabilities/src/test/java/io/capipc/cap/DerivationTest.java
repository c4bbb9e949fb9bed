package io.capipc.cap;

import io.capipc.api.ObjectType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Rights;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The derivation tree (docs/semantics.md §2) as {@link Derivation} builds and rewires it in place. */
class DerivationTest {
    /** A stand-in kernel object. */
    private static final class Obj extends KernelObject {
        private final ObjectType type;

        Obj(int id, ObjectType type) {
            super(id);
            this.type = type;
        }

        @Override
        public ObjectType type() {
            return type;
        }
    }

    /** Records what the tree told the kernel. */
    private static class Events implements CapabilityListener {
        final java.util.List<String> log = new java.util.ArrayList<>();

        @Override
        public void deleting(Slot slot) {
            log.add("deleting " + slot);
        }

        @Override
        public void moved(Slot from, Slot to) {
            log.add("moved " + from + " -> " + to);
        }

        @Override
        public void destroyed(KernelObject object) {
            log.add("destroyed " + object.id());
        }
    }

    private final Events events = new Events();

    private final Obj endpoint = new Obj(1, ObjectType.ENDPOINT);
    private final CSpace a = new CSpace(10, 8);
    private final CSpace b = new CSpace(11, 4);

    /** The children of {@code s}, checking that sibling links run both ways. */
    private static Set<Slot> children(Slot s) {
        Set<Slot> out = new HashSet<>();
        Slot prev = null;
        for (Slot c = s.firstChild(); c != null; c = c.nextSibling()) {
            assertSame(s, c.parent(), c + " names its parent");
            assertSame(prev, c.prevSibling, c + " prevSibling");
            assertTrue(out.add(c), c + " listed twice");
            prev = c;
        }
        return out;
    }

    private static void assertUnlinked(Slot s) {
        assertNull(s.parent());
        assertNull(s.firstChild());
        assertNull(s.nextSibling());
        assertNull(s.prevSibling);
    }

    /** The children of {@code s}, front first. */
    private static java.util.List<Slot> order(Slot s) {
        java.util.List<Slot> out = new java.util.ArrayList<>();
        for (Slot c = s.firstChild(); c != null; c = c.nextSibling()) {
            out.add(c);
        }
        return out;
    }

    /**
     * The order is observable (each deletion may post a system message), so it is defined: children
     * newest first; a Delete hands its children up in front, in their order; Revoke deletes the leaf
     * reached by following first children, again and again.
     */
    @Test
    void deleteThenRevoke_orderIsNewestFirstAndOrphansKeepTheirOrderInFront() {
        Slot p = a.slot(0);
        Derivation.installOriginal(p, endpoint, Rights.ALL, 0);
        Slot older = a.slot(1);
        Slot newer = a.slot(2);
        Derivation.derive(p, older, Rights.ALL, 0);
        Derivation.derive(p, newer, Rights.ALL, 0);
        assertEquals(java.util.List.of(newer, older), order(p));
        Slot firstBorn = b.slot(0);
        Slot secondBorn = b.slot(1);
        Derivation.derive(older, firstBorn, Rights.ALL, 0);
        Derivation.derive(older, secondBorn, Rights.ALL, 0);
        Derivation.delete(older, events);
        assertEquals(java.util.List.of(secondBorn, firstBorn, newer), order(p));
        children(p);
        events.log.clear();
        Derivation.revoke(p, events);
        assertEquals(java.util.List.of("deleting " + secondBorn, "deleting " + firstBorn, "deleting " + newer), events.log);
    }

    @Test
    void installOriginal_emptySlot_rootWithObjectRightsBadge() {
        Slot s = a.slot(0);
        Derivation.installOriginal(s, endpoint, Rights.ALL, 9);
        assertFalse(s.isEmpty());
        assertSame(endpoint, s.object());
        assertEquals(Rights.ALL, s.rights());
        assertEquals(9, s.badge());
        assertUnlinked(s);
    }

    /** A stand-in region: a part of another when its range lies inside that one's. */
    private static final class Part extends KernelObject {
        private final long from;
        private final long to;

        Part(int id, long from, long to) {
            super(id);
            this.from = from;
            this.to = to;
        }

        @Override
        public ObjectType type() {
            return ObjectType.REGION;
        }

        @Override
        public boolean isPartOf(KernelObject parent) {
            return parent == this || (parent instanceof Part p && from >= p.from && to <= p.to);
        }
    }

    @Test
    void installChild_aPartOfTheParentsObject_linkedAsItsChild() {
        Part whole = new Part(5, 0, 100);
        Part window = new Part(6, 10, 20);
        Derivation.installOriginal(a.slot(0), whole, Rights.ALL, 0);
        Derivation.installChild(a.slot(0), b.slot(1), window, Rights.READ, 0);
        assertSame(window, b.slot(1).object());
        assertSame(a.slot(0), b.slot(1).parent());
        assertEquals(Set.of(b.slot(1)), children(a.slot(0)));
        assertEquals(1, window.capabilityCount());
    }

    @Test
    void installChild_notAPartOfTheParentsObject_assertionErrorAndNothingPlaced() {
        Part whole = new Part(5, 0, 100);
        Derivation.installOriginal(a.slot(0), whole, Rights.ALL, 0);
        assertThrows(AssertionError.class, () -> Derivation.installChild(a.slot(0), a.slot(1), new Part(6, 90, 101), Rights.ALL, 0));
        assertThrows(AssertionError.class, () -> Derivation.installChild(a.slot(0), a.slot(1), endpoint, Rights.ALL, 0));
        assertTrue(a.slot(1).isEmpty());
        assertEquals(Set.of(), children(a.slot(0)));
    }

    @Test
    void installOriginal_occupiedSlot_assertionErrorAndSlotKept() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.READ, 1);
        assertThrows(AssertionError.class, () -> Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 2));
        assertEquals(Rights.READ, a.slot(0).rights());
        assertEquals(1, a.slot(0).badge());
    }

    @Test
    void derive_fromSource_childLinkedUnderSourceWithGivenRightsAndBadge() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), b.slot(2), Rights.WRITE, 5);
        Slot c = b.slot(2);
        assertSame(endpoint, c.object());
        assertEquals(Rights.WRITE, c.rights());
        assertEquals(5, c.badge());
        assertSame(a.slot(0), c.parent(), "the tree spans spaces");
        assertEquals(Set.of(c), children(a.slot(0)));
    }

    @Test
    void derive_severalChildren_allSiblingsLinkedBothWays() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        Derivation.derive(a.slot(0), a.slot(2), Rights.WRITE, 0);
        Derivation.derive(a.slot(0), b.slot(0), Rights.ALL, 0);
        assertEquals(Set.of(a.slot(1), a.slot(2), b.slot(0)), children(a.slot(0)));
    }

    @Test
    void derive_rightsBeyondSource_assertionErrorAndNothingChanged() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.READ, 0);
        assertThrows(AssertionError.class, () -> Derivation.derive(a.slot(0), a.slot(1), Rights.READ | Rights.WRITE, 0));
        assertTrue(a.slot(1).isEmpty());
        assertNull(a.slot(0).firstChild());
    }

    @Test
    void derive_emptySource_assertionError() {
        assertThrows(AssertionError.class, () -> Derivation.derive(a.slot(0), a.slot(1), Rights.NONE, 0));
        assertTrue(a.slot(1).isEmpty());
    }

    @Test
    void derive_occupiedDestination_assertionErrorAndDestinationKept() {
        Obj other = new Obj(2, ObjectType.NOTIFICATION);
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.installOriginal(a.slot(1), other, Rights.READ, 0);
        assertThrows(AssertionError.class, () -> Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0));
        assertSame(other, a.slot(1).object());
        assertNull(a.slot(0).firstChild());
        assertNull(a.slot(1).parent());
    }

    @Test
    void delete_leaf_emptiesAndUnlinksFromParent() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 3);
        Derivation.delete(a.slot(1), events);
        assertTrue(a.slot(1).isEmpty());
        assertEquals(0, a.slot(1).rights());
        assertEquals(0, a.slot(1).badge());
        assertUnlinked(a.slot(1));
        assertNull(a.slot(0).firstChild());
    }

    @Test
    void delete_middleNode_childrenReparentedToItsParent() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(5), Rights.READ, 0);
        Derivation.derive(a.slot(1), a.slot(2), Rights.READ, 0);
        Derivation.derive(a.slot(1), b.slot(3), Rights.WRITE, 0);
        Derivation.derive(a.slot(2), a.slot(3), Rights.READ, 0);

        Derivation.delete(a.slot(1), events);

        assertTrue(a.slot(1).isEmpty());
        assertUnlinked(a.slot(1));
        assertEquals(Set.of(a.slot(5), a.slot(2), b.slot(3)), children(a.slot(0)));
        assertEquals(Set.of(a.slot(3)), children(a.slot(2)), "grandchildren stay where they were");
    }

    @Test
    void delete_rootWithChildren_childrenBecomeUnlinkedRoots() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        Derivation.derive(a.slot(0), a.slot(2), Rights.WRITE, 0);
        Derivation.derive(a.slot(2), a.slot(3), Rights.WRITE, 0);
        Derivation.delete(a.slot(0), events);
        assertTrue(a.slot(0).isEmpty());
        assertUnlinked(a.slot(0));
        assertUnlinked(a.slot(1));
        assertNull(a.slot(2).parent());
        assertNull(a.slot(2).nextSibling());
        assertNull(a.slot(2).prevSibling);
        assertEquals(Set.of(a.slot(3)), children(a.slot(2)));
        assertFalse(a.slot(1).isEmpty());
    }

    @Test
    void delete_middleSibling_neighboursRelinked() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        for (int i = 1; i <= 4; i++) {
            Derivation.derive(a.slot(0), a.slot(i), Rights.READ, 0);
        }
        Slot middle = a.slot(0).firstChild().nextSibling();
        Derivation.delete(middle, events);
        Set<Slot> expected = new HashSet<>(Set.of(a.slot(1), a.slot(2), a.slot(3), a.slot(4)));
        expected.remove(middle);
        assertEquals(expected, children(a.slot(0)));
    }

    @Test
    void delete_firstChild_parentPointsToNext() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        Derivation.derive(a.slot(0), a.slot(2), Rights.READ, 0);
        Slot first = a.slot(0).firstChild();
        Slot second = first.nextSibling();
        Derivation.delete(first, events);
        assertSame(second, a.slot(0).firstChild());
        assertEquals(Set.of(second), children(a.slot(0)));
    }

    @Test
    void delete_emptySlot_noChange() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        Derivation.delete(a.slot(5), events);
        assertTrue(a.slot(5).isEmpty());
        assertEquals(Set.of(a.slot(1)), children(a.slot(0)));
    }

    @Test
    void delete_thenInstallAgain_slotReusable() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        Derivation.delete(a.slot(1), events);
        Derivation.derive(a.slot(0), a.slot(1), Rights.WRITE, 4);
        assertEquals(Rights.WRITE, a.slot(1).rights());
        assertEquals(4, a.slot(1).badge());
        assertEquals(Set.of(a.slot(1)), children(a.slot(0)));
    }

    @Test
    void revoke_deepTree_deletesEveryDescendantAndKeepsRoot() {
        Slot root = a.slot(0);
        Derivation.installOriginal(root, endpoint, Rights.ALL, 0);
        Derivation.derive(root, a.slot(1), Rights.ALL, 0);
        Derivation.derive(a.slot(1), b.slot(0), Rights.WRITE, 0);
        Derivation.derive(b.slot(0), b.slot(1), Rights.WRITE, 0);
        Derivation.derive(root, a.slot(2), Rights.READ, 0);
        Derivation.revoke(root, events);
        assertFalse(root.isEmpty());
        assertNull(root.firstChild());
        assertTrue(a.slot(1).isEmpty() && a.slot(2).isEmpty() && b.slot(0).isEmpty() && b.slot(1).isEmpty());
        assertEquals(1, endpoint.capabilityCount());
        assertFalse(endpoint.isDestroyed());
        assertEquals(4, events.log.stream().filter(l -> l.startsWith("deleting")).count());
    }

    @Test
    void revoke_emptySlotOrLeaf_changesNothing() {
        Derivation.revoke(a.slot(3), events);
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.revoke(a.slot(0), events);
        assertEquals(java.util.List.of(), events.log);
        assertEquals(1, endpoint.capabilityCount());
    }

    @Test
    void delete_lastCapability_destroysObjectOnce() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.READ, 0);
        assertEquals(2, endpoint.capabilityCount());
        Derivation.delete(a.slot(0), events);
        assertFalse(endpoint.isDestroyed());
        Derivation.delete(a.slot(1), events);
        assertTrue(endpoint.isDestroyed());
        assertEquals(0, endpoint.capabilityCount());
        assertEquals("destroyed 1", events.log.get(events.log.size() - 1));
        assertThrows(AssertionError.class, () -> Derivation.installOriginal(a.slot(2), endpoint, Rights.ALL, 0));
    }

    /** A listener whose cascade, on hearing of {@code trigger}'s deletion, runs {@code cascade} once. */
    private final class Cascading extends Events {
        private final Slot trigger;
        private final Runnable cascade;

        Cascading(Slot trigger, Runnable cascade) {
            this.trigger = trigger;
            this.cascade = cascade;
        }

        @Override
        public void deleting(Slot slot) {
            super.deleting(slot);
            if (slot == trigger) {
                cascade.run();
            }
        }
    }

    /** Root a0 with child a1, whose children are b0 (older) and b1 (newer). */
    private void threeLevels() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.ALL, 0);
        Derivation.derive(a.slot(1), b.slot(0), Rights.ALL, 0);
        Derivation.derive(a.slot(1), b.slot(1), Rights.ALL, 0);
    }

    @Test
    void delete_whoseCascadeDeletesTheSameSlot_emptiesItOnce() {
        threeLevels();
        Slot mid = a.slot(1);
        Cascading l = new Cascading(mid, () -> Derivation.delete(mid, DerivationTest.this.events));
        Derivation.delete(mid, l);
        assertTrue(mid.isEmpty());
        assertUnlinked(mid);
        assertEquals(Set.of(b.slot(0), b.slot(1)), children(a.slot(0)), "its children went up once");
        assertEquals(3, endpoint.capabilityCount());
        assertFalse(endpoint.isDestroyed());
    }

    @Test
    void delete_whoseCascadeRevokesAnAncestor_ends_andEveryDescendantGoesOnce() {
        threeLevels();
        Slot leaf = b.slot(0);
        Cascading l = new Cascading(leaf, () -> Derivation.revoke(a.slot(0), DerivationTest.this.events));
        Derivation.delete(leaf, l);
        for (Slot s : java.util.List.of(a.slot(1), b.slot(0), b.slot(1))) {
            assertTrue(s.isEmpty(), s + " empty");
            assertUnlinked(s);
        }
        assertEquals(Set.of(), children(a.slot(0)));
        assertEquals(1, endpoint.capabilityCount());
        assertEquals(java.util.List.of("deleting " + b.slot(1), "deleting " + a.slot(1)), events.log,
                "the revoke passed over the slot being deleted");
    }

    @Test
    void delete_whoseCascadeDeletesTheLastOtherCapability_destroysTheObjectOnce() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.ALL, 0);
        Derivation.derive(a.slot(0), a.slot(1), Rights.ALL, 0);
        Cascading l = new Cascading(a.slot(1), () -> Derivation.delete(a.slot(0), DerivationTest.this.events));
        Derivation.delete(a.slot(1), l);
        assertTrue(endpoint.isDestroyed());
        assertEquals(0, endpoint.capabilityCount());
        assertEquals(java.util.List.of("deleting " + a.slot(1), "destroyed 1"), l.log);
        assertEquals(java.util.List.of("deleting " + a.slot(0)), events.log);
    }

    @Test
    void move_middleOfTree_keepsParentChildrenAndSiblings() {
        Slot root = a.slot(0);
        Derivation.installOriginal(root, endpoint, Rights.ALL, 5);
        Derivation.derive(root, a.slot(1), Rights.ALL, 5);
        Derivation.derive(root, a.slot(2), Rights.READ, 5);
        Derivation.derive(a.slot(1), b.slot(0), Rights.WRITE, 5);
        Derivation.move(a.slot(1), b.slot(3), Rights.WRITE | Rights.READ, 5, events);
        assertTrue(a.slot(1).isEmpty());
        assertUnlinked(a.slot(1));
        assertSame(root, b.slot(3).parent());
        assertEquals(Set.of(b.slot(3), a.slot(2)), children(root));
        assertEquals(Set.of(b.slot(0)), children(b.slot(3)));
        assertEquals(Rights.READ | Rights.WRITE, b.slot(3).rights());
        assertEquals(4, endpoint.capabilityCount()); // root, a:2, the moved b:3 and its child b:0
        assertEquals(java.util.List.of("moved slot 10:1 -> slot 11:3"), events.log);
    }

    @Test
    void move_widerRights_isAKernelBug() {
        Derivation.installOriginal(a.slot(0), endpoint, Rights.READ, 0);
        assertThrows(AssertionError.class, () -> Derivation.move(a.slot(0), a.slot(1), Rights.ALL, 0, events));
    }
}
