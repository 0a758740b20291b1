/**
 * The result of a parity run as plain, immutable records: what ran (provenance), how inputs were bound,
 * and every comparison with its verdict. Knows no runtime API and no output format; the writers in
 * {@code report} only read it.
 */
package org.tensorparity.result;
