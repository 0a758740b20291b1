package org.tensorparity.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.CutLayout;
import org.tensorparity.backend.LitterRemoval;
import org.tensorparity.backend.ModelCut;
import org.tensorparity.backend.ModelCuts;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.Subgraph;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.npy.NpzReader;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.compare.Verdict;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.text.ShortNumber;

/**
 * A minimal reproducer of a failing conversion, for a bug report to the converter: the root cause's ONNX operators
 * and the TFLite operators that replaced them, each cut out as a model of its own, the values that fed them in the
 * run, and a README with the one command that shows the failure. The bundle is checked before it is written: a
 * verify of it must fail on the same tensor with about the same error; otherwise nothing is written and the outcome
 * says why. It is built in a folder beside the destination and moved into place, so no half-written bundle is
 * ever seen.
 */
final class ReproBundle {
    static final String ONNX = "repro.onnx";
    static final String TFLITE = "repro.tflite";
    static final String INPUTS = "inputs.npz";
    static final String README = "README.md";
    static final Set<String> FILES = Set.of(ONNX, TFLITE, INPUTS, README);
    /** How the TFLite cut labels the operators it adds of its own ({@code TRANSPOSE (added: ...)}, RESHAPE). */
    static final String ADDED = " (added: ";
    /**
     * How far the bundle's error may stray from the error the root's operators add alone in the run and still be
     * the same failure: the same operators on the same values differ only by kernel choice (XNNPACK fuses
     * differently in a model of one operator), which moves a real error by far less than this.
     */
    private static final double SAME_ERROR_FACTOR = 2;
    /** The flags of the original command that change the bundle's verdict, carried into its command. */
    private static final Set<String> JUDGING_FLAGS = Set.of("--tolerance", "--atol", "--rtol", "--tflite-delegate");

    /** What a layer-by-layer run leaves for a cut: both files, both sides' values, and how isolation fed the pairs. */
    record Evidence(ModelFile onnxFile, ModelFile tfliteFile, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            LayerAnalysis.IsolationSetup isolation) {
    }

    /**
     * The cut, its inputs and what the README says of them, before anything is written.
     *
     * @param layouts for each ONNX input of the cut whose TFLite counterpart has its rank, the layout the run fed the
     *     TFLite side in: the cut's verify must bind it in the same one
     * @param offset the TFLite operator after the root's that the cut takes in, adding the offset the ONNX operators
     *     include; or null when the cut ends at the root's TFLite tensor
     * @param bias the ONNX operator after the root's that the cut takes in, adding the bias the TFLite operator
     *     includes; or null when the cut ends at the root's ONNX tensor
     * @param startsEarlier whether the cut starts at the operators before the root's ({@link LeadingBias}), where the
     *     run fed the root a value with a bias its ONNX tensor lacks
     * @param counterpart the same cut of the correct counterpart of one model ({@code repro --against}), or null
     */
    record Cut(ModelCut.Model onnx, ModelCut.Model tflite, Map<String, Tensor> inputs, List<String> fedFrom,
            Map<String, Permutation> layouts, LayerResult root, TrailingOffset.Taken offset, TrailingBias.Taken bias,
            boolean startsEarlier, ReproCounterpart.SameCut counterpart) {
        /** The ONNX tensor the cut computes. */
        String onnxEnd() {
            return bias == null ? root.onnx() : bias.onnx();
        }

        /** The TFLite tensor the cut computes. */
        String tfliteEnd() {
            return offset == null ? root.tflite() : offset.tflite();
        }

        /**
         * Whether the root failed by its stored weights ({@link IsolatedError#weights()}), which the cut keeps: its
         * values alone may meet the rule, so the bundle's verify must fail by the weights too.
         */
        boolean weightsDiffer() {
            return root.isolated() != null && root.isolated().weights() != null
                    && root.isolated().weights().differs();
        }

        /**
         * The error the cut's operators added by themselves in the run, as a fraction of scale: the root's isolated
         * error, the run's error at the offset's ADD or the bias's Add, or, for a cut that starts earlier, the run's
         * error at the root (the first divergence: what feeds the cut agrees).
         */
        double runError() {
            return offset != null ? offset.error() : bias != null ? bias.error()
                    : startsEarlier ? root.metrics().normalizedMaxError()
                    : root.isolated().metrics().normalizedMaxError();
        }
    }

