/**
 * Comparing two runs of the same model pair, tensor by tensor: which errors grew, which shrank, and
 * whether any grew beyond a margin (the baseline ratchet for CI after a converter or runtime upgrade).
 * Reads finished {@link org.tensorparity.result.ParityReport}s only; runs nothing and writes nothing.
 */
package org.tensorparity.diff;
