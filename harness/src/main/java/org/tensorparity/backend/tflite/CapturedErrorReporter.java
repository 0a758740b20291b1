package org.tensorparity.backend.tflite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.tensorflowlite.ErrorReporter;
import org.bytedeco.tensorflowlite.Reporter_Pointer_BytePointer_Pointer;
import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelRef;

/**
 * A {@code tflite::ErrorReporter} whose messages are kept for our exception messages instead of being
 * printed as {@code ERROR: ...} lines on stderr.
 *
 * <p>The bytedeco preset does not let Java subclass {@code ErrorReporter} (its virtual
 * {@code Report(const char*, va_list)} is not mapped as overridable), so the C++ object is laid out by
 * hand following the Itanium C++ ABI: a 16-byte object whose first word points at a vtable of
 * {complete destructor, deleting destructor, Report}, and whose second word is this reporter's id.
 * Report's slot is a JavaCPP callback; the callback reads the id from {@code this} to find the
 * reporter, and renders the message with {@link VaListFormatter}. Both layouts are those of
 * linux-x86_64, the only platform whose natives the project ships; elsewhere {@link #reporter()} is
 * null and TFLite keeps its default stderr reporter.
 *
 * <p>TFLite never owns or deletes an error reporter, so the destructor slots are never called; they
 * point at a callback that does nothing, should a future version try. One vtable and two callbacks
 * serve every reporter: JavaCPP has only ten callback slots per function type.
 */
final class CapturedErrorReporter implements AutoCloseable {
    private static final boolean SUPPORTED = "linux-x86_64".equals(Loader.getPlatform());
    private static final int MAX_MESSAGES = 32;
    private static final int MAX_DETAIL_CHARS = 600;
    private static final Map<Long, CapturedErrorReporter> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final long id;
    private final BytePointer object;
    private final ErrorReporter reporter;
    private final List<String> messages = new ArrayList<>();
    private boolean closed;

    private CapturedErrorReporter(long id, BytePointer object) {
        this.id = id;
        this.object = object;
        this.reporter = object == null ? null : new ErrorReporter(object);
    }

    /** A new reporter; on platforms other than linux-x86_64 it captures nothing (see the class notes). */
    static CapturedErrorReporter create() {
        if (!SUPPORTED) {
            return new CapturedErrorReporter(0, null);
        }
        long id = NEXT_ID.getAndIncrement();
        BytePointer object = new BytePointer(16);
        object.putLong(0, Vtable.INSTANCE.address());
        object.putLong(8, id);
        CapturedErrorReporter captured = new CapturedErrorReporter(id, object);
        LIVE.put(id, captured);
        return captured;
    }

    /** The native reporter to hand to TFLite, or null to let TFLite use its default (stderr). */
    ErrorReporter reporter() {
        return reporter;
    }

    /** Whether messages are captured here rather than printed by TFLite. */
    boolean captures() {
        return reporter != null;
    }

    /** The messages reported since the last call, in order, joined into one line; empty if none. */
    synchronized String drain() {
        String text = String.join("; ", messages);
        messages.clear();
        return text;
    }

    /**
     * The failure of model {@code ref} at {@code what}, in one line naming the file and carrying the
     * messages reported since the last drain as TFLite's own reason.
     */
    ModelFailureException failure(ModelRef ref, String what) {
        String detail = drain();
        if (detail.isEmpty()) {
            detail = captures() ? "TFLite gave no reason" : "TFLite printed its reason on stderr";
        }
        if (detail.length() > MAX_DETAIL_CHARS) {
            detail = detail.substring(0, MAX_DETAIL_CHARS) + "...";
        }
        return new ModelFailureException("TFLite model " + ref.path() + ": " + what + ": " + detail);
    }

    private synchronized void add(String message) {
        // Kernel messages start with the build machine's source path; from tensorflow/lite/ on is what matters.
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\S*/(tensorflow/lite/)", "$1");
        // TFLite repeats a failing node's message once per retry; one copy says it.
        if (line.isEmpty() || messages.size() >= MAX_MESSAGES || messages.contains(line)) {
            return;
        }
        messages.add(line);
    }

    /** Unregisters the reporter and frees its object; TFLite must not use it afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (object != null) {
            LIVE.remove(id);
            object.close();
        }
    }

    /** The shared vtable and callbacks, created on first use and kept for the life of the process. */
    private static final class Vtable {
        private static final Reporter_Pointer_BytePointer_Pointer REPORT = new Reporter_Pointer_BytePointer_Pointer() {
            @Override
            public void call(Pointer self, BytePointer format, Pointer vaList) {
                deliver(self, format, vaList);
            }
        };
        private static final Reporter_Pointer_BytePointer_Pointer IGNORE = new Reporter_Pointer_BytePointer_Pointer() {
            @Override
            public void call(Pointer self, BytePointer format, Pointer vaList) {
                // A destructor slot: the object is ours and freed by close().
            }
        };
        static final PointerPointer<Pointer> INSTANCE = build();

        private static PointerPointer<Pointer> build() {
            PointerPointer<Pointer> table = new PointerPointer<>(3);
            table.put(0, functionAddress(IGNORE));
            table.put(1, functionAddress(IGNORE));
            table.put(2, functionAddress(REPORT));
            return table;
        }

        /** A FunctionPointer's address is its JavaCPP holder; the C function pointer is the holder's first word. */
        private static Pointer functionAddress(FunctionPointer callback) {
            return new PointerPointer<Pointer>(callback).get(0);
        }
    }

    private static void deliver(Pointer self, BytePointer format, Pointer vaList) {
        // An exception must not unwind into TFLite's C++ frames: everything is caught here.
        try {
            long id = new VaListFormatter.Raw(self.address()).getLong(8);
            CapturedErrorReporter target = LIVE.get(id);
            if (target == null || format == null) {
                return;
            }
            String pattern = format.getString();
            String message;
            try {
                // The callback receives the address of its own va_list parameter, which on
                // x86-64 is a pointer to the caller's va_list structure.
                long vaListStruct = new VaListFormatter.Raw(vaList.address()).getLong(0);
                message = VaListFormatter.format(pattern, vaListStruct);
            } catch (RuntimeException e) {
                message = pattern;
            }
            target.add(message);
        } catch (Throwable t) {
            // Losing one message is better than crashing the interpreter that reported it.
        }
    }
}
