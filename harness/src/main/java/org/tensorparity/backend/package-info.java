/**
 * The runner contract: open a model in a runtime, describe it, run it, close it. Each runtime lives in
 * its own subpackage ({@code ort}, {@code tflite}), the only places that import that runtime's API.
 * Runners know nothing of binding, comparison or reports.
 */
package org.tensorparity.backend;
