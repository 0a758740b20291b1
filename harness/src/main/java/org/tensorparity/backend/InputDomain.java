package org.tensorparity.backend;

import java.util.List;
import java.util.Set;

/**
 * The values an integer or boolean input can meaningfully take, read from how its graph uses it: seeded random
 * integers would index past a table or send an {@code If} into a branch nobody runs, and a seeded mask would drop half
 * the values.
 *
 * @param low the smallest value
 * @param high the largest value ({@code low} itself when the graph names one value)
 * @param reason where the graph implies it, in the model's names: {@code indexes axis 0 of 'emb' [30522,768] (Gather
 *     'g')}, {@code compared with 16000 by Equal 'Equal_0', which decides If 'If_0' (then_branch)}
 * @param alternatives for an input that only selects an {@code If} branch, each value it can take with the branch it
 *     takes, from which the verifier picks the one whose branch the converted model holds ({@code low} when none
 *     tells); empty otherwise
 */
public record InputDomain(long low, long high, String reason, List<Alternative> alternatives) {
    public InputDomain {
        if (high < low) {
            throw new IllegalArgumentException("empty domain [" + low + ", " + high + "]");
        }
        alternatives = List.copyOf(alternatives);
    }

    /** A domain with no alternatives. */
    public InputDomain(long low, long high, String reason) {
        this(low, high, reason, List.of());
    }

    /**
     * One value of a branch selector.
     *
     * @param value the value
     * @param branch what it takes, in the model's names: {@code the then_branch of If 'choose'}
     * @param operators the operator types that branch runs (its nested subgraphs' included)
     */
    public record Alternative(long value, String branch, Set<String> operators) {
        public Alternative {
            operators = Set.copyOf(operators);
        }
    }
}
