package org.tensorparity.backend;

/**
 * The values an integer input can meaningfully take, read from how its graph uses it: seeded random integers would
 * index past a table or send an {@code If} into a branch nobody runs.
 *
 * @param low the smallest value
 * @param high the largest value ({@code low} itself when the graph names one value)
 * @param reason where the graph implies it, in the model's names: {@code indexes axis 0 of 'emb' [30522,768] (Gather
 *     'g')}, {@code compared with 16000 by Equal 'Equal_0', which decides If 'If_0' (then_branch)}
 */
public record InputDomain(long low, long high, String reason) {
    public InputDomain {
        if (high < low) {
            throw new IllegalArgumentException("empty domain [" + low + ", " + high + "]");
        }
    }
}
