/**
 * The property suite: a seeded, shrinking, replayable stateful harness, a reference model and one
 * property per guarantee of docs/semantics.md §8 (the properties are the tests of this module).
 */
package io.capipc.props;
