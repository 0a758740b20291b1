package org.tensorparity.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;

/**
 * How a suite file writes an input's {@link InputSource}: a mapping with exactly one of these keys.
 *
 * <pre>
 * x: {seeded: "uniform:0,255"}                       # seeded random values (the pair's seed)
 * x: {npy: data/x.npy}                               # a .npy array
 * x: {npz: data/inputs.npz, entry: frame}            # an array of a .npz; entry defaults to the input's name
 * x: {image: data/frame.png, preprocess: "bgr,resize"}  # an image (see ImagePreprocessing; default rgb,resize)
 * sr: {values: "16000"}                              # values: one fills the input, or one per element ("0,1,2")
 * </pre>
 *
 * File paths are relative to the suite file and must exist when the suite is read. Jackson fills the
 * components with each key's value, null when absent.
 */
record SuiteInput(InputDistribution seeded, Path npy, Path npz, String entry, Path image,
        ImagePreprocessing preprocess, String values) {
    /** @throws IllegalArgumentException unless exactly one kind is given, with only its own options */
    SuiteInput {
        List<String> kinds = new ArrayList<>();
        if (seeded != null) {
            kinds.add("seeded");
        }
        if (npy != null) {
            kinds.add("npy");
        }
        if (npz != null) {
            kinds.add("npz");
        }
        if (image != null) {
            kinds.add("image");
        }
        if (values != null) {
            kinds.add("values");
        }
        if (kinds.size() != 1) {
            throw new IllegalArgumentException("an input source needs exactly one of seeded, npy, npz, image or values"
                    + (kinds.isEmpty() ? "" : ", got " + String.join(" and ", kinds)));
        }
        if (entry != null && npz == null) {
            throw new IllegalArgumentException("'entry' only goes with 'npz'");
        }
        if (preprocess != null && image == null) {
            throw new IllegalArgumentException("'preprocess' only goes with 'image'");
        }
    }

    /** The source the mapping describes. */
    InputSource source() {
        if (seeded != null) {
            return new InputSource.Seeded(seeded);
        }
        if (npy != null) {
            return new InputSource.Npy(npy);
        }
        if (npz != null) {
            return new InputSource.Npz(npz, entry);
        }
        if (values != null) {
            return InputSource.Literal.parse(values);
        }
        return new InputSource.Image(image, preprocess != null ? preprocess : ImagePreprocessing.DEFAULT);
    }
}
