package org.tensorparity.fuzz;

import java.util.List;

/**
 * One hostile invocation of {@code parity}: what was done to the input, and the arguments after the
 * report flags the campaign adds.
 *
 * @param id the case number within its campaign
 * @param kind the family of mutation ("bit-flip", "truncate", "bad-flag", ...)
 * @param detail what exactly was changed, to reproduce by hand
 * @param args the command line
 */
record FuzzCase(int id, String kind, String detail, List<String> args) {
}