    /** Why no bundle can be made; carried to the outcome as its one line. */
    static final class Refusal extends Exception {
        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    private ReproBundle() {
    }

    /**
     * Cuts the root cause of {@code report} out of both models, checks that the cut fails as the run did, and writes
     * it to {@code dir}. Never changes the run's verdict: anything that keeps the bundle from being made is the
     * outcome's reason.
     *
     * @param request the run's request: its runtime settings and tolerances judge the bundle too
     * @param against the correct counterpart of one of the two models, whose same cut must pass; or null
     */
    static ReproOutcome write(Path dir, ParityReport report, Evidence evidence, VerifyRequest request,
            Runtimes runtimes, Path against) {
        try {
            Cut cut = cut(report, evidence, against == null ? null : ReproCounterpart.read(against));
            return writeChecked(dir, cut, report, request, runtimes);
        } catch (Refusal r) {
            return new ReproOutcome.NotWritten(dir, r.getMessage());
        } catch (RuntimeException e) {
            // The reproducer is an extra: a model it cannot take apart leaves the run's verdict as it was.
            return new ReproOutcome.NotWritten(dir, "the root cause cannot be cut out: " + e);
        }
    }

    /**
     * A tensor of the main graph holding exactly the values of the loop body's tensor {@code name}, which a cut cannot
     * read (its last iteration's value is what the WHILE hands on as an output); {@code name} itself when none does.
     */
    private static String mainGraphCopy(LayerAnalysis.Side tflite, String name) {
        Tensor body = tflite.captured().get(name);
        if (body == null) {
            return name;
        }
        for (Map.Entry<String, Tensor> e : tflite.captured().entrySet()) {
            Tensor t = e.getValue();
            if (!Subgraph.capturedInBody(e.getKey()) && t.shape().equals(body.shape()) && t.dtype() == body.dtype()
                    && java.util.Arrays.equals(t.data(), body.data())) {
                return e.getKey();
            }
        }
        return name;
    }

