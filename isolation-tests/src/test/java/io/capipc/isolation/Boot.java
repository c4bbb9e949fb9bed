package io.capipc.isolation;

import io.capipc.api.Rights;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;

/**
 * The system every isolation test boots, as a user's boot code would: one endpoint; a server Space
 * that may receive on it; a client Space and an attacker Space that may call it, each with its own
 * badge, so the server can tell them apart. The attacker is an ordinary client: whatever it gets
 * beyond that, it must get around the kernel.
 */
final class Boot {
    /** The endpoint's slot in every Space. */
    static final int EP = 0;
    static final long CLIENT_BADGE = 42;
    static final long ATTACKER_BADGE = 7;
    /** What a client sends in MR0; the server answers it plus the caller's badge. */
    static final long QUESTION = 1000;

    final Kernel kernel = new Kernel();
    final ObjectHandle endpoint = kernel.createEndpoint();
    final SpaceHandle serverSpace = space("server", Rights.READ, 0);
    final SpaceHandle clientSpace = space("client", Rights.WRITE, CLIENT_BADGE);
    final SpaceHandle attackerSpace = space("attacker", Rights.WRITE, ATTACKER_BADGE);
    final TaskHandle server = kernel.createTask(serverSpace, "server");

    private SpaceHandle space(String name, int rights, long badge) {
        SpaceHandle s = kernel.createSpace(name, 4);
        kernel.install(s, EP, endpoint, rights, badge);
        return s;
    }
}
