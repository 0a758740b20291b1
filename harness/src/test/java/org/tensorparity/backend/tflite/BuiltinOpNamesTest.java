package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.junit.jupiter.api.Test;

/** Operator names, including the codes the 0.4.4 schema classes do not know. */
class BuiltinOpNamesTest {

    @Test
    void namesSchemaOperators() {
        assertEquals("CONV_2D", BuiltinOpNames.name(3, null));
        assertEquals("MAX_POOL_2D", BuiltinOpNames.name(17, null));
        assertEquals("TRANSPOSE", BuiltinOpNames.name(39, null));
        assertEquals("RIGHT_SHIFT", BuiltinOpNames.name(161, null));
    }

    @Test
    void namesNewerOperatorsAsTheRuntimeDoes() throws IllegalAccessException {
        // The runtime's kTfLiteBuiltinStablehloBroadcastInDim is the schema's STABLEHLO_BROADCAST_IN_DIM.
        Map<Integer, String> runtime = new TreeMap<>();
        for (Field field : tensorflowlite.class.getFields()) {
            if (field.getName().startsWith("kTfLiteBuiltin") && field.getType() == int.class
                    && Modifier.isStatic(field.getModifiers())) {
                int code = field.getInt(null);
                if (code > BuiltinOpNames.LAST_SCHEMA_CODE) {
                    String camel = field.getName().substring("kTfLiteBuiltin".length());
                    runtime.put(code, camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase());
                }
            }
        }
        for (Map.Entry<Integer, String> e : runtime.entrySet()) {
            assertEquals(e.getValue(), BuiltinOpNames.name(e.getKey(), null), "code " + e.getKey());
        }
        assertEquals(BuiltinOpNames.lastNamedCode(), runtime.keySet().stream().mapToInt(i -> i).max().orElseThrow(),
                "every code this runtime knows has a name");
    }

    @Test
    void fallsBackForUnknownCodesAndNamesCustomOperators() {
        assertEquals("BUILTIN_999", BuiltinOpNames.name(999, null));
        assertEquals("CUSTOM:FlexConv2D", BuiltinOpNames.name(32, "FlexConv2D"));
        assertEquals("CUSTOM", BuiltinOpNames.name(32, null));
    }
}