    private static Cut cut(ParityReport report, Evidence evidence, ModelFile good) throws Refusal {
        FirstDivergence first = report.firstDivergence();
        if (first == null) {
            throw new Refusal("no layer was found where the two models part");
        }
        if (evidence.isolation() == null || !"isolated".equals(first.locatedBy())) {
            throw new Refusal("the root cause was not found by running its operators alone, so there is nothing to cut"
                    + " (see --isolate)");
        }
        LayerResult root = rootLayer(report, first);
        AlignedPair pair = evidence.isolation().layouts().keySet().stream()
                .filter(p -> p.onnx().equals(root.onnx()) && p.tflite().equals(root.tflite())).findFirst()
                .orElseThrow(() -> new Refusal("the root cause's pair '" + root.onnx() + "' was not isolated"));
        IsolationPlan planned = evidence.isolation().planner().plan(pair.onnx());
        if (planned instanceof IsolationPlan.NotIsolable refused) {
            throw new Refusal(refused.reason());
        }
        IsolationPlan.Isolable isolated = (IsolationPlan.Isolable) planned;
        IsolationPlan.Isolable plan = LeadingBias.widened(isolated, evidence);
        if (plan.nodes().isEmpty()) {
            throw new Refusal("no ONNX operator computes '" + root.onnx() + "': it is a model input");
        }
        TensorLayout rootLayout = evidence.isolation().layouts().get(pair);
        TrailingBias.Taken bias = TrailingBias.of(root, plan, evidence, rootLayout);
        FusedBiasPairing.check(root, plan, evidence, bias);

        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, String> tfliteInputs = new LinkedHashMap<>();
        Map<String, Shape> tfliteShapes = new LinkedHashMap<>();
        List<String> fedFrom = new ArrayList<>();
        Map<String, Permutation> layouts = new LinkedHashMap<>();
        Map<String, CutLayout> moved = new LinkedHashMap<>();
        for (IsolationPlan.Feed feed : plan.feeds()) {
            Tensor reference = valueOf(evidence.onnx(), feed.onnx());
            InputRecord bound = report.inputs().stream().filter(i -> i.onnx().equals(feed.onnx())).findFirst()
                    .orElse(null);
            String tfliteName = switch (feed.source()) {
                case MODEL_INPUT -> bound == null ? null : bound.tflite();
                case CANDIDATE -> feed.pair().tflite();
                case REFERENCE -> null;
            };
            if (tfliteName != null && Subgraph.capturedInBody(tfliteName)) {
                tfliteName = mainGraphCopy(evidence.tflite(), tfliteName);
            }
            Tensor seen = tfliteName == null ? null : valueOf(evidence.tflite(), tfliteName);
            if (tfliteName != null && seen == null) {
                throw new Refusal("the TFLite value of '" + tfliteName + "' was not captured");
            }
            Tensor value = switch (feed.source()) {
                case MODEL_INPUT -> evidence.onnx().feeds().get(feed.onnx());
                case REFERENCE -> reference;
                case CANDIDATE -> {
                    TensorLayout layout = evidence.isolation().layouts().get(feed.pair());
                    if (layout == null) {
                        throw new Refusal("ONNX '" + feed.onnx() + "' has no layout its TFLite value can be read in");
                    }
                    if (!bindable(layout)) {
                        // The TFLite cut reads it in ONNX layout, as the bundle's command binds it, and moves it.
                        moved.put(feed.onnx(), new CutLayout(layout.permutation(), feed.pair().onnxShape(),
                                reference.shape()));
                        layouts.put(feed.onnx(), Permutation.identity(reference.shape().rank()));
                    } else if (layout.kind() == TensorLayout.Kind.PERMUTED) {
                        layouts.put(feed.onnx(), layout.permutation());
                    }
                    Tensor mapped = layout.toReference(seen.asReal(), feed.pair().onnxShape());
                    yield Tensor.wrap(reference.dtype(), reference.shape(), mapped.data());
                }
            };
            if (feed.source() == IsolationPlan.Source.MODEL_INPUT && bound != null && bound.permutation() != null) {
                layouts.put(feed.onnx(), bound.permutation());
            }
            inputs.put(feed.onnx(), value);
            fedFrom.add(feed.onnx() + " " + value.shape() + " <- " + (tfliteName == null ? "ONNX" : "TFLite '" + tfliteName + "'"));
            // A TFLite tensor that feeds two ONNX inputs is the cut's input once, under the first one's name.
            if (tfliteName != null && !tfliteInputs.containsKey(tfliteName)) {
                tfliteInputs.put(tfliteName, feed.onnx());
                tfliteShapes.put(tfliteName, seen.shape());
            }
        }
        TrailingOffset.Taken offset = TrailingOffset.of(root, plan, evidence, rootLayout);
        String end = offset == null ? root.tflite() : offset.tflite();
        addCopies(tfliteInputs, tfliteShapes, evidence.tflite(), end);
        String onnxEnd = bias == null ? root.onnx() : bias.onnx();
        List<Integer> onnxNodes = new ArrayList<>(plan.nodes());
        if (bias != null) {
            onnxNodes.addAll(bias.nodes());
        }
        Tensor output = valueOf(evidence.onnx(), onnxEnd);
        List<TensorSpec> specs = inputs.entrySet().stream()
                .map(e -> new TensorSpec(e.getKey(), e.getValue().dtype(), e.getValue().shape())).toList();
        TensorSpec outputSpec = new TensorSpec(onnxEnd, output.dtype(), output.shape());
        ModelCut onnx = ModelCuts.onnx(evidence.onnxFile(), onnxNodes, specs, outputSpec);
        // Identity and channels last bind as they are; the cut's output is moved into ONNX layout from any other.
        CutLayout toOnnx = rootLayout == null || bindable(rootLayout) ? null
                : new CutLayout(rootLayout.permutation(), pair.onnxShape(), output.shape());
        // Keyed by the cut's input names: each TFLite input takes the name of the ONNX input it fed.
        Map<String, CutLayout> inputLayouts = new LinkedHashMap<>();
        tfliteInputs.values().stream().distinct().filter(moved::containsKey)
                .forEach(onnxName -> inputLayouts.put(onnxName, moved.get(onnxName)));
        ModelCut tflite = ModelCuts.tflite(evidence.tfliteFile(), end, tfliteInputs, tfliteShapes, inputLayouts,
                toOnnx);
        ReproCounterpart.SameCut counterpart = null;
        if (good != null) {
            // The counterpart has the model's graph with other weights: the same tensor names (an ONNX reference the run
            // rewrote, its If branches inlined or Loops unrolled, numbers its nodes apart from the file).
            List<String> computes = onnxNodes.stream()
                    .map(i -> evidence.onnx().graph().nodes().get(i).outputs().get(0)).toList();
            ModelCut same = good.ref().format() == ModelFormat.ONNX
                    ? ModelCuts.onnxComputing(good, computes, specs, outputSpec)
                    : ModelCuts.tflite(good, end, tfliteInputs, tfliteShapes, inputLayouts, toOnnx);
            if (same instanceof ModelCut.Refused refused) {
                throw new Refusal("the same cut of " + good.ref().path() + " cannot be made: " + refused.reason());
            }
            counterpart = new ReproCounterpart.SameCut(good.ref(), (ModelCut.Model) same);
        }
        return new Cut(model(onnx), model(tflite), inputs, fedFrom, layouts, root, offset, bias, plan != isolated,
                counterpart);
    }

