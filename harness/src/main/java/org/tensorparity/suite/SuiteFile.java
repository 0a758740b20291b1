package org.tensorparity.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorparity.BadInputException;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;

/**
 * A suite: several model pairs verified in one run, and the stages that feed one pair's outputs into
 * another's inputs. Read from YAML (or JSON, for a {@code .json} file):
 *
 * <pre>
 * pairs:                 # at least one; see PairSpec
 *   - name: template-127
 *     onnx: target/dasiamrpn/template-127-onnxtf.onnx
 *     tflite: target/dasiamrpn/template-127-onnxtf.tflite
 *   - name: detection-271
 *     ...
 * stages:                # optional; see Stage
 *   - from: template-127
 *     to: detection-271
 *     wires: {r1_kernel_raw: r1_kernel, cls1_kernel_raw: cls1_kernel}
 * </pre>
 *
 * <p>{@link #read} checks everything that can be checked without loading a model: the syntax, unknown keys,
 * every value's form, that every referenced file exists, unique pair names, that stages join existing pairs
 * without a cycle, and that no input has two sources. Tensor names can only be checked against the models:
 * call {@link #checkNames} for each pair once its ONNX signature is known, before running anything.
 * Errors are {@link BadInputException}s of one line naming the suite file and, where known, the line.
 */
public final class SuiteFile {
    private final Path path;
    private final List<PairSpec> pairs;
    private final List<Stage> stages;
    /** Line (1-based) of each pair and stage in the file, by identity; absent when unknown. */
    private final Map<Object, Integer> lines;

    private SuiteFile(Path path, List<PairSpec> pairs, List<Stage> stages, Map<Object, Integer> lines) {
        this.path = path;
        this.pairs = List.copyOf(pairs);
        this.stages = List.copyOf(stages);
        this.lines = lines;
    }

    /**
     * Reads and checks the suite file at {@code file}; relative paths in it are relative to its folder.
     *
     * @throws BadInputException naming the file (and the line), for anything wrong with it
     */
    public static SuiteFile read(Path file) throws BadInputException {
        return SuiteReader.read(file);
    }

    /** Checks the pairs and stages read from {@code path} against each other. */
    static SuiteFile of(Path path, List<PairSpec> pairs, List<Stage> stages, Map<Object, Integer> lines)
            throws BadInputException {
        SuiteFile suite = new SuiteFile(path, pairs, stages, new IdentityHashMap<>(lines));
        suite.checkStructure();
        return suite;
    }

    /** The file the suite was read from. */
    public Path path() {
        return path;
    }

    /** The pairs in file order. */
    public List<PairSpec> pairs() {
        return pairs;
    }

    /** The stages in file order. */
    public List<Stage> stages() {
        return stages;
    }

    /** The pair called {@code name}. */
    public Optional<PairSpec> pair(String name) {
        return pairs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The stages that feed the pair called {@code name}, in file order. */
    public List<Stage> stagesInto(String name) {
        return stages.stream().filter(s -> s.to().equals(name)).toList();
    }

    /**
     * The pairs in the order to run them: every stage's {@code from} before its {@code to}, otherwise file
     * order.
     */
    public List<PairSpec> runOrder() {
        List<String> order = graph().topologicalOrder()
                .orElseThrow(() -> new IllegalStateException("a checked suite has no stage cycle"));
        return order.stream().map(n -> pair(n).orElseThrow()).toList();
    }

    /**
     * Shard {@code index} of {@code count} (1-based, as in {@code --shard 2/4}): a deterministic share of
     * the pairs, keeping pairs joined by stages together. Groups of joined pairs (single pairs included) are
     * taken largest first, ties by their alphabetically first pair name, and each goes to the shard holding
     * the fewest pairs so far (the lowest index on ties). The shards of one file are disjoint and together
     * hold every pair; a shard may be empty when there are more shards than groups.
     *
     * @return a suite of the chosen pairs (in file order) and their stages
     * @throws IllegalArgumentException unless {@code 1 <= index <= count}
     */
    public SuiteFile shard(int index, int count) {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist; use i/n with 1 <= i <= n");
        }
        List<List<String>> groups = new ArrayList<>(graph().components());
        groups.sort(Comparator.<List<String>>comparingInt(List::size).reversed().thenComparing(g -> g.get(0)));
        int[] load = new int[count];
        Set<String> chosen = new HashSet<>();
        for (List<String> group : groups) {
            int target = 0;
            for (int s = 1; s < count; s++) {
                if (load[s] < load[target]) {
                    target = s;
                }
            }
            load[target] += group.size();
            if (target == index - 1) {
                chosen.addAll(group);
            }
        }
        return new SuiteFile(path, pairs.stream().filter(p -> chosen.contains(p.name())).toList(),
                stages.stream().filter(s -> chosen.contains(s.from())).toList(), lines);
    }

