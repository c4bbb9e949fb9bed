/**
 * Capability spaces and the derivation tree: slots, rights, badges, Copy/Mint/Move/Mutate/Delete/Revoke
 * bookkeeping. Exported to the kernel only.
 */
@NullMarked
package io.capipc.cap;

import org.jspecify.annotations.NullMarked;
