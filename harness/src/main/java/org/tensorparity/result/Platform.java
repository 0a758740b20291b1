package org.tensorparity.result;

/** Where the run happened: kernels and hence last-bit results differ across JVMs, OSes and CPUs. */
public record Platform(String java, String os, String arch, int cpus) {
    public static Platform current() {
        return new Platform(System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
    }
}
