package org.tensorparity.result;

/**
 * An ONNX {@code Loop} or {@code Scan} whose body was unrolled into the reference for the instrumented run, one copy
 * per iteration, so that the layers inside it were compared like any other.
 *
 * @param op {@code Loop} or {@code Scan}
 * @param node the node's name
 * @param iterations how many iterations the run made, each unrolled (tensors named {@code <name>@<iteration>}, from
 *     0)
 * @param bodyNodes how many nodes its body holds
 * @param comparedIteration the iteration whose tensors took part in alignment, or -1 when every iteration's did: the
 *     last one when the TFLite model runs its loop as a {@code WHILE}, whose body keeps only its last iteration's
 *     values
 * @param activations the ONNX activations computed inside the compared iterations that took part in alignment
 * @param paired how many of them were paired with a TFLite tensor
 * @param accounted how many of the others hold the values of a paired tensor or fold into one: compared through it
 * @param noCounterpart how many of them no TFLite tensor corresponds to
 */
public record UnrolledLoopSummary(String op, String node, int iterations, int bodyNodes, int comparedIteration, int activations,
        int paired, int accounted, int noCounterpart) {

    /** One line for the human formats: how far it was unrolled, which iteration was compared, how much aligned. */
    public String describe() {
        return op + " '" + node + "': its " + bodyNodes + "-node body was unrolled for the instrumented run, "
                + iterations + (iterations == 1 ? " iteration" : " iterations") + " named '<tensor>@<iteration>'; "
                + (comparedIteration < 0 ? "of the activations of every iteration "
                        : "iteration " + comparedIteration + " was compared (the TFLite WHILE body keeps only its last"
                                + " iteration): of its ")
                + activations + " activations " + paired + " paired, " + accounted
                + " hold a paired tensor's values or fold into one, " + noCounterpart + " have no counterpart";
    }
}
