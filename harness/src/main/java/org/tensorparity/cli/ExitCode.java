package org.tensorparity.cli;

import org.tensorparity.compare.Verdict;

/** The exit codes of {@code parity}; documented in the README and in {@code --help}. */
public enum ExitCode {
    /** Every compared tensor is within tolerance. */
    PASS(0),
    /** The run worked and at least one tensor is beyond tolerance. */
    PARITY_VIOLATED(1),
    /** A flag, file or input the run cannot use. */
    BAD_INPUT(2),
    /** A model could not be loaded or run by its runtime. */
    MODEL_FAILURE(3),
    /** A bug in tensor-parity; kept apart from 1 so CI never mistakes a crash for a verdict. */
    INTERNAL_ERROR(70);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The exit code of a verdict: the one place a pass or a failure becomes a process status. */
    public static ExitCode of(Verdict verdict) {
        return verdict == Verdict.PASS ? PASS : PARITY_VIOLATED;
    }
}