    /**
     * Adds to {@code inputs} the TFLite tensors that hold exactly the values of one of them (a RESHAPE that keeps the
     * shape, a WHILE loop's output and the stack it read from): alignment paired the ONNX tensor with one of the
     * copies, and the TFLite operators of the cut may read another. Each copy is the same input of the cut; the
     * cut's {@code output} never is.
     */
    private static void addCopies(Map<String, String> inputs, Map<String, Shape> shapes, LayerAnalysis.Side tflite,
            String output) {
        Map<Integer, List<String>> byHash = new LinkedHashMap<>();
        for (String name : inputs.keySet()) {
            byHash.computeIfAbsent(Arrays.hashCode(valueOf(tflite, name).data()), h -> new ArrayList<>())
                    .add(name);
        }
        Set<String> constants = tflite.graph().constants();
        Map<String, String> copies = new LinkedHashMap<>();
        tflite.captured().forEach((name, t) -> {
            // The output itself may equal an input: an ADD whose offset the converter dropped adds nothing.
            // A loop body's tensor is no tensor of the main graph, which is all a cut reads.
            if (inputs.containsKey(name) || constants.contains(name) || name.equals(output) || Subgraph.capturedInBody(name)) {
                return;
            }
            for (String fed : byHash.getOrDefault(Arrays.hashCode(t.data()), List.of())) {
                Tensor value = valueOf(tflite, fed);
                if (t.dtype() == value.dtype() && t.shape().equals(value.shape())
                        && Arrays.equals(t.data(), value.data())) {
                    copies.put(name, fed);
                    break;
                }
            }
        });
        copies.forEach((copy, fed) -> {
            inputs.put(copy, inputs.get(fed));
            shapes.put(copy, shapes.get(fed));
        });
    }

