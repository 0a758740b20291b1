package org.tensorparity.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts the named files from {@link ReportSchemaExtension}: a test that hand-writes a report the schema must
 * reject (a newer {@code schemaVersion}, a truncated or edited document) to prove that the tool refuses it. Only
 * files whose name matches one of {@link #value()} are exempt; every other report the test writes is validated.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WritesInvalidReports {
    /** Globs matched against the file name alone, e.g. {@code "newer.json"}. */
    String[] value();

    /** Why these files must not conform to the schema. */
    String reason();
}
