package org.tensorparity.compare;

/**
 * What one side of a comparison contained.
 *
 * @param min the smallest finite value, or NaN when the tensor holds no finite value
 * @param max the largest finite value, or NaN when the tensor holds no finite value
 * @param nanCount how many values are NaN
 * @param infCount how many values are +Infinity or -Infinity
 */
public record ValueRange(double min, double max, long nanCount, long infCount) {
    /** True when at least one value is finite (then {@link #min()} and {@link #max()} are numbers). */
    public boolean hasFiniteValues() {
        return !Double.isNaN(min);
    }

    /** {@code max(|min|, |max|)}: the largest finite magnitude, 0 when there is no finite value. */
    public double maxMagnitude() {
        return hasFiniteValues() ? Math.max(Math.abs(min), Math.abs(max)) : 0.0;
    }
}
