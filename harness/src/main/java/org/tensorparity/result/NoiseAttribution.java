package org.tensorparity.result;

/**
 * How much of a layer's error it adds itself. Noise is the error's RMS as a fraction of the reference's
 * RMS ({@code 10^(-SQNR/20)}: 0.01 at 40 dB, 0.1 at 20 dB).
 *
 * @param noise this layer's noise
 * @param inherited the largest noise among the nearest aligned layers upstream of it in the TFLite graph
 *     (model inputs and constants count as exact)
 * @param added {@code noise - inherited}: what this layer adds; negative when it shrinks the error
 */
public record NoiseAttribution(double noise, double inherited, double added) {
    public static NoiseAttribution of(double noise, double inherited) {
        return new NoiseAttribution(noise, inherited, noise - inherited);
    }
}
