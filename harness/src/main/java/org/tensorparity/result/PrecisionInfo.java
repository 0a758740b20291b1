package org.tensorparity.result;

import org.tensorparity.compare.Tolerances;
import org.tensorparity.model.Precision;

/**
 * What the TFLite model computes in, as its file says, and the tolerance profile the run judged it by.
 *
 * @param kind {@code float32}, {@code float16-weights}, {@code dynamic-range}, {@code integer},
 *     {@code integer-io}, {@code integer-16x8} or {@code integer-16x8-io}
 * @param description the kind in words
 * @param toleranceProfile the profile of the default rules: {@code default}, {@code fp16},
 *     {@code dynamic-range}, {@code integer}, or {@code custom} for {@code --atol/--rtol}
 * @param profileChosen {@code auto} when the profile was chosen from {@code kind}, {@code given} when named
 */
public record PrecisionInfo(String kind, String description, String toleranceProfile, String profileChosen) {
    /** What a report written before precision was detected says of it. */
    public static final PrecisionInfo UNRECORDED = new PrecisionInfo("unrecorded", "not recorded in this report",
            "unrecorded", "unrecorded");

    /** What the TFLite model computes in, and the profile {@code tolerances} judged it under. */
    public static PrecisionInfo of(Precision precision, Tolerances tolerances) {
        return new PrecisionInfo(precision.id(), precision.description(), tolerances.profile(),
                tolerances.byPrecision() ? "auto" : "given");
    }

    /** One line for text reports: "float16 weights; tolerance profile fp16 (auto)". */
    public String describe() {
        return description + "; tolerance profile " + toleranceProfile + " (" + profileChosen + ")";
    }
}
