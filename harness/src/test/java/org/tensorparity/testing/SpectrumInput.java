package org.tensorparity.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Real audio inputs for the corpus's speech models, computed from its noisy1.wav (16 kHz mono PCM16), so
 * that the models run on the values they were built and calibrated for.
 *
 * <p>GTCRN-Micro: the input its own converter script feeds it (gtcrn_micro/utils/torch_converter.py): the STFT of
 * 16 kHz mono audio, {@code torch.stft(x, n_fft=512, hop_length=256, win_length=512,
 * window=hann_window(512).pow(0.5), return_complex=False)} (centred, reflect-padded), its first 63 frames,
 * as [1, 257, 63, 2] (frequency, frame, real/imaginary).
 *
 * <p>DTLN (real_time_processing_tf_lite.py): a 512-sample block; model 1 takes its rfft magnitude
 * [1, 1, 257], model 2 a time-domain block [1, 1, 512]; both start from zero LSTM states [1, 2, 128, 2].
 */
public final class SpectrumInput {
    private static final int N_FFT = 512;
    private static final int HOP = 256;
    private static final int FRAMES = 63;
    private static final int BINS = N_FFT / 2 + 1;

    private SpectrumInput() {
    }

    /** Where in the file DTLN's block starts: one second in, past the leading silence. */
    private static final int DTLN_BLOCK_START = 16000;
    private static final int DTLN_BLOCK = 512;
    /** DTLN's block shift in its real-time scripts. */
    private static final int DTLN_SHIFT = 128;

