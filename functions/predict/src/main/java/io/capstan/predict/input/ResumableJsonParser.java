package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import java.io.IOException;

/**
 * Jackson's UTF-8 parser over an in-memory body, which can hand the bytes of an array it has just opened to a scanner
 * of our own ({@link NumericArrayScanner}) and resume after them. The parser is Jackson's unchanged: the scanner
 * takes only arrays of plain JSON numbers, and the parser is moved past them (position, line and line start, so that
 * later locations and error messages stay the same) only once the scanner has read the whole array; otherwise the
 * parser reads the array itself, as before.
 */
final class ResumableJsonParser extends UTF8StreamJsonParser {
    private ResumableJsonParser(IOContext context, int features, JsonFactory factory, byte[] body, int start,
                                int end) {
        super(context, features, null, factory.getCodec(), ((Factory) factory).childSymbols(), body, start, end, 0,
                false);
    }

    /** The body the parser reads. */
    byte[] body() {
        return _inputBuffer;
    }

    /** Where the parser stands in {@link #body()}: just after the {@code [} of the array it has just opened. */
    int position() {
        return _inputPtr;
    }

    /** The end of the parser's part of {@link #body()}. */
    int end() {
        return _inputEnd;
    }

    /**
     * Moves the parser to {@code closing}, the {@code ]} of the array it has just opened, past {@code newlines} line
     * feeds of which the last ends at {@code lineStart}; its next token is that array's END_ARRAY.
     */
    void resumeAt(int closing, int newlines, int lineStart) {
        _inputPtr = closing;
        if (newlines > 0) {
            _currInputRow += newlines;
            _currInputRowStart = lineStart;
        }
    }

    /**
     * A factory of {@link ResumableJsonParser}s for byte arrays in UTF-8 without a byte order mark (what JSON bodies
     * are); any other byte array, and every other source, gets Jackson's own parser, as from a plain factory.
     */
    static final class Factory extends JsonFactory {
        private static final long serialVersionUID = 1L;

        Factory(JsonFactoryBuilder builder) {
            super(builder);
        }

        private com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer childSymbols() {
            return _byteSymbolCanonicalizer.makeChild(_factoryFeatures);
        }

        @Override
        protected JsonParser _createParser(byte[] data, int offset, int len, IOContext context) throws IOException {
            if (!plainUtf8(data, offset, len) || !Feature.CANONICALIZE_FIELD_NAMES.enabledIn(_factoryFeatures)) {
                return super._createParser(data, offset, len, context);
            }
            _streamReadConstraints.validateDocumentLength(len);
            return new ResumableJsonParser(context, _parserFeatures, this, data, offset, offset + len);
        }

        /**
         * Whether Jackson's encoding detection would read the bytes as UTF-8 with no byte order mark: the first four
         * (or fewer) are ASCII and not zero, so they are neither a BOM nor a UTF-16 or UTF-32 pattern.
         */
        private static boolean plainUtf8(byte[] data, int offset, int len) {
            for (int i = offset; i < offset + Math.min(4, len); i++) {
                if (data[i] <= 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
