/**
 * Bugs the property suite injects to prove its checks can fail; folded away unless the JVM runs with
 * {@code -Dcapipc.injectedBugs=true}. Exported to the property suite only.
 *
 * <p>Not yet {@code @NullMarked}: null still means "none" in many fields here (an empty queue, no
 * holder, a Status not yet known while blocked); the annotations already in place mark them.
 */
package io.capipc.kernel.bugs;
