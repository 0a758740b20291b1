package org.tensorparity.backend;

import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelSignature;

/**
 * Where runners come from: the only type outside the runtime packages that knows which runtime runs which
 * model, so the stages that run models depend on {@link ModelRunner} and {@link SubgraphRunner} alone.
 */
public interface Runtimes {

    /** The runtimes this build links: ONNX Runtime for the reference, the TFLite interpreter for the conversion. */
    static Runtimes standard() {
        return StandardRuntimes.INSTANCE;
    }

    /** A runner of the reference (ONNX) model; with {@link RunnerSettings#captureIntermediates()} it keeps every node output. */
    ModelRunner openOnnx(ModelFile file, RunnerSettings settings) throws ModelFailureException;

    /** A runner of the converted (TFLite) model; with {@link RunnerSettings#captureIntermediates()} it keeps every tensor. */
    ModelRunner openTflite(ModelFile file, RunnerSettings settings) throws ModelFailureException;

    /**
     * The reference model with the taken branch of chosen {@code If} nodes of its main graph inlined in their place,
     * so that an instrumented run captures what the branch computes.
     *
     * @param conditions each {@code If} to inline, by its first output's name, with its condition's value in the run
     * @param depth how deep in the user's model those {@code If} nodes were nested (0: its main graph)
     */
    default InlinedModel inlineBranches(ModelFile file, java.util.Map<String, Boolean> conditions, int depth)
            throws ModelFailureException {
        return org.tensorparity.backend.ort.OnnxRuntimeRunner.inlineBranches(file, conditions, depth);
    }

    /**
     * The reference model with the {@code Loop} nodes of its main graph unrolled in their place, one copy of the body
     * per iteration a run made, so that an instrumented run captures what every iteration computes.
     *
     * @param values what that run computed and was fed, by name, from which each loop's iteration count is read
     * @param maxNodes most body nodes, over all iterations, one {@code Loop} may put in the graph; a longer one stays
     *     whole
     */
    default UnrolledModel unrollLoops(ModelFile file, java.util.Map<String, org.tensorparity.tensor.Tensor> values,
            int maxNodes) throws ModelFailureException {
        return org.tensorparity.backend.ort.OnnxRuntimeRunner.unrollLoops(file, values, maxNodes);
    }

    /**
     * The reference model with the {@code Loop} and {@code Scan} nodes of its main graph unrolled in their place, one
     * copy of the body per iteration a run made; those an earlier unrolling copied out of an enclosing body first name
     * what their bodies define after the enclosing iteration ({@code <name>@<k>@<j>}).
     *
     * @param values what that run computed and was fed, by name, from which each node's iteration count is read
     * @param maxNodes most body nodes, over all iterations, one node may put in the graph; a longer one stays whole
     * @param enclosing the loops unrolled before, whose iterations hold the nested ones
     */
    default UnrolledModel unrollBodies(ModelFile file, java.util.Map<String, org.tensorparity.tensor.Tensor> values,
            int maxNodes, java.util.List<UnrolledLoop> enclosing) throws ModelFailureException {
        return org.tensorparity.backend.ort.OnnxRuntimeRunner.unrollBodies(file, values, maxNodes, enclosing);
    }

    /**
     * The converted model as the chosen signature runs it: the file itself, or a rewrite whose main graph is the
     * signature's subgraph ({@link org.tensorparity.backend.tflite.TfliteSignatures#select}).
     *
     * @param signature a signature key, or null for the default
     */
    default ModelFile tfliteSignature(ModelFile file, String signature) throws org.tensorparity.ParityException {
        return org.tensorparity.backend.tflite.TfliteSignatures.select(file, signature);
    }

    /** Runs chosen nodes of the reference model alone, for the error a layer adds by itself. */
    SubgraphRunner openOnnxSubgraphs(ModelFile file);

    /**
     * The converted model's constants among {@code names} (weights, biases), as real values, read from the file: a
     * diagnosis feeds them to the reference operators to test whether they explain a divergence. Names that are
     * no stored constant are left out. Read from the file's flatbuffer, whatever runtime runs it.
     */
    default java.util.Map<String, org.tensorparity.tensor.Tensor> tfliteConstants(ModelFile file,
            java.util.Set<String> names) throws ModelFailureException {
        return org.tensorparity.backend.tflite.FlatbufferConstants.read(file, names);
    }

    /** The reference model's inputs and outputs as its runtime declares them, without building a session. */
    ModelSignature onnxSignature(ModelFile file) throws ModelFailureException;

    /**
     * Loads both native runtimes now rather than at the first model, so a caller can overlap it with other
     * start-up work; later opens find it done.
     */
    void preload();

    /** The linked ONNX Runtime version, e.g. {@code 1.29.0}. */
    String onnxRuntimeVersion();

    /** The linked TFLite version, e.g. {@code 2.21.0}. */
    String tfliteVersion();
}
