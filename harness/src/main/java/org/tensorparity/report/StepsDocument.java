package org.tensorparity.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.JsonFields.BadDocument;
import org.tensorparity.result.StateFeedback;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;

/**
 * The {@code streaming} object of a verify report (a streaming run, {@code --steps}), written and read field by field in
 * the schema's order, writer beside reader as in {@link ReportDocument}, which calls it.
 */
final class StepsDocument {
    private StepsDocument() {
    }

    static void write(JsonGenerator g, StepSeries s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("steps", s.steps());
        g.writeArrayFieldStart("feedback");
        for (StateFeedback f : s.feedback()) {
            g.writeStartObject();
            g.writeStringField("onnxOutput", f.onnxOutput());
            g.writeStringField("onnxInput", f.onnxInput());
            g.writeStringField("tfliteOutput", f.tfliteOutput());
            g.writeStringField("tfliteInput", f.tfliteInput());
            g.writeStringField("foundBy", f.foundBy());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("inputs");
        for (String line : s.inputs()) {
            g.writeString(line);
        }
        g.writeEndArray();
        g.writeStringField("verdict", verdictId(s.verdict()));
        g.writeNumberField("worstStep", s.worstStep());
        writeInt(g, "firstFailingStep", s.firstFailingStep());
        g.writeNumberField("layerStep", s.layerStep());
        g.writeNumberField("ms", s.ms());
        g.writeArrayFieldStart("tracks");
        for (StepTrack t : s.tracks()) {
            g.writeStartObject();
            g.writeStringField("onnx", t.onnx());
            g.writeStringField("tflite", t.tflite());
            g.writeStringField("feeds", t.feeds());
            g.writeStringField("verdict", verdictId(t.verdict()));
            g.writeNumberField("scale", t.scale());
            g.writeFieldName("relativeTolerance");
            if (t.relativeTolerance() == null) {
                g.writeNull();
            } else {
                g.writeNumber(t.relativeTolerance());
            }
            g.writeNumberField("worstStep", t.worstStep());
            writeInt(g, "firstFailingStep", t.firstFailingStep());
            g.writeNumberField("failingSteps", t.failingSteps());
            g.writeArrayFieldStart("maxAbs");
            for (double v : t.maxAbs()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static StepSeries read(JsonFields f) throws BadDocument {
        return new StepSeries(f.requiredInt("steps"), f.requiredList("feedback", StepsDocument::readFeedback),
                f.requiredTexts("inputs"), f.requiredList("tracks", StepsDocument::readTrack), f.requiredInt("worstStep"),
                f.optionalInt("firstFailingStep"), f.requiredInt("layerStep"), verdict(f), f.requiredReal("ms"));
    }

    private static StateFeedback readFeedback(JsonFields f) throws BadDocument {
        return new StateFeedback(f.requiredText("onnxOutput"), f.requiredText("onnxInput"), f.requiredText("tfliteOutput"),
                f.requiredText("tfliteInput"), f.requiredText("foundBy"));
    }

    private static StepTrack readTrack(JsonFields f) throws BadDocument {
        return new StepTrack(f.requiredText("onnx"), f.requiredText("tflite"), f.optionalText("feeds"),
                f.requiredReal("scale"), f.optionalReal("relativeTolerance"), f.requiredReals("maxAbs"), f.requiredInt("worstStep"),
                f.optionalInt("firstFailingStep"), f.requiredInt("failingSteps"), verdict(f));
    }

    private static Verdict verdict(JsonFields f) throws BadDocument {
        return f.requiredEnum("verdict", Verdict.values(), StepsDocument::verdictId);
    }

    private static void writeInt(JsonGenerator g, String name, Integer value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }

    private static String verdictId(Verdict v) {
        return switch (v) {
            case PASS -> "pass";
            case FAIL -> "fail";
        };
    }
}
