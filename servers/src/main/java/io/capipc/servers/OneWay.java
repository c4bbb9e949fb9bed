package io.capipc.servers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A one-way operation: the stub Sends and returns once a server took the message; nothing is
 * answered, so the method returns {@code void} and takes no {@link Lease} (a Send has no caller
 * buffers). The stub still throws {@link IpcException} if the Send fails (REVOKED, TIMEOUT...).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OneWay {}
