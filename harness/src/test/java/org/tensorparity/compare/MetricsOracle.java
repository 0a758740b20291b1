package org.tensorparity.compare;

/**
 * The definitions of {@link ErrorMetrics} and {@link ToleranceRule}, written as plainly as possible (one
 * loop, doubles, no blocking) so that the fast kernel can be checked against them.
 */
final class MetricsOracle {
    long finiteCount;
    long refNan;
    long refInf;
    long candNan;
    long candInf;
    long matching;
    long mismatches;
    long firstMismatch = -1;
    double maxAbs;
    long maxAbsIndex = -1;
    double meanAbs;
    double rmse;
    double maxRel;
    double cosine;
    double scale;
    double refMin = Double.NaN;
    double refMax = Double.NaN;
    double candMin = Double.NaN;
    double candMax = Double.NaN;
    long violations;
    long firstViolation = -1;

    static MetricsOracle of(float[] ref, float[] cand, ToleranceRule rule) {
        MetricsOracle o = new MetricsOracle();
        double sumAbs = 0;
        double sumSq = 0;
        double rr = 0;
        double cc = 0;
        double rc = 0;
        double bestAbs = -1;
        for (int i = 0; i < ref.length; i++) {
            float a = ref[i];
            float b = cand[i];
            if (Float.isNaN(a)) {
                o.refNan++;
            } else if (Float.isInfinite(a)) {
                o.refInf++;
            } else {
                o.refMin = Double.isNaN(o.refMin) ? a : Math.min(o.refMin, a);
                o.refMax = Double.isNaN(o.refMax) ? a : Math.max(o.refMax, a);
                o.scale = Math.max(o.scale, Math.abs(a));
            }
            if (Float.isNaN(b)) {
                o.candNan++;
            } else if (Float.isInfinite(b)) {
                o.candInf++;
            } else {
                o.candMin = Double.isNaN(o.candMin) ? b : Math.min(o.candMin, b);
                o.candMax = Double.isNaN(o.candMax) ? b : Math.max(o.candMax, b);
            }
            boolean finite = Float.isFinite(a) && Float.isFinite(b);
            if (!finite) {
                boolean bothNan = Float.isNaN(a) && Float.isNaN(b);
                boolean sameInf = Float.isInfinite(a) && a == b;
                if (bothNan || sameInf) {
                    o.matching++;
                } else {
                    o.mismatches++;
                    if (o.firstMismatch < 0) {
                        o.firstMismatch = i;
                    }
                }
                continue;
            }
            o.finiteCount++;
            float df = a - b;
            double d = Float.isInfinite(df) ? Math.abs((double) a - (double) b) : Math.abs(df);
            sumAbs += d;
            sumSq += d * d;
            rr += (double) a * a;
            cc += (double) b * b;
            rc += (double) a * b;
            if (d > bestAbs) {
                bestAbs = d;
                o.maxAbsIndex = i;
            }
            if (a != 0) {
                o.maxRel = Math.max(o.maxRel, d / Math.abs(a));
            }
        }
        long k = o.finiteCount;
        o.maxAbs = k > 0 ? bestAbs : 0;
        o.meanAbs = k > 0 ? sumAbs / k : 0;
        o.rmse = k > 0 ? Math.sqrt(sumSq / k) : 0;
        if (k < 2) {
            o.cosine = Double.NaN;
        } else if (rr == 0 && cc == 0) {
            o.cosine = 1;
        } else if (rr == 0 || cc == 0) {
            o.cosine = 0;
        } else {
            o.cosine = Math.max(-1, Math.min(1, rc / Math.sqrt(rr * cc)));
        }
        double atol = rule.absoluteAllowance(o.scale);
        float rtol = (float) rule.relativeAllowance();
        for (int i = 0; i < ref.length; i++) {
            float a = ref[i];
            float b = cand[i];
            boolean violates;
            if (Float.isFinite(a) && Float.isFinite(b)) {
                float df = a - b;
                violates = Float.isInfinite(df)
                        ? Math.abs((double) a - (double) b) - (double) rtol * Math.abs(a) > atol
                        : Math.abs(df) - rtol * Math.abs(a) > atol;
            } else {
                violates = !((Float.isNaN(a) && Float.isNaN(b)) || (Float.isInfinite(a) && a == b));
            }
            if (violates) {
                o.violations++;
                if (o.firstViolation < 0) {
                    o.firstViolation = i;
                }
            }
        }
        return o;
    }
}