    /**
     * The layer whose operators fail alone: the first divergence itself, or, where the converter dropped an operator
     * it should have fused and the divergence is named above it, the first inheritor that fails alone.
     */
    private static LayerResult rootLayer(ParityReport report, FirstDivergence first) throws Refusal {
        List<LayerResult> candidates = new ArrayList<>(List.of(report.layers().get(first.index())));
        for (String heir : first.inherited()) {
            report.layers().stream().filter(l -> l.onnx().equals(heir)).forEach(candidates::add);
        }
        return candidates.stream().filter(l -> l.isolated() != null && l.isolated().isolated() && l.isolated().fails())
                .findFirst().orElseThrow(() -> new Refusal("no layer at the root cause fails when run alone"));
    }

    /**
     * Whether a cut's input or output compared in {@code layout} binds as it is, as any model's does: by its name,
     * under identity or channels last, unit axes aside. Any other layout the TFLite cut reads or writes through
     * TRANSPOSE and RESHAPE operators of its own.
     */
    private static boolean bindable(TensorLayout layout) {
        Permutation p = layout.permutation();
        return layout.kind() != TensorLayout.Kind.FLAT
                && (layout.isIdentity() || (p.rank() >= 3 && p.equals(TensorLayout.channelsLast(p.rank()))));
    }

    private static ModelCut.Model model(ModelCut cut) throws Refusal {
        if (cut instanceof ModelCut.Refused refused) {
            throw new Refusal(refused.reason());
        }
        return (ModelCut.Model) cut;
    }

