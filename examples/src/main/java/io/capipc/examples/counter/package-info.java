/** A counter: clients change it, and watchers are signalled through a notification they sent it. */
@NullMarked
package io.capipc.examples.counter;

import org.jspecify.annotations.NullMarked;
