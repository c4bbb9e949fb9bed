/**
 * The property suite (issue 4): a seeded, shrinking, replayable stateful harness, a reference model
 * and one property per SPEC guarantee. Only the module exists so far.
 */
package io.capipc.props;
