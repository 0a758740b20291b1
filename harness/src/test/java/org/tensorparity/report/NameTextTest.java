package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.text.ShortName;

/** Where the HTML report lets a name wrap, and how its tables cut one. */
class NameTextTest {

    @Test
    void aNameBreaksOnlyAfterItsScopeAndFusionSeparators() {
        assertEquals(List.of("model/", "batch_normalization_6/", "FusedBatchNormV3;", "model/", "conv2d_6/", "Conv2D1"),
                NameText.whole("model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1").parts());
        assertEquals(List.of("StatefulPartitionedCall:0"), NameText.whole("StatefulPartitionedCall:0").parts());
        assertEquals(List.of("/"), NameText.whole("/").parts(), "no empty part after a trailing separator");
        assertEquals(List.of(""), NameText.whole("").parts());
    }

    @Test
    void aTableCutsAsEveryFormatCutsAndBreaksAfterTheCut() {
        String fused = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1";
        NameText cut = NameText.shortened(fused, 32);
        assertEquals(fused, cut.full(), "the title keeps the whole name");
        assertEquals(ShortName.of(fused, 32, "…"), String.join("", cut.parts()));
        assertEquals(List.of("model/", "bat…", "model/", "conv2d_6/", "Conv2D1"), cut.parts());
        assertEquals(List.of("short"), NameText.shortened("short", 32).parts());
    }
}
