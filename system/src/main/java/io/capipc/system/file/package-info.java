/**
 * The file server: a real directory served through a typed interface, small transfers by Read and
 * Write, large reads as windows of memory-mapped regions; see {@link io.capipc.system.file.FileServer}.
 */
@NullMarked
package io.capipc.system.file;

import org.jspecify.annotations.NullMarked;