    /**
     * Checks the tensor names the suite uses for the pair {@code pairName} against its ONNX model's
     * signature: the keys of its {@code inputs} and {@code shapes} must be inputs, the keys of its
     * {@code checks} outputs; stages from it must wire its outputs and stages into it its inputs.
     *
     * @throws BadInputException naming the suite file, the line, the bad name and the names that exist
     * @throws IllegalArgumentException if the suite has no such pair
     */
    public void checkNames(String pairName, ModelSignature onnx) throws BadInputException {
        PairSpec pair = pair(pairName).orElseThrow(() -> new IllegalArgumentException("no pair '" + pairName + "'"));
        String where = "pair '" + pairName + "'";
        requireNames(pair, where + ": inputs", pair.inputs().keySet(), onnx.inputs(), pair.onnx(), "input");
        requireNames(pair, where + ": shapes", pair.shapes().keySet(), onnx.inputs(), pair.onnx(), "input");
        requireNames(pair, where + ": checks", pair.checks().keySet(), onnx.outputs(), pair.onnx(), "output");
        for (Stage s : stages) {
            if (s.from().equals(pairName)) {
                requireNames(s, s.toString(), s.wires().keySet(), onnx.outputs(), pair.onnx(), "output");
            }
            if (s.to().equals(pairName)) {
                requireNames(s, s.toString(), s.wires().values(), onnx.inputs(), pair.onnx(), "input");
            }
        }
    }

    private void requireNames(Object element, String where, Collection<String> names, List<TensorSpec> specs,
            Path model, String kind) throws BadInputException {
        Set<String> known = specs.stream().map(TensorSpec::name).collect(Collectors.toSet());
        for (String name : names) {
            if (!known.contains(name)) {
                throw bad(element, where + ": '" + name + "' is not an " + kind + " of " + model + "; its " + kind
                        + "s are " + specs.stream().map(TensorSpec::name).collect(Collectors.joining(", ")));
            }
        }
    }

    /** Unique pair names; stages between existing, distinct pairs, without cycles; one source per input. */
    private void checkStructure() throws BadInputException {
        Map<String, PairSpec> byName = new HashMap<>();
        for (PairSpec p : pairs) {
            PairSpec first = byName.putIfAbsent(p.name(), p);
            if (first != null) {
                throw bad(p, "pair name '" + p.name() + "' is used twice" + lineNote("first at", first));
            }
        }
        Map<String, Stage> fedBy = new HashMap<>();
        for (Stage s : stages) {
            for (String end : List.of(s.from(), s.to())) {
                if (!byName.containsKey(end)) {
                    throw bad(s, s + ": there is no pair named '" + end + "'; the pairs are "
                            + pairs.stream().map(PairSpec::name).collect(Collectors.joining(", ")));
                }
            }
            if (s.from().equals(s.to())) {
                throw bad(s, s + ": feeds a pair into itself, a cycle");
            }
            PairSpec to = byName.get(s.to());
            for (String input : s.wires().values()) {
                if (to.inputs().containsKey(input)) {
                    throw bad(s, s + ": input '" + input + "' of '" + s.to() + "' also has a source in that pair's inputs"
                            + lineNote("at", to));
                }
                Stage other = fedBy.putIfAbsent(s.to() + "\u0000" + input, s);
                if (other != null) {
                    throw bad(s, s + ": input '" + input + "' of '" + s.to() + "' is already fed by " + other
                            + lineNote("at", other));
                }
            }
        }
        Optional<List<String>> cycle = graph().cycle();
        if (cycle.isPresent()) {
            List<String> c = cycle.get();
            Stage closing = stages.stream()
                    .filter(s -> s.from().equals(c.get(c.size() - 2)) && s.to().equals(c.get(c.size() - 1)))
                    .findFirst().orElseThrow();
            throw bad(closing, "the stages form a cycle: " + String.join(" -> ", c));
        }
    }

    private StageGraph graph() {
        return new StageGraph(pairs.stream().map(PairSpec::name).toList(), stages);
    }

    private String lineNote(String word, Object element) {
        Integer line = lines.get(element);
        return line == null ? "" : " (" + word + " line " + line + ")";
    }

    private BadInputException bad(Object element, String message) {
        Integer line = lines.get(element);
        return new BadInputException("suite file " + path + (line == null ? "" : ", line " + line) + ": " + message);
    }
}
