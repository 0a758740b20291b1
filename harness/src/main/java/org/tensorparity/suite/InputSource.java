package org.tensorparity.suite;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.image.ImagePreprocessing;

/**
 * Where the values of one model input come from. In a suite file an input's source is a mapping with
 * exactly one of these keys:
 *
 * <pre>
 * x: {seeded: "uniform:0,255"}                       # seeded random values (the pair's seed)
 * x: {npy: data/x.npy}                               # a .npy array
 * x: {npz: data/inputs.npz, entry: frame}            # an array of a .npz; entry defaults to the input's name
 * x: {image: data/frame.png, preprocess: "bgr,resize"}  # an image (see ImagePreprocessing; default rgb,resize)
 * </pre>
 *
 * File paths are relative to the suite file and must exist when the suite is read.
 */
public sealed interface InputSource {

    /**
     * Seeded random values; the seed is the pair's.
     *
     * @param distribution how values are drawn
     */
    record Seeded(InputDistribution distribution) implements InputSource {
        public Seeded {
            Objects.requireNonNull(distribution, "distribution");
        }
    }

    /**
     * A {@code .npy} array.
     *
     * @param file the array file
     */
    record Npy(Path file) implements InputSource {
        public Npy {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * One array of a {@code .npz} archive.
     *
     * @param file the archive
     * @param entry the array's name in the archive, or null for the input's own name
     */
    record Npz(Path file, String entry) implements InputSource {
        public Npz {
            Objects.requireNonNull(file, "file");
        }

        /** The entry to read for the input called {@code inputName}. */
        public String entryFor(String inputName) {
            return entry != null ? entry : inputName;
        }
    }

    /**
     * An image file.
     *
     * @param file the PNG or JPEG file
     * @param preprocessing how it becomes a tensor
     */
    record Image(Path file, ImagePreprocessing preprocessing) implements InputSource {
        public Image {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(preprocessing, "preprocessing");
        }
    }

    /**
     * The source a suite file's mapping describes (Jackson calls this with each key's value, null when
     * absent).
     *
     * @throws IllegalArgumentException unless exactly one kind is given, with only its own options
     */
    @JsonCreator
    static InputSource of(@JsonProperty("seeded") InputDistribution seeded, @JsonProperty("npy") Path npy,
            @JsonProperty("npz") Path npz, @JsonProperty("entry") String entry, @JsonProperty("image") Path image,
            @JsonProperty("preprocess") ImagePreprocessing preprocess) {
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
        if (kinds.size() != 1) {
            throw new IllegalArgumentException("an input source needs exactly one of seeded, npy, npz or image"
                    + (kinds.isEmpty() ? "" : ", got " + String.join(" and ", kinds)));
        }
        if (entry != null && npz == null) {
            throw new IllegalArgumentException("'entry' only goes with 'npz'");
        }
        if (preprocess != null && image == null) {
            throw new IllegalArgumentException("'preprocess' only goes with 'image'");
        }
        if (seeded != null) {
            return new Seeded(seeded);
        }
        if (npy != null) {
            return new Npy(npy);
        }
        if (npz != null) {
            return new Npz(npz, entry);
        }
        return new Image(image, preprocess != null ? preprocess : ImagePreprocessing.DEFAULT);
    }
}
