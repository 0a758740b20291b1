package org.tensorparity.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.align.OpFamily;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.result.LayerResult;
import org.tensorparity.text.ShortName;

/**
 * The layer that lost an operator the converter should have fused into it. A converter that drops a bias Add after
 * a MatMul, or the shift of a BatchNormalization after a Conv, leaves a TFLite tensor that holds the ONNX values from
 * before the dropped operator: alignment pairs the two there, where they agree, and the divergence first shows in
 * the layer after, whose operators run alone include the dropped one. The pair that lost it is where the converter
 * went wrong.
 *
 * <p>Recognised when, walking up from the root's ONNX tensor, an operator that folds into its producer (an Add, Sub,
 * Mul or Div with a constant, a BatchNormalization) has no aligned output, while its data input is aligned to a TFLite
 * tensor of the same operator family as that input's ONNX producer (ONNX MatMul and TFLite FULLY_CONNECTED) and is
 * read by nothing else: in a faithful conversion that TFLite operator fuses the fold, and its output pairs with the
 * fold's output instead.
 */
final class DroppedFold {
    /** How far up from the root to look: a fused chain holds a handful of operators. */
    private static final int MAX_HOPS = 8;

    /**
     * @param pairIndex index into the layers of the pair that lost the fold
     * @param fold the dropped operator, in words ({@code Add 'biased_tensor_name'})
     */
    record Found(int pairIndex, String fold) {
    }

    private DroppedFold() {
    }

    static Optional<Found> above(LayerResult root, List<LayerResult> layers, ModelGraph onnx, ModelGraph tflite) {
        Map<String, GraphNode> producers = new HashMap<>();
        Map<String, Integer> readers = new HashMap<>();
        for (GraphNode n : onnx.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
            n.inputs().forEach(i -> readers.merge(i, 1, Integer::sum));
        }
        Map<String, Integer> aligned = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            aligned.putIfAbsent(layers.get(i).onnx(), i);
        }
        Set<String> constants = onnx.constants();
        GraphNode node = producers.get(root.onnx());
        for (int hop = 0; node != null && hop < MAX_HOPS; hop++) {
            List<String> data = node.inputs().stream().filter(i -> !constants.contains(i)).toList();
            if (data.size() != 1) {
                return Optional.empty();
            }
            String input = data.get(0);
            Integer pair = aligned.get(input);
            boolean fold = OpFamily.foldsIntoProducer(node.opType()) && node.inputs().size() > data.size();
            if (pair != null) {
                boolean ownedByFold = readers.getOrDefault(input, 0) == 1;
                boolean foldUnaligned = node.outputs().stream().noneMatch(aligned::containsKey);
                if (!fold || !ownedByFold || !foldUnaligned || keptOnTflite(layers.get(pair).tflite(), node, tflite)) {
                    return Optional.empty();
                }
                int computing = throughViews(pair, layers, producers, aligned, constants);
                LayerResult p = layers.get(computing);
                GraphNode producer = producers.get(p.onnx());
                return producer != null && !OpFamily.layoutOnly(p.tfliteOp())
                        && OpFamily.compatible(producer.opType(), p.tfliteOp())
                        ? Optional.of(new Found(computing, node.opType() + " " + ShortName.quoted(node.name().isEmpty()
                                ? node.outputs().get(0) : node.name())))
                        : Optional.empty();
            }
            node = producers.get(input);
        }
        return Optional.empty();
    }

    /** Whether a TFLite operator of the fold's kind reads the tensor: the converter kept the fold as its own step. */
    private static boolean keptOnTflite(String tensor, GraphNode fold, ModelGraph tflite) {
        return tflite.nodes().stream().anyMatch(n -> n.inputs().contains(tensor) && OpFamily.compatible(fold.opType(), n.opType()));
    }

    /**
     * From a pair whose operators only move values (a Reshape after the MatMul a bias should follow), up to the
     * aligned pair that computed them; the pair itself when it computes.
     */
    private static int throughViews(int pair, List<LayerResult> layers, Map<String, GraphNode> producers,
            Map<String, Integer> aligned, Set<String> constants) {
        int at = pair;
        for (int hop = 0; hop < MAX_HOPS && OpFamily.layoutOnly(layers.get(at).tfliteOp()); hop++) {
            GraphNode view = producers.get(layers.get(at).onnx());
            if (view == null || !OpFamily.layoutOnly(view.opType())) {
                break;
            }
            List<String> data = view.inputs().stream().filter(i -> !constants.contains(i)).toList();
            Integer up = data.size() == 1 ? aligned.get(data.get(0)) : null;
            if (up == null) {
                break;
            }
            at = up;
        }
        return at;
    }
}
