package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operation number of a method of an {@link IpcInterface}: the label of its message. It must be
 * stable (clients and servers compiled apart agree on it, as Hubris's Idol and Fuchsia's FIDL
 * ordinals do), unique in the interface, and in 1..{@value Wire#MAX_OPERATION}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Op {
    int value();
}
