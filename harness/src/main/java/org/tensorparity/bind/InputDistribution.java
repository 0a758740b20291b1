package org.tensorparity.bind;

import java.util.Locale;
import java.util.SplittableRandom;

/** How seeded input values are drawn. */
public sealed interface InputDistribution {

    /** Uniform in {@code [low, high)}. */
    record Uniform(double low, double high) implements InputDistribution {
        public Uniform {
            if (!(low < high)) {
                throw new IllegalArgumentException("uniform range needs low < high, got " + low + "," + high);
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            return low + (high - low) * random.nextDouble();
        }

        @Override
        public String describe() {
            return "uniform:" + low + "," + high;
        }
    }

    /** Normal with the given mean and standard deviation. */
    record Normal(double mean, double std) implements InputDistribution {
        public Normal {
            if (!(std > 0)) {
                throw new IllegalArgumentException("normal std must be positive, got " + std);
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return mean + std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        }

        @Override
        public String describe() {
            return "normal:" + mean + "," + std;
        }
    }

    InputDistribution DEFAULT = new Uniform(-1, 1);

    /** One value drawn from {@code random}. */
    double sample(SplittableRandom random);

    /** The text form {@link #parse} reads back, e.g. {@code uniform:-1.0,1.0}. */
    String describe();

    /** Parses {@code uniform:LOW,HIGH} or {@code normal:MEAN,STD}. */
    static InputDistribution parse(String text) {
        String[] kindAndArgs = text.trim().split(":", 2);
        String[] args = kindAndArgs.length == 2 ? kindAndArgs[1].split(",") : new String[0];
        String kind = kindAndArgs[0].toLowerCase(Locale.ROOT);
        if (args.length != 2 || !(kind.equals("uniform") || kind.equals("normal"))) {
            throw new IllegalArgumentException("'" + text + "' is not uniform:LOW,HIGH or normal:MEAN,STD");
        }
        double a;
        double b;
        try {
            a = Double.parseDouble(args[0].trim());
            b = Double.parseDouble(args[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a value that is not a number");
        }
        return kind.equals("uniform") ? new Uniform(a, b) : new Normal(a, b);
    }
}
