package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;

/**
 * Which ONNX outputs a streaming model feeds back as which of its inputs. Given pairs ({@code --feedback OUT=IN})
 * are taken as they are; otherwise an output is a state when exactly one input past the first has its type and a
 * shape it fits, preferring an input whose name it carries ({@code state} and {@code stateN}, {@code h_in} and
 * {@code h_out}). The first input is never inferred to be a state: streaming models take the signal first (DTLN's
 * magnitude frame, silero-vad's audio) and a denoiser's output has the shape of its input frame, so shape alone
 * would feed the answer back as the next frame.
 */
public final class StateLinks {
    /** What an output's normalized name adds to its input's: silero-vad's {@code stateN}, {@code h_out} of {@code h}. */
    private static final List<String> STATE_SUFFIXES = List.of("n", "out", "new", "next");

    private StateLinks() {
    }

    /**
     * @param inputs the ONNX inputs, in model order
     * @param inputShapes the shape each input runs with (its dynamic dimensions settled)
     * @param outputs the ONNX outputs, in model order
     * @param given the pairs given by hand, output to input; inference when empty
     * @throws BadInputException when a given pair names no output or input of the model, or when none is given and
     *     none can be inferred (the message lists what was considered)
     */
    public static List<StateLink> find(List<TensorSpec> inputs, Map<String, Shape> inputShapes,
            List<TensorSpec> outputs, Map<String, String> given) throws BadInputException {
        if (!given.isEmpty()) {
            return checked(inputs, outputs, given);
        }
        Map<String, StateLink> byInput = new LinkedHashMap<>();
        Set<String> contested = new LinkedHashSet<>();
        for (TensorSpec out : outputs) {
            List<TensorSpec> fitting = new ArrayList<>();
            for (int i = 1; i < inputs.size(); i++) {
                TensorSpec in = inputs.get(i);
                if (in.dtype() == out.dtype() && out.shape().accepts(inputShapes.getOrDefault(in.name(), in.shape()))) {
                    fitting.add(in);
                }
            }
            List<TensorSpec> named = fitting.stream().filter(in -> namedAfter(out.name(), in.name())).toList();
            StateLink link = named.size() == 1 ? new StateLink(out.name(), named.get(0).name(), "name")
                    : named.isEmpty() && fitting.size() == 1 ? new StateLink(out.name(), fitting.get(0).name(), "shape")
                    : null;
            if (link == null) {
                continue;
            }
            StateLink before = byInput.get(link.input());
            if (before == null && !contested.contains(link.input())) {
                byInput.put(link.input(), link);
            } else if (before != null && before.foundBy().equals("shape") && link.foundBy().equals("name")) {
                byInput.put(link.input(), link);
            } else if (before == null || before.foundBy().equals(link.foundBy())) {
                // Two outputs fit one input equally well: which one is the state is for --feedback to say.
                byInput.remove(link.input());
                contested.add(link.input());
            }
        }
        if (byInput.isEmpty()) {
            throw new BadInputException("--steps: no state pair found: no ONNX output has the type and shape of an"
                    + " input past the first (outputs " + listed(outputs, Map.of()) + "; inputs " + listed(inputs,
                            inputShapes) + (contested.isEmpty() ? "" : "; fitting more than one output: "
                                    + String.join(", ", contested)) + "); name them with --feedback OUTPUT=INPUT");
        }
        return List.copyOf(byInput.values());
    }

    private static List<StateLink> checked(List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, String> given)
            throws BadInputException {
        List<StateLink> links = new ArrayList<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (outputs.stream().noneMatch(o -> o.name().equals(e.getKey()))) {
                throw new BadInputException("--feedback " + e.getKey() + "=" + e.getValue() + ": the ONNX model has no"
                        + " output '" + e.getKey() + "' (outputs: " + names(outputs) + ")");
            }
            if (inputs.stream().noneMatch(i -> i.name().equals(e.getValue()))) {
                throw new BadInputException("--feedback " + e.getKey() + "=" + e.getValue() + ": the ONNX model has no"
                        + " input '" + e.getValue() + "' (inputs: " + names(inputs) + ")");
            }
            if (links.stream().anyMatch(l -> l.input().equals(e.getValue()))) {
                throw new BadInputException("--feedback " + e.getKey() + "=" + e.getValue() + ": input '"
                        + e.getValue() + "' is fed back from two outputs");
            }
            links.add(new StateLink(e.getKey(), e.getValue(), "flag"));
        }
        return links;
    }

    static boolean namedAfter(String output, String input) {
        String out = NameNormalizer.normalize(output);
        String in = NameNormalizer.normalize(input);
        if (in.isEmpty() || out.equals(in)) {
            return false;
        }
        if (out.startsWith(in) && STATE_SUFFIXES.contains(out.substring(in.length()))) {
            return true;
        }
        return in.endsWith("in") && out.equals(in.substring(0, in.length() - 2) + "out");
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", "));
    }

    private static String listed(List<TensorSpec> specs, Map<String, Shape> shapes) {
        return specs.stream().map(s -> s.name() + " " + s.dtype().name().toLowerCase(java.util.Locale.ROOT)
                + shapes.getOrDefault(s.name(), s.shape())).collect(Collectors.joining(", "));
    }
}
