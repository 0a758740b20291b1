package org.tensorparity.bench;

import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.HtmlReportWriter;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.VerifyRequest;

/**
 * Rendering the HTML report of a full-size pair next to the two inferences it reports on (issue 4: well
 * under them), with the page's size (issue 4: under 5 MB). The first render in the process includes
 * compiling the template, loading its classes and running them interpreted, which every
 * {@code parity verify} pays once; the steady figure is what rendering itself costs.
 */
final class ReportRenderBench {
    private static final int RUNS = 3;
    /** Renders after the first; the steady figure is the median of the second half, once the JIT has compiled. */
    private static final int RENDERS = 40;

    private ReportRenderBench() {
    }

    static void run(PrintStream out, List<FixturePair> pairs) throws Exception {
        for (FixturePair pair : pairs) {
            double[] inference = new double[RUNS];
            ParityReport report = null;
            for (int i = 0; i < RUNS; i++) {
                report = new ParityVerifier().verify(VerifyRequest.of(pair.onnx(), pair.tflite())
                        .tolerances(Tolerances.defaults()).invocation(List.of("bench"), List.of()).build());
                inference[i] = report.timings().onnxInferenceMs() + report.timings().tfliteInferenceMs();
            }
            HtmlReportWriter writer = new HtmlReportWriter();
            long t0 = System.nanoTime();
            String html = render(writer, report);
            double first = (System.nanoTime() - t0) / 1e6;
            double[] renders = new double[RENDERS];
            for (int i = 0; i < RENDERS; i++) {
                long t = System.nanoTime();
                render(writer, report);
                renders[i] = (System.nanoTime() - t) / 1e6;
            }
            double steady = Bench.median(Arrays.copyOfRange(renders, RENDERS / 2, RENDERS));
            double twoInferences = Bench.median(inference);
            out.printf(Locale.ROOT, "  %-22s %3d layers | HTML %4.0f kB | render: first %6.1f ms, steady %5.1f ms | two"
                    + " inferences %6.1f ms | render / inferences: first %4.0f%%, steady %3.0f%%%n", pair.name(),
                    report.layers().size(), html.getBytes(StandardCharsets.UTF_8).length / 1e3, first, steady, twoInferences,
                    100 * first / twoInferences, 100 * steady / twoInferences);
        }
    }

    private static String render(HtmlReportWriter writer, ParityReport report) throws Exception {
        StringWriter out = new StringWriter();
        writer.render(report, out);
        return out.toString();
    }

}
