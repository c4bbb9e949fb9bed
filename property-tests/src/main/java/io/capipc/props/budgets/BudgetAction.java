package io.capipc.props.budgets;

import io.capipc.api.ObjectType;

/**
 * One step of a budget run (docs/semantics.md §13). Every syscall but {@link Block} is made by the
 * owner task, in the one Space all tasks share; {@link Block} is made by a waiter.
 */
public sealed interface BudgetAction {
    record Retype(int slot, ObjectType type, long param, int dst) implements BudgetAction {}

    record Copy(int src, int dst, int rights) implements BudgetAction {}

    record Mint(int src, int dst, int rights, long badge) implements BudgetAction {}

    record Delete(int slot) implements BudgetAction {}

    record Revoke(int slot) implements BudgetAction {}

    /**
     * Waiter {@code waiter} waits on what {@code slot} names: Recv on an endpoint, Wait on a
     * notification. Skipped, on both sides, unless the model has the waiter running and the slot
     * naming one of those.
     */
    record Block(int waiter, int slot) implements BudgetAction {}

    record Kill(int slot) implements BudgetAction {}

    record Restart(int slot) implements BudgetAction {}

    record TaskInfo(int slot) implements BudgetAction {}

    /** A line of a shrunk trace. */
    static String show(BudgetAction a) {
        return a.toString();
    }
}