    /**
     * Writes {@code dtln-1.npz} ({@code input_2}, {@code input_3}) and {@code dtln-2.npz} ({@code input_4},
     * {@code input_5}) into {@code dir}; returns the folder.
     */
    public static Path writeDtln(Path wav, Path dir) throws IOException {
        float[] x = pcm16(Files.readAllBytes(wav));
        float[] block = java.util.Arrays.copyOfRange(x, DTLN_BLOCK_START, DTLN_BLOCK_START + DTLN_BLOCK);
        float[] magnitude = new float[DTLN_BLOCK / 2 + 1];
        for (int k = 0; k < magnitude.length; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < DTLN_BLOCK; n++) {
                double angle = -2 * Math.PI * k * n / DTLN_BLOCK;
                re += block[n] * Math.cos(angle);
                im += block[n] * Math.sin(angle);
            }
            magnitude[k] = (float) Math.hypot(re, im);
        }
        Tensor states = Tensor.of(Shape.of(1, 2, 128, 2), new float[2 * 128 * 2]);
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve("dtln-1.npz"))) {
            NpzWriter.write(o, Map.of("input_2", Tensor.of(Shape.of(1, 1, magnitude.length), magnitude), "input_3", states));
        }
        try (OutputStream o = Files.newOutputStream(dir.resolve("dtln-2.npz"))) {
            NpzWriter.write(o, Map.of("input_4", Tensor.of(Shape.of(1, 1, DTLN_BLOCK), block), "input_5", states));
        }
        return dir;
    }

    /**
     * Writes {@code silero.npz} into {@code dir}: {@code input} [1,512], the block of speech DTLN is fed, and
     * {@code state} [2,1,128] zeros (a stream's start); returns the file. Uniform noise leaves channels of silero's first
     * encoder layer dead after its ReLU, so a change there shows on speech only.
     */
    public static Path writeSilero(Path wav, Path dir) throws IOException {
        float[] x = pcm16(Files.readAllBytes(wav));
        float[] block = java.util.Arrays.copyOfRange(x, DTLN_BLOCK_START, DTLN_BLOCK_START + DTLN_BLOCK);
        Files.createDirectories(dir);
        Path file = dir.resolve("silero.npz");
        try (OutputStream o = Files.newOutputStream(file)) {
            NpzWriter.write(o, Map.of("input", Tensor.of(Shape.of(1, DTLN_BLOCK), block), "state",
                    Tensor.of(Shape.of(2, 1, 128), new float[2 * 128])));
        }
        return file;
    }

    /** Writes {@code audio.npz} with the entry {@code audio} into {@code dir}, from a PCM16 mono WAV file. */
    public static Path write(Path wav, Path dir) throws IOException {
        float[] x = pcm16(Files.readAllBytes(wav));
        float[] padded = new float[x.length + N_FFT];
        for (int i = 0; i < padded.length; i++) {
            int j = i - N_FFT / 2;
            // Reflect padding without repeating the edge sample, as torch.stft(center=True) does.
            if (j < 0) {
                j = -j;
            } else if (j >= x.length) {
                j = 2 * (x.length - 1) - j;
            }
            padded[i] = x[j];
        }
        double[] window = new double[N_FFT];
        for (int n = 0; n < N_FFT; n++) {
            // torch.hann_window is periodic: 0.5 - 0.5 cos(2 pi n / N).
            window[n] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * n / N_FFT));
        }
        float[] out = new float[BINS * FRAMES * 2];
        for (int t = 0; t < FRAMES; t++) {
            for (int k = 0; k < BINS; k++) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < N_FFT; n++) {
                    double v = padded[t * HOP + n] * window[n];
                    double angle = -2 * Math.PI * k * n / N_FFT;
                    re += v * Math.cos(angle);
                    im += v * Math.sin(angle);
                }
                out[(k * FRAMES + t) * 2] = (float) re;
                out[(k * FRAMES + t) * 2 + 1] = (float) im;
            }
        }
        Files.createDirectories(dir);
        Path npz = dir.resolve("audio.npz");
        try (OutputStream o = Files.newOutputStream(npz)) {
            NpzWriter.write(o, Map.of("audio", Tensor.of(Shape.of(1, BINS, FRAMES, 2), out)));
        }
        return npz;
    }

    /**
     * Streaming sequences of {@code steps} steps from one second into the file, as the apps feed them block after block
     * ({@code --steps}: the leading axis is the step): {@code dtln-1-steps.npz} with {@code input_2} [steps,1,1,257],
     * the magnitude of 512-sample blocks shifted by 128 samples (DTLN's real_time_processing scripts), and
     * {@code silero-steps.npz} with {@code input} [steps,1,512], consecutive 512-sample frames (the TFLite model's
     * frame, context-free as its converter's parity check feeds it). Returns the folder.
     */
    public static Path writeStreams(Path wav, Path dir, int steps) throws IOException {
        float[] x = pcm16(Files.readAllBytes(wav));
        int bins = DTLN_BLOCK / 2 + 1;
        float[] magnitudes = new float[steps * bins];
        float[] frames = new float[steps * DTLN_BLOCK];
        for (int s = 0; s < steps; s++) {
            int start = DTLN_BLOCK_START + s * DTLN_SHIFT;
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < DTLN_BLOCK; n++) {
                    double angle = -2 * Math.PI * k * n / DTLN_BLOCK;
                    re += x[start + n] * Math.cos(angle);
                    im += x[start + n] * Math.sin(angle);
                }
                magnitudes[s * bins + k] = (float) Math.hypot(re, im);
            }
            System.arraycopy(x, DTLN_BLOCK_START + s * DTLN_BLOCK, frames, s * DTLN_BLOCK, DTLN_BLOCK);
        }
        Files.createDirectories(dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve("dtln-1-steps.npz"))) {
            NpzWriter.write(o, Map.of("input_2", Tensor.of(Shape.of(steps, 1, 1, bins), magnitudes)));
        }
        try (OutputStream o = Files.newOutputStream(dir.resolve("silero-steps.npz"))) {
            NpzWriter.write(o, Map.of("input", Tensor.of(Shape.of(steps, 1, DTLN_BLOCK), frames)));
        }
        return dir;
    }

    /** Samples of a 16-bit PCM WAV file, scaled to [-1, 1). */
    private static float[] pcm16(byte[] wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= wav.length) {
            String id = new String(wav, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("data")) {
                int n = Math.min(size, wav.length - at - 8) / 2;
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = b.getShort(at + 8 + 2 * i) / 32768f;
                }
                return x;
            }
            at += 8 + size + (size & 1);
        }
        throw new IOException("no data chunk in the WAV file");
    }
}