    private static ReproOutcome writeChecked(Path dir, Cut cut, ParityReport report, VerifyRequest request,
            Runtimes runtimes) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path temp = null;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + "-");
            Files.write(temp.resolve(ONNX), cut.onnx().bytes());
            Files.write(temp.resolve(TFLITE), cut.tflite().bytes());
            try (OutputStream out = Files.newOutputStream(temp.resolve(INPUTS))) {
                NpzWriter.write(out, cut.inputs());
            }
            List<String> command = command(request);
            ParityReport check = new ParityVerifier(runtimes, ProgressListener.NONE)
                    .verify(bundleRequest(temp, request, command));
            OutputResult failing = reproduces(check, cut);
            ReproCounterpart.Passed passing = cut.counterpart() == null ? null
                    : ReproCounterpart.passes(temp, cut, request, command, runtimes);
            Files.writeString(temp.resolve(README), ReproReadme.of(report, cut, failing, passing, command),
                    StandardCharsets.UTF_8);
            long bytes = 0;
            for (String f : FILES) {
                bytes += Files.size(temp.resolve(f));
            }
            ReproFolder.moveIntoPlace(temp, absolute);
            temp = null;
            return new ReproOutcome.Written(dir, bytes, command, passing == null ? null
                    : "the same cut of " + passing.file().path() + " passes (" + ShortNumber.format(passing.error())
                            + " of scale, against " + ShortNumber.format(failing.metrics().normalizedMaxError())
                            + " for the cut in the bundle)");
        } catch (Refusal r) {
            return new ReproOutcome.NotWritten(dir, r.getMessage());
        } catch (ParityException e) {
            // The message names the folder the bundle was built in, gone once this returns.
            String why = temp == null ? e.getMessage() : e.getMessage().replace(temp.toString(), dir.toString());
            return new ReproOutcome.NotWritten(dir, "the cut models do not run: " + why);
        } catch (IOException e) {
            return new ReproOutcome.NotWritten(dir, "cannot write reproducer " + dir + ": " + ReproFolder.reason(e));
        } finally {
            if (temp != null) {
                LitterRemoval.deleteTree(temp);
            }
        }
    }

    /**
     * The bundle's verify, as its command runs it: the cut pair fed from the {@code inputs.npz} written, judged as the
     * run was.
     */
    private static VerifyRequest bundleRequest(Path folder, VerifyRequest request, List<String> command)
            throws BadInputException {
        return bundleRequest(folder.resolve(ONNX), folder.resolve(TFLITE), folder, request, command);
    }

    static VerifyRequest bundleRequest(Path onnx, Path tflite, Path folder, VerifyRequest request,
            List<String> command) throws BadInputException {
        VerifyRequest.Builder bundle = VerifyRequest.of(onnx, tflite)
                .settings(request.models().settings()).tolerances(request.judging().tolerances())
                .invocation(command, List.of());
        NpzReader.read(folder.resolve(INPUTS)).forEach((name, t) -> bundle.source(name,
                new InputSource.Values(t, INPUTS + " entry '" + name + "'")));
        return bundle.build();
    }

    /**
     * The bundle's output when it fails as the run did: its inputs bound in the layouts the run fed, failing on the
     * cut's ONNX tensor with an error within {@link #SAME_ERROR_FACTOR} of what the root's operators added alone in the
     * run ({@link Cut#runError()}); or, for a root that failed by its stored weights, failing by them again.
     */
    private static OutputResult reproduces(ParityReport check, Cut cut) throws Refusal {
        // Shapes alike on both sides ([1,16,16,16]) bind as they are, whatever layout the run fed: the cut would then
        // fail for being fed other values, not for what its operators compute.
        for (InputRecord input : check.inputs()) {
            Permutation fed = cut.layouts().get(input.onnx());
            Permutation bound = input.permutation();
            // Across a rank change (a copy with unit axes squeezed) only the identity is known to be the same order.
            boolean same = fed == null || input.tflite() == null || bound == null
                    || (fed.rank() == bound.rank() ? fed.equals(bound) : fed.isIdentity() && bound.isIdentity());
            if (!same) {
                throw new Refusal("the cut's input '" + input.onnx() + "' binds in layout " + input.permutation()
                        + ", not in " + fed + " as the run fed it");
            }
        }
        OutputResult out = check.outputs().stream().filter(o -> o.onnx().equals(cut.onnxEnd())).findFirst()
                .orElseThrow(() -> new Refusal("the cut models' outputs do not pair '" + cut.onnxEnd() + "' with '"
                        + cut.tfliteEnd() + "'"));
        double alone = cut.runError();
        if (out.metrics() == null) {
            throw new Refusal("the cut models' outputs cannot be compared as the run compared them: " + out.reason());
        }
        if (cut.weightsDiffer()) {
            if (check.verdict() != Verdict.FAIL || check.layers().stream().noneMatch(l -> l.isolated() != null
                    && l.isolated().weights() != null && l.isolated().weights().differs())) {
                throw new Refusal("the cut does not reproduce the failure: its verify does not find the stored weights"
                        + " that differ from the ONNX weights");
            }
            return out;
        }
        if (check.verdict() != Verdict.FAIL || out.verdict() != Verdict.FAIL) {
            throw new Refusal("the cut does not reproduce the failure: run on their own, the cut operators agree ("
                    + ShortNumber.format(out.metrics().normalizedMaxError()) + " of scale, against "
                    + ShortNumber.format(alone) + " in the model)");
        }
        double got = out.metrics().normalizedMaxError();
        if (!(got <= alone * SAME_ERROR_FACTOR && got >= alone / SAME_ERROR_FACTOR)) {
            throw new Refusal("the cut fails with another error: " + ShortNumber.format(got) + " of scale, against "
                    + ShortNumber.format(alone) + " its operators add alone in the model");
        }
        return out;
    }

    /** {@code parity verify} of the bundle, from its folder, with the original command's judging flags. */
    private static List<String> command(VerifyRequest request) {
        List<String> command = new ArrayList<>(List.of("parity", "verify", "--onnx", ONNX, "--tflite", TFLITE,
                "--inputs", INPUTS));
        List<String> original = request.invocation().command();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (JUDGING_FLAGS.contains(flag)) {
                command.add(a);
                if (!a.contains("=") && i + 1 < original.size()) {
                    command.add(original.get(++i));
                }
            }
        }
        return command;
    }

    private static Tensor valueOf(LayerAnalysis.Side side, String name) {
        Tensor t = side.captured().get(name);
        return t != null ? t : side.feeds().get(name);
    }
}
