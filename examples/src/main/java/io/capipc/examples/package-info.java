/** Three servers written with capipc's server library, and a main that runs them. */
@NullMarked
package io.capipc.examples;

import org.jspecify.annotations.NullMarked;
