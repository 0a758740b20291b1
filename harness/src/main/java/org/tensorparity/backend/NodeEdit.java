package org.tensorparity.backend;

import java.util.List;

/**
 * One change to one reference operator for an isolated run: a diagnosis changes one thing at a time and sees whether
 * the operator then computes what the converted one did.
 */
public sealed interface NodeEdit {
    /** The operator, as an index into the model's {@link ModelGraph#nodes()}. */
    int node();

    /**
     * A float attribute set to another value (a BatchNormalization's {@code epsilon}); an attribute the operator lacks
     * is added.
     */
    record FloatAttribute(int node, String attribute, float value) implements NodeEdit {
    }

    /** An int attribute set to another value (a Softmax's {@code axis}); an attribute the operator lacks is added. */
    record IntAttribute(int node, String attribute, long value) implements NodeEdit {
    }

    /** An ints attribute set to other values (a Conv's {@code pads}); an attribute the operator lacks is added. */
    record IntsAttribute(int node, String attribute, List<Long> values) implements NodeEdit {
        public IntsAttribute {
            values = List.copyOf(values);
        }
    }

    /**
     * A string attribute set to another value (a Resize's {@code coordinate_transformation_mode}); an attribute the
     * operator lacks is added.
     */
    record StringAttribute(int node, String attribute, String value) implements NodeEdit {
    }

    /**
     * The operator replaced by another elementwise one ({@code Relu} by {@code Clip} or {@code Identity}) that reads the
     * same first input, then {@code constants} as scalar float inputs of its own ({@code Clip}'s min and max; attributes
     * where the model's opset, below 11, reads them so), and writes the same output; the replaced operator's
     * attributes are dropped.
     */
    record Replace(int node, String opType, List<Float> constants) implements NodeEdit {
        public Replace {
            constants = List.copyOf(constants);
        }
    }

    /**
     * The operator replaced by {@code function} of the tensor {@code input}, written with standard ONNX operators, and
     * writing the same output: a decomposed Swish's {@code Mul} computing a HardSwish of the {@code x} its sigmoid
     * read. The operator's own inputs are no longer read.
     */
    record Function(int node, String input, ActivationFunction function) implements NodeEdit {
    }
}
