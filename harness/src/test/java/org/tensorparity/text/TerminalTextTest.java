package org.tensorparity.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void fusedNamesWithOnePrefixStayApartInATable() {
        String a = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1";
        String b = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_7/Conv2D1";
        // Before, both read "model/batch_normalization_6/Fus~".
        assertNotEquals(TerminalText.clip(a, 32), TerminalText.clip(b, 32));
        assertEquals(32, TerminalText.clip(a, 32).length());
        assertTrue(TerminalText.clip(a, 32).endsWith("conv2d_6/Conv2D1"), TerminalText.clip(a, 32));
    }

    @Test
    void controlCharactersNeverReachTheTerminal() {
        assertEquals("a?[31mb", TerminalText.clip("a\u001b[31mb", 32));
    }
}
