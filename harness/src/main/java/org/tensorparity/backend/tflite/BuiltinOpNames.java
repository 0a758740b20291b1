package org.tensorparity.backend.tflite;

import java.util.List;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * Names of TFLite builtin operators as the schema spells them ({@code CONV_2D}, {@code TRANSPOSE}).
 *
 * <p>The schema classes we depend on (tensorflow-lite-metadata 0.4.4) stop at code 161 and throw for
 * anything newer, while the 2.21 runtime knows codes up to 209; those names are kept here, checked
 * against the runtime's {@code kTfLiteBuiltin*} constants. Unknown codes become
 * {@code BUILTIN_<code>} rather than an error: a name is for people, the graph stays usable.
 */
final class BuiltinOpNames {
    /** Codes the 0.4.4 schema knows. */
    static final int LAST_SCHEMA_CODE = 161;
    static final int CUSTOM = 32;
    static final int DELEGATE = 51;
    static final int IF = 118;
    static final int WHILE = 119;
    static final int CALL_ONCE = 129;

    private static final List<String> AFTER_SCHEMA = List.of(
            "STABLEHLO_LOGISTIC", // 162
            "STABLEHLO_ADD",
            "STABLEHLO_DIVIDE",
            "STABLEHLO_MULTIPLY",
            "STABLEHLO_MAXIMUM",
            "STABLEHLO_RESHAPE",
            "STABLEHLO_CLAMP",
            "STABLEHLO_CONCATENATE",
            "STABLEHLO_BROADCAST_IN_DIM", // 170
            "STABLEHLO_CONVOLUTION",
            "STABLEHLO_SLICE",
            "STABLEHLO_CUSTOM_CALL",
            "STABLEHLO_REDUCE",
            "STABLEHLO_ABS",
            "STABLEHLO_AND",
            "STABLEHLO_COSINE",
            "STABLEHLO_EXPONENTIAL",
            "STABLEHLO_FLOOR",
            "STABLEHLO_LOG", // 180
            "STABLEHLO_MINIMUM",
            "STABLEHLO_NEGATE",
            "STABLEHLO_OR",
            "STABLEHLO_POWER",
            "STABLEHLO_REMAINDER",
            "STABLEHLO_RSQRT",
            "STABLEHLO_SELECT",
            "STABLEHLO_SUBTRACT",
            "STABLEHLO_TANH",
            "STABLEHLO_SCATTER", // 190
            "STABLEHLO_COMPARE",
            "STABLEHLO_CONVERT",
            "STABLEHLO_DYNAMIC_SLICE",
            "STABLEHLO_DYNAMIC_UPDATE_SLICE",
            "STABLEHLO_PAD",
            "STABLEHLO_IOTA",
            "STABLEHLO_DOT_GENERAL",
            "STABLEHLO_REDUCE_WINDOW",
            "STABLEHLO_SORT",
            "STABLEHLO_WHILE", // 200
            "STABLEHLO_GATHER",
            "STABLEHLO_TRANSPOSE",
            "DILATE",
            "STABLEHLO_RNG_BIT_GENERATOR",
            "REDUCE_WINDOW",
            "STABLEHLO_COMPOSITE",
            "STABLEHLO_SHIFT_LEFT",
            "STABLEHLO_CBRT",
            "STABLEHLO_CASE"); // 209

    private BuiltinOpNames() {
    }

    /** The operator name for a builtin code; custom operators are {@code CUSTOM:<their name>}. */
    static String name(int code, String customName) {
        if (code == CUSTOM && customName != null && !customName.isEmpty()) {
            return "CUSTOM:" + customName;
        }
        if (code >= 0 && code <= LAST_SCHEMA_CODE) {
            return BuiltinOperator.name(code);
        }
        int after = code - LAST_SCHEMA_CODE - 1;
        if (after >= 0 && after < AFTER_SCHEMA.size()) {
            return AFTER_SCHEMA.get(after);
        }
        return "BUILTIN_" + code;
    }

    /** The highest code this class names itself; above it names are {@code BUILTIN_<code>}. */
    static int lastNamedCode() {
        return LAST_SCHEMA_CODE + AFTER_SCHEMA.size();
    }
}
