package org.tensorparity.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a campaign's cases from a seed and a set of correct model pairs, the way the fuzz campaign
 * of issue 18 attacked the tool: bit flips, header flips, truncations, extreme 32-bit words (the sizes,
 * offsets and counts of flatbuffer tables and protobuf fields), special files and bad flags. The same
 * seed and pairs give the same cases and the same mutated files.
 */
final class FuzzCases {
    private static final int[] EXTREME_WORDS = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF, 0x10000};
    private static final String[] SPECIAL_FILES = {"/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/mem", "/",
            "fifo", "missing", "empty"};
    /** Flags with values a careless or hostile CI script could pass; each is added to a correct pair. */
    private static final String[][] BAD_FLAGS = {
            {"--samples", "2147483647"}, {"--samples", "-1"}, {"--samples", "0"}, {"--seed", "x"},
            {"--rtol", "nan"}, {"--atol", "-1"}, {"--rtol", "1e400"}, {"--threads", "0"}, {"--threads", "100000"},
            {"--shape", "input=1x3x-5x7"}, {"--shape", "=="}, {"--shape", "x=99999999x99999999"},
            {"--bind", "a=b"}, {"--dist", "normal:0,-1"}, {"--dist", "uniform:1,0"}, {"--tolerance", "bogus"},
            {"--override", "*=max_abs<=x"}, {"--check", "out=top-rows:-3@9"}, {"--input", "x=/dev/zero"},
            {"--inputs", "/dev/null"}, {"--json", ""}, {"--json", "/proc/self/x.json"}, {"--html", "/dev/null/x"},
            {"--junit", "/"}, {"--tflite-delegate", "gpu"}, {"--image-prep", "rgb,resize,bogus"}, {"--nope"},
            {"--save-inputs", "/proc/self"}, {"--fail-on-layers", "--outputs-only"}};

    private FuzzCases() {
    }

    /**
     * Writes the mutated files into {@code work} and returns {@code count} cases.
     *
     * @param pairs correct pairs, each as {onnx, tflite}
     */
    static List<FuzzCase> generate(long seed, int count, List<Path[]> pairs, Path work) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(work);
        List<FuzzCase> cases = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            Path[] pair = pairs.get(random.nextInt(pairs.size()));
            boolean onnxSide = random.nextBoolean();
            Path victim = onnxSide ? pair[0] : pair[1];
            String ext = onnxSide ? ".onnx" : ".tflite";
            Path mutant = work.resolve("case-" + id + ext);
            int family = random.nextInt(6);
            String kind;
            String detail;
            Path onnx = pair[0];
            Path tflite = pair[1];
            List<String> extra = new ArrayList<>();
            if (family == 5) {
                String[] flag = BAD_FLAGS[random.nextInt(BAD_FLAGS.length)];
                kind = "bad-flag";
                detail = String.join(" ", flag);
                extra.addAll(List.of(flag));
            } else if (family == 4) {
                String special = SPECIAL_FILES[random.nextInt(SPECIAL_FILES.length)];
                kind = "special-file";
                detail = (onnxSide ? "--onnx " : "--tflite ") + special;
                Path path = special(special, work.resolve("special-" + id + ext));
                if (onnxSide) {
                    onnx = path;
                } else {
                    tflite = path;
                }
            } else {
                byte[] bytes = Files.readAllBytes(victim);
                switch (family) {
                    case 0 -> {
                        kind = "bit-flip";
                        int flips = 1 + random.nextInt(8);
                        StringBuilder at = new StringBuilder();
                        for (int i = 0; i < flips; i++) {
                            int offset = random.nextInt(bytes.length);
                            int bit = random.nextInt(8);
                            bytes[offset] ^= (byte) (1 << bit);
                            at.append(i == 0 ? "" : ",").append(offset).append(':').append(bit);
                        }
                        detail = "bits " + at;
                    }
                    case 1 -> {
                        kind = "header-flip";
                        int offset = random.nextInt(Math.min(64, bytes.length));
                        bytes[offset] = (byte) random.nextInt(256);
                        detail = "byte " + offset + " = " + (bytes[offset] & 0xFF);
                    }
                    case 2 -> {
                        kind = "truncate";
                        int length = random.nextInt(bytes.length);
                        bytes = java.util.Arrays.copyOf(bytes, length);
                        detail = "to " + length + " bytes";
                    }
                    default -> {
                        kind = "extreme-word";
                        // Flatbuffer offsets and counts sit at 4-byte boundaries; the header region is densest.
                        int limit = random.nextBoolean() ? Math.min(bytes.length, 4096) : bytes.length;
                        int offset = (random.nextInt(Math.max(1, limit - 4)) / 4) * 4;
                        int word = EXTREME_WORDS[random.nextInt(EXTREME_WORDS.length)];
                        for (int i = 0; i < 4 && offset + i < bytes.length; i++) {
                            bytes[offset + i] = (byte) (word >>> (8 * i));
                        }
                        detail = "word at " + offset + " = " + word;
                    }
                }
                Files.write(mutant, bytes);
                detail = (onnxSide ? "onnx " : "tflite ") + detail;
                if (onnxSide) {
                    onnx = mutant;
                } else {
                    tflite = mutant;
                }
            }
            List<String> args = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite", tflite.toString()));
            args.addAll(extra);
            cases.add(new FuzzCase(id, kind, detail, args));
        }
        return cases;
    }

    private static Path special(String name, Path place) throws IOException {
        switch (name) {
            case "fifo" -> {
                try {
                    Process mkfifo = new ProcessBuilder("mkfifo", place.toString()).start();
                    if (mkfifo.waitFor() != 0) {
                        throw new IOException("mkfifo " + place + " failed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted making a FIFO", e);
                }
                return place;
            }
            case "missing" -> {
                return place;
            }
            case "empty" -> {
                return Files.write(place, new byte[0]);
            }
            default -> {
                return Path.of(name);
            }
        }
    }
}
