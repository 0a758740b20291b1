package org.tensorparity.backend;

/**
 * One float attribute of one reference operator set to another value for an isolated run (a BatchNormalization's
 * {@code epsilon}, a LeakyRelu's {@code alpha}): a diagnosis changes one thing at a time and sees whether the
 * operator then computes what the converted one did.
 *
 * @param node the operator, as an index into the model's {@link ModelGraph#nodes()}
 * @param attribute the attribute's name
 * @param value its new value
 */
public record AttributeEdit(int node, String attribute, float value) {
}
