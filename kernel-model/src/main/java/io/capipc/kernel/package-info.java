/**
 * The kernel's public face: {@link io.capipc.kernel.Kernel} to boot a system (spaces, objects, tasks,
 * capabilities), the handles that name what it made, the two runtimes ({@link
 * io.capipc.kernel.ThreadedRuntime}, {@link io.capipc.kernel.DeterministicDriver}) and the {@link
 * io.capipc.kernel.Tracer}. Nothing here reaches a kernel object.
 */
@NullMarked
package io.capipc.kernel;

import org.jspecify.annotations.NullMarked;
