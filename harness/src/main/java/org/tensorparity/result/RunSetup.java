package org.tensorparity.result;

/**
 * What ran, on which inputs, under which rules: everything a reader needs to reproduce the run.
 *
 * @param provenance what ran, where, with which settings
 * @param seed seed of the generated inputs (sample k uses seed + k)
 * @param samples how many input samples were run; outputs report their worst, layers are compared on it
 * @param precision what the TFLite model computes in, and the tolerance profile chosen for it
 * @param tolerance the default tolerance rule for outputs, in words
 * @param layerTolerance the default tolerance rule for intermediate layers, in words; null when layers were not
 *     compared
 * @param isolationTolerance the default rule for the error a layer's operators add by themselves, in words; null
 *     when no layer was isolated
 */
public record RunSetup(Provenance provenance, long seed, int samples, PrecisionInfo precision, String tolerance,
        String layerTolerance, String isolationTolerance) {
    public RunSetup {
        // Reports written before precision was recorded are still read (and diffed as baselines).
        precision = precision == null ? PrecisionInfo.UNRECORDED : precision;
    }
}
