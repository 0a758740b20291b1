/**
 * Orchestrates a parity run: load both models, feed them, run them plain and instrumented, align and analyse the
 * layers, hand the figures to {@code judge} and assemble the {@link org.tensorparity.result.ParityReport}. The
 * only package that knows every stage; it holds no math, no verdict rule, no runtime call of its own and no output
 * format.
 */
package org.tensorparity.run;
