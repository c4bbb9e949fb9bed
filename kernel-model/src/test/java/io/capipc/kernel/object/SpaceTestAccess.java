package io.capipc.kernel.object;

/** What tests of other packages may do to a Space that no syscall can. */
public final class SpaceTestAccess {
    private SpaceTestAccess() {}

    /** Uses up {@code space}'s handle generations, as 2^52 Suspends would: the next Suspend has none left. */
    public static void useAllGenerations(Space space) {
        space.lastGeneration(space.maxGeneration());
    }
}
