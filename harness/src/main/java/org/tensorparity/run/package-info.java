/**
 * Wires the stages of a parity run: load both models, bind inputs, run, match outputs, compare, and
 * assemble the {@link org.tensorparity.report.ParityReport}. The only package that knows all stages;
 * it holds no math, no runtime calls of its own and no output format.
 */
package org.tensorparity.run;
