package org.tensorparity.run;

import java.nio.file.Path;
import java.util.List;

/** What became of a requested reproducer ({@code --repro DIR}): written, or not, and why not. */
public sealed interface ReproOutcome {

    /**
     * The bundle is in {@code dir}, and a verify of it failed as the original run did.
     *
     * @param bytes the size of its files together
     * @param command the one command that reproduces the failure, run from {@code dir}
     * @param counterpart what the same cut of the correct counterpart did ({@code repro --against}): it passed, in
     *     one line; null when none was given
     */
    record Written(Path dir, long bytes, List<String> command, String counterpart) implements ReproOutcome {
        public Written {
            command = List.copyOf(command);
        }
    }

    /** Nothing was written to {@code dir}: {@code reason} says why in one line. */
    record NotWritten(Path dir, String reason) implements ReproOutcome {
    }
}
