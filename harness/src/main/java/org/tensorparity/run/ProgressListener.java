package org.tensorparity.run;

/** Live progress of a long run; separate from every report, which it never touches. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} samples have run. */
    void samplesDone(int done, int total);
}
