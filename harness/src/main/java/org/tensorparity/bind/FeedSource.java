package org.tensorparity.bind;

import java.nio.file.Path;
import java.util.Objects;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.tensor.Tensor;

/** Where the values fed to one ONNX input (and to the TFLite input bound to it) come from. */
public sealed interface FeedSource {

    /** Seeded random values; sample {@code k} of a run uses the run's seed plus {@code k}. */
    record Generated(InputDistribution distribution) implements FeedSource {
        public Generated {
            Objects.requireNonNull(distribution, "distribution");
        }
    }

    /** Values read from a file (.npy, or an entry of a .npz), in the ONNX input's layout; the same every sample. */
    record Loaded(Tensor values, String description) implements FeedSource {
        public Loaded {
            Objects.requireNonNull(values, "values");
        }
    }

    /** An image, resized or cropped to the input when the input's shape is known. */
    record Image(Path file, ImagePreprocessing preprocessing) implements FeedSource {
        public Image {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(preprocessing, "preprocessing");
        }
    }

    /**
     * Values produced upstream by another pair, as a pipeline runs on the phone: the ONNX model is fed
     * the upstream ONNX output and the TFLite model the upstream TFLite output, so upstream error
     * propagates. Both are in the ONNX input's layout.
     */
    record Staged(Tensor onnx, Tensor tflite, String description) implements FeedSource {
        public Staged {
            Objects.requireNonNull(onnx, "onnx");
            Objects.requireNonNull(tflite, "tflite");
            if (!onnx.shape().equals(tflite.shape())) {
                throw new IllegalArgumentException("staged values differ in shape: " + onnx.shape() + " vs " + tflite.shape());
            }
        }
    }
}
