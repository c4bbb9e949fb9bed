/**
 * The isolation tests' own package. It holds no code: a module needs a package, and the tests, patched
 * into this module, live here, so they are a user's code with a user's view of the kernel.
 */
package io.capipc.isolation;
