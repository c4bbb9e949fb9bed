package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Reason;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Untyped budgets and Retype (docs/semantics.md §13, guarantee 16), on the deterministic driver. */
class UntypedTest {
    private static final int UT = 0;
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;
    private static final int D = 4;
    private static final int SLOTS = 8;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver d = new DeterministicDriver(kernel);
    private final ObjectHandle untyped = kernel.createUntyped(2 * ObjectSizes.ENDPOINT + ObjectSizes.NOTIFICATION);
    private final SpaceHandle space = kernel.createSpace("maker", SLOTS);
    private final TaskHandle maker;

    UntypedTest() {
        kernel.install(space, UT, untyped, Rights.ALL, 0);
        maker = kernel.createTask(space, "maker");
        d.start(maker);
    }

    private KernelView.UntypedView budget() {
        return kernel.inspect().untyped(untyped.id());
    }

    private void consistent() {
        assertEquals(List.of(), kernel.invariantViolations());
    }

    @Test
    void retype_endpoint_chargedItsSizeAndUsableWithAllRights() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        KernelView.SlotView made = kernel.inspect().space(space.id()).slots().get(1);
        assertEquals(ObjectType.ENDPOINT, made.type());
        assertEquals(Rights.ALL, made.rights());
        assertEquals(UT, made.parentSlot(), "a child of the untyped's capability");
        assertEquals(ObjectSizes.ENDPOINT, budget().used());
        assertEquals(List.of(new KernelView.MadeView(made.objectId(), ObjectType.ENDPOINT, ObjectSizes.ENDPOINT)), budget().made());
        // It works: a message goes through it.
        assertEquals(Outcome.WOULD_BLOCK, d.nbSend(maker, A, MessageInfo.of(1, 0)));
        assertEquals(Outcome.INVALID_CAPABILITY, d.signal(maker, A), "an endpoint, not a notification");
        consistent();
    }

    @Test
    void retype_overBudget_noSpaceAndNothingMade() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, B));
        KernelView before = kernel.inspect();
        assertEquals(Outcome.NO_SPACE, d.retype(maker, UT, ObjectType.ENDPOINT, 0, C));
        assertEquals(Reason.BUDGET_EXHAUSTED, d.ipc(maker).reason());
        assertEquals(before, kernel.inspect(), "nothing made, nothing charged");
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, C), "what fits still fits");
        assertEquals(budget().budget(), budget().used(), "exactly the whole budget");
        consistent();
    }

    @Test
    void retype_withoutWrite_insufficientRightsNothingMade() {
        kernel.install(space, D, untyped, Rights.READ | Rights.GRANT, 0);
        KernelView before = kernel.inspect();
        assertEquals(Outcome.INSUFFICIENT_RIGHTS, d.retype(maker, D, ObjectType.NOTIFICATION, 0, A));
        assertEquals(Reason.NEEDS_WRITE, d.ipc(maker).reason());
        assertEquals(before, kernel.inspect());
    }

    @Test
    void retype_occupiedDestination_slotOccupied() {
        assertEquals(Outcome.SLOT_OCCUPIED, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, UT));
        assertEquals(0, budget().used());
    }

    @Test
    void revoke_untyped_destroysEverythingMadeAndRestoresTheWholeBudget() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, B));
        assertEquals(Outcome.OK, d.copy(maker, A, C, Rights.WRITE));
        int ep = kernel.inspect().space(space.id()).slots().get(1).objectId();
        assertEquals(Outcome.OK, d.revoke(maker, UT));
        assertEquals(0, budget().used());
        assertEquals(List.of(), budget().made());
        assertTrue(kernel.inspect().endpoint(ep).destroyed());
        assertEquals(1, kernel.inspect().space(space.id()).slots().size(), "only the untyped's own capability is left");
        consistent();
    }

    @Test
    void revoke_untyped_withBlockedTasks_allReleased() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, B));
        TaskHandle receiver = kernel.createTask(space, "receiver");
        TaskHandle waiter = kernel.createTask(space, "waiter");
        d.start(receiver);
        d.start(waiter);
        assertEquals(Outcome.BLOCKED, d.recv(receiver, A));
        assertEquals(Outcome.BLOCKED, d.waitNotification(waiter, B));
        // The maker revokes its own untyped capability: what it made goes.
        assertEquals(Outcome.OK, d.revoke(maker, UT));
        assertEquals(Status.REVOKED, d.ipc(receiver).status());
        assertEquals(Status.REVOKED, d.ipc(waiter).status());
        assertEquals(TaskState.RUNNING, d.state(receiver));
        assertEquals(0, budget().used());
        consistent();
    }

    @Test
    void revoke_untyped_callerWhoseCallWasTaken_peerDiedWhenTheServerDies() {
        // A server in another space holds a call made through the made endpoint; revoking destroys
        // the endpoint, which does not end a taken Call (stronger-than-seL4 rule applies to queued sends only).
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        TaskHandle server = kernel.createTask(space, "server");
        TaskHandle caller = kernel.createTask(space, "caller");
        d.start(server);
        d.start(caller);
        assertEquals(Outcome.BLOCKED, d.call(caller, A, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.recv(server, A));
        assertEquals(Outcome.OK, d.revoke(maker, UT));
        assertEquals(TaskState.BLOCKED_ON_REPLY, d.state(caller), "a taken Call is not affected by losing the capability");
        assertEquals(Outcome.OK, d.exit(server));
        assertEquals(Status.PEER_DIED, d.ipc(caller).status());
        consistent();
    }

    @Test
    void revoke_untyped_queuedCaller_revoked() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.ENDPOINT, 0, A));
        TaskHandle caller = kernel.createTask(space, "caller");
        d.start(caller);
        assertEquals(Outcome.BLOCKED, d.call(caller, A, MessageInfo.of(1, 0)));
        assertEquals(Outcome.OK, d.revoke(maker, UT));
        assertEquals(Status.REVOKED, d.ipc(caller).status());
        consistent();
    }

    @Test
    void retype_untypedChild_chargesItsBudgetAndRevokingTheParentDestroysGrandchildren() {
        long child = ObjectSizes.ENDPOINT + ObjectSizes.NOTIFICATION;
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.UNTYPED, child, A));
        assertEquals(child, budget().used());
        assertEquals(Outcome.OK, d.retype(maker, A, ObjectType.ENDPOINT, 0, B));
        assertEquals(Outcome.OK, d.retype(maker, A, ObjectType.NOTIFICATION, 0, C));
        assertEquals(Outcome.NO_SPACE, d.retype(maker, A, ObjectType.NOTIFICATION, 0, D), "the child's own budget is spent");
        int childId = kernel.inspect().space(space.id()).slots().get(1).objectId();
        assertEquals(child, kernel.inspect().untyped(childId).used());
        consistent();
        assertEquals(Outcome.OK, d.revoke(maker, UT));
        assertEquals(0, budget().used());
        assertTrue(kernel.inspect().untyped(childId).destroyed());
        assertEquals(List.of(), kernel.inspect().untyped(childId).made());
        consistent();
    }

    @Test
    void delete_untypedChild_destroysWhatWasMadeFromItAndRefunds() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.UNTYPED, ObjectSizes.ENDPOINT, A));
        assertEquals(Outcome.OK, d.retype(maker, A, ObjectType.ENDPOINT, 0, B));
        int ep = kernel.inspect().space(space.id()).slots().get(2).objectId();
        assertEquals(Outcome.OK, d.delete(maker, A));
        assertTrue(kernel.inspect().endpoint(ep).destroyed(), "nothing outlives its untyped");
        assertEquals(0, budget().used());
        consistent();
    }

    @Test
    void delete_madeObject_refundsItsCharge() {
        assertEquals(Outcome.OK, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, A));
        assertEquals(Outcome.OK, d.delete(maker, A));
        assertEquals(0, budget().used());
        consistent();
    }

    @Test
    void retype_space_chargedPerSlotAndPoolEntry_destroyedSpaceDeletesItsSlots() {
        ObjectHandle big = kernel.createUntyped(1 << 20);
        kernel.install(space, D, big, Rights.ALL, 0);
        long param = ObjectSizes.space(16, 2);
        assertEquals(Outcome.OK, d.retype(maker, D, ObjectType.SPACE, param, A));
        long charge = ObjectSizes.SPACE + 16 * ObjectSizes.SPACE_SLOT + 2 * ObjectSizes.SPACE_POOL_ENTRY;
        assertEquals(charge, kernel.inspect().untyped(big.id()).used());
        KernelView.SlotView spaceCap = kernel.inspect().space(space.id()).slots().stream()
                .filter(s -> s.type() == ObjectType.SPACE).findFirst().orElseThrow();
        consistent();
        assertEquals(Outcome.OK, d.revoke(maker, D));
        assertEquals(0, kernel.inspect().untyped(big.id()).used());
        assertTrue(spaceCap.objectId() > 0);
        consistent();
    }

    @Test
    void retype_badParameters_refusedWithTheirReasons() {
        assertEquals(Outcome.INVALID_ARGUMENT, d.retype(maker, UT, null, 0, A));
        assertEquals(Reason.TYPE_NOT_RETYPABLE, d.ipc(maker).reason());
        assertEquals(Outcome.INVALID_ARGUMENT, d.retype(maker, UT, ObjectType.ASYNC_PORT, 0, A));
        assertEquals(Outcome.INVALID_ARGUMENT, d.retype(maker, UT, ObjectType.UNTYPED, 0, A));
        assertEquals(Reason.PARAM_OUT_OF_RANGE, d.ipc(maker).reason());
        assertEquals(Outcome.INVALID_ARGUMENT, d.retype(maker, UT, ObjectType.SPACE, ObjectSizes.space(0, 0), A));
        assertEquals(Outcome.INVALID_ARGUMENT, d.retype(maker, UT, ObjectType.NOTIFICATION, 0, SLOTS));
        assertEquals(Reason.DESTINATION_OUT_OF_RANGE, d.ipc(maker).reason());
        assertEquals(Outcome.INVALID_CAPABILITY, d.retype(maker, B, ObjectType.NOTIFICATION, 0, A));
        assertEquals(Reason.EMPTY_SLOT, d.ipc(maker).reason());
        assertEquals(0, budget().used());
    }

    @Test
    void retype_untypedCapabilityTransferredAndUsedElsewhere_chargedToTheSameBudget() {
        assertEquals(Outcome.OK, d.copy(maker, UT, A, Rights.WRITE));
        assertEquals(Outcome.OK, d.retype(maker, A, ObjectType.NOTIFICATION, 0, B));
        assertEquals(ObjectSizes.NOTIFICATION, budget().used());
        assertEquals(Outcome.OK, d.delete(maker, A), "deleting the copy revokes what was made through it");
        assertEquals(0, budget().used());
        assertFalse(budget().destroyed());
        consistent();
    }
}
