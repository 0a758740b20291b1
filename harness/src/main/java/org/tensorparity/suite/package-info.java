/**
 * Suite files: several model pairs verified in one run, each with its inputs, shapes, tolerances and
 * task checks, and stages that feed one pair's outputs into another's inputs (the DaSiamRPN template's
 * kernels into its detection branch). {@link org.tensorparity.suite.SuiteFile} reads and checks a YAML or
 * JSON file into {@link org.tensorparity.suite.PairSpec}s and {@link org.tensorparity.suite.Stage}s, orders
 * them for running and selects deterministic shards for CI.
 *
 * <p>Plain configuration: runs nothing, loads no model, compares nothing. Values use the command line's
 * syntax through the owning packages' parsers ({@code Shape}, {@code InputDistribution},
 * {@code Tolerances}, {@code ToleranceOverride}, {@code TaskCheck}, {@code ImagePreprocessing}); Jackson
 * stays inside this package.
 */
package org.tensorparity.suite;
