package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * A converted pair built in memory: an ONNX-style chain of Conv -> BatchNormalization -> Relu blocks and
 * the TFLite-style graph a converter makes of it (one fused NHWC CONV_2D per block, TRANSPOSE at both
 * boundaries, converter names). Values are real arithmetic on random data, so fingerprints behave as in a
 * real model. Used by alignment tests and the alignment benchmark.
 */
public final class SyntheticGraphs {
    /** One side of a pair: its graph and every tensor it captured. */
    public record Side(ModelGraph graph, Map<String, Tensor> captured, Map<String, Tensor> inputs) {
    }

    /** Both sides, with the ONNX block outputs ({@code Relu_k}) each TFLite conv must pair with. */
    public record Pair(Side onnx, Side tflite, List<String> onnxBlockOutputs, List<String> tfliteBlockOutputs) {
        /** How binding paired the model inputs: the TFLite input is the ONNX one, unchanged. */
        public List<BoundTensor> boundInputs() {
            return List.of(new BoundTensor("input", "serving_default_input:0", TensorLayout.identity(4)));
        }
    }

    private SyntheticGraphs() {
    }

    /**
     * @param blocks number of Conv->BN->Relu blocks (3 ONNX layers each)
     * @param brokenBlock index of the block whose TFLite values are scrambled, or -1
     * @param channelBase varies the shapes; two pairs with different bases are different networks
     */
    public static Pair chain(int blocks, int brokenBlock, int channelBase, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GraphNode> onnxNodes = new ArrayList<>();
        List<GraphNode> tfliteNodes = new ArrayList<>();
        Map<String, Tensor> onnxValues = new LinkedHashMap<>();
        Map<String, Tensor> tfliteValues = new LinkedHashMap<>();
        Set<String> onnxConstants = new HashSet<>();
        Set<String> tfliteConstants = new HashSet<>();
        List<String> onnxBlocks = new ArrayList<>();
        List<String> tfliteBlocks = new ArrayList<>();

        String onnxIn = "input";
        String tfliteIn = "serving_default_input:0";
        tfliteNodes.add(new GraphNode(0, "", "TRANSPOSE", List.of(tfliteIn, "perm"), List.of("transpose_in")));
        tfliteConstants.add("perm");
        Shape inputShape = Shape.of(1, channelBase, 4, 4);
        Tensor input = Tensor.of(inputShape, randomValues(random, (int) inputShape.elementCount(), 1.0));
        tfliteValues.put("transpose_in", org.tensorparity.tensor.TensorPermuter.permute(input, Permutation.NCHW_TO_NHWC));
        String onnxPrev = onnxIn;
        String tflitePrev = "transpose_in";
        for (int k = 0; k < blocks; k++) {
            int c = channelBase + (k % 5) * 4;
            Shape nchw = Shape.of(1, c, 4, 4);
            float[] conv = randomValues(random, (int) nchw.elementCount(), 1.0);
            float[] bn = new float[conv.length];
            float[] relu = new float[conv.length];
            double gamma = 0.5 + random.nextDouble();
            double beta = random.nextDouble() - 0.5;
            for (int i = 0; i < conv.length; i++) {
                bn[i] = (float) (gamma * conv[i] + beta);
                relu[i] = Math.max(0, bn[i]);
            }
            String convOut = "conv_" + k;
            String bnOut = "bn_" + k;
            String reluOut = "relu_" + k;
            onnxNodes.add(node(onnxNodes.size(), "Conv_" + (3 * k), "Conv", List.of(onnxPrev, "w" + k, "b" + k), convOut));
            onnxNodes.add(node(onnxNodes.size(), "BatchNormalization_" + (3 * k + 1), "BatchNormalization",
                    List.of(convOut, "s" + k, "o" + k, "m" + k, "v" + k), bnOut));
            onnxNodes.add(node(onnxNodes.size(), "Relu_" + (3 * k + 2), "Relu", List.of(bnOut), reluOut));
            onnxConstants.addAll(List.of("w" + k, "b" + k, "s" + k, "o" + k, "m" + k, "v" + k));
            onnxValues.put(convOut, Tensor.of(nchw, conv));
            onnxValues.put(bnOut, Tensor.of(nchw, bn));
            onnxValues.put(reluOut, Tensor.of(nchw, relu));
            onnxBlocks.add(reluOut);

            float[] converted = relu.clone();
            if (k == brokenBlock) {
                for (int i = 0; i < converted.length; i++) {
                    converted[i] = relu[(i * 7 + 3) % relu.length] * 1.5f;
                }
            }
            for (int i = 0; i < converted.length; i++) {
                converted[i] += (float) ((random.nextDouble() - 0.5) * 1e-6);
            }
            Tensor nhwc = org.tensorparity.tensor.TensorPermuter.permute(Tensor.of(nchw, converted), Permutation.NCHW_TO_NHWC);
            String tfliteOut = "onnx_tf_prefix_Conv_" + (3 * k) + ";onnx_tf_prefix_Relu_" + (3 * k + 2);
            tfliteNodes.add(node(tfliteNodes.size(), "", "CONV_2D", List.of(tflitePrev, "filter" + k, "bias" + k), tfliteOut));
            tfliteConstants.addAll(List.of("filter" + k, "bias" + k));
            tfliteValues.put(tfliteOut, nhwc);
            tfliteBlocks.add(tfliteOut);
            onnxPrev = reluOut;
            tflitePrev = tfliteOut;
        }
        tfliteNodes.add(node(tfliteNodes.size(), "", "TRANSPOSE", List.of(tflitePrev, "perm_out"), "transpose_out"));
        tfliteConstants.add("perm_out");
        tfliteValues.put("transpose_out", org.tensorparity.tensor.TensorPermuter.permute(
                tfliteValues.get(tflitePrev), Permutation.NHWC_TO_NCHW));

        Side onnx = new Side(new ModelGraph(onnxNodes, onnxConstants, List.of()), onnxValues, Map.of(onnxIn, input));
        Side tflite = new Side(new ModelGraph(tfliteNodes, tfliteConstants,
                Map.of("perm", new long[] {0, 2, 3, 1}, "perm_out", new long[] {0, 3, 1, 2}), List.of()), tfliteValues,
                Map.of(tfliteIn, input));
        return new Pair(onnx, tflite, onnxBlocks, tfliteBlocks);
    }

    private static GraphNode node(int index, String name, String op, List<String> inputs, String output) {
        return new GraphNode(index, name, op, inputs, List.of(output));
    }

    private static float[] randomValues(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
