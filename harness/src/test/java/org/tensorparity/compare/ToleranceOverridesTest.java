package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToleranceOverridesTest {

    @Test
    void globsMatchWholeNames() {
        NameGlob conv = new NameGlob("conv*");
        assertTrue(conv.matches("conv"));
        assertTrue(conv.matches("conv1"));
        assertTrue(conv.matches("conv_r1/BiasAdd;onnx_tf_prefix_Relu_2"));
        assertFalse(conv.matches("my_conv1"));
        assertFalse(conv.matches(null));

        NameGlob layer = new NameGlob("layer?");
        assertTrue(layer.matches("layer1"));
        assertFalse(layer.matches("layer10"));
        assertFalse(layer.matches("layer"));

        assertTrue(new NameGlob("*:0").matches("StatefulPartitionedCall:0"));
        assertFalse(new NameGlob("*:0").matches("StatefulPartitionedCall:01"));
        assertTrue(new NameGlob("*Relu*").matches("MatMul;onnx_tf_prefix_Relu_2;add"));
        assertTrue(new NameGlob("a*b*c").matches("abbbc"));
        assertFalse(new NameGlob("a*b*c").matches("abbbcd"));
        assertTrue(new NameGlob("*").matches(""));
        assertTrue(new NameGlob("**?").matches("x"));
        assertTrue(new NameGlob("exact").matches("exact"));
        assertFalse(new NameGlob("exact").matches("Exact"));
    }

    @Test
    void backslashMakesWildcardsLiteral() {
        NameGlob literal = new NameGlob("what\\?");
        assertTrue(literal.matches("what?"));
        assertFalse(literal.matches("whatX"));
        assertTrue(new NameGlob("a\\*").matches("a*"));
        assertFalse(new NameGlob("a\\*").matches("ab"));
        assertTrue(new NameGlob("a\\\\*").matches("a\\anything"));
        assertThrows(IllegalArgumentException.class, () -> new NameGlob("oops\\"));
        assertThrows(IllegalArgumentException.class, () -> new NameGlob(""));
    }

    @Test
    void theFirstMatchingOverrideWinsAndEitherNameCanMatch() {
        ToleranceOverrides o = ToleranceOverrides.parse(List.of(
                "conv_r1*=scale:1e-3",
                "conv*=atol:1e-3,rtol:1e-2",
                "StatefulPartitionedCall:0=profile:fp16"));
        assertEquals(Optional.of(ScaleRule.of(1e-3)), o.ruleFor("conv_r1", "whatever"));
        assertEquals(Optional.of(new ElementwiseRule(1e-3, 1e-2)), o.ruleFor("conv_cls1", null));
        assertEquals(Optional.of(ToleranceProfile.FP16.rule()), o.ruleFor("r1_kernel_raw", "StatefulPartitionedCall:0"));
        assertEquals(Optional.empty(), o.ruleFor("relu1", "onnx_tf_prefix_Relu_1"));
        assertEquals(ToleranceRule.defaultRule(), o.ruleFor(null, null).orElse(ToleranceRule.defaultRule()));
        assertEquals(Optional.of(o.entries().get(1)), o.match(null, "conv2/BiasAdd"));
        assertEquals(3, o.entries().size());
        assertFalse(o.isEmpty());
    }

    @Test
    void noOverridesMatchNothing() {
        assertEquals(Optional.empty(), ToleranceOverrides.none().ruleFor("a", "b"));
        assertTrue(ToleranceOverrides.none().isEmpty());
        assertTrue(ToleranceOverrides.parse(List.of()).entries().isEmpty());
    }

    @Test
    void theFlagFormSplitsAtTheLastEqualsSign() {
        ToleranceOverride o = ToleranceOverride.parse("a=b*=atol:1e-3");
        assertEquals("a=b*", o.glob().pattern());
        assertTrue(o.appliesTo("a=bc", null));
        assertEquals("a=b*=|a-b| <= 0.001 + 0 x |ref| at every element", o.toString());
    }

    @Test
    void parseErrorsAreOneLineAndNameTheBadText() {
        assertMessage("tolerance override 'conv*' is not GLOB=RULE (e.g. conv*=scale:1e-3 or conv*=atol:1e-3,rtol:1e-2)",
                "conv*");
        assertMessage("tolerance override '=atol:1e-3' has no name glob before '='", "=atol:1e-3");
        assertMessage("tolerance override 'conv*=atol:x': tolerance rule 'atol:x': atol 'x' is not a number", "conv*=atol:x");
        assertMessage("tolerance override 'conv*=tol:1': tolerance rule 'tol:1': unknown key 'tol' (keys: scale, floor, minscale, sqnr, atol, rtol, profile)",
                "conv*=tol:1");
        assertMessage("tolerance override 'x\\=scale:1': name glob 'x\\' ends with a lone backslash", "x\\=scale:1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToleranceOverrides.parse(List.of("ok*=scale:1e-3", "bad")));
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToleranceOverride.parse(text));
        assertEquals(expected, e.getMessage());
    }
}
