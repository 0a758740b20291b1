/**
 * Judging a run from its comparisons: each output under its rule over all samples ({@link
 * org.tensorparity.judge.OutputJudge}), the run's verdict from outputs and layers ({@link
 * org.tensorparity.judge.RunVerdict}, under a {@link org.tensorparity.judge.LayerPolicy}), where the models first part
 * ({@link org.tensorparity.judge.DivergenceLocator}), which layer adds the error ({@link
 * org.tensorparity.judge.ErrorAttribution}), whether the inputs were out of the model's domain ({@link
 * org.tensorparity.judge.DomainCheck}) and the one sentence that says it all ({@link
 * org.tensorparity.judge.ReportStory}).
 *
 * <p>Reads comparisons ({@code compare}) and result records ({@code result}); runs nothing, reads no file and
 * writes no format. A new rule for when a run fails lives here; a new rule for when two tensors agree lives in
 * {@code compare}.
 */
package org.tensorparity.judge;
