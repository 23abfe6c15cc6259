package io.capstan.console.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.capstan.console.ConsoleFunction;
import io.capstan.lambda.ApiGatewayEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The console's Lambda entry point: serves the console's files ({@link ConsoleFunction}) for the HTTP API's
 * {@code GET /} and {@code GET /console/{file+}} routes. It reads no table, bucket or secret.
 */
public final class ConsoleLambdaHandler implements RequestStreamHandler {
    private final ConsoleFunction function = new ConsoleFunction();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.serve(input, output, function);
    }
}
