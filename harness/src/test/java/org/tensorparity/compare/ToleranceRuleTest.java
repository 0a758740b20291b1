package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorparity.model.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToleranceRuleTest {

    @Test
    void theDefaultIsTheScaleRuleAtOneInAThousandForOutputsAndLooserForLayers() {
        assertEquals(new ScaleRule(1e-3, 1e-30), ToleranceRule.defaultRule());
        assertEquals(ToleranceProfile.DEFAULT.rule(), ToleranceRule.defaultRule());
        assertEquals(new Tolerances(new ScaleRule(1e-3, 1e-30), new ScaleRule(5e-3, 1e-30), new ScaleRule(1e-3, 1e-30),
                null, "auto", true), Tolerances.defaults());
        assertEquals(new ScaleRule(0.2, 1e-30, 0, 30), ToleranceProfile.FP16.rule());
        assertEquals(ToleranceProfile.FP16.tolerances(), Tolerances.parse("profile:fp16"));
        assertEquals(Tolerances.defaults(), Tolerances.parse("profile:auto"));
        assertEquals(Tolerances.both(new ElementwiseRule(1e-3, 0)), Tolerances.parse("atol:1e-3"));
    }

    @Test
    void theAutomaticChoiceFollowsThePrecisionAndAGivenProfileStays() {
        Tolerances auto = Tolerances.defaults();
        assertEquals(ToleranceProfile.FP16.rule(), auto.resolve(Precision.FLOAT16_WEIGHTS).outputs());
        assertEquals("fp16", auto.resolve(Precision.FLOAT16_WEIGHTS).profile());
        assertTrue(auto.resolve(Precision.FLOAT16_WEIGHTS).byPrecision(), "still marked as chosen automatically");
        assertEquals(ToleranceProfile.DYNAMIC_RANGE.layerRule(), auto.resolve(Precision.DYNAMIC_RANGE).layers());
        assertEquals("integer", auto.resolve(Precision.INTEGER_16X8_IO).profile());
        assertEquals("default", auto.resolve(Precision.FLOAT32).profile());
        Tolerances given = ToleranceProfile.DEFAULT.tolerances();
        assertEquals(given, given.resolve(Precision.INTEGER), "a named profile is not replaced");
        Tolerances custom = Tolerances.both(new ElementwiseRule(1e-3, 0));
        assertEquals(custom, custom.resolve(Precision.FLOAT16_WEIGHTS));
        assertThrows(IllegalArgumentException.class, () -> Tolerances.parse("profile:int4"));
    }

    @Test
    void aBoundedRangeRaisesTheScaleOfSmallValuesOnly() {
        ToleranceRule sigmoid = Tolerances.forRange(ToleranceRule.defaultRule(), 1.0);
        assertEquals(1e-3 + 1e-30, sigmoid.absoluteAllowance(9e-6), "a saturated sigmoid is measured against 1");
        assertEquals(1e-3 * 2 + 1e-30, sigmoid.absoluteAllowance(2), "larger values against themselves");
        assertEquals("max |a-b| <= 0.001 x max(max|ref|, 1) (floor 1e-30)", sigmoid.describe());
        assertEquals(new ScaleRule(1e-3, 1e-30, 1), ToleranceRule.parse("scale:1e-3,minscale:1"));
        ElementwiseRule e = new ElementwiseRule(1e-5, 0);
        assertEquals(e, Tolerances.forRange(e, 1.0), "an elementwise rule already has its own floor");
    }

    @Test
    void rulesReduceToOneBoundPerElement() {
        ScaleRule s = ScaleRule.of(1e-4);
        assertEquals(1e-4 * 12.5 + 1e-30, s.absoluteAllowance(12.5));
        assertEquals(0.0, s.relativeAllowance());
        ElementwiseRule e = new ElementwiseRule(1e-3, 1e-2);
        assertEquals(1e-3, e.absoluteAllowance(12.5));
        assertEquals(1e-2, e.relativeAllowance());
    }

    @Test
    void idsAndDescriptions() {
        assertEquals("scale", ToleranceRule.defaultRule().id());
        assertEquals("max |a-b| <= 0.001 x max|ref| (floor 1e-30)", ToleranceRule.defaultRule().describe());
        assertEquals("max |a-b| <= 0.2 x max|ref| and SQNR >= 30 dB (floor 1e-30)", ToleranceProfile.FP16.rule().describe());
        ElementwiseRule e = new ElementwiseRule(1e-5, 0.001);
        assertEquals("elementwise", e.id());
        assertEquals("|a-b| <= 1e-5 + 0.001 x |ref| at every element", e.describe());
    }

    @Test
    void parsesEveryForm() {
        assertEquals(new ScaleRule(1e-3, ScaleRule.DEFAULT_FLOOR), ToleranceRule.parse("scale:1e-3"));
        assertEquals(new ScaleRule(1e-3, 1e-20), ToleranceRule.parse(" scale: 1e-3 , floor:1e-20 "));
        assertEquals(new ElementwiseRule(1e-3, 0), ToleranceRule.parse("atol:1e-3"));
        assertEquals(new ElementwiseRule(0, 0.01), ToleranceRule.parse("rtol:0.01"));
        assertEquals(new ElementwiseRule(1e-3, 1e-2), ToleranceRule.parse("atol:1e-3,rtol:1e-2"));
        assertEquals(new ElementwiseRule(1e-3, 1e-2), ToleranceRule.parse("RTOL:1e-2,ATOL:1e-3"));
        assertEquals(ToleranceProfile.FP16.rule(), ToleranceRule.parse("profile:fp16"));
        assertEquals(ToleranceProfile.DEFAULT.rule(), ToleranceRule.parse("profile:DEFAULT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "1e-3", "atol=1e-3", "atol:abc", "atol:-1", "atol:NaN", "scale:Infinity",
            "tol:1e-3", "atol:1e-3,atol:1e-4", "scale:1e-3,atol:1e-3", "floor:1e-9", "profile:fp32",
            "profile:fp16,scale:1", "atol:1e-3,"})
    void rejectsBadTextWithAOneLineMessageNamingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToleranceRule.parse(text));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        if (!text.isBlank()) {
            assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        }
    }

    @Test
    void rejectsInvalidAllowancesInConstructors() {
        assertThrows(IllegalArgumentException.class, () -> ScaleRule.of(-1e-4));
        assertThrows(IllegalArgumentException.class, () -> new ScaleRule(1e-4, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ElementwiseRule(Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new ElementwiseRule(0, -0.1));
    }

    @Test
    void profilesByName() {
        assertEquals(ToleranceProfile.FP16, ToleranceProfile.fromId("FP16"));
        assertEquals("default", ToleranceProfile.DEFAULT.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToleranceProfile.fromId("bf16"));
        assertEquals("unknown tolerance profile 'bf16'; expected auto, default, fp16, dynamic-range or integer", e.getMessage());
    }

    @Test
    void verdictIds() {
        assertEquals("pass", Verdict.PASS.id());
        assertEquals("fail", Verdict.FAIL.id());
    }
}
